"""Text limits: long messages split on line breaks, never inside an HTML tag, at the limit the
platform declares (``Capabilities.max_text``), and ours for one typed answer or one field of an
imported sheet."""

from __future__ import annotations

import re

# Where a ``Delivery`` told no platform's limit splits: Telegram's, the tightest of the platforms.
MAX_MESSAGE = 4096
# The longest answer a form takes, and the longest field an import keeps: a note or an address
# longer than this is a paste gone wrong, and it would not fit a card or a printed sheet.
MAX_TEXT = 1000
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>")


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Splits ``text`` into parts of at most ``limit`` characters.

    Cuts at the last line break (or space) before the limit; tags open at a cut are closed at the
    end of one part and reopened at the start of the next, so each part is valid HTML.
    """
    parts: list[str] = []
    reopen = ""
    rest = text
    while len(reopen) + len(rest) > limit:
        chunk = reopen + rest
        cut = _cut_point(chunk, limit - 32)  # room for closing tags
        head, rest = chunk[:cut], chunk[cut:].lstrip("\n")
        open_tags = _open_tags(head)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        parts.append(head + closing)
        reopen = "".join(tag for _, tag in open_tags)
    parts.append(reopen + rest)
    return parts


def _cut_point(chunk: str, limit: int) -> int:
    for separator in ("\n", " "):
        cut = chunk.rfind(separator, 0, limit)
        if cut > limit // 2 and not _inside_tag_or_entity(chunk, cut):
            return cut
    cut = limit
    while _inside_tag_or_entity(chunk, cut):
        cut -= 1
    return cut


def _inside_tag_or_entity(chunk: str, index: int) -> bool:
    before = chunk[:index]
    in_tag = before.rfind("<") > before.rfind(">")
    in_entity = before.rfind("&") > before.rfind(";") and index - before.rfind("&") < 10
    return in_tag or in_entity


def _open_tags(html_text: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(html_text):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack
