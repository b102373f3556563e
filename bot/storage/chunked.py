"""A large collection split into chunk files, so that a write rewrites only what it changed.

Why: one file per collection means every write rewrites the whole collection. At 25,000 visits the
visits file is 20 MB and the nudges file 140 MB; saving one nudge then costs a second. Here a
collection lives in a directory, ``<data_dir>/<name>/``, as chunk files ``c<number>.json`` of at most
``CHUNK_DOCS`` documents each (document ``n`` is in chunk ``n // CHUNK_DOCS``), and a write rewrites
only the chunks whose documents it touched: a few hundred kilobytes, whatever the collection's size.

Each chunk is written exactly like ``AtomicJSONStorage`` writes a file (temporary file, fsync,
``os.replace``, directory fsync), so every chunk is always complete. A write that touches several
chunks (rare: a batch spanning a chunk boundary, a query that updates everything) must land whole
or not at all, so it goes through a redo journal first: ``journal.json`` holds the new content of
every chunk concerned and is itself written atomically; then the chunks are replaced and the
journal deleted. Opening the collection replays a journal left by a crash, which finishes the
interrupted write. Either way an acknowledged write is on disk, and no reader ever sees half a
write.

``ChunkedTable`` is TinyDB's ``Table`` with one change: instead of copying the whole table on every
write (TinyDB rebuilds the table dict twice per write: O(n) even before the disk), the update runs on
the stored dict through a view that records which documents it touched; the storage then writes
those documents' chunks. Reads are TinyDB's own, on the data kept in memory.

Like ``AtomicJSONStorage``: everything is read once at open and kept in memory, store only JSON
types, change data only through ``Table`` methods, and use it from one thread.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, Final

import orjson
from tinydb.storages import Storage
from tinydb.table import Table

from bot.storage.atomic import _ENCODE_OPTIONS, Fsync, Tables, fsync_directory, is_temp_file, replace_file
from bot.storage.errors import DatabaseError

CHUNK_DOCS: Final = 1000
# The collections kept in chunks (they grow with the years); every other one is a single file.
CHUNKED: Final = frozenset({"visits", "nudges", "clients", "contacts", "debriefs", "tasks", "contact_log"})
JOURNAL: Final = "journal.json"
_CHUNK_NAME = re.compile(r"c([0-9]{6})\.json")
_DOC_ID = re.compile(r"[0-9]+")


def chunk_name(chunk: int) -> str:
    return f"c{chunk:06d}.json"


def split_into_chunks(docs: Mapping[str, Any], chunk_docs: int = CHUNK_DOCS) -> dict[int, dict[str, Any]]:
    """Documents by chunk number (``doc_id // chunk_docs``)."""
    chunks: dict[int, dict[str, Any]] = {}
    for doc_id, doc in docs.items():
        chunks.setdefault(int(doc_id) // chunk_docs, {})[doc_id] = doc
    return chunks


class ChunkedStorage(Storage):
    """TinyDB storage for one collection kept in chunk files (see the module docstring)."""

    def __init__(self, directory: Path, name: str, *, chunk_docs: int = CHUNK_DOCS,
                 fsync: Fsync = os.fsync) -> None:
        super().__init__()
        self._dir = directory
        self._name = name
        self._chunk_docs = chunk_docs
        self._fsync = fsync
        self._closed = False
        self.on_rollback: Callable[[], None] | None = None
        # Document ids touched since the last write, or None for "every chunk" (a clear, a scan).
        self._touched: set[int] | None = set()
        self._data: Tables | None = None
        self._load()

    @property
    def directory(self) -> Path:
        return self._dir

    def files(self) -> list[Path]:
        """The chunk files on disk, in chunk order."""
        if not self._dir.is_dir():
            return []
        return sorted(p for p in self._dir.iterdir() if _CHUNK_NAME.fullmatch(p.name))

    def read(self) -> Tables | None:
        self._check_open()
        return self._data

    def touched(self, doc_ids: Iterable[int] | None) -> None:
        """Records which documents the coming ``write`` changes (None: possibly all of them)."""
        if doc_ids is None or self._touched is None:
            self._touched = None
        else:
            self._touched.update(doc_ids)

    def write(self, data: Tables) -> None:
        """Writes the chunks of the documents reported through ``touched`` (all if none were)."""
        self._check_open()
        touched, self._touched = self._touched, set()
        docs = data.get(self._name, {})
        try:
            payloads = self._payloads(docs, touched)
            self._write_chunks(payloads)
        except BaseException:
            self._rollback()
            raise
        self._data = data

    def write_all(self, docs: Mapping[str, Any]) -> None:
        """Replaces the whole collection with ``docs`` (migrations and bulk loads)."""
        self.touched(None)
        self.write({self._name: dict(docs)})

    def close(self) -> None:
        self._closed = True

    def discard(self) -> None:
        """Forgets changes made in memory that were not written: back to what the disk holds."""
        self._touched = set()
        self._rollback()

    # ---- internals --------------------------------------------------------------------------

    def _payloads(self, docs: Mapping[str, Any], touched: set[int] | None) -> dict[int, bytes | None]:
        """New content of each chunk to write; None deletes an emptied chunk's file."""
        if touched is None:
            wanted = set(split_into_chunks(docs, self._chunk_docs))
            wanted |= {int(m.group(1)) for p in self.files() if (m := _CHUNK_NAME.fullmatch(p.name))}
        else:
            wanted = {doc_id // self._chunk_docs for doc_id in touched}
        payloads: dict[int, bytes | None] = {}
        for chunk in sorted(wanted):
            first, end = chunk * self._chunk_docs, (chunk + 1) * self._chunk_docs
            content = {str(i): docs[str(i)] for i in range(first, end) if str(i) in docs}
            payloads[chunk] = orjson.dumps(content, option=_ENCODE_OPTIONS) if content else None
        return payloads

    def _write_chunks(self, payloads: dict[int, bytes | None]) -> None:
        if not payloads:
            return
        _make_dir(self._dir, self._fsync)
        if len(payloads) == 1:
            (chunk, payload), = payloads.items()
            self._put(chunk, payload)
            fsync_directory(self._dir, self._fsync)
            return
        journal = {chunk_name(c): None if p is None else orjson.Fragment(p) for c, p in payloads.items()}
        replace_file(self._dir / JOURNAL, orjson.dumps(journal), self._fsync)
        fsync_directory(self._dir, self._fsync)  # the journal is durable: the write will happen
        for chunk, payload in payloads.items():
            self._put(chunk, payload)
        fsync_directory(self._dir, self._fsync)
        (self._dir / JOURNAL).unlink()
        fsync_directory(self._dir, self._fsync)

    def _put(self, chunk: int, payload: bytes | None) -> None:
        target = self._dir / chunk_name(chunk)
        if payload is None:
            target.unlink(missing_ok=True)
        else:
            replace_file(target, payload, self._fsync)

    def _load(self) -> None:
        """Replays a journal left by a crash, removes temporary files, reads every chunk."""
        if not self._dir.is_dir():
            return
        journal_path = self._dir / JOURNAL
        if journal_path.exists():
            self._replay(journal_path)
        docs: dict[str, Any] = {}
        for path in sorted(self._dir.iterdir()):
            if is_temp_file(path):
                path.unlink()  # left by a crash before its rename; the chunk has its old version
                continue
            match = _CHUNK_NAME.fullmatch(path.name)
            if match is None:
                continue
            docs.update(self._read_chunk(path, int(match.group(1))))
        self._data = {self._name: docs} if docs or self.files() else None

    def _replay(self, journal_path: Path) -> None:
        try:
            journal = orjson.loads(journal_path.read_bytes())
        except (OSError, orjson.JSONDecodeError) as exc:
            raise DatabaseError(
                f"journal {journal_path} cannot be read ({exc}); it was left unchanged") from exc
        if not isinstance(journal, dict) or not all(_CHUNK_NAME.fullmatch(str(n)) for n in journal):
            raise DatabaseError(f"journal {journal_path} is not a chunk journal; it was left unchanged")
        for name, content in journal.items():
            target = self._dir / name
            if content is None:
                target.unlink(missing_ok=True)
            else:
                replace_file(target, orjson.dumps(content, option=_ENCODE_OPTIONS), self._fsync)
        fsync_directory(self._dir, self._fsync)
        journal_path.unlink()
        fsync_directory(self._dir, self._fsync)

    def _read_chunk(self, path: Path, chunk: int) -> dict[str, Any]:
        try:
            content = orjson.loads(path.read_bytes())
        except OSError as exc:
            raise DatabaseError(f"data file {path} cannot be read: {exc}") from exc
        except orjson.JSONDecodeError as exc:
            raise DatabaseError(f"data file {path} is not valid JSON ({exc}); it was left unchanged") from exc
        if not isinstance(content, dict):
            raise DatabaseError(f"data file {path} is not a chunk of documents; it was left unchanged")
        for doc_id, doc in content.items():
            if not _DOC_ID.fullmatch(doc_id) or int(doc_id) // self._chunk_docs != chunk \
                    or not isinstance(doc, dict):
                raise DatabaseError(f"data file {path} holds document {doc_id!r}, which does not belong "
                                    "in it; it was left unchanged")
        result: dict[str, Any] = content
        return result

    def _rollback(self) -> None:
        """After a failed write, memory is put back to what the disk holds (the updater has
        already changed it). A journal that made it to disk is replayed: that write happened."""
        self._data = None
        self._load()
        if self.on_rollback is not None:
            self.on_rollback()

    def _check_open(self) -> None:
        if self._closed:
            raise DatabaseError(f"collection {self._dir} is closed (its Database was closed)")


class _Touches(MutableMapping[int, Any]):
    """The stored ``{"<id>": doc}`` dict seen as ``{id: doc}`` (as TinyDB's updaters expect),
    recording which documents an updater reads for change, writes or deletes."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self._raw = raw
        self.ids: set[int] | None = set()

    def __getitem__(self, doc_id: int) -> Any:
        doc = self._raw[str(doc_id)]
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


class ChunkedTable(Table):
    """A TinyDB table whose writes rewrite only the chunks they change (see the module docstring)."""

    _storage: ChunkedStorage

    def _update_table(self, updater: Callable[[dict[int, Mapping[str, Any]]], None]) -> None:
        tables = self._storage.read()
        if tables is None:
            tables = {}
        raw = tables.setdefault(self.name, {})
        view = _Touches(raw)
        try:
            updater(view)  # type: ignore[arg-type]  # a MutableMapping where TinyDB types a dict
        except BaseException:
            self._storage.discard()  # the updater may have changed documents before it failed
            raise
        self._storage.touched(view.ids)
        self._storage.write(tables)
        self.clear_cache()


def _make_dir(directory: Path, fsync: Fsync) -> None:
    try:
        directory.mkdir()
    except FileExistsError:
        return
    fsync_directory(directory.parent, fsync)
