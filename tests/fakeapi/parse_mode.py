"""Telegram's HTML parse mode, re-implemented strictly enough to catch what the real API rejects.

Telegram does not use a browser-style HTML parser: any ``<`` starts a tag, only a handful of tags are
allowed, every tag must be closed in order, and only four named entities exist. A bot that puts a user's
name such as ``<b>Bob`` into a message unescaped gets ``400 Bad Request: can't parse entities`` and the
message is lost. The fake server runs every ``parse_mode=HTML`` text through :func:`parse_html` so that
end-to-end tests see the same failure, and records the plain text a person would actually see.

The rules and error texts follow tdlib's ``parse_html`` (the parser behind the Bot API).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Tag name -> Bot API entity type.
_TAG_ENTITY: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SPACE = " \t\n\r\f\v"


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; ``str(error)`` is the text after ``can't parse entities: ``."""

    def with_suffix(self, suffix: str) -> HtmlParseError:
        return HtmlParseError(f"{self}{suffix}")


@dataclass(frozen=True)
class ParsedText:
    """What Telegram stores for a formatted text: plain characters plus entities (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Bot API entity offsets (emoji count as two)."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


@dataclass
class _OpenTag:
    name: str
    attrs: dict[str, str]
    offset: int  # UTF-16 offset in the output where the tag's content starts
    out_index: int  # index into the output character list, to read the content (for <a> without href)


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``text[pos] == '&'``; return (char, next_pos) or None.

    Like tdlib: numeric references of any code point, only lt/gt/amp/quot by name, the ``;`` optional.
    Anything else leaves the ``&`` as a literal character, which Telegram accepts.
    """
    end = pos + 1
    if text.startswith("#", end):
        end += 1
        hexadecimal = text.startswith("x", end)
        if hexadecimal:
            end += 1
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < len(text) and text[end] in allowed:
            end += 1
        digits = text[digits_start:end]
        if not digits or end - pos >= 10:
            return None
        code = int(digits, 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None
        char = named
    if text.startswith(";", end):
        end += 1
    return char, end


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _entity_for(tag: _OpenTag, length: int, content: str, parent: _OpenTag | None) -> dict[str, Any] | None:
    entity: dict[str, Any] = {"type": _TAG_ENTITY[tag.name], "offset": tag.offset, "length": length}
    if tag.name == "a":
        url = tag.attrs.get("href") or content
        if not url:
            return None
        entity["url"] = url
    elif tag.name == "pre" and tag.attrs.get("language"):
        entity["language"] = tag.attrs["language"]
    elif tag.name == "code" and parent is not None and parent.name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-") and parent.offset == tag.offset:
            parent.attrs["language"] = language.removeprefix("language-")
            return None
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs["emoji-id"]
    return entity


class _Parser:
    """A single pass over the text, like tdlib's: plain characters are copied, tags open/close entities."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.out: list[str] = []
        self.offset = 0  # UTF-16 length of ``out``
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def error(self, message: str, at: int) -> HtmlParseError:
        return HtmlParseError(f"{message} at byte offset {_byte_offset(self.text, at)}")

    def parse(self) -> ParsedText:
        text = self.text
        while self.i < len(text):
            ch = text[self.i]
            if ch == "&" and (decoded := _decode_entity(text, self.i)) is not None:
                self.emit(decoded[0])
                self.i = decoded[1]
            elif ch != "<":
                self.emit(ch)
                self.i += 1
            elif text.startswith("/", self.i + 1):
                self.end_tag()
            else:
                self.start_tag()
        if self.stack:
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def emit(self, ch: str) -> None:
        self.out.append(ch)
        self.offset += utf16_len(ch)

    def skip_spaces(self) -> None:
        while self.i < len(self.text) and self.text[self.i] in _SPACE:
            self.i += 1

    def scan_name(self, stop: str) -> str:
        start = self.i
        while self.i < len(self.text) and self.text[self.i] not in _SPACE and self.text[self.i] not in stop:
            self.i += 1
        return self.text[start : self.i]

    def start_tag(self) -> None:
        begin = self.i
        self.i += 1
        tag = self.scan_name(">").lower()
        if self.i >= len(self.text):
            raise self.error("Unclosed start tag", begin)
        if tag not in _TAG_ENTITY:
            raise self.error(f'Unsupported start tag "{tag}"', begin)
        attrs: dict[str, str] = {}
        while True:
            self.skip_spaces()
            if self.i >= len(self.text):
                raise self.error("Unclosed start tag", begin)
            if self.text[self.i] == ">":
                self.i += 1
                break
            name, value = self.attribute(tag, begin)
            attrs[name] = value
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise self.error('Tag "span" must have class "tg-spoiler"', begin)
        if tag == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError("Custom emoji entity must contain a valid emoji-id attribute")
        self.stack.append(_OpenTag(tag, attrs, self.offset, len(self.out)))

    def attribute(self, tag: str, begin: int) -> tuple[str, str]:
        text = self.text
        name = self.scan_name("=>").lower()
        if not name:
            raise self.error(f'Empty attribute name in the tag "{tag}"', begin)
        self.skip_spaces()
        if self.i < len(text) and text[self.i] != "=":
            if tag == "blockquote" and name == "expandable":
                return name, ""
            raise self.error(f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin)
        self.i += 1
        self.skip_spaces()
        if self.i >= len(text):
            raise self.error(f'Unclosed start tag "{tag}"', begin)
        if text[self.i] not in "'\"":
            # A name token: letters, digits, periods and hyphens, case-insensitive.
            start = self.i
            while self.i < len(text) and (
                (text[self.i].isascii() and text[self.i].isalnum()) or text[self.i] in ".-"
            ):
                self.i += 1
            if self.i < len(text) and text[self.i] not in _SPACE and text[self.i] != ">":
                raise self.error("Unexpected end of name token", self.i)
            return name, text[start : self.i].lower()
        quote = text[self.i]
        self.i += 1
        value: list[str] = []
        while self.i < len(text) and text[self.i] != quote:
            if text[self.i] == "&" and (decoded := _decode_entity(text, self.i)) is not None:
                value.append(decoded[0])
                self.i = decoded[1]
            else:
                value.append(text[self.i])
                self.i += 1
        self.i += 1  # past the closing quote (or past the end: "Unclosed start tag" follows)
        return name, "".join(value)

    def end_tag(self) -> None:
        begin = self.i
        if not self.stack:
            raise self.error("Unexpected end tag", begin)
        self.i += 2
        end_tag = self.scan_name(">").lower()
        self.skip_spaces()
        if self.i >= len(self.text) or self.text[self.i] != ">":
            raise self.error("Unclosed end tag", begin)
        self.i += 1
        open_tag = self.stack.pop()
        if end_tag and end_tag != open_tag.name:
            raise self.error("Unmatched end tag", begin).with_suffix(
                f', expected "</{open_tag.name}>", found "</{end_tag}>"'
            )
        length = self.offset - open_tag.offset
        if length > 0:
            content = "".join(self.out[open_tag.out_index :])
            entity = _entity_for(open_tag, length, content, self.stack[-1] if self.stack else None)
            if entity is not None:
                self.entities.append(entity)


def parse_html(text: str) -> ParsedText:
    """Parse Telegram HTML into plain text and entities, or raise :class:`HtmlParseError`."""
    return _Parser(text).parse()


def trim(parsed: ParsedText) -> ParsedText:
    """Strip leading/trailing whitespace the way Telegram does, keeping entities aligned with the text."""
    stripped_left = parsed.text.lstrip()
    shift = utf16_len(parsed.text) - utf16_len(stripped_left)
    text = stripped_left.rstrip()
    total = utf16_len(text)
    entities: list[dict[str, Any]] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(text, entities)
