"""Planning a visit's nudges into storage, and finding the ones that are due.

``NudgeService.plan_visit`` is the ``NudgePlanner`` hook ``VisitService`` calls on every create,
update and cancel: it plans the visit with the policy and China's working days, writes what changed
(``bot.domain.nudges.reconcile`` holds the rules) and returns how many nudges are pending. Sending
them, quiet hours and the catch-up list for late ones are the sender's work, not this module's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo

from bot.clock import Clock
from bot.domain.approval import MANAGER
from bot.domain.nudges import UNFINISHED, Lapses, Nudge, NudgeState, plan_visit, reconcile
from bot.domain.policy import Policy
from bot.domain.visits import Visit
from bot.domain.workdays import WorkCalendar
from bot.repositories.nudges import NudgeRepository


class NudgeService:
    def __init__(
        self, nudges: NudgeRepository, policy: Policy, calendar: WorkCalendar, tz: tzinfo, clock: Clock
    ) -> None:
        self.nudges = nudges
        self.policy = policy
        self.calendar = calendar
        self.tz = tz
        self.clock = clock
        self.lapses = Lapses.of(policy, calendar, tz)  # which chores are missed when left too long
        # Told when items people were already reminded of are called off (lodging removed, the visit
        # cancelled): bootstrap wires the note to them.
        self.on_withdrawn: Callable[[Visit, list[Nudge]], object] | None = None

    def plan_visit(self, visit: Visit) -> int:
        """Plans, re-plans or (for a cancelled visit) cancels the visit's nudges; returns how many
        are planned and not yet due. Late ones (already past) are stored but not counted."""
        now = self.clock.now()
        stored = self.nudges.for_visit(visit.id)
        plan = plan_visit(visit, self.policy, self.calendar, now, tz=self.tz)
        # Items the department head's approval covers (``closed_by_approval``: the arrangement form)
        # do not apply once it is given, and apply again in a new round (a change, a send-back).
        approved = self._approved_items(visit)
        changes = reconcile(stored, [n for n in plan if n.item not in approved])
        self.nudges.save_all(changes)
        # Whoever was told to submit the form hears of the approval itself, not of an item called off.
        told = {n.id for n in stored
                if n.state in (NudgeState.SENT, NudgeState.SNOOZED) and n.item not in approved}
        withdrawn = [n for n in changes if n.state is NudgeState.CANCELLED and n.id in told]
        if withdrawn and self.on_withdrawn is not None:
            self.on_withdrawn(visit, withdrawn)
        current = {nudge.id: nudge for nudge in stored} | {nudge.id: nudge for nudge in changes}
        return sum(1 for nudge in current.values() if nudge.pending(now))

    def _approved_items(self, visit: Visit) -> set[str]:
        """The timeline items the visit's approval by the department head closes; none without it."""
        if not any(d.approved and d.step == MANAGER for d in visit.decisions):
            return set()
        return {item.id for item in self.policy.timeline if item.closed_by_approval}

    def get(self, nudge_id: str) -> Nudge | None:
        return self.nudges.get(nudge_id)

    def tick(self, nudge: Nudge, by: int, now: datetime) -> Nudge:
        """Marks one item done by ``by``."""
        return self.nudges.save(replace(nudge, state=NudgeState.DONE, done_at=now, done_by=by))

    def snooze(self, nudges: list[Nudge], visit: Visit, now: datetime, *, by: int,
               to_morning: bool) -> tuple[list[Nudge], datetime]:
        """Moves the unfinished ones among ``nudges`` an hour later, or (``to_morning``) to the next
        working morning's digest time, or tomorrow's if the visit is then; returns them and when.

        For everyone each is for; when the time is up it comes back to ``by`` (and whoever else
        snoozed it meanwhile), not to the rest of a desk that shares it."""
        until = self.next_morning(visit, now) if to_morning else now + timedelta(hours=1)
        waiting = [n for n in nudges if n.state in UNFINISHED]
        self.nudges.save_all(replace(n, state=NudgeState.SNOOZED, snoozed_until=until,
                                     snoozed_by=_snoozers(n, by)) for n in waiting)
        return waiting, until

    def next_morning(self, visit: Visit, now: datetime) -> datetime:
        """The next working day's digest time in the company zone, or tomorrow's if the visit is then."""
        tz = self.tz
        tomorrow = now.astimezone(tz).date() + timedelta(days=1)
        on_visit = visit.arrival.astimezone(tz).date() <= tomorrow <= visit.departure.astimezone(tz).date()
        day = tomorrow if on_visit else self.calendar.at_or_after(tomorrow)
        return datetime.combine(day, self.policy.schedule.digest_at, tzinfo=tz)

    def due(self, now: datetime) -> list[Nudge]:
        """Planned nudges due at ``now``, oldest first; late ones among them belong in a catch-up list."""
        return sorted(self.nudges.planned_by(now), key=lambda nudge: (nudge.due, nudge.id))

    def for_visit(self, visit_id: int) -> list[Nudge]:
        """The visit's nudges in every state, by due time."""
        return self.nudges.for_visit(visit_id)

    def close_by_debrief(self, visit_id: int, by: int, now: datetime) -> list[Nudge]:
        """Ticks the visit's items a debrief covers (``closed_by_debrief`` in the policy: the notes,
        the team review, the memo) as done by whoever wrote it; returns those it ticked."""
        covered = {item.id for item in self.policy.timeline if item.closed_by_debrief}
        ticked = [replace(n, state=NudgeState.DONE, done_at=now, done_by=by, snoozed_until=None)
                  for n in self.nudges.for_visit(visit_id) if n.item in covered and n.state in UNFINISHED]
        self.nudges.save_all(ticked)
        return ticked

    def late(self, visit_id: int) -> list[Nudge]:
        """The visit's planned nudges that were already past when planned: the host's catch-up list."""
        return [n for n in self.nudges.for_visit(visit_id) if n.state is NudgeState.PLANNED and n.late]


def _snoozers(nudge: Nudge, by: int) -> tuple[int, ...]:
    """Who asked for ``nudge`` later: ``by``, and whoever did while it was already snoozed (a
    snooze of an item sent again starts afresh)."""
    earlier = nudge.snoozed_by if nudge.state is NudgeState.SNOOZED else ()
    return earlier if by in earlier else (*earlier, by)
