"""What was already done once per key (an overdue nudge escalated, an approval step reminded of), so
that it is not done twice.

One document per key: the key's fields, who it went to and when, e.g. ``{"nudge": "visit:3:memo",
"to": [7], "at": "…"}`` in ``escalations`` or ``{"visit": 3, "step": "head", "to": [7, 8], "at": "…"}``
in ``approval_reminders``. The keys are kept in memory (a few a day) and read again when the table
goes back to the disk's state (``on_rollback``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from tinydb.table import Table

from bot.repositories.codec import each_document
from bot.storage import on_rollback

# A key's values, in the order of the repository's fields: (nudge id,) or (visit number, step).
Key = tuple[int | str, ...]


class DoneOnceRepository:
    def __init__(self, table: Table, fields: tuple[str, ...]) -> None:
        self._table = table
        self._fields = fields
        self._done: set[Key] = set()
        self._reindex()
        on_rollback(table, self._reindex)

    def _reindex(self) -> None:
        self._done = set(each_document(self._table, lambda _, doc: tuple(doc[f] for f in self._fields)))

    def done(self, key: Key) -> bool:
        return key in self._done

    def record(self, keys: Iterable[Key], to: list[int], at: datetime) -> None:
        """Recorded in the write that queues the message (``bot.core.outbox``): a crash in between
        loses it, never doubles it. A key already recorded keeps its first document."""
        fresh = [key for key in dict.fromkeys(keys) if key not in self._done]
        if fresh:
            self._table.insert_multiple({**dict(zip(self._fields, key, strict=True)), "to": to,
                                         "at": at.isoformat()} for key in fresh)
            self._done.update(fresh)
