"""Re-planning the nudges of every visit not over yet when the policy's planning rules changed.

Nudges are planned when a visit is saved or edited, and keep the recipients, times and messages of
the policy in force then. A company that edits its policy, or an upgrade that changes the shipped
one (the arrangement form's item once went to the department head as well), left every visit
already planned reminding people by the old rules until somebody edited it: wrong reminders, which
teach people to ignore them all.

So the store keeps a digest of the planning rules the nudges were planned with
(``bot.domain.nudges.planning_digest``). At start, after the indexes are read, the warm-up
(``bot.warmup``) calls ``step`` slice by slice; when the policy in force has another digest, each
visit not cancelled and not over is planned again by ``NudgeService.plan_visit``, the very method an
edit calls: done, sent and snoozed items keep their state as an edit keeps it, and whoever was
already sent an item that no longer applies gets the same one "no longer applies" note (an item
not yet sent goes quietly). The new digest is recorded only once every visit was planned again, so
a stop midway starts over at the next start; a visit planned again twice changes nothing the
second time.
"""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.core.slices import Budget
from bot.domain.nudges import planning_digest
from bot.repositories.planned_policy import PlannedPolicyRepository
from bot.services.nudges import NudgeService
from bot.services.visits import VisitService

log = logging.getLogger(__name__)


class PolicyReplan:
    def __init__(self, nudges: NudgeService, visits: VisitService, planned: PlannedPolicyRepository,
                 clock: Clock) -> None:
        self._nudges = nudges
        self._visits = visits
        self._planned = planned
        self._clock = clock
        self._digest = planning_digest(nudges.policy)
        # The numbers still to plan again, last first; None until the first step looked.
        self._left: list[int] | None = None
        self._done = False
        self.replanned = 0  # visits planned again by this start (the log says how many)

    @property
    def finished(self) -> bool:
        """Whether every visit follows the policy in force (read on any thread: a flag)."""
        return self._done

    def step(self, budget: Budget) -> bool:
        """One slice of the re-plan: at least one visit, more while ``budget`` lasts; True once
        there is nothing (more) to do. On the core thread, in a durable write (``Runner.call``)."""
        if self._done:
            return True
        if self._left is None:
            if self._planned.digest() == self._digest:
                self._done = True
                return True
            self._left = self._visits.numbers_not_over(self._clock.now())[::-1]
        worked = False
        while self._left and (budget.left() or not worked):
            worked = True
            visit = self._visits.get(self._left.pop())
            if visit is not None:
                self._nudges.plan_visit(visit)
                self.replanned += 1
        if self._left:
            return False
        self._planned.record(self._digest)
        self._done = True
        if self.replanned:
            log.info("the policy's planning rules changed: %d visit(s) planned again", self.replanned)
        return True
