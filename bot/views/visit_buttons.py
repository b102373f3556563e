"""The buttons that act on one visit, drawn by the card, the clash warning, nudges, approvals,
escalations and the checklist:

- ``VisitButton`` (``bot.handlers.visits``): open its card, the card's Edit, Reschedule, Add note,
  Cancel, and the Change room / driver / car of a clash;
- ``ChecklistButton`` (``bot.handlers.checklist``): its checklist, and a tick on it;
- ``DebriefButton`` (``bot.handlers.debrief``): write its debrief.

Defined here rather than beside their handlers because views draw them, and rather than in
``bot.views.visits`` because the card's own parts (``bot.views.approval``) draw them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.callbacks import CallbackData
from bot.core.events import Button
from bot.domain.clashes import CAR, DRIVER, ROOM
from bot.i18n import Translator

Action = Literal["show", "edit", "fix", "move", "cancel", "note"]


@dataclass(frozen=True)
class VisitButton(CallbackData, prefix="vis"):
    """``vis:<action>:<visit>``, and ``vis:fix:<visit>:<what clashes>``."""

    action: Action
    visit: int
    clash: str = ""  # with fix only: what clashes (``bot.domain.clashes``)

    def check(self) -> str | None:
        if self.clash not in ("", ROOM, DRIVER, CAR) or (self.action == "fix") != bool(self.clash):
            return f"{self.action} with clash {self.clash!r}"
        return None


@dataclass(frozen=True)
class ChecklistButton(CallbackData, prefix="chk"):
    """``chk:<visit>`` shows the checklist; ``chk:<visit>:<item>`` ticks the item off first."""

    visit: int
    item: str = ""


@dataclass(frozen=True)
class DebriefButton(CallbackData, prefix="dbf"):
    """``dbf:<visit>``: the same as typing /debrief <visit>."""

    visit: int


def open_button(t: Translator, visit_id: int) -> Button:
    """Open: shows a visit's card."""
    return Button(t("visit.button.open"), VisitButton("show", visit_id).pack())
