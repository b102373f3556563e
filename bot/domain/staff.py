"""Staff members, their roles, and the invitations and access requests that bring them in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a staff member may do: admins manage people, managers see every visit."""

    STAFF = "staff"
    MANAGER = "manager"
    ADMIN = "admin"

    def at_least(self, other: Role) -> bool:
        order = (Role.STAFF, Role.MANAGER, Role.ADMIN)
        return order.index(self) >= order.index(other)


class Duty(StrEnum):
    """A standing job in the reception handbook that a timeline item may be addressed to."""

    OFFICE = "office"  # 市场部内勤: banners, name cards, rooms, the president's diary
    RECEPTION = "reception"  # 前台: the meeting room ready, tea, guests met at the door
    EXECUTIVE = "executive"  # 公司领导: told of class-A visits and visits they attend


@dataclass(frozen=True)
class Staff:
    """A registered user of the bot. ``user_id`` is the person's id (``bot.repositories.identities``):
    the Telegram user id of those who came from Telegram, their private chat with the bot too."""

    user_id: int
    name: str
    role: Role
    joined_at: datetime
    username: str = ""
    active: bool = True
    # None until they choose with /lang; then it wins over Telegram's language_code.
    locale: str | None = None
    language_code: str = ""
    reachable: bool = True
    # Standing duties beyond hosting (see Duty): nudges the timeline addresses to the office, the
    # reception desk or the executives reach the people who hold them.
    duties: tuple[Duty, ...] = ()
    # Whom overdue follow-ups escalate to, and who reviews this person's reception requests.
    manager_id: int | None = None
    # Printed on the itinerary of the visits they host, for the client to call; asked once (a person
    # who skipped the question is not asked again: /phone sets it later).
    phone: str = ""
    phone_asked: bool = False
    # Their accounts on the messengers (``telegram:<id>``, ``feishu:<open_id>``), one per platform;
    # ``/link`` adds another.
    identities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Invite:
    """A one-time code that ``/start <code>`` opens (typed, or carried by a link where the messenger
    can): an invitation, or a link code."""

    code: str
    role: Role
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None
    # The admin who withdrew it (``/invite``): its link then opens nothing.
    revoked_by: int | None = None
    # A link code (``/link``): whoever opens it becomes this person (an account of theirs on another
    # messenger) rather than a new staff member.
    person: int | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_by is None and self.revoked_by is None and now < self.expires_at


@dataclass(frozen=True)
class AccessRequest:
    """A stranger who wrote to the bot; admins approve or deny."""

    user_id: int
    name: str
    username: str
    language_code: str
    requested_at: datetime
    status: str = "pending"  # pending | approved | denied
    decided_by: int | None = None


@dataclass(frozen=True)
class NoticeHour:
    """How many strangers' requests the admins were told of in one clock hour, and how many more
    were held back for one summary (``bot.services.access``)."""

    hour: datetime  # the start of the hour
    told: int = 0
    held: int = 0
