"""Remembering one of a client's days: a founding or partnership anniversary, or any other.

    label ─▶ kind ─▶ day (1998-05-20, 5月20日, 20 May) ─▶ review ─▶ Save: the card again
"""

from __future__ import annotations

from bot.core.context import Context
from bot.domain.clients import ImportantDate
from bot.domain.contact_fields import read_day
from bot.flows.model import Answers, Choice, Flow, Kind, Step
from bot.i18n import N_
from bot.views.clients import DATE_KINDS, show_card

STEPS = (
    Step("label", Kind.TEXT, N_("client_date.q.label"), N_("client_date.l.label")),
    Step("kind", Kind.CHOICE, N_("client_date.q.kind"), N_("client_date.l.kind"),
         choices=tuple(Choice(kind, key) for kind, key in DATE_KINDS.items())),
    Step("day", Kind.DATE, N_("client_date.q.day"), N_("client_date.l.day")),
)


def _save(ctx: Context, answers: Answers) -> None:
    """Adds the day to the client and shows the card again."""
    client_id = int(answers["client_id"])
    day = read_day(answers["day"])
    assert day is not None, "the date step read it"
    ctx.services.clients.add_date(client_id, ImportantDate(answers["label"].strip(), day, answers["kind"]))
    show_card(ctx, client_id, ctx.t("client_date.saved", label=answers["label"].strip()))


ADD_DATE = Flow("client_date", N_("client_date.title"), STEPS, on_save=_save)
