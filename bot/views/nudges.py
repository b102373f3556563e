"""A nudge message: the items of one visit due for one person at one moment, as one message.

Several items that come due together (the four "day before" items, the briefing and the room)
used to arrive as as many messages in the same minute; one message with a line and a Done button
per item, and one Snooze for the whole message, reads as one moment. A single item keeps the short
form ("⏰ item / visit line / ✅ Done").

Buttons (``nud``):

- ``nud:D:<visit>:<stamp>:<item>``: Done for one item of the message sent at ``stamp`` (whole
  seconds since the epoch, the moment the sender recorded the message's items as sent); the
  message is drawn again with that line ticked.
- ``nud:H:<visit>:<stamp>`` / ``nud:M:<visit>:<stamp>``: snooze every open item of that message
  for an hour / until the next working morning.

The stamp names the message without listing its items, which would not fit in Telegram's 64 bytes
of callback data. Older messages carry ``nud:d|h|m:<nudge id>`` and still work (``OldNudgeButton``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Annotated, Final, Literal

from bot.core.callbacks import CallbackData, Malformed, Range, unpack_any
from bot.core.context import keyboard
from bot.core.events import Button, Keyboard
from bot.documents.buttons import DocumentKind, document_button
from bot.domain.nudges import Nudge, NudgeMessage, NudgeState, nudge_id
from bot.i18n import N_, Translator
from bot.views.visit_buttons import DebriefButton, open_button

PREFIX = "nud"
DONE: Final = "D"
SNOOZE_HOUR: Final = "H"
SNOOZE_MORNING: Final = "M"
Action = Literal["D", "H", "M"]
# Timeline items whose message offers to start the debrief.
DEBRIEF_ITEMS = frozenset({"review", "memo", "minutes", "feedback"})
# The T-30 min team briefing on the client's background: its message carries the background.
BRIEFING = "briefing"
# Timeline items about a document: the message carries the button that sends it.
DOCUMENT_ITEMS: dict[str, tuple[str, DocumentKind]] = {
    "form": (N_("doc.button.form"), "form"), "itinerary": (N_("doc.button.itinerary"), "itin"),
    "minutes": (N_("doc.button.minutes"), "min"), "feedback": (N_("doc.button.feedback"), "fb")}


@dataclass(frozen=True)
class NudgeButton(CallbackData, prefix=PREFIX):
    """``nud:D:<visit>:<stamp>:<item>`` (Done) and ``nud:H|M:<visit>:<stamp>`` (Snooze)."""

    action: Action
    visit: int
    stamp: Annotated[int, Range(high=2**40)]  # names the message (``stamp_of``)
    item: str = ""  # Done only: the timeline item it ticks

    def check(self) -> str | None:
        return None if (self.action == DONE) == bool(self.item) else f"{self.action} with item {self.item!r}"


@dataclass(frozen=True)
class OldNudgeButton(CallbackData, prefix=PREFIX):
    """``nud:d|h|m:visit:<visit>:<item>``: the buttons of messages sent before they had stamps, each
    on one nudge (named by its id); the same actions as ``NudgeButton`` in lower case."""

    action: Literal["d", "h", "m"]
    kind: Literal["visit"]
    visit: int
    item: str

    @property
    def current(self) -> Action:
        """The action as ``NudgeButton`` names it."""
        return DONE if self.action == "d" else SNOOZE_HOUR if self.action == "h" else SNOOZE_MORNING


def read_button(data: str | None) -> NudgeButton | OldNudgeButton:
    """The nudge button ``data`` is, in either form; ``Malformed`` if none."""
    return unpack_any(data, NudgeButton, OldNudgeButton)


def done_nudge(data: str) -> str | None:
    """The id of the nudge a Done button's callback data ticks (``visit:<n>:<item>``), else None;
    for whoever reads what was sent (the benchmarks, end-to-end tests)."""
    try:
        button = read_button(data)
    except Malformed:
        return None
    action = button.current if isinstance(button, OldNudgeButton) else button.action
    return nudge_id(button.visit, button.item) if action == DONE else None


def render(t: Translator, tz: tzinfo, message: NudgeMessage,
           name_of: Callable[[int], str]) -> tuple[str, Keyboard]:
    """The text and buttons of ``message`` in ``t``'s language."""
    visit, nudges = message.visit, message.nudges
    open_items = [n for n in nudges if n.state is not NudgeState.DONE]
    when = _time(t, tz, message.stamp, visit.arrival)
    visit_line = t("nudge.visit", number=visit.id, client=visit.client_name, when=when)
    if message.catch_up:
        lines = [t.plural("nudge.catch_up", len(nudges), number=visit.id), visit_line, ""]
        lines += [_item_line(t, tz, n, name_of) for n in nudges]
    elif len(nudges) == 1 and not open_items:
        done = nudges[0]
        return t("nudge.done_by", item=t(done.key), name=name_of(done.done_by or 0),
                 when=_time(t, tz, message.stamp, done.done_at or done.due)), ()
    elif len(nudges) == 1:
        lines = [t("nudge.header", item=t(nudges[0].key)), visit_line]
    else:
        lines = [t.plural("nudge.several", len(nudges)), visit_line, ""]
        lines += [_item_line(t, tz, n, name_of) for n in nudges]
    if visit.background and any(n.item == BRIEFING for n in open_items):
        lines.append(t("nudge.background", text=visit.background))  # what the team reviews together
    if message.pass_on:
        lines.append(t("nudge.pass_on", roles=t.join(message.pass_on)))
    if message.late_since is not None:
        lines.append(t("nudge.late", due=_time(t, tz, message.stamp, message.late_since)))
    return "\n".join(lines), _buttons(t, message, open_items)


def _item_line(t: Translator, tz: tzinfo, nudge: Nudge, name_of: Callable[[int], str]) -> str:
    if nudge.state is NudgeState.DONE:
        return t("nudge.line_done", item=t(nudge.key), name=name_of(nudge.done_by or 0))
    return t("nudge.line", item=t(nudge.key))


def _buttons(t: Translator, message: NudgeMessage, open_items: Sequence[Nudge]) -> Keyboard:
    visit, stamp = message.visit, message.stamp
    rows: list[list[Button]] = []
    if len(message.nudges) == 1 and open_items:
        rows.append([Button(t("nudge.done"), NudgeButton(DONE, visit.id, stamp, open_items[0].item).pack())])
    else:
        rows += [[Button(t("nudge.done_item", item=t(n.key)),
                         NudgeButton(DONE, visit.id, stamp, n.item).pack())] for n in open_items]
    if open_items:
        rows.append([Button(t("nudge.snooze_hour"), NudgeButton(SNOOZE_HOUR, visit.id, stamp).pack()),
                     Button(t("nudge.snooze_morning"), NudgeButton(SNOOZE_MORNING, visit.id, stamp).pack())])
    rows.append([open_button(t, visit.id)])
    items = {n.item for n in message.nudges}
    if items & DEBRIEF_ITEMS:
        rows.append([Button(t("nudge.debrief"), DebriefButton(visit.id).pack())])
    for item, (key, kind) in DOCUMENT_ITEMS.items():
        if item in items:
            rows.append([document_button(t(key), kind, visit.id)])
    return keyboard(*rows)


def _time(t: Translator, tz: tzinfo, stamp: int, moment: datetime) -> str:
    """A moment, with its year if that is not the year the message is sent in."""
    return t.format_moment(moment.astimezone(tz), datetime.fromtimestamp(stamp, tz).year)
