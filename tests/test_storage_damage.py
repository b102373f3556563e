"""A damaged data dir: a torn tail of the log is cut (a crash), anything else stops the start with
one line naming the file and the record, the damaged files copied aside and nothing else written;
and ids never go back, so a lost or removed document never hands its number to a new one."""

from __future__ import annotations

import logging
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from tinydb.table import Document

from bot.repositories.clients import ClientRepository
from bot.repositories.nudges import NudgeRepository
from bot.storage import Database, DatabaseError
from bot.storage.chunked import chunk_name
from bot.storage.database import LOG_FILE


def crash_copy(data_dir: Path, target: Path) -> Path:
    """The data dir as a kill -9 would leave it now (the open database never closes it)."""
    shutil.copytree(data_dir, target, ignore=shutil.ignore_patterns(".lock"))
    return target


def files_of(data_dir: Path) -> dict[str, bytes]:
    """Every file of the data dir, byte for byte; the lock file and the copies set aside apart."""
    return {str(path.relative_to(data_dir)): path.read_bytes() for path in sorted(data_dir.rglob("*"))
            if path.is_file() and path.name != ".lock" and not path.relative_to(data_dir).parts[0].startswith(
                "damaged-")}


def set_aside(data_dir: Path) -> dict[str, bytes]:
    """What the start copied into ``damaged-<time>/`` (one such folder at most)."""
    folders = sorted(data_dir.glob("damaged-*"))
    assert len(folders) <= 1, folders
    return {} if not folders else {str(p.relative_to(folders[0])): p.read_bytes()
                                   for p in folders[0].rglob("*") if p.is_file()}


def three_acknowledged_writes(tmp_path: Path) -> Path:
    """A data dir killed after three acknowledged writes, each one record of the log: a digest time,
    a visit's minutes, a contact-log entry."""
    db = Database.open(tmp_path / "data")
    db.table("digest_prefs").insert(Document({"user_id": 7, "at": "08:30"}, doc_id=7))
    db.table("debriefs").insert(Document({"visit_id": 1, "minutes": ""}, doc_id=1))
    db.checkpoint()
    db.table("digest_prefs").update({"at": "09:00"}, doc_ids=[7])
    db.table("debriefs").update({"minutes": "带了样品"}, doc_ids=[1])
    db.table("contact_log").insert(Document({"client_id": 1, "note": "电话确认"}, doc_id=1))
    crashed = crash_copy(tmp_path / "data", tmp_path / "crashed")
    db.close()
    return crashed


def record_offsets(log: Path) -> list[int]:
    raw, at, found = log.read_bytes(), 0, []
    while at < len(raw):
        found.append(at)
        at += 8 + struct.unpack_from("<I", raw, at)[0]
    return found


def record(payload: bytes) -> bytes:
    """A log record with a correct checksum."""
    return struct.pack("<II", len(payload), zlib.crc32(payload)) + payload


def damage(path: Path, at: int, change: bytes) -> None:
    raw = bytearray(path.read_bytes())
    raw[at:at + len(change)] = change
    path.write_bytes(bytes(raw))


def refuse_to_open(data_dir: Path, *names: str) -> str:
    """Opening stops naming what it found, writes nothing, and sets the damaged files aside; returns
    the message."""
    before = files_of(data_dir)
    with pytest.raises(DatabaseError) as refused:
        Database.open(data_dir)
    message = str(refused.value)
    for name in names:
        assert name in message
    assert "\n" not in message
    assert files_of(data_dir) == before
    return message


@pytest.mark.parametrize(("at", "change"), [
    (8 + 12, b"\x01"),  # a flipped bit in the payload: the checksum does not match
    (2, b"\x7f"),  # in the length: the record runs past the end of the file
    (0, b"\0" * 8),  # a zeroed header
])
def test_damage_in_the_middle_of_the_log_stops_the_start_and_loses_nothing(
        tmp_path: Path, at: int, change: bytes) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    assert len(record_offsets(log)) == 3
    whole = log.read_bytes()
    damage(log, at, change)
    message = refuse_to_open(crashed, str(log), "record 1 of 3", "2 whole record(s) follow it")
    assert set_aside(crashed) == {LOG_FILE: log.read_bytes()}
    assert "damaged-" in message
    # Once an operator puts the log back as it was written, every acknowledged write is there.
    log.write_bytes(whole)
    with Database.open(crashed) as db:
        assert db.table("digest_prefs").get(doc_id=7) == {"user_id": 7, "at": "09:00"}
        assert db.table("debriefs").get(doc_id=1) == {"visit_id": 1, "minutes": "带了样品"}
        assert db.table("contact_log").get(doc_id=1) == {"client_id": 1, "note": "电话确认"}


def test_a_start_refused_again_does_not_copy_the_same_damage_twice(tmp_path: Path) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    damage(crashed / LOG_FILE, 8 + 12, b"\x01")
    refuse_to_open(crashed, "record 1 of 3")
    refuse_to_open(crashed, "record 1 of 3")
    assert len(list(crashed.glob("damaged-*"))) == 1


def test_a_torn_tail_is_cut_with_a_line_in_the_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    last = record_offsets(log)[-1]
    log.write_bytes(log.read_bytes()[:-5])  # the last append cut short by the kill: never acknowledged
    with caplog.at_level(logging.INFO, "bot.storage"), Database.open(crashed) as db:
        assert db.table("debriefs").get(doc_id=1) == {"visit_id": 1, "minutes": "带了样品"}
        assert db.table("contact_log").all() == []
    assert f"cut off its last record at byte {last}" in caplog.text
    assert set_aside(crashed) == {}


def test_zeros_after_the_last_record_are_cut(tmp_path: Path) -> None:
    # A power cut can leave the space of a last, unsynced, append allocated but never written.
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    log.write_bytes(log.read_bytes() + b"\0" * 300)
    with Database.open(crashed) as db:
        assert db.table("contact_log").get(doc_id=1) == {"client_id": 1, "note": "电话确认"}
    assert log.stat().st_size == 0 and set_aside(crashed) == {}


def test_a_whole_last_record_with_a_bad_checksum_is_cut_but_kept_aside(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    damage(log, record_offsets(log)[-1] + 8 + 12, b"\x01")
    damaged = log.read_bytes()
    with Database.open(crashed) as db:
        assert db.table("debriefs").get(doc_id=1) == {"visit_id": 1, "minutes": "带了样品"}
        assert db.table("contact_log").all() == []
    assert "its checksum does not match" in caplog.text
    assert set_aside(crashed) == {LOG_FILE: damaged}  # in case it was an acknowledged write


def test_a_whole_last_record_with_a_damaged_length_stops_the_start(tmp_path: Path) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    damage(log, record_offsets(log)[-1] + 2, b"\x7f")  # now it seems to run past the end of the file
    refuse_to_open(crashed, str(log), "record 3 of 3", "damaged length but is whole")
    assert set_aside(crashed) == {LOG_FILE: log.read_bytes()}


@pytest.mark.parametrize(("payload", "problem"), [
    (b"[{not json", "is not valid JSON"),
    (b'[{"t":"debriefs","p":{"clear":false,"docs":{"1":"oops"}}}]', "document 1 in the write to 'debriefs'"),
    (b'[{"t":"visits","p":{"docs":{"one":{}}}}]', "document id 'one' that is not an integer"),
    (b'[{"t":"digest_prefs","p":{"~table":"digest_prefs","~docs":{"7":[1]}}}]', "document 7 in the write to"),
    (b'[{"t":"../x","p":{}}]', "names no collection"),
    (b'[{"t":"visits"}]', "names no collection"),
])
def test_a_record_that_cannot_be_replayed_stops_the_start_and_nothing_is_written(
        tmp_path: Path, payload: bytes, problem: str) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    log = crashed / LOG_FILE
    # Inserted as the second of four records, with a checksum that matches: written like that.
    second, third = record_offsets(log)[1:]
    raw = log.read_bytes()
    log.write_bytes(raw[:second] + record(payload) + raw[second:])
    refuse_to_open(crashed, str(log), f"record 2 of 4 (at byte {second})", problem)
    assert third > second and set_aside(crashed) == {LOG_FILE: log.read_bytes()}


def test_a_missing_chunk_file_stops_the_start(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("clients").insert_multiple(Document({"name": name}, doc_id=i)
                                            for i, name in ((1, "华为"), (1001, "腾讯")))
        db.table("contacts").insert(Document({"client_id": 1, "name": "张总"}, doc_id=1))
    chunk = tmp_path / "data" / "clients" / chunk_name(0)
    chunk.unlink()
    refuse_to_open(tmp_path / "data", str(chunk), "is missing", "clients 0 to 999")
    assert set_aside(tmp_path / "data") == {"meta.json": (tmp_path / "data" / "meta.json").read_bytes()}


def test_a_missing_collection_file_stops_the_start(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("staff").insert(Document({"name": "林"}, doc_id=7))
    (tmp_path / "data" / "staff.json").unlink()
    refuse_to_open(tmp_path / "data", str(tmp_path / "data" / "staff.json"), "is missing")


def test_a_chunk_emptied_by_removals_opens_and_its_ids_stay_used(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        nudges = db.table("nudges")
        nudges.insert_multiple({"n": i} for i in range(1, 1201))
        db.checkpoint()
        nudges.remove(doc_ids=list(range(1000, 1201)))  # archived: chunk 1 is empty now
    with Database.open(tmp_path / "data") as db:
        assert len(db.table("nudges")) == 999
        assert db.table("nudges").insert({"n": "next"}) == 1201


@pytest.mark.parametrize("crash", [False, True])
def test_a_removed_clients_number_is_never_given_again(tmp_path: Path, crash: bool) -> None:
    db = Database.open(tmp_path / "data")
    clients = db.table("clients")
    names = ("华为", "腾讯", "阿里")
    clients.insert_multiple(Document({"name": name}, doc_id=i) for i, name in enumerate(names, 1))
    db.checkpoint()
    clients.remove(doc_ids=[3])  # its contacts and visits may still name client 3
    if crash:
        reopened = crash_copy(tmp_path / "data", tmp_path / "crashed")
    else:
        db.close()
        reopened = tmp_path / "data"
    with Database.open(reopened) as again:
        assert ClientRepository(again.table("clients")).next_id() == 4
        assert again.table("clients").insert({"name": "百度"}) == 4
    db.close()


def test_a_wrong_shaped_nudge_stops_its_repository_naming_the_file(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("nudges").insert(Document({"id": "visit:1:venue", "state": "planned"}, doc_id=1))
        chunk = tmp_path / "data" / "nudges" / chunk_name(0)
        with pytest.raises(DatabaseError, match=re.escape(f"{chunk}: document 1 of nudges cannot be read")):
            NudgeRepository(db.table("nudges"))


def start_bot(data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_DATA_DIR": str(data_dir), "BOT_DEFAULT_LOCALE": "en"}
    return subprocess.run([sys.executable, "-m", "bot"], input="/start\n", env=env, cwd=data_dir.parent,
                          capture_output=True, text=True, timeout=60, check=False)


def assert_stopped(done: subprocess.CompletedProcess[str], data_dir: Path, before: dict[str, bytes],
                   *names: str) -> None:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    for name in names:
        assert name in lines[0]
    assert files_of(data_dir) == before
    assert set_aside(data_dir)


def test_the_bot_stops_on_a_damaged_log_with_one_line(tmp_path: Path) -> None:
    crashed = three_acknowledged_writes(tmp_path)
    damage(crashed / LOG_FILE, 8 + 12, b"\x01")
    before = files_of(crashed)
    assert_stopped(start_bot(crashed), crashed, before, str(crashed / LOG_FILE), "record 1 of 3")


def test_the_bot_stops_on_a_wrong_shaped_nudge_with_one_line(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        db.table("nudges").insert(Document({"id": "visit:1:venue", "state": "planned"}, doc_id=1))
    before = files_of(tmp_path / "data")
    chunk = tmp_path / "data" / "nudges" / chunk_name(0)
    assert_stopped(start_bot(tmp_path / "data"), tmp_path / "data", before, str(chunk), "'due' is missing")
