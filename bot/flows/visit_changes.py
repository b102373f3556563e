"""Short flows that change a saved visit: reschedule, cancel (with a reason), add a note."""

from __future__ import annotations

from bot.core.context import Context
from bot.domain.approval import reopened
from bot.domain.visits import Visit, VisitStatus
from bot.flows import visit_options as opt
from bot.flows.model import Answers, Flow, Kind, Step
from bot.i18n import N_
from bot.services.dispatch import NudgeSender
from bot.views import approval, clashes, client_drafts
from bot.views.visits import card, notify_team


def changeable(ctx: Context, answers: Answers) -> Visit | None:
    """The visit the flow is about, if it still exists, is planned and this person may change it."""
    visit = ctx.services.visits.get(int(answers["visit_id"]))
    if visit is None or ctx.staff is None or visit.status is not VisitStatus.PLANNED:
        ctx.show(ctx.t("visit.not_changeable"))
        return None
    if not ctx.services.visits.can_change(ctx.staff, visit):
        ctx.show(ctx.t("visit.not_yours"))
        return None
    return visit


def _reschedule(ctx: Context, answers: Answers) -> None:
    visit = changeable(ctx, answers)
    if visit is None:
        return
    holders = _holders(ctx, visit)
    moved, planned = ctx.services.visits.reschedule(reopened(visit), opt.parse_when(answers["arrival"]),
                                                    opt.parse_when(answers["departure"]))
    text, buttons = card(ctx, moved)
    ctx.show(text + "\n\n" + ctx.t.plural("visit.planned", planned), buttons)
    notify_team(ctx, moved, N_("visit.notify_rescheduled"), also=holders, was=visit.arrival)
    approval.ask(ctx, visit, moved)
    client_drafts.offer(ctx, visit, moved)
    clashes.warn(ctx, moved)


def _cancel(ctx: Context, answers: Answers) -> None:
    visit = changeable(ctx, answers)
    if visit is None:
        return
    holders = _holders(ctx, visit)
    cancelled = ctx.services.visits.cancel(visit, answers["reason"])
    ctx.show(card(ctx, cancelled)[0])
    notify_team(ctx, cancelled, N_("visit.notify_cancelled"), reason=answers["reason"], also=holders)
    client_drafts.offer(ctx, visit, cancelled)


def _holders(ctx: Context, visit: Visit) -> list[int]:
    """Who holds the visit's items before the change: they hear of it with the team, in one note
    (which, for a cancellation, stands for the "no longer needed" note of each item)."""
    return [person.user_id for person in NudgeSender(ctx.services).holders(visit)]


def _note(ctx: Context, answers: Answers) -> None:
    visit = changeable(ctx, answers)
    if visit is None or ctx.staff is None:
        return
    noted = ctx.services.visits.add_note(visit, ctx.staff.user_id, answers["note"], ctx.now)
    ctx.reply(*card(ctx, noted))


RESCHEDULE = Flow("reschedule_visit", N_("visit.reschedule_title"), (
    Step("arrival", Kind.DATETIME, N_("visit.q.new_arrival"), N_("visit.l.arrival")),
    # A time typed alone is on the new arrival's day, as in /new (not its next occurrence from now).
    Step("departure", Kind.DATETIME, N_("visit.q.departure"), N_("visit.l.departure"),
         check=opt.check_departure, day_of=opt.arrival_day),
), on_save=_reschedule)

CANCEL = Flow("cancel_visit", N_("visit.cancel_title"), (
    Step("reason", Kind.TEXT, N_("visit.q.cancel_reason"), N_("visit.l.cancel_reason")),
), on_save=_cancel)

NOTE = Flow("visit_note", N_("visit.note_title"), (
    Step("note", Kind.TEXT, N_("visit.q.note"), N_("visit.l.note")),
), on_save=_note, review=False)
