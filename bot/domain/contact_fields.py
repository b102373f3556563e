"""Reading what people type about contacts: a phone number, an email, a day of the year.

A birthday or an anniversary is a day, often without its year and never with a time, so it is read
here rather than by the visit date reader (which wants a future moment): 1985-03-12, 1985年3月12日,
3月12日, 03-12, 12 Mar, March 12, 1985. A day without its year is stored in ``NO_YEAR``. The forms
(``bot.flows.client_fields``) and the sheet import (``bot.documents.importing``) read the same way.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from bot.domain.clients import NO_YEAR

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
# "mar", "march", "sept": a month's name, or its first three letters, or "sept".
_MONTHS = {**{name: n for n, name in enumerate(_MONTH_NAMES, 1)},
           **{name[:3]: n for n, name in enumerate(_MONTH_NAMES, 1)}, "sept": 9}
# Year first (the Chinese and ISO order), the year optional: 1985-03-12, 1985年3月12日, 3月12号, 3/12.
_NUMERIC = re.compile(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号號]?")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?(?:\s+(\d{4}))?")
_MONTH_DAY = re.compile(r"([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?")
_PHONE = re.compile(r"\+?[0-9][0-9 \-]*[0-9]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_EARLIEST_YEAR = 1800


def read_day(text: str) -> date | None:
    """The day written in ``text`` (year ``NO_YEAR`` when none is given), or None."""
    folded = " ".join(unicodedata.normalize("NFKC", text).strip().lower().split())
    if match := _NUMERIC.fullmatch(folded):
        year, month, day = match.groups()
    elif match := _DAY_MONTH.fullmatch(folded):
        day, month, year = match.groups()
    elif match := _MONTH_DAY.fullmatch(folded):
        month, day, year = match.groups()
    else:
        return None
    number = int(month) if month.isdigit() else _MONTHS.get(month)
    if number is None:
        return None
    return _day(int(year) if year else NO_YEAR, number, int(day))


def _day(year: int, month: int, day: int) -> date | None:
    if year != NO_YEAR and year < _EARLIEST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def day_text(day: date) -> str:
    """A day as ``read_day`` reads it back: 1985-03-12, or 03-12 without the year."""
    return f"{day:%m-%d}" if day.year == NO_YEAR else day.isoformat()


def normal_phone(text: str) -> str:
    """Full-width digits and spacing made plain: "＋86 138-0013 8000" → "+86 138-0013 8000"."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def is_phone(text: str) -> bool:
    """A phone number: digits, spaces and dashes, an optional leading +, 5 to 20 digits."""
    phone = normal_phone(text)
    return bool(_PHONE.fullmatch(phone)) and 5 <= sum(char.isdigit() for char in phone) <= 20


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(unicodedata.normalize("NFKC", text).strip()))
