"""The write-ahead log: one append and one ``fdatasync`` make a write durable.

Why: rewriting a chunk file on every write (a thousand visits, about 800 KB: encode, write, fsync,
rename, fsync the directory) made one saved visit cost ~11 ms, and saving a new visit (client,
contact, visit, nudges, dialog) ~13 ms median and 50 ms at the tail. A write now appends only the
documents it changed to ``wal.log`` and syncs that one file; the collection files catch up later, all
at once, at a checkpoint (``Database.checkpoint``), after which the log is emptied.

A record on disk is ``<length: 4 bytes LE><crc32: 4 bytes LE><payload>``. A crash in the middle of an
append leaves a short or mismatching last record: that write was never acknowledged (its
``fdatasync`` had not returned), so reading stops there and the torn tail is cut off. Every record
holds the whole new state of what it changed (documents, or a small collection's whole content), so
applying the records again over files a checkpoint already updated gives the same result: a crash
during a checkpoint only means the next start replays the log once more.

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
from pathlib import Path
from typing import Any, Final, Protocol

from bot.storage.atomic import fsync_directory
from bot.storage.errors import DatabaseError

_HEADER: Final = struct.Struct("<II")


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
    """``wal.log`` in a data directory: ``records`` at open, ``append`` per write, ``reset`` after a
    checkpoint."""

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
        """Every whole record, oldest first; a torn or damaged tail (a crash mid-append) is cut off."""
        raw = os.pread(self._fd, self._size, 0)
        found, at = [], 0
        while at + _HEADER.size <= len(raw):
            length, crc = _HEADER.unpack_from(raw, at)
            payload = raw[at + _HEADER.size: at + _HEADER.size + length]
            if len(payload) != length or zlib.crc32(payload) != crc:
                break
            found.append(payload)
            at += _HEADER.size + length
        if at != self._size:
            self._truncate(at)
        return found

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
