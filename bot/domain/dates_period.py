"""Find the period a question asks about: 今天谁来, 这周有哪些客户来, visits next week, 12月5日有谁.

Unlike ``read_datetime`` the phrase is searched, not read whole, and the first rule that finds
something wins; rules run from the most specific to the least (下周末 before 下周, 这周2 before 这周,
12月5日 before 12月). A date without a year means the nearest such date (on December 20, 12月5日 is
the one just past; on December 30, 1月2日 is the coming one): questions are as often about the past
as about the future.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.domain.dates_calendar import (
    DAY_RULES,
    EN_WEEKDAY,
    WEEK_OFFSETS,
    Context,
    Handler,
    month_bounds,
    month_shift,
    roll_month_day,
    week_start,
)
from bot.domain.dates_english import english_day

Period = tuple[date, date]
_MONTH_OFFSETS = {"上": -1, "这": 0, "本": 0, "下": 1, "last": -1, "this": 0, "next": 1}
_YEAR_OFFSETS = {"去年": -1, "今年": 0, "明年": 1, "last": -1, "this": 0, "next": 1}
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_EN_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# English day phrases to cut out of a sentence and hand to dateparser, most specific first.
_EN_DAY_RE = re.compile(
    rf"\b(?:{_EN_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH}(?:\s+\d{{4}})?"
    rf"|(?:the\s+)?day\s+(?:after|before)\s+(?:tomorrow|yesterday)|today|tomorrow|yesterday"
    rf"|(?:(?:next|this|last)\s+)?{EN_WEEKDAY})(?![a-z])"
)


def _next_days(match: re.Match[str], ctx: Context) -> Period:
    days = int(match["n"]) * (7 if match["unit"] in ("周", "星期", "礼拜", "weeks") else 1)
    return ctx.today, ctx.today + timedelta(days=max(days, 1) - 1)


def _weekend(match: re.Match[str], ctx: Context) -> Period:
    offset = WEEK_OFFSETS[match.groupdict().get("week") or ""]
    saturday = week_start(ctx.today) + timedelta(weeks=offset, days=5)
    return saturday, saturday + timedelta(days=1)


def _week(match: re.Match[str], ctx: Context) -> Period:
    monday = week_start(ctx.today) + timedelta(weeks=WEEK_OFFSETS[match["week"]])
    return monday, monday + timedelta(days=6)


def _month(match: re.Match[str], ctx: Context) -> Period | None:
    groups = match.groupdict()
    if groups.get("rel"):
        return month_bounds(*month_shift(ctx.today, _MONTH_OFFSETS[match["rel"]]))
    number, name = groups.get("number"), groups.get("name")
    month = int(number) if number else _EN_MONTHS.index(str(name)[:3]) + 1
    nearest = roll_month_day(month, 1, ctx)
    return month_bounds(nearest.year, month) if isinstance(nearest, date) else None


def _year(match: re.Match[str], ctx: Context) -> Period:
    year = ctx.today.year + _YEAR_OFFSETS[match["rel"]]
    return date(year, 1, 1), date(year, 12, 31)


def _one_day(handler: Handler) -> Callable[[re.Match[str], Context], Period | None]:
    """A period rule of one day from a ``read_day`` rule."""

    def period(match: re.Match[str], ctx: Context) -> Period | None:
        day = handler(match.groupdict(), ctx)
        return (day, day) if isinstance(day, date) else None

    return period


def _english_day(match: re.Match[str], ctx: Context) -> Period | None:
    day = english_day(match.group(0), ctx)
    return (day, day) if isinstance(day, date) else None


_Rule = tuple[re.Pattern[str], Callable[[re.Match[str], Context], "Period | None"]]
_RULES: tuple[_Rule, ...] = (
    (re.compile(r"(?:未来|接下来|之后)的?(?P<n>\d{1,3})个?(?P<unit>天|日|周|星期|礼拜)"), _next_days),
    (re.compile(r"\b(?:next|the next|coming)\s+(?P<n>\d{1,3})\s+(?P<unit>days|weeks)\b"), _next_days),
    (re.compile(r"(?P<week>上上|上|这|本|下下|下)?个?(?:周|星期|礼拜)末"), _weekend),
    (re.compile(r"\b(?:(?P<week>this|next|last)\s+)?weekend\b"), _weekend),
    *((pattern, _one_day(handler)) for pattern, handler in DAY_RULES),
    (_EN_DAY_RE, _english_day),
    (re.compile(r"(?P<week>上上|上|这|本|下下|下)个?(?:周|星期|礼拜)"), _week),
    (re.compile(r"\b(?P<week>this|next|last)\s+week\b"), _week),
    (re.compile(r"(?P<rel>上|这|本|下)个?月"), _month),
    (re.compile(r"\b(?P<rel>this|next|last)\s+month\b"), _month),
    (re.compile(r"(?<![\d年])(?P<number>\d{1,2})月(?!\d)"), _month),
    (re.compile(rf"\bin\s+(?P<name>{_EN_MONTH})(?![a-z])"), _month),
    (re.compile(r"(?P<rel>去年|今年|明年)"), _year),
    (re.compile(r"\b(?P<rel>this|next|last)\s+year\b"), _year),
)


def find_period(phrase: str, ctx: Context) -> Period | None:
    """The first period that a rule finds in the normalised ``phrase``."""
    for pattern, handler in _RULES:
        for match in pattern.finditer(phrase):
            found = handler(match, ctx)
            if found is not None:
                return found
    return None
