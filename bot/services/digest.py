"""The morning digest: each working day, each person's visits of the day, the visits awaiting their
approval (``ApprovalService.waiting``), the items due that day and the overdue ones; and the day's
arrivals for every registered reception group.

When: at the policy's ``schedule.digest_at`` (08:30) in the company zone, or the time a person
chose with ``/digest HH:MM``; on a day off (weekends and public holidays, with the make-up working
days of 调休, from the ``WorkCalendar``) only for whoever has a visit that day; never for someone
who turned it off. A digest
that could not go out at its time (the bot was down) still goes out up to ``WINDOW`` later, and
after that not at all: a "good morning" at 16:00 would only be noise.

Once: every (person, day) and (group, day) is recorded in the table "digests" when the message is
queued in the outbox (``bot.core.outbox``), like the nudges, so a restart or a second tick never
repeats it; the outbox retries a delivery that failed for a passing reason. A person with nothing
today gets no message (recorded all the same): a daily "nothing today" would teach people to skip
the digest on the days it matters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from tinydb import Query
from tinydb.table import Table

from bot.clock import Clock
from bot.core.events import Send
from bot.core.slices import UNLIMITED, Batch, Budget
from bot.domain.lookups import DayEntry, Item, ReceptionGroup, Viewer, day_bounds
from bot.domain.policy import Policy
from bot.domain.staff import Staff
from bot.domain.workdays import WorkCalendar
from bot.i18n import I18n, Translator
from bot.repositories.keyed import KeyedDocuments
from bot.repositories.nudges import OpenNudge
from bot.repositories.staff import StaffRepository
from bot.services.approval import AHEAD, ApprovalService, Pending
from bot.services.lookups import Holdings, LookupService

WINDOW = timedelta(hours=4)
KEEP_DAYS = 14  # the log only has to remember today; a fortnight helps whoever reads the file
_CLOCK_TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$")


@dataclass(frozen=True)
class DigestPreference:
    """A person's choice: their own time (None: the company's), or no digest at all."""

    user_id: int
    at: time | None = None
    off: bool = False


def digest_time(preference: DigestPreference | None, default: time) -> time | None:
    """When this person's digest is due; None when they turned it off."""
    if preference is None:
        return default
    return None if preference.off else preference.at or default


def is_due(now: datetime, at: time, working_day: bool) -> bool:
    """Whether a digest for ``at`` goes out at ``now`` (company-local): on a working day, from
    ``at`` until ``WINDOW`` later."""
    start = datetime.combine(now.date(), at, tzinfo=now.tzinfo)
    return working_day and start <= now < start + WINDOW


def read_clock_time(text: str) -> time | None:
    """``08:30``, ``8:30``, ``8.30`` or ``８：３０`` (a Chinese keyboard's) as a time of day."""
    match = _CLOCK_TIME.match(unicodedata.normalize("NFKC", text).strip())
    return time(int(match[1]), int(match[2])) if match else None


class DigestPreferences(KeyedDocuments[DigestPreference]):
    """Choices by user id (the document id), in the TinyDB table "digest_prefs"."""

    def __init__(self, table: Table) -> None:
        super().__init__(table, DigestPreference, lambda preference: preference.user_id)


class DigestLog:
    """What went out on which day, in the TinyDB table "digests": one document per (who, day)."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def keys_on(self, day: date) -> set[str]:
        return {str(doc["key"]) for doc in self._table.all() if doc.get("day") == day.isoformat()}

    def record(self, entries: Iterable[tuple[str, bool]], day: date, now: datetime, *,
               prune: bool = True) -> None:
        """Remembers each (key, sent); one write for all of them, then (``prune``) drops what is old."""
        docs = [{"key": key, "day": day.isoformat(), "at": now.isoformat(), "sent": sent}
                for key, sent in entries]
        if docs:
            self._table.insert_multiple(docs)
        if prune:
            oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
            self._table.remove(Query().day < oldest)


class DigestRun:
    """One round of the digests due now, a slice of the core at a time (``bot.core.slices``): the
    first slice reads who is due and today's visits, the next ones gather everyone's open items from
    the index a batch at a time, then each slice writes some people's digests and records them in the
    log, in the same write as the outbox gets them. What the first slices read is kept for the later
    ones, not read again (an item ticked off in between may still be listed: it was open at 08:30).
    A stop between slices loses nothing: whoever is not recorded yet gets theirs at the next run."""

    # Index entries gathered, and visits awaiting approval shared out, between two looks at the
    # budget (a small part of a slice).
    GATHER = 500
    SHARE = 50

    def __init__(self, service: DigestService) -> None:
        self._service = service
        self.outgoing: list[Outgoing] = []  # everything this run produced, for ``due_messages``
        self._started = False
        self._entries: list[OpenNudge] = []
        self._gathered = 0
        self._holdings: Holdings | None = None
        self._people: list[Staff] = []
        self._groups: list[ReceptionGroup] = []
        self._pruned = False
        # Read by the first slice: the moment of the round, its day, each person's visits of the day
        # and the day's arrivals (the groups').
        self._now: datetime
        self._today: date
        self._theirs: dict[int, list[DayEntry]] = {}
        self._arrivals: list[DayEntry] = []
        self._awaiting: dict[int, list[Pending]] = {}  # each approver's visits waiting for them
        # The visits waiting for an answer (from the visit index, by the first slice), handed to their
        # approvers a batch at a time: where no department head is set, every manager approves every
        # visit, tens of thousands of lines to share out.
        self._waiting: list[Pending] = []
        self._shared = 0
        self._approvers: dict[tuple[int, str], list[int]] = {}  # by host and step

    def step(self, budget: Budget) -> Batch:
        """One slice: as much of what is left as ``budget`` allows, and at least one piece of it (who
        is due, a batch of the index, the lists, one person's digest); ``more`` while anything is
        left."""
        worked = False
        if not self._started:
            self._start()
            worked = True
        if self._holdings is not None:
            # A batch of the open items and one of the visits awaiting approval to a piece.
            while self._lists_left() and (budget.left() or not worked):
                self._holdings.add(self._entries[self._gathered:self._gathered + self.GATHER])
                self._gathered += self.GATHER
                self._share(self._waiting[self._shared:self._shared + self.SHARE])
                self._shared += self.SHARE
                worked = True
            if self._lists_left():
                return Batch([], more=True)
        messages: list[tuple[str, Send | None]] = []
        service, now, today = self._service, self._now, self._today
        while self._people and (budget.left() or not worked):
            person = self._people.pop(0)
            items = self._holdings.list_of(person.user_id) if self._holdings is not None else []
            messages.append((f"u:{person.user_id}:{today}",
                             service._personal(person, self._theirs.get(person.user_id, []), items,
                                               self._awaiting.get(person.user_id, []), now)))
            worked = True
        if not self._people:
            messages += [(f"g:{g.chat_id}:{today}", service._group(g.chat_id, g.locale, self._arrivals, now))
                         for g in self._groups]
            self._groups = []
        if messages:
            service.log.record(((key, message is not None) for key, message in messages), today, now,
                               prune=not self._pruned)
            self._pruned = True
        found = [Outgoing(message, key) for key, message in messages if message is not None]
        self.outgoing += found
        return Batch([item.message for item in found], more=bool(self._people))

    def _lists_left(self) -> bool:
        return self._gathered < len(self._entries) or self._shared < len(self._waiting)

    def _share(self, waiting: list[Pending]) -> None:
        """Each of ``waiting`` in its approvers' lists."""
        approvals, approvers = self._service.approvals, self._approvers
        for pending in waiting:
            key = (pending.host, pending.step)
            if key not in approvers:
                approvers[key] = [p.user_id for p in approvals.approvers_of(pending.host, pending.step)]
            for user_id in approvers[key]:
                self._awaiting.setdefault(user_id, []).append(pending)

    def _start(self) -> None:
        """Who is due, today's visits, and the open items to gather (nothing when nobody is due)."""
        self._started = True
        service = self._service
        lookups = service.lookups
        self._now = now = service.clock.now()
        local = now.astimezone(lookups.tz)
        self._today = today = local.date()
        done = service.log.keys_on(today)
        due = [person for person in service.staff.all() if person.active and person.reachable
               and f"u:{person.user_id}:{today}" not in done and service._due(person.user_id, local)]
        groups = [g for g in lookups.groups.all() if f"g:{g.chat_id}:{today}" not in done
                  and is_due(local, service.policy.schedule.digest_at, True)]
        if not due and not groups:
            return
        # Everyone's at once: today's visits and the open items are read once, not once a person.
        todays = lookups.days(Viewer(None, sees_all=True), today, today, now)
        for entry in todays:
            for user_id in entry.visit.people:
                self._theirs.setdefault(user_id, []).append(entry)
        if not service.calendar.is_working_day(today):
            # A day off: only whoever has a visit today hears from the bot.
            due = [p for p in due if p.user_id in self._theirs]
            groups = groups if todays else []
        if groups:
            self._arrivals = lookups.days(Viewer(None, group=True), today, today, now)
        self._people, self._groups = due, groups
        if due:
            self._waiting = service.approvals.waiting(now, now + AHEAD)
            end = _end_of(today, lookups.tz)
            # A shared item a colleague put off is told of in the first digest after their snooze
            # ends (the desk hears once who has it: a "tomorrow morning" snooze ends at this time),
            # then only /mytasks lists it.
            since = datetime.combine(service.calendar.at_or_before(today - timedelta(days=1)),
                                     service.policy.schedule.digest_at, tzinfo=lookups.tz)
            self._holdings = Holdings(lookups, [p.user_id for p in due], now, end, put_off_since=since)
            self._entries = lookups.nudges.open_entries(end)


class DigestText(Protocol):
    """What a digest says (``bot.views.digest.DigestView``): the service decides who gets one."""

    def personal(self, t: Translator, person: Staff, entries: list[DayEntry], items: list[Item],
                 now: datetime, *, awaiting: Sequence[Pending] = ()) -> str: ...

    def group(self, t: Translator, entries: list[DayEntry], now: datetime) -> str: ...


@dataclass(frozen=True)
class Outgoing:
    """One digest and the log key it was recorded under."""

    message: Send
    key: str


class DigestService:
    """Who gets a digest when, what it says, and the record that keeps it to once a day."""

    def __init__(self, lookups: LookupService, text: DigestText, *, staff: StaffRepository,
                 preferences: DigestPreferences, log: DigestLog, i18n: I18n, policy: Policy,
                 calendar: WorkCalendar, clock: Clock, approvals: ApprovalService) -> None:
        self.lookups = lookups
        self.approvals = approvals
        self.text = text
        self.staff = staff
        self.preferences = preferences
        self.log = log
        self.i18n = i18n
        self.policy = policy
        self.calendar = calendar
        self.clock = clock

    # ---- choices --------------------------------------------------------------------------------

    def time_for(self, user_id: int) -> time | None:
        return digest_time(self.preferences.get(user_id), self.policy.schedule.digest_at)

    def choose(self, user_id: int, at: time | None, *, off: bool = False) -> DigestPreference:
        """Stores a person's time (None: the company's) or turns their digest off."""
        return self.preferences.save(DigestPreference(user_id, at, off))

    # ---- sending --------------------------------------------------------------------------------

    def due_messages(self) -> list[Outgoing]:
        """Every digest due now, recorded as sent; the caller queues them in the outbox. All at once:
        the scheduler goes a slice at a time (``DigestRun``)."""
        run = DigestRun(self)
        while run.step(UNLIMITED).more:
            pass
        return run.outgoing

    def _due(self, user_id: int, local: datetime) -> bool:
        at = self.time_for(user_id)
        return at is not None and is_due(local, at, True)

    def _personal(self, person: Staff, entries: list[DayEntry], items: list[Item],
                  awaiting: Sequence[Pending], now: datetime) -> Send | None:
        """Today's own visits (``entries``: those the person hosts or is on the team of), the visits
        awaiting their approval, then overdue items and the items due today; None if all are empty."""
        if not entries and not items and not awaiting:
            return None
        return Send(person.user_id, self.text.personal(self._translator(person), person, entries, items,
                                                       now, awaiting=awaiting))

    def _group(self, chat_id: int, locale: str, entries: list[DayEntry], now: datetime) -> Send | None:
        """Today's arrivals for the reception team (``entries``); None when nobody comes."""
        if not entries:
            return None
        return Send(chat_id, self.text.group(self.i18n.get(locale), entries, now))

    def _translator(self, person: Staff) -> Translator:
        i18n = self.i18n
        return i18n.get(person.locale) if person.locale else i18n.for_language_code(person.language_code)


def _end_of(day: date, tz: tzinfo) -> datetime:
    """The last instant of ``day``: "due today" reaches this far."""
    return day_bounds(day, day, tz)[1] - timedelta(microseconds=1)
