"""Visits, keyed by their number (the TinyDB document id), so "/visit 12" is a dictionary access.

The questions asked most ("who comes today", "when did 张总 last come") name a period or a client,
and decoding every visit to answer them costs half a second at 25,000 visits. So the repository
keeps, in memory, each visit's arrival and departure (as timestamps, sorted by arrival), its client
and whether it is cancelled, read from the raw documents when it is created and kept up to date by
``save`` and ``delete`` (it is the table's only writer). A question then decodes only the visits it
shows.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass, fields
from datetime import datetime
from typing import Any

from tinydb.table import Table

from bot.domain.lookups import Span
from bot.domain.visits import Visit, VisitStatus
from bot.repositories.codec import each_document, highest_id, raw_documents
from bot.repositories.keyed import KeyedDocuments
from bot.storage import kept_index, rebuilt_on_failure

# Decoded visits kept (see ``KeyedDocuments``): a month of a busy company, some 5 MB.
KEEP_DECODED = 2000


@dataclass(frozen=True, slots=True)
class VisitRow:
    """What the index keeps of a visit: enough for periods, a client's history and the daily
    relationship sweep (who last saw a client, and whether a leader did), without decoding it."""

    arrival: float  # a timestamp
    departure: float
    client_id: int
    cancelled: bool
    host: int
    with_executives: bool
    team: tuple[int, ...]  # besides the host
    # Who drives or meets the guests (None: nobody named), and the client's name as the visit has it:
    # what a list of open items shows and who holds them, without decoding the visit.
    driver: int | None
    client_name: str
    # Its approval (``bot.domain.approval``), so that the digest and the approval reminders read only
    # the visits awaiting an answer: the steps approved so far in this round, comma-separated, or
    # None when none is awaited (not planned, or sent back); since when it has waited (a timestamp);
    # its class, which says which steps it needs.
    answered: str | None
    since: float
    class_id: str

    def awaited(self, needed: tuple[str, ...]) -> str | None:
        """The step the visit waits for, of the ``needed`` ones, if it waits for one."""
        if self.answered is None:
            return None
        given = self.answered.split(",")
        return next((step for step in needed if step not in given), None)

    def has(self, person: int) -> bool:
        """Whether ``person`` is the host or on the team (``Visit.people``)."""
        return person == self.host or person in self.team


# What the index kept between starts is, by field: read back only by a repository with these fields.
_KEPT_VERSION = "2:" + ",".join(field.name for field in fields(VisitRow))
# Looked up once: an enum member's ``.value`` costs a microsecond, 25,000 times at each start.
_CANCELLED = VisitStatus.CANCELLED.value
_PLANNED = VisitStatus.PLANNED.value


def _row(doc: dict[str, Any], names: dict[str, str]) -> VisitRow:
    travel = doc.get("travel")
    driver = travel.get("driver") if travel else None
    name = str(doc["client_name"])
    decisions = doc.get("decisions") or ()
    answered: str | None = None
    if doc.get("status", _PLANNED) == _PLANNED and all(d.get("approved") for d in decisions):
        answered = ",".join(str(d["step"]) for d in decisions)
    moments = (doc["created_at"], *(d["at"] for d in decisions))
    since = max(datetime.fromisoformat(moment) for moment in moments)
    return VisitRow(datetime.fromisoformat(doc["arrival"]).timestamp(),
                    datetime.fromisoformat(doc["departure"]).timestamp(),
                    int(doc["client_id"]), doc.get("status") == _CANCELLED,
                    int(doc["host"]), bool(doc.get("executives")), tuple(map(int, doc.get("team", ()))),
                    None if driver is None else int(driver),
                    names.setdefault(name, name),  # one string per client, not one per visit
                    answered and names.setdefault(answered, answered),
                    since.timestamp(),
                    names.setdefault(str(doc["class_id"]), str(doc["class_id"])))


class VisitRepository(KeyedDocuments[Visit]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Visit, lambda visit: visit.id, keep=KEEP_DECODED)
        self._table = table
        self._rows: dict[int, VisitRow] = {}
        self._by_arrival: list[tuple[float, int]] = []
        self._by_client: dict[int, set[int]] = {}
        self._by_person: dict[int, set[int]] = {}  # host and team
        self._by_driver: dict[int, set[int]] = {}
        self._names: dict[str, str] = {}
        self._highest = 0
        # The longest stay, so that a period's search knows how far back an arrival may lie.
        self._longest = 0.0
        kept = kept_index(table, "visits", _KEPT_VERSION, self._index_data)
        if kept is None or not self._read_kept(kept):
            self._reindex()
        self.on_rollback(self._reindex)

    def next_id(self) -> int:
        """Visit numbers count up from 1 and are never reused, even after a cancellation or a
        removal (the storage remembers the highest ever used)."""
        return max(self._highest, highest_id(self._table)) + 1

    def save(self, item: Visit) -> Visit:
        with rebuilt_on_failure(self._reindex):
            saved = super().save(item)
        self._drop(item.id)
        doc = raw_documents(self._table).get(str(item.id))
        if doc is not None:
            self._add(item.id, _row(doc, self._names), keep_sorted=True)
        return saved

    def delete(self, key: int) -> None:
        super().delete(key)
        self._drop(key)

    def rows(self) -> list[VisitRow]:
        """Every visit as the index holds it (cancelled ones too), by number."""
        return [self._rows[number] for number in sorted(self._rows)]

    def for_client(self, client_id: int) -> list[Visit]:
        """The client's visits, newest first, read in storage order (each chunk file once)."""
        visits = (self.get(visit_id) for visit_id in sorted(self._by_client.get(client_id, ())))
        return sorted((v for v in visits if v is not None), key=lambda v: v.arrival, reverse=True)

    def between(self, start: datetime, end: datetime) -> list[Visit]:
        """Planned visits overlapping [start, end), by arrival."""
        visits = (self.get(span.visit_id) for span in self.spans(start, end))
        return [v for v in visits if v is not None]

    def spans(self, start: datetime, end: datetime) -> list[Span]:
        """When the planned visits overlapping [start, end) arrive and leave, by arrival (then
        number), from the index: none of them decoded or read."""
        begins, high = start.timestamp(), end.timestamp()
        first = bisect_left(self._by_arrival, (begins - self._longest, -1))
        wanted = []
        arrivals = self._by_arrival
        for index in range(first, len(arrivals)):  # not a slice: that would copy all the rest
            arrival, visit_id = arrivals[index]
            if arrival >= high:
                break
            row = self._rows[visit_id]
            if not row.cancelled and row.departure >= begins:
                wanted.append(Span(visit_id, arrival, row.departure))
        return wanted

    def of_person(self, person: int) -> list[int]:
        """The numbers of the visits ``person`` hosts or is on the team of, cancelled ones aside."""
        return sorted(n for n in self._by_person.get(person, ()) if not self._rows[n].cancelled)

    def held_by(self, person: int) -> set[int]:
        """The numbers of the visits ``person`` hosts, is on the team of or drives for, cancelled
        ones too: whose items they may hold."""
        return self._by_person.get(person, set()) | self._by_driver.get(person, set())

    def numbers_not_over(self, now: datetime) -> list[int]:
        """The numbers of the visits not cancelled and not over at ``now``, from the index, by number."""
        moment = now.timestamp()
        return sorted(n for n, row in self._rows.items() if not row.cancelled and row.departure >= moment)

    def row(self, number: int) -> VisitRow | None:
        """What the index holds of visit ``number``, without decoding it."""
        return self._rows.get(number)

    def latest_arrival(self, client_id: int) -> float:
        """When the client last came or next comes (a timestamp; 0 if never), cancellations aside."""
        rows = (self._rows[n] for n in self._by_client.get(client_id, ()))
        return max((row.arrival for row in rows if not row.cancelled), default=0.0)

    def coming_then_past(self, client_ids: Iterable[int], now: datetime) -> Iterator[Visit]:
        """The clients' visits not cancelled: those not over yet by arrival, then the past ones
        newest first; each decoded only when the caller gets to it."""
        numbers = {n for client_id in client_ids for n in self._by_client.get(client_id, ())}
        rows = [(self._rows[n], n) for n in numbers if not self._rows[n].cancelled]
        moment = now.timestamp()
        coming = sorted((row.arrival, n) for row, n in rows if row.departure >= moment)
        past = sorted(((row.arrival, n) for row, n in rows if row.departure < moment), reverse=True)
        for _, number in coming + past:
            visit = self.get(number)
            if visit is not None:
                yield visit

    def arriving(self, start: datetime, end: datetime) -> list[Visit]:
        """Visits arriving in [start, end), cancelled ones too, by arrival."""
        first = bisect_left(self._by_arrival, (start.timestamp(), -1))
        last = bisect_left(self._by_arrival, (end.timestamp(), -1))
        visits = (self.get(visit_id) for _, visit_id in self._by_arrival[first:last])
        return [visit for visit in visits if visit is not None]

    def awaiting_answer(self, start: datetime, end: datetime) -> list[tuple[int, VisitRow]]:
        """The visits arriving in [start, end) that may await an approver's answer (planned, not sent
        back; which step, if any, is the class's to say: ``VisitRow.awaited``), by arrival, undecoded."""
        first = bisect_left(self._by_arrival, (start.timestamp(), -1))
        last = bisect_left(self._by_arrival, (end.timestamp(), -1))
        rows = ((number, self._rows[number]) for _, number in self._by_arrival[first:last])
        return [(number, row) for number, row in rows if row.answered is not None]

    def _index_data(self) -> list[list[Any]]:
        """The index as JSON data, kept between starts (``bot.storage.kept_index``)."""
        return [[number, *astuple(row)] for number, row in self._rows.items()]

    def _read_kept(self, kept: Any) -> bool:
        """The index from what a clean close kept; False if it cannot be read (then it is rebuilt)."""
        self._clear()
        names = self._names
        try:
            for (number, arrival, departure, client, cancelled, host, executives, team, driver, name,
                 answered, since, class_id) in kept:
                self._add(int(number), VisitRow(arrival, departure, client, cancelled, host, executives,
                                                tuple(team), driver, names.setdefault(name, name),
                                                answered and names.setdefault(answered, answered),
                                                since, names.setdefault(class_id, class_id)))
        except (TypeError, ValueError):
            self._clear()
            return False
        self._by_arrival.sort()
        return True

    def _clear(self) -> None:
        self._rows, self._by_arrival, self._by_client, self._by_person, self._highest = {}, [], {}, {}, 0
        self._by_driver, self._names, self._longest = {}, {}, 0.0

    def _reindex(self) -> None:
        self._clear()
        names = self._names
        for visit_id, row in each_document(self._table, lambda doc_id, doc: (int(doc_id), _row(doc, names))):
            self._add(visit_id, row)
        self._by_arrival.sort()

    def _add(self, visit_id: int, row: VisitRow, keep_sorted: bool = False) -> None:
        self._rows[visit_id] = row
        if keep_sorted:
            insort(self._by_arrival, (row.arrival, visit_id))
        else:
            self._by_arrival.append((row.arrival, visit_id))
        self._by_client.setdefault(row.client_id, set()).add(visit_id)
        for person in (row.host, *row.team):
            self._by_person.setdefault(person, set()).add(visit_id)
        if row.driver is not None:
            self._by_driver.setdefault(row.driver, set()).add(visit_id)
        self._highest = max(self._highest, visit_id)
        self._longest = max(self._longest, row.departure - row.arrival)

    def _drop(self, visit_id: int) -> None:
        row = self._rows.pop(visit_id, None)
        if row is None:
            return
        index = bisect_left(self._by_arrival, (row.arrival, visit_id))
        if index < len(self._by_arrival) and self._by_arrival[index] == (row.arrival, visit_id):
            del self._by_arrival[index]
        self._by_client.get(row.client_id, set()).discard(visit_id)
        for person in (row.host, *row.team):
            self._by_person.get(person, set()).discard(visit_id)
        if row.driver is not None:
            self._by_driver.get(row.driver, set()).discard(visit_id)
