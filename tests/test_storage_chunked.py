"""Big collections in chunk files: a write rewrites only its chunk, a write across chunks lands whole
(journal), a failed write leaves memory as the disk, and old single-file data dirs migrate."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import orjson
import pytest
from tinydb.table import Document

from bot.storage import CURRENT_SCHEMA_VERSION, Database, DatabaseError
from bot.storage.chunked import JOURNAL, ChunkedStorage, ChunkedTable, chunk_name


def chunk_files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_a_checkpoint_rewrites_only_the_chunks_written_since_the_last(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        visits = db.table("visits")
        visits.insert_multiple(Document({"client": f"C{i}"}, doc_id=i) for i in range(1, 2500))
        directory = tmp_path / "data" / "visits"
        assert not directory.exists()  # the write is in the log
        db.checkpoint()
        assert sorted(chunk_files(directory)) == [chunk_name(0), chunk_name(1), chunk_name(2)]
        before = chunk_files(directory)
        visits.update({"client": "changed"}, doc_ids=[1500])
        assert chunk_files(directory) == before
        db.checkpoint()
        after = chunk_files(directory)
        assert after[chunk_name(0)] == before[chunk_name(0)] and after[chunk_name(2)] == before[chunk_name(2)]
        assert after[chunk_name(1)] != before[chunk_name(1)]
        assert not (directory / JOURNAL).exists()
        visits.remove(doc_ids=list(range(2000, 2500)))  # empties chunk 2: its file stays, empty
        db.checkpoint()
        assert chunk_files(directory)[chunk_name(2)] == b"{}"
    with Database.open(tmp_path / "data") as db:
        visits = db.table("visits")
        assert len(visits) == 1999
        assert visits.get(doc_id=1500) == {"client": "changed"}
        assert visits.insert({"client": "next"}) == 2500  # ids continue after the highest ever used
        assert tmp_path / "data" / "visits" / chunk_name(2) in db.files()


def test_a_journal_left_by_a_crash_is_finished_at_open(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("visits").insert_multiple(Document({"n": i}, doc_id=i) for i in (1, 1001))
    directory = tmp_path / "data" / "visits"
    # A crash after the journal was written, before the chunks were replaced: the write happened.
    journal = {chunk_name(0): {"1": {"n": "new"}}, chunk_name(1): None}
    (directory / JOURNAL).write_bytes(orjson.dumps(journal))
    with Database.open(tmp_path / "data") as db:
        assert db.table("visits").all() == [{"n": "new"}]
    assert not (directory / JOURNAL).exists() and not (directory / chunk_name(1)).exists()


def test_a_failed_write_leaves_memory_as_the_disk(tmp_path: Path) -> None:
    directory = tmp_path / "visits"
    failing = False

    def fsync(fd: int) -> None:
        if failing:
            raise OSError(errno.ENOSPC, "No space left on device")

    table = ChunkedTable(ChunkedStorage(directory, "visits", fsync=fsync), "visits")
    table.insert_multiple(Document({"client": "ACME", "tags": ["a"]}, doc_id=i) for i in (1, 1001))
    failing = True
    with pytest.raises(OSError, match="No space"):
        table.update({"client": "lost"})  # every chunk, through the journal
    with pytest.raises(OSError, match="No space"):
        table.insert({"client": "lost too"})
    assert table.all() == [{"client": "ACME", "tags": ["a"]}] * 2
    failing = False
    reopened = ChunkedTable(ChunkedStorage(directory, "visits"), "visits")
    assert reopened.all() == table.all()
    assert sorted(p.name for p in directory.iterdir()) == [chunk_name(0), chunk_name(1)]  # no leftovers


def test_a_damaged_chunk_stops_the_start_naming_it(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("nudges").insert({"id": "visit:1:venue"})
    chunk = tmp_path / "data" / "nudges" / chunk_name(0)
    chunk.write_bytes(chunk.read_bytes()[:5])
    with pytest.raises(DatabaseError, match=str(chunk)):
        Database.open(tmp_path / "data")


def test_a_single_file_data_dir_migrates_to_chunks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    # A data dir as the previous version wrote it: schema 1, every collection in one file.
    (data / "meta.json").write_text(json.dumps({"schema_version": 1}))
    visits = {str(i): {"client": f"C{i}"} for i in range(1, 1203)}
    (data / "visits.json").write_bytes(orjson.dumps({"visits": visits}))
    (data / "staff.json").write_bytes(orjson.dumps({"staff": {"7": {"name": "Li Wei"}}}))
    with Database.open(data) as db:
        assert db.schema_version == CURRENT_SCHEMA_VERSION
        assert len(db.table("visits")) == 1202
        assert db.table("visits").get(doc_id=1202) == {"client": "C1202"}
        assert db.table("staff").get(doc_id=7) == {"name": "Li Wei", "identities": ["telegram:7"]}  # schema 5
    assert not (data / "visits.json").exists() and (data / "staff.json").exists()
    assert sorted(p.name for p in (data / "visits").iterdir()) == [chunk_name(0), chunk_name(1)]
    with Database.open(data) as db:  # and it opens again as it is now
        assert len(db.table("visits")) == 1202


def test_a_batch_over_many_chunks_keeps_every_document(tmp_path: Path) -> None:
    # More chunks than are kept decoded: the ones being changed must stay until they are written.
    with Database.open(tmp_path / "data") as db:
        db.table("contacts").insert_multiple(Document({"n": i}, doc_id=i) for i in range(1, 9001))
        assert db.table("contacts").get(doc_id=4000) == {"n": 4000}
    with Database.open(tmp_path / "data") as db:
        assert [d["n"] for d in db.table("contacts").all()] == list(range(1, 9001))


def test_a_chunk_damaged_inside_is_refused_naming_it_when_first_read(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("debriefs").insert_multiple(Document({"n": i}, doc_id=i) for i in (1, 1001))
    chunk = tmp_path / "data" / "debriefs" / chunk_name(1)
    chunk.write_bytes(b'{"1001": {"n": 1001}, "7": {"n": 7}}')  # a document of another chunk
    with Database.open(tmp_path / "data") as db:
        debriefs = db.table("debriefs")
        assert debriefs.get(doc_id=1) == {"n": 1}  # the sound chunk is read as usual
        with pytest.raises(DatabaseError, match=str(chunk)):
            debriefs.get(doc_id=1001)
    assert chunk.read_bytes() == b'{"1001": {"n": 1001}, "7": {"n": 7}}'  # left as it was


def test_relationship_records_in_one_file_move_to_chunks_at_schema_3(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "meta.json").write_text(json.dumps({"schema_version": 2}))
    reminders = {str(i): {"id": f"cadence:{i}:2026-11", "client_id": i} for i in range(1, 1502)}
    (data / "relationship_reminders.json").write_bytes(orjson.dumps({"relationship_reminders": reminders}))
    with Database.open(data) as db:
        assert db.schema_version == CURRENT_SCHEMA_VERSION
        assert db.table("relationship_reminders").get(doc_id=1501) == {"id": "cadence:1501:2026-11",
                                                                        "client_id": 1501}
    assert not (data / "relationship_reminders.json").exists()
    chunks = sorted(p.name for p in (data / "relationship_reminders").iterdir())
    assert chunks == [chunk_name(0), chunk_name(1)]
