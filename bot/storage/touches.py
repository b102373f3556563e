"""TinyDB tables whose writes know which documents they changed.

TinyDB's ``Table`` rebuilds the whole ``{id: doc}`` dict of a table on every write and hands the
storage everything; a storage can then only write (or journal) the whole collection. Every
collection of ours keeps its documents in memory, and the write-ahead log only needs what changed:
the documents of one dialog step, not the drafts of every colleague (hundreds of kilobytes in a
big company). ``TouchingTable`` gives the updater a view of the stored documents that records which
ones it reads for change, writes or deletes, and tells the storage (``touched``) before it writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from typing import Any, Protocol

from tinydb.table import Table


class DocumentStore(Protocol):
    """What a ``TouchingTable`` needs of its storage."""

    def documents(self, table: str) -> MutableMapping[str, dict[str, Any]]:
        """The table's stored documents by id string, changed in place by the updater."""

    def touched(self, doc_ids: set[int] | None, table: str) -> None:
        """The documents of ``table`` the coming ``write`` changes (None: maybe all of them)."""

    def discard(self) -> None:
        """Back to what the disk holds (an updater failed half way)."""

    def read(self) -> dict[str, Any] | None: ...

    def write(self, data: dict[str, Any]) -> None: ...


class Touches(MutableMapping[int, Any]):
    """The stored ``{"<id>": doc}`` dict seen as ``{id: doc}`` (as TinyDB's updaters expect),
    recording which documents an updater reads for change, writes or deletes."""

    def __init__(self, raw: MutableMapping[str, dict[str, Any]]) -> None:
        self._raw = raw
        # A chunked collection decodes a chunk for change (``for_change``); a dict is just read.
        self._for_change: Callable[[str], dict[str, Any]] = getattr(raw, "for_change", raw.__getitem__)
        self.ids: set[int] | None = set()

    def __getitem__(self, doc_id: int) -> Any:
        doc = self._for_change(str(doc_id))
        if self.ids is not None:
            self.ids.add(doc_id)  # the updater may change the document in place
        return doc

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        self._raw[str(doc_id)] = doc
        if self.ids is not None:
            self.ids.add(doc_id)

    def __delitem__(self, doc_id: int) -> None:
        del self._raw[str(doc_id)]
        if self.ids is not None:
            self.ids.add(doc_id)

    def __contains__(self, doc_id: object) -> bool:
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(doc_id) for doc_id in list(self._raw))

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        self._raw.clear()
        self.ids = None


class TouchingTable(Table):
    """A TinyDB table that changes its documents in place and tells its storage which it changed."""

    _storage: DocumentStore  # type: ignore[assignment]

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        view = Touches(self._storage.documents(self.name))
        try:
            updater(view)  # type: ignore[arg-type]  # a MutableMapping where TinyDB types a dict
        except BaseException:
            self._storage.discard()  # the updater may have changed documents before it failed
            raise
        self._storage.touched(view.ids, self.name)
        self._storage.write(self._storage.read() or {})
        self.clear_cache()
