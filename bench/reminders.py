"""``python -m bench.reminders``: a month of reminders in a 200-person company, against issue 16's
promises.

A seeded company (``Company``, names from ``bench.generate``): 200 people (an admin, department
heads, three executives, the office, the reception desk, drivers, forty hosts of whom some host far
more than others, and everyone else as team members; a few chose their own digest time or none),
120 clients with contacts (some birthdays), and about three visits
a working day (an occasional one on a weekend) of classes A-D with the options such visits have:
banners, flights met at the airport, hotel nights, meals, tours, executives. Most visits are saved
two days to two weeks ahead, some at a few hours' notice; a few are moved or cancelled; two in three
are debriefed (as the debrief flow saves one) within two days after they end. Everything goes
through the real services on a real ``Database`` in a temporary directory (``bootstrap.build``
with a ``FixedClock``), nothing through Telegram.

The clock runs minute by minute from a two-week lead-in (so the month starts with visits already
planned, as a company's would) to the month's end. Each minute does what the scheduler does
(``bot/scheduling.py``, ``bot/core/runner.py``), every delivery succeeding: the due nudges
(``NudgeSender.due_messages``), the relationship sweep, every five minutes of the
digests' window the morning digests, and every ten minutes the escalations, each in one
``Database.unit`` as the runner does. People act on what they receive through the real buttons
(``Dispatcher.handle``): three in five press Done on each item within the hour (the next morning
for an evening message), the others now and then press "in an hour" and otherwise never.

Every push is recorded (who, when, text, kind, the visits it is about) and the figures are taken
over the month (the lead-in is not counted):

- pushes per person per working day: median, p95 and max over every person and working day, and
  over the person-days on which someone got anything;
- pushes on a day off not about that day's visits (target 0): a nudge or escalation none of whose
  visits takes place that day (or arrives the next day, for a message from 17:00), a digest to
  someone with no visit that day, any relationship message;
- items listed as overdue more than one working day after their visit ended that are not after-visit
  items (target 0): checked on every digest (the lines it shows, from the same lookup the digest
  made) and on each person's ``/mytasks`` at 14:00 every working day;
- the longest morning digest in lines (target ≤ 25);
- messages for one class A visit with everything on the form ticked, before and after the change
  (``bench/reminder_visit.py``, run once with this tree's ``bot`` and once with commit 22626cc's).

Besides, what else a person would notice: nudges sent over 30 minutes after due, pickup
reminders sent once the guests had landed, an item sent again to someone who had it (after their
own "in an hour", someone else's, or otherwise), a snooze that moved items of other messages.

Each target's ``met`` is computed here from the figure, never by rounding. The figures go to
``bench/results.json`` under "reminders" (other keys kept) and a table to standard output.
``python -m bench.reminders [--people 200] [--first 2026-10-01] [--days 31] [--seed 1]
[--no-before]``; ``simulate(Scale(...))`` runs any other size (the tests run two weeks of 40 people).
"""

from __future__ import annotations

import argparse
import heapq
import json
import logging
import math
import os
import random
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time as timer
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from io import BytesIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.generate import _client_name, _name
from bot import bootstrap
from bot.clock import FixedClock
from bot.core.dispatcher import Dispatcher
from bot.core.events import Event, Outcome, Send, User
from bot.domain.debriefs import Debrief
from bot.domain.debriefs import Outcome as DealOutcome
from bot.domain.lookups import Item, bucket, day_bounds
from bot.domain.nudges import Nudge, NudgeState
from bot.domain.staff import Duty, Role, Staff
from bot.domain.tasks import OpenItem
from bot.domain.visits import Lodging, Meals, Travel, Visit, VisitStatus
from bot.domain.workdays import WorkCalendar
from bot.services.digest import WINDOW
from bot.services.dispatch import NudgeSender
from bot.settings import load_settings
from bot.storage import Database
from bot.views.digest import MAX_OVERDUE_LINES

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
TZ = ZoneInfo("Asia/Shanghai")
WEEKEND_VISIT = 0.15  # chance of one visit on a day off (an audit, a guest passing through)
ESCALATE_EVERY = 10  # minutes, as the scheduler
# The digests are asked for every five minutes in their window: every digest time is on the minute
# grid of five, and the first ask at a digest time sends all of that time's digests.
DIGEST_EVERY = 5
TICKERS = 0.6  # share of people who press Done on what they receive
SNOOZERS = 0.1  # share of the others' messages answered with "in an hour"
DEBRIEFED = 0.65
CANCELLED = 0.04
MOVED = 0.05
SHORT_NOTICE = 0.12
MYTASKS_AT = time(14, 0)
# A day off: a message from this hour may be about the next day's visit (the issue's "the next
# morning, for the evening before").
EVENING = time(17, 0)
# The commit before the reminder rules of issue 16 (c14ed66), for "before".
BEFORE_COMMIT = "22626cc"
# Targets (issue 16, "Measure it").
OFF_DAY_TARGET, STALE_TARGET, DIGEST_LINES_TARGET = 0, 0, 25
CLASSES = ("A", "B", "C", "D")
CLASS_WEIGHTS = (0.10, 0.20, 0.45, 0.25)
LODGING = {"A": 0.5, "B": 0.25, "C": 0.08, "D": 0.0}
BANNER = {"A": 1.0, "B": 0.4, "C": 0.15, "D": 0.0}
EXECUTIVES = ("president", "general_manager", "vice_president")


# ---- the company -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    """What is simulated. The default: October 2026 (the National Day week off, 1-7 October, and a
    make-up working Saturday, 10 October) in a 200-person company, minute by minute."""

    people: int = 200
    clients: int = 120
    first: date = date(2026, 10, 1)
    days: int = 31
    lead_in: timedelta = timedelta(days=14)
    visits_per_working_day: float = 3.0
    step: timedelta = timedelta(minutes=1)
    seed: int = 1

    @property
    def last(self) -> date:
        return self.first + timedelta(days=self.days - 1)


@dataclass(frozen=True)
class PlannedVisit:
    """A visit as the company will save it, and what happens to it afterwards."""

    visit: Visit  # id 0: the number is given when it is saved; client_id: the index in ``clients``
    saved_at: datetime
    cancel_at: datetime | None = None
    move_at: datetime | None = None
    move_by: timedelta = timedelta(0)
    debrief_at: datetime | None = None


@dataclass
class Company:
    """Who works there, their habits, their clients and the visits they will save."""

    staff: list[Staff]
    hosts: list[int]
    host_weights: list[float]
    others: list[int]
    drivers: list[int]
    tickers: set[int]
    digest_times: dict[int, time | None]  # a person's own digest time, None: turned off
    clients: list[tuple[str, str, str, datetime]]  # name, country, class, created
    birthdays: dict[int, list[date | None]]  # client index: its contacts' birthdays
    visits: list[PlannedVisit] = field(default_factory=list)


def company(rng: random.Random, scale: Scale, begin: datetime, calendar: WorkCalendar) -> Company:
    """The people, clients and visits of a company of ``scale.people`` (seeded by ``rng``)."""
    people = scale.people
    joined = begin - timedelta(days=900)
    staff: list[Staff] = [Staff(1, "管理员", Role.ADMIN, joined, locale="zh_Hans", language_code="zh-hans")]
    heads = max(people // 14, 2)
    ids = list(range(1001, 1001 + people - 1))
    head_ids, rest = ids[:heads], ids[heads:]
    executive_ids, rest = rest[:3], rest[3:]
    office, reception, drivers, rest = rest[:2], rest[2:4], rest[4:8], rest[8:]
    hosts = rest[: max(people // 5, 3)]
    for user_id in ids:
        english = rng.random() < 0.05
        locale = "en" if english else ("zh_Hant" if rng.random() < 0.05 else "zh_Hans")
        duties: tuple[Duty, ...] = ()
        if user_id in executive_ids:
            duties = (Duty.EXECUTIVE,)
        elif user_id in office:
            duties = (Duty.OFFICE,)
        elif user_id in reception:
            duties = (Duty.RECEPTION,)
        role = Role.MANAGER if user_id in head_ids or user_id in executive_ids else Role.STAFF
        manager = rng.choice(head_ids) if role is Role.STAFF else None
        staff.append(Staff(user_id, _name(rng, english), role, joined + timedelta(days=rng.randrange(800)),
                           username=f"u{user_id}", locale=locale,
                           language_code=locale.lower().replace("_", "-"), duties=duties, manager_id=manager))
    others = [s.user_id for s in staff if s.user_id not in hosts and s.user_id != 1]
    digest_times: dict[int, time | None] = {}
    for person in staff:
        roll = rng.random()
        if roll < 0.04:
            digest_times[person.user_id] = None
        elif roll < 0.10:
            digest_times[person.user_id] = rng.choice((time(7, 45), time(9, 0), time(9, 30)))
    client_list = []
    birthdays: dict[int, list[date | None]] = {}
    for i in range(1, scale.clients + 1):
        name, country = _client_name(rng, i)
        client_list.append((name, country, rng.choices(CLASSES, CLASS_WEIGHTS)[0],
                            begin - timedelta(days=rng.randrange(20, 700))))
        birthdays[i - 1] = [date(1965 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 29))
                            if rng.random() < 0.3 else None for _ in range(rng.randrange(1, 4))]
    tickers = {s.user_id for s in staff if rng.random() < TICKERS}
    # A few hosts receive most visits (the key accounts' managers).
    weights = [1 / (k + 1) ** 0.7 for k in range(len(hosts))]
    found = Company(staff, hosts, weights, others, drivers, tickers, digest_times, client_list, birthdays)
    found.visits = _visits(rng, found, scale, begin, calendar)
    return found


def _visits(rng: random.Random, found: Company, scale: Scale, begin: datetime,
            calendar: WorkCalendar) -> list[PlannedVisit]:
    """About ``scale.visits_per_working_day`` arrivals a working day from three days into the
    lead-in to two weeks after the month (those saved within it), by the order they are saved."""
    planned = []
    last_saved = datetime.combine(scale.last, time(23, 59), tzinfo=TZ)
    day = begin.date() + timedelta(days=3)
    while day <= scale.last + timedelta(days=14):
        working = calendar.is_working_day(day)
        count = _poisson(rng, scale.visits_per_working_day) if working else int(rng.random() < WEEKEND_VISIT)
        for _ in range(count):
            found_visit = _one_visit(rng, found, day, begin, calendar)
            if found_visit.saved_at <= last_saved:
                planned.append(found_visit)
        day += timedelta(days=1)
    return sorted(planned, key=lambda p: p.saved_at)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _one_visit(rng: random.Random, found: Company, day: date, begin: datetime,
               calendar: WorkCalendar) -> PlannedVisit:
    class_id = rng.choices(CLASSES, CLASS_WEIGHTS)[0]
    top = class_id in "AB"
    arrival = datetime.combine(day, time(rng.randrange(9, 16), rng.choice((0, 30))), tzinfo=TZ)
    hours = rng.uniform(4, 8) if top else rng.uniform(1.5, 4)
    departure = min(arrival + timedelta(minutes=round(hours * 2) * 30),
                    datetime.combine(day, time(20), tzinfo=TZ))
    lodging = None
    if rng.random() < LODGING[class_id]:
        if rng.random() < 0.3:  # a two-day visit
            departure = datetime.combine(day + timedelta(days=1), time(rng.randrange(12, 17)), tzinfo=TZ)
        lodging = Lodging("香格里拉酒店", arrival - timedelta(hours=14), departure + timedelta(hours=15),
                          payer=rng.choice(("guest", "company")))
    host = rng.choices(found.hosts, found.host_weights)[0]
    team = tuple(rng.sample(found.others, rng.randrange(1, 4) if top else rng.randrange(0, 3)))
    travel = None
    if rng.random() < (0.6 if top else 0.3):
        mode = rng.choice(("flight", "train"))
        # With a hotel night the guests fly in the evening before; otherwise two hours ahead.
        evening = datetime.combine(day - timedelta(days=1), time(rng.randrange(17, 22), rng.choice((0, 30))),
                                   tzinfo=TZ)
        lands = evening if lodging is not None else arrival - timedelta(hours=2)
        travel = Travel(mode, f"{'CA' if mode == 'flight' else 'G'}{rng.randrange(100, 9999)}",
                        "首都机场" if mode == "flight" else "虹桥站", lands, pickup=rng.random() < 0.7,
                        driver=rng.choice(found.drivers))
    executives: tuple[str, ...] = ()
    if class_id == "A":
        executives = tuple(e for e in EXECUTIVES if rng.random() < 0.5) or ("general_manager",)
    elif class_id == "B" and rng.random() < 0.3:
        executives = ("general_manager",)
    index = rng.randrange(len(found.clients))
    client = found.clients[index][0]
    visit = Visit(
        0, index, client, class_id, arrival, departure, host, arrival, host,
        purposes=("negotiation",), team=tuple(t for t in team if t != host), executives=executives,
        travel=travel, room=rng.choice(("3楼大会议室", "2楼小会议室", "展厅", "VIP室")),
        projector=rng.random() < 0.5,
        tour=("生产车间 15:00",) if rng.random() < (0.5 if top else 0.2) else (),
        lodging=lodging, meals=Meals(4, "12:00") if rng.random() < (0.9 if top else 0.4) else None,
        banner=f"热烈欢迎{client}莅临指导" if rng.random() < BANNER[class_id] else "",
        name_cards=rng.random() < (0.8 if top else 0.15),
    )
    saved = _saved_at(rng, arrival, begin, calendar)
    visit = replace(visit, created_at=saved)
    span = arrival - saved
    roll = rng.random()
    cancel_at = saved + span * rng.uniform(0.2, 0.9) if roll < CANCELLED else None
    move_at, move_by = None, timedelta(0)
    if cancel_at is None and roll < CANCELLED + MOVED and span > timedelta(days=2):
        move_at = saved + span * rng.uniform(0.2, 0.6)
        move_by = timedelta(days=rng.choice((-1, 1, 2, 3)))
    debrief_at = None
    if cancel_at is None and rng.random() < DEBRIEFED:
        written = departure + timedelta(minutes=rng.randrange(30, 60 * 24 * 2))
        debrief_at = _working_hours(written, calendar)
    return PlannedVisit(visit, saved, cancel_at, move_at, move_by, debrief_at)


def _saved_at(rng: random.Random, arrival: datetime, begin: datetime, calendar: WorkCalendar) -> datetime:
    """When the visit is saved: mostly two days to two weeks ahead in working hours, some at short
    notice (an hour to a day ahead); never before the simulation begins."""
    if rng.random() < SHORT_NOTICE:
        saved = arrival - timedelta(minutes=rng.randrange(60, 60 * 30))
    else:
        day = arrival.date() - timedelta(days=rng.randrange(2, 15))
        if not calendar.is_working_day(day) and rng.random() < 0.8:
            day = calendar.at_or_before(day)
        saved = datetime.combine(day, time(rng.randrange(9, 18), rng.randrange(60)), tzinfo=TZ)
    earliest = begin + timedelta(minutes=rng.randrange(60, 600))
    return max(saved, earliest).replace(second=0, microsecond=0)


def _working_hours(moment: datetime, calendar: WorkCalendar) -> datetime:
    """``moment``, or the next working day's 09:xx if it falls outside 09:00-19:00 of a working day."""
    local = moment.astimezone(TZ)
    if calendar.is_working_day(local.date()) and time(9) <= local.time() < time(19):
        return local.replace(second=0, microsecond=0)
    day = local.date() if local.time() < time(9) else local.date() + timedelta(days=1)
    return datetime.combine(calendar.at_or_after(day), time(9, local.minute), tzinfo=TZ)


# ---- the month -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Push:
    """One message the bot pushed (nobody asked for it)."""

    kind: str  # nudge | digest | escalation | relationship
    to: int
    at: datetime  # company time
    text: str
    visits: tuple[Visit, ...] = ()  # as they stood when it went out
    items: tuple[str, ...] = ()  # the nudges it carries (nudge ids)
    late_by: timedelta = timedelta(0)  # a nudge: how long after its earliest item was due


@dataclass
class Listing:
    """An item listed as overdue in a digest or /mytasks."""

    source: str  # digest | mytasks
    to: int
    at: datetime
    item: Item
    visit: Visit | None  # the item's, as it was then


class Month:
    """The company living through ``begin``..``end`` on a ``FixedClock``; what the bot pushed."""

    def __init__(self, dispatcher: Dispatcher, clock: FixedClock, found: Company, rng: random.Random) -> None:
        self.dispatcher = dispatcher
        self.services = dispatcher.services
        self.clock = clock
        self.company = found
        self.rng = rng
        self.sender = NudgeSender(self.services)
        self.pushes: list[Push] = []
        self.listings: list[Listing] = []  # every overdue line shown, stale or not
        self.mytasks_seen = 0
        self.presses = 0
        self.snoozed: dict[str, set[int]] = {}  # nudge id: who pressed "in an hour" on it
        # An item pushed again to someone who had it (when, cause, what): after their own snooze,
        # after someone else's (a snooze moves the item for everyone it went to), or otherwise.
        self.repeats: list[tuple[datetime, str, str]] = []
        self.pickups_after_landing: list[tuple[datetime, str]] = []
        self.snoozed_beyond: list[tuple[datetime, str]] = []  # a snooze that moved more than its message
        self._had: set[tuple[int, str]] = set()
        self._events: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = 0
        self._numbers: dict[int, int] = {}  # planned visit index: its number
        self._clients: dict[int, int] = {}  # client index: its id

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        self._order += 1
        heapq.heappush(self._events, (moment, self._order, action))

    def seed(self) -> None:
        """The people, their digest choices and the clients, in one write; the visits' events."""
        services, found = self.services, self.company
        with services.db.unit():
            for person in found.staff:
                services.access.staff.save(person)
            for user_id, at in found.digest_times.items():
                services.digests.choose(user_id, at, off=at is None)
            for index, (name, country, class_id, created) in enumerate(found.clients):
                owner = found.hosts[index % len(found.hosts)]
                client = services.clients.create(name, country=country, default_class=class_id, by=1,
                                                 now=created, account_manager=owner)
                self._clients[index] = client.id
                english = country not in ("CN", "TW", "HK")
                for k, birthday in enumerate(found.birthdays[index]):
                    services.clients.add_contact(client.id, f"{_name(self.rng, english)}{k}",
                                                 title="Purchasing Manager" if english else "采购经理",
                                                 birthday=birthday, language="en" if english else "zh_Hans")
        for index, planned in enumerate(found.visits):
            self.at(planned.saved_at, partial(self._save, index))
            if planned.cancel_at is not None:
                self.at(planned.cancel_at, partial(self._cancel, index))
            if planned.move_at is not None:
                self.at(planned.move_at, partial(self._move, index))
            if planned.debrief_at is not None:
                self.at(planned.debrief_at, partial(self._debrief, index))

    def run(self, begin: datetime, end: datetime, step: timedelta, digest_window: tuple[time, time]) -> None:
        """From ``begin`` to ``end`` a ``step`` at a time (whole minutes from a whole minute)."""
        services, clock = self.services, self.clock
        clock.current = begin
        while clock.current < end:
            now = clock.current
            while self._events and self._events[0][0] <= now:
                heapq.heappop(self._events)[2]()
            self._nudges(now)
            local = now.astimezone(TZ)
            if digest_window[0] <= local.time() < digest_window[1] and local.minute % DIGEST_EVERY == 0:
                self._digests(now)
            if local.minute % ESCALATE_EVERY == 0:
                with services.db.unit():
                    for escalation in services.escalations.due_messages(now):
                        visits = [services.visits.get(int(i.split(":")[1])) for i in escalation.nudge_ids]
                        self._push("escalation", escalation.message, now,
                                   tuple(v for v in visits if v is not None), items=escalation.nudge_ids)
            with services.db.unit():
                for message in services.relationship.due_messages(now):
                    self._push("relationship", message.message, now)
            self._outbox(now)
            if local.time() == MYTASKS_AT and services.calendar.is_working_day(local.date()):
                self._mytasks(now)
            clock.advance(step)

    def _outbox(self, now: datetime) -> None:
        """What else the bot queued this minute (notes on items called off, notices to admins): the
        nudges, digests and the rest above are counted as they are produced."""
        outbox = self.services.outbox
        with self.services.db.unit():
            taken = outbox.take(now, 100_000)
            for push in taken:
                self._push(push.kind or "note", push.message, now)
            outbox.settle([(push, Outcome(push.message, delivered=True)) for push in taken], now)

    # ---- what the bot does each minute -----------------------------------------------------------

    def _nudges(self, now: datetime) -> None:
        services = self.services
        with services.db.unit():
            outgoing = self.sender.due_messages()
        if not outgoing:
            return
        for item in outgoing:
            nudges = [n for n in map(services.nudges.nudges.get, item.nudges) if n is not None]
            found = tuple(v for v in map(services.visits.get, sorted({n.visit_id for n in nudges}))
                          if v is not None)
            # How late, for items nobody snoozed (a snoozed one is meant to come later).
            due = min((n.due for n in nudges if n.id not in self.snoozed), default=now)
            self._push("nudge", item.message, now, found, items=item.nudges, late_by=now - due)
            self._check(item.message.chat_id, nudges, found, now)
            self._react(item.message, item.nudges, now)

    def _check(self, person: int, nudges: list[Nudge], visits: tuple[Visit, ...], now: datetime) -> None:
        """Notes an item sent again to someone who had it, and a pickup sent after the guests landed."""
        local = now.astimezone(TZ)
        for nudge in nudges:
            if (person, nudge.id) in self._had:
                snoozers = self.snoozed.get(nudge.id, set())
                cause = "own_snooze" if person in snoozers else "others_snooze" if snoozers else "other"
                self.repeats.append((local, cause, f"{nudge.id} to {person} at {local:%a %d %b %H:%M} "
                                                   f"(snoozed by {sorted(snoozers)})"))
            self._had.add((person, nudge.id))
            visit = next((v for v in visits if v.id == nudge.visit_id), None)
            lands = visit.travel.arrives_at if visit is not None and visit.travel is not None else None
            if nudge.item in ("pickup", "pickup_lead") and lands is not None and lands <= now:
                landed = lands.astimezone(TZ)
                text = f"{nudge.id} to {person} at {local:%a %d %b %H:%M}, landed {landed:%H:%M}"
                self.pickups_after_landing.append((local, text))

    def _digests(self, now: datetime) -> None:
        services = self.services
        with services.db.unit():
            outgoing = services.digests.due_messages()
        if not outgoing:
            return
        local = now.astimezone(TZ)
        today = local.date()
        end = day_bounds(today, today, TZ)[1] - timedelta(microseconds=1)
        start, stop = day_bounds(today, today, TZ)
        todays = services.visits.visits.between(start, stop)
        # The lines they showed, from the lookup they made (nothing was written in between).
        lists = services.lookups.checklists([item.message.chat_id for item in outgoing], now, end, end)
        for item in outgoing:
            person = item.message.chat_id
            self._push("digest", item.message, now, tuple(v for v in todays if person in v.people))
            overdue = [i for i in lists[person] if bucket(i.due, today, TZ) == "overdue"]
            self.listings += [self._listing("digest", person, local, i) for i in overdue[:MAX_OVERDUE_LINES]]

    def _mytasks(self, now: datetime) -> None:
        """Everyone's /mytasks at 14:00 of a working day: what it lists as overdue."""
        local = now.astimezone(TZ)
        for person in self.company.staff:
            listed = self.services.lookups.checklist(person.user_id, now)
            self.mytasks_seen += 1
            self.listings += [self._listing("mytasks", person.user_id, local, i) for i in listed
                              if bucket(i.due, local.date(), TZ) == "overdue"]

    def _listing(self, source: str, to: int, at: datetime, item: Item) -> Listing:
        visit = None if item.number is None else self.services.visits.get(item.number)
        return Listing(source, to, at, item, visit)

    def _push(self, kind: str, message: Send, now: datetime, visits: tuple[Visit, ...] = (), *,
              items: tuple[str, ...] = (), late_by: timedelta = timedelta(0)) -> None:
        local = now.astimezone(TZ)
        self.pushes.append(Push(kind, message.chat_id, local, message.text, visits, items, late_by))

    # ---- what people do ----------------------------------------------------------------------------

    def _react(self, message: Send, items: tuple[str, ...], now: datetime) -> None:
        """Tickers press Done on each item within the hour (an evening message: the next morning);
        the others now and then press "in an hour"."""
        done = [b.data for row in message.buttons for b in row if b.data.startswith("nud:D:")]
        snooze = [b.data for row in message.buttons for b in row if b.data.startswith("nud:H:")]
        local = now.astimezone(TZ)
        if message.chat_id in self.company.tickers:
            when = now + timedelta(minutes=self.rng.randrange(5, 60))
            if not time(8) <= local.time() < time(20):
                day = local.date() + timedelta(days=1) if local.time() >= time(20) else local.date()
                morning = datetime.combine(day, time(8, 30), tzinfo=TZ)
                when = morning + timedelta(minutes=self.rng.randrange(60))
            for data in done:
                self.at(when, partial(self._press, message.chat_id, data))
        elif snooze and self.rng.random() < SNOOZERS:
            self.at(now + timedelta(minutes=self.rng.randrange(1, 30)),
                    partial(self._snooze, message.chat_id, snooze[0], items))

    def _snooze(self, user_id: int, data: str, items: tuple[str, ...]) -> None:
        """Presses "in an hour" on a message that carried ``items``; notes what it moved, and what it
        moved that was not in that message."""
        visit_id = int(data.split(":")[2])
        nudges = self.services.nudges
        before = {n.id: n.state for n in nudges.for_visit(visit_id)}
        self._press(user_id, data)
        moved = {n.id for n in nudges.for_visit(visit_id)
                 if n.state is NudgeState.SNOOZED and before.get(n.id) is not NudgeState.SNOOZED}
        for nudge_id in moved:
            self.snoozed.setdefault(nudge_id, set()).add(user_id)
        if moved - set(items):
            local = self.clock.now().astimezone(TZ)
            self.snoozed_beyond.append((local, f"{user_id} at {local:%a %d %b %H:%M} on {sorted(items)} also "
                                               f"moved {sorted(moved - set(items))}"))

    def _press(self, user_id: int, data: str) -> None:
        """A button pressed in ``user_id``'s chat, through the dispatcher as Telegram would bring it."""
        self.presses += 1
        person = self.services.access.staff.get(user_id)
        assert person is not None
        user = User(user_id, person.name, language_code=person.language_code)
        self.dispatcher.handle(Event(user, user_id, callback_data=data, callback_id="cb", message_id=1))

    def _save(self, index: int) -> None:
        planned = self.company.visits[index]
        with self.services.db.unit():
            saved, _ = self.services.visits.create(replace(planned.visit, created_at=self.clock.now(),
                                                           client_id=self._clients[planned.visit.client_id]))
        self._numbers[index] = saved.id

    def _current(self, index: int) -> Visit | None:
        number = self._numbers.get(index)
        return self.services.visits.get(number) if number is not None else None

    def _cancel(self, index: int) -> None:
        visit = self._current(index)
        if visit is not None and visit.status is not VisitStatus.CANCELLED:
            with self.services.db.unit():
                self.services.visits.cancel(visit, "客户改期")

    def _move(self, index: int) -> None:
        visit = self._current(index)
        shift = self.company.visits[index].move_by
        if visit is None or visit.status is VisitStatus.CANCELLED or visit.arrival + shift < self.clock.now():
            return
        with self.services.db.unit():
            self.services.visits.reschedule(visit, visit.arrival + shift, visit.departure + shift)

    def _debrief(self, index: int) -> None:
        """What the debrief flow does on Save (``bot/flows/debrief.py``): the debrief and its tasks,
        then the items it covers ticked."""
        visit = self._current(index)
        now = self.clock.now()
        if visit is None or visit.status is VisitStatus.CANCELLED or visit.departure > now:
            return
        tasks = [OpenItem("发送报价单", visit.host, now + timedelta(days=self.rng.randrange(3, 10)))]
        if visit.team:
            tasks.append(OpenItem("寄送样品", visit.team[0], now + timedelta(days=self.rng.randrange(3, 10))))
        next_contact = (now + timedelta(days=14)).date()
        debrief = Debrief(visit.id, DealOutcome.PROGRESSING, "需要报价和样品", next_contact, 4,
                          visit.host, now)
        with self.services.db.unit():
            self.services.debriefs.record(debrief, visit, tasks)
            self.services.nudges.close_by_debrief(visit.id, visit.host, now)


# ---- figures -----------------------------------------------------------------------------------


def simulate(scale: Scale = Scale()) -> tuple[Month, dict[str, Any]]:
    """Runs the company through ``scale``'s lead-in and month; returns it with the month's figures."""
    begin = datetime.combine(scale.first, time(0), tzinfo=TZ) - scale.lead_in
    end = datetime.combine(scale.last + timedelta(days=1), time(0), tzinfo=TZ)
    started = timer.perf_counter()
    with _scratch() as scratch:
        data_dir = scratch / "data"
        settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS="1", TELEGRAM_BOT_TOKEN="")
        clock = FixedClock(begin)
        db = Database.open(data_dir)
        try:
            dispatcher = bootstrap.build(settings, clock, db)
            services = dispatcher.services
            rng = random.Random(scale.seed)
            found = company(rng, scale, begin, services.calendar)
            month_run = Month(dispatcher, clock, found, rng)
            month_run.seed()
            times = [services.policy.schedule.digest_at, *(t for t in found.digest_times.values() if t)]
            latest = datetime.combine(scale.first, max(times)) + WINDOW
            with _errors_counted() as errors:
                month_run.run(begin, end, scale.step, (min(times), latest.time()))
            figures = measure(month_run, scale.first, scale.last)
        finally:
            db.close()
    figures["company"] = {"people": scale.people, "clients": scale.clients, "visits": len(found.visits),
                          "month": f"{scale.first.isoformat()}..{scale.last.isoformat()}",
                          "lead_in_days": scale.lead_in.days,
                          "step_minutes": scale.step // timedelta(minutes=1),
                          "seed": scale.seed, "presses": month_run.presses, "errors_logged": errors.count,
                          "seconds": round(timer.perf_counter() - started, 1)}
    return month_run, figures


@contextmanager
def _scratch() -> Iterator[Path]:
    """A temporary directory, in memory where there is one: the figures do not depend on the disk,
    and a month of fsyncs would only make the run slower."""
    shm = Path("/dev/shm")
    with tempfile.TemporaryDirectory(prefix="bench-reminders-", dir=shm if shm.is_dir() else None) as name:
        yield Path(name)


class _Errors(logging.Handler):
    """Counts what the bot logs as an error (a handler that failed on a press, say)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _errors_counted() -> Iterator[_Errors]:
    handler = _Errors()
    logging.getLogger().addHandler(handler)
    try:
        yield handler
    finally:
        logging.getLogger().removeHandler(handler)


def measure(month_run: Month, first: date, last: date) -> dict[str, Any]:
    """The figures of the month ``first``..``last`` (the lead-in left out)."""
    services = month_run.services
    calendar = services.calendar
    pushes = [p for p in month_run.pushes if first <= p.at.date() <= last]
    working = [d for d in _days(first, last) if calendar.is_working_day(d)]
    everyone = [s.user_id for s in month_run.company.staff]
    per_day = Counter((p.to, p.at.date()) for p in pushes)
    counts = [per_day[(person, day)] for person in everyone for day in working]
    with_any = [n for n in counts if n]
    off_day = [p for p in pushes if not calendar.is_working_day(p.at.date()) and not _about_the_day(p)]
    after_items = {item.key for item in services.policy.timeline if item.anchor == "departure"}
    listings = [entry for entry in month_run.listings if first <= entry.at.date() <= last]
    stale = [entry for entry in listings if _stale(entry, after_items, calendar)]
    digests = [p for p in pushes if p.kind == "digest"]
    longest = max(digests, key=lambda p: _lines(p.text), default=None)
    late = [p for p in pushes if p.kind == "nudge" and p.late_by > timedelta(minutes=30)]
    pickups = [text for at, text in month_run.pickups_after_landing if first <= at.date() <= last]
    beyond = [text for at, text in month_run.snoozed_beyond if first <= at.date() <= last]
    return {
        "pushes": {
            "total": len(pushes),
            "by_kind": dict(Counter(p.kind for p in pushes)),
            "working_days": len(working),
            "per_person_per_working_day": _spread(counts),
            "per_person_on_days_with_any": _spread(with_any),
        },
        "off_day_pushes_not_about_the_day": {
            "value": len(off_day), "target": OFF_DAY_TARGET, "met": len(off_day) <= OFF_DAY_TARGET,
            "off_day_pushes": sum(1 for p in pushes if not calendar.is_working_day(p.at.date())),
            "examples": [_describe(p) for p in off_day[:5]],
        },
        "stale_overdue_lines": {
            "value": len(stale), "target": STALE_TARGET, "met": len(stale) <= STALE_TARGET,
            "in_digests": sum(1 for e in stale if e.source == "digest"),
            "in_mytasks": sum(1 for e in stale if e.source == "mytasks"),
            "overdue_lines_checked": len(listings), "mytasks_checked": month_run.mytasks_seen,
            "examples": [_listed(entry) for entry in stale[:5]],
        },
        "longest_digest_lines": {
            "value": _lines(longest.text) if longest else 0, "target": DIGEST_LINES_TARGET,
            "met": (_lines(longest.text) if longest else 0) <= DIGEST_LINES_TARGET,
            "digests": len(digests),
            "median_lines": statistics.median(_lines(p.text) for p in digests) if digests else 0,
            "over_target": sum(1 for p in digests if _lines(p.text) > DIGEST_LINES_TARGET),
            "longest_chars": len(longest.text) if longest else 0,
        },
        "nudges_sent_over_30_min_late": {
            "value": len(late),
            "by_item": dict(Counter(i.rsplit(":", 1)[-1] for p in late for i in p.items).most_common(8)),
        },
        "same_visit_messages_within_5_min": _bursts(pushes),
        "items_sent_again_to_someone_who_had_them": _repeats(month_run.repeats, first, last),
        "pickup_reminders_after_landing": {"value": len(pickups), "examples": pickups[:5]},
        "snoozes_that_moved_items_of_other_messages": {"value": len(beyond), "examples": beyond[:5]},
    }


def _repeats(found: list[tuple[datetime, str, str]], first: date, last: date) -> dict[str, Any]:
    """Items sent again to someone who had them, by cause, with examples of the unexpected ones."""
    within = [(cause, text) for at, cause, text in found if first <= at.date() <= last]
    counts = Counter(cause for cause, _ in within)
    return {cause: counts[cause] for cause in ("own_snooze", "others_snooze", "other")} | {
        "examples_other": [text for cause, text in within if cause == "other"][:5],
        "examples_others_snooze": [text for cause, text in within if cause == "others_snooze"][:3]}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def _spread(counts: list[int]) -> dict[str, float]:
    if not counts:
        return {"median": 0, "p95": 0, "max": 0, "n": 0}
    ordered = sorted(counts)
    return {"median": statistics.median(ordered), "p95": ordered[math.ceil(0.95 * len(ordered)) - 1],
            "max": ordered[-1], "mean": round(statistics.fmean(ordered), 2), "n": len(ordered)}


def _about_the_day(push: Push) -> bool:
    """Whether a push on a day off is about a visit that takes place that day (or, from 17:00, one
    that arrives the next day). Relationship messages never are."""
    if push.kind == "relationship":
        return False
    day = push.at.date()
    for visit in push.visits:
        if visit.status is VisitStatus.CANCELLED:
            continue
        arrival, departure = visit.arrival.astimezone(TZ).date(), visit.departure.astimezone(TZ).date()
        if arrival <= day <= departure or (push.at.time() >= EVENING and arrival == day + timedelta(days=1)):
            return True
    return False


def _stale(entry: Listing, after_items: set[str], calendar: WorkCalendar) -> bool:
    """A pre-visit item (not an after-visit one, not a debrief task) listed more than one working day
    after its visit ended."""
    visit = entry.visit
    if visit is None or not entry.item.key or entry.item.key in after_items:
        return False
    ended = visit.departure.astimezone(TZ)
    limit = datetime.combine(calendar.add_working_days(ended.date(), 1), ended.timetz())
    return entry.at > limit


def _lines(text: str) -> int:
    return text.count("\n") + 1


def _bursts(pushes: list[Push]) -> int:
    """Nudge messages to one person about one visit that came within five minutes of the previous
    one: what "one message per moment" should make rare (a catch-up list and its items can)."""
    last: dict[tuple[int, int], datetime] = {}
    found = 0
    for push in sorted((p for p in pushes if p.kind == "nudge"), key=lambda p: p.at):
        for visit in push.visits:
            key = (push.to, visit.id)
            if key in last and push.at - last[key] < timedelta(minutes=5):
                found += 1
            last[key] = push.at
    return found


def _listed(entry: Listing) -> str:
    number = "-" if entry.item.number is None else entry.item.number
    what = entry.item.key or entry.item.text
    return f"{entry.source} to {entry.to} at {entry.at:%a %d %b %H:%M}: #{number} {what}"


def _describe(push: Push) -> str:
    first = push.text.splitlines()[0] if push.text else ""
    about = ",".join(f"#{v.id} {v.arrival.astimezone(TZ):%a %d %b %H:%M}" for v in push.visits)
    return f"{push.kind} to {push.to} at {push.at:%a %d %b %H:%M} ({about or 'no visit'}): {first[:60]}"


# ---- one class A visit, before and after -------------------------------------------------------


def one_visit(before: bool = True) -> dict[str, Any]:
    """``bench/reminder_visit.py`` in a fresh process with this tree's ``bot``, and with the one of
    ``BEFORE_COMMIT`` (extracted with ``git archive``; skipped with a note if that fails)."""
    tree = HERE.parent
    found: dict[str, Any] = {"after": _visit_run(tree)}
    if not before:
        return found
    with tempfile.TemporaryDirectory(prefix="bench-before-") as name:
        old = Path(name)
        try:
            archive = subprocess.run(["git", "archive", BEFORE_COMMIT, "bot", "locales"], cwd=tree,
                                     capture_output=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError) as error:
            found["before"] = {"skipped": f"git archive {BEFORE_COMMIT} failed: {error}"}
            return found
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(old, filter="data")
        found["before"] = _visit_run(old)
    found["before"]["commit"] = BEFORE_COMMIT
    return found


def _visit_run(tree: Path) -> dict[str, Any]:
    """The scenario with ``tree``'s ``bot``: the script run by path from ``tree`` as the working
    directory, so neither this tree's ``bot`` nor a stray ``.env`` is picked up."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, str(HERE / "reminder_visit.py")], cwd=tree, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"failed": done.stderr[-1500:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---- entry points --------------------------------------------------------------------------------


def run(quick: bool = False, scale: Scale = Scale(), before: bool = True) -> dict[str, Any]:
    """Every figure (``bench.__main__`` calls this; ``quick`` changes nothing: it takes under a minute)."""
    del quick
    _, figures = simulate(scale)
    figures["class_a_visit"] = one_visit(before)
    return figures


def table(figures: dict[str, Any]) -> str:
    spread = figures["pushes"]["per_person_per_working_day"]
    busy = figures["pushes"]["per_person_on_days_with_any"]
    rows = [
        ("pushes per person per working day: median / p95 / max", "-",
         f"{spread['median']:g} / {spread['p95']:g} / {spread['max']:g}", "-"),
        ("… on days the person got any: median / p95 / max", "-",
         f"{busy['median']:g} / {busy['p95']:g} / {busy['max']:g}", "-"),
    ]
    for key, name, target in (
        ("off_day_pushes_not_about_the_day", "pushes on days off not about that day's visits", "0"),
        ("stale_overdue_lines", "pre-visit items listed overdue > 1 working day after the visit", "0"),
        ("longest_digest_lines", "longest morning digest, lines", "≤ 25"),
    ):
        found = figures[key]
        rows.append((name, target, str(found["value"]), "met" if found["met"] else "MISS"))
    visit = figures.get("class_a_visit", {})
    after, before = visit.get("after", {}), visit.get("before", {})
    rows.append(("class A visit, everything ticked: messages (nudges + escalations), before → after", "fewer",
                 f"{_visit_cell(before)} → {_visit_cell(after)}", "-"))
    lines = ["| measure | target | value | |", "|---|---|---:|---|"]
    lines += [f"| {name} | {target} | {value} | {met} |" for name, target, value, met in rows]
    return "\n".join(lines)


def _visit_cell(found: dict[str, Any]) -> str:
    untouched = found.get("untouched")
    if not untouched:
        return "n/a"
    return f"{untouched['messages']} ({untouched['nudge_messages']} + {untouched['escalation_messages']})"


def save(figures: dict[str, Any]) -> None:
    """Writes ``figures`` under "reminders" in ``bench/results.json``, keeping every other key."""
    results: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["reminders"] = figures
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def observations(figures: dict[str, Any]) -> list[str]:
    """What else the month showed, one line each, examples where something went wrong."""
    late, again = figures["nudges_sent_over_30_min_late"], figures["items_sent_again_to_someone_who_had_them"]
    pickups = figures["pickup_reminders_after_landing"]
    own, others, other = (again.get(cause, 0) for cause in ("own_snooze", "others_snooze", "other"))
    lines = [f"nudges sent over 30 min after due (not snoozed): {late['value']} {late['by_item']}",
             f"items sent again to someone who had them: {own} after their own snooze, {others} after "
             f"someone else's, {other} otherwise",
             f"pickup reminders sent once the guests had landed: {pickups['value']}",
             "snooze presses that also moved items of other messages: "
             f"{figures['snoozes_that_moved_items_of_other_messages']['value']}",
             "messages about one visit to one person within 5 minutes: "
             f"{figures['same_visit_messages_within_5_min']}",
             "company: " + json.dumps(figures["company"], ensure_ascii=False)]
    for key in ("off_day_pushes_not_about_the_day", "stale_overdue_lines", "pickup_reminders_after_landing",
                "snoozes_that_moved_items_of_other_messages"):
        lines += [f"  {key}: {example}" for example in figures[key]["examples"]]
    lines += [f"  sent again: {example}" for key in ("examples_other", "examples_others_snooze")
              for example in again[key]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders", description=__doc__.splitlines()[0])
    default = Scale()
    parser.add_argument("--people", type=int, default=default.people)
    parser.add_argument("--first", default=default.first.isoformat(), help="first day (default %(default)s)")
    parser.add_argument("--days", type=int, default=default.days)
    parser.add_argument("--seed", type=int, default=default.seed)
    parser.add_argument("--no-before", action="store_true", help=f"skip the run against {BEFORE_COMMIT}")
    args = parser.parse_args(argv)
    scale = replace(default, people=args.people, first=date.fromisoformat(args.first), days=args.days,
                    seed=args.seed)
    figures = run(scale=scale, before=not args.no_before)
    save(figures)
    print(table(figures))
    for line in observations(figures):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
