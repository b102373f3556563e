"""Which overdue nudges were already escalated, so each reaches the host's manager once."""

from __future__ import annotations

from datetime import datetime

from tinydb.table import Table

from bot.repositories.codec import each_document
from bot.storage import on_rollback


class EscalationRepository:
    """One document per escalated nudge id; the ids are kept in memory (they are few)."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._done: set[str] = set()
        self._reindex()
        on_rollback(table, self._reindex)

    def _reindex(self) -> None:
        self._done = set(each_document(self._table, lambda _, doc: str(doc["nudge"])))

    def escalated(self, nudge_id: str) -> bool:
        return nudge_id in self._done

    def record(self, nudge_ids: list[str], to: list[int], at: datetime) -> None:
        """Recorded before sending, as nudges are: a crash in between loses one, never doubles it."""
        fresh = [i for i in dict.fromkeys(nudge_ids) if i not in self._done]
        if fresh:
            self._table.insert_multiple({"nudge": i, "to": to, "at": at.isoformat()} for i in fresh)
            self._done.update(fresh)

    def forget(self, nudge_ids: set[str]) -> None:
        """No longer escalated (they were never sent): the next check escalates them again."""
        known = nudge_ids & self._done
        if known:
            self._table.remove(lambda doc: doc["nudge"] in known)
            self._done -= known
