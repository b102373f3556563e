"""The write-ahead log: a write is durable once appended, a crash replays it, a torn tail is dropped,
a failed append leaves memory as the disk, and the files catch up at a checkpoint."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest
from tinydb.table import Document

from bot.storage import Database, on_rollback
from bot.storage.database import LOG_FILE


def crash_copy(data_dir: Path, target: Path) -> Path:
    """The data dir as a crash would leave it now (the open database never closes it)."""
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def full_disk(fd: int) -> None:
    """The log's ``fdatasync`` on a full disk."""
    raise OSError(errno.ENOSPC, "No space left on device")


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
    real = os.fdatasync
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


def test_a_unit_synced_later_is_undone_if_its_flush_fails(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ``unit(sync=False)``: a reply goes out while the disk flushes. If the flush then fails, the
    # unit is undone in memory and cut off the log, and the next write works.
    real = os.fdatasync
    with Database.open(tmp_path / "data") as db:
        visits, staff = db.table("visits"), db.table("staff")
        visits.insert(Document({"client": "ACME"}, doc_id=1))
        with db.unit(sync=False):
            visits.update({"client": "lost"}, doc_ids=[1])
            staff.insert(Document({"name": "lost"}, doc_id=7))
        assert db.unsynced and visits.get(doc_id=1) == {"client": "lost"}
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", full_disk)
        with pytest.raises(OSError):
            db.sync()
        assert not db.unsynced
        assert visits.all() == [{"client": "ACME"}] and staff.all() == []
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", real)
        with db.unit(sync=False):
            visits.update({"client": "kept"}, doc_ids=[1])
        db.sync()
        crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    with Database.open(crashed) as reopened:
        assert reopened.table("visits").all() == [{"client": "kept"}] and reopened.table("staff").all() == []


def test_a_write_after_a_unit_left_unsynced_makes_it_durable_first(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncs = counting_syncs(monkeypatch)
    with Database.open(tmp_path / "data") as db:
        with db.unit(sync=False):
            db.table("clients").insert(Document({"name": "华为"}, doc_id=1))
        assert syncs == []
        db.table("clients").insert(Document({"name": "腾讯"}, doc_id=2))
        assert len(syncs) == 2 and not db.unsynced
        crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    with Database.open(crashed) as reopened:
        assert [c["name"] for c in reopened.table("clients").all()] == ["华为", "腾讯"]


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


def counting_syncs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the log's ``fdatasync`` calls (the cost of a durable write)."""
    real, calls = os.fdatasync, []

    def counted(fd: int) -> None:
        calls.append(fd)
        real(fd)

    monkeypatch.setattr("bot.storage.wal.os.fdatasync", counted)
    return calls


def test_a_unit_is_one_durable_write_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    syncs = counting_syncs(monkeypatch)
    with Database.open(tmp_path / "data") as db:
        visits, staff, nudges = db.table("visits"), db.table("staff"), db.table("nudges")
        with db.unit():
            visits.insert(Document({"client": "华为"}, doc_id=1))
            staff.insert(Document({"name": "林"}, doc_id=7))
            nudges.insert_multiple(Document({"item": f"n{i}"}, doc_id=i) for i in range(1, 31))
            assert syncs == []
            during = crash_copy(tmp_path / "data", tmp_path / "during")
        assert len(syncs) == 1
        after = crash_copy(tmp_path / "data", tmp_path / "after")
    with Database.open(during) as crashed:  # a crash before the unit ended: none of it happened
        assert [len(crashed.table(name)) for name in ("visits", "staff", "nudges")] == [0, 0, 0]
    with Database.open(after) as crashed:
        assert crashed.table("visits").get(doc_id=1) == {"client": "华为"}
        assert crashed.table("staff").get(doc_id=7) == {"name": "林"}
        assert len(crashed.table("nudges")) == 30


def test_a_unit_the_disk_refuses_leaves_every_collection_as_it_was_and_tells_the_owners(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdatasync
    with Database.open(tmp_path / "data") as db:
        visits, staff = db.table("visits"), db.table("staff")
        visits.insert(Document({"client": "ACME"}, doc_id=1))
        staff.insert(Document({"name": "林"}, doc_id=7))
        told: list[str] = []
        on_rollback(visits, lambda: told.append("visits"))
        on_rollback(staff, lambda: told.append("staff"))
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", full_disk)
        with pytest.raises(OSError, match="No space"), db.unit():
            visits.update({"client": "lost"}, doc_ids=[1])
            visits.insert(Document({"client": "lost too"}, doc_id=2))
            staff.update({"name": "lost"})
        assert visits.all() == [{"client": "ACME"}] and staff.all() == [{"name": "林"}]
        assert sorted(told) == ["staff", "visits"]
        monkeypatch.setattr("bot.storage.wal.os.fdatasync", real)
        with db.unit():
            visits.insert(Document({"client": "kept"}, doc_id=2))
    with Database.open(tmp_path / "data") as db:
        assert [v["client"] for v in db.table("visits").all()] == ["ACME", "kept"]
        assert db.table("staff").all() == [{"name": "林"}]


def test_a_write_failing_inside_a_unit_undoes_what_the_unit_wrote_before_it(tmp_path: Path) -> None:
    def broken(doc: dict[str, object]) -> None:
        doc["client"] = "half changed"
        raise ValueError("a bug in the middle of an update")

    with Database.open(tmp_path / "data") as db:
        visits, staff, tasks = db.table("visits"), db.table("staff"), db.table("tasks")
        visits.insert(Document({"client": "ACME"}, doc_id=1))
        with db.unit():
            staff.insert(Document({"name": "written before the failure"}, doc_id=7))
            with pytest.raises(ValueError, match="a bug"):
                visits.update(broken, doc_ids=[1])  # type: ignore[arg-type]
            # The caller caught it and goes on: it sees everything before undone, and later writes count.
            assert staff.all() == [] and visits.all() == [{"client": "ACME"}]
            tasks.insert(Document({"text": "written after"}, doc_id=1))
    with Database.open(tmp_path / "data") as db:
        assert db.table("staff").all() == [] and db.table("visits").all() == [{"client": "ACME"}]
        assert db.table("tasks").all() == [{"text": "written after"}]


def test_a_checkpoint_inside_a_unit_makes_what_it_wrote_durable_first(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db, db.unit():
        db.table("visits").insert(Document({"client": "华为"}, doc_id=1))
        db.checkpoint()  # a backup taken in the middle of an update
        crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
        db.table("visits").insert(Document({"client": "腾讯"}, doc_id=2))
    with Database.open(crashed) as reopened:
        assert reopened.table("visits").all() == [{"client": "华为"}]
    with Database.open(tmp_path / "data") as reopened:
        assert [v["client"] for v in reopened.table("visits").all()] == ["华为", "腾讯"]


def test_a_write_to_a_one_file_collection_logs_only_the_documents_it_changed(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        dialogs = db.table("dialogs")
        dialogs.insert_multiple(Document({"draft": "x" * 2000, "step": 1}, doc_id=i) for i in range(1, 301))
        db.checkpoint()
        log = tmp_path / "data" / LOG_FILE
        dialogs.update({"step": 2}, doc_ids=[7])  # one colleague's step, among 300 open drafts
        dialogs.remove(doc_ids=[8])
        assert log.stat().st_size < 5_000  # the two documents, not the 600 KB of drafts
        crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
        dialogs.truncate()
        dialogs.insert(Document({"step": 1}, doc_id=9))
        emptied = crash_copy(tmp_path / "data", tmp_path / "emptied")
    with Database.open(crashed) as reopened:
        assert reopened.table("dialogs").get(doc_id=7) == {"draft": "x" * 2000, "step": 2}
        assert reopened.table("dialogs").get(doc_id=8) is None and len(reopened.table("dialogs")) == 299
    with Database.open(emptied) as reopened:
        assert reopened.table("dialogs").all() == [{"step": 1}]
