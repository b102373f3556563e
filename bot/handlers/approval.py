"""The Approve and Send back buttons of an approval request (and of the visit card)."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.services.approval import ApprovalError
from bot.views import approval
from bot.views.approval import ApprovalButton
from bot.views.visits import card, visible_visit

router = Router()


@router.callback(ApprovalButton.prefix)
def answer(ctx: Context) -> None:
    """Approves the step at once; Send back first asks for the comment the host will read."""
    button = ApprovalButton.from_args(ctx.args)
    action, step = button.action, button.step
    visit = visible_visit(ctx, button.visit)
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
