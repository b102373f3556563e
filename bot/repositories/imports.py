"""Sheets of clients an admin sent, kept until they press Import or Cancel: the TinyDB table
"pending_imports", one document per admin (the document id is their user id)."""

from __future__ import annotations

from tinydb.table import Document, Table

# The collection that keeps them.
PENDING = "pending_imports"
# A row as read: column id -> text, JSON-ready (``bot.documents.importing.Row``).
Rows = list[tuple[int, dict[str, str]]]


class PendingImports:
    """The rows of the file each admin sent last, kept until they press Import or Cancel.

    Stored (not only in memory) so a restart between the report and the press loses nothing; the
    rows are checked again at the press, against the database as it is then.
    """

    def __init__(self, table: Table) -> None:
        self._table = table

    def put(self, user_id: int, filename: str, rows: Rows) -> int:
        """Keeps the rows; returns a number that names this file in the buttons."""
        previous = self._table.get(doc_id=user_id)
        serial = int(previous["serial"]) + 1 if isinstance(previous, dict) else 1
        self._table.upsert(Document({"serial": serial, "file": filename, "rows": rows}, doc_id=user_id))
        return serial

    def get(self, user_id: int, serial: int) -> tuple[str, Rows] | None:
        doc = self._table.get(doc_id=user_id)
        if not isinstance(doc, dict) or doc["serial"] != serial or not doc["rows"]:
            return None
        return str(doc["file"]), [(int(number), dict(row)) for number, row in doc["rows"]]

    def drop(self, user_id: int) -> None:
        """Forgets the rows (the serial stays, so an old button never matches a newer file)."""
        doc = self._table.get(doc_id=user_id)
        if isinstance(doc, dict):
            self._table.upsert(Document({"serial": doc["serial"], "file": "", "rows": []}, doc_id=user_id))
