"""Find the clock time and the part of the day in a normalised phrase, and take them out of it.

Both are read here rather than by dateparser: dateparser silently drops a bare hour ("tomorrow at 3"
comes back as tomorrow), turns a part of the day into an invented time (明天下午 -> 10:00) and has no
notion of 下午3点 = 15:00. What is left after taking them out is the date, read by ``dates_calendar``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

PartOfDay = Literal["early_morning", "morning", "noon", "afternoon", "evening", "night"]
Meridiem = Literal["am", "pm"]

PART_WORDS: dict[str, PartOfDay] = {
    "凌晨": "early_morning",
    "清晨": "early_morning",
    "早上": "morning",
    "早晨": "morning",
    "上午": "morning",
    "中午": "noon",
    "下午": "afternoon",
    "傍晚": "evening",
    "晚上": "evening",
    "夜里": "evening",
    "夜间": "evening",
    "半夜": "night",
    "深夜": "night",
    "午夜": "night",
    "morning": "morning",
    "afternoon": "afternoon",
    "evening": "evening",
    "night": "evening",
}
_PART_RE = re.compile(
    "|".join(sorted((word for word in PART_WORDS if not word.isascii()), key=len, reverse=True))
    + r"|\b(?:morning|afternoon|evening|night)\b"
)

_CLOCK_RE = re.compile(
    r"""
      (?P<noon>(?:12\s*)?\b(?:noon|midday)\b)
    | (?P<midnight>(?:12\s*)?\bmidnight\b|午夜(?!\s*\d))
    | (?<![\d:./-])(?P<colon_h>\d{1,2}):(?P<colon_m>\d{2})(?::\d{2})?(?![\d:])
        \s*(?P<colon_mer>am|pm)?(?![a-z])
    | (?<![\d.])(?P<cn_h>\d{1,2})\s*点\s*
        (?:(?P<quarter>[13])刻|(?P<half>半)|(?P<cn_m>\d{1,2})\s*分?)?\s*[整钟]?
    | (?<![\d:./-])(?P<mer_h>\d{1,2})\s*(?P<mer>am|pm)(?![a-z])
    | \bat\s+(?P<at_h>\d{1,2})(?:\s*o'?clock)?(?![\d:./a-z-])
    | (?<![\d:./-])(?P<oclock_h>\d{1,2})\s*o'?clock
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Clock:
    """A time of day in 24-hour form; ``day_offset`` is 1 when it falls after that day's midnight."""

    hour: int
    minute: int
    day_offset: int = 0
    hour_ambiguous: bool = False


NOON = Clock(12, 0)


@dataclass(frozen=True)
class _RawClock:
    """A clock time as typed, before the part of the day is applied."""

    hour: int
    minute: int
    meridiem: Meridiem | None = None
    bare: bool = False  # typed as a bare hour (3点, at 3, 3:30) that could be a.m. or p.m.
    midnight: bool = False


@dataclass(frozen=True)
class TimeParts:
    """What ``split_time`` found: the clock (if any), the part of day (if any), and the rest."""

    rest: str
    clock: Clock | None
    part: PartOfDay | None


def _minutes(match: re.Match[str]) -> int:
    if match["quarter"]:
        return 15 * int(match["quarter"])
    if match["half"]:
        return 30
    return int(match["cn_m"] or 0)


def _meridiem(text: str | None) -> Meridiem | None:
    return "am" if text == "am" else "pm" if text == "pm" else None


def _raw_clock(match: re.Match[str]) -> _RawClock:
    if match["noon"]:
        return _RawClock(12, 0)
    if match["midnight"]:
        return _RawClock(0, 0, midnight=True)
    if match["colon_h"]:
        hour_text = match["colon_h"]
        meridiem = _meridiem(match["colon_mer"])
        bare = meridiem is None and len(hour_text) == 1  # 9:30 may be p.m.; 09:30 and 10:30 read as 24h
        return _RawClock(int(hour_text), int(match["colon_m"]), meridiem, bare=bare)
    if match["cn_h"]:
        return _RawClock(int(match["cn_h"]), _minutes(match), bare=True)
    if match["mer_h"]:
        return _RawClock(int(match["mer_h"]), 0, _meridiem(match["mer"]))
    return _RawClock(int(match["at_h"] or match["oclock_h"]), 0, bare=True)


def _typed_hour(hour: int, part: PartOfDay) -> tuple[int, int] | None:
    """(24-hour hour, day offset) for an hour typed after 上午/下午/..., or None if they contradict.

    上午12点 and 下午12点 are noon; 凌晨12点 is the midnight that starts the day.
    """
    if part in ("evening", "night"):
        return _late_hour(hour, part)
    if part == "early_morning":
        return (0, 0) if hour == 12 else (hour, 0) if hour <= 6 else None
    if part == "morning":
        return (hour, 0) if hour <= 12 else None
    if part == "noon":
        return (hour + 12, 0) if 1 <= hour <= 3 else (hour, 0) if 10 <= hour <= 15 else None
    return (hour + 12, 0) if 1 <= hour <= 11 else (hour, 0) if 12 <= hour <= 23 else None


def _late_hour(hour: int, part: PartOfDay) -> tuple[int, int] | None:
    """晚上 / 半夜: 12 is the midnight that ends the day, and the small hours (晚上1点) follow it."""
    small_hours, first_evening_hour = (6, 9) if part == "night" else (4, 5)
    if hour in (0, 12, 24):
        return 0, 1
    if hour <= small_hours:
        return hour, 1
    if first_evening_hour <= hour <= 11:
        return hour + 12, 0
    return (hour, 0) if first_evening_hour + 12 <= hour <= 23 else None


def _meridiem_hour(hour: int, meridiem: Meridiem, part: PartOfDay | None) -> tuple[int, int] | None:
    """(24-hour hour, day offset) for 3pm / 12am / 10:30am, checked against a part of day if any."""
    if not 1 <= hour <= 12:
        return None
    hour24 = hour % 12 + (12 if meridiem == "pm" else 0)
    if part is None:
        return hour24, 0
    if part in ("evening", "night") and hour24 <= 5:
        return hour24, 1
    allowed = {
        "early_morning": hour24 <= 6,
        "morning": hour24 <= 12,
        "noon": 10 <= hour24 <= 15,
        "afternoon": hour24 >= 12,
        "evening": hour24 >= 17,
        "night": hour24 >= 21,
    }
    return (hour24, 0) if allowed[part] else None


def _to_clock(raw: _RawClock, part: PartOfDay | None) -> Clock | None:
    """Apply the part of the day to a typed clock time; None when the two contradict (上午3pm)."""
    if raw.minute > 59:
        return None
    if raw.midnight:
        return Clock(0, 0, day_offset=1) if part in (None, "evening", "night") else None
    if raw.meridiem is not None:
        hour_offset = _meridiem_hour(raw.hour, raw.meridiem, part)
    elif part is not None:
        hour_offset = _typed_hour(raw.hour, part)
    elif raw.hour == 24 and raw.minute == 0:
        hour_offset = (0, 1)
    else:
        hour_offset = (raw.hour, 0) if raw.hour <= 23 else None
    if hour_offset is None:
        return None
    ambiguous = raw.bare and part is None and raw.meridiem is None and 1 <= raw.hour <= 11
    return Clock(hour_offset[0], raw.minute, hour_offset[1], ambiguous)


def split_time(text: str, given_part: PartOfDay | None = None) -> TimeParts | None:
    """Take the clock time and the part of day out of ``text``; None when they clash or repeat.

    ``given_part`` is a part of the day named before (明天下午, then "3点"): it decides a bare hour
    that ``text`` leaves open, unless the two cannot go together (下午 and 0点), when the hour is
    read as typed.
    """
    clocks = list(_CLOCK_RE.finditer(text))
    if len(clocks) > 1:
        return None
    if clocks:
        text = text[: clocks[0].start()] + " " + text[clocks[0].end() :]
    parts = {PART_WORDS[match.group(0)] for match in _PART_RE.finditer(text)}
    if len(parts) > 1:
        return None
    part = parts.pop() if parts else None
    rest = re.sub(r"\s+", " ", _PART_RE.sub(" ", text)).strip()
    if not clocks:
        return TimeParts(rest, None, part)
    raw = _raw_clock(clocks[0])
    clock = _to_clock(raw, part)
    if clock is not None and clock.hour_ambiguous and given_part is not None:
        clock = _to_clock(raw, given_part) or clock
    return None if clock is None else TimeParts(rest, clock, part)


_AMOUNT = r"(?P<n>\d{1,3}(?:\.\d+)?|an?|one|two|three|half an?)"
_UNIT = r"(?P<unit>hours?|hrs?|minutes?|mins?)"
_OFFSET_RES = (
    re.compile(r"(?P<n>\d{1,3}(?:\.\d+)?|半)个?(?P<half>半)?(?P<unit>小时|分)(?P<dir>[以之]?[后前])"),
    re.compile(rf"in\s+{_AMOUNT}\s+{_UNIT}"),
    re.compile(rf"{_AMOUNT}\s+{_UNIT}\s+(?P<dir>from now|later|ago)"),
)
_OFFSET_WORDS = {"半": 0.5, "half a": 0.5, "half an": 0.5, "a": 1.0, "an": 1.0}
_OFFSET_WORDS |= {"one": 1.0, "two": 2.0, "three": 3.0}


def read_offset(text: str) -> timedelta | None:
    """The offset from now in "两小时后", "30分钟后", "in 2 hours", "90 minutes ago"; None if not one."""
    for pattern in _OFFSET_RES:
        match = pattern.fullmatch(text)
        if match:
            amount = _OFFSET_WORDS.get(match["n"]) or float(match["n"])
            amount += 0.5 if match.groupdict().get("half") else 0.0
            unit = timedelta(minutes=1) if match["unit"][0] in "分m" else timedelta(hours=1)
            past = (match.groupdict().get("dir") or "").endswith(("前", "ago"))
            return unit * (-amount if past else amount)
    return None
