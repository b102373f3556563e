"""Repositories: the small interface between services and the TinyDB store.

Each repository stores frozen dataclasses as JSON documents through a pydantic ``TypeAdapter``
(datetimes as ISO strings with their offset, enums as their values), so what is on disk stays
plain, readable JSON.
"""

from bot.repositories.staff import (
    AccessRequestRepository,
    InviteRepository,
    NoticeHourRepository,
    StaffRepository,
)

__all__ = ["AccessRequestRepository", "InviteRepository", "NoticeHourRepository", "StaffRepository"]
