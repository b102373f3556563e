"""Who may use the bot: admins from the settings, invitations, access requests, deactivation.

Plain functions over the repositories; the handlers only turn the results into messages.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.events import User
from bot.domain.policy import Recipient
from bot.domain.staff import AccessRequest, Duty, Invite, Role, Staff
from bot.i18n import N_
from bot.repositories import AccessRequestRepository, InviteRepository, StaffRepository

INVITE_LIFETIME = timedelta(days=7)
# A denied stranger who writes again is shown to the admins once more only after this long.
REQUEST_RENOTIFY_AFTER = timedelta(days=7)


class StartResult(StrEnum):
    """What happened when someone opened the bot."""

    WELCOME_BACK = "welcome_back"
    NEW_ADMIN = "new_admin"
    JOINED = "joined"
    DEACTIVATED = "deactivated"
    INVITE_INVALID = "invite_invalid"
    STRANGER = "stranger"


@dataclass(frozen=True)
class StartOutcome:
    result: StartResult
    staff: Staff | None = None
    invite: Invite | None = None
    # Set when the admins should hear about this stranger now.
    new_request: AccessRequest | None = None


class AccessError(Exception):
    """An admin action that cannot be done; ``key`` is the message key that explains why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


# Timeline roles held as standing duties (set per person in /staff).
DUTY_OF_ROLE: dict[Recipient, Duty] = {"office": Duty.OFFICE, "reception": Duty.RECEPTION,
                                       "executives": Duty.EXECUTIVE}


class AccessService:
    """Registration and access decisions."""

    def __init__(
        self,
        staff: StaffRepository,
        invites: InviteRepository,
        requests: AccessRequestRepository,
        admin_ids: frozenset[int],
    ) -> None:
        self.staff = staff
        self.invites = invites
        self.requests = requests
        self.admin_ids = admin_ids

    def active_staff(self, user_id: int) -> Staff | None:
        staff = self.staff.get(user_id)
        return staff if staff is not None and staff.active else None

    def start(self, user: User, payload: str, now: datetime) -> StartOutcome:
        """Handles /start with an optional deep-link payload (an invitation code)."""
        known = self.staff.get(user.id)
        if known is not None:
            if not known.active:
                return StartOutcome(StartResult.DEACTIVATED, known)
            return StartOutcome(StartResult.WELCOME_BACK, self._refresh(known, user))
        if user.id in self.admin_ids:
            return StartOutcome(StartResult.NEW_ADMIN, self._register(user, Role.ADMIN, now))
        invite = self.invites.get(payload) if payload else None
        if invite is not None and invite.usable(now):
            staff = self._register(user, invite.role, now)
            invite = self.invites.save(replace(invite, used_by=user.id, used_at=now))
            return StartOutcome(StartResult.JOINED, staff, invite)
        request = self.note_stranger(user, now)
        result = StartResult.INVITE_INVALID if payload else StartResult.STRANGER
        return StartOutcome(result, new_request=request)

    def note_stranger(self, user: User, now: datetime) -> AccessRequest | None:
        """Records a stranger's request; returns it when the admins should be told now."""
        earlier = self.requests.get(user.id)
        if earlier is not None and earlier.status == "pending":
            return None
        if earlier is not None and now - earlier.requested_at < REQUEST_RENOTIFY_AFTER:
            return None
        request = AccessRequest(user.id, user.full_name, user.username, user.language_code, now)
        return self.requests.save(request)

    def create_invite(self, admin: Staff, role: Role, now: datetime) -> Invite:
        self._require_admin(admin)
        invite = Invite(secrets.token_urlsafe(12), role, admin.user_id, now, now + INVITE_LIFETIME)
        return self.invites.save(invite)

    def decide(
        self, admin: Staff, user_id: int, role: Role | None, now: datetime
    ) -> tuple[AccessRequest, Staff | None]:
        """Approves (``role`` given) or denies (``role`` None) a pending request."""
        self._require_admin(admin)
        request = self.requests.get(user_id)
        if request is None:
            raise AccessError(N_("access.request_unknown"))
        if request.status != "pending":
            raise AccessError(N_("access.request_already_decided"))
        staff = None
        if role is not None:
            user = User(request.user_id, request.name, "", request.username, request.language_code)
            staff = self.staff.get(user_id) or self._register(user, role, now)
        status = "approved" if role is not None else "denied"
        request = self.requests.save(replace(request, status=status, decided_by=admin.user_id))
        return request, staff

    def set_active(self, admin: Staff, user_id: int, active: bool) -> Staff:
        self._require_admin(admin)
        if user_id == admin.user_id:
            raise AccessError(N_("staff.not_yourself"))
        staff = self.staff.get(user_id)
        if staff is None:
            raise AccessError(N_("staff.unknown"))
        return self.staff.save(replace(staff, active=active))

    def toggle_duty(self, admin: Staff, user_id: int, duty: Duty) -> Staff:
        staff = self._someone(admin, user_id)
        others = tuple(d for d in staff.duties if d != duty)
        duties = others if duty in staff.duties else (*others, duty)
        return self.staff.save(replace(staff, duties=duties))

    def set_role(self, admin: Staff, user_id: int, role: Role) -> Staff:
        if user_id == admin.user_id:
            raise AccessError(N_("staff.not_yourself"))
        return self.staff.save(replace(self._someone(admin, user_id), role=role))

    def set_manager(self, admin: Staff, user_id: int, manager_id: int | None) -> Staff:
        staff = self._someone(admin, user_id)
        if manager_id == user_id:
            raise AccessError(N_("staff.own_manager"))
        if manager_id is not None and manager_id not in {m.user_id for m in self.staff.managers()}:
            raise AccessError(N_("staff.unknown"))
        return self.staff.save(replace(staff, manager_id=manager_id))

    def on_duty(self) -> dict[Recipient, list[int]]:
        """Who holds each standing duty a timeline item may name (office, reception, executives)."""
        return {role: [s.user_id for s in self.staff.with_duty(duty)] for role, duty in DUTY_OF_ROLE.items()}

    def possible_managers(self) -> set[int]:
        """Everyone ``managers_of`` may name for somebody: the active managers and admins, and whoever
        is chosen as someone's manager."""
        return {m.user_id for m in self.staff.managers()} | self.staff.chosen_managers()

    def managers_of(self, user_id: int) -> list[int]:
        """``manager_of`` by user id: none for someone who is not staff."""
        person = self.staff.get(user_id)
        return [] if person is None else [m.user_id for m in self.manager_of(person)]

    def manager_of(self, staff: Staff) -> list[Staff]:
        """Whom ``staff``'s overdue items go to: their manager, or else every active manager.

        A company that never set managers still gets escalations, read by its managers (or, with
        none, its admins), rather than having them vanish.
        """
        if staff.manager_id is not None:
            chosen = self.staff.get(staff.manager_id)
            if chosen is not None and chosen.active:
                return [chosen]
        managers = [m for m in self.staff.managers() if m.user_id != staff.user_id]
        plain = [m for m in managers if m.role is Role.MANAGER]
        return plain or managers

    def _someone(self, admin: Staff, user_id: int) -> Staff:
        self._require_admin(admin)
        staff = self.staff.get(user_id)
        if staff is None:
            raise AccessError(N_("staff.unknown"))
        return staff

    def set_locale(self, staff: Staff, locale: str) -> Staff:
        return self.staff.save(replace(staff, locale=locale))

    def _register(self, user: User, role: Role, now: datetime) -> Staff:
        staff = Staff(user.id, user.full_name or str(user.id), role, now, user.username,
                      language_code=user.language_code)
        return self.staff.save(staff)

    def _refresh(self, staff: Staff, user: User) -> Staff:
        """Keeps the name and language Telegram reports up to date; they change."""
        fresh = replace(staff, name=user.full_name or staff.name, username=user.username,
                        language_code=user.language_code or staff.language_code, reachable=True)
        return self.staff.save(fresh) if fresh != staff else staff

    @staticmethod
    def _require_admin(staff: Staff) -> None:
        if not (staff.active and staff.role is Role.ADMIN):
            raise AccessError(N_("access.admins_only"))
