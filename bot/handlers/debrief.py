"""/debrief <n> and the "write the debrief" button of the after-visit nudge."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.visits import VisitStatus
from bot.flows.debrief import answers_of
from bot.i18n import N_, Translator
from bot.views.visit_buttons import DebriefButton
from bot.views.visits import visit_number

router = Router()


@router.command("debrief", menu=N_("cmd.debrief"))
def debrief_command(ctx: Context) -> None:
    """Opens the debrief of visit <n>, or says how to name the visit."""
    visit_id = visit_number(ctx, ctx.t("debrief.usage"))
    if visit_id is not None:
        start_debrief(ctx, visit_id)


@router.callback(DebriefButton.prefix)
def debrief_button(ctx: Context) -> None:
    """The nudge's button: the same as typing /debrief <n>."""
    start_debrief(ctx, DebriefButton.from_args(ctx.args).visit)


def start_button(t: Translator, visit_id: int) -> Button:
    """The button the after-visit nudge carries, in the reader's language."""
    return Button(t("debrief.button"), DebriefButton(visit_id).pack())


def start_debrief(ctx: Context, visit_id: int) -> None:
    """Opens the debrief for the host, the team, managers and admins, once the visit has begun.

    A saved debrief opens at its review card, so writing it again changes it rather than starting over.
    """
    services = ctx.services
    visit = services.visits.get(visit_id)
    if visit is None or ctx.staff is None or not services.visits.can_see(ctx.staff, visit):
        _refuse(ctx, ctx.t("visit.not_found", number=visit_id))
    elif not services.visits.can_change(ctx.staff, visit):
        _refuse(ctx, ctx.t("visit.not_yours"))
    elif visit.status is VisitStatus.CANCELLED:
        _refuse(ctx, ctx.t("debrief.cancelled", number=visit.id))
    elif ctx.now < visit.arrival:
        _refuse(ctx, ctx.t("debrief.not_yet", number=visit.id, arrival=ctx.format_time(visit.arrival)))
    else:
        saved = services.debriefs.get(visit.id)
        if saved is None:
            ctx.reply(ctx.t("debrief.start", number=visit.id, client=visit.client_name))
            services.flows.start(ctx, "debrief", {"visit_id": visit.id})
            return
        writer = services.access.person(saved.written_by)
        ctx.reply(ctx.t("debrief.again", number=visit.id, client=visit.client_name,
                        author=writer.name if writer else "", when=ctx.format_time(saved.written_at)))
        answers = answers_of(ctx, saved, services.debriefs.tasks_of(visit.id))
        services.flows.start(ctx, "debrief", answers, at_review=True)


def _refuse(ctx: Context, message: str) -> None:
    ctx.toast(message, alert=True) if ctx.event.is_callback else ctx.reply(message)
