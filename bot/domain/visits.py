"""A client visit: the arrangement form (客户接待安排表) as data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
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
    driver_name: str = ""  # the driver as typed, when not a colleague on the bot ("刘师傅 139...")
    car: str = ""  # the car booked for the pickup ("沪A·12345 别克GL8")

    @property
    def meets_at_airport(self) -> bool:
        """A flight is met at the airport (接机), anything else at the station (接站)."""
        return self.mode == "flight"


@dataclass(frozen=True)
class Lodging:
    hotel: str
    check_in: datetime
    check_out: datetime
    guests: tuple[str, ...] = ()  # who stays, by name; () when not said (every visitor)
    payer: str = "guest"  # guest | company
    rooms: int = 0  # 0: not said
    rate: float | None = None  # per room and night, in the policy currency

    @property
    def nights(self) -> int:
        """Nights at the hotel (at least one: a stay within one day is still a night booked)."""
        return max(1, (self.check_out.date() - self.check_in.date()).days)


@dataclass(frozen=True)
class Meal:
    """One meal of the programme: its day, lunch or dinner, time, place, covers and standard."""

    day: date
    kind: str = "meal"  # breakfast | lunch | dinner | meal
    at: time | None = None
    place: str = ""
    count: int = 0  # covers; 0: the visit's head count for meals
    per_person: float | None = None  # the standard, in the policy currency


@dataclass(frozen=True)
class Slot:
    """A timed part of the programme: a tour (``text`` the places) or an agenda item (what happens)."""

    day: date
    start: time | None = None
    end: time | None = None
    text: str = ""


@dataclass(frozen=True)
class Attendee:
    """Someone on our side named on the form who is not on the visit's team of bot users: 赵刚 总经理.

    ``role`` is the policy's executive id when this is the executive who must attend (the general
    manager: 赵刚); ``user_id`` links a registered colleague.
    """

    name: str
    title: str = ""
    role: str = ""
    user_id: int | None = None


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
    attendees: tuple[Attendee, ...] = ()  # ours by name: not on the bot, or named executives
    travel: Travel | None = None
    room: str = ""
    projector: bool = False
    # The places of a tour whose times are not fixed (told one hour before), each as typed.
    tour: tuple[str, ...] = ()
    tours: tuple[Slot, ...] = ()  # tours with their day and time, in order
    agenda: tuple[Slot, ...] = ()  # the day-by-day agenda of a visit of several days
    lodging: Lodging | None = None
    meals: Meals | None = None
    meal_plan: tuple[Meal, ...] = ()  # meals fixed in advance; none: the office is told an hour before
    gifts: str = ""
    banner: str = ""  # the welcome banner's text, drafted from the names; empty: no banner
    photo: bool = False
    name_cards: bool = False
    # Estimated spend per person by budget item (meal, escort_meal, gift, hotel), in the policy currency.
    budget: tuple[tuple[str, float], ...] = ()
    status: VisitStatus = VisitStatus.PLANNED
    cancel_reason: str = ""
    notes: tuple[Note, ...] = ()
    # The client's background for the team: business, relationship so far, what they want.
    background: str = ""
    # The approvers' answers in the current round; a send-back and a change start a new one.
    decisions: tuple[Decision, ...] = ()

    @property
    def lead(self) -> Visitor | None:
        return next((v for v in self.visitors if v.lead), self.visitors[0] if self.visitors else None)

    @property
    def people(self) -> tuple[int, ...]:
        """Everyone on our side who hears about this visit: the host first, then the team."""
        return (self.host, *(member for member in self.team if member != self.host))

    @property
    def named_attendees(self) -> tuple[str, ...]:
        """Ours named on the form besides the bot users, as printed: "赵刚 总经理"."""
        return tuple(f"{a.name} {a.title}".strip() for a in self.attendees if a.user_id not in self.people)
