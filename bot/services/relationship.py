"""Keeping clients warm: the contact log, the cadence nudges and the morning greetings digest.

Once a day, at the policy's digest time and outside quiet hours, ``due_messages`` sweeps every
client (the scheduler asks every few seconds; the sweep's record makes all but the first ask of a
day free):

```mermaid
flowchart LR
    tick -->|before digest_at, quiet, or swept today| nothing
    tick --> book[read clients, visits, log once] --> reminders & digests --> record[record, then send]
```

- A client whose class cadence is overdue gets its owner one nudge per overdue period: the period
  is named by the day of the last contact, so only a new contact (a log entry, a visit) starts a
  new one, and "Snooze a week" asks for the same nudge again later. A person gets at most
  ``NUDGES_PER_DAY`` a day, the most overdue first; the day's count is kept in the sweep's record
  with each piece, so a sweep stopped midway and run again the same day keeps to it.
- Each person gets one digest a day listing the occasions of their clients from today to
  ``festival_lead_days`` ahead (festivals, birthdays, company dates) that no earlier digest listed,
  each with a greeting drafted per contact in the contact's language. Listing from today rather
  than exactly the lead day means a day the bot was down is caught up, and a contact added late
  still gets their greeting.

Records come before messages, as with visit nudges (``bot.services.dispatch``): a crash between
the two loses a message rather than repeating it the next time, and a restart or a second tick
never sends a digest twice. The messages go into the outbox (``bot.core.outbox``) in the same
write as the records; it sends them at most once and keeps what a stop left unsent.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.core.callbacks import CallbackData
from bot.core.context import keyboard
from bot.core.events import Button, Send
from bot.domain.clients import Client
from bot.domain.festivals import Festival, FestivalKind, local_name
from bot.domain.policy import Policy
from bot.domain.relationship import (
    Cadence,
    Channel,
    ContactEntry,
    Digest,
    Occasion,
    OccasionKind,
    Reminder,
    Sweep,
    cadence_recipients,
    channel_in,
    digest_id,
    greeting_recipients,
    occasions,
    overdue_days,
    reminder_id,
)
from bot.domain.staff import Role, Staff
from bot.domain.visits import VisitStatus
from bot.domain.workdays import WorkCalendar
from bot.i18n import N_, Html, I18n, Translator, country_names
from bot.repositories.contact_log import ContactLogRepository, RelationshipRecords
from bot.repositories.staff import StaffRepository
from bot.repositories.visits import VisitRepository
from bot.services.clients import ClientService

PREFIX = "log"
"""Callback prefix of the log's buttons, the nudge's included (``bot.handlers.contact_log``)."""


@dataclass(frozen=True)
class LoggedButton(CallbackData, prefix=f"{PREFIX}:n"):
    """``log:n:<client>``: "Logged a contact" on a cadence nudge, and Log on the client card."""

    client: int


@dataclass(frozen=True)
class SnoozeButton(CallbackData, prefix=f"{PREFIX}:z"):
    """``log:z:<reminder>``: "Snooze a week" on a cadence nudge (the reminder's id holds ``:``)."""

    reminder: str


@dataclass(frozen=True)
class ClientPickedButton(CallbackData, prefix=f"{PREFIX}:c"):
    """``log:c:<entry>:<client>``: the client of a log entry, chosen when its name matched several."""

    entry: int
    client: int


@dataclass(frozen=True)
class ChannelButton(CallbackData, prefix=f"{PREFIX}:h"):
    """``log:h:<entry>:<channel>``: how we were in touch."""

    entry: int
    channel: Channel


LOG_BUTTONS = (LoggedButton, SnoozeButton, ClientPickedButton, ChannelButton)
CHOICES = 8
HOSTS_WITHIN = timedelta(days=365)
# Nudges one person gets in one sweep: the first run over an old client list must not flood anyone;
# the most overdue go first, the rest on the following days.
NUDGES_PER_DAY = 5
# A message with the kind and id of the record that says it was sent.
Outgoing = tuple[Send, str, str]
# A reminder due, its client and the cadence in days.
Overdue = tuple[Reminder, Client, int]
# Clients (and reminders) looked at per piece of the sweep: small enough that an update waits little
# (``sweep``); ten times as many visits, a tenth as many greeting digests.
PIECE = 50
# What a sent message's record is (``DueMessage.kind``).
REMINDER, DIGEST = "reminder", "digest"
CADENCE_WORDS = {7: N_("relationship.every.week"), 30: N_("relationship.every.month"),
                 90: N_("relationship.every.quarter"), 180: N_("relationship.every.half_year"),
                 365: N_("relationship.every.year")}
OVERDUE_KEYS = {Cadence.CONTACT: N_("relationship.overdue"),
                Cadence.LEADER: N_("relationship.overdue_leader")}
_F = FestivalKind
FESTIVAL_NAMES = {
    _F.NEW_YEAR: N_("festival.new_year"), _F.SPRING_FESTIVAL: N_("festival.spring_festival"),
    _F.DRAGON_BOAT: N_("festival.dragon_boat"), _F.MID_AUTUMN: N_("festival.mid_autumn"),
    _F.NATIONAL_DAY: N_("festival.national_day"), _F.CHRISTMAS: N_("festival.christmas"),
    _F.THANKSGIVING: N_("festival.thanksgiving"),
}
# One greeting per festival, so no two festivals' messages read alike.
GREETINGS = {
    _F.NEW_YEAR: N_("greet.new_year"), _F.SPRING_FESTIVAL: N_("greet.spring_festival"),
    _F.DRAGON_BOAT: N_("greet.dragon_boat"), _F.MID_AUTUMN: N_("greet.mid_autumn"),
    _F.NATIONAL_DAY: N_("greet.national_day"), _F.CHRISTMAS: N_("greet.christmas"),
    _F.THANKSGIVING: N_("greet.thanksgiving"), _F.OWN_NATIONAL_DAY: N_("greet.own_national_day"),
    _F.FESTIVE: N_("greet.festive"),
}
# A company date's greeting by its kind: with the number of years (plural) and without.
DATE_GREETINGS = {"founding": (N_("greet.founding_years"), N_("greet.founding")),
                  "partnership": (N_("greet.partnership_years"), N_("greet.partnership"))}
OTHER_DATE = (N_("greet.anniversary_years"), N_("greet.anniversary"))


@dataclass
class Book:
    """What one sweep knows about every client, read once: scanning visits per client is quadratic."""

    clients: list[Client]
    admins: list[int]
    last_contact: dict[int, datetime] = field(default_factory=dict)
    last_leader: dict[int, datetime] = field(default_factory=dict)
    latest_host: dict[int, int] = field(default_factory=dict)
    recent_hosts: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))


@dataclass(frozen=True)
class DueMessage:
    """A cadence nudge or a digest to send, with the record that says it was sent (``kind`` names
    the collection: "reminder" or "digest") and the day's sweep it came from."""

    message: Send
    kind: str
    record: str
    sweep: str


class RelationshipService:
    def __init__(self, log: ContactLogRepository, records: RelationshipRecords, *, clients: ClientService,
                 visits: VisitRepository, staff: StaffRepository, policy: Policy, i18n: I18n,
                 tz: tzinfo, calendar: WorkCalendar) -> None:
        self.log_entries = log
        self.calendar = calendar
        self.records = records
        self.clients = clients
        self.visits = visits
        self.staff = staff
        self.policy = policy
        self.i18n = i18n
        self.tz = tz

    # ---- the contact log ----------------------------------------------------------------------

    def find_client(self, text: str) -> tuple[list[Client], str]:
        """The client a /log line starts with, and the note after it.

        The longest start that is a whole client name wins ("华为终端 call" is 华为终端, not 华为),
        and Chinese needs no space after it ("华为打了电话"). Failing that, the first word is
        searched as /client searches (pinyin, initials), which may find several.
        """
        text = " ".join(text.split())
        for end in range(len(text), 0, -1):
            if end == len(text) or text[end] == " " or not text[end - 1].isascii():
                client = self.clients.named(text[:end])
                if client is not None:
                    return [client], text[end:].strip()
        first, _, rest = text.partition(" ")
        return self.clients.search(first, limit=CHOICES), rest

    def last_contact(self, client: Client, now: datetime) -> tuple[datetime | None, int, bool]:
        """When someone from us was last in touch (a visit or a logged contact), the class's
        cadence in days, and whether that cadence is overdue — what the client card shows."""
        moments = [v.arrival for v in self.visits.for_client(client.id)
                   if v.status is not VisitStatus.CANCELLED and v.arrival <= now]
        moments += [e.at for e in self.log_entries.all() if e.client_id == client.id and e.at <= now]
        last = max(moments, default=None)
        try:
            every = self.policy.class_(client.default_class).cadence.contact_days
        except KeyError:
            return last, 0, False
        since = (last or client.created_at).astimezone(self.tz).date()
        return last, every, overdue_days(since, now.astimezone(self.tz).date(), every) is not None

    def log(self, client_id: int | None, by: int, at: datetime, note: str = "") -> ContactEntry:
        """Records a contact; how it happened is read from the note when it says ("打了电话")."""
        entry = ContactEntry(self.log_entries.next_id(), client_id, by, at, channel_in(note), note.strip())
        return self.log_entries.save(entry)

    def entries(self) -> list[ContactEntry]:
        """Every contact logged (a call, a message, a meeting...)."""
        return self.log_entries.all()

    def entry(self, entry_id: int) -> ContactEntry | None:
        return self.log_entries.get(entry_id)

    def complete(self, entry: ContactEntry, *, client_id: int | None = None,
                 channel: Channel | None = None) -> ContactEntry:
        """Fills in the client picked from a list, or how we were in touch."""
        return self.log_entries.save(replace(entry, client_id=client_id or entry.client_id,
                                             channel=channel or entry.channel))

    def snooze(self, record_id: str, until: datetime) -> Reminder | None:
        """Asks for the same nudge again at the first sweep after ``until``."""
        reminder = self.records.reminders.get(record_id)
        if reminder is None:
            return None
        return self.records.reminders.save(replace(reminder, snoozed_until=until))

    # ---- the daily sweep ----------------------------------------------------------------------

    def due_messages(self, now: datetime) -> list[DueMessage]:
        """Today's cadence nudges and greeting digests, recorded as sent; [] until the digest time,
        in quiet hours, on a day off (the next working day's sweep lists what came up meanwhile),
        and once today's sweep is done. All at once: the scheduler goes a slice at a time (``sweep``)."""
        return [message for piece in self.sweep(now) for message in piece]

    def sweep(self, now: datetime) -> Iterator[list[DueMessage]]:
        """``due_messages`` in short pieces, every piece recording what it decided
        (``bot.core.slices.Pieces``: in one turn of the core it held everybody up for seconds). What the
        first pieces read (``Book``) is kept for the later ones; a stop between two pieces loses
        nothing, the next sweep sends what was not recorded."""
        local = now.astimezone(self.tz)
        schedule, sweep = self.policy.schedule, local.date().isoformat()
        if local.time() < schedule.digest_at or schedule.is_quiet(local.time()):
            return
        if not self.calendar.is_working_day(local.date()):
            return
        progress = self.records.sweeps.get(sweep)
        if progress is not None and progress.done:
            return
        nudged = dict(progress.nudged) if progress is not None else {}
        book = yield from self._book(now)
        for piece in self._reminders(book, now, sweep, nudged):
            yield [DueMessage(message, kind, record, sweep) for message, kind, record in piece]
        for piece in self._digests(book, now):
            yield [DueMessage(message, kind, record, sweep) for message, kind, record in piece]
        self.records.sweeps.save(Sweep(sweep, now, nudged))
        yield []

    def _book(self, now: datetime) -> Generator[list[DueMessage], None, Book]:
        """What the sweep knows of every client, read a piece at a time (yielding nothing between)."""
        admins = [s.user_id for s in self.staff.all() if s.active and s.role is Role.ADMIN]
        book = Book([], admins)
        for clients in self.clients.clients.pieces(PIECE):
            book.clients += clients
            yield []
        latest: dict[int, datetime] = {}
        # From the visits' index, not the visits: decoding 25,000 of them took a second.
        rows = self.visits.rows()
        for start in range(0, len(rows), PIECE * 10):
            for row in rows[start:start + PIECE * 10]:
                if row.cancelled:
                    continue
                client, arrival = row.client_id, datetime.fromtimestamp(row.arrival, UTC)
                if arrival <= now:
                    _later(book.last_contact, client, arrival)
                    if row.with_executives:
                        _later(book.last_leader, client, arrival)
                if arrival >= now - HOSTS_WITHIN:
                    book.recent_hosts[client].append(row.host)
                if client not in latest or arrival > latest[client]:
                    latest[client], book.latest_host[client] = arrival, row.host
            yield []
        for entries in self.log_entries.pieces(PIECE):
            for entry in entries:
                if entry.client_id is not None and entry.at <= now:
                    _later(book.last_contact, entry.client_id, entry.at)
                    if entry.channel is Channel.LEADER:
                        _later(book.last_leader, entry.client_id, entry.at)
            yield []
        return book

    def _active(self, user_id: int) -> bool:
        person = self.staff.get(user_id)
        return person is not None and person.active

    # ---- cadence nudges -----------------------------------------------------------------------

    def _reminders(self, book: Book, now: datetime, sweep: str,
                   sent: dict[int, int]) -> Iterator[list[Outgoing]]:
        """The cadence nudges, at most ``NUDGES_PER_DAY`` a person: ``sent`` counts what today's
        sweep ``sweep`` sent each person before (a pass stopped midway) and goes on counting."""
        today = now.astimezone(self.tz).date()
        overdue = yield from self._overdue(book, now)
        for start in range(0, len(overdue), PIECE):
            messages: list[Outgoing] = []
            recorded: list[Reminder] = []
            for reminder, client, every in overdue[start:start + PIECE]:
                people = [p for p in cadence_recipients(client, book.latest_host.get(client.id), book.admins,
                                                        self._active) if sent.get(p, 0) < NUDGES_PER_DAY]
                if not people:
                    continue
                recorded.append(replace(reminder, to=people[0]))
                for person in people:
                    sent[person] = sent.get(person, 0) + 1
                    messages.append((self._nudge(person, reminder, client, every, today), REMINDER,
                                     reminder.id))
            self.records.reminders.save_all(recorded)  # a piece at once: thousands on a first sweep
            if recorded:
                # The day's count so far, in the write that queues these nudges: a restart after it
                # goes on from here, not from nought.
                self.records.sweeps.save(Sweep(sweep, now, dict(sent), done=False))
            yield messages

    def _overdue(self, book: Book, now: datetime) -> Generator[list[Outgoing], None, list[Overdue]]:
        """Reminders to send, most overdue first: a new overdue period, or a snooze that ran out
        (found a piece of the clients at a time, yielding nothing between)."""
        today = now.astimezone(self.tz).date()
        due: list[tuple[int, Reminder, Client, int]] = []
        for number, client in enumerate(book.clients, 1):
            if number % PIECE == 0:
                yield []
            try:
                rhythm = self.policy.class_(client.default_class).cadence
            except KeyError:  # a class the policy no longer has: no cadence to keep
                continue
            for cadence, every, last in ((Cadence.CONTACT, rhythm.contact_days, book.last_contact),
                                         (Cadence.LEADER, rhythm.leader_visit_days, book.last_leader)):
                since = last.get(client.id, client.created_at).astimezone(self.tz).date()
                days = overdue_days(since, today, every)
                if days is None:
                    continue
                record_id = reminder_id(client.id, cadence, since)
                record = self.records.reminders.get(record_id)
                if record is None or (record.snoozed_until is not None and record.snoozed_until <= now):
                    reminder = Reminder(record_id, client.id, cadence, since, to=0, sent_at=now)
                    due.append((days - every, reminder, client, every))
        return [(reminder, client, every) for _, reminder, client, every in sorted(due, key=lambda d: -d[0])]

    def _nudge(self, person: int, reminder: Reminder, client: Client, every: int, today: date) -> Send:
        t = self._translator(self.staff.get(person))
        days = (today - reminder.since).days
        text = t.plural(OVERDUE_KEYS[reminder.cadence], days, client=client.name,
                        class_id=client.default_class, cadence=cadence_word(t, every))
        buttons = keyboard([Button(t("relationship.button.logged"), LoggedButton(client.id).pack()),
                            Button(t("relationship.button.snooze"), SnoozeButton(reminder.id).pack())])
        return Send(person, text, buttons)

    # ---- greeting digests ---------------------------------------------------------------------

    def _digests(self, book: Book, now: datetime) -> Iterator[list[Outgoing]]:
        today = now.astimezone(self.tz).date()
        lead = self.policy.relationship.festival_lead_days
        per_person: dict[int, list[Occasion]] = defaultdict(list)
        for number, client in enumerate(book.clients, 1):
            if number % PIECE == 0:
                yield []
            contacts = self.clients.contacts(client.id)
            found = occasions(client, contacts, today, today + timedelta(days=lead)) if contacts else []
            if found:
                for person in greeting_recipients(client, book.recent_hosts.get(client.id, ()),
                                                  book.latest_host.get(client.id), book.admins, self._active):
                    per_person[person] += found
        people = list(per_person.items())
        for start in range(0, len(people), PIECE // 10):
            messages: list[Outgoing] = []
            recorded: list[Digest] = []
            for person, found in people[start:start + PIECE // 10]:
                listed = self._listed(person, today, lead)
                fresh = sorted((o for o in found if o.key not in listed), key=lambda o: (o.day, _group(o)))
                if fresh:
                    keys = tuple(o.key for o in fresh)
                    record = Digest(digest_id(person, today), person, today, keys, now)
                    recorded.append(record)
                    t = self._translator(self.staff.get(person))
                    text = self._render(t, fresh, lead, today.year)
                    messages.append((Send(person, text), DIGEST, record.id))
            self.records.digests.save_all(recorded)
            yield messages

    def _listed(self, person: int, today: date, lead: int) -> set[str]:
        """Occasions an earlier digest in the lead window listed already (and today's, if any)."""
        keys: set[str] = set()
        for back in range(lead + 1):
            digest = self.records.digests.get(digest_id(person, today - timedelta(days=back)))
            keys.update(digest.occasions if digest else ())
        return keys

    def _render(self, t: Translator, found: list[Occasion], lead: int, this_year: int) -> str:
        """The digest: occasions by day under one heading each, a draft per contact. Delivery splits
        a long one into several messages."""
        lines = [t.plural("relationship.digest.header", lead)]
        group = None
        for occasion in found:
            if _group(occasion) != group:
                group = _group(occasion)
                lines += ["", self._heading(t, occasion, this_year)]
            lines += [t("relationship.digest.to", client=occasion.client.name,
                        name=ClientService.greeting_name(occasion.contact, t.locale)),
                      t("relationship.digest.draft", draft=Html(self.draft(occasion)))]
        return "\n".join(lines)

    def _heading(self, t: Translator, occasion: Occasion, this_year: int) -> str:
        # 元旦 told in December is shown with its year.
        day = t.format_date(occasion.day, this_year, N_("format.date"))
        if occasion.festival is not None:
            name = Html(festival_name(t, occasion.festival))
            return t("relationship.digest.festival", festival=name, day=day)
        if occasion.kind is OccasionKind.BIRTHDAY:
            return t("relationship.digest.birthday", day=day)
        label = occasion.important.label if occasion.important else ""
        if occasion.years:
            return t.plural("relationship.digest.date_years", occasion.years, client=occasion.client.name,
                            label=label, day=day)
        return t("relationship.digest.date", client=occasion.client.name, label=label, day=day)

    def draft(self, occasion: Occasion) -> str:
        """A short greeting for the contact, in their language, addressed as the host would."""
        t = self.i18n.get(occasion.contact.language)
        name = ClientService.greeting_name(occasion.contact, t.locale)
        festival, important = occasion.festival, occasion.important
        if festival is not None:
            return t(GREETINGS[festival.kind], name=name, festival=local_name(festival, t.locale))
        if important is None:
            return t("greet.birthday", name=name)
        with_years, without = DATE_GREETINGS.get(important.kind, OTHER_DATE)
        if occasion.years:
            return t.plural(with_years, occasion.years, name=name, label=important.label)
        return t(without, name=name, label=important.label)

    def _translator(self, staff: Staff | None) -> Translator:
        if staff is not None and staff.locale:
            return self.i18n.get(staff.locale)
        return self.i18n.for_language_code(staff.language_code if staff else None)


def cadence_word(t: Translator, every: int) -> str:
    """"monthly", "quarterly", or "every 45 days"."""
    key = CADENCE_WORDS.get(every)
    return t(key) if key else t.plural("relationship.every.days", every)


def festival_name(t: Translator, festival: Festival) -> str:
    """The festival as the reader calls it: 中秋节; a foreign one by its own name and country."""
    key = FESTIVAL_NAMES.get(festival.kind)
    if key is not None:
        return t(key)
    return t("festival.abroad", festival=local_name(festival, t.locale),
             country=country_name(festival.country, t.locale))


def country_name(code: str, locale: str) -> str:
    return country_names(locale).get(code.upper(), code)


def _group(occasion: Occasion) -> str:
    """Occasions listed under one heading: a festival, the birthdays of a day, a company date."""
    return occasion.key.rsplit(":", 1)[0]


def _later(latest: dict[int, datetime], client_id: int, at: datetime) -> None:
    if client_id not in latest or at > latest[client_id]:
        latest[client_id] = at

