"""Send back: the one question an approver answers before a visit goes back to its host."""

from __future__ import annotations

from bot.core.context import Context
from bot.flows.model import Answers, Flow, Kind, Step
from bot.i18n import N_
from bot.services.approval import ApprovalError
from bot.views import approval
from bot.views.visits import card


def _send_back(ctx: Context, answers: Answers) -> None:
    """Records the send-back with the comment (if the visit still waits for it) and tells the host."""
    assert ctx.staff is not None
    visit = ctx.services.visits.get(int(answers["visit_id"]))
    if visit is None:
        ctx.show(ctx.t("visit.not_changeable"))
        return
    step, comment = str(answers["step"]), answers["comment"]
    try:
        returned = ctx.services.approval.send_back(visit, ctx.staff, step, comment, ctx.now)
    except ApprovalError as error:
        ctx.show(ctx.t(error.key))
        return
    text, buttons = card(ctx, returned)
    host = ctx.services.access.person(returned.host)
    footer = ctx.t("approval.sent_back_done", host=host.name if host else "—", number=returned.id)
    ctx.show(text + "\n\n" + footer, buttons)
    approval.sent_back(ctx, returned, step, comment)


SEND_BACK = Flow("send_back", N_("approval.send_back_title"), (
    Step("comment", Kind.TEXT, N_("approval.q.comment"), N_("approval.l.comment")),
), on_save=_send_back, review=False)
