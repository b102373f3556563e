"""Client companies and their contacts: company data, confidential (the handbooks mark it 机密)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class ImportantDate:
    """A day the relationship remembers every year: a founding or partnership anniversary."""

    label: str
    day: date
    kind: str = "anniversary"  # founding | partnership | anniversary | other


@dataclass(frozen=True)
class Client:
    id: int
    name: str
    created_at: datetime
    created_by: int
    # ISO 3166 alpha-2: whose public holidays the festival greetings follow.
    country: str = "CN"
    industry: str = ""
    default_class: str = "C"
    # "client" (has signed) or "prospect": the relationship cadence differs.
    stage: str = "client"
    account_manager: int | None = None
    notes: str = ""
    dates: tuple[ImportantDate, ...] = ()


@dataclass(frozen=True)
class Contact:
    """A person at a client. The host greets them by surname and title: 张总, Ms Lee."""

    id: int
    client_id: int
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    birthday: date | None = None
    # zh_Hans, zh_Hant or en: the language of greetings and memos drafted for them.
    language: str = "zh_Hans"
    nationality: str = ""
    dietary: str = ""
    notes: str = ""
    tags: tuple[str, ...] = field(default=())
