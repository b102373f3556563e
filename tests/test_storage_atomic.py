"""AtomicJSONStorage: a failed write leaves memory and disk in agreement.

Disk failures are injected through the storage's ``fsync`` seam, with the real syscall position: the
fsync of the temporary file (where a full or failing disk reports a lost write) or of the directory
(after the rename). Everything else runs against real files.
"""

from __future__ import annotations

import errno
import os
from collections.abc import MutableMapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query
from tinydb.table import Document, Table

from bot.storage import AtomicJSONStorage, Database


class FlakyDisk:
    """An ``fsync`` that fails on chosen calls, like a disk that filled up or started failing."""

    def __init__(self) -> None:
        self.calls = 0
        self.fail_calls: set[int] = set()

    def fail_in(self, *offsets: int) -> None:
        """Fail the n-th next calls (1: the temp file's fsync, 2: the directory's, of the next write)."""
        self.fail_calls = {self.calls + n for n in offsets}

    def __call__(self, fd: int) -> None:
        self.calls += 1
        if self.calls in self.fail_calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)


def stray_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def visits_on_disk(path: Path) -> list[Document]:
    return Table(AtomicJSONStorage(path), "visits").all()


@pytest.fixture
def disk() -> FlakyDisk:
    return FlakyDisk()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "visits.json"


@pytest.fixture
def visits(path: Path, disk: FlakyDisk) -> Table:
    table = Table(AtomicJSONStorage(path, fsync=disk), "visits")
    table.insert({"client": "ACME", "tags": ["a"]})
    return table


def test_failed_write_keeps_old_file_and_rolls_memory_back(
    visits: Table, path: Path, disk: FlakyDisk
) -> None:
    before = path.read_bytes()

    disk.fail_in(1)
    with pytest.raises(OSError, match="No space left"):
        visits.insert({"client": "Globex"})
    disk.fail_in(1)
    with pytest.raises(OSError):
        visits.update({"client": "changed"})  # TinyDB mutates the stored dict in place first
    disk.fail_in(1)
    with pytest.raises(OSError):
        visits.truncate()

    assert path.read_bytes() == before
    assert stray_files(path.parent) == []
    assert visits.all() == visits_on_disk(path) == [{"client": "ACME", "tags": ["a"]}]

    # Once the disk recovers, writes go through and land next to the old data.
    visits.insert({"client": "Initech"})
    assert visits.all() == visits_on_disk(path)
    assert [d["client"] for d in visits.all()] == ["ACME", "Initech"]


def test_failed_first_write_leaves_no_file(path: Path, disk: FlakyDisk) -> None:
    table = Table(AtomicJSONStorage(path, fsync=disk), "visits")
    disk.fail_in(1)
    with pytest.raises(OSError):
        table.insert({"client": "ACME"})
    assert not path.exists()
    assert stray_files(path.parent) == []
    assert table.all() == []


def test_failed_directory_sync_keeps_memory_equal_to_the_renamed_file(
    visits: Table, path: Path, disk: FlakyDisk
) -> None:
    disk.fail_in(2)
    with pytest.raises(OSError):
        visits.insert({"client": "Globex"})
    # The rename happened, so the file holds the new data; memory must agree with it, not roll back.
    assert visits.all() == visits_on_disk(path)
    assert len(visits.all()) == 2


def test_unencodable_value_is_refused_without_a_trace(visits: Table, path: Path) -> None:
    before = path.read_bytes()
    with pytest.raises(TypeError, match="not JSON serializable"):
        visits.insert({"client": "Globex", "when": datetime.now(UTC)})
    assert path.read_bytes() == before
    assert visits.all() == visits_on_disk(path) == [{"client": "ACME", "tags": ["a"]}]


def test_rollback_clears_cached_query_results(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        visits = db.table("visits")
        visits.insert({"client": "ACME", "tags": ["a"]})
        query = Query().client == "ACME"
        assert visits.search(query) == [{"client": "ACME", "tags": ["a"]}]  # now cached

        def add_bad_tag(doc: MutableMapping[str, Any]) -> None:
            doc["tags"].append(datetime.now(UTC))  # in place: the cached result shares this list

        with pytest.raises(TypeError):
            visits.update(add_bad_tag)
        assert visits.search(query) == [{"client": "ACME", "tags": ["a"]}]


def test_reads_do_not_touch_the_disk(visits: Table, path: Path) -> None:
    # The data is decoded once: deleting the file behind the storage's back does not change reads
    # (the lock in Database is what keeps anyone else from doing this for real).
    path.unlink()
    assert visits.search(Query().client == "ACME") == [{"client": "ACME", "tags": ["a"]}]
