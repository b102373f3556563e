"""History kept on disk and read only when asked for: a directory of JSON files, one per shelf.

A repository moves records nobody will change again out of its collection into an archive, so that
start-up, memory and every scan cost what is current, not five years of history. The repository
decides what goes on which shelf (nudges: by visit number, a hundred visits to a shelf), so that a
question about one old record reads one small file.

Files: ``<data_dir>/archive/<name>/s<shelf>.json``, each ``{"<key>": {document}}``, written like every
other data file (temporary file, fsync, ``os.replace``, directory fsync), so a shelf is always
complete and a ``put`` that returned is durable. Shelves are read when first asked for and the most
recently used few are kept in memory.

Moving records between a collection and the archive touches two files and cannot be atomic; the
repository orders the two writes so that a crash in between leaves a record in both places, never
in neither, and treats the collection's copy as the true one.
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, Final

import orjson

from bot.storage.atomic import _ENCODE_OPTIONS, Fsync, fsync_directory, is_temp_file, write_atomically
from bot.storage.errors import DatabaseError, json_object

# How many shelves stay in memory after being read.
KEEP_SHELVES: Final = 8
_SHELF_NAME = re.compile(r"s([0-9]{6})\.json")

Shelf = dict[str, dict[str, Any]]


class Archive:
    """One archive directory; ``get`` a shelf (a copy you may change), ``put`` it back whole."""

    def __init__(self, directory: Path, *, fsync: Fsync = os.fsync) -> None:
        self._dir = directory
        self._fsync = fsync
        self._cache: OrderedDict[int, bytes] = OrderedDict()
        self._shelves: set[int] = set()
        if directory.is_dir():
            for path in directory.iterdir():
                if is_temp_file(path):
                    path.unlink()  # left by a crash before its rename; the shelf is unchanged
                elif match := _SHELF_NAME.fullmatch(path.name):
                    self._shelves.add(int(match.group(1)))

    def shelves(self) -> list[int]:
        """The numbers of the shelves that exist, in order."""
        return sorted(self._shelves)

    def get(self, shelf: int) -> Shelf:
        """The records on ``shelf`` (empty if there is none), as a fresh dict the caller may change."""
        if shelf not in self._shelves:
            return {}
        raw = self._cache.get(shelf)
        if raw is None:
            path = self._path(shelf)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                raise DatabaseError(f"archive file {path} cannot be read: {exc}") from exc
            self._cache[shelf] = raw
            while len(self._cache) > KEEP_SHELVES:
                self._cache.popitem(last=False)
        self._cache.move_to_end(shelf)
        shelf_records: Shelf = json_object(raw, self._path(shelf), "archive file", "an object of records")
        return shelf_records

    def put(self, shelf: int, records: Shelf) -> None:
        """Replaces ``shelf`` with ``records`` (an empty dict deletes it), durably."""
        path = self._path(shelf)
        self._cache.pop(shelf, None)
        if not records:
            if shelf in self._shelves:
                path.unlink(missing_ok=True)
                fsync_directory(self._dir, self._fsync)
                self._shelves.discard(shelf)
            return
        payload = orjson.dumps(records, option=_ENCODE_OPTIONS)
        if not self._dir.is_dir():
            self._dir.mkdir(parents=True, exist_ok=True)
            fsync_directory(self._dir.parent, self._fsync)
            fsync_directory(self._dir.parent.parent, self._fsync)
        write_atomically(path, payload, self._fsync)
        self._shelves.add(shelf)

    def _path(self, shelf: int) -> Path:
        return self._dir / f"s{shelf:06d}.json"
