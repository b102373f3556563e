"""A client's notes: one question, the current notes shown under it, saved without a review card."""

from __future__ import annotations

from bot.core.context import Context
from bot.flows.model import Answers, Flow, Kind, Step
from bot.i18n import N_, escape
from bot.views.clients import show_card


def _current(ctx: Context, answers: Answers) -> str:
    """What the notes say now, since the answer replaces them."""
    client = ctx.services.clients.get(int(answers["client_id"]))
    if client is None or not client.notes:
        return ctx.t("client_notes.now_empty")
    return ctx.t("client_notes.now") + "\n" + escape(client.notes)


def _save(ctx: Context, answers: Answers) -> None:
    """Replaces the notes and shows the card again."""
    client_id = int(answers["client_id"])
    ctx.services.clients.set_notes(client_id, answers["notes"])
    show_card(ctx, client_id, ctx.t("client_notes.saved"))


NOTES = Flow("client_notes", N_("client_notes.title"),
             (Step("notes", Kind.TEXT, N_("client_notes.q"), N_("client_notes.l"), detail=_current),),
             on_save=_save, review=False)
