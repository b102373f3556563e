"""Read the dates and times staff type in Simplified Chinese, Traditional Chinese or English.

Arrival and departure are typed as free text (明天下午3点, 下週二上午10點, 12月5日14:30, tomorrow 3pm,
next Tuesday 10am) and questions name periods (今天谁来, 这周有哪些客户来, visits next week).

Why not dateparser alone: on the phrase table in tests/date_phrases.py it reads about a quarter of
the Chinese phrases (明天下午3点, 下周二 and 12月5日14:30 give nothing) and, worse, reads some wrongly
without a sign (明天下午 -> a made-up time, "tomorrow at 3" -> tomorrow, "Dec 5" said on December 5 ->
next year). So a phrase goes through four small steps, all pure functions of the text and a clock:

1. ``dates_normalise``: one canonical spelling (NFKC, Traditional -> Simplified date words, Chinese
   numerals -> digits, 星期二/礼拜二/週二 -> 周2, 今晚 -> 今天晚上 ...);
2. ``dates_clock``: the clock time and the part of day are read and taken out (下午3点 -> 15:00,
   晚上12点 -> midnight at the end of that day, 3pm, 15:30, noon); "两小时后" / "in 2 hours" too;
3. ``dates_calendar``: the rest is read as a date by rule when it is Chinese or numeric (明天, 下周2,
   12月5日, 2026-12-05, 12/5 = December 5th, 5日, 3天后, 月底) ...
4. ``dates_english``: ... and by dateparser when it is English ("the day after tomorrow", "5th of December").

Readings never invent what was not said: a date without a clock time is ``date_only`` (with the
part of day if one was named, so the bot can ask "下午几点?"; 中午 and noon do name a time, 12:00), a
bare hour that could be a.m. or p.m. (明天3点, at 3) is flagged ``hour_ambiguous``, a past result is
flagged ``is_past``, and anything not understood is ``unreadable`` with a reason. ``now`` may be in
any zone; results are in ``tz``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.dates_calendar import Context, DayProblem, has_cjk, read_day, rolls_weekly
from bot.domain.dates_clock import NOON, Clock, PartOfDay, read_offset, split_time
from bot.domain.dates_english import english_day, warm_up
from bot.domain.dates_normalise import normalise
from bot.domain.dates_period import find_period

__all__ = ["MAX_LENGTH", "DateReading", "PartOfDay", "Problem", "read_datetime", "read_period", "warm_up"]

MAX_LENGTH = 200
Problem = Literal["empty", "too_long", "not_understood", "vague", "invalid_date", "bad_time"]
# Words around a date that change nothing: 明天的下午3点, 10点左右, "on friday at 5pm".
_FILLER = (
    r"的|左右|大概|大约|\b(?:around|about|approximately)\b",
    r"^(?:(?:在|于|\b(?:on|at|by)\b)\s*)+|(?:\s*\b(?:at|on)\b)+$",
)


@dataclass(frozen=True)
class DateReading:
    """What a typed date/time phrase says.

    kind:
        "datetime": ``value`` is the moment (tz-aware, in the company zone);
        "date_only": a day without a clock time; ``value`` is its midnight, and ``part_of_day`` is set
        when a part of the day was named (明天下午, tomorrow afternoon) so the caller can ask the time;
        "unreadable": ``value`` is None and ``problem`` says why.
    is_past: the moment (for a date_only reading, the day) is before ``now``; the caller says so.
    hour_ambiguous: a bare hour 1-11 with no 上午/下午/am/pm (明天3点, at 3, 9:30; not 09:30 or 10:30,
        which read as 24-hour times); ``value`` has the 24-hour reading (03:00), and the caller may
        want to ask "上午还是下午?".
    """

    kind: Literal["datetime", "date_only", "unreadable"]
    value: datetime | None
    part_of_day: PartOfDay | None = None
    is_past: bool = False
    hour_ambiguous: bool = False
    problem: Problem | None = None


def read_datetime(text: str, *, now: datetime, tz: ZoneInfo, prefer_future: bool = True,
                  on_day: date | None = None, part_of_day: PartOfDay | None = None) -> DateReading:
    """Read a date and time such as 明天下午3点, 下週二上午10點, 12月5日14:30 or next Tuesday 10am.

    A time alone is its next occurrence (today if still ahead, else tomorrow), or on ``on_day`` when
    given (the flight lands at "8am" of the visit's day), as is a part of the day alone ("afternoon");
    a date without a year that has passed this year is next year's; a bare weekday (周四, thursday)
    said on that day with a time already past is next week's; with ``prefer_future=False`` all stay
    as said. Explicitly past phrases (昨天, yesterday, 今天 or 这周四 with an earlier time) are
    returned as they are.

    ``part_of_day`` is a part of the day named before (明天下午, then "3点" on its own): it decides a
    bare hour the text leaves open, so the reading is 15:00 and not ``hour_ambiguous``.
    """
    ctx = _context(now, tz, "future" if prefer_future else "none")
    if len(text) > MAX_LENGTH:
        return _unreadable("too_long")
    phrase = normalise(text)
    if not phrase:
        return _unreadable("empty")
    offset = read_offset(phrase)
    if offset is not None:
        return _moment((ctx.now.astimezone(UTC) + offset).astimezone(tz), ctx, hour_ambiguous=False)
    found = split_time(phrase, part_of_day)
    if found is None:
        return _unreadable("bad_time")
    rest = _strip_filler(found.rest)
    day = _read_day(rest, ctx) if rest else None
    if isinstance(day, str):
        return _unreadable(day)
    if day is None and (found.clock is not None or found.part is not None):
        day = on_day  # "4pm", and "下午" too (its time asked next), on the day given
    if isinstance(day, date) and found.clock is not None and rolls_weekly(rest):
        day = _next_week_if_passed(day, found.clock, ctx, tz)
    return _combine(day, found.clock, found.part, ctx, tz)


def read_period(text: str, *, now: datetime, tz: ZoneInfo) -> tuple[date, date] | None:
    """The days (first, last) a question is about: 今天谁来, 这周有哪些客户来, visits next week.

    Knows today/tomorrow/后天 ..., this/next/last week (Monday..Sunday), weekend, this/next/last month,
    a month (12月, in December), a year, "未来7天"/"next 7 days" (today included), and single days
    (周二, 12月5日, Dec 5); a date without a year is the nearest one. None when no period is named.
    """
    ctx = _context(now, tz, "nearest")
    if len(text) > MAX_LENGTH:
        return None
    return find_period(normalise(text), ctx)


def _context(now: datetime, tz: ZoneInfo, roll: Literal["future", "none", "nearest"]) -> Context:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return Context(now.astimezone(tz).replace(second=0, microsecond=0), roll)


def _strip_filler(rest: str) -> str:
    for pattern in _FILLER:
        rest = re.sub(pattern, " ", rest).strip()
    return rest


def _read_day(rest: str, ctx: Context) -> date | DayProblem:
    day = read_day(rest, ctx)
    if day is None:
        return "not_understood" if has_cjk(rest) else english_day(rest, ctx)
    return day


def _at(day: date, clock: Clock, tz: ZoneInfo) -> datetime:
    """``clock`` on ``day`` in ``tz``; a wall time skipped by a DST change moves to the real one."""
    wall = datetime.combine(day + timedelta(days=clock.day_offset), time(clock.hour, clock.minute), tz)
    return wall.astimezone(UTC).astimezone(tz)


def _next_week_if_passed(day: date, clock: Clock, ctx: Context, tz: ZoneInfo) -> date:
    """周四下午3点 said on a Thursday at 16:00 means next Thursday: today's 15:00 has gone."""
    if ctx.roll == "future" and day == ctx.today and _before(_at(day, clock, tz), ctx.now):
        return day + timedelta(weeks=1)
    return day


def _combine(
    day: date | None, clock: Clock | None, part: PartOfDay | None, ctx: Context, tz: ZoneInfo
) -> DateReading:
    if clock is None and part == "noon":
        clock = NOON  # 明天中午 names a time, as "tomorrow noon" does
    if clock is None:
        if day is None and part is None:
            return _unreadable("not_understood")
        day = day or ctx.today
        midnight = _at(day, Clock(0, 0), tz)
        return DateReading("date_only", midnight, part_of_day=part, is_past=day < ctx.today)
    if day is not None:
        return _moment(_at(day, clock, tz), ctx, clock.hour_ambiguous)
    value = _at(ctx.today, clock, tz)
    if ctx.roll != "none" and _before(value, ctx.now):
        value = _at(ctx.today + timedelta(days=1), clock, tz)
    return _moment(value, ctx, clock.hour_ambiguous)


def _moment(value: datetime, ctx: Context, hour_ambiguous: bool) -> DateReading:
    return DateReading("datetime", value, is_past=_before(value, ctx.now), hour_ambiguous=hour_ambiguous)


def _before(first: datetime, second: datetime) -> bool:
    """Compare instants: two datetimes with the same tzinfo would be compared by wall time."""
    return first.astimezone(UTC) < second.astimezone(UTC)


def _unreadable(problem: Problem) -> DateReading:
    return DateReading("unreadable", None, problem=problem)
