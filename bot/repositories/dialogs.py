"""Open dialogs, one per person, keyed by Telegram user id; and the forms each person saved last."""

from __future__ import annotations

from tinydb.table import Table

from bot.domain.dialogs import Dialog, SavedForm, SavedForms
from bot.repositories.keyed import KeyedDocuments

# Saved forms remembered per person: far more cards than anyone scrolls back to.
KEEP_SAVED = 20


class DialogRepository(KeyedDocuments[Dialog]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Dialog, lambda dialog: dialog.user_id)


class SavedFormRepository(KeyedDocuments[SavedForms]):
    """What each person's last forms saved, by the token their cards' buttons carry."""

    def __init__(self, table: Table) -> None:
        super().__init__(table, SavedForms, lambda saved: saved.user_id)

    def remember(self, user_id: int, form: SavedForm) -> None:
        known = self.get(user_id)
        earlier = known.forms if known is not None else ()
        self.save(SavedForms(user_id, (*earlier, form)[-KEEP_SAVED:]))

    def find(self, user_id: int, token: str) -> SavedForm | None:
        known = self.get(user_id)
        return next((form for form in known.forms if form.token == token), None) if known else None
