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

``capabilities`` says what Feishu can do where the core must know before it speaks: how long a
card may be, how large a file, no command menu, and a link to the bot's chat that carries no
``/start`` payload (an invitation's code is typed).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

from bot.core.capabilities import Capabilities
from bot.core.events import Keyboard, plain_label

# Characters that would start markdown in a card, as entities (HTML's own three included).
_SPECIAL = {ord(c): f"&#{ord(c)};" for c in "*_~`[]\\"} | {ord("&"): "&amp;", ord("<"): "&lt;",
                                                            ord(">"): "&gt;"}
_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "s": "~~", "strike": "~~", "del": "~~"}
# The key under which a button's value carries our callback data.
DATA_KEY = "d"
_LINK = re.compile(r"https?://\S+")

# A card's request may be 30 KB (code 230025 beyond). 6,000 characters of Chinese are 18 KB in
# UTF-8, which leaves room for the buttons and for what markdown escapes as entities.
MAX_CARD_TEXT = 6000
# Files uploaded to send (``im/v1/files``) may be 30 MB.
MAX_FILE_BYTES = 30 * 1024 * 1024
# Opens the bot's chat in Feishu; no parameter reaches the bot through it.
BOT_CHAT_LINK = "https://applink.feishu.cn/client/bot/open?appId={app_id}"


def capabilities(app_id: str) -> Capabilities:
    """What Feishu can do, for the app ``app_id``. The bot menu a tenant may set up in the developer
    console is no command menu the bot sets: its items come as events (``feishu_events``)."""
    return Capabilities(max_text=MAX_CARD_TEXT, max_file_bytes=MAX_FILE_BYTES, command_menu=False,
                        chat_link=BOT_CHAT_LINK.format(app_id=app_id))


def escape(text: str) -> str:
    """Plain text as card markdown that shows it exactly."""
    return text.translate(_SPECIAL)


def markdown(text: str) -> str:
    """The core's HTML as card markdown."""
    parser = _Converter()
    parser.feed(text)
    parser.close()
    return "".join(parser.out).strip("\n")


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._href: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _MARKS:
            self.out.append(_MARKS[tag])
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            target = href if _LINK.fullmatch(href) else None
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
        self.out.append(_with_links(data) if not self._href else escape(data))


def _with_links(data: str) -> str:
    """A bare URL in the text stays a URL; the rest is escaped."""
    parts, last = [], 0
    for found in _LINK.finditer(data):
        parts += [escape(data[last:found.start()]), found.group()]
        last = found.end()
    parts.append(escape(data[last:]))
    return "".join(parts)


def card(text: str, buttons: Keyboard = ()) -> dict[str, Any]:
    """An interactive card (JSON 1.0) showing ``text`` with ``buttons`` under it, row by row."""
    elements: list[dict[str, Any]] = [{"tag": "markdown", "content": markdown(text) or " "}]
    for row in buttons:
        actions = []
        for button in row:
            label = {"tag": "plain_text", "content": plain_label(button)}
            if button.url:
                actions.append({"tag": "button", "text": label, "type": "default",
                                "url": button.url})
            else:
                actions.append({"tag": "button", "text": label, "type": "default",
                                "value": {DATA_KEY: button.data}})
        elements.append({"tag": "action", "actions": actions})
    return {"config": {"wide_screen_mode": True, "update_multi": True}, "elements": elements}


def plain(text: str) -> str:
    """The core's HTML as plain text (a file message's caption goes as a card; toasts are plain)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
