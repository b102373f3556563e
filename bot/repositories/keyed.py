"""A collection of one dataclass type keyed by an integer id, which is also the TinyDB document id,
so a look-up by id is a dictionary access rather than a scan of the table.

Decoding a document costs 5-15 µs; the lists people ask for most (this week: seventy visits) decode
the same documents again and again. A repository may keep its most recently read items (``keep``):
the items are frozen, and the repository is its table's only writer, so every save and delete drops
the item, as does a rollback of the table (``on_rollback``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from tinydb.table import Document, Table

from bot.repositories.codec import from_doc, raw_documents, stored, to_doc
from bot.storage import on_rollback

T = TypeVar("T")


class KeyedDocuments(Generic[T]):
    def __init__(self, table: Table, kind: type[T], key: Callable[[T], int], *, keep: int = 0) -> None:
        self._table = table
        self._kind = kind
        self._key = key
        stored(kind)
        self._keep = keep
        self._kept: OrderedDict[int, T] = OrderedDict()  # the latest read, the least recent first
        if keep:
            self.on_rollback(self._kept.clear)

    def on_rollback(self, forget: Callable[[], None]) -> None:
        """``forget`` is called when the collection goes back to the disk's state (see
        ``bot.storage.on_rollback``): whoever keeps something derived from it drops it."""
        on_rollback(self._table, forget)

    def get(self, key: int) -> T | None:
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            return kept
        doc = raw_documents(self._table).get(str(key))
        if doc is None:
            return None
        item = from_doc(self._kind, doc)
        if self._keep:
            self._kept[key] = item
            if len(self._kept) > self._keep:
                self._kept.popitem(last=False)
        return item

    def save(self, item: T) -> T:
        self._kept.pop(self._key(item), None)
        self._table.upsert(Document(to_doc(item), doc_id=self._key(item)))
        return item

    def insert_many(self, items: list[T]) -> None:
        """Stores new items in one write (all or none); an id already taken raises ValueError."""
        for item in items:
            self._kept.pop(self._key(item), None)
        self._table.insert_multiple([Document(to_doc(item), doc_id=self._key(item)) for item in items])

    def delete_many(self, keys: list[int]) -> None:
        """Removes the items with these ids in one write."""
        present = [key for key in keys if self._table.contains(doc_id=key)]
        for key in present:
            self._kept.pop(key, None)
        if present:
            self._table.remove(doc_ids=present)

    def delete(self, key: int) -> None:
        self._kept.pop(key, None)
        if self._table.contains(doc_id=key):
            self._table.remove(doc_ids=[key])

    def all(self) -> list[T]:
        return [from_doc(self._kind, doc) for doc in self._table.all()]

    def pieces(self, size: int) -> Iterator[list[T]]:
        """Every item, ``size`` at a time, each decoded when its piece comes (a long sweep goes a slice
        of the core at a time: ``bot.core.slices``). Items written between two pieces may be missed."""
        raw = raw_documents(self._table)
        ids = list(raw)
        for start in range(0, len(ids), size):
            found = (raw.get(doc_id) for doc_id in ids[start:start + size])
            yield [from_doc(self._kind, doc) for doc in found if doc is not None]
