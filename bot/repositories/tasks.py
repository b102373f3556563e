"""Tasks, keyed by their number (the TinyDB document id).

/mytasks asks for one person's open tasks, the morning digest for everyone's, and a debrief for its
visit's; with years of debriefs that is tens of thousands of tasks to decode per question. So the
repository keeps in memory, from the raw documents, each task's owner, visit and whether it is open,
kept up to date by ``save`` and ``delete`` (it is the table's only writer), and decodes only the
tasks asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from tinydb.table import Table

from bot.domain.tasks import Task, TaskStatus
from bot.repositories.codec import each_document, highest_id, raw_documents
from bot.repositories.keyed import KeyedDocuments
from bot.storage import rebuilt_on_failure

# Decoded tasks kept (see ``KeyedDocuments``): a few hundred bytes each.
KEEP_DECODED = 2000


class _Row(NamedTuple):
    owner: int
    visit_id: int
    open: bool


class OpenTask(NamedTuple):
    """What the index keeps of an open task: what a list shows of it, without decoding it."""

    id: int
    visit_id: int
    due: datetime
    text: str


_OPEN = TaskStatus.OPEN.value  # looked up once: an enum member's ``.value`` is slow


def _row(doc: dict[str, Any]) -> _Row:
    return _Row(int(doc["owner"]), int(doc["visit_id"]), doc.get("status") == _OPEN)


def _open(task_id: int, doc: dict[str, Any]) -> OpenTask:
    return OpenTask(task_id, int(doc["visit_id"]), datetime.fromisoformat(doc["due"]), str(doc["text"]))


class TaskRepository(KeyedDocuments[Task]):
    def __init__(self, table: Table) -> None:
        # Open tasks stay open for months and lie in every chunk of years of tasks: the latest read
        # are kept decoded, so /mytasks does not read those chunks again each time.
        super().__init__(table, Task, lambda task: task.id, keep=KEEP_DECODED)
        self._table = table
        # Built on first use, not at start: a start-up reads enough (a quarter of a second at 25,000
        # visits); the warm-up once polling (``bot.warmup``) builds it before anyone asks.
        self._index: dict[int, _Row] | None = None
        # Each owner's open tasks, built and kept with the index: /mytasks asks for one person's.
        self._open_of: dict[int, dict[int, OpenTask]] = {}
        self.on_rollback(self._reindex)

    def next_id(self) -> int:
        """Task numbers count up from 1 and are never reused (the storage remembers the highest
        ever used, a removed task's too)."""
        return max(max(self._rows, default=0), highest_id(self._table)) + 1

    @property
    def _rows(self) -> dict[int, _Row]:
        if self._index is None:
            self._reindex()
            assert self._index is not None
        return self._index

    def warm(self) -> None:
        """Builds the index now."""
        self._rows  # noqa: B018  # the property builds it

    def save(self, item: Task) -> Task:
        with rebuilt_on_failure(self._reindex):
            saved = super().save(item)
        doc = raw_documents(self._table).get(str(item.id))
        if doc is not None:
            self._put(item.id, _row(doc), doc)
        return saved

    def delete(self, key: int) -> None:
        super().delete(key)
        self._put(key, None, None)

    def for_visit(self, visit_id: int, origin: str) -> list[Task]:
        """The tasks ``origin`` (e.g. "debrief") made for a visit, in the order they were made."""
        tasks = self._decode(i for i, row in self._rows.items() if row.visit_id == visit_id)
        return sorted((t for t in tasks if t.origin == origin), key=lambda t: t.id)

    def open_for_each(self, owners: Iterable[int]) -> dict[int, list[Task]]:
        """Each owner's open tasks, the most urgent first; decoded in storage order, because the
        morning digest asks for everyone's and person by person the chunk files were read again
        and again."""
        self.warm()  # the index, and the open tasks with it
        wanted = {owner: set(self._open_of.get(owner, ())) for owner in owners}
        decoded = {task.id: task for task in self._decode(sorted(set().union(*wanted.values())))
                   if task.status is TaskStatus.OPEN}
        return {owner: sorted((decoded[i] for i in ids if i in decoded), key=lambda t: (t.due, t.id))
                for owner, ids in wanted.items()}

    def listed_open(self, owners: Iterable[int]) -> dict[int, list[OpenTask]]:
        """Each owner's open tasks as the index keeps them, the most urgent first (nothing decoded)."""
        self.warm()
        return {owner: sorted(self._open_of.get(owner, {}).values(), key=lambda t: (t.due, t.id))
                for owner in owners}

    def open_of_visits(self, visit_ids: set[int]) -> list[Task]:
        """The open tasks of these visits (a quarter's review), the most urgent first."""
        tasks = self._decode(i for i, row in self._rows.items() if row.visit_id in visit_ids and row.open)
        return sorted((t for t in tasks if t.status is TaskStatus.OPEN), key=lambda t: (t.due, t.id))

    def _decode(self, ids: Any) -> list[Task]:
        found = (self.get(task_id) for task_id in ids)
        return [task for task in found if task is not None]

    def _put(self, task_id: int, row: _Row | None, doc: dict[str, Any] | None) -> None:
        """Keeps the index and the open tasks true after a write (None: the task is gone)."""
        previous = self._rows.pop(task_id, None)
        if previous is not None:
            self._open_of.get(previous.owner, {}).pop(task_id, None)
        if row is not None and doc is not None:
            self._rows[task_id] = row
            if row.open:
                self._open_of.setdefault(row.owner, {})[task_id] = _open(task_id, doc)

    def _reindex(self) -> None:
        def read(doc_id: str, doc: dict[str, Any]) -> tuple[int, _Row, OpenTask | None]:
            row = _row(doc)
            return int(doc_id), row, _open(int(doc_id), doc) if row.open else None

        self._index, self._open_of = {}, {}
        for task_id, row, listed in each_document(self._table, read):
            self._index[task_id] = row
            if listed is not None:
                self._open_of.setdefault(row.owner, {})[task_id] = listed
