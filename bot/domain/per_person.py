"""What a host types about several visitors at once, told apart by their names.

"张伟 13800138000，David Lee +65 9123 4567" or "都不喝酒; 张伟不吃辣; David Lee: no pork": each
visitor's part is the text after their name up to the next name; text before the first name is said
of nobody in particular (a note for the whole group). With one visitor, everything is theirs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

# Between a name and what is said of them, or between two people's parts.
_SEPARATORS = " \t\n,，;；、:：/|-—–()（）"
# A phone as typed: an optional +, digits with spaces, dashes, dots or brackets between them.
PHONE = re.compile(r"\+?\(?\d[\d\s().\-]{4,}\d")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def by_person(text: str, names: Sequence[str]) -> tuple[dict[int, str], str]:
    """Each named person's part (by their index in ``names``) and the part said of nobody; a name
    with nothing after it says nothing."""
    taken = _names_in(text, names)
    group = text[:taken[0][0]] if taken else text
    parts = {}
    for number, (_, end, index) in enumerate(taken):
        following = taken[number + 1][0] if number + 1 < len(taken) else len(text)
        parts[index] = text[end:following].strip(_SEPARATORS)
    if len(names) == 1:  # one visitor: whatever was said is about them
        parts = {0: " ".join(part for part in (group.strip(_SEPARATORS), parts.get(0, "")) if part)}
        group = ""
    return {index: part for index, part in parts.items() if part}, group.strip(_SEPARATORS)


def named(text: str, names: Sequence[str]) -> list[int]:
    """The people named in ``text`` (indices in ``names``), in the order they come."""
    return [index for _, _, index in _names_in(text, names)]


def _names_in(text: str, names: Sequence[str]) -> list[tuple[int, int, int]]:
    """Where each name first stands in ``text``: (start, end, index in ``names``), in text order.

    Longer names are found first, so 张伟明 is not read as 张伟 followed by "明".
    """
    folded = _fold(text)
    if len(folded) != len(text):  # a character that folds into several: find names in the original
        folded = text
    taken: list[tuple[int, int, int]] = []  # start, end, person
    for index in sorted(range(len(names)), key=lambda i: -len(names[i])):
        name = _fold(names[index]).strip()
        if not name:
            continue
        start = folded.find(name)
        while start >= 0 and any(s < start + len(name) and start < e for s, e, _ in taken):
            start = folded.find(name, start + 1)
        if start >= 0:
            taken.append((start, start + len(name), index))
    return sorted(taken)


def phone_in(text: str) -> str:
    """The first phone number in ``text`` as typed (spaces tidied), or ""."""
    found = PHONE.search(text)
    if found is None or sum(char.isdigit() for char in found.group()) < 5:
        return ""
    return " ".join(found.group().split())


def per_person_parts(values: Sequence[tuple[str, str]], group: str = "") -> list[str]:
    """(name, value) pairs as the step takes them typed, part by part: ["group note", "张伟 不吃辣",
    "David Lee no pork"]; the flow joins them with the reader's semicolon, which ``by_person`` reads."""
    parts = [group] if group else []
    parts += [f"{name} {value}" for name, value in values if value]
    return parts
