"""A crash-safe TinyDB storage: one JSON file, decoded once, replaced atomically on every write.

Why we do not use TinyDB's ``JSONStorage``: it rewrites its file in place (seek, write, truncate), so a
``kill -9`` or a power cut in the middle of a write leaves a torn file (about one corruption per 200
kills in our measurement), and it re-reads and re-parses the whole file on every operation, which grows
with the collection.

``AtomicJSONStorage`` instead:

- reads its file once, when it is created, and keeps the decoded data in memory. TinyDB's ``Table``
  calls ``read()`` before every operation and gets that same object back, so reads never touch the
  disk. This is only correct while this process is the only writer, which ``Database`` enforces with
  a lock file.
- writes the whole file with orjson to a temporary file in the same directory, fsyncs it, renames it
  over the target with ``os.replace`` (atomic on POSIX) and fsyncs the directory. At any instant the
  file on disk is either the old or the new complete version, and a write that returned is durable.
- in a ``Database``, a write goes to the database's write-ahead log instead (``bot.storage.wal``):
  the documents it changed when its table says which (``touched``, see ``bot.storage.touches``),
  else the whole content; the file is replaced as above at the next checkpoint (``flush``).
- when a write fails (a value orjson cannot encode, disk full, I/O error) it puts the in-memory data
  back to what the file holds before re-raising: ``Table`` has already mutated the dict it got from
  ``read()``, so without this the memory would stay ahead of the disk.

Two consequences of the in-memory copy for callers: store only JSON types (str, int, float, bool,
None, list, dict with str keys) so that memory and a later reload agree; dates and dataclasses are
refused rather than silently turned into strings. And TinyDB hands out shallow copies of documents, so
nested lists and dicts in a result are the stored ones: change data through ``Table`` methods only,
never by mutating a returned document.

Not thread-safe; see ``bot.storage.database`` for the one-worker-thread contract.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb.storages import Storage

from bot.storage.errors import DamagedData, DatabaseError, decoded_json

if TYPE_CHECKING:
    from bot.storage.wal import Journal

Fsync = Callable[[int], None]
Tables = dict[str, dict[str, Any]]

TEMP_SUFFIX = ".tmp"
# Refuse types orjson would silently turn into strings or lists: the in-memory copy would then hold a
# datetime while a reload gives a str.
_ENCODE_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_SUBCLASS
)
_DOC_ID = re.compile(r"-?[0-9]+")
# ".<name>.json.<mkstemp's 8 random characters>.tmp": hidden and not ending in .json, so never taken
# for a collection, and specific enough that cleaning them up never deletes someone else's file.
_TEMP_NAME = re.compile(r"\..+\.json\.[a-z0-9_]{8}\.tmp")


def is_temp_file(path: Path) -> bool:
    """Whether ``path`` is named like a temporary file of ``replace_file``; those are never data."""
    return _TEMP_NAME.fullmatch(path.name) is not None


def fsync_directory(directory: Path, fsync: Fsync = os.fsync) -> None:
    """Make a rename or file creation in ``directory`` durable (it is recorded in the directory)."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fsync(fd)
    finally:
        os.close(fd)


def replace_file(target: Path, payload: bytes, fsync: Fsync = os.fsync) -> None:
    """Make ``target`` hold exactly ``payload``, atomically; does not fsync the directory.

    If this raises, ``target`` is untouched and the temporary file has been removed. The temporary file
    lives in the target's directory because ``os.replace`` is only atomic within one filesystem.
    """
    # mkstemp creates the file readable by this user only, which suits confidential client data.
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    temp = Path(temp_name)
    try:
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


# A journal record of some documents: ``{"~table": name, "~docs": {id: doc or None}}``; "~" is in no
# table name, so a record of a whole content (``{table: {...}}``) is never taken for one.
_TABLE, _DOCS = "~table", "~docs"


def _part(data: Tables, touched: tuple[str, set[int]] | None) -> dict[str, Any]:
    """What the journal gets of a write: the touched documents, else the whole content."""
    if touched is None:
        return data
    table, doc_ids = touched
    docs = data.get(table, {})
    return {_TABLE: table, _DOCS: {str(i): docs.get(str(i)) for i in sorted(doc_ids)}}


def write_atomically(target: Path, payload: bytes, fsync: Fsync = os.fsync) -> None:
    """``replace_file`` then fsync the directory: when this returns, ``payload`` survives a crash."""
    replace_file(target, payload, fsync)
    fsync_directory(target.parent, fsync)


def decode_tables(path: Path, raw: bytes) -> Tables:
    """Parse a TinyDB file (``{table: {doc_id: {...}}}``); ``DamagedData`` naming ``path`` if it is not."""
    data = decoded_json(raw, path, "data file")
    problem = _shape_problem(data)
    if problem is not None:
        raise DamagedData(f"data file {path} is not a TinyDB database: {problem}", [path])
    tables: Tables = data
    return tables


def _shape_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return f"the top level is a JSON {type(data).__name__}, not an object"
    for table_name, table in data.items():
        if not isinstance(table, dict):
            return f"table {table_name!r} is not an object"
        problem = documents_problem(table, _DOC_ID, f"table {table_name!r}")
        if problem is not None:
            return problem
    return None


def documents_problem(docs: dict[str, Any], doc_id: re.Pattern[str], where: str,
                      deletions: bool = False) -> str | None:
    """What is wrong with ``docs`` (``{doc_id: document}``, found in ``where``), None if nothing; with
    ``deletions``, a document may be None (a removal, in a journal record)."""
    for key, doc in docs.items():
        if not doc_id.fullmatch(key):
            return f"{where} has a document id {key!r} that is not an integer"
        if not isinstance(doc, dict) and not (deletions and doc is None):
            return f"document {key} in {where} is not an object (a JSON {type(doc).__name__})"
    return None


class AtomicJSONStorage(Storage):
    """TinyDB storage for one file, kept in memory and written atomically (see the module docstring).

    ``fsync`` is the seam tests use to inject a disk failure (ENOSPC, EIO) at the exact point where a
    real disk reports it; production code leaves the default.
    """

    def __init__(self, path: Path, *, fsync: Fsync = os.fsync) -> None:
        super().__init__()
        self._path = path
        self._fsync = fsync
        self._closed = False
        # Called after a failed write has restored the data, so the owners can drop anything derived
        # from the rolled-back state (the table's query cache, a repository's indexes).
        self.listeners: list[Callable[[], None]] = []
        # With a journal (the database's write-ahead log) writes go there; the file is written at the
        # next checkpoint (``flush``). ``_dirty``: the file is behind the journal.
        self.journal: Journal | None = None
        self._dirty = False
        # The documents the coming write changed, by table (None: the whole content is written).
        self._touched: tuple[str, set[int]] | None = None
        # What the file holds: with the journal's records, what a rollback goes back to.
        self._filed: bytes | None = None
        try:
            self._filed = path.read_bytes()
        except FileNotFoundError:
            self._data: Tables | None = None
        except OSError as exc:
            raise DatabaseError(f"data file {path} cannot be read: {exc}") from exc
        else:
            self._data = decode_tables(path, self._filed)

    @property
    def path(self) -> Path:
        return self._path

    @property
    def on_disk(self) -> bool:
        """Whether the file exists (it is written at the first checkpoint after the first write)."""
        return self._filed is not None

    def file_of(self, doc_id: str) -> Path:
        """The file a document is kept in."""
        return self._path

    def read(self) -> Tables | None:
        self._check_open()
        return self._data

    def documents(self, table: str) -> dict[str, dict[str, Any]]:
        """The documents of ``table`` as stored, for a ``TouchingTable`` to change in place."""
        self._check_open()
        if self._data is None:
            self._data = {}
        return self._data.setdefault(table, {})

    def touched(self, doc_ids: set[int] | None, table: str) -> None:
        """The documents of ``table`` the coming ``write`` changes (None: maybe all)."""
        self._touched = None if doc_ids is None else (table, doc_ids)

    def write(self, data: Tables) -> None:
        self._check_open()
        touched, self._touched = self._touched, None
        try:
            if self.journal is not None:
                part = orjson.dumps(_part(data, touched), option=_ENCODE_OPTIONS)
                self.journal.append(self._path.stem, part)
            else:
                payload = orjson.dumps(data, option=_ENCODE_OPTIONS)
                replace_file(self._path, payload, self._fsync)
                self._filed = payload
        except BaseException:
            self._rollback()
            raise
        self._data = data
        if self.journal is not None:
            self._dirty = True
            self.journal.settle()
            return
        # If this fsync fails the file already holds the new data (the rename is visible), so memory
        # matches it; the caller still gets the error because durability is not confirmed.
        fsync_directory(self._path.parent, self._fsync)

    def problem(self, part: object) -> str | None:
        """What keeps ``part``, read from the journal, from being applied (None: nothing)."""
        name = self._path.stem
        if isinstance(part, dict) and _DOCS in part:
            if part.get(_TABLE) != name or not isinstance(part[_DOCS], dict):
                return f"it is not a write of documents of {name!r}"
            return documents_problem(part[_DOCS], _DOC_ID, f"the write to {name!r}", deletions=True)
        problem = _shape_problem(part)  # the whole content (records of earlier versions)
        if problem is None and isinstance(part, dict) and set(part) - {name}:
            return f"it holds unexpected tables {sorted(set(part) - {name})}"
        return problem

    def apply(self, part: dict[str, Any]) -> None:
        """Replays one journal record of this file onto memory: some documents of a table, or the
        whole content (what every record held before documents were journalled alone)."""
        if _DOCS in part:
            if self._data is None:
                self._data = {}
            docs = self._data.setdefault(part[_TABLE], {})
            for doc_id, doc in part[_DOCS].items():
                if doc is None:
                    docs.pop(doc_id, None)
                else:
                    docs[doc_id] = doc
        else:
            self._data = part
        self._dirty = True

    def flush(self) -> bool:
        """Writes the content journalled since the last checkpoint to the file; True if it did (the
        caller then fsyncs the directory, once for every file)."""
        if not self._dirty or self._data is None:
            return False
        payload = orjson.dumps(self._data, option=_ENCODE_OPTIONS)
        replace_file(self._path, payload, self._fsync)
        self._filed = payload
        self._dirty = False
        return True

    def discard(self) -> None:
        """Forgets what memory holds beyond the disk (a unit of writes that failed)."""
        self._rollback()

    def close(self) -> None:
        self._closed = True

    def _check_open(self) -> None:
        if self._closed:
            raise DatabaseError(f"data file {self._path} is closed (its Database was closed)")

    def _rollback(self) -> None:
        """Memory back to what the disk holds: the file, with the journal's records of it replayed.
        The journal then hears of it: the rest of a unit of writes goes back too."""
        self._touched = None
        self._data = None if self._filed is None else orjson.loads(self._filed)
        parts = self.journal.parts(self._path.stem) if self.journal is not None else []
        for part in parts:
            self.apply(part)
        self._dirty = bool(parts)
        for listener in self.listeners:
            listener()
        if self.journal is not None:
            self.journal.failed()
