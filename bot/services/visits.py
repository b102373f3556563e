"""Visits: saving, changing, who may change them, and the hook that plans their nudges."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.domain.clashes import Booking, Clash, bookings, clashes
from bot.domain.programme import shifted
from bot.domain.staff import Role, Staff
from bot.domain.visits import Note, Visit, VisitStatus
from bot.repositories.visits import VisitRepository, VisitRow

# Plans (or re-plans, or clears for a cancelled visit) the nudges of a visit; returns how many are
# planned. The nudge layer provides it; until then nothing is planned.
NudgePlanner = Callable[[Visit], int]
# How long before its arrival another visit's driver may already be out: a flight the evening before.
DRIVER_AHEAD = timedelta(days=2)


def _no_nudges(visit: Visit) -> int:
    del visit
    return 0


class VisitService:
    def __init__(self, visits: VisitRepository, planner: NudgePlanner = _no_nudges) -> None:
        self.visits = visits
        self.planner = planner

    def get(self, visit_id: int) -> Visit | None:
        return self.visits.get(visit_id)

    def create(self, visit: Visit) -> tuple[Visit, int]:
        """Stores a new visit under the next number; returns it and how many nudges were planned."""
        saved = self.visits.save(replace(visit, id=self.visits.next_id()))
        return saved, self.planner(saved)

    def update(self, visit: Visit) -> tuple[Visit, int]:
        """Stores a changed visit and re-plans its nudges (deterministic ids: no duplicates)."""
        saved = self.visits.save(visit)
        return saved, self.planner(saved)

    def record_decision(self, visit: Visit) -> Visit:
        """Stores a visit with an approver's new answer (``bot.services.approval``) and re-plans its
        nudges as any change does: an approval closes the items it covers (the arrangement form)."""
        saved, _ = self.update(visit)
        return saved

    def reschedule(self, visit: Visit, arrival: datetime, departure: datetime) -> tuple[Visit, int]:
        """Moves the visit; the flight or train and the hotel nights move by the same amount."""
        shift = arrival - visit.arrival
        travel = visit.travel
        if travel is not None and travel.arrives_at is not None:
            travel = replace(travel, arrives_at=travel.arrives_at + shift)
        lodging = visit.lodging
        if lodging is not None:
            lodging = replace(lodging, check_in=lodging.check_in + shift,
                              check_out=lodging.check_out + (departure - visit.departure))
        moved = replace(visit, arrival=arrival, departure=departure, travel=travel, lodging=lodging)
        # Tours, agenda and meals keep their place in the programme: the same day of the visit.
        return self.update(shifted(moved, (arrival.date() - visit.arrival.date()).days))

    def with_contact(self, client_id: int, contact_id: int) -> list[Visit]:
        """The client's visits (cancelled ones too) that have this contact among the visitors."""
        return [visit for visit in self.visits.for_client(client_id)
                if any(visitor.contact_id == contact_id for visitor in visit.visitors)]

    def for_client(self, client_id: int) -> list[Visit]:
        """The client's visits (cancelled ones too), newest first."""
        return self.visits.for_client(client_id)

    def arriving(self, start: datetime, end: datetime) -> list[Visit]:
        """Visits arriving in [start, end), cancelled ones too, by arrival."""
        return self.visits.arriving(start, end)

    def awaiting_answer(self, start: datetime, end: datetime) -> list[tuple[int, VisitRow]]:
        """The visits arriving in [start, end) that may await an approval, from the index."""
        return self.visits.awaiting_answer(start, end)

    def last_arrivals(self, at: datetime) -> dict[int, datetime]:
        """Each client's latest arrival up to ``at``, cancelled visits aside, from the index (decoding
        every visit took a second)."""
        last: dict[int, datetime] = {}
        for row in self.visits.rows():
            arrival = datetime.fromtimestamp(row.arrival, UTC)
            if not row.cancelled and arrival <= at:
                last[row.client_id] = max(last.get(row.client_id, arrival), arrival)
        return last

    def numbers_not_over(self, now: datetime) -> list[int]:
        """The numbers of every visit not cancelled and not over at ``now`` (undecoded: the index's)."""
        return self.visits.numbers_not_over(now)

    def not_over(self, person: int, now: datetime, end: datetime) -> list[Visit]:
        """The visits ``person`` hosts or is on the team of that are not over at ``now`` and arrive
        before ``end``, cancelled ones too, by arrival."""
        mine = [visit for visit in self.visits.all()
                if person in visit.people and visit.departure >= now and visit.arrival < end]
        return sorted(mine, key=lambda visit: visit.arrival)

    def clashes(self, visit: Visit) -> list[Clash]:
        """The room, driver and car ``visit`` holds that other planned visits hold at the same time."""
        if visit.status is not VisitStatus.PLANNED:
            return []
        return self.clashes_of(bookings(visit), own=visit.id)

    def clashes_of(self, mine: Sequence[Booking], *, own: int = 0) -> list[Clash]:
        """Other planned visits (not number ``own``) holding any of ``mine`` at an overlapping time."""
        if not mine:
            return []
        start, end = min(b.start for b in mine), max(b.end for b in mine)
        return clashes(mine, self.visits.between(start, end + DRIVER_AHEAD), own=own)

    def cancel(self, visit: Visit, reason: str) -> Visit:
        saved, _ = self.update(replace(visit, status=VisitStatus.CANCELLED, cancel_reason=reason))
        return saved

    def add_note(self, visit: Visit, by: int, text: str, now: datetime) -> Visit:
        saved, _ = self.update(replace(visit, notes=(*visit.notes, Note(now, by, text))))
        return saved

    @staticmethod
    def can_see(staff: Staff, visit: Visit) -> bool:
        """Staff see visits they host or are on the team of; managers and admins see all, and so do
        the office, the reception desk and the executives (standing duties): they serve every visit."""
        return VisitService.can_change(staff, visit) or bool(staff.duties)

    @staticmethod
    def can_change(staff: Staff, visit: Visit) -> bool:
        """Only the host, the team, managers and admins may change a visit."""
        return staff.role.at_least(Role.MANAGER) or staff.user_id in visit.people

    @staticmethod
    def can_tick(staff: Staff, visit: Visit) -> bool:
        """Who may tick a checklist item off or snooze its nudge: whoever may change the visit, and
        the duty holders the timeline sends items to."""
        return VisitService.can_see(staff, visit)
