"""What the core says, as Feishu interactive cards: its HTML subset as the card's markdown, its
inline keyboard as rows of card buttons whose value carries the callback data.

The core writes Telegram's HTML (``<b>``, ``<i>``, ``<s>``, ``<u>``, ``<code>``, ``<pre>``,
``<a href>``, entities for what people typed). A card's markdown has bold, italics, strikethrough
and links, and reads HTML entities, so a character that would start markdown (``*``, ``_``, ``~``,
a backquote, brackets) is written as its numeric entity: a client named ``*Star*`` shows as typed.
What markdown cannot show (underline, monospace) is shown as plain text.

Cards use JSON 1.0: a ``markdown`` element, then one ``action`` element per keyboard row.
``update_multi`` makes them shared cards, the only kind ``PATCH /im/v1/messages/:id`` updates
(our "edit in place").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from bot.core.events import Keyboard, plain_label

# Characters that would start markdown in a card, as entities (HTML's own three included).
_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "*_~`[]\\"} | {ord("&"): "&amp;", ord("<"): "&lt;",
                                                            ord(">"): "&gt;"}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "strike": "~~", "del": "~~"}
# The key under which a button's value carries our callback data.
DATA_KEY = "d"
_LINK = re.compile(r"https?://\S+")

Links = Callable[[str], str]


def escape(text: str) -> str:
    """Plain text as card markdown that shows it exactly."""
    return text.translate(_SPECIAL)


def markdown(text: str, link: Links | None = None) -> str:
    """The core's HTML as card markdown; ``link`` rewrites each link's target (a Telegram deep link
    becomes the bot's chat in Feishu)."""
    parser = _Converter(link or _same)
    parser.feed(text)
    parser.close()
    return "".join(parser.out).strip("\n")


def _same(url: str) -> str:
    return url


class _Converter(HTMLParser):
    def __init__(self, link: Links) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._link = link
        self._href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            target = self._link(href) if _LINK.fullmatch(href) else None
            self._href.append(target)
            if target is not None:
                self.out.append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "a" and self._href:
            target = self._href.pop()
            if target is not None:
                self.out.append(f"]({target})")

    def handle_data(self, data: str) -> None:
        self.out.append(_with_links(data, self._link) if not self._href else escape(data))


def _with_links(data: str, link: Links) -> str:
    """A bare URL in the text stays a URL (rewritten by ``link``); the rest is escaped."""
    parts, last = [], 0
    for found in _LINK.finditer(data):
        parts += [escape(data[last:found.start()]), link(found.group())]
        last = found.end()
    parts.append(escape(data[last:]))
    return "".join(parts)


def card(text: str, buttons: Keyboard = (), link: Links | None = None) -> dict[str, Any]:
    """An interactive card (JSON 1.0) showing ``text`` with ``buttons`` under it, row by row."""
    elements: list[dict[str, Any]] = [{"tag": "markdown", "content": markdown(text, link) or " "}]
    for row in buttons:
        actions = []
        for button in row:
            label = {"tag": "plain_text", "content": plain_label(button)}
            if button.url:
                actions.append({"tag": "button", "text": label, "type": "default",
                                "url": (link or _same)(button.url)})
            else:
                actions.append({"tag": "button", "text": label, "type": "default",
                                "value": {DATA_KEY: button.data}})
        elements.append({"tag": "action", "actions": actions})
    return {"config": {"wide_screen_mode": True, "update_multi": True}, "elements": elements}


def plain(text: str) -> str:
    """The core's HTML as plain text (a file message's caption goes as a card; toasts are plain)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
