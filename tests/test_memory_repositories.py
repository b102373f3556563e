"""The in-memory repositories of tests/support/memory.py answer as the TinyDB ones do: the same steps
on both, the same answers. A service test that uses them tests the service, not a looser store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.debriefs import Debrief, Outcome
from bot.domain.tasks import Task, TaskStatus
from bot.repositories.debriefs import DebriefRepository
from bot.repositories.done_once import DoneOnceRepository
from bot.repositories.protocols import Debriefs, DoneOnce, Tasks
from bot.repositories.tasks import TaskRepository
from bot.storage import Database
from tests.support.memory import MemoryDebriefs, MemoryDoneOnce, MemoryTasks

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


@pytest.fixture(params=["tinydb", "memory"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Debriefs, Tasks]]:
    if request.param == "memory":
        yield MemoryDebriefs(), MemoryTasks()
        return
    db = Database.open(tmp_path / "data")
    yield DebriefRepository(db.table("debriefs")), TaskRepository(db.table("tasks"))
    db.close()


def task(task_id: int, owner: int, visit_id: int, due_in_days: int, *, origin: str = "debrief",
         status: TaskStatus = TaskStatus.OPEN) -> Task:
    return Task(task_id, visit_id, 5, f"task {task_id}", owner, NOW + timedelta(days=due_in_days), NOW, 10,
                status=status, done_at=NOW if status is TaskStatus.DONE else None, origin=origin)


def test_tasks_are_found_by_visit_owner_and_openness_the_most_urgent_first(
        stores: tuple[Debriefs, Tasks]) -> None:
    _, tasks = stores
    assert tasks.next_id() == 1 and tasks.all() == []
    for made in (task(1, 11, 7, 9), task(2, 11, 7, 2), task(3, 12, 7, 5, origin="manual"),
                 task(4, 11, 8, 1, status=TaskStatus.DONE), task(5, 12, 8, 3), task(6, 11, 9, 2)):
        tasks.save(made)
    tasks.warm()
    assert [t.id for t in tasks.for_visit(7, "debrief")] == [1, 2]
    assert [t.id for t in tasks.for_visit(7, "manual")] == [3]
    assert {owner: [t.id for t in found] for owner, found in tasks.open_for_each([11, 12, 13]).items()} == {
        11: [2, 6, 1], 12: [5, 3], 13: []}
    listed = tasks.listed_open([12])[12]
    assert [(t.id, t.visit_id, t.text) for t in listed] == [(5, 8, "task 5"), (3, 7, "task 3")]
    assert [t.id for t in tasks.open_of_visits({7, 8})] == [2, 5, 3, 1]

    tasks.save(replace(task(2, 11, 7, 2), status=TaskStatus.DONE, done_at=NOW))
    tasks.save(replace(task(1, 11, 7, 9), owner=12))
    tasks.delete(6)
    assert tasks.get(6) is None and tasks.get(2) is not None
    assert {owner: [t.id for t in found] for owner, found in tasks.open_for_each([11, 12]).items()} == {
        11: [], 12: [5, 3, 1]}
    assert tasks.next_id() == 7  # a removed task's number is not given again
    assert [t.id for t in tasks.all()] == [1, 2, 3, 4, 5]


def test_a_debrief_saved_again_replaces_the_first(stores: tuple[Debriefs, Tasks]) -> None:
    debriefs, _ = stores
    first = Debrief(1, Outcome.SIGNED, "needs", date(2026, 12, 1), 5, 10, NOW)
    debriefs.save(first)
    debriefs.save(replace(first, rating=3))
    debriefs.save(replace(first, visit_id=2))
    assert debriefs.get(1) == replace(first, rating=3)
    assert [d.visit_id for d in debriefs.all()] == [1, 2]
    debriefs.delete(2)
    assert debriefs.get(2) is None and debriefs.get(3) is None


@pytest.fixture(params=["tinydb", "memory"])
def done_once(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DoneOnce]:
    if request.param == "memory":
        yield MemoryDoneOnce()
        return
    db = Database.open(tmp_path / "data")
    yield DoneOnceRepository(db.table("approval_reminders"), ("visit", "step"))
    db.close()


def test_a_key_done_once_stays_done_and_is_not_recorded_again(done_once: DoneOnce) -> None:
    assert not done_once.done((3, "head"))
    done_once.record([(3, "head"), (3, "head")], [7, 8], NOW)
    done_once.record([(3, "head"), (4, "head")], [9], NOW)
    assert done_once.done((3, "head")) and done_once.done((4, "head"))
    assert not done_once.done((3, "gm")) and not done_once.done((4, "gm"))


def test_done_once_keeps_the_documents_older_databases_hold(tmp_path: Path) -> None:
    """The escalations and approval reminders of a database written before they shared a repository
    are read as done, and new ones are written in the same shape."""
    db = Database.open(tmp_path / "data")
    db.table("escalations").insert({"nudge": "visit:1:memo", "to": [5], "at": NOW.isoformat()})
    escalations = DoneOnceRepository(db.table("escalations"), ("nudge",))
    assert escalations.done(("visit:1:memo",)) and not escalations.done(("visit:2:memo",))
    escalations.record([("visit:2:memo",)], [6], NOW)
    assert db.table("escalations").all()[-1] == {"nudge": "visit:2:memo", "to": [6], "at": NOW.isoformat()}
    reminders = DoneOnceRepository(db.table("approval_reminders"), ("visit", "step"))
    reminders.record([(3, "head")], [7, 8], NOW)
    assert db.table("approval_reminders").all() == [{"visit": 3, "step": "head", "to": [7, 8],
                                                     "at": NOW.isoformat()}]
    db.close()
