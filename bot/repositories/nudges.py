"""Nudges in the TinyDB table "nudges", looked up by their string id (``visit:12:venue``).

TinyDB's document ids are integers, so each document keeps its string id in an ``id`` field and
this repository keeps an index from string id to document id in memory, built with one scan when it
is created. Why not derive a stable integer from the string (a hash)? A 64-bit hash can collide, a
collision would silently overwrite another visit's nudge, and document ids would become unreadable
numbers in the data file. The index is cheap: ``Database`` refuses a second writer, the storage
already holds every document in memory, and this repository is the table's only user.

Writes are batched: re-planning a visit touches some thirty nudges, and every TinyDB write rewrites
and fsyncs the whole file, so ``save_all`` does at most one insert and one update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping, Sequence
from datetime import datetime
from typing import Any

from tinydb.table import Document, Table

from bot.domain.nudges import Nudge, NudgeState, visit_prefix
from bot.repositories.codec import from_doc, to_doc


class NudgeRepository:
    def __init__(self, table: Table) -> None:
        self._table = table
        self._doc_ids: dict[str, int] = {}
        self._reindex()

    def get(self, nudge_id: str) -> Nudge | None:
        doc_id = self._doc_ids.get(nudge_id)
        doc = None if doc_id is None else self._table.get(doc_id=doc_id)
        return from_doc(Nudge, doc) if isinstance(doc, dict) else None

    def save(self, nudge: Nudge) -> Nudge:
        self.save_all([nudge])
        return nudge

    def save_all(self, nudges: Iterable[Nudge]) -> None:
        """Inserts new nudges and replaces stored ones with the same id (the last one given wins)."""
        docs = {nudge.id: to_doc(nudge) for nudge in nudges}
        fresh = [doc for nudge_id, doc in docs.items() if nudge_id not in self._doc_ids]
        known = {nudge_id: doc for nudge_id, doc in docs.items() if nudge_id in self._doc_ids}
        try:
            if known:
                self._table.update(_replace_from(known), doc_ids=[self._doc_ids[i] for i in known])
            if fresh:
                doc_ids = self._table.insert_multiple(fresh)
                self._doc_ids.update(zip((doc["id"] for doc in fresh), doc_ids, strict=True))
        except BaseException:
            # A write can fail after the file was replaced (the directory fsync); the table then
            # holds documents this index does not know, which would be inserted twice next time.
            self._reindex()
            raise

    def for_visit(self, visit_id: int) -> list[Nudge]:
        """The visit's nudges in every state, by due time."""
        prefix = visit_prefix(visit_id)
        doc_ids = [doc_id for nudge_id, doc_id in self._doc_ids.items() if nudge_id.startswith(prefix)]
        docs: Sequence[Document] = self._table.get(doc_ids=doc_ids) if doc_ids else []
        return sorted((from_doc(Nudge, doc) for doc in docs), key=lambda nudge: nudge.due)

    def in_state(self, state: NudgeState) -> list[Nudge]:
        """Every nudge in ``state``, unordered (filtered before decoding: the table grows with time)."""
        return [from_doc(Nudge, doc) for doc in self._table.all() if doc.get("state") == state.value]

    def planned_by(self, now: datetime) -> list[Nudge]:
        """Planned nudges due at or before ``now``, unordered. Only those are decoded: a scheduler
        asks every minute, and decoding costs far more than the test on the raw document."""
        planned = NudgeState.PLANNED.value
        return [
            from_doc(Nudge, doc)
            for doc in self._table.all()
            if doc.get("state") == planned and datetime.fromisoformat(doc["due"]) <= now
        ]

    def all(self) -> list[Nudge]:
        return [from_doc(Nudge, doc) for doc in self._table.all()]

    def _reindex(self) -> None:
        self._doc_ids = {str(doc["id"]): doc.doc_id for doc in self._table.all()}


def _replace_from(docs: dict[str, dict[str, Any]]) -> Callable[[MutableMapping[str, Any]], None]:
    """A TinyDB update function that replaces each document's fields with its new version's."""

    def replace(stored: MutableMapping[str, Any]) -> None:
        new = docs[stored["id"]]
        stored.clear()
        stored.update(new)

    return replace
