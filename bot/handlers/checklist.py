"""A visit's checklist: every timeline item with its time, its state and who owns it, and a button
to tick each open one. Opened from the visit card (``chk:<visit>``); a tick is ``chk:<visit>:<item>``
and shows the list again, edited in place.
"""

from __future__ import annotations

from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.nudges import UNFINISHED, Nudge, NudgeState, is_missed, nudge_id
from bot.domain.visits import Visit
from bot.services.dispatch import NudgeSender
from bot.views.visit_buttons import ChecklistButton, VisitButton

router = Router()
# Tick buttons under the list: the open items most due first; the rest are ticked from their nudges.
TICK_BUTTONS = 6
_MARKS = {NudgeState.DONE: "✅", NudgeState.CANCELLED: "➖", NudgeState.MISSED: "❌"}


@router.callback(ChecklistButton.prefix)
def checklist(ctx: Context) -> None:
    """Shows the checklist, or ticks one item off first."""
    assert ctx.staff is not None
    button = ChecklistButton.from_args(ctx.args)
    visit = ctx.services.visits.get(button.visit)
    if visit is None or not ctx.services.visits.can_tick(ctx.staff, visit):
        ctx.toast(ctx.t("error.stale_button"), alert=True)
        return
    if button.item:
        _tick(ctx, visit, button.item)
    show_checklist(ctx, visit)


def show_checklist(ctx: Context, visit: Visit) -> None:
    nudges = [n for n in ctx.services.nudges.for_visit(visit.id) if n.state is not NudgeState.CANCELLED]
    done = sum(n.state is NudgeState.DONE for n in nudges)
    sender = NudgeSender(ctx.services)
    title = ctx.t("checklist.title", number=visit.id, client=visit.client_name, done=done, total=len(nudges))
    lines = [title, ""]
    for nudge in nudges:
        people = sender.recipients(visit, nudge)
        owners = ctx.t.join((person.name for person in people), style="series") or "—"
        lines.append(ctx.t("checklist.line", mark=_mark(ctx, nudge, visit), when=ctx.format_time(nudge.due),
                           item=ctx.t(nudge.key), owners=owners))
    open_items = [n for n in nudges if n.state in UNFINISHED][:TICK_BUTTONS]
    rows = [[Button(ctx.t("checklist.tick", item=ctx.t(n.key)), ChecklistButton(visit.id, n.item).pack())]
            for n in open_items]
    rows.append([Button(ctx.t("checklist.back"), VisitButton("show", visit.id).pack())])
    ctx.show("\n".join(lines), keyboard(*rows))


def _mark(ctx: Context, nudge: Nudge, visit: Visit) -> str:
    if is_missed(nudge, visit, ctx.now, ctx.services.nudges.lapses):
        return _MARKS[NudgeState.MISSED]
    if nudge.state in _MARKS:
        return _MARKS[nudge.state]
    return "⏰" if nudge.due <= ctx.now else "⬜"


def _tick(ctx: Context, visit: Visit, item: str) -> None:
    assert ctx.staff is not None
    nudge = ctx.services.nudges.get(nudge_id(visit.id, item))
    if nudge is None or nudge.state not in UNFINISHED:
        ctx.toast(ctx.t("nudge.already_done"))
        return
    ctx.services.nudges.tick(nudge, ctx.staff.user_id, ctx.now)
    ctx.toast(ctx.t("checklist.ticked", item=ctx.t(nudge.key)))
