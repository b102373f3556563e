"""Who may use the bot: admins from the settings, invitations, access requests, deactivation.

Plain functions over the repositories; the handlers only turn the results into messages.

Strangers cost little and are heard once. A stranger's first message records their access request
and is answered; every later one gets no reply and writes nothing, so a flood of strangers neither
fills the log nor queues replies ahead of staff. The admins are told of at most
``NOTICES_PER_HOUR`` requests in one clock hour; the rest wait in /staff, and once that hour is
over one summary says how many there were (``due_summaries``, run by the scheduler). Every active
admin is told of every request, so one count serves them all.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from bot.core.events import Send, User
from bot.domain.policy import Recipient
from bot.domain.staff import AccessRequest, Duty, Invite, NoticeHour, Role, Staff
from bot.i18n import N_, I18n
from bot.repositories import AccessRequestRepository, InviteRepository, NoticeHourRepository, StaffRepository
from bot.repositories.identities import Identities, platform_of

INVITE_LIFETIME = timedelta(days=7)
# A code that links another messenger's account to its maker (``/link``): meant for the next few
# minutes, with time left to install the other messenger first.
LINK_LIFETIME = timedelta(days=1)
# What ``secrets.token_urlsafe(12)`` makes: the shape a code carried back by a button must have.
INVITE_CODE = re.compile(r"[A-Za-z0-9_-]{16}")
# Requests the admins are told of one by one in a clock hour; beyond that, one summary.
NOTICES_PER_HOUR = 3


class StartResult(StrEnum):
    """What happened when someone opened the bot."""

    WELCOME_BACK = "welcome_back"
    JOINED = "joined"
    DEACTIVATED = "deactivated"
    INVITE_INVALID = "invite_invalid"
    INVITE_REVOKED = "invite_revoked"
    STRANGER = "stranger"
    # A stranger who wrote before: no reply, nothing written.
    SEEN_BEFORE = "seen_before"
    # A link code (``/link``) opened: the account is now its maker's.
    LINKED = "linked"
    # A link code opened from an account already registered, or from a second account on a
    # messenger its maker already uses: nothing linked.
    LINK_TAKEN = "link_taken"
    LINK_SAME_PLATFORM = "link_same_platform"


@dataclass(frozen=True)
class StartOutcome:
    result: StartResult
    staff: Staff | None = None
    invite: Invite | None = None
    # Set when the admins should hear about this stranger now.
    new_request: AccessRequest | None = None


@dataclass(frozen=True)
class FirstContact:
    """A stranger's first message, recorded as their access request."""

    request: AccessRequest
    announce: bool  # the admins are told now (else it waits for the hour's summary)


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
        notices: NoticeHourRepository,
        *,
        identities: Identities,
        admins: frozenset[str],
    ) -> None:
        self.staff = staff
        self.invites = invites
        self.requests = requests
        self.notices = notices
        self.identities = identities
        # ``BOT_ADMIN_IDS`` as identities; who they are is asked of ``identities`` at each message,
        # so a configured admin's account linked later, or a Feishu one met later, is them too.
        self._admins = tuple(sorted(admins))

    def person(self, user_id: int) -> Staff | None:
        """Whoever is registered under ``user_id``, switched off or not."""
        return self.staff.get(user_id)

    def everyone(self) -> list[Staff]:
        """Everyone registered, switched off or not."""
        return self.staff.all()

    def active_admins(self) -> list[Staff]:
        return self.staff.active_admins()

    def managers(self) -> list[Staff]:
        """Whom an admin may choose as someone's manager: the active managers and admins."""
        return self.staff.managers()

    def open_invites(self, now: datetime) -> list[Invite]:
        """Invitations whose link still lets someone in."""
        return self.invites.open_ones(now)

    def request(self, user_id: int) -> AccessRequest | None:
        return self.requests.get(user_id)

    def pending_requests(self) -> list[AccessRequest]:
        """Access requests no admin decided yet, the newest first."""
        return self.requests.pending()

    def count_pending_requests(self) -> int:
        return self.requests.count_pending()

    def start(self, user: User, payload: str, now: datetime) -> StartOutcome:
        """Handles /start with an optional deep-link payload (an invitation code). Admins named in
        the settings are registered before any handler runs (``configured_admin``)."""
        known = self.staff.get(user.id)
        invite = self.invites.get(payload) if payload else None
        if known is not None:
            if not known.active:
                return StartOutcome(StartResult.DEACTIVATED, known)
            if invite is not None and invite.person is not None:
                return StartOutcome(StartResult.LINK_TAKEN, known)
            return StartOutcome(StartResult.WELCOME_BACK, self._refresh(known, user))
        if invite is not None and invite.usable(now) and invite.person is not None:
            linked = self._link(user, invite, now)
            if linked is not None:
                return linked
        elif invite is not None and invite.usable(now):
            staff = self._register(user, invite.role, now)
            invite = self.invites.save(replace(invite, used_by=user.id, used_at=now))
            return StartOutcome(StartResult.JOINED, staff, invite)
        first = self.note_stranger(user, now)
        if first is None:
            return StartOutcome(StartResult.SEEN_BEFORE)
        result = StartResult.STRANGER
        if payload:
            revoked = invite is not None and invite.revoked_by is not None
            result = StartResult.INVITE_REVOKED if revoked else StartResult.INVITE_INVALID
        return StartOutcome(result, new_request=first.request if first.announce else None)

    def _link(self, user: User, invite: Invite, now: datetime) -> StartOutcome | None:
        """The account ``user`` wrote from becomes the person who made the link code ``invite``; None
        when that person is no longer active staff (the code then opens nothing, like a stale one)."""
        assert invite.person is not None
        target = self.staff.get(invite.person)
        own = self.identities.of(user.id)
        if target is None or not target.active or not own:
            return None
        name = own[0]
        if any(platform_of(other) == platform_of(name) for other in self.identities.of(target.user_id)):
            return StartOutcome(StartResult.LINK_SAME_PLATFORM, target)
        self.identities.link(name, target.user_id)
        target = self.staff.save(replace(target, identities=tuple(self.identities.of(target.user_id))))
        invite = self.invites.save(replace(invite, used_by=user.id, used_at=now))
        self.requests.delete(user.id)  # their request, if they wrote before, is theirs no longer
        return StartOutcome(StartResult.LINKED, target, invite)

    def create_link(self, staff: Staff, now: datetime) -> Invite:
        """A one-time code that makes the account it is opened from (``/start <code>``, on another
        messenger) ``staff``'s: their visits, tasks and nudges reach them there too."""
        code = Invite(secrets.token_urlsafe(12), staff.role, staff.user_id, now, now + LINK_LIFETIME,
                      person=staff.user_id)
        return self.invites.save(code)

    def configured_admin(self, user: User, now: datetime) -> tuple[Staff, bool]:
        """Someone named in ``BOT_ADMIN_IDS``, as the active admin they always are: registered at
        their first message, whatever it is, and switched on and made admin again should the data
        say otherwise (a file from before this rule); and whether this registered them."""
        known = self.staff.get(user.id)
        if known is None:
            return self._register(user, Role.ADMIN, now), True
        if known.active and known.role is Role.ADMIN:
            return known, False
        return self.staff.save(replace(known, active=True, role=Role.ADMIN)), False

    def note_stranger(self, user: User, now: datetime) -> FirstContact | None:
        """A stranger's first message records their request (the only one they ever make; an admin
        may still invite them later); None for any later message, which writes nothing."""
        if self.requests.seen(user.id):
            return None
        request = AccessRequest(user.id, user.full_name, user.username, user.language_code, now)
        return FirstContact(self.requests.save(request), self._count_notice(now))

    def _count_notice(self, now: datetime) -> bool:
        """Whether the admins are told of a new request now; if not, it is held for the summary."""
        hour = _hour_of(now)
        record = self.notices.current()
        if record is None or (record.hour != hour and not record.held):
            record = NoticeHour(hour)
        if record.hour == hour and record.told < NOTICES_PER_HOUR:
            self.notices.save(replace(record, told=record.told + 1))
            return True
        # Also a request that comes after the hour of held ones, before their summary went out:
        # that summary counts it too.
        self.notices.save(replace(record, held=record.held + 1))
        return False

    def due_summaries(self, now: datetime, i18n: I18n) -> list[Send]:
        """Once an hour with requests held back is over: one message per active admin saying how
        many; the summary then counts as the first notice of the hour it goes out in."""
        record = self.notices.current()
        hour = _hour_of(now)
        if record is None or not record.held or record.hour >= hour:
            return []
        self.notices.save(NoticeHour(hour, told=1))
        messages = []
        for admin in self.staff.active_admins():
            t = i18n.get(admin.locale) if admin.locale else i18n.for_language_code(admin.language_code)
            messages.append(Send(admin.user_id, t.plural("access.summary", record.held,
                                                         limit=NOTICES_PER_HOUR)))
        return messages

    def create_invite(self, admin: Staff, role: Role, now: datetime) -> Invite:
        self._require_admin(admin)
        invite = Invite(secrets.token_urlsafe(12), role, admin.user_id, now, now + INVITE_LIFETIME)
        return self.invites.save(invite)

    def revoke_invite(self, admin: Staff, code: str, now: datetime) -> Invite:
        """Withdraws an open invitation: its link then opens nothing."""
        self._require_admin(admin)
        invite = self.invites.get(code)
        if invite is None or not invite.usable(now):
            raise AccessError(N_("invite.not_open"))
        return self.invites.save(replace(invite, revoked_by=admin.user_id))

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
        return self.staff.save(replace(self._someone_else(admin, user_id), active=active))

    def toggle_duty(self, admin: Staff, user_id: int, duty: Duty) -> Staff:
        staff = self._someone(admin, user_id)
        others = tuple(d for d in staff.duties if d != duty)
        duties = others if duty in staff.duties else (*others, duty)
        return self.staff.save(replace(staff, duties=duties))

    def set_role(self, admin: Staff, user_id: int, role: Role) -> Staff:
        return self.staff.save(replace(self._someone_else(admin, user_id), role=role))

    def is_configured_admin(self, user_id: int) -> bool:
        """Named in ``BOT_ADMIN_IDS``: an admin whom nobody can switch off or demote from the chat
        (the owner must always be able to get back in)."""
        return any(self.identities.person(name) == user_id for name in self._admins)

    def _someone_else(self, admin: Staff, user_id: int) -> Staff:
        """``_someone`` whose access and role ``admin`` may change: neither themselves nor an admin
        named in the settings."""
        if user_id == admin.user_id:
            raise AccessError(N_("staff.not_yourself"))
        staff = self._someone(admin, user_id)
        if self.is_configured_admin(user_id):
            raise AccessError(N_("staff.configured_admin"))
        return staff

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

    def set_phone(self, staff: Staff, phone: str) -> Staff:
        """The person's own phone, for the itineraries of the visits they host."""
        return self.staff.save(replace(staff, phone=" ".join(phone.split()), phone_asked=True))

    def _register(self, user: User, role: Role, now: datetime) -> Staff:
        staff = Staff(user.id, user.full_name or str(user.id), role, now, user.username,
                      language_code=user.language_code, identities=tuple(self.identities.of(user.id)))
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


def _hour_of(moment: datetime) -> datetime:
    """The start of the clock hour ``moment`` falls in."""
    return moment.replace(minute=0, second=0, microsecond=0)
