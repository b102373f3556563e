"""The Approve and Send back buttons of an approval request (and of the visit card)."""

from __future__ import annotations

from bot.core.callbacks import number, one_of
from bot.core.context import Context
from bot.core.router import Router
from bot.domain.approval import STEPS
from bot.services.approval import ApprovalError
from bot.views import approval
from bot.views.visits import card, visible_visit

router = Router()


@router.callback(approval.PREFIX)
def answer(ctx: Context) -> None:
    """Approves the step at once; Send back first asks for the comment the host will read."""
    action = one_of(ctx.args, 0, (approval.APPROVE, approval.SEND_BACK))
    step = one_of(ctx.args, 2, STEPS)
    visit = visible_visit(ctx, number(ctx.args, 1))
    if visit is None:
        return
    assert ctx.staff is not None
    service = ctx.services.approval
    try:
        service.check(visit, ctx.staff, step)
    except ApprovalError as error:
        ctx.toast(ctx.t(error.key), alert=True)
        return
    if action == approval.SEND_BACK:
        ctx.services.flows.start(ctx, "send_back", {"visit_id": visit.id, "step": step})
        return
    approved = service.approve(visit, ctx.staff, step, ctx.now)
    ctx.toast(ctx.t("approval.done"))
    ctx.show(*card(ctx, approved))
    approval.approved(ctx, visit, approved, step)
