"""The documents row of a visit card; ``bot.handlers.documents`` answers its presses."""

from __future__ import annotations

from bot.core.callbacks import pack
from bot.core.context import Context
from bot.core.events import Button
from bot.domain.visits import Visit, VisitStatus

PREFIX = "doc"


def document_buttons(ctx: Context, visit: Visit) -> list[Button]:
    """The form, the itinerary (the memo once the visit began), the calendar: one short row."""
    t = ctx.t
    row = [Button(t("doc.button.form"), pack(PREFIX, "form", visit.id))]
    if ctx.now >= visit.arrival:
        row.append(Button(t("doc.button.memo"), pack(PREFIX, "memo", visit.id)))
    elif visit.status is VisitStatus.PLANNED:
        row.append(Button(t("doc.button.itinerary"), pack(PREFIX, "itin", visit.id)))
    row.append(Button(t("doc.button.calendar"), pack(PREFIX, "ics", visit.id)))
    return row
