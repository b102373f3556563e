"""Visits, keyed by their number (the TinyDB document id), so "/visit 12" is a dictionary access."""

from __future__ import annotations

from datetime import datetime

from tinydb.table import Table

from bot.domain.visits import Visit, VisitStatus
from bot.repositories.codec import from_doc
from bot.repositories.keyed import KeyedDocuments


class VisitRepository(KeyedDocuments[Visit]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Visit, lambda visit: visit.id)
        self._table = table

    def next_id(self) -> int:
        """Visit numbers count up from 1 and are never reused, even after a cancellation."""
        return max((doc.doc_id for doc in self._table.all()), default=0) + 1

    def for_client(self, client_id: int) -> list[Visit]:
        """The client's visits, newest first."""
        # Filtered on the raw documents: decoding every visit would cost far more than the test.
        docs = [doc for doc in self._table.all() if doc.get("client_id") == client_id]
        return sorted((from_doc(Visit, doc) for doc in docs), key=lambda v: v.arrival, reverse=True)

    def between(self, start: datetime, end: datetime) -> list[Visit]:
        """Planned visits overlapping [start, end), by arrival."""
        found = [v for v in self.all()
                 if v.status is not VisitStatus.CANCELLED and v.arrival < end and v.departure >= start]
        return sorted(found, key=lambda v: v.arrival)
