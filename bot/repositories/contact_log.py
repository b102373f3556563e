"""The contact log and the records of what the relationship sweep sent, in TinyDB.

Log entries are numbered (the document id), like visits. Reminders, digests and sweeps are named
by what they are about (``12:contact:2026-10-01``, ``7:2026-09-22``, ``2026-09-22``): looking one up
by name is how the sweep knows it already sent it, so each table keeps an index from name to
document id in memory, built with one scan when it is opened (this repository is its only writer).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from tinydb.table import Document, Table

from bot.domain.relationship import ContactEntry, Digest, Reminder, Sweep
from bot.repositories.codec import each_document, from_doc, highest_id, replace_by_id, stored, to_doc
from bot.repositories.keyed import KeyedDocuments
from bot.storage import on_rollback, rebuilt_on_failure

T = TypeVar("T")


class ContactLogRepository(KeyedDocuments[ContactEntry]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, ContactEntry, lambda entry: entry.id)
        self._table = table

    def next_id(self) -> int:
        return highest_id(self._table) + 1


class Named(Generic[T]):
    """Records of one type, each under a string id held in its ``id`` field."""

    def __init__(self, table: Table, kind: type[T], key: Callable[[T], str]) -> None:
        self._table = table
        self._kind = kind
        self._key = key
        stored(kind)
        self._doc_ids: dict[str, int] = {}
        self._reindex()
        on_rollback(table, self._reindex)

    def get(self, record_id: str) -> T | None:
        doc_id = self._doc_ids.get(record_id)
        doc = None if doc_id is None else self._table.get(doc_id=doc_id)
        return from_doc(self._kind, doc) if isinstance(doc, dict) else None

    def save(self, record: T) -> T:
        record_id = self._key(record)
        doc_id = self._doc_ids.get(record_id)
        with rebuilt_on_failure(self._reindex):
            if doc_id is None:
                self._doc_ids[record_id] = self._table.insert(to_doc(record))
            else:
                self._table.upsert(Document(to_doc(record), doc_id=doc_id))
        return record

    def save_all(self, records: list[T]) -> None:
        """Stores many records in two writes (the changed ones, then the new ones), not one each."""
        new_docs, changed, doc_ids = [], {}, []
        for record in records:
            doc_id = self._doc_ids.get(self._key(record))
            if doc_id is None:
                new_docs.append(to_doc(record))
            else:
                changed[self._key(record)] = to_doc(record)
                doc_ids.append(doc_id)
        with rebuilt_on_failure(self._reindex):
            if changed:
                self._table.update(replace_by_id(changed), doc_ids=doc_ids)
            if new_docs:
                ids = self._table.insert_multiple(new_docs)
                self._doc_ids.update(
                    (str(doc["id"]), doc_id) for doc, doc_id in zip(new_docs, ids, strict=True))

    def remove(self, record_ids: Iterable[str]) -> None:
        """Forgets these records (one write); unknown ids are ignored."""
        wanted = [record_id for record_id in record_ids if record_id in self._doc_ids]
        if not wanted:
            return
        with rebuilt_on_failure(self._reindex):
            self._table.remove(doc_ids=[self._doc_ids[record_id] for record_id in wanted])
        for record_id in wanted:
            del self._doc_ids[record_id]

    def _reindex(self) -> None:
        self._doc_ids = dict(each_document(self._table, lambda doc_id, doc: (str(doc["id"]), int(doc_id))))


class RelationshipRecords:
    """What the sweep sent: cadence reminders, greeting digests, and the days it ran."""

    def __init__(self, reminders: Table, digests: Table, sweeps: Table) -> None:
        self.reminders = Named(reminders, Reminder, lambda r: r.id)
        self.digests = Named(digests, Digest, lambda d: d.id)
        self.sweeps = Named(sweeps, Sweep, lambda s: s.id)
