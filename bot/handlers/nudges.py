"""The buttons on a nudge: Done, Snooze one hour, Snooze until tomorrow morning."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.core.callbacks import arg, number, one_of
from bot.core.context import Context
from bot.core.router import Router
from bot.domain.nudges import NudgeState, nudge_id

router = Router()


@router.callback("nud")
def act(ctx: Context) -> None:
    """Ticks the item off or moves this one nudge (never a schedule) later."""
    assert ctx.staff is not None
    action = one_of(ctx.args, 0, ("d", "h", "m"))
    one_of(ctx.args, 1, ("visit",))  # the nudge's id follows: visit:<visit>:<item>
    repo = ctx.services.nudges.nudges
    nudge = repo.get(nudge_id(number(ctx.args, 2), arg(ctx.args, 3)))
    visit = ctx.services.visits.get(nudge.visit_id) if nudge else None
    if nudge is None or visit is None or not ctx.services.visits.can_tick(ctx.staff, visit):
        ctx.toast(ctx.t("error.stale_button"), alert=True)
        return
    if nudge.state is NudgeState.DONE:
        ctx.toast(ctx.t("nudge.already_done"))
        return
    if action == "d":
        repo.save(replace(nudge, state=NudgeState.DONE, done_at=ctx.now, done_by=ctx.staff.user_id))
        ctx.show(ctx.t("nudge.done_by", item=ctx.t(nudge.key), name=ctx.staff.name,
                       when=ctx.format_time(ctx.now)))
        return
    until = ctx.now + timedelta(hours=1) if action == "h" else _tomorrow_morning(ctx)
    repo.save(replace(nudge, state=NudgeState.SNOOZED, snoozed_until=until))
    ctx.show(ctx.t("nudge.snoozed", item=ctx.t(nudge.key), until=ctx.format_time(until)))


def _tomorrow_morning(ctx: Context) -> datetime:
    """Tomorrow at the morning digest time, in the company zone."""
    tz = ctx.services.settings.tz
    tomorrow = ctx.now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, ctx.services.policy.schedule.digest_at, tzinfo=tz)
