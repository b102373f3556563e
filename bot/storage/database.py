"""The application's database: a directory of JSON files, one per collection, owned by one process.

Layout of ``data_dir``:

- ``meta.json``: ``{"schema_version": N, ...}``, see ``bot.storage.migrations``; and what the data
  dir holds, as of the last checkpoint: ``files``, the one-file collections; ``chunks``, each chunked
  collection's chunk files; ``next_ids``, each chunked collection's next document id. A file listed
  there and missing stops the start: an empty collection in its place would lose its documents
  silently, and hand their ids out again (a new client taking over a removed one's contacts and
  visits). Ids never go back: the next one is the higher of ``next_ids`` and the highest id found.
- ``<collection>.json``: one per small collection, in TinyDB's own format
  (``{"<collection>": {"<id>": {}}}``) so plain TinyDB can open a copy for inspection. One file per
  collection because every write rewrites its whole file: a write to a small, hot collection never
  rewrites a big one.
- ``<collection>/c<n>.json``: the collections that grow with the company's history (``CHUNKED``:
  visits, nudges, clients, contacts, debriefs, tasks, the contact log) are split into chunks of a
  thousand documents, so a write rewrites one chunk, not five years; see ``bot.storage.chunked``.
- ``archive/<name>/``: history a repository moved out of its collection and reads only on demand
  (settled nudges of past visits); see ``bot.storage.archive``. Not loaded at open.
- ``wal.log``: the write-ahead log. A write appends the documents it changed there (one ``fdatasync``)
  and is durable when that returns (the writes of one ``unit``, such as everything one message to
  the bot changes, go in as one record: all or nothing, one ``fdatasync``); the collection files
  are brought up to date at a checkpoint (every few minutes, when the log passes ``LOG_LIMIT``, at
  close, before a backup) and the log is emptied. Opening replays what a crash left in it. See
  ``bot.storage.wal``.
- ``.lock``: held with an exclusive ``flock`` while the database is open. The storages keep the data in
  memory and would silently overwrite changes made by anyone else, so a second opener (another
  process, or a second ``Database`` in this one) is refused with ``DatabaseError``. Readers that do not
  write, such as a backup copying ``files()``, are safe at any time: each file is always complete.
- ``.<file>.<random>.tmp``: exist only during a write; leftovers from a crash are deleted at open.
- ``damaged-<time>/``: copies of damaged files, made when they stopped a start (``bot.storage.damage``).

Opening reads and checks every file, and replays the log in memory, before it writes anything. Damage
(a file that is not what this program writes, a missing one, a damaged record in the middle of the
log) stops it with ``DamagedData``, one line naming the file and the record, once the damaged files
are copied aside; the data dir is left exactly as found. Only then does it finish what a crash
interrupted (cut a torn last record off the log, remove temporary files), migrate and checkpoint. A
failed open never checkpoints.

Threading contract: nothing here is thread-safe, and TinyDB's read-modify-write cycles must not
interleave. The application runs every call on a Database and its tables on ONE dedicated worker
thread (a single-thread executor), which also keeps the fsyncs off the asyncio event loop.
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Final, TypeVar

import orjson
from tinydb.table import Table

from bot.storage.archive import Archive
from bot.storage.atomic import AtomicJSONStorage, fsync_directory, is_temp_file, write_atomically
from bot.storage.chunked import CHUNK_DOCS, CHUNKED, ChunkedStorage, ChunkedTable, chunk_name
from bot.storage.damage import set_aside
from bot.storage.errors import DamagedData, DatabaseError
from bot.storage.migrations import MIGRATIONS, Migration, target_version
from bot.storage.touches import TouchingTable
from bot.storage.wal import Scan, WriteAheadLog, scan

META_FILE: Final = "meta.json"
LOCK_FILE: Final = ".lock"
ARCHIVE_DIR: Final = "archive"
LOG_FILE: Final = "wal.log"
# What meta.json says the data dir holds (see the module docstring).
FILES: Final = "files"
CHUNKS: Final = "chunks"
NEXT_IDS: Final = "next_ids"
# A log this long is checkpointed after the write that made it so (a busy hour's writes; replaying
# it at a start takes a few tenths of a second).
LOG_LIMIT: Final = 8 * 1024 * 1024
_COLLECTION_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")
log = logging.getLogger(__name__)
StorageT = TypeVar("StorageT", AtomicJSONStorage, ChunkedStorage)


class Database:
    """An open data directory; create it with ``Database.open`` and ``close`` it when done."""

    def __init__(self, data_dir: Path, lock_fd: int) -> None:
        """Private: use ``Database.open``, which takes the lock and loads and migrates the data."""
        self._data_dir = data_dir
        self._lock_fd: int | None = lock_fd
        self._storages: dict[str, AtomicJSONStorage] = {}
        self._chunked: dict[str, ChunkedStorage] = {}
        self._archives: dict[str, Archive] = {}
        self._tables: dict[str, Table] = {}
        self._meta: dict[str, Any] = {}
        self._version = 0
        self._log: WriteAheadLog | None = None
        # Inside ``unit``: the records written so far, appended to the log together when it ends.
        self._unit: list[tuple[str, bytes]] | None = None
        # Whether the unit under way wrote anything so far (its records may already be in the log).
        self._unit_wrote = False
        # The collections of the last unit written with ``sync=False``, until it is synced.
        self._unsynced: set[str] = set()
        # Temporary files a crash left, removed once every file was found sound.
        self._leftovers: list[Path] = []

    @classmethod
    def open(cls, data_dir: Path, migrations: Sequence[Migration] | None = None) -> Database:
        """Lock ``data_dir`` (created if missing), load every collection, bring the schema up to date.

        ``migrations`` defaults to ``MIGRATIONS``; tests pass their own chain. Raises ``DatabaseError``
        if the directory is locked, a file is unreadable, or the data is newer than ``migrations``;
        ``DamagedData`` if a file is damaged or missing, once the damaged files are copied aside and
        before anything is written.
        """
        chain = MIGRATIONS if migrations is None else tuple(migrations)
        target = target_version(chain)
        data_dir = Path(data_dir)
        _make_dir(data_dir)
        db = cls(data_dir, _lock(data_dir))
        try:
            log_scan = db._read(target)  # damage is found here, before anything is written
            db._repair(log_scan)
            db._migrate(chain)
            db.checkpoint()  # a start begins with the files up to date and an empty log
        except DamagedData as damage:
            db._set_aside(damage)
            db._release()
            raise
        except BaseException:
            db._release()  # no checkpoint: the files stay as the failure found them, the log whole
            raise
        return db

    def give_up(self, damage: DamagedData) -> None:
        """Damage found after the open (a repository that cannot read a document): the damaged files
        are copied aside, as ``open`` does, and the database is closed without a checkpoint."""
        self._set_aside(damage)
        self._release()

    def table(self, name: str) -> Table:
        """The collection ``name``, stored in ``data_dir/<name>.json`` (or chunks in ``data_dir/<name>/``
        for the ``CHUNKED`` ones); the same object on every call."""
        self._check_open()
        table = self._tables.get(name)
        if table is None:
            storage = self._storage(name)
            if isinstance(storage, ChunkedStorage):
                table = self._tables[name] = ChunkedTable(storage, name)
            else:
                table = self._tables[name] = TouchingTable(storage, name)
            # A failed write rolls the storage back; results cached by the table may reflect the
            # rolled-back change (TinyDB updates nested values in place), so drop them.
            storage.listeners.append(table.clear_cache)
        return table

    @contextmanager
    def unit(self, sync: bool = True) -> Iterator[None]:
        """Everything written inside is one write: one log record and one ``fdatasync`` when the block
        ends, durable all together or not at all.

        Why: saving a visit writes the client, a contact, the visit, its nudges and the dialog; five
        ``fdatasync`` calls were most of its cost, and a crash between them left a visit without its
        checklist. If the block raises, or the log cannot be written, or a storage fails inside it,
        every collection written in it goes back to what the disk holds (and their owners hear of it
        through ``on_rollback``); the error goes on to the caller. Nested blocks are part of the
        outermost one. A checkpoint inside makes what was written so far durable first.

        ``sync=False``: the record is written when the block ends (a full disk fails it there, as
        above) and made durable by ``sync``, which the caller calls before anything else touches the
        database: a reply goes out while the disk flushes, and the update it answers is confirmed to
        Telegram only after (``bot.core.runner``).
        """
        if self._unit is not None or self._log is None:
            yield
            return
        self.sync()
        self._unit = []
        self._unit_wrote = False
        try:
            yield
            self._write_unit(sync)
        except BaseException:
            self._undo()
            raise
        finally:
            self._unit = None
        self.settle()

    @property
    def writing(self) -> bool:
        """Whether the unit under way wrote something so far: what its write says about the whole of
        it (the update it handled, ``bot.core.replays``) then goes in the same record."""
        return self._unit is not None and self._unit_wrote

    @property
    def unsynced(self) -> bool:
        """Whether a unit written with ``sync=False`` waits for ``sync``."""
        return self._log is not None and self._log.pending

    def sync(self) -> None:
        """Makes the unit written with ``sync=False`` durable. If that fails (the disk), the unit is
        undone as if its write had failed (``on_rollback`` tells the owners) and the error raised."""
        if not self.unsynced:
            return
        assert self._log is not None
        try:
            self._log.sync()
        except BaseException:
            names, self._unsynced = self._unsynced, set()
            for name in sorted(names):
                self._storage(name).discard()
            raise
        self._unsynced = set()
        self.settle()

    def _write_unit(self, sync: bool = True) -> None:
        """The unit's records so far, as one record of the log: durably, or to be synced."""
        if self._unit:
            assert self._log is not None
            self._log.append(b"[" + b",".join(_record(name, part) for name, part in self._unit) + b"]", sync)
            if not sync:
                self._unsynced = {name for name, _ in self._unit}
            self._unit = []

    def _undo(self) -> None:
        """Every collection the unit wrote goes back to the disk's state; the records are dropped."""
        names, self._unit = {name for name, _ in self._unit or ()}, None
        for name in sorted(names):
            self._storage(name).discard()

    def checkpoint(self) -> None:
        """Brings every collection file up to date with the log, then empties the log.

        Each file is replaced atomically; a crash part way leaves the log whole, and the next start
        replays it over whatever was written (records hold whole documents, so that is harmless).
        """
        self._check_open()
        if self._unit:
            self._write_unit()  # the files may never hold what the log does not
        self.sync()
        if self._log is None:
            return
        if self._log.size:
            flushed = [single.flush() for single in self._storages.values()]
            if any(flushed):
                fsync_directory(self._data_dir)
            for chunked in self._chunked.values():
                chunked.flush()
        # After the files it lists exist, before the log that would replay their writes is emptied.
        self._write_layout()
        if self._log.size:
            self._log.reset()

    # ---- the journal the storages write to (``bot.storage.wal.Journal``) ----------------------

    def append(self, name: str, part: bytes) -> None:
        assert self._log is not None
        if self._unit is not None:
            self._unit.append((name, part))
            self._unit_wrote = True
        else:
            self.sync()  # an unsynced unit first: if its flush fails, it is undone, not cut off alone
            self._log.append(b"[" + _record(name, part) + b"]")

    def settle(self) -> None:
        """A checkpoint once the log is long; one that fails (a full disk) is tried again later,
        the write that came before it is durable regardless. Inside a unit: when it ends."""
        if self._log is not None and self._unit is None and not self.unsynced and self._log.size > LOG_LIMIT:
            try:
                self.checkpoint()
            except OSError:
                log.exception("checkpoint failed; the log keeps every write and it is retried")

    def parts(self, name: str) -> list[dict[str, Any]]:
        if self._log is None:
            return []
        return [record["p"] for raw in self._log.records() for record in _records(raw) if record["t"] == name]

    def failed(self) -> None:
        """A storage went back to the disk's state: so does the rest of the unit under way, which goes
        on from there (a caller that catches the error sees everything it wrote undone)."""
        if self._unit:
            self._undo()
            self._unit = []
            self._unit_wrote = False

    def archive(self, name: str) -> Archive:
        """The archive ``name`` (in ``data_dir/archive/<name>/``); the same object on every call."""
        self._check_open()
        archive = self._archives.get(name)
        if archive is None:
            if not _COLLECTION_NAME.fullmatch(name):
                raise ValueError(f"invalid archive name {name!r}: use [a-z][a-z0-9_]*")
            archive = self._archives[name] = Archive(self._data_dir / ARCHIVE_DIR / name)
        return archive

    def split_collection(self, name: str) -> None:
        """Moves a collection kept in one file into chunk files (a migration step; repeatable).

        The chunks are written completely before the single file is deleted, so a crash in between
        leaves both, and the migration, which runs again at the next start, writes the chunks again.
        """
        if name not in self._storages:
            return
        self.checkpoint()  # no record of the single file may be replayed once it is gone
        legacy = self._storages.pop(name)
        self._tables.pop(name, None)
        docs = (legacy.read() or {}).get(name, {})
        chunked = self._new_chunked(name)
        chunked.write_all(docs)  # directly, before it has the journal
        self._chunked[name] = self._journalled(chunked)
        legacy.close()
        self._write_layout()  # the chunks listed, the file no longer, before it goes
        legacy.path.unlink()
        fsync_directory(self._data_dir)

    def record_layout(self) -> None:
        """Writes what the data dir holds into ``meta.json`` now (a migration step; it reads the last
        chunks of each chunked collection for its highest id)."""
        for chunked in self._chunked.values():
            chunked.highest()
        self._write_layout()

    @property
    def schema_version(self) -> int:
        return self._version

    @property
    def data_dir(self) -> Path:
        return self._data_dir

    def files(self) -> list[Path]:
        """Every data file that exists (``meta.json`` and the collections): what a backup must copy.

        Checkpoints first, so the files hold every write and the log is empty. Each file is always
        complete; copied from the database's worker thread, they are also consistent with each
        other, since no write can happen in between.
        """
        self.checkpoint()
        paths = [self._data_dir / META_FILE]
        paths += sorted(s.path for s in self._storages.values() if s.path.exists())
        for chunked in self._chunked.values():
            paths += chunked.files()
        archive_root = self._data_dir / ARCHIVE_DIR
        if archive_root.is_dir():
            paths += sorted(p for p in archive_root.rglob("*.json") if not is_temp_file(p))
        return paths

    def close(self) -> None:
        """Checkpoint and release the lock. Tables obtained from this Database raise
        ``DatabaseError`` afterwards."""
        if self._log is not None and self._lock_fd is not None:
            try:
                self.checkpoint()
                for chunked in self._chunked.values():
                    chunked.write_kept()  # the indexes, for the next start (``kept_index``)
            except OSError:  # the log keeps every write: the next start replays it
                log.exception("checkpoint at close failed")
        self._release()

    def _release(self) -> None:
        """Closes everything and releases the lock, writing nothing."""
        if self._log is not None:
            self._log.close()
            self._log = None
        for storage in self._storages.values():
            storage.close()
        for chunked in self._chunked.values():
            chunked.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor releases the flock
            self._lock_fd = None

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._lock_fd is None:
            raise DatabaseError(f"the database in {self._data_dir} is closed")

    def _read(self, target: int) -> Scan:
        """Reads and checks every file, and replays the log in memory, writing nothing; ``DamagedData``
        if a file is damaged or missing. Chunk files are checked to be whole here and read when
        first used (see ``bot.storage.chunked``). What the log holds beyond its whole records is
        returned for ``_repair``."""
        meta_path = self._data_dir / META_FILE
        self._meta = _read_meta(meta_path)
        self._version = self._meta.get("schema_version", 0)
        if self._version > target:
            raise DatabaseError(
                f"{meta_path}: schema version {self._version} is newer than this program supports "
                f"({target}); run a newer version of the program"
            )
        for path in sorted(self._data_dir.iterdir()):
            if is_temp_file(path):
                # Left by a crash between creating and renaming it; we hold the lock, so no write is
                # in progress, and the target file still has its previous complete version.
                self._leftovers.append(path)
            elif path.name in CHUNKED and path.is_dir():
                self._chunked[path.name] = self._journalled(self._new_chunked(path.name, repair=False))
            elif path.name != META_FILE and path.suffix == ".json" and path.is_file():
                name = path.stem
                if not _COLLECTION_NAME.fullmatch(name):
                    continue  # not a name we would ever create: not ours, leave it alone
                storage = AtomicJSONStorage(path)
                unexpected = set(storage.read() or {}) - {name}
                if unexpected:
                    raise DamagedData(f"data file {path} holds unexpected tables {sorted(unexpected)}",
                                      [path])
                self._storages[name] = self._journalled(storage)
        log_scan = scan(self._data_dir / LOG_FILE)
        if not self._meta and (self._storages or self._chunked or log_scan.records):
            held = sorted([*self._storages, *self._chunked]) + ([LOG_FILE] if log_scan.records else [])
            raise DamagedData(f"{meta_path} is missing but {self._data_dir} holds data ({', '.join(held)}); "
                              "restore it from a backup")
        self._check_layout(meta_path)
        self._replay(log_scan)
        return log_scan

    def _check_layout(self, meta_path: Path) -> None:
        """Every file ``meta.json`` lists is there."""
        for name in self._meta.get(FILES, []):
            if name not in self._storages:
                path = self._data_dir / f"{name}.json"
                raise DamagedData(f"data file {path} is missing, though {meta_path} lists it; "
                                  "restore it from a backup", [meta_path])
        for name, listed in sorted(self._meta.get(CHUNKS, {}).items()):
            chunked = self._chunked.get(name)
            missing = sorted(listed) if chunked is None else chunked.missing(listed)
            if missing:
                path, first = self._data_dir / name / chunk_name(missing[0]), missing[0] * CHUNK_DOCS
                raise DamagedData(
                    f"data file {path} is missing, though {meta_path} lists it ({name} {first} to "
                    f"{first + CHUNK_DOCS - 1}); restore it from a backup", [meta_path])

    def _replay(self, log_scan: Scan) -> None:
        """Applies what a crash left in the log (the writes after the last checkpoint) to memory,
        each record checked before it is applied."""
        path = self._data_dir / LOG_FILE
        for number, (offset, payload) in enumerate(log_scan.records, 1):
            where = f"write-ahead log {path}: record {number} of {len(log_scan.records)} (at byte {offset})"
            for storage, part in self._writes(payload, where):
                storage.apply(part)

    def _writes(self, payload: bytes, where: str) -> list[tuple[AtomicJSONStorage | ChunkedStorage, Any]]:
        """The writes in one record of the log, each with its storage, once all are found sound."""
        try:
            writes = _records(payload)
        except orjson.JSONDecodeError as exc:
            raise DamagedData(f"{where} is not valid JSON ({exc})", [self._data_dir / LOG_FILE]) from exc
        found = []
        for write in writes:
            name = write.get("t") if isinstance(write, dict) else None
            if not isinstance(name, str) or not _COLLECTION_NAME.fullmatch(name) or name == "meta" \
                    or "p" not in write:
                problem: str | None = "a write in it names no collection"
            else:
                storage = self._storage(name)
                problem = storage.problem(write["p"])
                found.append((storage, write["p"]))
            if problem is not None:
                raise DamagedData(f"{where} cannot be replayed: {problem}", [self._data_dir / LOG_FILE])
        return found

    def _repair(self, log_scan: Scan) -> None:
        """Every file found sound: finishes what a crash interrupted, and opens the log for writing."""
        for path in self._leftovers:
            path.unlink()
        self._leftovers = []
        for chunked in self._chunked.values():
            chunked.repair()
        path = self._data_dir / LOG_FILE
        if log_scan.tail is not None:
            if log_scan.crash:
                log.info("%s: cut off its last record at byte %d (%s): a write a crash interrupted, "
                         "never acknowledged", path, log_scan.end, log_scan.tail)
            else:
                try:
                    kept = set_aside(self._data_dir, [path])
                except OSError as exc:  # not cut without its copy: it may be an acknowledged write
                    raise DatabaseError(f"{path}: its damaged last record cannot be copied aside ({exc}), "
                                        "so it was not cut off") from exc
                log.warning("%s: cut off its last record at byte %d (%s): most likely a write a power cut "
                            "interrupted, never acknowledged; the log was copied to %s/",
                            path, log_scan.end, log_scan.tail, kept)
        self._log = WriteAheadLog(path)
        if log_scan.tail is not None:
            self._log.cut(log_scan.end)
        if not self._meta:
            self._stamp(0)  # a new directory starts at 0 and goes through every migration

    def _storage(self, name: str) -> AtomicJSONStorage | ChunkedStorage:
        """The storage of collection ``name``, made (empty) if it has none yet."""
        if not _COLLECTION_NAME.fullmatch(name) or f"{name}.json" == META_FILE:
            raise ValueError(f"invalid collection name {name!r}: use [a-z][a-z0-9_]*, not 'meta'")
        # A big collection still in one file (before the migration that splits it) stays one.
        if name in CHUNKED and name not in self._storages:
            chunked = self._chunked.get(name)
            if chunked is None:
                chunked = self._chunked[name] = self._journalled(self._new_chunked(name))
            return chunked
        single = self._storages.get(name)
        if single is None:
            single = AtomicJSONStorage(self._data_dir / f"{name}.json")
            self._storages[name] = self._journalled(single)
        return single

    def _new_chunked(self, name: str, repair: bool = True) -> ChunkedStorage:
        """The storage of chunked collection ``name``, knowing the highest id it ever used."""
        next_id = self._meta.get(NEXT_IDS, {}).get(name, 1)
        return ChunkedStorage(self._data_dir / name, name, highest=next_id - 1, repair=repair)

    def _journalled(self, storage: StorageT) -> StorageT:
        storage.journal = self
        return storage

    def _set_aside(self, damage: DamagedData) -> None:
        """Copies the damaged files aside (``bot.storage.damage``); the message says where."""
        try:
            damage.kept = set_aside(self._data_dir, damage.files)
        except OSError as exc:
            damage.message += f"; copying the damaged files aside failed ({exc})"

    def _layout(self) -> dict[str, Any]:
        """What the data dir holds, for ``meta.json`` (see the module docstring)."""
        chunked = sorted(self._chunked.items())
        return {
            FILES: sorted(name for name, single in self._storages.items() if single.on_disk),
            CHUNKS: {name: storage.chunk_numbers() for name, storage in chunked if storage.chunk_numbers()},
            NEXT_IDS: {name: storage.known_highest() + 1 for name, storage in chunked
                       if storage.known_highest()},
        }

    def _write_layout(self) -> None:
        meta = {**self._meta, **self._layout()}
        if meta != self._meta:
            write_atomically(self._data_dir / META_FILE, orjson.dumps(meta))
            self._meta = meta

    def _migrate(self, chain: Sequence[Migration]) -> None:
        meta_path = self._data_dir / META_FILE
        for migration in chain:
            if migration.from_version < self._version:
                continue
            if migration.from_version != self._version:
                raise DatabaseError(f"{meta_path}: no migration starts at schema version {self._version}")
            migration.apply(self)
            self._stamp(migration.to_version)

    def _stamp(self, version: int) -> None:
        self._meta = {**self._meta, "schema_version": version}
        write_atomically(self._data_dir / META_FILE, orjson.dumps(self._meta))
        self._version = version


def on_rollback(table: Table, forget: Callable[[], None]) -> None:
    """Calls ``forget`` whenever ``table``'s collection goes back to the disk's state (a failed
    write, a unit undone; see ``Database.unit``): what its owner derived from the documents (an
    index in memory) may then be wrong."""
    storage: AtomicJSONStorage | ChunkedStorage = table.storage  # type: ignore[assignment]
    storage.listeners.append(forget)


@contextmanager
def rebuilt_on_failure(rebuild: Callable[[], None]) -> Iterator[None]:
    """Calls ``rebuild`` if the writes inside fail, then lets the error through. ``on_rollback``
    covers a write that failed before the file was replaced; one can also fail after it (the
    directory's fsync), and then the table holds the new documents: an index of them kept in memory
    must be built again, or the next save would insert a document twice."""
    try:
        yield
    except BaseException:
        rebuild()
        raise


def kept_index(table: Table, name: str, version: str, make: Callable[[], object]) -> Any | None:
    """An index ``table``'s owner derived from it, as written at the last clean close if that was
    made by this ``version`` of the owner from exactly the files there are now (else None: the owner
    reads the documents); and from now on ``make()`` (JSON data) is written at each clean close.

    Why: at 50,000 visits a start spent a second decoding every visit and live nudge to build the
    indexes; after a clean stop, reading them back takes a fraction of that. After a crash the files
    were changed by the log's replay, so the index is built from the documents, as before."""
    storage = table.storage
    if not isinstance(storage, ChunkedStorage):
        return None
    storage.keep(name, version, make)
    return storage.kept(name, version)


def damaged_document(table: Table, doc_id: str, error: Exception) -> DamagedData:
    """A document its owner cannot make sense of (a field missing or of the wrong type: a damaged or
    hand-edited file), as the damage it is, naming the file it is kept in."""
    storage: AtomicJSONStorage | ChunkedStorage = table.storage  # type: ignore[assignment]
    path = storage.file_of(doc_id)
    if isinstance(error, KeyError) and error.args:
        problem = f"field {error.args[0]!r} is missing"
    else:
        problem = f"{type(error).__name__}: {error}".splitlines()[0]  # one line, as a pydantic error is not
    return DamagedData(f"data file {path}: document {doc_id} of {table.name} cannot be read ({problem})",
                       [path])


def _record(name: str, part: bytes) -> bytes:
    return b'{"t":' + orjson.dumps(name) + b',"p":' + part + b"}"


def _records(raw: bytes) -> list[dict[str, Any]]:
    """The writes in one record of the log: a list (a unit), or one write (logs of earlier versions)."""
    loaded = orjson.loads(raw)
    return loaded if isinstance(loaded, list) else [loaded]


def _make_dir(data_dir: Path) -> None:
    """Create ``data_dir`` if needed, durably: a new directory entry is lost in a crash unless synced."""
    try:
        data_dir.mkdir(parents=True)
    except FileExistsError:
        return
    fsync_directory(data_dir.parent)


def _lock(data_dir: Path) -> int:
    """Take the exclusive lock on ``data_dir``; the returned descriptor holds it until closed."""
    path = data_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
        os.close(fd)
        raise DatabaseError(
            f"{path}: the database in {data_dir} is already open (lock held by pid {holder}); "
            "only one process may use it at a time"
        ) from exc
    except BaseException:
        os.close(fd)
        raise
    # Who holds the lock, for the error message above; informative only, the flock is what counts.
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def _read_meta(path: Path) -> dict[str, Any]:
    """The contents of ``meta.json``, or ``{}`` if there is none yet."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise DatabaseError(f"{path} cannot be read: {exc}") from exc
    try:
        meta = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedData(f"{path} is not valid JSON ({exc})", [path]) from exc
    version = meta.get("schema_version") if isinstance(meta, dict) else None
    if type(version) is not int or version < 0:
        raise DamagedData(f"{path} has no valid schema_version (expected an integer >= 0): {raw[:200]!r}",
                          [path])
    problem = _layout_problem(meta)
    if problem is not None:
        raise DamagedData(f"{path}: {problem}", [path])
    checked: dict[str, Any] = meta
    return checked


def _layout_problem(meta: dict[str, Any]) -> str | None:
    """What is wrong with the data dir's layout recorded in ``meta`` (None: nothing, or none recorded)."""
    files, chunks, next_ids = meta.get(FILES, []), meta.get(CHUNKS, {}), meta.get(NEXT_IDS, {})
    if not isinstance(files, list) or \
            not all(isinstance(n, str) and _COLLECTION_NAME.fullmatch(n) for n in files):
        return f"{FILES!r} is not a list of collection names"
    if not isinstance(chunks, dict) or not all(
            n in CHUNKED and isinstance(c, list) and all(type(i) is int and i >= 0 for i in c)
            for n, c in chunks.items()):
        return f"{CHUNKS!r} does not list chunk numbers of chunked collections"
    if not isinstance(next_ids, dict) or not all(n in CHUNKED and type(i) is int and i >= 1
                                                 for n, i in next_ids.items()):
        return f"{NEXT_IDS!r} does not give ids of chunked collections"
    return None
