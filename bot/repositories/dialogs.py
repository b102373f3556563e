"""Open dialogs, one per person, keyed by Telegram user id."""

from __future__ import annotations

from tinydb.table import Table

from bot.flows.state import Dialog
from bot.repositories.keyed import KeyedDocuments


class DialogRepository(KeyedDocuments[Dialog]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Dialog, lambda dialog: dialog.user_id)
