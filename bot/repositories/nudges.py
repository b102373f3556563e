"""Nudges: the live ones in the TinyDB table "nudges", settled history in an archive; by string id
(``visit:12:venue``).

Five years of a busy company is half a million nudges, nearly all sent or ticked long ago. Keeping
them all in memory would cost gigabytes and seconds at every start, and the sender, the checklists
and the day lists only ever look at the current ones. So the repository keeps two tiers:

- live: the table "nudges" (a chunked collection, see ``bot.storage.chunked``), with indexes in
  memory by id, by visit, and of the planned and snoozed ones (what the sender scans). Every nudge
  the sender may still send (planned, snoozed) is live.
- archive: once no nudge of a visit is planned or snoozed and the last one was due more than
  ``ARCHIVE_AFTER`` ago, ``archive_settled`` moves the visit's nudges to the archive
  (``bot.storage.archive``), a hundred visits to a shelf, read only when someone asks about one of
  those visits. ``bootstrap`` runs it at every start.

``get`` and ``for_visit`` see both tiers; saving a nudge of an archived visit brings the whole visit
back to the live tier first. ``live()`` is the live tier alone; checklists, /mytasks and the digest
read the index of its unfinished nudges (``open_entries``), which keeps what they list. ``all()`` and
``in_state`` of any state but planned or snoozed read the whole archive (slow, and meant for tools and tests).

Moving a visit between tiers writes the destination first, then the source, so a crash in between
leaves its nudges in both places; the live copy is the true one, and the archive copy is replaced
at the next move.

Why a string id and not a stable integer derived from it (a hash)? A 64-bit hash can collide, a
collision would silently overwrite another visit's nudge, and document ids would become unreadable
numbers in the data files. The index from string id to document id is small: it covers live nudges.

Writes are batched: re-planning a visit touches some thirty nudges, so ``save_all`` does at most one
insert and one update, each rewriting only the chunk it touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final, NamedTuple, cast

from tinydb.table import Table

from bot.domain.nudges import VISIT_ROLES, Nudge, NudgeState, visit_prefix
from bot.domain.policy import Recipient
from bot.repositories.codec import each_document, from_doc, raw_documents, replace_by_id, stored, to_doc
from bot.storage import Archive, kept_index, on_rollback, rebuilt_on_failure

# A visit's nudges leave the live tier this long after the last of them was due (all settled).
ARCHIVE_AFTER: Final = timedelta(days=60)
# Visits per archive shelf: one shelf holds some two thousand nudges (about half a megabyte).
VISITS_PER_SHELF: Final = 100
# What the sender still acts on: a visit with one of these stays live. A failed nudge (everyone on it
# blocked the bot) is never sent again, so it does not keep a visit of years ago in memory.
_ACTIVE_STATES = frozenset({NudgeState.PLANNED, NudgeState.SNOOZED})
_ACTIVE = frozenset(state.value for state in _ACTIVE_STATES)
# Nothing achieved yet: what checklists, /mytasks and escalations look for.
_UNFINISHED = frozenset({NudgeState.PLANNED.value, NudgeState.SNOOZED.value, NudgeState.SENT.value,
                         NudgeState.FAILED.value})




class OpenNudge(NamedTuple):
    """What the index keeps of a live nudge nobody finished: enough to say whether it is open, who
    holds it and how it is listed, without reading its document."""

    id: str
    doc_id: int
    state: str
    due: float  # a timestamp
    visit_id: int
    key: str
    recipients: tuple[Recipient, ...]
    # Who put it off and until when (a timestamp): ``Nudge.snoozed_by`` and ``snoozed_until``, kept
    # once the snooze is over and it went back to them.
    snoozed_by: tuple[int, ...] = ()
    snoozed_until: float | None = None

    @property
    def due_at(self) -> datetime:
        return datetime.fromtimestamp(self.due, UTC)

    @property
    def put_off_until(self) -> datetime | None:
        return None if self.snoozed_until is None else datetime.fromtimestamp(self.snoozed_until, UTC)


# What the indexes keep of a stored nudge: its id, document id, state and due time (a timestamp), and
# for an unfinished one what a list shows (``OpenNudge``).
_Entry = tuple[str, int, object, float, "OpenNudge | None"]
# What the index kept between starts is (``_index_data``): read back only by a repository that writes it so.
_KEPT_VERSION = "1:" + ",".join(OpenNudge._fields)
# Recipient lists, shared: a few dozen distinct ones among tens of thousands of nudges.
_RECIPIENTS: dict[tuple[Recipient, ...], tuple[Recipient, ...]] = {}


def _entry(doc_id: str | int, doc: Mapping[str, Any]) -> _Entry:
    nudge_id, number, state = str(doc["id"]), int(doc_id), doc.get("state")
    due = datetime.fromisoformat(doc["due"]).timestamp()
    if state not in _UNFINISHED:
        return nudge_id, number, state, due, None
    recipients = cast(tuple[Recipient, ...], tuple(doc["recipients"]))
    recipients = _RECIPIENTS.setdefault(recipients, recipients)
    until = doc.get("snoozed_until")
    return nudge_id, number, state, due, OpenNudge(
        nudge_id, number, str(state), due, int(doc["visit_id"]), str(doc["key"]), recipients,
        tuple(int(user_id) for user_id in doc.get("snoozed_by") or ()),
        None if until is None else datetime.fromisoformat(until).timestamp())


def visit_of(nudge_id: str) -> int | None:
    """The visit number in ``visit:<n>:<item>``, or None for an id of another shape."""
    parts = nudge_id.split(":", 2)
    # ASCII digits only: "²" is a digit to ``isdigit`` but no number to ``int``.
    number = parts[1] if len(parts) == 3 and parts[0] == "visit" else ""
    return int(number) if number.isascii() and number.isdigit() else None


class NudgeRepository:
    def __init__(self, table: Table, archive: Archive | None = None) -> None:
        self._table = table
        self._archive = archive
        stored(Nudge)
        self._doc_ids: dict[str, int] = {}
        self._by_visit: dict[int, set[str]] = {}
        # Planned and snoozed nudges, with their state and due time (a timestamp): what the sender
        # looks at every few seconds, answered without reading a document.
        self._active: dict[str, tuple[str, float]] = {}
        # Live nudges not done or cancelled, with what a list shows of them, so a person's open items
        # are found and listed without reading a chunk of the live tier.
        self._unfinished: dict[str, OpenNudge] = {}
        # Those of them held by a standing duty or the host's managers (office, reception, executives,
        # host_manager), by role: the visit's own people are found through their visits.
        self._unfinished_by_role: dict[str, set[str]] = {}
        # The latest due time of each live visit's nudges, so archiving reads only what it moves.
        self._last_due: dict[int, float] = {}
        kept = kept_index(table, "nudges", _KEPT_VERSION, self._index_data)
        if kept is None or not self._read_kept(kept):
            self._reindex()
        on_rollback(table, self._reindex)

    def get(self, nudge_id: str) -> Nudge | None:
        doc_id = self._doc_ids.get(nudge_id)
        if doc_id is not None:
            doc = raw_documents(self._table).get(str(doc_id))
            return from_doc(Nudge, doc) if doc is not None else None
        archived = self._archived(visit_of(nudge_id)).get(nudge_id)
        return from_doc(Nudge, archived) if archived is not None else None

    def save(self, nudge: Nudge) -> Nudge:
        self.save_all([nudge])
        return nudge

    def save_all(self, nudges: Iterable[Nudge]) -> None:
        """Inserts new nudges and replaces stored ones with the same id (the last one given wins)."""
        docs = {nudge.id: to_doc(nudge) for nudge in nudges}
        for visit_id in {visit_of(nudge_id) for nudge_id in docs if nudge_id not in self._doc_ids}:
            self._restore(visit_id)
        fresh = [doc for nudge_id, doc in docs.items() if nudge_id not in self._doc_ids]
        known = {nudge_id: doc for nudge_id, doc in docs.items() if nudge_id in self._doc_ids}
        with rebuilt_on_failure(self._reindex):
            if known:
                self._table.update(replace_by_id(known), doc_ids=[self._doc_ids[i] for i in known])
                self._index(_entry(self._doc_ids[nudge_id], doc) for nudge_id, doc in known.items())
            if fresh:
                doc_ids = self._table.insert_multiple(fresh)
                self._index(_entry(doc_id, doc) for doc, doc_id in zip(fresh, doc_ids, strict=True))

    def for_visit(self, visit_id: int) -> list[Nudge]:
        """The visit's nudges in every state, by due time."""
        raw = raw_documents(self._table)
        found = [raw.get(str(self._doc_ids[nudge_id])) for nudge_id in self._by_visit.get(visit_id, ())]
        docs: Sequence[dict[str, Any]] = [doc for doc in found if doc is not None]
        if not docs:
            docs = list(self._archived(visit_id).values())
        return sorted((from_doc(Nudge, doc) for doc in docs), key=lambda nudge: nudge.due)

    def unfinished_due_by(self, visit_id: int, by: datetime) -> bool | None:
        """Whether one of the visit's items is unfinished and was due at or before ``by``, from the
        index (nothing decoded: a week's list asks this of every visit it shows); None if the visit
        has no live nudges (archived, or none), for the caller to read them."""
        nudge_ids = self._by_visit.get(visit_id)
        if not nudge_ids:
            return None
        moment = by.timestamp()
        return any(entry.due <= moment for entry in filter(None, map(self._unfinished.get, nudge_ids)))

    def state_of(self, nudge_id: str) -> NudgeState | None:
        """A live nudge's state, read without decoding it; None if it is not live."""
        doc_id = self._doc_ids.get(nudge_id)
        doc = None if doc_id is None else raw_documents(self._table).get(str(doc_id))
        return None if doc is None else NudgeState(doc["state"])

    def in_state(self, state: NudgeState) -> list[Nudge]:
        """Every nudge in ``state``, unordered (filtered before decoding). Planned and snoozed ones are
        all live; any other state also reads the whole archive."""
        docs = self._active_docs(lambda s, _: s == state.value) if state in _ACTIVE_STATES \
            else [*raw_documents(self._table).values(), *self._all_archived()]
        return [from_doc(Nudge, doc) for doc in docs if doc.get("state") == state.value]

    def planned_by(self, now: datetime) -> list[Nudge]:
        """Planned nudges due at or before ``now``, unordered. Only those are decoded: a scheduler
        asks every minute, and decoding costs far more than the test on the raw document."""
        planned, by = NudgeState.PLANNED.value, now.timestamp()
        return [from_doc(Nudge, doc) for doc in self._active_docs(lambda s, due: s == planned and due <= by)]

    def visits_due(self, by: datetime) -> list[int]:
        """The visits with an item to send by ``by`` (planned and due, or snoozed until then), by the
        moment their first one goes out; from the index (only snoozed ones are decoded)."""
        planned, moment = NudgeState.PLANNED.value, by.timestamp()
        due = [(due, self._doc_ids[n], n) for n, (state, due) in self._active.items()
               if state == planned and due <= moment]
        snoozed = [n for n in self.in_state(NudgeState.SNOOZED) if n.snoozed_until is not None]
        due += [(n.snoozed_until.timestamp(), self._doc_ids[n.id], n.id) for n in snoozed
                if n.snoozed_until is not None and n.snoozed_until <= by]
        first: dict[int, None] = {}
        for _, _, nudge_id in sorted(due):
            visit_id = visit_of(nudge_id)
            if visit_id is not None:
                first.setdefault(visit_id)
        return list(first)

    def due_of_visit(self, visit_id: int, by: datetime) -> list[Nudge]:
        """The visit's items to send by ``by`` (planned and due, or snoozed until then), read now."""
        planned, snoozed, moment = NudgeState.PLANNED.value, NudgeState.SNOOZED.value, by.timestamp()
        ids = [n for n in self._by_visit.get(visit_id, ()) if n in self._active]
        found = []
        for nudge_id in ids:
            state, due = self._active[nudge_id]
            if state == planned and due > moment:
                continue
            nudge = self.get(nudge_id)
            woken = state != snoozed or (nudge is not None and nudge.snoozed_until is not None
                                         and nudge.snoozed_until <= by)
            if nudge is not None and woken:
                found.append(nudge)
        return found

    def live(self) -> list[Nudge]:
        """The live tier: every planned or snoozed nudge, and the rest of visits not yet archived."""
        return [from_doc(Nudge, doc) for doc in raw_documents(self._table).values()]

    def open_by(self, by: datetime, wanted: Callable[[str], bool] | None = None) -> list[Nudge]:
        """Live checklist items open by ``by`` (``open_entries``) whose ids ``wanted`` accepts,
        decoded; only those documents are read."""
        raw = raw_documents(self._table)
        found = (raw.get(str(entry.doc_id)) for entry in self.open_entries(by)
                 if wanted is None or wanted(entry.id))
        return [from_doc(Nudge, doc) for doc in found if doc is not None]

    def open_entries(self, by: datetime, *, visits: Iterable[int] | None = None,
                     roles: Iterable[str] = ()) -> list[OpenNudge]:
        """The index's live items open by ``by`` (sent, or unfinished and due by then; see
        ``bot.domain.lookups.is_open``), in storage order: of every visit (``visits`` None), or of
        ``visits`` and those held by ``roles`` (office, host_manager ...). Nothing is read or decoded:
        /mytasks lists one person's from this alone."""
        unfinished = self._unfinished
        if visits is None:
            found: Iterable[OpenNudge] = unfinished.values()
        else:
            ids = {nudge_id for visit_id in visits for nudge_id in self._by_visit.get(visit_id, ())}
            ids.update(*(self._unfinished_by_role.get(role, ()) for role in roles))
            found = filter(None, map(unfinished.get, ids))
        sent, moment = NudgeState.SENT.value, by.timestamp()
        return sorted((e for e in found if e.state == sent or e.due <= moment), key=lambda e: e.doc_id)

    def unfinished(self) -> list[Nudge]:
        """Live nudges neither done nor cancelled (what a checklist may show), unordered."""
        finished = (NudgeState.DONE.value, NudgeState.CANCELLED.value)
        return [from_doc(Nudge, doc) for doc in raw_documents(self._table).values()
                if doc.get("state") not in finished]

    def all(self) -> list[Nudge]:
        """Every nudge, the archive included (reads every archive shelf)."""
        live = {str(doc["id"]): doc for doc in raw_documents(self._table).values()}
        archived = (doc for doc in self._all_archived() if str(doc["id"]) not in live)
        return [from_doc(Nudge, doc) for doc in [*live.values(), *archived]]

    # ---- the archive ----------------------------------------------------------------------------

    def archive_settled(self, before: datetime) -> int:
        """Moves to the archive the nudges of every visit whose nudges are all settled (none planned or
        snoozed) and were all
        due before ``before``; returns how many moved. Without an archive, does nothing."""
        if self._archive is None:
            return 0
        active = {visit_of(nudge_id) for nudge_id in self._active}
        old = {visit_id for visit_id, due in self._last_due.items()
               if due < before.timestamp() and visit_id not in active}
        raw = raw_documents(self._table)
        doc_ids = sorted(self._doc_ids[n] for visit_id in old for n in self._by_visit.get(visit_id, ()))
        moving: dict[int, list[tuple[int, dict[str, Any]]]] = {}
        for doc_id in doc_ids:  # in storage order: each chunk read once
            doc = raw[str(doc_id)]
            moving.setdefault(visit_of(str(doc["id"])) or 0, []).append((doc_id, doc))
        if not moving:
            return 0
        shelves: dict[int, list[int]] = {}
        for visit_id in moving:
            shelves.setdefault(visit_id // VISITS_PER_SHELF, []).append(visit_id)
        for shelf, visit_ids in sorted(shelves.items()):
            records = self._archive.get(shelf)
            records.update({str(doc["id"]): dict(doc)
                            for visit_id in visit_ids for _, doc in moving[visit_id]})
            self._archive.put(shelf, records)
        gone = [doc_id for docs in moving.values() for doc_id, _ in docs]
        try:
            self._table.remove(doc_ids=gone)
        finally:
            self._reindex()
        return len(gone)

    def _archived(self, visit_id: int | None) -> dict[str, dict[str, Any]]:
        """The archived nudges of ``visit_id`` by id (none if it has live ones)."""
        if self._archive is None or visit_id is None or visit_id in self._by_visit:
            return {}
        prefix = visit_prefix(visit_id)
        shelf = self._archive.get(visit_id // VISITS_PER_SHELF)
        return {nudge_id: doc for nudge_id, doc in shelf.items() if nudge_id.startswith(prefix)}

    def _all_archived(self) -> list[dict[str, Any]]:
        if self._archive is None:
            return []
        return [doc for shelf in self._archive.shelves() for doc in self._archive.get(shelf).values()]

    def _restore(self, visit_id: int | None) -> None:
        """Brings an archived visit's nudges back to the live tier (live first, then the archive)."""
        archived = self._archived(visit_id)
        if not archived or self._archive is None or visit_id is None:
            return
        with rebuilt_on_failure(self._reindex):
            doc_ids = self._table.insert_multiple(list(archived.values()))
            self._index(_entry(doc_id, doc) for doc, doc_id in zip(archived.values(), doc_ids, strict=True))
        shelf = visit_id // VISITS_PER_SHELF
        records = self._archive.get(shelf)
        self._archive.put(shelf, {k: v for k, v in records.items() if k not in archived})

    def _active_docs(self, wanted: Callable[[str, float], bool]) -> list[dict[str, Any]]:
        """The planned or snoozed documents ``wanted(state, due)`` picks, read in storage order."""
        raw = raw_documents(self._table)
        doc_ids = sorted(self._doc_ids[n] for n, (state, due) in self._active.items() if wanted(state, due))
        found = (raw.get(str(doc_id)) for doc_id in doc_ids)
        return [doc for doc in found if doc is not None]

    def _index(self, entries: Iterable[_Entry]) -> None:
        by_role = self._unfinished_by_role
        for nudge_id, doc_id, state, due, unfinished in entries:
            self._doc_ids[nudge_id] = doc_id
            visit_id = visit_of(nudge_id)
            if visit_id is not None:
                self._by_visit.setdefault(visit_id, set()).add(nudge_id)
                self._last_due[visit_id] = max(self._last_due.get(visit_id, due), due)
            if state in _ACTIVE:
                self._active[nudge_id] = (str(state), due)
            else:
                self._active.pop(nudge_id, None)
            before = self._unfinished.pop(nudge_id, None)
            if before is not None:
                for role in before.recipients:
                    if role not in VISIT_ROLES:
                        by_role[role].discard(nudge_id)
            if unfinished is not None:
                self._unfinished[nudge_id] = unfinished
                for role in unfinished.recipients:
                    if role not in VISIT_ROLES:
                        by_role.setdefault(role, set()).add(nudge_id)

    def _reindex(self) -> None:
        self._clear()
        self._index(each_document(self._table, _entry))

    def _clear(self) -> None:
        self._doc_ids, self._by_visit, self._active, self._last_due = {}, {}, {}, {}
        self._unfinished, self._unfinished_by_role = {}, {}

    def _index_data(self) -> dict[str, list[Any]]:
        """The index as JSON data, kept between starts (``bot.storage.kept_index``)."""
        return {"ids": list(self._doc_ids.items()), "last_due": list(self._last_due.items()),
                "unfinished": [list(entry) for entry in self._unfinished.values()]}

    def _read_kept(self, kept: Any) -> bool:
        """The index from what a clean close kept; False if it cannot be read (then it is rebuilt)."""
        self._clear()
        try:
            self._doc_ids = {str(nudge_id): int(doc_id) for nudge_id, doc_id in kept["ids"]}
            for nudge_id in self._doc_ids:
                visit_id = visit_of(nudge_id)
                if visit_id is not None:
                    self._by_visit.setdefault(visit_id, set()).add(nudge_id)
            self._last_due = {int(visit_id): float(due) for visit_id, due in kept["last_due"]}
            entries = []
            for (nudge_id, doc_id, state, due, visit_id, key, recipients, snoozed_by,
                 snoozed_until) in kept["unfinished"]:
                roles = tuple(recipients)
                roles = _RECIPIENTS.setdefault(roles, roles)
                entries.append((nudge_id, doc_id, state, due,
                                OpenNudge(nudge_id, doc_id, state, due, visit_id, key, roles,
                                          tuple(snoozed_by), snoozed_until)))
            self._index(entries)
        except (KeyError, TypeError, ValueError):
            self._clear()
            return False
        return True
