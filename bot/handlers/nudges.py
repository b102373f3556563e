"""The buttons on a nudge message: Done per item, Snooze one hour or until the next working morning
for the whole message (``bot.views.nudges`` describes the callback data)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.domain.nudges import UNFINISHED, Nudge, NudgeMessage, NudgeState, nudge_id
from bot.domain.visits import Visit, VisitStatus
from bot.services.dispatch import NudgeSender
from bot.views.nudges import DONE, PREFIX, SNOOZE_HOUR, OldNudgeButton, read_button

router = Router()


@router.callback(PREFIX)
def act(ctx: Context) -> None:
    """Ticks one item off, or moves the message's open items (never a schedule) later."""
    assert ctx.staff is not None
    action, visit, stamp, nudges = _read(ctx)
    if visit is None or not nudges or not ctx.services.visits.can_tick(ctx.staff, visit):
        ctx.toast(ctx.t("error.stale_button"), alert=True)
        return
    if visit.status is VisitStatus.CANCELLED or all(n.state not in UNFINISHED | {NudgeState.DONE}
                                                    for n in nudges):
        ctx.toast(ctx.t("nudge.no_longer_applies"), alert=True)
        return
    service = ctx.services.nudges
    if action == DONE:
        nudge = nudges[0]
        if nudge.state is NudgeState.DONE:
            ctx.toast(ctx.t("nudge.already_done"))
        elif nudge.state not in UNFINISHED:
            ctx.toast(ctx.t("nudge.no_longer_applies"), alert=True)
            return
        else:
            service.tick(nudge, ctx.staff.user_id, ctx.now)
    else:
        waiting, until = service.snooze(nudges, visit, ctx.now, by=ctx.staff.user_id,
                                        to_morning=action != SNOOZE_HOUR)
        text = ctx.t("nudge.snoozed", item=ctx.t.join((ctx.t(n.key) for n in waiting), style="series"),
                     until=ctx.format_time(until))
        others = _sharing(ctx, visit, waiting)
        if others:  # a shared duty: it is theirs now, and the rest of the desk will not do it
            text += "\n" + ctx.t("nudge.snoozed_shared", names=ctx.t.join(others))
        ctx.show(text)
        return
    sender = NudgeSender(ctx.services)
    message = sender.message_for(ctx.staff, visit, stamp) if stamp is not None else None
    if message is None or not message.nudges:  # an older message, of one nudge
        message = NudgeMessage(visit, [service.get(nudges[0].id) or nudges[0]], stamp or 0)
    ctx.show(*sender.render(ctx.staff, message))


def _sharing(ctx: Context, visit: Visit, nudges: list[Nudge]) -> list[str]:
    """The names of the others ``nudges`` are for, who read on their lists who put them off."""
    assert ctx.staff is not None
    sender, me = NudgeSender(ctx.services), ctx.staff.user_id
    others = {p.user_id: p.name for n in nudges for p in sender.recipients(visit, n) if p.user_id != me}
    return sorted(others.values())


def _read(ctx: Context) -> tuple[str, Visit | None, int | None, list[Nudge]]:
    """(action, visit, message stamp, the nudges the button acts on) from the callback data;
    malformed data is refused by the dispatcher (``Malformed``)."""
    button, services = read_button(ctx.event.callback_data), ctx.services
    if isinstance(button, OldNudgeButton):  # an older message, of one nudge
        nudge = services.nudges.get(nudge_id(button.visit, button.item))
        visit = services.visits.get(nudge.visit_id) if nudge else None
        return button.current, visit, None, [nudge] if nudge else []
    action, visit, stamp = button.action, services.visits.get(button.visit), button.stamp
    if visit is None or ctx.staff is None:
        return action, None, stamp, []
    if action == DONE:
        nudge = services.nudges.get(nudge_id(visit.id, button.item))
        return action, visit, stamp, [nudge] if nudge else []
    return action, visit, stamp, list(NudgeSender(services).message_for(ctx.staff, visit, stamp).nudges)

