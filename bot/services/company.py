"""Our company's name, set by an admin and read by every document that names us."""

from __future__ import annotations

from datetime import datetime

from bot.domain.company import NAME_MAX, CompanyProfile
from bot.domain.staff import Role, Staff
from bot.repositories.company import CompanyRepository


class CompanyService:
    def __init__(self, profiles: CompanyRepository) -> None:
        self.profiles = profiles

    def name(self) -> str:
        """Our company's name; "" until an admin sets it (documents then say 我司 / our company)."""
        profile = self.profiles.profile()
        return profile.name if profile is not None else ""

    def set_name(self, admin: Staff, name: str, now: datetime) -> CompanyProfile:
        """Stores the name (spaces tidied); only admins may, and it must fit on a banner."""
        if not admin.role.at_least(Role.ADMIN):
            raise PermissionError("only admins set the company's name")
        tidy = " ".join(name.split())
        if not tidy or len(tidy) > NAME_MAX:
            raise ValueError(f"a company name has 1 to {NAME_MAX} characters")
        return self.profiles.save(CompanyProfile(tidy, admin.user_id, now))
