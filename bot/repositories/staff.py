"""Staff, invitations, access requests and the count of notices about them, kept in TinyDB.

Staff and access requests use the Telegram user id as the TinyDB document id, so a look-up by user
is a dictionary access rather than a scan; invites are few and looked up by code.

Every update asks who the sender is, and sending nudges asks for everyone with a duty or a manager's
role, so ``StaffRepository`` keeps the decoded staff members in memory (a few thousand small frozen
records), filled on first use and kept up to date by ``save`` (it is the table's only writer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar, cast

from tinydb import Query
from tinydb.table import Table

from bot.domain.staff import AccessRequest, Duty, Invite, NoticeHour, Role, Staff
from bot.repositories.codec import from_doc, raw_documents, to_doc
from bot.repositories.keyed import KeyedDocuments
from bot.storage import rebuilt_on_failure

T = TypeVar("T")


class StaffRepository(KeyedDocuments[Staff]):
    """Registered staff members by Telegram user id."""

    def __init__(self, table: Table) -> None:
        super().__init__(table, Staff, lambda staff: staff.user_id)
        self._everyone: list[Staff] | None = None
        self._by_id: dict[int, Staff] = {}
        # Who has a duty, who manages: asked for every list of open items, each a pass over
        # everyone; kept until the next change.
        self._derived: dict[object, Any] = {}
        self.on_rollback(self._forget)

    def get(self, key: int) -> Staff | None:
        self._load()
        return self._by_id.get(key)

    def save(self, item: Staff) -> Staff:
        with rebuilt_on_failure(self._forget):
            super().save(item)
        if self._everyone is not None:
            self._by_id[item.user_id] = item
            self._everyone = sorted(self._by_id.values(), key=lambda s: s.joined_at)
        self._derived = {}
        return item

    def delete(self, key: int) -> None:
        try:
            super().delete(key)
        finally:
            self._everyone = None
            self._derived = {}

    def all(self) -> list[Staff]:
        self._load()
        assert self._everyone is not None
        return list(self._everyone)

    def _forget(self) -> None:
        self._everyone = None  # read again from the table, which was rolled back
        self._derived = {}

    def _load(self) -> None:
        if self._everyone is None:
            self._everyone = sorted(super().all(), key=lambda s: s.joined_at)
            self._by_id = {s.user_id: s for s in self._everyone}

    def active_admins(self) -> list[Staff]:
        return [s for s in self.all() if s.active and s.role is Role.ADMIN]

    def with_duty(self, duty: Duty) -> list[Staff]:
        return list(self._derive(duty, lambda: [s for s in self.all() if s.active and duty in s.duties]))

    def managers(self) -> list[Staff]:
        """Active managers and admins: whom a person's manager may be chosen from."""
        return list(self._derive("managers", lambda: [s for s in self.all()
                                                    if s.active and s.role.at_least(Role.MANAGER)]))

    def chosen_managers(self) -> set[int]:
        """Everyone chosen as someone's manager."""
        return set(self._derive("chosen", lambda: {s.manager_id for s in self.all()
                                                   if s.manager_id is not None}))

    def _derive(self, key: object, make: Callable[[], T]) -> T:
        """``make()``, kept until the staff change."""
        if key not in self._derived:
            self._derived[key] = make()
        return cast(T, self._derived[key])

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
        """The invitations whose link still works, the newest first (not the link codes of ``/link``)."""
        usable = [i for i in (from_doc(Invite, d) for d in self._table.all())
                  if i.usable(now) and i.person is None]  # link codes are their makers' own
        return sorted(usable, key=lambda invite: invite.created_at, reverse=True)


class AccessRequestRepository(KeyedDocuments[AccessRequest]):
    """Strangers who asked for access, one record per user."""

    def __init__(self, table: Table) -> None:
        super().__init__(table, AccessRequest, lambda request: request.user_id)

    def seen(self, user_id: int) -> bool:
        """Whether this stranger wrote before: a look at the stored documents, nothing decoded (a
        flood of strangers asks it for every message)."""
        return str(user_id) in raw_documents(self._table)

    def pending(self) -> list[AccessRequest]:
        """The requests no admin has decided yet, the newest first."""
        waiting = [from_doc(AccessRequest, doc) for doc in self._pending_documents()]
        return sorted(waiting, key=lambda request: request.requested_at, reverse=True)

    def count_pending(self) -> int:
        """How many requests wait, nothing decoded (a flood may have left thousands)."""
        return sum(1 for _ in self._pending_documents())

    def _pending_documents(self) -> Iterator[dict[str, Any]]:
        return (doc for doc in raw_documents(self._table).values() if doc.get("status") == "pending")


class NoticeHourRepository(KeyedDocuments[NoticeHour]):
    """The one record of how many access requests the admins were told of this hour."""

    KEY = 1

    def __init__(self, table: Table) -> None:
        super().__init__(table, NoticeHour, lambda _: self.KEY)

    def current(self) -> NoticeHour | None:
        return self.get(self.KEY)
