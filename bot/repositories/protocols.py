"""What the services ask of a repository, as protocols: the TinyDB repositories are one way to answer,
and a test that only checks a service's rule may give it an in-memory one (``tests/support/memory.py``).

Each protocol lists the methods the services call, no more. The check at the bottom has mypy confirm
that the TinyDB repositories still answer them, so a protocol cannot drift from what it stands for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TypeVar

from bot.domain.debriefs import Debrief
from bot.domain.tasks import Task
from bot.repositories.done_once import Key
from bot.repositories.tasks import OpenTask

T = TypeVar("T")


class Keyed(Protocol[T]):
    """Items keyed by an integer id."""

    def get(self, key: int) -> T | None: ...

    def save(self, item: T) -> T: ...

    def delete(self, key: int) -> None: ...

    def all(self) -> list[T]: ...


class Debriefs(Keyed[Debrief], Protocol):
    """Debriefs by their visit's number."""


class Tasks(Keyed[Task], Protocol):
    """Tasks by number, and the questions the debriefs, /mytasks and the digests ask of them."""

    def next_id(self) -> int:
        """Numbers count up from 1 and are never reused, a removed task's included."""
        ...

    def warm(self) -> None:
        """Prepares what the other questions read, before anyone asks."""
        ...

    def for_visit(self, visit_id: int, origin: str) -> list[Task]:
        """The tasks ``origin`` made for a visit, in the order they were made."""
        ...

    def open_for_each(self, owners: Iterable[int]) -> dict[int, list[Task]]:
        """Each owner's open tasks, the most urgent (due, then number) first."""
        ...

    def listed_open(self, owners: Iterable[int]) -> dict[int, list[OpenTask]]:
        """``open_for_each`` as the lists show it."""
        ...

    def open_of_visits(self, visit_ids: set[int]) -> list[Task]:
        """The open tasks of these visits, the most urgent first."""
        ...


class DoneOnce(Protocol):
    """What was already done once per key (an escalation, an approval reminder)."""

    def done(self, key: Key) -> bool: ...

    def record(self, keys: Iterable[Key], to: list[int], at: datetime) -> None:
        """Each key not done yet is done now, sent to ``to``; one already done keeps its first record."""
        ...


if TYPE_CHECKING:
    from bot.repositories.debriefs import DebriefRepository
    from bot.repositories.done_once import DoneOnceRepository
    from bot.repositories.tasks import TaskRepository

    def _tinydb_answers(debriefs: DebriefRepository, tasks: TaskRepository,
                        done_once: DoneOnceRepository) -> tuple[Debriefs, Tasks, DoneOnce]:
        return debriefs, tasks, done_once
