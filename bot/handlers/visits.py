"""/new, /visit <n> and the buttons of a visit card: edit, reschedule, cancel, add a note."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.flows.visit_form import answers_of
from bot.i18n import N_
from bot.views import clashes
from bot.views.visit_buttons import VisitButton
from bot.views.visits import card, visible_visit, visit_number

router = Router()


@router.command("new", menu=N_("cmd.new"))
def new_visit(ctx: Context) -> None:
    """Opens the arrangement form."""
    ctx.services.flows.start(ctx, "new_visit")


@router.command("visit", menu=N_("cmd.visit"))
def show_visit(ctx: Context) -> None:
    """Shows the card of visit number <n>."""
    visit_id = visit_number(ctx, ctx.t("visit.number_hint"))
    visit = visible_visit(ctx, visit_id) if visit_id is not None else None
    if visit is not None:
        ctx.reply(*card(ctx, visit))


@router.callback(VisitButton.prefix)
def card_button(ctx: Context) -> None:
    """Open, Edit, Reschedule, Cancel visit, Add note; Change the room (or driver) of a clash."""
    button = VisitButton.from_args(ctx.args)
    visit = visible_visit(ctx, button.visit)
    if visit is None:
        return
    if button.action == "show":
        ctx.reply(*card(ctx, visit))
        return
    assert ctx.staff is not None
    if not ctx.services.visits.can_change(ctx.staff, visit):
        ctx.toast(ctx.t("visit.not_yours"), alert=True)
        return
    flows = ctx.services.flows
    if button.action in ("edit", "fix"):
        step = clashes.FIX_STEPS[button.clash] if button.action == "fix" else None
        contacts = {c.id: c for c in ctx.services.clients.contacts(visit.client_id)}
        flows.start(ctx, "new_visit", answers_of(visit, contacts, ctx.services.settings.tz, ctx.t),
                    at_review=True, edit=step)
    else:
        flows.start(ctx, _CHANGE_FLOWS[button.action], {"visit_id": visit.id})


_CHANGE_FLOWS = {"move": "reschedule_visit", "cancel": "cancel_visit", "note": "visit_note"}
