"""Answers to the questions staff ask standing in a lobby: who comes when, when a client comes or
came, what is still open on one's list, and what matches a name or a phone number.

Everything here reads; nothing writes except the registry of reception group chats. Speed matters
more than anywhere else in the bot: a day's list reads the visits once (``between``) and opens the
checklists of only the visits on the page shown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

from tinydb import Query
from tinydb.table import Table

from bot.domain.clients import Client, Contact, fold, greeting_name
from bot.domain.lookups import (
    DayEntry,
    Direction,
    Item,
    Marks,
    ReceptionGroup,
    Span,
    Viewer,
    behind_cutoff,
    day_bounds,
    day_entries,
    fold_question,
    is_behind,
    same_in_either_script,
)
from bot.domain.nudges import DUTY_ROLES, Lapses, NudgeState, held, item_of, nudge_id
from bot.domain.staff import Role, Staff
from bot.domain.visits import Visit, VisitStatus
from bot.repositories.clients import ContactKeys
from bot.repositories.codec import from_doc, to_doc
from bot.repositories.nudges import NudgeRepository, OpenNudge
from bot.repositories.visits import VisitRepository
from bot.services.access import AccessService
from bot.services.clients import ClientService
from bot.services.debriefs import DebriefService

# The timeline item whose "done" means the pickup is confirmed (see the policy's timeline).
PICKUP_ITEM = "pickup"
# How many clients a name may match before the person is asked to type more of it.
CHOICES = 6
# At most this many people are offered as buttons for a name in a question.
MANY_PEOPLE = 8
_NOT_DIGIT = re.compile(r"\D+")


class ReceptionGroups:
    """Group chats registered by an admin, in the TinyDB table "reception_groups" (a handful)."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, chat_id: int) -> ReceptionGroup | None:
        doc = self._table.get(Query().chat_id == chat_id)
        return from_doc(ReceptionGroup, doc) if isinstance(doc, dict) else None

    def save(self, group: ReceptionGroup) -> ReceptionGroup:
        self._table.upsert(to_doc(group), Query().chat_id == group.chat_id)
        return group

    def remove(self, chat_id: int) -> bool:
        return bool(self._table.remove(Query().chat_id == chat_id))

    def all(self) -> list[ReceptionGroup]:
        return [from_doc(ReceptionGroup, doc) for doc in self._table.all()]


@dataclass(frozen=True)
class Subjects:
    """Whom a name in a question may mean: contacts (张总) if any match, else clients."""

    contacts: list[Contact]
    clients: list[Client]
    # Contacts that also match but are not in ``contacts`` (only the most recently seen are).
    more: int = 0


@dataclass(frozen=True)
class Found:
    """What /find turned up, each list in the order it is shown."""

    visits: list[Visit]
    clients: list[Client]
    contacts: list[Contact]


class Holdings:
    """The open items some people hold, gathered from the nudges' index a batch of entries at a time
    (the morning digest gathers everyone's over several slices of the core) or all at once: each
    item on the list of whoever holds it (the host for the host's items, the office for the banner,
    the manager for the review ...), as its reminder went; then their debrief tasks."""

    def __init__(self, lookups: LookupService, user_ids: Iterable[int], now: datetime,
                 tasks_by: datetime | None, *, put_off_since: datetime | None = None) -> None:
        self._lookups = lookups
        self._items: dict[int, list[Item]] = {user_id: [] for user_id in user_ids}
        self._now = now
        self._moment = now.timestamp()
        self._tasks_by = tasks_by
        # Items colleagues put off are listed for the others only if the snooze ends after this
        # (None: all of them): the digest tells of one once, /mytasks while it is open.
        self._put_off_since = None if put_off_since is None else put_off_since.timestamp()
        self._on_duty = lookups.access.on_duty()  # read once
        self._managers: dict[int, list[int]] = {}  # of each host met

    def add(self, entries: Iterable[OpenNudge]) -> None:
        visits, access, lapses = self._lookups.visits, self._lookups.access, self._lookups.lapses
        for entry in entries:
            row = visits.row(entry.visit_id)
            # Cancelled visits have nothing open; a preparation item of a visit begun is missed, and
            # so is a chore that lapsed (``is_missed``).
            if row is None or row.cancelled or entry.due <= row.arrival <= self._moment or (
                    item_of(entry.id) in lapses.items and lapses.end(entry.due_at) <= self._now):
                continue
            managers = self._managers.get(row.host)
            if managers is None:
                managers = self._managers[row.host] = access.managers_of(row.host)
            self._hand_out(entry, row.client_name, held(row.host, row.team, row.driver, entry.recipients,
                                                        on_duty=self._on_duty, managers=managers))

    def _hand_out(self, entry: OpenNudge, client: str, holders: Collection[int]) -> None:
        """``entry`` on the list of each of ``holders`` among the people gathered for.

        A shared item someone who still holds it put off is theirs, at the time they asked for (as
        the sender sends it: ``NudgeSender._woken``); the others see who has it and until when."""
        items, until = self._items, entry.put_off_until
        snoozers = tuple(p for p in entry.snoozed_by if p in holders) if until is not None else ()
        for person in holders:
            if person not in items:
                continue
            if until is None or entry.snoozed_until is None or not snoozers:
                items[person].append(Item(entry.due_at, entry.visit_id, client, key=entry.key))
            elif person in snoozers:
                # Put off past ``tasks_by`` (the digest's day): not today's to do, like a task.
                if self._tasks_by is None or until <= self._tasks_by:
                    items[person].append(Item(until, entry.visit_id, client, key=entry.key))
            elif self._put_off_since is None or entry.snoozed_until > self._put_off_since:
                items[person].append(Item(until, entry.visit_id, client, key=entry.key, put_off_by=snoozers))

    def lists(self) -> dict[int, list[Item]]:
        """Each person's items and open tasks (due by ``tasks_by``; None: all), the earliest first,
        then the items colleagues put off."""
        return {user_id: self.list_of(user_id) for user_id in self._items}

    def list_of(self, user_id: int) -> list[Item]:
        """``lists`` of one person (the digest asks person by person, a slice at a time)."""
        visits, found = self._lookups.visits, self._items[user_id]
        for task in self._lookups.debriefs.tasks.listed_open([user_id])[user_id]:
            if self._tasks_by is None or task.due <= self._tasks_by:
                row = visits.row(task.visit_id)
                found.append(Item(task.due, None if row is None else task.visit_id,
                                  "" if row is None else row.client_name, text=task.text))
        # What colleagues put off last: it is not the reader's to do.
        found.sort(key=lambda item: (bool(item.put_off_by), item.due))
        return found


class LookupService:
    def __init__(self, visits: VisitRepository, *, nudges: NudgeRepository, clients: ClientService,
                 debriefs: DebriefService, groups: ReceptionGroups, access: AccessService,
                 tz: ZoneInfo, lapses: Lapses) -> None:
        self.visits = visits
        self.lapses = lapses  # chores missed when left too long: never listed as open
        self.access = access
        self.staff = access.staff
        self.nudges = nudges
        self.clients = clients
        self.debriefs = debriefs
        self.groups = groups
        self.tz = tz

    def register_group(self, group: ReceptionGroup) -> ReceptionGroup:
        """Makes the group chat a reception team's: it may ask about arrivals and gets them daily."""
        return self.groups.save(group)

    def unregister_group(self, chat_id: int) -> bool:
        """Whether the chat was registered; it no longer is."""
        return self.groups.remove(chat_id)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()

    def name(self, user_id: int) -> str:
        """A staff member's name; their id when the bot does not know them."""
        staff = self.staff.get(user_id)
        return staff.name if staff else str(user_id)

    @staticmethod
    def viewer(staff: Staff, *, private: bool) -> Viewer:
        """Who looks: ``staff`` in their private chat, else the reception group they ask in (which
        sees what any member may: ``bot.core.groups`` lets only a registered group ask)."""
        if private:
            return Viewer(staff.user_id, sees_all=staff.role.at_least(Role.MANAGER))
        return Viewer(None, group=True)

    # ---- days ---------------------------------------------------------------------------------

    def days(self, viewer: Viewer, first: date, last: date, now: datetime) -> list[DayEntry]:
        """The arrivals and departures between ``first`` and ``last`` that ``viewer`` may see."""
        today = self.today(now)
        clipped = viewer.clip(first, last, today)
        if clipped is None:
            return []
        spans = self.visits.spans(*day_bounds(*clipped, self.tz))
        if not viewer.sees_every_visit:  # whose visit it is, or when it comes: read each
            seen = (self.visits.get(span.visit_id) for span in spans)
            spans = [Span.of(v) for v in seen if v is not None and viewer.sees(v, today, self.tz)]
        return day_entries(spans, *clipped, self.tz, self.visits.get, arrivals_only=viewer.group)

    def marks(self, visits: Iterable[Visit], now: datetime) -> Marks:
        """Which visits are behind on their checklist and whose pickup is confirmed."""
        behind, pickup = set(), set()
        cutoff = behind_cutoff(now)
        for visit in {v.id: v for v in visits}.values():
            # From the nudges' index for a visit whose nudges are live (all current ones are); an
            # archived visit's are read and decoded.
            late = visit.arrival > now and self.nudges.unfinished_due_by(visit.id, cutoff)
            if late is None:
                nudges = self.nudges.for_visit(visit.id)
                late = is_behind(visit, nudges, now)
                picked_up = any(n.item == PICKUP_ITEM and n.state is NudgeState.DONE for n in nudges)
            else:
                picked_up = self.nudges.state_of(nudge_id(visit.id, PICKUP_ITEM)) is NudgeState.DONE
            if late:
                behind.add(visit.id)
            if picked_up:
                pickup.add(visit.id)
        return Marks(frozenset(behind), frozenset(pickup))

    # ---- when does X come ---------------------------------------------------------------------

    def subjects(self, name: str) -> Subjects:
        """Contacts called so (张伟, or greeted so: 张总; in either script if none as typed), else
        the clients the name finds; a client whose whole name it is wins over those it matches."""
        wanted = fold_question(name)
        store = self.clients.contact_store
        keys = store.matching_keys(lambda keys: wanted in _doc_names(keys)) or store.matching_keys(
            lambda keys: any(same_in_either_script(wanted, n) for n in _doc_names(keys)))
        if keys:
            # 张总 may be a hundred people: offer those whose company was seen most recently.
            ranked = sorted(keys, key=lambda c: self.visits.latest_arrival(keys[c].client_id), reverse=True)
            return Subjects(store.decoded(ranked[:MANY_PEOPLE]), [], more=max(len(ranked) - MANY_PEOPLE, 0))
        found = self.clients.search(name, limit=CHOICES)
        exact = [client for client in found if fold_question(client.name) == wanted]
        return Subjects([], exact[:1] or found)

    def client_visits(self, client_id: int) -> list[Visit]:
        return self.visits.for_client(client_id)

    def contact_visits(self, contact: Contact) -> list[Visit]:
        return [v for v in self.visits.for_client(contact.client_id)
                if any(visitor.contact_id == contact.id for visitor in v.visitors)]

    def when(self, viewer: Viewer, visits: Iterable[Visit], direction: Direction,
             now: datetime) -> list[Visit]:
        """The coming visits (one going on now included), or the last one that began."""
        today = self.today(now)
        seen = [v for v in visits if v.status is not VisitStatus.CANCELLED and viewer.sees(v, today, self.tz)]
        if direction == "next":
            return sorted((v for v in seen if v.departure >= now), key=lambda v: (v.arrival, v.id))
        past = [v for v in seen if v.arrival < now]
        return [max(past, key=lambda v: (v.arrival, v.id))] if past else []

    # ---- one's own list -----------------------------------------------------------------------

    def checklist(self, user_id: int, now: datetime, tasks_by: datetime | None = None) -> list[Item]:
        """Open items this person holds, due by ``now`` (``held``), and their debrief tasks due by
        ``tasks_by`` (None: all of them), the earliest (most overdue) first. Preparation items of
        visits already begun and chores that lapsed are missed, not open (``is_missed``), and are
        left out.

        Read from the indexes alone (the visits', the nudges', the tasks'), nothing decoded: only the
        items of the visits the person hosts, is on the team of or drives for, and of the roles they
        may hold for others (a duty, a manager's review)."""
        on_duty = self.access.on_duty()
        roles = [role for role in DUTY_ROLES if user_id in on_duty.get(role, ())]
        if user_id in self.access.possible_managers():
            roles.append("host_manager")
        held = Holdings(self, [user_id], now, tasks_by)
        held.add(self.nudges.open_entries(now, visits=self.visits.held_by(user_id), roles=roles))
        return held.lists()[user_id]

    def checklists(self, user_ids: Iterable[int], now: datetime, by: datetime,
                   tasks_by: datetime | None) -> dict[int, list[Item]]:
        """``checklist`` for many people at once, items due by ``by``, from one pass over the open
        items: the morning digest asked each of 2,000 people in turn, which went over every open item
        2,000 times."""
        held = Holdings(self, user_ids, now, tasks_by)
        held.add(self.nudges.open_entries(by))
        return held.lists()

    # ---- /find --------------------------------------------------------------------------------

    def find(self, query: str, viewer: Viewer, now: datetime, limit: int = 30) -> Found:
        """Clients by name (pinyin too), contacts by name, greeting or phone, and the visits of
        either that ``viewer`` may see: coming ones first, then the past, newest first."""
        clients = self.clients.search(query, limit=limit)
        wanted, digits = fold(query), _NOT_DIGIT.sub("", query)
        folded = fold_question(query)
        store = self.clients.contact_store
        contacts = store.matching(lambda keys: _contact_matches(keys, folded, digits))[:limit]
        client_ids, contact_ids = {c.id for c in clients}, {c.id for c in contacts}
        today = self.today(now)
        # Only the visits of the clients found, or of the found contacts' clients (every visitor is a
        # contact of the visit's client), read through the by-client index: not every visit.
        # Decoded in the order shown (coming, then the past newest first) until ``limit`` are found:
        # a phone fragment can name a hundred clients and thousands of their visits.
        candidates = self.visits.coming_then_past(client_ids | {c.client_id for c in contacts}, now)
        visits = (v for v in candidates
                  if viewer.sees(v, today, self.tz)
                  and (v.client_id in client_ids
                       or any(x.contact_id in contact_ids or wanted in fold(x.name) for x in v.visitors)))
        return Found(list(islice(visits, limit)), clients, contacts)


def _doc_names(keys: ContactKeys) -> frozenset[str]:
    """Every way a question may name a stored contact: the name, and the greeting in either script."""
    return _names(keys.name, keys.title)


@functools.lru_cache(maxsize=65536)
def _names(name: str, title: str) -> frozenset[str]:
    # Cached: every question about a person reads every contact, and working out greetings (张总)
    # costs more than the comparison; names and titles change rarely.
    greetings = (greeting_name(name, title, locale) for locale in ("zh_Hans", "zh_Hant"))
    return frozenset(fold_question(each) for each in (name, *greetings))


def _contact_matches(keys: ContactKeys, wanted: str, digits: str) -> bool:
    """``wanted`` (folded for questions) in a name, a greeting or the e-mail; or 3+ digits of the phone."""
    if wanted and (any(wanted in name for name in _doc_names(keys)) or wanted in keys.email.casefold()):
        return True
    return len(digits) >= 3 and digits in _NOT_DIGIT.sub("", keys.phone)
