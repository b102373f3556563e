"""The write-ahead log: one append and one ``fdatasync`` make a write durable.

Why: rewriting a chunk file on every write (a thousand visits, about 800 KB: encode, write, fsync,
rename, fsync the directory) made every saved visit slow, and saving a new visit (client,
contact, visit, nudges, dialog) slower still at the tail. A write now appends only the
documents it changed to ``wal.log`` and syncs that one file; the collection files catch up later, all
at once, at a checkpoint (``Database.checkpoint``), after which the log is emptied.

A record on disk is ``<length: 4 bytes LE><crc32: 4 bytes LE><payload>``; the payload is JSON, a list
of writes (``[{"t": <collection>, "p": <part>}, ...]``) or, in logs of earlier versions, one write.
Every record holds the whole new state of what it changed (documents, or a small collection's whole
content), so applying the records again over files a checkpoint already updated gives the same
result: a crash during a checkpoint only means the next start replays the log once more.

Reading the log at a start (``scan``) tells a torn tail from damage. Records are appended one at a
time, each synced before the next is written, so a crash can only leave the last record incomplete:
a write whose ``fdatasync`` had not returned, never acknowledged. Such a tail is cut off. A bad
record with a whole record after it is something else (a flipped bit, a bad sector): the records
after it were acknowledged, so the log is not cut and the start stops (``DamagedData``); so does a
last record whose checksum matches the rest of the file (whole, its length damaged). A last record
that has its full length but the wrong checksum is cut (a power cut can leave the space
of an unsynced record allocated but not written), after the log is copied aside, since it may also
be an acknowledged write damaged later.

A record may also be written now and synced a moment later (``append(..., sync=False)``, then
``sync``): the reply to a message leaves while the disk flushes (see ``Database.unit``). Nothing
else is written in between, and a full disk is reported by the write itself (ext4 and XFS reserve
the space there; measured on an 8 MB ext4 image: ``pwrite`` failed, never ``fdatasync``).

Like the storages, not thread-safe: used by one thread at a time, whoever holds the core.
"""

from __future__ import annotations

import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from bot.storage.atomic import fsync_directory
from bot.storage.errors import DamagedData, DatabaseError

_HEADER: Final = struct.Struct("<II")
# How every payload's first write begins (``Database`` makes them): how ``scan`` finds a record
# after a damaged one without trying every byte.
_WRITE_START: Final = b'{"t":'


@dataclass(frozen=True)
class Scan:
    """What a start finds in the log: the whole records (their offset and payload), where they end,
    and why the bytes after that are not a record (None: there are none)."""

    records: list[tuple[int, bytes]]
    end: int
    size: int
    tail: str | None = None
    # The tail is what a crash in the middle of an append leaves, nothing that looks damaged.
    crash: bool = True


def scan(path: Path) -> Scan:
    """Reads the log at ``path`` without changing it (none: an empty log). Raises ``DamagedData``
    naming the record if a damaged one has whole records after it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Scan([], 0, 0)
    except OSError as exc:
        raise DatabaseError(f"write-ahead log {path} cannot be read: {exc}") from exc
    records, at = _whole_records(raw, 0)
    if at == len(raw):
        return Scan(records, at, len(raw))
    _, why = _record_end(raw, at)
    after = _next_record(raw, at + 1)
    if after is not None:
        following, _ = _whole_records(raw, after)
        raise DamagedData(
            f"write-ahead log {path}: record {len(records) + 1} of {len(records) + 1 + len(following)} "
            f"(at byte {at}) is damaged ({why}), and {len(following)} whole record(s) follow it, "
            "acknowledged writes that cutting the log there would lose", [path])
    if _whole_but_misframed(raw, at):
        raise DamagedData(
            f"write-ahead log {path}: record {len(records) + 1} of {len(records) + 1} (at byte {at}) has a "
            "damaged length but is whole, an acknowledged write that cutting the log there would lose",
            [path])
    crash = why.startswith("incomplete") or not raw[at:].strip(b"\0")
    return Scan(records, at, len(raw), why, crash)


def _whole_but_misframed(raw: bytes, at: int) -> bool:
    """Whether the checksum of the record at ``at`` matches the rest of the file: then it is whole
    (a torn append matches only by a one in four billion chance), and its length was damaged."""
    if len(raw) - at <= _HEADER.size:
        return False
    crc: int = _HEADER.unpack_from(raw, at)[1]
    return zlib.crc32(memoryview(raw)[at + _HEADER.size:]) == crc


def _whole_records(raw: bytes, at: int) -> tuple[list[tuple[int, bytes]], int]:
    """The whole records from ``at`` on, up to the first that is not; and where that one begins."""
    found = []
    while at < len(raw):
        end, _ = _record_end(raw, at)
        if not end:
            break
        found.append((at, raw[at + _HEADER.size:end]))
        at = end
    return found, at


def _record_end(raw: bytes, at: int) -> tuple[int, str]:
    """Where the record at ``at`` ends; or 0 and why no whole record starts there."""
    if len(raw) - at < _HEADER.size:
        return 0, "incomplete: the file ends inside its header"
    length, crc = _HEADER.unpack_from(raw, at)
    end = at + _HEADER.size + length
    if end > len(raw):
        return 0, f"incomplete: its length, {length} bytes, runs past the end of the file"
    if length == 0:
        return 0, "its length is 0"
    if zlib.crc32(memoryview(raw)[at + _HEADER.size:end]) != crc:
        return 0, "its checksum does not match"
    return end, ""


def _next_record(raw: bytes, start: int) -> int | None:
    """Where the first whole record at or after ``start`` begins, if one does."""
    found = raw.find(_WRITE_START, start)
    while found != -1:
        # The payload is a list of writes ("[{"t":...") or, in logs of earlier versions, one write.
        for header in (found - 1 - _HEADER.size, found - _HEADER.size):
            if header >= start and _record_end(raw, header)[0]:
                return header
        found = raw.find(_WRITE_START, found + 1)
    return None


class Journal(Protocol):
    """What a storage needs of the database's log: ``Database`` is one, the storages' tests too."""

    def append(self, name: str, part: bytes) -> None:
        """Makes a write of collection ``name`` durable (``part``: JSON the storage's ``apply`` reads)."""

    def settle(self) -> None:
        """After a write's bookkeeping: a moment when a checkpoint may run."""

    def parts(self, name: str) -> list[dict[str, Any]]:
        """The durable writes of ``name`` not yet in its files, oldest first."""
        return []

    def failed(self) -> None:
        """A storage could not write and went back to what the disk holds."""


class WriteAheadLog:
    """``wal.log`` in a data directory, opened once ``scan`` found it sound (and ``cut`` off its torn
    tail): ``append`` per write, ``reset`` after a checkpoint."""

    def __init__(self, path: Path) -> None:
        self._path = path
        existed = path.exists()
        try:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise DatabaseError(f"write-ahead log {path} cannot be opened: {exc}") from exc
        if not existed:
            fsync_directory(path.parent)  # the new file's name survives a crash
        self._size = os.fstat(self._fd).st_size
        self._synced = self._size  # the log up to here is durable

    @property
    def path(self) -> Path:
        return self._path

    @property
    def size(self) -> int:
        """Bytes in the log: how much a checkpoint would clear."""
        return self._size

    def records(self) -> list[bytes]:
        """Every record, oldest first (the log is whole: a start cut off any torn tail)."""
        raw = os.pread(self._fd, self._size, 0)
        found, at = _whole_records(raw, 0)
        if at != len(raw):
            raise DamagedData(f"write-ahead log {self._path}: record {len(found) + 1} (at byte {at}) "
                              f"is damaged ({_record_end(raw, at)[1]})", [self._path])
        return [payload for _, payload in found]

    def cut(self, size: int) -> None:
        """Cuts the log to its first ``size`` bytes (a torn tail off, at a start)."""
        self._truncate(size)

    @property
    def pending(self) -> bool:
        """Whether a record was written without being synced yet."""
        return self._synced != self._size

    def append(self, payload: bytes, sync: bool = True) -> None:
        """Adds one record, durably (or, with ``sync=False``, to be made durable by ``sync``); if
        this raises, the log is as it was. A record left unsynced must be synced first (the
        database does, so a failing flush undoes that record's writes in memory too)."""
        assert not self.pending, "sync the last record first"
        record = _HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        try:
            view = memoryview(record)
            at = self._size
            while view:
                written = os.pwrite(self._fd, view, at)
                view, at = view[written:], at + written
        except BaseException:
            self._truncate(self._size)  # what was written of the record is not a record
            raise
        self._size += len(record)
        if sync:
            self.sync()

    def sync(self) -> None:
        """Makes the records written so far durable; if this raises, they are cut off the log."""
        if not self.pending:
            return
        try:
            os.fdatasync(self._fd)  # looked up each time: the tests' way to make a disk fail
        except BaseException:
            self._truncate(self._synced)
            raise
        self._synced = self._size

    def reset(self) -> None:
        """Empties the log (after a checkpoint made its records redundant)."""
        self._truncate(0)

    def close(self) -> None:
        os.close(self._fd)

    def _truncate(self, size: int) -> None:
        os.ftruncate(self._fd, size)
        os.fsync(self._fd)
        self._size = self._synced = size
