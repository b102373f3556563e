"""How a visit's approval reads: the lines of the visit card, the Approve / Send back buttons, the
request each approver gets and what the host is told (``bot.domain.approval`` holds the rules).

Requests and answers reach other people through the outbox (``bot.core.outbox``), in the write that
recorded them: one that fails to be delivered is retried, none is lost to a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Final, Literal

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard, Send
from bot.domain.approval import EXECUTIVE, STEPS, ApprovalState, approvals, newly_waiting, role_keys, standing
from bot.domain.policy import Policy
from bot.domain.staff import Staff
from bot.domain.visits import Visit, VisitStatus
from bot.i18n import N_, Translator
from bot.services.approval import Awaiting
from bot.views.visit_buttons import VisitButton, open_button

APPROVE: Final = "ok"
SEND_BACK: Final = "back"
KIND = "approval"  # the outbox's name for these pushes


def role_name(ctx: Context, t: Translator, visit: Visit, step: str) -> str:
    """Who answers ``step``, as a role: 部门负责人, or the executives the class's policy names."""
    return t.join((t(key) for key in role_keys(visit, ctx.services.policy, step)), style="or")


def card_lines(ctx: Context, visit: Visit) -> list[str]:
    """The approval on the visit card: who approved and when, then, while the visit is planned, who
    it waits for or why it was sent back."""
    t, policy = ctx.t, ctx.services.policy
    lines = [t("approval.card.approved", role=role_name(ctx, t, visit, d.step), name=_name(ctx, d.by),
               when=ctx.format_time(d.at)) for d in approvals(visit, policy)]
    if visit.status is not VisitStatus.PLANNED:
        return lines
    now = standing(visit, policy)
    if now.state is ApprovalState.SENT_BACK and now.sent_back is not None:
        back = now.sent_back
        lines.append(t("approval.card.sent_back", role=role_name(ctx, t, visit, back.step),
                       name=_name(ctx, back.by), when=ctx.format_time(back.at), comment=back.comment))
    elif now.state is ApprovalState.PENDING and now.step is not None:
        role = role_name(ctx, t, visit, now.step)
        people = ctx.services.approval.approvers(visit, now.step)
        if people:
            names = t.join((p.name for p in people), style="or")
            lines.append(t("approval.card.waiting", role=role, names=names))
        else:
            lines.append(t("approval.card.nobody", role=role))
    return lines


def buttons(ctx: Context, visit: Visit, t: Translator | None = None) -> list[Button]:
    """Approve and Send back, for whoever may answer the step the visit waits for."""
    step = ctx.services.approval.waiting_for(ctx.staff, visit) if ctx.staff is not None else None
    return _answer_buttons(t or ctx.t, visit, step) if step is not None else []


@dataclass(frozen=True)
class ApprovalButton(CallbackData, prefix="apv"):
    """``apv:ok|back:<visit>:<step>``: Approve or Send back the visit at an approval step."""

    action: Literal["ok", "back"]
    visit: int
    step: str

    def check(self) -> str | None:
        return None if self.step in STEPS else f"no approval step {self.step!r}"


def _answer_buttons(t: Translator, visit: Visit, step: str) -> list[Button]:
    return [Button(t("approval.button.approve"), ApprovalButton(APPROVE, visit.id, step).pack()),
            Button(t("approval.button.send_back"), ApprovalButton(SEND_BACK, visit.id, step).pack())]


def ask(ctx: Context, before: Visit | None, after: Visit) -> None:
    """Queues the requests a save makes due: to the approvers of the step ``after`` now waits for,
    if ``before`` did not wait for it already (they were asked then). Whoever is saving is not
    pushed to: the card they see carries the buttons."""
    step = newly_waiting(before, after, ctx.services.policy)
    if step is not None:
        ctx.services.outbox.add(_requests(ctx, after, step), KIND)


def _requests(ctx: Context, visit: Visit, step: str) -> list[Send]:
    """One request per approver. Its words and buttons depend only on the approver's language, so
    each language's are made once: a company's managers can be dozens, and making each one's anew
    (a date, the buttons' callback data) was most of what a Save cost."""
    sends = []
    made: dict[str, tuple[str, Keyboard]] = {}
    for person in ctx.services.approval.approvers(visit, step):
        if person.user_id == ctx.event.user.id or not person.reachable:
            continue
        t = ctx.translator_for(person)
        if t.locale not in made:
            made[t.locale] = (_request_text(ctx, t, visit, step), _request_keyboard(t, visit, step))
        text, buttons = made[t.locale]
        sends.append(Send(person.user_id, text, buttons))
    return sends


def _request_text(ctx: Context, t: Translator, visit: Visit, step: str) -> str:
    facts = {"host": _name(ctx, visit.host), "number": visit.id, "client": visit.client_name,
             "cls": t(ctx.services.policy.class_(visit.class_id).name_key),
             "when": ctx.format_time(visit.arrival, t)}
    if step == EXECUTIVE:
        given = approvals(visit, ctx.services.policy)
        return t("approval.request_executive", role=role_name(ctx, t, visit, step),
                 approved_by=t.join(_name(ctx, d.by) for d in given) or "—", **facts)
    return t("approval.request", **facts)


def _request_keyboard(t: Translator, visit: Visit, step: str) -> Keyboard:
    return keyboard(_answer_buttons(t, visit, step), *_open(t, visit))


def approved(ctx: Context, before: Visit, after: Visit, step: str) -> None:
    """After an approval: the host hears who approved and what comes next; the next step's
    approvers are asked."""
    assert ctx.staff is not None
    sends = []
    host = _host(ctx, after)
    if host is not None:
        t = ctx.translator_for(host)
        lines = [t("approval.host_approved", name=ctx.staff.name, role=role_name(ctx, t, after, step),
                   number=after.id, client=after.client_name)]
        now = standing(after, ctx.services.policy)
        if now.state is ApprovalState.PENDING and now.step is not None:
            role = role_name(ctx, t, after, now.step)
            nobody = not ctx.services.approval.approvers(after, now.step)
            key = N_("approval.card.nobody") if nobody else N_("approval.host_next")
            lines.append(t(key, role=role))
        sends.append(Send(host.user_id, "\n".join(lines), _open(t, after)))
    ctx.services.outbox.add(sends, KIND)
    ask(ctx, before, after)


def sent_back(ctx: Context, visit: Visit, step: str, comment: str) -> None:
    """The host hears who sent the visit back and why, with a button to change it."""
    assert ctx.staff is not None
    host = _host(ctx, visit)
    if host is None:
        return
    t = ctx.translator_for(host)
    text = t("approval.host_sent_back", name=ctx.staff.name, role=role_name(ctx, t, visit, step),
             number=visit.id, client=visit.client_name, comment=comment)
    edit = Button(t("visit.button.edit"), VisitButton("edit", visit.id).pack())
    ctx.services.outbox.add([Send(host.user_id, text, keyboard([edit], *_open(t, visit)))], KIND)


def _open(t: Translator, visit: Visit) -> Keyboard:
    return keyboard([open_button(t, visit.id)])


def _host(ctx: Context, visit: Visit) -> Staff | None:
    """The host, to be told of an answer, unless they gave it or cannot be reached."""
    host = ctx.services.access.person(visit.host)
    if host is None or not host.active or not host.reachable or host.user_id == ctx.event.user.id:
        return None
    return host


def _name(ctx: Context, user_id: int) -> str:
    staff = ctx.services.access.person(user_id)
    return staff.name if staff else str(user_id)


def waited(t: Translator, since: datetime, now: datetime) -> str:
    """How long a request has waited, as people say it: "2 days", or "5 hours" within the first day."""
    gone = max(now - since, timedelta(0))
    if gone >= timedelta(days=1):
        return t.plural("approval.waited_days", gone.days)
    return t.plural("approval.waited_hours", max(1, int(gone.total_seconds() // 3600)))


class ReminderView:
    """The reminder an approver gets close to the arrival, and the host's note that it is still
    pending (``bot.services.approval_reminders`` decides who gets them and when)."""

    def __init__(self, policy: Policy, name_of: Callable[[int], str]) -> None:
        self.policy = policy
        self.name_of = name_of

    def reminder(self, t: Translator, tz: tzinfo, waiting: Awaiting, now: datetime) -> tuple[str, Keyboard]:
        visit = waiting.visit
        text = t("approval.reminder", number=visit.id, client=visit.client_name,
                 cls=t(self.policy.class_(visit.class_id).name_key), when=_when(t, tz, visit, now),
                 host=self.name_of(visit.host), waited=waited(t, waiting.since, now))
        return text, _request_keyboard(t, visit, waiting.step)

    def still_pending(self, t: Translator, tz: tzinfo, waiting: Awaiting, approvers: list[Staff],
                      now: datetime) -> tuple[str, Keyboard]:
        visit = waiting.visit
        role = t.join((t(key) for key in role_keys(visit, self.policy, waiting.step)), style="or")
        facts = {"number": visit.id, "client": visit.client_name, "when": _when(t, tz, visit, now),
                 "role": role}
        if approvers:
            text = t("approval.still_pending", names=t.join((p.name for p in approvers), style="or"), **facts)
        else:
            text = t("approval.still_pending_nobody", **facts)
        return text, _open(t, visit)


def _when(t: Translator, tz: tzinfo, visit: Visit, now: datetime) -> str:
    return t.format_moment(visit.arrival.astimezone(tz), now.astimezone(tz).year)
