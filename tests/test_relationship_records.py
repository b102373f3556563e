"""The sweep's records are saved many at a time: changed ones replaced whole, new ones added, and
every one found again by its id after a restart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tinydb.table import Table

from bot.domain.relationship import Cadence, Reminder
from bot.repositories.contact_log import Named, RelationshipRecords
from bot.storage import AtomicJSONStorage, Database
from tests.test_storage_atomic import FlakyDisk

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SINCE = date(2026, 10, 1)


def reminder(client_id: int, to: int = 1) -> Reminder:
    return Reminder(f"cadence:{client_id}", client_id, Cadence.CONTACT, SINCE, to, NOW)


def records(db: Database) -> RelationshipRecords:
    return RelationshipRecords(db.table("relationship_reminders"), db.table("greeting_digests"),
                               db.table("relationship_sweeps"))


def test_save_all_replaces_the_changed_and_adds_the_new(tmp_path: Path) -> None:
    with Database.open(tmp_path / "data") as db:
        store = records(db).reminders
        first = [reminder(i) for i in range(1, 4)]
        store.save_all(first)
        store.save_all([replace(first[1], to=9, snoozed_until=NOW), reminder(4)])
    with Database.open(tmp_path / "data") as db:
        store = records(db).reminders
        assert store.get("cadence:2") == replace(first[1], to=9, snoozed_until=NOW)
        assert store.get("cadence:1") == first[0] and store.get("cadence:3") == first[2]
        assert store.get("cadence:4") == reminder(4)
        assert len(db.table("relationship_reminders")) == 4


def test_a_save_whose_directory_sync_failed_is_not_stored_twice_by_the_next(tmp_path: Path) -> None:
    """The file was replaced before the directory's fsync failed: the record is stored, and saving it
    again replaces it rather than adding a second one."""
    disk = FlakyDisk()
    table = Table(AtomicJSONStorage(tmp_path / "reminders.json", fsync=disk), "relationship_reminders")
    store = Named(table, Reminder, lambda r: r.id)
    disk.fail_in(2)
    with pytest.raises(OSError):
        store.save(reminder(1))
    store.save(replace(reminder(1), to=2))
    assert [doc["to"] for doc in table.all()] == [2]
