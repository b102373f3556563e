"""Which approval steps were already reminded of, so each approver hears it once per visit and step."""

from __future__ import annotations

from datetime import datetime

from tinydb.table import Table

from bot.repositories.codec import each_document
from bot.storage import on_rollback


class ApprovalReminderRepository:
    """One document per (visit, step) reminded of; the keys are kept in memory (a few a day)."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._done: set[str] = set()
        self._reindex()
        on_rollback(table, self._reindex)

    def _reindex(self) -> None:
        self._done = set(each_document(self._table, lambda _, doc: f"{doc['visit']}:{doc['step']}"))

    def reminded(self, visit_id: int, step: str) -> bool:
        return f"{visit_id}:{step}" in self._done

    def record(self, visit_id: int, step: str, to: list[int], at: datetime) -> None:
        """Recorded in the write that queues the reminder: a crash in between loses it, never doubles it."""
        if not self.reminded(visit_id, step):
            self._table.insert({"visit": visit_id, "step": step, "to": to, "at": at.isoformat()})
            self._done.add(f"{visit_id}:{step}")
