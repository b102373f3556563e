"""The date part of Latin-script phrases, read by dateparser ("day after tomorrow", "5th of December").

dateparser is good at English: month names and their abbreviations, ordinals, weekdays, "the day
after tomorrow". It is only asked about the date (the time has already been taken out, see
``dates_clock``) and only a result at day precision is accepted, so "next week" is reported as vague
instead of being turned into a date. Three of its habits are corrected here:

* a date without a year is read as this year's and rolled by ``roll_month_day`` like 12月5日, because
  dateparser's own "future" preference moves "Dec 5" said on December 5 to next year;
* weekdays are read by rule (``dates_calendar``): "tuesday" / "this tuesday" is the coming Tuesday,
  today included, where dateparser skips today or picks last week's; "next tuesday" and "tuesday
  next week" are the Tuesday of next calendar week, like 下周二, where dateparser takes the first
  Tuesday after today (on a Monday: tomorrow, while 下周二 is eight days away); "last tuesday" is
  the latest one before today;
* numbers it cannot place are dropped silently ("tomorrow 3" -> tomorrow), so text with a digit but
  no month name never reaches it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from dateparser.date import DateDataParser

from bot.domain.dates_calendar import Context, DayProblem, roll_month_day

# "zh" covers dateparser's zh, zh-Hans and zh-Hant locales; only Latin-script text gets here, but the
# list is kept to the two languages the bot speaks so that no other language's words are guessed at.
LANGUAGES = ("zh", "en")
_SETTINGS: dict[str, Any] = {
    "RETURN_TIME_AS_PERIOD": True,  # period "time" vs "day" tells whether a time was read
    "DATE_ORDER": "MDY",  # 12/5 is December 5th (numeric dates are read by rule before this)
    "STRICT_PARSING": False,
    "IGNORE_SURROUNDING_TEXT": False,
    "PREFER_DATES_FROM": "current_period",  # this year's Dec 5; the roll is done by roll_month_day
}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = rf"(?:{'|'.join(_MONTHS)})[a-z]*"
MONTH_WORD = re.compile(rf"\b{_MONTH}\b")
_DIGIT = re.compile(r"\d")
_DAY_OF_MONTH = re.compile(
    rf"\b(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?)\b")
_VAGUE_PERIODS = ("week", "month", "quarter", "year")


@lru_cache(maxsize=8)
def _parser(base: datetime) -> DateDataParser:
    """A parser for one minute's clock: RELATIVE_BASE is part of its settings (costly to make)."""
    return DateDataParser(languages=list(LANGUAGES), settings={**_SETTINGS, "RELATIVE_BASE": base})


def _parse(text: str, base: datetime) -> tuple[date, str, tuple[str, ...]] | None:
    """(date, period, parts) as dateparser reads ``text`` on the day of ``base``; None if it can't."""
    parser = _parser(base.replace(tzinfo=None))
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError, KeyError, IndexError):
        return None
    if data.date_obj is None:
        return None
    found: datetime = data.date_obj
    return found.date(), str(data.period), tuple(data.parts or ())


def english_day(text: str, ctx: Context) -> date | DayProblem:
    """The date named by a Latin-script phrase with the time taken out."""
    if _DIGIT.search(text) and not MONTH_WORD.search(text):
        return "not_understood"
    if _no_such_day(text):
        return "invalid_date"
    parsed = _parse(text, ctx.now)
    if parsed is None:
        return "not_understood"
    found, period, parts = parsed
    if period != "day":
        return "vague" if period in _VAGUE_PERIODS else "not_understood"
    if "year" not in parts:
        return roll_month_day(found.month, found.day, ctx)
    return found


def _no_such_day(text: str) -> bool:
    """Whether ``text`` names a day its month never has ("Feb 30", "31st of April"): dateparser
    reports those as unreadable, or reads "December 32" as December 2032; the host should hear
    that the day does not exist."""
    match = _DAY_OF_MONTH.search(text)
    if match is None:
        return False
    day = int(match["day"] or match["day2"])
    month = _MONTHS.index((match["month"] or match["month2"])[:3]) + 1
    return not 1 <= day <= calendar.monthrange(2024, month)[1]  # a leap year: February 29 exists


def warm_up() -> None:
    """Load dateparser's language data now (0.3 s or so) rather than on the first message."""
    _parse("tomorrow", datetime(2000, 1, 1))
