"""What a person typed where a name belongs, when it is plainly no name: a date or time (明天下午3点
typed at the visitors' question by mistake), a phone number, a head count (3人) or no letters at all;
for a company's name, a date or time, or neither letters nor digits (360 is a company).

Only a whole entry is judged, so real names that contain date words stay names: "April Chen",
"Mr. May", "June Li" and 王明 do not read as dates. Dates are read by ``bot.domain.dates``, the same
reading the arrival question uses, so whatever that question would take is refused as a name.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.dates import read_datetime
from bot.domain.per_person import phone_in
from bot.domain.typed_numbers import read_number

Mistake = Literal["date", "phone", "count", "no_letters"]

# "3人", "三位", "4 people", "two guests": how many are coming, typed instead of who; the number is
# read as the count questions read theirs.
_COUNT = re.compile(r"(?P<number>.+?)\s*(?:人|位|个|個|名|people|persons?|pax|guests?|visitors?)",
                    re.IGNORECASE)
# A surname such as Sun, which is also a weekday's short form, stays a name: a single Latin word this
# short is a name far more often than a date at a name's question.
_SHORT_WORD = re.compile(r"[A-Za-z]{1,3}")


def mistaken_name(text: str, *, now: datetime, tz: ZoneInfo) -> Mistake | None:
    """What ``text`` is instead of a name, or None when it may be one."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if not typed:
        return None
    # A date first: 2026-12-08 has as many digits as a phone number.
    if is_date(typed, now=now, tz=tz):
        return "date"
    if phone_in(typed):
        return "phone"
    count = _COUNT.fullmatch(typed)
    if count is not None and read_number(count["number"]).number is not None:
        return "count"
    if not has_letters(typed):
        return "no_letters"
    return None


def has_letters(text: str) -> bool:
    """Whether ``text`` has a letter of any script (not only digits, punctuation or emoji)."""
    return any(unicodedata.category(char).startswith("L") for char in text)


def mistaken_company(text: str, *, now: datetime, tz: ZoneInfo) -> Mistake | None:
    """What ``text``, typed as (part of) a company's name, is instead, or None when it may be one."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if typed and is_date(typed, now=now, tz=tz):
        return "date"
    if typed and wordless(typed):
        return "no_letters"
    return None


def single_letter(text: str) -> bool:
    """Whether ``text`` is one letter and no word: "C", "x." (a class's letter typed a question
    late, a slip of the keyboard). A single Chinese character may be a word (茶), so it is not one."""
    kept = [char for char in unicodedata.normalize("NFKC", text)
            if unicodedata.category(char)[0] in "LN"]
    return (len(kept) == 1 and unicodedata.category(kept[0]).startswith("L")
            and not unicodedata.name(kept[0], "").startswith("CJK"))


def wordless(text: str) -> bool:
    """Whether ``text`` has neither a letter nor a digit of any script: only emoji or punctuation
    (😀, ???), which names no company, room, hotel or flight."""
    return not any(unicodedata.category(char)[0] in "LN" for char in text)


def is_date(text: str, *, now: datetime, tz: ZoneInfo) -> bool:
    """Whether the whole of ``text`` reads as a date or a time (a past one too)."""
    if _SHORT_WORD.fullmatch(text.strip()):
        return False
    return read_datetime(text, now=now, tz=tz).kind != "unreadable"
