"""The morning digest: each working day, each person's visits of the day, the items due that day
and the overdue ones; and the day's arrivals for every registered reception group.

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
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from tinydb import Query
from tinydb.table import Table

from bot.clock import Clock
from bot.core.events import Send
from bot.domain.lookups import DayEntry, Item, Viewer, bucket, day_bounds
from bot.domain.policy import Policy
from bot.domain.staff import Staff
from bot.domain.workdays import WorkCalendar
from bot.i18n import I18n, Translator
from bot.repositories.keyed import KeyedDocuments
from bot.repositories.staff import StaffRepository
from bot.services.lookups import LookupService
from bot.views.days import BUCKET_KEYS, Look, Marks, assemble, day_rows, item_rows

WINDOW = timedelta(hours=4)
KEEP_DAYS = 14
# Overdue items the digest lists before "and N more — /mytasks": a morning message is read on a
# phone, and a backlog of a hundred lines hides the day.
MAX_OVERDUE_LINES = 10
# Items of one visit due today listed one by one up to this many; beyond, one line for them all.
TODAY_PER_VISIT = 2  # the log only has to remember today; a fortnight helps whoever reads the file
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

    def record(self, entries: Iterable[tuple[str, bool]], day: date, now: datetime) -> None:
        """Remembers each (key, sent); one write for all of them, then drops what is old."""
        docs = [{"key": key, "day": day.isoformat(), "at": now.isoformat(), "sent": sent}
                for key, sent in entries]
        if docs:
            self._table.insert_multiple(docs)
        oldest = (day - timedelta(days=KEEP_DAYS)).isoformat()
        self._table.remove(Query().day < oldest)


@dataclass(frozen=True)
class Outgoing:
    """One digest and the log key it was recorded under."""

    message: Send
    key: str


class DigestService:
    """Who gets a digest when, what it says, and the record that keeps it to once a day."""

    def __init__(self, lookups: LookupService, *, staff: StaffRepository, preferences: DigestPreferences,
                 log: DigestLog, i18n: I18n, policy: Policy, calendar: WorkCalendar, clock: Clock) -> None:
        self.lookups = lookups
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
        """Every digest due now, recorded as sent; the caller queues them in the outbox."""
        now = self.clock.now()
        local = now.astimezone(self.lookups.tz)
        today = local.date()
        done = self.log.keys_on(today)
        due = [person for person in self.staff.all() if person.active and person.reachable
               and f"u:{person.user_id}:{today}" not in done and self._due(person.user_id, local)]
        groups = [g for g in self.lookups.groups.all() if f"g:{g.chat_id}:{today}" not in done
                  and is_due(local, self.policy.schedule.digest_at, True)]
        if not due and not groups:
            return []
        # Everyone's at once: today's visits and the open items are read once, not once a person.
        end = _end_of(today, self.lookups.tz)
        todays = self.lookups.days(Viewer(None, sees_all=True), today, today, now)
        if not self.calendar.is_working_day(today):
            # A day off: only whoever has a visit today hears from the bot.
            due = [p for p in due if _theirs(todays, p.user_id)]
            groups = groups if todays else []
            if not due and not groups:
                return []
        items = self.lookups.checklists([p.user_id for p in due], now, end, end)
        messages = [(f"u:{p.user_id}:{today}", self._personal(p, _theirs(todays, p.user_id), items[p.user_id],
                                                              now)) for p in due]
        messages += [(f"g:{g.chat_id}:{today}", self._group(g.chat_id, g.locale, now)) for g in groups]
        self.log.record(((key, message is not None) for key, message in messages), today, now)
        return [Outgoing(message, key) for key, message in messages if message is not None]

    def _due(self, user_id: int, local: datetime) -> bool:
        at = self.time_for(user_id)
        return at is not None and is_due(local, at, True)

    def _personal(self, person: Staff, entries: list[DayEntry], items: list[Item],
                  now: datetime) -> Send | None:
        """Today's own visits (``entries``: those the person hosts or is on the team of), then
        overdue items and the items due today; None if all are empty."""
        today = now.astimezone(self.lookups.tz).date()
        if not entries and not items:
            return None
        t = self._translator(person)
        look = self.lookups.look(t)
        marks = self.lookups.marks((e.visit for e in entries), now) if entries else Marks()
        # The day first: its visits and what is due today; then the backlog, cut short.
        overdue = [item for item in items if bucket(item.due, today, self.lookups.tz) == "overdue"]
        todays_items = [item for item in items if item not in overdue]
        rows = day_rows(look, entries, marks, today) + _today_rows(look, todays_items, today)
        rows += item_rows(look, overdue[:MAX_OVERDUE_LINES], today)
        more = len(overdue) - MAX_OVERDUE_LINES
        footer = t.plural("digest.more_overdue", more) if more > 0 else ""
        title = t("digest.personal", name=person.name, date=look.day(today))
        return Send(person.user_id, assemble(t, title, rows, 0, 1, footer=footer))

    def _group(self, chat_id: int, locale: str, now: datetime) -> Send | None:
        """Today's arrivals for the reception team; None when nobody comes."""
        today = self.lookups.today(now)
        entries = self.lookups.days(Viewer(None, group=True), today, today, now)
        if not entries:
            return None
        t = self.i18n.get(locale)
        look = self.lookups.look(t)
        rows = day_rows(look, entries, self.lookups.marks((e.visit for e in entries), now), today)
        return Send(chat_id, assemble(t, t("digest.group"), rows, 0, 1))

    def _translator(self, person: Staff) -> Translator:
        i18n = self.i18n
        return i18n.get(person.locale) if person.locale else i18n.for_language_code(person.language_code)


def _today_rows(look: Look, items: list[Item], today: date) -> list[tuple[str, str]]:
    """Today's items, one line each; a visit with more than ``TODAY_PER_VISIT`` of them gets one
    line saying how many and from when to when (each arrives as its own reminder at its time)."""
    by_visit: dict[int | None, list[Item]] = {}
    for item in items:
        by_visit.setdefault(item.number, []).append(item)
    today_key = BUCKET_KEYS["today"]
    section = look.t(today_key)
    rows: list[tuple[str, str]] = []
    for number, theirs in by_visit.items():
        if number is None or len(theirs) <= TODAY_PER_VISIT:
            rows += item_rows(look, theirs, today)
            continue
        first, last = look.hhmm(theirs[0].due), look.hhmm(theirs[-1].due)
        rows.append((section, look.t.plural("digest.items_today", len(theirs),
                                            when=first if first == last else f"{first}–{last}",
                                            number=number, client=theirs[0].client)))
    return rows


def _theirs(entries: list[DayEntry], user_id: int) -> list[DayEntry]:
    """The entries of the visits ``user_id`` hosts or is on the team of."""
    return [entry for entry in entries if user_id in entry.visit.people]


def _end_of(day: date, tz: tzinfo) -> datetime:
    """The last instant of ``day``: "due today" reaches this far."""
    return day_bounds(day, day, tz)[1] - timedelta(microseconds=1)
