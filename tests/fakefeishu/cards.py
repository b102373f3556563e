"""What a person sees of the bot's messages in the fake: a card's text and buttons, read back from
its JSON the way Feishu shows them (markdown marks gone, entities decoded)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from tests.support.buttons import by_label

_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
# A tag Feishu's card markdown would read as markup (it knows <at>, <font>, <text_tag>... and no
# HTML): our markdown must never carry one, only entities.
_RAW_TAG = re.compile(r"<[a-zA-Z/]")


@dataclass(frozen=True)
class Button:
    label: str
    value: dict[str, Any] = field(default_factory=dict)
    url: str = ""

    @property
    def data(self) -> str:
        """The callback data the bot put in the button's value."""
        return str(self.value.get("d", ""))


@dataclass(frozen=True)
class Shown:
    """One state of one bot message: as sent, or as an update left it (``seq`` orders them all)."""

    seq: int
    message_id: str
    chat_id: str
    msg_type: str
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    edited: bool = False
    file_name: str = ""
    content: dict[str, Any] = field(default_factory=dict)

    def button(self, label: str) -> Button:
        """The button whose label contains ``label``."""
        return by_label(self.buttons, label, f"message {self.message_id}")


def card_problem(card: Any) -> str | None:
    """Why Feishu would refuse or garble this card, if it would."""
    if not isinstance(card, dict) or not isinstance(card.get("elements"), list):
        return "a card needs a list of elements"
    if not (card.get("config") or {}).get("update_multi"):
        return "only shared cards (config.update_multi) can be updated"
    for element in card["elements"]:
        if element.get("tag") == "markdown":
            content = str(element.get("content") or "")
            if not content.strip():
                return "a markdown element needs content"
            if _RAW_TAG.search(content):
                return f"markdown with a raw tag: {content[:80]!r}"
        elif element.get("tag") == "action":
            for action in element.get("actions") or []:
                if action.get("tag") != "button" or not (action.get("text") or {}).get("content"):
                    return "a button needs a text"
        else:
            return f"unexpected element {element.get('tag')!r}"
    return None


def read_card(card: dict[str, Any]) -> tuple[str, tuple[tuple[Button, ...], ...]]:
    """The card's text as a person reads it, and its buttons row by row."""
    texts: list[str] = []
    rows: list[tuple[Button, ...]] = []
    for element in card.get("elements", []):
        if element.get("tag") == "markdown":
            texts.append(shown_text(str(element.get("content", ""))))
        elif element.get("tag") == "action":
            rows.append(tuple(Button(str(a["text"]["content"]), dict(a.get("value") or {}),
                                     str(a.get("url") or "")) for a in element.get("actions", [])))
    return "\n".join(texts), tuple(rows)


def shown_text(markdown: str) -> str:
    """Markdown as shown: a link's text with its target in brackets, no marks, entities decoded.
    (A literal ``*`` or ``~~`` is always markup: one meant as text comes as an entity.)"""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", markdown)
    return html.unescape(text.replace("~~", "").replace("*", ""))
