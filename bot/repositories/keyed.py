"""A collection of one dataclass type keyed by an integer id, which is also the TinyDB document id,
so a look-up by id is a dictionary access rather than a scan of the table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from tinydb.table import Document, Table

from bot.repositories.codec import from_doc, stored, to_doc
from bot.storage import on_rollback

T = TypeVar("T")


class KeyedDocuments(Generic[T]):
    def __init__(self, table: Table, kind: type[T], key: Callable[[T], int]) -> None:
        self._table = table
        self._kind = kind
        self._key = key
        stored(kind)

    def on_rollback(self, forget: Callable[[], None]) -> None:
        """``forget`` is called when the collection goes back to the disk's state (see
        ``bot.storage.on_rollback``): whoever keeps something derived from it drops it."""
        on_rollback(self._table, forget)

    def get(self, key: int) -> T | None:
        doc = self._table.get(doc_id=key)
        return from_doc(self._kind, doc) if isinstance(doc, dict) else None

    def save(self, item: T) -> T:
        self._table.upsert(Document(to_doc(item), doc_id=self._key(item)))
        return item

    def insert_many(self, items: list[T]) -> None:
        """Stores new items in one write (all or none); an id already taken raises ValueError."""
        self._table.insert_multiple([Document(to_doc(item), doc_id=self._key(item)) for item in items])

    def delete_many(self, keys: list[int]) -> None:
        """Removes the items with these ids in one write."""
        present = [key for key in keys if self._table.contains(doc_id=key)]
        if present:
            self._table.remove(doc_ids=present)

    def delete(self, key: int) -> None:
        if self._table.contains(doc_id=key):
            self._table.remove(doc_ids=[key])

    def all(self) -> list[T]:
        return [from_doc(self._kind, doc) for doc in self._table.all()]
