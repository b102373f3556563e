"""A client visit: the arrangement form (客户接待安排表) as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class VisitStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    DONE = "done"


@dataclass(frozen=True)
class Visitor:
    contact_id: int
    name: str
    title: str = ""
    lead: bool = False
    # This entry of the form made the contact (a name typed, not one of the client's contacts):
    # taken off the visit again, the contact goes too unless something else came to use it.
    added: bool = False


@dataclass(frozen=True)
class Travel:
    """How the guests arrive: a flight or train to meet, or their own way."""

    mode: str  # flight | train | car | other
    number: str = ""  # flight or train number
    place: str = ""  # airport or station
    arrives_at: datetime | None = None
    pickup: bool = False
    driver: int | None = None  # staff user id of whoever drives or meets


@dataclass(frozen=True)
class Lodging:
    hotel: str
    check_in: datetime
    check_out: datetime
    guests: str = ""
    payer: str = "guest"  # guest | company


@dataclass(frozen=True)
class Meals:
    count: int
    when: str = ""
    dietary: str = ""


@dataclass(frozen=True)
class Note:
    at: datetime
    by: int
    text: str


@dataclass(frozen=True)
class Decision:
    """One approver's answer to the arrangement form (``bot.domain.approval``)."""

    step: str  # manager (the host's department head) | executive (the one the class's policy names)
    by: int  # staff user id
    at: datetime
    approved: bool  # False: sent back to the host
    comment: str = ""


@dataclass(frozen=True)
class Visit:
    id: int  # the number people use: "/visit 12"
    client_id: int
    client_name: str
    class_id: str
    arrival: datetime
    departure: datetime
    host: int  # staff user id; the owner of the visit
    created_at: datetime
    created_by: int
    visitors: tuple[Visitor, ...] = ()
    purposes: tuple[str, ...] = ()  # policy purpose ids, or free text
    team: tuple[int, ...] = ()  # staff user ids besides the host
    executives: tuple[str, ...] = ()  # policy executive ids who must attend
    travel: Travel | None = None
    room: str = ""
    projector: bool = False
    tour: str = ""
    lodging: Lodging | None = None
    meals: Meals | None = None
    gifts: str = ""
    banner: str = ""  # the welcome banner's text, drafted from the names; empty: no banner
    photo: bool = False
    name_cards: bool = False
    # Estimated spend per person by budget item (meal, escort_meal, gift, hotel), in the policy currency.
    budget: tuple[tuple[str, float], ...] = ()
    status: VisitStatus = VisitStatus.PLANNED
    cancel_reason: str = ""
    notes: tuple[Note, ...] = ()
    # The approvers' answers in the current round; a send-back and a change start a new one.
    decisions: tuple[Decision, ...] = ()

    @property
    def lead(self) -> Visitor | None:
        return next((v for v in self.visitors if v.lead), self.visitors[0] if self.visitors else None)

    @property
    def people(self) -> tuple[int, ...]:
        """Everyone on our side who hears about this visit: the host first, then the team."""
        return (self.host, *(member for member in self.team if member != self.host))
