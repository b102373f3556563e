"""Settled nudges of visits long past leave memory for the archive, and are still found there: by id,
by visit, after a restart, and back in the live tier when someone changes one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain.nudges import Nudge, NudgeState
from bot.repositories.nudges import VISITS_PER_SHELF, NudgeRepository
from bot.storage import Database

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=200)


def nudge(visit_id: int, item: str, state: NudgeState, due: datetime = LONG_AGO) -> Nudge:
    return Nudge(id=f"visit:{visit_id}:{item}", due=due, visit_id=visit_id, item=item,
                 key=f"nudge.item.{item}", recipients=("host",), state=state,
                 sent_at=due if state is not NudgeState.PLANNED else None)


def repository(db: Database) -> NudgeRepository:
    return NudgeRepository(db.table("nudges"), db.archive("nudges"))


def history(repo: NudgeRepository) -> None:
    """Visit 7: long past and settled. Visit 6: long past, a reminder failed (never sent again).
    Visit 8: long past, one reminder snoozed (the sender will send it). Visit 9: soon."""
    later = LONG_AGO + timedelta(hours=1)
    repo.save_all([nudge(7, "venue", NudgeState.DONE), nudge(7, "banner", NudgeState.SENT, later),
                   nudge(6, "venue", NudgeState.FAILED),
                   nudge(8, "venue", NudgeState.DONE), nudge(8, "banner", NudgeState.SNOOZED),
                   nudge(9, "venue", NudgeState.PLANNED, NOW + timedelta(days=2))])


def test_only_settled_visits_long_past_are_archived(db: Database) -> None:
    repo = repository(db)
    history(repo)
    assert repo.archive_settled(NOW - timedelta(days=60)) == 3
    assert len(db.table("nudges")) == 3
    assert {n.id for n in repo.live()} == {"visit:8:venue", "visit:8:banner", "visit:9:venue"}
    assert repo.archive_settled(NOW - timedelta(days=60)) == 0  # nothing more to move


def test_archived_nudges_are_still_found_by_id_by_visit_and_after_a_restart(data_dir: Path) -> None:
    with Database.open(data_dir) as db:
        repo = repository(db)
        history(repo)
        repo.archive_settled(NOW - timedelta(days=60))
    with Database.open(data_dir) as db:
        repo = repository(db)
        found = repo.get("visit:7:banner")
        assert found is not None and found.state is NudgeState.SENT
        assert [n.item for n in repo.for_visit(7)] == ["venue", "banner"]
        assert len(repo.all()) == 6
        assert [n.id for n in repo.in_state(NudgeState.FAILED)] == ["visit:6:venue"]
        assert [n.id for n in repo.in_state(NudgeState.SENT)] == ["visit:7:banner"]
        assert [n.id for n in repo.in_state(NudgeState.PLANNED)] == ["visit:9:venue"]


def test_changing_an_archived_nudge_brings_its_visit_back(db: Database, data_dir: Path) -> None:
    repo = repository(db)
    history(repo)
    repo.archive_settled(NOW - timedelta(days=60))
    banner = repo.get("visit:7:banner")
    assert banner is not None
    repo.save(replace(banner, state=NudgeState.DONE, done_by=3))
    assert {n.id for n in repo.live()} >= {"visit:7:venue", "visit:7:banner"}
    states = {n.item: n.state for n in repo.for_visit(7)}
    assert states == {"venue": NudgeState.DONE, "banner": NudgeState.DONE}
    assert set(db.archive("nudges").get(7 // VISITS_PER_SHELF)) == {"visit:6:venue"}


def test_after_a_crash_between_the_two_writes_the_live_copy_wins(db: Database) -> None:
    repo = repository(db)
    history(repo)
    # As if the process died after writing the archive and before removing the live documents.
    stale = {"visit:9:venue": {"id": "visit:9:venue", "state": "done"}}
    db.archive("nudges").put(0, stale)
    fresh = repo.get("visit:9:venue")
    assert fresh is not None and fresh.state is NudgeState.PLANNED
    assert [n.state for n in repo.for_visit(9)] == [NudgeState.PLANNED]
