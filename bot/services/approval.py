"""Approving visits: who may approve each step, and recording an approval or a send-back.

The rules of where a visit stands are ``bot.domain.approval``; this module knows the people. The
department head is the host's manager in /staff (``AccessService.manager_of``: with none set, the
managers); the executive step goes to whoever holds the executive duty. The host is never asked.
Admins may answer any step, so that a company that has set nobody up yet still gets its visits
approved; the form names whoever approved, so an admin's approval of their own visit shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.domain.approval import EXECUTIVE, ApprovalState, Standing, standing, steps_of_class, waiting_since
from bot.domain.policy import Policy
from bot.domain.staff import Duty, Role, Staff
from bot.domain.visits import Decision, Visit, VisitStatus
from bot.i18n import N_
from bot.services.access import AccessService
from bot.services.visits import VisitService

# Visits further ahead than this are not listed in the digest as awaiting anyone's answer: a
# quarter covers what is pressing (the request itself reached the approver).
AHEAD = timedelta(days=92)


@dataclass(frozen=True)
class Pending:
    """A visit waiting for an answer as the visit index holds it (``VisitRow``), not decoded: what
    the digest's line shows and who is asked."""

    number: int
    client_name: str
    arrival: datetime
    host: int
    step: str
    since: datetime


@dataclass(frozen=True)
class Awaiting:
    """A visit waiting for an answer: the step it waits for and since when."""

    visit: Visit
    step: str
    since: datetime


class ApprovalError(Exception):
    """An answer that cannot be recorded; ``key`` is the message key that says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class ApprovalService:
    def __init__(self, visits: VisitService, access: AccessService, policy: Policy) -> None:
        self.visits = visits
        self.access = access
        self.policy = policy

    def standing(self, visit: Visit) -> Standing:
        return standing(visit, self.policy)

    def approvers(self, visit: Visit, step: str) -> list[Staff]:
        """Who is asked to answer ``step`` (the host never is): empty when nobody is set up for it."""
        return self.approvers_of(visit.host, step)

    def approvers_of(self, host_id: int, step: str) -> list[Staff]:
        """``approvers`` of a visit hosted by ``host_id``."""
        if step == EXECUTIVE:
            people = self.access.staff.with_duty(Duty.EXECUTIVE)
        else:
            host = self.access.staff.get(host_id)
            people = self.access.manager_of(host) if host is not None else []
        return [person for person in people if person.user_id != host_id]

    def pending(self, visit: Visit) -> Awaiting | None:
        """What ``visit`` waits for, if it is planned and waits for an answer."""
        step = self._awaited(visit)
        return None if step is None else Awaiting(visit, step, waiting_since(visit))

    def _awaited(self, visit: Visit) -> str | None:
        """The step a planned visit waits for an answer to, if it waits for one."""
        now = self.standing(visit)
        if visit.status is not VisitStatus.PLANNED or now.state is not ApprovalState.PENDING:
            return None
        assert now.step is not None
        return now.step

    def waiting(self, start: datetime, end: datetime) -> list[Pending]:
        """The planned visits arriving in [start, end) that wait for an answer, by arrival, read from
        the visit index (kept up to date by every write of a visit) without decoding them: the digest
        and the reminders look at a month or a quarter of visits, a few of them waiting."""
        found = []
        for number, row in self.visits.awaiting_answer(start, end):
            step = row.awaited(steps_of_class(row.class_id, self.policy))
            if step is not None:
                found.append(Pending(number, row.client_name, datetime.fromtimestamp(row.arrival, UTC),
                                     row.host, step, datetime.fromtimestamp(row.since, UTC)))
        return found

    def may_answer(self, staff: Staff, visit: Visit, step: str) -> bool:
        return staff.active and (staff.role is Role.ADMIN
                                 or staff.user_id in {s.user_id for s in self.approvers(visit, step)})

    def waiting_for(self, staff: Staff, visit: Visit) -> str | None:
        """The step ``staff`` may answer now, if the visit waits for one they may answer."""
        step = self._awaited(visit)
        return step if step is not None and self.may_answer(staff, visit, step) else None

    def approve(self, visit: Visit, staff: Staff, step: str, now: datetime) -> Visit:
        return self._answer(visit, Decision(step, staff.user_id, now, approved=True), staff)

    def send_back(self, visit: Visit, staff: Staff, step: str, comment: str, now: datetime) -> Visit:
        return self._answer(visit, Decision(step, staff.user_id, now, approved=False, comment=comment), staff)

    def check(self, visit: Visit, staff: Staff, step: str) -> None:
        """Raises ``ApprovalError`` unless the visit waits for ``step`` and ``staff`` may answer it
        (a button pressed twice, by a second manager, or after the visit changed)."""
        if visit.status is not VisitStatus.PLANNED:
            raise ApprovalError(N_("visit.not_changeable"))
        now = self.standing(visit)
        if now.state is not ApprovalState.PENDING or now.step != step:
            raise ApprovalError(N_("approval.not_waiting"))
        if not self.may_answer(staff, visit, step):
            raise ApprovalError(N_("approval.not_approver"))

    def _answer(self, visit: Visit, decision: Decision, staff: Staff) -> Visit:
        self.check(visit, staff, decision.step)
        # Through VisitService, so that the visit's nudges follow the answer as they follow an edit.
        return self.visits.record_decision(replace(visit, decisions=(*visit.decisions, decision)))
