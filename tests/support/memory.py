"""In-memory repositories, for a test of a service's rule where the disk adds nothing.

Each answers a protocol of ``bot.repositories.protocols`` as the TinyDB repository does; that they
agree is itself tested (tests/test_memory_repositories.py), on the same steps for both. Tests of
storage, restarts and damage keep the real TinyDB repositories.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Generic, TypeVar

from bot.domain.debriefs import Debrief
from bot.domain.tasks import Task, TaskStatus
from bot.repositories.done_once import Key
from bot.repositories.tasks import OpenTask

T = TypeVar("T")


class MemoryKeyed(Generic[T]):
    """Items by integer id in a dict, kept in the order of their ids as TinyDB keeps documents."""

    def __init__(self, key: Callable[[T], int]) -> None:
        self._key = key
        self._items: dict[int, T] = {}

    def get(self, key: int) -> T | None:
        return self._items.get(key)

    def save(self, item: T) -> T:
        self._items[self._key(item)] = item
        return item

    def delete(self, key: int) -> None:
        self._items.pop(key, None)

    def all(self) -> list[T]:
        return [self._items[key] for key in sorted(self._items)]


class MemoryDebriefs(MemoryKeyed[Debrief]):
    def __init__(self) -> None:
        super().__init__(lambda debrief: debrief.visit_id)


class MemoryTasks(MemoryKeyed[Task]):
    def __init__(self) -> None:
        super().__init__(lambda task: task.id)
        self._highest = 0

    def save(self, item: Task) -> Task:
        self._highest = max(self._highest, item.id)
        return super().save(item)

    def next_id(self) -> int:
        return self._highest + 1

    def warm(self) -> None:
        """Nothing to prepare: every question reads the dict."""

    def for_visit(self, visit_id: int, origin: str) -> list[Task]:
        return [t for t in self.all() if t.visit_id == visit_id and t.origin == origin]

    def open_for_each(self, owners: Iterable[int]) -> dict[int, list[Task]]:
        open_tasks = self._open()
        return {owner: [t for t in open_tasks if t.owner == owner] for owner in owners}

    def listed_open(self, owners: Iterable[int]) -> dict[int, list[OpenTask]]:
        return {owner: [OpenTask(t.id, t.visit_id, t.due, t.text) for t in tasks]
                for owner, tasks in self.open_for_each(owners).items()}

    def open_of_visits(self, visit_ids: set[int]) -> list[Task]:
        return [t for t in self._open() if t.visit_id in visit_ids]

    def _open(self) -> list[Task]:
        return sorted((t for t in self.all() if t.status is TaskStatus.OPEN), key=lambda t: (t.due, t.id))


class MemoryDoneOnce:
    """The keys done, each with who it went to and when, in the order they were done."""

    def __init__(self) -> None:
        self.records: dict[Key, tuple[list[int], datetime]] = {}

    def done(self, key: Key) -> bool:
        return key in self.records

    def record(self, keys: Iterable[Key], to: list[int], at: datetime) -> None:
        for key in keys:
            self.records.setdefault(key, (to, at))
