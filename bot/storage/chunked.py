"""A large collection split into chunk files, so that a write rewrites only what it changed.

Why: one file per collection means every write rewrites the whole collection. At 25,000 visits the
visits file is 20 MB and the nudges file 140 MB; saving one nudge then costs a second. Here a
collection lives in a directory, ``<data_dir>/<name>/``, as chunk files ``c<number>.json`` of at most
``CHUNK_DOCS`` documents each (document ``n`` is in chunk ``n // CHUNK_DOCS``), and a write rewrites
only the chunks whose documents it touched: a few hundred kilobytes, whatever the collection's size.
A chunk whose documents were all removed keeps its file (``{}``): ``meta.json`` lists the chunk files,
and one missing stops the start (``bot.storage.database``). Ids never go back: the collection knows
the highest id it ever used (``highest``), removed documents' too.

In a ``Database`` a write goes first to its write-ahead log (``bot.storage.wal``): the documents it
touched are appended there, and the chunks they live in are written at the next checkpoint
(``flush``), staying decoded in memory until then. Used alone (as some tests do), or for a write of
the whole collection, the chunks are written at once, as follows.

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

Memory: at open every chunk file is checked to be a whole JSON object (a cut file stops the start),
but none is read. A chunk is read from its file and decoded when one of its documents is asked for
(the first time, it is checked to hold documents of that chunk; the repositories that index a
collection do that for all of it at start). The file is the truth: this process is its only writer,
and a write replaces it atomically. Only the ``keep`` most recently used decoded chunks stay in
memory (``KEEP``: four for the nudges, two for the others; recent documents are the ones asked
for). Iterating the collection decodes one chunk after another.

Like ``AtomicJSONStorage``: store only JSON types, change data only through ``Table`` methods, and
use it from one thread.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, Final

import orjson
from tinydb.storages import Storage

from bot.storage.atomic import (
    _ENCODE_OPTIONS,
    Fsync,
    Tables,
    documents_problem,
    fsync_directory,
    is_temp_file,
    replace_file,
)
from bot.storage.errors import DamagedData, DatabaseError, decoded_json, json_object
from bot.storage.touches import TouchingTable
from bot.storage.wal import Journal

CHUNK_DOCS: Final = 1000
# The collections kept in chunks (they grow with the years); every other one is a single file.
CHUNKED: Final = frozenset({"visits", "nudges", "clients", "contacts", "debriefs", "tasks", "contact_log",
                            "relationship_reminders", "greeting_digests"})
# How many decoded chunks each collection keeps in memory (None: all); the default is ``KEEP_DEFAULT``.
# Clients all: a client search decodes the few best matches, which may lie in any chunk (five at
# 5,000 clients, a megabyte or so on disk), and re-reading an evicted chunk slowed every search.
# The others few: lists and checklists read the indexes (``bot.repositories``), and each decoded chunk
# costs about five times its file in memory (a dozen nudge chunks were 14 MB at 25,000 visits).
KEEP: Final[dict[str, int | None]] = {"nudges": 4, "clients": None}
KEEP_DEFAULT: Final = 2
JOURNAL: Final = "journal.json"
# An index a repository derived from the collection, written at a clean close (``keep``), hidden so
# that backups leave it out.
KEPT: Final = ".kept-{name}.json"
_CHUNK_NAME = re.compile(r"c([0-9]{6})\.json")
_DOC_ID = re.compile(r"[0-9]+")


def chunk_name(chunk: int) -> str:
    return f"c{chunk:06d}.json"


class Documents(MutableMapping[str, dict[str, Any]]):
    """A collection's documents by id string, each chunk read from its file and decoded on demand,
    a few kept decoded (see the module docstring). Keys come in id order."""

    def __init__(self, chunk_docs: int, keep: int | None, read: Callable[[int], bytes],
                 check: Callable[[int, bytes], dict[str, Any]], floor: int = 0) -> None:
        self._chunk_docs = chunk_docs
        # The highest id ever used, as far as known without reading a chunk (a removed document's
        # too): ids never go back, or a new client would take the number, and the contacts and
        # visits, of a removed one.
        self.floor = floor
        self._keep = keep
        self._read = read
        self._check = check
        # The chunks that have a file; a chunk not decoded is read from its file when needed.
        self._on_disk: set[int] = set()
        # The document ids of each chunk, learnt when the chunk is first decoded (and checked).
        self._ids: dict[int, set[int]] = {}
        self._decoded: OrderedDict[int, dict[str, dict[str, Any]]] = OrderedDict()
        # Decoded chunks changed (or handed out for change) since they were last encoded: kept.
        self._pinned: set[int] = set()

    def add_chunk(self, chunk: int) -> None:
        """A chunk file found on disk, not yet read."""
        self._on_disk.add(chunk)

    def on_disk(self) -> list[int]:
        """The chunks that have a file, in order."""
        return sorted(self._on_disk)

    def chunks(self) -> list[int]:
        """The chunks holding documents, in order (decoding the ones not yet seen)."""
        return [chunk for chunk in self._every_chunk() if self._ids_of(chunk)]

    def highest(self) -> int:
        """The highest document id ever used, 0 if none (decodes only the last chunks)."""
        for chunk in reversed(self._every_chunk()):
            ids = self._ids_of(chunk)
            if ids:
                self.floor = max(*ids, self.floor)
                break
        return self.floor

    def content(self, chunk: int) -> dict[str, dict[str, Any]]:
        """The chunk's documents in id order (what its file must hold)."""
        decoded = self._chunk(chunk)
        return {str(i): decoded[str(i)] for i in sorted(self._ids.get(chunk, ()))}

    def committed(self, chunk: int) -> None:
        """The chunk was written to its file; it may be evicted again."""
        self._on_disk.add(chunk)
        self._pinned.discard(chunk)
        self._evict()

    def for_change(self, doc_id: str) -> dict[str, Any]:
        """A document that is about to be changed in place: its chunk stays decoded until written."""
        doc = self[doc_id]
        self._pinned.add(int(doc_id) // self._chunk_docs)
        return doc

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        number = int(doc_id)
        chunk = number // self._chunk_docs
        if number not in self._ids_of(chunk):
            raise KeyError(doc_id)
        return self._chunk(chunk)[doc_id]

    def __setitem__(self, doc_id: str, doc: dict[str, Any]) -> None:
        number = int(doc_id)
        chunk = number // self._chunk_docs
        self._pinned.add(chunk)
        self._chunk(chunk)[str(number)] = doc
        self._ids[chunk].add(number)
        self.floor = max(self.floor, number)

    def __delitem__(self, doc_id: str) -> None:
        number = int(doc_id)
        chunk = number // self._chunk_docs
        if number not in self._ids_of(chunk):
            raise KeyError(doc_id)
        self._pinned.add(chunk)
        del self._chunk(chunk)[str(number)]
        self._ids[chunk].discard(number)
        self.floor = max(self.floor, number)

    def __contains__(self, doc_id: object) -> bool:
        try:
            number = int(str(doc_id))
        except ValueError:
            return False
        return number in self._ids_of(number // self._chunk_docs)

    def __iter__(self) -> Iterator[str]:
        for chunk in self.chunks():
            yield from (str(i) for i in sorted(self._ids[chunk]))

    def __len__(self) -> int:
        return sum(len(self._ids[chunk]) for chunk in self.chunks())

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """Every document, one chunk decoded at a time."""
        for chunk in self._filled_chunks():
            yield from list(self._chunk(chunk).items())

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        for chunk in self._filled_chunks():
            yield from list(self._chunk(chunk).values())

    def clear(self) -> None:
        self.floor = self.highest()
        for chunk in self._on_disk | self._ids.keys():
            self._decoded[chunk] = {}
            self._ids[chunk] = set()
            self._pinned.add(chunk)

    def _chunk(self, chunk: int) -> dict[str, dict[str, Any]]:
        decoded = self._decoded.get(chunk)
        if decoded is None:
            if chunk not in self._on_disk:
                decoded = {}
            elif chunk in self._ids:
                decoded = orjson.loads(self._read(chunk))
            else:
                decoded = self._check(chunk, self._read(chunk))  # the first decoding of this file
            self._decoded[chunk] = decoded
            self._ids.setdefault(chunk, {int(doc_id) for doc_id in decoded})
            self._evict(sparing=chunk)
        else:
            self._decoded.move_to_end(chunk)
        return decoded

    def _every_chunk(self) -> list[int]:
        return sorted(self._on_disk | self._ids.keys())

    def _filled_chunks(self) -> list[int]:
        """Every chunk but those known to be empty (an emptied chunk keeps its file: see
        ``ChunkedStorage``), each still to be decoded at most once."""
        return [chunk for chunk in self._every_chunk() if self._ids.get(chunk) != set()]

    def _ids_of(self, chunk: int) -> set[int]:
        if chunk not in self._ids:
            if chunk not in self._on_disk:
                return set()
            self._chunk(chunk)
        return self._ids[chunk]

    def _evict(self, sparing: int | None = None) -> None:
        """Drops the least recently used decoded chunks beyond ``keep``, never a pinned one (changed
        in memory, not yet written) nor ``sparing`` (the one being handed out)."""
        if self._keep is None:
            return
        excess = len(self._decoded) - self._keep
        idle = [c for c in self._decoded if c not in self._pinned and c != sparing]
        for chunk in idle[:max(excess, 0)]:
            del self._decoded[chunk]


class ChunkedStorage(Storage):
    """TinyDB storage for one collection kept in chunk files (see the module docstring)."""

    def __init__(self, directory: Path, name: str, *, chunk_docs: int = CHUNK_DOCS,
                 fsync: Fsync = os.fsync, highest: int = 0, repair: bool = True) -> None:
        """``highest``: the highest id ever used, as ``meta.json`` knows it. ``repair=False`` reads
        without writing: a journal left by a crash is applied in memory and the temporary files
        stay, until ``repair`` (a ``Database`` first checks every file of the data dir)."""
        super().__init__()
        self._dir = directory
        self._name = name
        self._chunk_docs = chunk_docs
        self._keep = KEEP.get(name, KEEP_DEFAULT)
        self._fsync = fsync
        self._closed = False
        # Called after a rollback, so the owners can drop what they derived (see AtomicJSONStorage).
        self.listeners: list[Callable[[], None]] = []
        # Document ids touched since the last write, or None for "every chunk" (a clear, a scan).
        self._touched: set[int] | None = set()
        # With a journal (the database's write-ahead log) writes go there and the chunks they changed
        # are written at the next checkpoint: those chunks (None: every chunk) stay decoded until then.
        self.journal: Journal | None = None
        self._dirty: set[int] | None = set()
        # A journal left by a crash, not yet written to the chunks: the new content of each (None:
        # removed); and temporary files left by a crash, not yet removed.
        self._pending: dict[int, bytes | None] = {}
        self._leftovers: list[Path] = []
        # The highest id used by what is on disk (the files and the log), for a rollback: the ids of
        # a write that failed were never used.
        self._durable_highest = highest
        self._docs = Documents(chunk_docs, self._keep, self._read_chunk, self._check_chunk, highest)
        self._data: Tables = {name: self._docs}  # type: ignore[dict-item]  # a Mapping, not a dict
        # Indexes kept at close (``keep``): name -> (version, what makes the index's data).
        self._keepers: dict[str, tuple[str, Callable[[], object]]] = {}
        self._load(repair)

    @property
    def directory(self) -> Path:
        return self._dir

    def chunk_numbers(self) -> list[int]:
        """The chunks that have a file, in order."""
        return self._docs.on_disk()

    def missing(self, listed: Iterable[int]) -> list[int]:
        """The chunks of ``listed`` that have no file, though no journal removed them."""
        return sorted(set(listed) - set(self._docs.on_disk()) - set(self._pending))

    def highest(self) -> int:
        """The highest document id ever used (removed documents' too), 0 if none."""
        return self._docs.highest()

    def known_highest(self) -> int:
        """The highest document id ever used, as far as known without reading a chunk: what
        ``meta.json`` said at open, raised by every write since."""
        return self._docs.floor

    def file_of(self, doc_id: str) -> Path:
        """The chunk file a document is kept in."""
        return self._dir / chunk_name(int(doc_id) // self._chunk_docs)

    def files(self) -> list[Path]:
        """The chunk files on disk, in chunk order."""
        if not self._dir.is_dir():
            return []
        return sorted(p for p in self._dir.iterdir() if _CHUNK_NAME.fullmatch(p.name))

    def read(self) -> Tables | None:
        self._check_open()
        return self._data

    def documents(self, table: str = "") -> Documents:
        """The collection's documents (what ``read()[name]`` holds)."""
        self._check_open()
        return self._docs

    def touched(self, doc_ids: Iterable[int] | None, table: str = "") -> None:
        """Records which documents the coming ``write`` changes (None: possibly all of them)."""
        if doc_ids is None or self._touched is None:
            self._touched = None
        else:
            self._touched.update(doc_ids)

    def write(self, data: Tables) -> None:
        """Writes the chunks of the documents reported through ``touched`` (all if none were)."""
        self._check_open()
        touched, self._touched = self._touched, set()
        if data.get(self._name) is not self._docs:  # type: ignore[comparison-overlap]
            raise ValueError("a chunked collection is changed through its ChunkedTable only")
        if self.journal is not None:
            self._log(touched)
            return
        try:
            payloads = self._payloads(self._chunks_of(touched))
            self._write_chunks(payloads)
        except BaseException:
            self._rollback()
            raise
        for chunk in payloads:
            self._docs.committed(chunk)
        self._durable_highest = self._docs.floor

    def problem(self, part: object) -> str | None:
        """What keeps ``part``, read from the journal, from being applied (None: nothing)."""
        if not isinstance(part, dict) or not isinstance(part.get("docs"), dict) \
                or not isinstance(part.get("clear", False), bool):
            return f"it is not a write of documents of {self._name!r}"
        return documents_problem(part["docs"], _DOC_ID, f"the write to {self._name!r}", deletions=True)

    def apply(self, part: Mapping[str, Any]) -> None:
        """Replays one journal record of this collection (see ``_log``) onto memory."""
        if part.get("clear"):
            self._docs.clear()
            self._dirty = None
        for doc_id, doc in part["docs"].items():
            # A removal names the id even if the document never reached a file: ids never go back.
            self._docs.floor = max(self._docs.floor, int(doc_id))
            if doc is not None:
                self._docs[doc_id] = doc
            elif doc_id in self._docs:
                del self._docs[doc_id]
            if self._dirty is not None:
                self._dirty.add(int(doc_id) // self._chunk_docs)

    def flush(self) -> None:
        """Writes the chunks changed since the last checkpoint (each atomically). No chunk journal:
        if this is cut short, the database's log, replayed at the next start, finishes it."""
        if self._dirty == set():
            return
        payloads = self._payloads(self._dirty)
        if payloads:
            _make_dir(self._dir, self._fsync)
            for chunk, payload in payloads.items():
                self._put(chunk, payload)
            fsync_directory(self._dir, self._fsync)
        for chunk in payloads:
            self._docs.committed(chunk)
        self._dirty = set()
        self._durable_highest = self._docs.floor

    def write_all(self, docs: Mapping[str, Any]) -> None:
        """Replaces the whole collection with ``docs`` (migrations and bulk loads)."""
        self._docs.clear()
        for doc_id, doc in docs.items():
            self._docs[doc_id] = doc
        self.touched(None)
        self.write(self._data)

    def close(self) -> None:
        self._closed = True

    # ---- indexes kept between starts ------------------------------------------------------------

    def kept(self, name: str, version: str) -> Any | None:
        """The data of the index ``name`` written at the last clean close (``keep``), if it was made by
        this ``version`` of its repository from exactly the chunk files there are now (each file's
        inode, size and modification time: every write replaces a chunk file by a new one); else None,
        and the repository reads the chunks. Only while nothing is waiting to be written to them."""
        if self._dirty != set():
            return None
        try:
            kept = orjson.loads((self._dir / KEPT.format(name=name)).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        if not isinstance(kept, dict) or kept.get("version") != version:
            return None
        return kept.get("data") if kept.get("stamps") == self._stamps() else None

    def keep(self, name: str, version: str, make: Callable[[], object]) -> None:
        """At each clean close (``write_kept``), ``make()`` (JSON data) is written as the index
        ``name``, for the next start to read instead of every chunk (``kept``)."""
        self._keepers[name] = (version, make)

    def write_kept(self) -> None:
        """Writes the indexes ``keep`` asked for; right after a checkpoint, when the chunk files hold
        every write (else nothing is written)."""
        if self._dirty != set() or not self._dir.is_dir():
            return
        stamps = self._stamps()
        for name, (version, make) in self._keepers.items():
            payload = orjson.dumps({"version": version, "stamps": stamps, "data": make()})
            replace_file(self._dir / KEPT.format(name=name), payload, self._fsync)
        if self._keepers:
            fsync_directory(self._dir, self._fsync)

    def _stamps(self) -> dict[str, list[int]]:
        stamps = {}
        for path in self.files():
            found = path.stat()
            stamps[path.name] = [found.st_ino, found.st_size, found.st_mtime_ns]
        return stamps

    def discard(self) -> None:
        """Forgets changes made in memory that were not written: back to what the disk holds."""
        self._touched = set()
        self._rollback()

    # ---- internals --------------------------------------------------------------------------

    def _log(self, touched: set[int] | None) -> None:
        """Journals the touched documents' new state (None: the whole collection, replacing it)."""
        docs = self._docs
        ids = sorted(int(doc_id) for doc_id in docs) if touched is None else sorted(touched)
        part = {"clear": touched is None, "docs": {str(i): docs.get(str(i)) for i in ids}}
        try:
            assert self.journal is not None
            self.journal.append(self._name, orjson.dumps(part, option=_ENCODE_OPTIONS))
        except BaseException:
            self._rollback()
            raise
        if touched is None:
            self._dirty = None
        elif self._dirty is not None:
            self._dirty |= self._chunks_of(touched) or set()
        self.journal.settle()

    def _chunks_of(self, doc_ids: set[int] | None) -> set[int] | None:
        return None if doc_ids is None else {doc_id // self._chunk_docs for doc_id in doc_ids}

    def _payloads(self, chunks: set[int] | None) -> dict[int, bytes]:
        """New content of each chunk to write (None: every chunk). An emptied chunk keeps its file,
        holding ``{}``: ``meta.json`` lists every chunk file, and one missing is damage (see
        ``bot.storage.database``), not a chunk whose documents were all removed."""
        if chunks is None:
            wanted = set(self._docs.chunks())
            wanted |= {int(m.group(1)) for p in self.files() if (m := _CHUNK_NAME.fullmatch(p.name))}
        else:
            wanted = chunks
        docs = self._docs
        return {chunk: orjson.dumps(docs.content(chunk), option=_ENCODE_OPTIONS) for chunk in sorted(wanted)}

    def _write_chunks(self, payloads: dict[int, bytes]) -> None:
        if not payloads:
            return
        _make_dir(self._dir, self._fsync)
        if len(payloads) == 1:
            (chunk, payload), = payloads.items()
            self._put(chunk, payload)
            fsync_directory(self._dir, self._fsync)
            return
        journal = {chunk_name(c): orjson.Fragment(p) for c, p in payloads.items()}
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

    def _load(self, repair: bool = True) -> None:
        """Reads a journal left by a crash, notes temporary files, checks every chunk is whole;
        with ``repair``, writes the journal's chunks and removes the temporary files."""
        if not self._dir.is_dir():
            return
        journal_path = self._dir / JOURNAL
        if journal_path.exists():
            self._pending = self._read_journal(journal_path)
        for path in sorted(self._dir.iterdir()):
            if is_temp_file(path):
                # Left by a crash before its rename; the chunk has its old version.
                self._leftovers.append(path)
                continue
            match = _CHUNK_NAME.fullmatch(path.name)
            if match is None or int(match.group(1)) in self._pending:
                continue
            _check_whole(path)
            self._docs.add_chunk(int(match.group(1)))
        for chunk, payload in self._pending.items():
            if payload is not None:
                self._docs.add_chunk(chunk)
        if repair:
            self.repair()

    def repair(self) -> None:
        """Finishes what a crash interrupted: the journal's chunks are written, temporary files removed."""
        journal_path = self._dir / JOURNAL
        if self._pending:
            for chunk, payload in self._pending.items():
                self._put(chunk, payload)
            fsync_directory(self._dir, self._fsync)
        if journal_path.exists():
            journal_path.unlink()
            fsync_directory(self._dir, self._fsync)
        self._pending = {}
        for path in self._leftovers:
            path.unlink(missing_ok=True)
        self._leftovers = []

    def _read_journal(self, journal_path: Path) -> dict[int, bytes | None]:
        """The chunks a journal holds (None: removed, as earlier versions did), checked."""
        try:
            raw = journal_path.read_bytes()
        except OSError as exc:
            raise DatabaseError(f"journal {journal_path} cannot be read ({exc})") from exc
        journal = decoded_json(raw, journal_path, "journal")
        if not isinstance(journal, dict) or not all(_CHUNK_NAME.fullmatch(str(n)) for n in journal):
            raise DamagedData(f"journal {journal_path} is not a chunk journal", [journal_path])
        pending: dict[int, bytes | None] = {}
        for name, content in journal.items():
            chunk = int(name[1:-len(".json")])
            if content is not None:
                self._check_content(chunk, content, journal_path)
            pending[chunk] = None if content is None else orjson.dumps(content, option=_ENCODE_OPTIONS)
        return pending

    def _read_chunk(self, chunk: int) -> bytes:
        pending = self._pending.get(chunk)
        if pending is not None:
            return pending
        path = self._dir / chunk_name(chunk)
        try:
            return path.read_bytes()
        except OSError as exc:
            raise DatabaseError(f"data file {path} cannot be read: {exc}") from exc

    def _check_chunk(self, chunk: int, raw: bytes) -> dict[str, Any]:
        """A chunk decoded for the first time, checked to hold documents of this chunk."""
        path = self._dir / chunk_name(chunk)
        return self._check_content(chunk, json_object(raw, path, "data file", "a chunk of documents"), path)

    def _check_content(self, chunk: int, content: object, path: Path) -> dict[str, Any]:
        if not isinstance(content, dict):
            raise DamagedData(f"data file {path} is not a chunk of documents", [path])
        problem = documents_problem(content, _DOC_ID, f"chunk {chunk_name(chunk)}")
        if problem is None:
            stray = next((doc_id for doc_id in content if int(doc_id) // self._chunk_docs != chunk), None)
            problem = None if stray is None else f"document {stray} does not belong in it"
        if problem is not None:
            raise DamagedData(f"data file {path}: {problem}", [path])
        result: dict[str, Any] = content
        return result

    def _rollback(self) -> None:
        """After a failed write, memory is put back to what the disk holds (the updater has
        already changed it). A journal that made it to disk is replayed: that write happened."""
        self._docs = Documents(self._chunk_docs, self._keep, self._read_chunk, self._check_chunk,
                               self._durable_highest)
        self._data = {self._name: self._docs}  # type: ignore[dict-item]
        self._load()
        self._dirty = set()
        if self.journal is not None:  # what the files do not hold yet is in the journal
            for part in self.journal.parts(self._name):
                self.apply(part)
        for listener in self.listeners:
            listener()
        if self.journal is not None:
            self.journal.failed()

    def _check_open(self) -> None:
        if self._closed:
            raise DatabaseError(f"collection {self._dir} is closed (its Database was closed)")


class ChunkedTable(TouchingTable):
    """A TinyDB table whose writes rewrite only the chunks they change (see the module docstring)."""

    _storage: ChunkedStorage

    def _get_next_id(self) -> int:
        """TinyDB's rule (one more than the highest id), without reading every chunk."""
        # TinyDB declares _next_id as None only; it holds the next id once known.
        known: int | None = self._next_id
        next_id = self._storage.documents().highest() + 1 if known is None else known
        self._next_id = next_id + 1  # type: ignore[assignment]
        return next_id


def _check_whole(path: Path) -> None:
    """Stops the start if a chunk file is not one whole JSON object (its first and last bytes)."""
    try:
        with path.open("rb") as file:
            first = file.read(1)
            file.seek(max(file.seek(0, os.SEEK_END) - 1, 0))
            last = file.read(1)
    except OSError as exc:
        raise DatabaseError(f"data file {path} cannot be read: {exc}") from exc
    if (first, last) != (b"{", b"}"):
        raise DamagedData(f"data file {path} is not a whole JSON object", [path])


def _make_dir(directory: Path, fsync: Fsync) -> None:
    try:
        directory.mkdir()
    except FileExistsError:
        return
    fsync_directory(directory.parent, fsync)
