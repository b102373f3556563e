"""Which policy the stored nudges were planned with: a digest of its planning rules, one document."""

from __future__ import annotations

from tinydb.table import Document, Table

PLANNED_POLICY = "planned_policy"
# The one document's id: the table holds nothing else.
_DOC_ID = 1


class PlannedPolicyRepository:
    def __init__(self, table: Table) -> None:
        self._table = table

    def digest(self) -> str | None:
        """The digest recorded after the last complete re-plan; None before the first (a new data
        dir, or one from before this record existed)."""
        doc = self._table.get(doc_id=_DOC_ID)
        if not isinstance(doc, dict):
            return None
        digest = doc.get("digest")
        return digest if isinstance(digest, str) else None

    def record(self, digest: str) -> None:
        self._table.upsert(Document({"digest": digest}, doc_id=_DOC_ID))
