"""Approval of the arrangement form (客户接待安排表): who must say yes, and where a visit stands.

The handbook: the form goes to the host's department head (部门负责人审核); a class-A itinerary also
needs the president's confirmation (A类行程安排表需董事长确认). So every visit needs its host's
department head (the manager set in /staff), and a class whose policy names executives to confirm
it (``confirmed_by``) needs one of them too, asked once the department head has approved.

An approver may send the form back with a comment instead. A visit changed after any answer (the
host corrected what was sent back, or changed what was approved) goes round again from the start:
an approval covers the form as it was when it was given. A reschedule keeps an approval (the time
is not what the department head signs for) but answers a send-back.

```mermaid
stateDiagram-v2
    [*] --> manager: saved
    manager --> executive: approved (class with confirmed_by)
    manager --> approved: approved (other classes)
    executive --> approved: confirmed
    manager --> sent_back: sent back, with a comment
    executive --> sent_back: sent back, with a comment
    sent_back --> manager: changed and saved again, or rescheduled
    approved --> manager: changed and saved again
```
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from enum import StrEnum

from bot.domain.policy import Policy, WorkingDays
from bot.domain.visits import Decision, Visit
from bot.i18n import N_

MANAGER = "manager"
EXECUTIVE = "executive"
STEPS = (MANAGER, EXECUTIVE)


class ApprovalState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SENT_BACK = "sent_back"


@dataclass(frozen=True)
class Standing:
    """Where a visit's approval stands: the step waiting for an answer (pending) or the step whose
    approver sent it back, with that answer; None for an approved visit."""

    state: ApprovalState
    step: str | None = None
    sent_back: Decision | None = None


def steps(visit: Visit, policy: Policy) -> tuple[str, ...]:
    """The approvals ``visit`` needs, in order."""
    return steps_of_class(visit.class_id, policy)


def steps_of_class(class_id: str, policy: Policy) -> tuple[str, ...]:
    """The approvals a visit of class ``class_id`` needs, in order."""
    return (MANAGER, EXECUTIVE) if policy.class_(class_id).confirmed_by else (MANAGER,)


def role_keys(visit: Visit, policy: Policy, step: str) -> tuple[str, ...]:
    """Who answers ``step``, as message keys: the department head, or the executives the class's
    policy names (总裁/董事长 for class A)."""
    if step == EXECUTIVE:
        wanted = policy.class_(visit.class_id).confirmed_by
        return tuple(policy.executives[e].key for e in wanted if e in policy.executives)
    return (N_("title.department_head"),)


def standing(visit: Visit, policy: Policy) -> Standing:
    refused = next((d for d in visit.decisions if not d.approved), None)
    if refused is not None:
        return Standing(ApprovalState.SENT_BACK, refused.step, refused)
    given = {d.step for d in visit.decisions}
    waiting = next((step for step in steps(visit, policy) if step not in given), None)
    return Standing(ApprovalState.APPROVED) if waiting is None else Standing(ApprovalState.PENDING, waiting)


def approvals(visit: Visit, policy: Policy) -> list[Decision]:
    """The approvals given so far, in the order of the steps (those the class no longer needs aside)."""
    needed = steps(visit, policy)
    return sorted((d for d in visit.decisions if d.approved and d.step in needed),
                  key=lambda d: needed.index(d.step))


def resubmitted(before: Visit, after: Visit) -> Visit:
    """``after`` as saved from the form: a new round of approval if it differs from ``before``
    (anything but the answers themselves) once someone had answered."""
    if not before.decisions or replace(after, decisions=before.decisions) == before:
        return after
    return replace(after, decisions=())


def reopened(visit: Visit) -> Visit:
    """A sent-back visit that is changed in any way (moved to the time the approver asked for, say)
    goes round again."""
    return replace(visit, decisions=()) if any(not d.approved for d in visit.decisions) else visit


def newly_waiting(before: Visit | None, after: Visit, policy: Policy) -> str | None:
    """The step whose approvers must be asked now: the one ``after`` waits for, unless ``before``
    already waited for it (they were asked then)."""
    now = standing(after, policy)
    if now.state is not ApprovalState.PENDING:
        return None
    if before is not None and standing(before, policy) == now:
        return None
    return now.step


def waiting_since(visit: Visit) -> datetime:
    """Since when the visit has waited for the step it waits for: its latest answer (the department
    head's, before the executive's step), else its saving. A visit changed after an answer starts a
    new round whose moment is not recorded: it counts from the last answer it had."""
    return max((visit.created_at, *(d.at for d in visit.decisions)))


def reminder_due(arrival: datetime, since: datetime, policy: Policy, add_working_days: WorkingDays,
                 tz: tzinfo) -> datetime:
    """When an approver who has not answered a visit arriving at ``arrival``, waiting ``since``
    (``waiting_since``), is reminded: the policy's lead before the arrival (``approval.remind_before``),
    but never sooner than ``approval.remind_after`` the request."""
    rules = policy.approval
    before = rules.remind_before.apply(arrival.astimezone(tz), add_working_days)
    after = rules.remind_after.apply(since.astimezone(tz), add_working_days)
    return max(before, after)
