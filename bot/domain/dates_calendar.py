"""Read the date part of a normalised phrase: Chinese and numeric forms by rule, English via dateparser.

The Chinese forms are few and regular once normalised (明天, 下周2, 12月5日, 5日, 3天后, 月底), and their
meaning is a business rule rather than a parsing problem: weeks run Monday..Sunday, so 下周2 is the
Tuesday of next calendar week whatever today is, and a date without a year rolls forward only when it
has passed. They are resolved here with plain date arithmetic. Latin-script text that no rule takes
("the day after tomorrow", "5th of December") goes to dateparser (``dates_english``).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

Roll = Literal["future", "none", "nearest"]
DayProblem = Literal["not_understood", "vague", "invalid_date"]


@dataclass(frozen=True)
class Context:
    """The clock for one reading: ``now`` in the company zone (to the minute) and how dates roll.

    ``roll`` says what a date without a year (or a day without a month) means when it has passed:
    "future" takes the next one, "none" keeps this year's/month's, "nearest" the closest one.
    """

    now: datetime
    roll: Roll

    @property
    def today(self) -> date:
        return self.now.date()


_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
_RELATIVE_DAYS = {
    "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3,
    "昨天": -1, "昨日": -1, "前天": -2, "大前天": -3,
}  # fmt: skip
WEEK_OFFSETS = {"上上": -2, "上": -1, "这": 0, "本": 0, "": 0, "下": 1, "下下": 2}
WEEK_OFFSETS |= {"last": -1, "this": 0, "next": 1}
_MONTH_OFFSETS = {"": 0, "这": 0, "本": 0, "这个": 0, "上": -1, "上个": -1, "下": 1, "下个": 1}
_YEAR_OFFSETS = {"今年": 0, "明年": 1, "去年": -1}
EN_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_EN_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
EN_NUMBER = r"\d{1,3}|a|an|one|two|three|four|five|six|seven"
EN_WEEKDAY = (
    r"(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?)"
)


def en_number(word: str) -> int:
    return int(word) if word.isdigit() else _EN_NUMBERS[word]


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def month_shift(day: date, months: int) -> tuple[int, int]:
    """(year, month) that is ``months`` months from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def choose(options: Iterable[date | None], ctx: Context) -> date | DayProblem:
    """Pick from the valid candidates (this period's first) according to ``ctx.roll``."""
    valid = [option for option in options if option is not None]
    if not valid:
        return "invalid_date"
    if ctx.roll == "future":
        return next((option for option in valid if option >= ctx.today), valid[-1])
    if ctx.roll == "nearest":
        return min(valid, key=lambda option: (abs((option - ctx.today).days), option < ctx.today))
    return valid[0]


def roll_month_day(month: int, day: int, ctx: Context) -> date | DayProblem:
    """A month and day without a year: this year's, or another according to ``ctx.roll``."""
    years = {"none": [0], "future": range(9), "nearest": [0, -1, 1, -2, 2, -3, 3, -4, 4]}[ctx.roll]
    return choose((safe_date(ctx.today.year + shift, month, day) for shift in years), ctx)


def roll_day_of_month(day: int, ctx: Context) -> date | DayProblem:
    """A day of the month without a month: this month's, or another according to ``ctx.roll``."""
    shifts = {"none": [0], "future": range(13), "nearest": [0, -1, 1, -2, 2]}[ctx.roll]
    return choose((safe_date(*month_shift(ctx.today, shift), day) for shift in shifts), ctx)


Handler = Callable[[dict[str, str | None], Context], "date | DayProblem"]


def _relative_day(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    return ctx.today + timedelta(days=_RELATIVE_DAYS[str(groups["word"])])


def _weekday(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    day = str(groups["day"])
    number = int(day) if day.isdigit() else EN_WEEKDAYS.index(day[:3]) + 1
    return week_start(ctx.today) + timedelta(weeks=WEEK_OFFSETS[groups.get("week") or ""], days=number - 1)


def _previous_weekday(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    """English "last tuesday": the latest Tuesday before today (on a Tuesday, a week ago)."""
    day = _weekday(groups, ctx)
    return day - timedelta(weeks=1) if isinstance(day, date) and day >= ctx.today else day


def _coming_weekday(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    """English "tuesday" / "this tuesday": this week's, or next week's once it has passed (unless
    ``ctx.roll`` is "none"). Chinese 周二 / 这周二 stays in this week: that is what it says."""
    day = _weekday(groups, ctx)
    if isinstance(day, date) and ctx.roll != "none" and day < ctx.today:
        return day + timedelta(weeks=1)
    return day


def _day_count(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    unit, direction = str(groups["unit"]), groups.get("dir") or ""
    days = en_number(str(groups["n"])) * (7 if unit[0] in "周星礼w" else 1)
    return ctx.today + timedelta(days=-days if direction.endswith(("前", "ago")) else days)


def _full_date(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    relative = groups.get("rel")
    year = ctx.today.year + _YEAR_OFFSETS[relative] if relative else int(str(groups["y"]))
    return safe_date(year, int(str(groups["m"])), int(str(groups["d"]))) or "invalid_date"


def _month_day(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    return roll_month_day(int(str(groups["m"])), int(str(groups["d"])), ctx)


def _day_of_month(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    day, relative = int(str(groups["d"])), groups["rel"]
    if relative is None:
        return roll_day_of_month(day, ctx)
    shift = _MONTH_OFFSETS[relative.removesuffix("月")]
    return safe_date(*month_shift(ctx.today, shift), day) or "invalid_date"


def _month_end(groups: dict[str, str | None], ctx: Context) -> date | DayProblem:
    return month_bounds(*month_shift(ctx.today, _MONTH_OFFSETS[groups["rel"] or ""]))[1]


# Each rule is tried with fullmatch by ``read_day`` and with search by ``dates_period``; the order matters
# for the latter (full dates before month-days before days of the month).
_DAY_PATTERNS: tuple[tuple[str, Handler], ...] = (
    (r"(?P<word>大后天|后天|今天|今日|明天|明日|大前天|前天|昨天|昨日)", _relative_day),
    (r"(?P<week>上上|上|这|本|下下|下)?个?周(?P<day>[1-7])", _weekday),
    (rf"\b(?P<week>last|this|next)\s+week\s+(?P<day>{EN_WEEKDAY})\b", _weekday),
    (rf"\b(?P<day>{EN_WEEKDAY})\s+(?P<week>last|this|next)\s+week\b", _weekday),
    # "next thursday" is the Thursday of next week, like 下周四, whatever today is (on a Monday not
    # this week's, three days ahead): one reading in every language, echoed back as a date.
    (rf"\b(?P<week>next)\s+(?P<day>{EN_WEEKDAY})\b", _weekday),
    (rf"\blast\s+(?P<day>{EN_WEEKDAY})\b", _previous_weekday),
    (rf"\b(?:this\s+)?(?P<day>{EN_WEEKDAY})\b", _coming_weekday),
    (r"(?P<n>\d{1,3})个?(?P<unit>天|日|周|星期|礼拜)(?P<dir>后|以后|之后|前|以前|之前)", _day_count),
    (rf"\bin\s+(?P<n>{EN_NUMBER})\s+(?P<unit>days?|weeks?)\b", _day_count),
    (rf"\b(?P<n>{EN_NUMBER})\s+(?P<unit>days?|weeks?)\s+(?P<dir>from (?:now|today)|later|ago)\b", _day_count),
    (r"(?<!\d)(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?", _full_date),
    (r"(?<![\d/.-])(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?![\d/.-])", _full_date),
    (r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?![\d/])", _full_date),
    (r"(?P<rel>今年|明年|去年)(?P<m>\d{1,2})月(?P<d>\d{1,2})日?", _full_date),
    (r"(?<![\d年])(?P<m>\d{1,2})月(?P<d>\d{1,2})日?", _month_day),
    (r"(?<![\d/.-])(?P<m>\d{1,2})[/.-](?P<d>\d{1,2})(?![\d/.-])", _month_day),
    (r"(?:(?P<rel>(?:这个|这|本|下个|下|上个|上)月)|(?<![\d月]))(?P<d>\d{1,2})日(?![后前])", _day_of_month),
    (r"(?P<rel>这个|这|本|下个|下|上个|上)?月(?:底|末)", _month_end),
)
# Periods rather than days: read_datetime reports them as vague so that the bot asks which day.
_VAGUE_RE = re.compile(
    r"(?:上上|上|这|本|下下|下)?个?(?:周|星期|礼拜)末?|(?:这|本|下|上)个?月|今年|明年|去年"
    r"|(?:\d{4}年)?\d{1,2}月|\d{4}年|(?:(?:this|next|last)\s+)?(?:week|weekend|month|year)"
)
DAY_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = tuple(
    (re.compile(pattern), handler) for pattern, handler in _DAY_PATTERNS
)


# A weekday without a week (周四, thursday, this thursday): said on that day with a time already past,
# it means next week's (``read_datetime``); 这周四 / 本周四 say this week and stay in it.
_BARE_WEEKDAY_RE = re.compile(rf"周[1-7]|(?:this\s+)?{EN_WEEKDAY}")


def rolls_weekly(rest: str) -> bool:
    """Whether ``rest`` (a normalised phrase, time taken out) is a weekday without a week."""
    return _BARE_WEEKDAY_RE.fullmatch(rest) is not None


def read_day(rest: str, ctx: Context) -> date | DayProblem | None:
    """The date that ``rest`` (a normalised phrase, time taken out) names; None if no rule takes it."""
    for pattern, handler in DAY_RULES:
        match = pattern.fullmatch(rest)
        if match:
            return handler(match.groupdict(), ctx)
    if _VAGUE_RE.fullmatch(rest):
        return "vague"
    return "not_understood" if has_cjk(rest) else None


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None
