"""Clashes: a meeting room or a driver that another visit has at an overlapping time.

A room is taken from the guests' arrival at the company to their departure. A driver is taken for
the pickup: from an hour and a half before the flight or train gets in (when the timeline's pickup
item sends them off) until the guests reach the company. A room is matched as typed, ignoring case
and spaces ("3楼 大会议室" is "3楼大会议室").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.visits import Visit

ROOM, DRIVER = "room", "driver"
PICKUP_LEAD = timedelta(minutes=90)


@dataclass(frozen=True)
class Booking:
    """Something a visit holds for a while: a room (``key``: its folded name) or a driver (their
    staff user id)."""

    what: str  # ROOM | DRIVER
    key: str
    start: datetime
    end: datetime

    def overlaps(self, other: Booking) -> bool:
        """The same room or driver at times that overlap (one ending as the other starts does not)."""
        same = (self.what, self.key) == (other.what, other.key)
        return same and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class Clash:
    """``mine`` is also held by ``other`` (``theirs``)."""

    mine: Booking
    other: Visit
    theirs: Booking


def room_key(room: str) -> str:
    return "".join(room.split()).casefold()


def room_booking(room: str, arrival: datetime, departure: datetime) -> Booking | None:
    key = room_key(room)
    return Booking(ROOM, key, arrival, departure) if key else None


def bookings(visit: Visit) -> list[Booking]:
    """What ``visit`` holds: its room, and the driver of its pickup."""
    held = [room_booking(visit.room, visit.arrival, visit.departure)]
    travel = visit.travel
    if travel is not None and travel.driver is not None:
        leaves = (travel.arrives_at or visit.arrival) - PICKUP_LEAD
        held.append(Booking(DRIVER, str(travel.driver), leaves, visit.arrival))
    return [booking for booking in held if booking is not None]


def clashes(mine: Sequence[Booking], others: Iterable[Visit], *, own: int) -> list[Clash]:
    """Each of ``mine`` that another visit (not number ``own``) holds at an overlapping time, by the
    other's arrival."""
    found = [Clash(booking, other, theirs)
             for other in others if other.id != own
             for theirs in bookings(other)
             for booking in mine if booking.overlaps(theirs)]
    return sorted(found, key=lambda clash: (clash.other.arrival, clash.other.id))
