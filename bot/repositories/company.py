"""Our company's profile: one document in the TinyDB table "company"."""

from __future__ import annotations

from tinydb.table import Table

from bot.domain.company import PROFILE_ID, CompanyProfile
from bot.repositories.keyed import KeyedDocuments


class CompanyRepository(KeyedDocuments[CompanyProfile]):
    def __init__(self, table: Table) -> None:
        super().__init__(table, CompanyProfile, lambda profile: profile.id)

    def profile(self) -> CompanyProfile | None:
        return self.get(PROFILE_ID)
