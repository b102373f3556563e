"""Which Telegram updates were handled and written, so that one handed over again is not applied twice.

Telegram confirms an update only at the next ``getUpdates`` (``bot.transports.polling``), so a bot
killed after an update's write and before that poll is handed the update again at the next start.
A button made idempotent copes, but a typed answer to a form would be taken as the answer to the
next question, and a typed command that creates something would create it twice. So the id of each
update whose handling wrote something goes in the same write as what it changed (``record``, in the
dispatcher's unit): all or nothing, and no write of its own. An update whose id is here is not
handled again; the person is shown what the lost reply would have shown (``Dispatcher.on_replayed``).

A set of recent ids, not "the highest": a file is downloaded aside (``polling.Incoming.download``),
so a later update may be written before an earlier file's, and Telegram picks the next id at random
after a quiet week, which could fall below the highest one kept. Only updates that wrote are kept:
a lookup handled again is simply answered again.
"""

from __future__ import annotations

from tinydb.table import Table

from bot.storage import on_rollback

TABLE = "telegram_updates"
# How many ids are kept: the updates a crash can leave unconfirmed are one poll's (at most 100)
# and the files being downloaded then, which are recorded last.
KEEP = 500
# The oldest ids are dropped once this many more were recorded (one small write then, not each time).
PRUNE_EVERY = 500


class HandledUpdates:
    """The ids of the Telegram updates handled lately whose handling wrote something."""

    def __init__(self, table: Table) -> None:
        self._table = table
        self._ids = self._read()
        on_rollback(table, self._reread)

    def _read(self) -> set[int]:
        return {int(doc["id"]) for doc in self._table.all()}

    def _reread(self) -> None:
        self._ids = self._read()

    def handled(self, update_id: int) -> bool:
        return update_id in self._ids

    def record(self, update_id: int) -> None:
        """Handled and written, in the write under way (``Database.unit``)."""
        self._ids.add(update_id)
        self._table.insert({"id": update_id})
        if len(self._ids) >= KEEP + PRUNE_EVERY:
            self._prune()

    def _prune(self) -> None:
        """Keeps the ``KEEP`` recorded last (documents are numbered as they are inserted)."""
        docs = self._table.all()
        newest = sorted(docs, key=lambda doc: doc.doc_id)[-KEEP:]
        oldest = newest[0].doc_id
        self._table.remove(doc_ids=[doc.doc_id for doc in docs if doc.doc_id < oldest])
        self._ids = {int(doc["id"]) for doc in newest}
