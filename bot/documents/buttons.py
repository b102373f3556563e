"""The buttons that send a visit's documents, and the documents row of a visit card;
``bot.handlers.documents`` answers their presses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.callbacks import CallbackData
from bot.core.context import Context
from bot.core.events import Button
from bot.domain.visits import Visit, VisitStatus

# The arrangement form, the itinerary, the memo, the .ics, the minutes, the client's feedback form.
DocumentKind = Literal["form", "itin", "memo", "ics", "min", "fb"]


@dataclass(frozen=True)
class DocumentButton(CallbackData, prefix="doc"):
    """``doc:<document>:<visit>``."""

    document: DocumentKind
    visit: int


def document_button(label: str, document: DocumentKind, visit_id: int) -> Button:
    """The button that sends one document of a visit, labelled ``label`` (translated)."""
    return Button(label, DocumentButton(document, visit_id).pack())


def document_buttons(ctx: Context, visit: Visit) -> list[Button]:
    """The form, the itinerary (the memo once the visit began), the calendar: one short row."""
    t = ctx.t
    row = [document_button(t("doc.button.form"), "form", visit.id)]
    if ctx.now >= visit.arrival:
        row.append(document_button(t("doc.button.memo"), "memo", visit.id))
    elif visit.status is VisitStatus.PLANNED:
        row.append(document_button(t("doc.button.itinerary"), "itin", visit.id))
    row.append(document_button(t("doc.button.calendar"), "ics", visit.id))
    return row
