"""Staff, invitations and access requests, kept in TinyDB.

Staff and access requests use the Telegram user id as the TinyDB document id, so a look-up by user
is a dictionary access rather than a scan; invites are few and looked up by code.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tinydb import Query
from tinydb.table import Document, Table

from bot.domain.staff import AccessRequest, Invite, Role, Staff
from bot.repositories.codec import from_doc, to_doc


class StaffRepository:
    """Registered staff members by Telegram user id."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, user_id: int) -> Staff | None:
        doc = self._table.get(doc_id=user_id)
        return from_doc(Staff, doc) if isinstance(doc, dict) else None

    def save(self, staff: Staff) -> Staff:
        self._table.upsert(Document(to_doc(staff), doc_id=staff.user_id))
        return staff

    def all(self) -> list[Staff]:
        return sorted((from_doc(Staff, doc) for doc in self._table.all()), key=lambda s: s.joined_at)

    def active_admins(self) -> list[Staff]:
        return [s for s in self.all() if s.active and s.role is Role.ADMIN]

    def set_reachable(self, user_id: int, reachable: bool) -> None:
        staff = self.get(user_id)
        if staff is not None and staff.reachable != reachable:
            self.save(replace(staff, reachable=reachable))


class InviteRepository:
    """One-time invitation codes."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, code: str) -> Invite | None:
        doc = self._table.get(Query().code == code)
        return from_doc(Invite, doc) if isinstance(doc, dict) else None

    def save(self, invite: Invite) -> Invite:
        self._table.upsert(to_doc(invite), Query().code == invite.code)
        return invite

    def open_ones(self, now: datetime) -> list[Invite]:
        return [i for i in (from_doc(Invite, d) for d in self._table.all()) if i.usable(now)]


class AccessRequestRepository:
    """Strangers who asked for access, one record per user."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, user_id: int) -> AccessRequest | None:
        doc = self._table.get(doc_id=user_id)
        return from_doc(AccessRequest, doc) if isinstance(doc, dict) else None

    def save(self, request: AccessRequest) -> AccessRequest:
        self._table.upsert(Document(to_doc(request), doc_id=request.user_id))
        return request
