"""The write-ahead log: a write is durable once appended, a crash replays it, a torn tail is dropped,
a failed append leaves memory as the disk, and the files catch up at a checkpoint."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

import pytest
from tinydb.table import Document

from bot.storage import Database
from bot.storage.database import LOG_FILE


def crash_copy(data_dir: Path, target: Path) -> Path:
    """The data dir as a crash would leave it now (the open database never closes it)."""
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def test_writes_in_the_log_survive_a_crash_and_are_checkpointed_at_open(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "data")
    db.table("visits").insert_multiple(Document({"client": f"C{i}"}, doc_id=i) for i in (1, 1001))
    db.table("visits").update({"client": "changed"}, doc_ids=[1])
    db.table("visits").remove(doc_ids=[1001])
    db.table("staff").insert(Document({"name": "林"}, doc_id=7))
    crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    db.close()
    assert (crashed / LOG_FILE).stat().st_size > 0 and not (crashed / "visits").exists()
    with Database.open(crashed) as reopened:
        assert reopened.table("visits").all() == [{"client": "changed"}]
        assert reopened.table("staff").get(doc_id=7) == {"name": "林"}
        assert (crashed / LOG_FILE).stat().st_size == 0  # replayed into the files
        assert (crashed / "visits").is_dir() and (crashed / "staff.json").exists()


def test_a_torn_last_record_is_dropped_and_the_rest_kept(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "data")
    db.table("clients").insert(Document({"name": "华为"}, doc_id=1))
    db.table("clients").insert(Document({"name": "腾讯"}, doc_id=2))
    crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    db.close()
    log = crashed / LOG_FILE
    whole = log.read_bytes()
    log.write_bytes(whole[:-3])  # the second append was cut short by the crash: never acknowledged
    with Database.open(crashed) as reopened:
        assert reopened.table("clients").all() == [{"name": "华为"}]
        reopened.table("clients").insert(Document({"name": "阿里"}, doc_id=3))  # and it goes on
    with Database.open(crashed) as reopened:
        assert [c["name"] for c in reopened.table("clients").all()] == ["华为", "阿里"]


def test_a_failed_append_leaves_memory_as_the_disk_and_the_next_write_works(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = __import__("os").fdatasync

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with Database.open(tmp_path / "data") as db:
        visits, staff = db.table("visits"), db.table("staff")
        visits.insert_multiple(Document({"client": "ACME", "tags": ["a"]}, doc_id=i) for i in (1, 1001))
        staff.insert(Document({"name": "林"}, doc_id=7))
        db.checkpoint()
        visits.update({"client": "in the log"}, doc_ids=[1])  # durable, not yet in the files
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", full_disk)
        with pytest.raises(OSError, match="No space"):
            visits.update({"client": "lost"})
        with pytest.raises(OSError, match="No space"):
            staff.update({"name": "lost"})
        assert [v["client"] for v in visits.all()] == ["in the log", "ACME"]
        assert staff.get(doc_id=7) == {"name": "林"}
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", real)
        visits.update({"client": "kept"}, doc_ids=[1001])
    with Database.open(tmp_path / "data") as db:
        assert [v["client"] for v in db.table("visits").all()] == ["in the log", "kept"]
        assert db.table("staff").get(doc_id=7) == {"name": "林"}


def test_a_long_log_is_checkpointed_by_the_write_that_makes_it_long(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.storage.database.LOG_LIMIT", 10_000)
    with Database.open(tmp_path / "data") as db:
        tasks = db.table("tasks")
        for i in range(1, 40):
            tasks.insert(Document({"text": "x" * 500}, doc_id=i))
            assert (tmp_path / "data" / LOG_FILE).stat().st_size <= 10_000 + 1_000
        assert (tmp_path / "data" / "tasks").is_dir()  # the files caught up along the way
        crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    with Database.open(crashed) as reopened:
        assert len(reopened.table("tasks")) == 39
