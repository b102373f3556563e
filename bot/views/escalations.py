"""A manager's list of their team's overdue after-visit items (``bot.services.escalation``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from bot.core.context import keyboard
from bot.core.events import Button, Keyboard
from bot.domain.nudges import Nudge
from bot.domain.staff import Staff
from bot.domain.visits import Visit
from bot.i18n import Translator
from bot.views.visit_buttons import VisitButton

# A manager's list shows this many visits as buttons; the text lists every item.
MAX_BUTTONS = 5


def render(t: Translator, tz: tzinfo, items: Sequence[tuple[Staff, Visit, Nudge]],
           this_year: int) -> tuple[str, Keyboard]:
    """The list's text and its buttons (one per visit, the first ``MAX_BUTTONS``); dates of another
    year than ``this_year`` show it."""
    lines = [t.plural("escalation.header", len(items)), ""]
    for host, visit, nudge in items:
        due = t.format_moment(nudge.due.astimezone(tz), this_year, "format.date")
        lines.append(t("escalation.line", host=host.name, number=visit.id, client=visit.client_name,
                       item=t(nudge.key), due=due))
    visits = list(dict.fromkeys(visit.id for _, visit, _ in items))[:MAX_BUTTONS]
    rows = [[Button(t("escalation.open", number=n), VisitButton("show", n).pack())] for n in visits]
    return "\n".join(lines), keyboard(*rows)
