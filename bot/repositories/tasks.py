"""Tasks, keyed by their number (the TinyDB document id)."""

from __future__ import annotations

from tinydb.table import Table

from bot.domain.tasks import Task, TaskStatus
from bot.repositories.keyed import KeyedDocuments


class TaskRepository(KeyedDocuments[Task]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Task, lambda task: task.id)
        self._table = table

    def next_id(self) -> int:
        """Task numbers count up from 1 and are never reused."""
        return max((doc.doc_id for doc in self._table.all()), default=0) + 1

    def for_visit(self, visit_id: int, origin: str) -> list[Task]:
        """The tasks ``origin`` (e.g. "debrief") made for a visit, in the order they were made."""
        return sorted((t for t in self.all() if t.visit_id == visit_id and t.origin == origin),
                      key=lambda t: t.id)

    def open_for(self, owner: int) -> list[Task]:
        """Someone's open tasks, the most urgent first (for /mytasks)."""
        return sorted((t for t in self.all() if t.owner == owner and t.status is TaskStatus.OPEN),
                      key=lambda t: (t.due, t.id))
