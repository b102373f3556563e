"""Open dialogs, one per person, keyed by Telegram user id."""

from __future__ import annotations

from tinydb.table import Document, Table

from bot.flows.state import Dialog
from bot.repositories.codec import from_doc, to_doc


class DialogRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def get(self, user_id: int) -> Dialog | None:
        doc = self._table.get(doc_id=user_id)
        return from_doc(Dialog, doc) if isinstance(doc, dict) else None

    def save(self, dialog: Dialog) -> None:
        self._table.upsert(Document(to_doc(dialog), doc_id=dialog.user_id))

    def delete(self, user_id: int) -> None:
        if self._table.contains(doc_id=user_id):
            self._table.remove(doc_ids=[user_id])
