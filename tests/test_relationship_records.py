"""The sweep's records are saved many at a time: changed ones replaced whole, new ones added, and
every one found again by its id after a restart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from bot.domain.relationship import Cadence, Reminder
from bot.repositories.contact_log import RelationshipRecords
from bot.storage import Database

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
