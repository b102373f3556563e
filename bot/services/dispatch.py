"""The nudges that are due: once, to the right people, in their language, outside quiet hours.

The database is the truth; the scheduler only wakes ``due_messages`` every few seconds, and at start
(so what came due while the bot was down goes out once, marked late). It marks the nudges sent and
returns the messages, which go into the outbox in the same write (``bot.core.outbox``: at most
once, retried when a delivery fails for a passing reason, put back when the bot stops mid-burst).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from bot.core.events import Keyboard, Send
from bot.core.slices import UNLIMITED, Batch, Budget
from bot.domain.nudges import Nudge, NudgeMessage, NudgeState, holders, is_missed, stamp_of
from bot.domain.policy import Recipient
from bot.domain.staff import Staff
from bot.domain.visits import Visit
from bot.i18n import N_, Translator

if TYPE_CHECKING:
    from bot.bootstrap import Services

# Sent later than this after it was due (the bot was down): the message says so.
LATE_AFTER = timedelta(minutes=10)
# Quiet hours do not hold back a nudge about a visit this close.
URGENT_WITHIN = timedelta(hours=2)
# Items of a visit due within this much of one that is due now join its message: one message per
# moment, not one a minute for the same visit.
JOIN_WITHIN = timedelta(minutes=5)
# On a day off, a visit arriving the next morning may still be prepared from this hour on.
EVENING = time(17, 0)
# A role nobody holds yet: the host gets the nudge with the role named, to pass on.
ROLE_KEYS = {"office": N_("nudge.role.office"), "reception": N_("nudge.role.reception"),
             "executives": N_("nudge.role.executives"), "host_manager": N_("nudge.role.host_manager")}


@dataclass(frozen=True)
class Outgoing:
    """One message and the nudges it carries."""

    message: Send
    nudges: tuple[str, ...]


class NudgeRun:
    """What is due now, a slice of the core at a time (``bot.core.slices``): a burst after downtime
    spans thousands of items of hundreds of visits. The first slice finds which visits have items
    due and in what order (from the index, nothing decoded); every slice then takes visits in turn,
    reads their due items afresh (someone may have ticked one off between two slices), and records
    what it sends in the same write as the outbox gets the messages. A stop between slices loses
    nothing: what was not recorded is still due at the next run."""

    def __init__(self, sender: NudgeSender) -> None:
        self._sender = sender
        self.outgoing: list[Outgoing] = []  # everything this run produced, for ``due_messages``
        self._now: datetime | None = None
        self._visits: list[int] = []  # still to do, by the moment their first item goes out

    def step(self, budget: Budget) -> Batch:
        """One slice: visits in turn while ``budget`` allows (at least one); ``more`` while any is left."""
        services = self._sender.services
        repo = services.nudges.nudges
        worked = False
        if self._now is None:
            self._now = services.clock.now()
            self._visits = repo.visits_due(self._now + JOIN_WITHIN)
            worked = True
        now, by = self._now, self._now + JOIN_WITHIN
        outgoing: list[Outgoing] = []
        recorded: list[Nudge] = []
        while self._visits and (budget.left() or not worked):
            worked = True
            visit_id = self._visits.pop(0)
            found = sorted((n for n in repo.due_of_visit(visit_id, by)), key=_moment)
            if not found or _moment(found[0]) > now:
                continue  # only joining: nothing of this visit is due yet
            visit = services.visits.get(visit_id)
            if visit is None:
                continue
            messages, nudges = self._sender.visit_messages(visit, found, now)
            outgoing += messages
            recorded += nudges
        # One write for the slice: every write is fsynced, and a burst spans hundreds of visits.
        repo.save_all(recorded)
        self.outgoing += outgoing
        return Batch([item.message for item in outgoing], more=bool(self._visits))


class NudgeText(Protocol):
    """How a nudge message reads: its text and buttons (``bot.views.nudges.render``, handed down in
    ``Services.nudge_text``: the sender decides what goes to whom, the view how it reads)."""

    def __call__(self, t: Translator, tz: tzinfo, message: NudgeMessage, name_of: Callable[[int], str],
                 /) -> tuple[str, Keyboard]: ...


class NudgeSender:
    def __init__(self, services: Services) -> None:
        self.services = services

    def due_messages(self) -> list[Outgoing]:
        """Everything due now, recorded as sent; the caller queues the messages in the outbox, which
        sends them. All at once: the scheduler goes a slice at a time (``NudgeRun``)."""
        run = NudgeRun(self)
        while run.step(UNLIMITED).more:
            pass
        return run.outgoing

    def visit_messages(self, visit: Visit, found: list[Nudge],
                       now: datetime) -> tuple[list[Outgoing], list[Nudge]]:
        """The messages of one visit's due items (``found``, by the moment each goes out), and the
        nudges to record: sent, failed, or missed.

        Per visit and person, one message: the items due now, with those due within
        ``JOIN_WITHIN`` after them. Preparation items of a visit that has begun are closed as
        missed instead (``is_missed``): a "wait at the entrance" after the guests came is noise; so
        are chores that lapsed while they waited (the bot was down over a day).
        """
        lapses = self.services.nudges.lapses
        missed = [n for n in found if is_missed(n, visit, now, lapses)]
        recorded = [replace(n, state=NudgeState.MISSED, snoozed_until=None, snoozed_by=()) for n in missed]
        nudges = [n for n in found if n not in missed]
        if not nudges or self._held(now, visit):
            return [], recorded
        messages = self._for_visit(visit, nudges, now)
        carried = {nudge_id for item in messages for nudge_id in item.nudges}
        # A nudge nobody can receive (everyone on it blocked the bot) is failed, not "sent". Who put
        # it off and until when stay: it is theirs now, and the others' lists say so (``Holdings``).
        recorded += [replace(n, state=NudgeState.SENT, sent_at=now)
                     if n.id in carried else replace(n, state=NudgeState.FAILED) for n in nudges]
        return messages, recorded

    def _held(self, now: datetime, visit: Visit) -> bool:
        """Whether the visit's nudges wait: in quiet hours (unless the guests come within
        ``URGENT_WITHIN``), and on a day off unless the visit is on that day or arrives the next
        morning and it is evening. What waits goes out at the first moment that allows it."""
        tz = self.services.settings.tz
        local = now.astimezone(tz)
        # The first moment of the visit: the flight or train to meet, if any, else the arrival.
        meet = visit.travel.arrives_at if visit.travel is not None and visit.travel.pickup else None
        first = min(visit.arrival, meet) if meet is not None else visit.arrival
        urgent = timedelta(0) <= first - now <= URGENT_WITHIN
        if self.services.policy.schedule.is_quiet(local.time()) and not urgent:
            return True
        if self.services.calendar.is_working_day(local.date()):
            return False
        arrival, departure = visit.arrival.astimezone(tz), visit.departure.astimezone(tz)
        on_the_day = arrival.date() <= local.date() <= departure.date()
        eve = arrival.date() == local.date() + timedelta(days=1) and local.time() >= EVENING
        return not (on_the_day or eve or urgent)

    def _for_visit(self, visit: Visit, nudges: list[Nudge], now: datetime) -> list[Outgoing]:
        """The host's catch-up list of items already late when the visit was saved, and one message
        per person for the rest."""
        catch_up = [n for n in nudges if n.late]
        outgoing = []
        stamp = stamp_of(now)
        if catch_up:
            host = self.services.access.staff.get(visit.host)
            if host is not None and host.active and host.reachable:
                message = NudgeMessage(visit, catch_up, stamp, catch_up=True)
                outgoing.append(Outgoing(self._send(host, message), tuple(n.id for n in catch_up)))
        per_person: dict[Staff, list[Nudge]] = {}
        roles: dict[Staff, list[Recipient]] = {}
        for nudge in (n for n in nudges if not n.late):
            for person, pass_on in self._woken(self.recipients(visit, nudge), nudge).items():
                per_person.setdefault(person, []).append(nudge)
                roles.setdefault(person, [])
                roles[person] += [role for role in pass_on if role not in roles[person]]
        for person, theirs in per_person.items():
            t = self._translator(person)
            message = NudgeMessage(visit, theirs, stamp, pass_on=[t(ROLE_KEYS[r]) for r in roles[person]],
                                   late_since=self._offline_since(visit, theirs, now))
            outgoing.append(Outgoing(self._send(person, message), tuple(n.id for n in theirs)))
        return outgoing

    @staticmethod
    def _woken(recipients: dict[Staff, list[Recipient]], nudge: Nudge) -> dict[Staff, list[Recipient]]:
        """Who a nudge goes to: after a snooze, whoever asked for it later among its recipients
        (the others of a desk that shares it had it and asked for nothing); everyone when none of
        them holds it any more (they left the desk), so it is not lost."""
        again = {person: roles for person, roles in recipients.items() if person.user_id in nudge.snoozed_by}
        return again or recipients

    def _offline_since(self, visit: Visit, nudges: list[Nudge], now: datetime) -> datetime | None:
        """The due time the message says it is late for, because the bot was offline: the oldest
        item not snoozed (asked for later) that could have gone out more than ``LATE_AFTER`` ago
        (``first_moment`` after its due time: quiet hours and days off hold items on purpose);
        None when there is none."""
        overdue = [n.due for n in nudges if n.snoozed_until is None
                   and now - self.first_moment(visit, n.due) > LATE_AFTER]
        return min(overdue, default=None)

    def first_moment(self, visit: Visit, now: datetime) -> datetime:
        """The first moment from ``now`` at which a message about ``visit`` may go out (``_held``:
        quiet hours, days off), in steps of a quarter of an hour, at most a fortnight ahead."""
        moment = now
        for _ in range(14 * 24 * 4):
            if not self._held(moment, visit):
                return moment
            moment += timedelta(minutes=15)
        return moment

    def withdrawn_notes(self, visit: Visit, nudges: list[Nudge]) -> list[Send]:
        """One note per person who held items now called off (lodging removed, visit cancelled)."""
        held: dict[Staff, list[Nudge]] = {}
        for nudge in nudges:
            for person in self.recipients(visit, nudge):
                held.setdefault(person, []).append(nudge)
        notes = []
        for person, theirs in held.items():
            t = self._translator(person)
            notes.append(Send(person.user_id, t("nudge.withdrawn", number=visit.id, client=visit.client_name,
                                                items=t.join(t(n.key) for n in theirs))))
        return notes

    def holders(self, visit: Visit) -> list[Staff]:
        """Everyone the visit's items are for, done ones included, called-off ones aside: who must
        hear that it moved or is off (the office that booked the room, the desk, the driver)."""
        people: dict[int, Staff] = {}
        for nudge in self.services.nudges.for_visit(visit.id):
            if nudge.state is not NudgeState.CANCELLED:
                people |= {person.user_id: person for person in self.recipients(visit, nudge)}
        return list(people.values())

    def message_for(self, person: Staff, visit: Visit, stamp: int) -> NudgeMessage:
        """The message ``person`` was sent about ``visit`` at ``stamp``, as its items stand now."""
        nudges = [n for n in self.services.nudges.for_visit(visit.id)
                  if n.sent_at is not None and stamp_of(n.sent_at) == stamp
                  and (person.user_id == visit.host if n.late else person in self.recipients(visit, n))]
        return NudgeMessage(visit, nudges, stamp)

    def render(self, person: Staff, message: NudgeMessage) -> tuple[str, Keyboard]:
        staff = self.services.access.staff

        def name_of(user_id: int) -> str:
            found = staff.get(user_id)
            return found.name if found is not None else "—"

        return self.services.nudge_text(self._translator(person), self.services.settings.tz, message, name_of)

    def _send(self, person: Staff, message: NudgeMessage) -> Send:
        text, buttons = self.render(person, message)
        return Send(person.user_id, text, buttons)

    def recipients(self, visit: Visit, nudge: Nudge) -> dict[Staff, list[Recipient]]:
        """Who gets ``nudge``, each with the roles they are asked to pass it on to.

        Office, reception and executive items go to the staff holding that duty (set in /staff),
        the manager's to the host's manager; where nobody holds it, the host gets it to pass on.
        """
        access = self.services.access
        wanted = holders(visit, nudge.recipients, on_duty=access.on_duty(),
                         managers=access.managers_of(visit.host))
        people = {access.staff.get(user_id): roles for user_id, roles in wanted.items()}
        # Someone who blocked the bot is not sent to again (the admins were told once) until they
        # open the bot again, which marks them reachable.
        return {s: roles for s, roles in people.items() if s is not None and s.active and s.reachable}

    def _translator(self, staff: Staff) -> Translator:
        i18n = self.services.i18n
        return i18n.get(staff.locale) if staff.locale else i18n.for_language_code(staff.language_code)


def _moment(nudge: Nudge) -> datetime:
    """When a nudge is to go out: its due time, or the end of its snooze."""
    return nudge.snoozed_until if nudge.snoozed_until is not None else nudge.due
