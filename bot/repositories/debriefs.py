"""Debriefs, keyed by their visit's number: a visit has at most one, so saving again replaces it."""

from __future__ import annotations

from tinydb.table import Table

from bot.domain.debriefs import Debrief
from bot.repositories.keyed import KeyedDocuments


class DebriefRepository(KeyedDocuments[Debrief]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, Debrief, lambda debrief: debrief.visit_id)
