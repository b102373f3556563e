"""China's working days (工作日), which the visit timeline counts in ("-1wd", "+2wd").

Weekends and public holidays are off, and some weekends are official make-up working days (调休):
the State Council publishes each year's schedule around November of the year before. The
``holidays`` package (``holidays.CN``) carries the published schedules: a weekday given off is in
the holiday set ("Day off (substituted from ...)") and the weekend day worked in exchange is in
``weekend_workdays``; its ``is_working_day`` combines the two with Saturday and Sunday.

Published and estimated years: ``holidays`` 0.109 has the published schedule for every year from
2001 to 2026 (its ``special_public_holidays`` table; ``published_until`` below reads the last year
from it). For later years it only knows the statutory festival days (lunar ones computed), moves a
festival day that falls on a weekend to the next weekday, and has no make-up working days at all.
That is an estimate, and a poor one for the long holidays: the State Council usually bridges the
Spring Festival and National Day into a week off and pays for it with working weekends. The package
does not mark those years itself (its "estimated" label is about lunar dates, and is off by default).

So a company corrects the calendar in ``data_dir/workdays.toml``, which wins over the package::

    # 2027 as published by the State Council
    holidays = ["2027-02-10", "2027-02-11"]   # weekdays off
    workdays = ["2027-02-07"]                 # weekend days worked (调休)

Dates may be TOML dates or "YYYY-MM-DD" strings. Anything wrong raises ``WorkdaysError`` naming the
file, the line and the value.
"""

from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays

WORKDAYS_FILE = "workdays.toml"
DayPredicate = Callable[[date], bool]

_MAX_DAYS_OFF = 3660
"""More consecutive days off than this means the calendar is broken, not a long holiday."""
_KEYS = ("holidays", "workdays")


class WorkdaysError(Exception):
    """The working-days file cannot be used; the message is one line naming the file, line and value."""

    def __init__(self, file: str, problem: str, *, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.problem = problem
        where = f"Working-days file {file}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Overrides:
    """Dates whose status a company fixes by hand: ``holidays`` are off, ``workdays`` are worked."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    def years(self) -> frozenset[int]:
        return frozenset(day.year for day in self.holidays | self.workdays)


class WorkCalendar:
    """Working days: a base rule (normally the ``holidays`` package) corrected by ``Overrides``."""

    def __init__(
        self, base: DayPredicate, overrides: Overrides | None = None, published_until: int | None = None
    ) -> None:
        """``published_until``: the last year whose official schedule ``base`` knows (None: unknown)."""
        self._base = base
        self._overrides = overrides or Overrides()
        self.published_until = published_until

    def is_working_day(self, day: date) -> bool:
        if day in self._overrides.holidays:
            return False
        if day in self._overrides.workdays:
            return True
        return self._base(day)

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n < 0: before; -1 is the previous working day).

        ``n == 0`` is ``day`` itself when it is a working day, else the next one (as
        ``holidays``' ``get_nth_working_day``), so "+0wd" from a Sunday lands on Monday.
        """
        step = timedelta(days=1 if n >= 0 else -1)
        current = day
        for _ in range(abs(n)):
            current = self._next_working(current + step, step)
        return current if n else self._next_working(current, step)

    def at_or_before(self, day: date) -> date:
        """``day`` if it is a working day, else the last working day before it."""
        return self._next_working(day, timedelta(days=-1))

    def at_or_after(self, day: date) -> date:
        """``day`` if it is a working day, else the first working day after it."""
        return self._next_working(day, timedelta(days=1))

    def is_estimated(self, year: int) -> bool:
        """Whether ``year``'s working days are a guess: past the official schedules and not overridden."""
        if year in self._overrides.years():
            return False
        return self.published_until is None or year > self.published_until

    def _next_working(self, day: date, step: timedelta) -> date:
        for _ in range(_MAX_DAYS_OFF):
            if self.is_working_day(day):
                return day
            day += step
        raise ValueError(f"no working day within {_MAX_DAYS_OFF} days of {day}; the calendar is broken")


def china_calendar(data_dir: Path | None = None) -> WorkCalendar:
    """China's working days from ``holidays``, with ``data_dir/workdays.toml`` (if any) over them."""
    china = holidays.country_holidays("CN")
    # The package fills a year into the object on first use; two threads doing that at once could
    # see a year marked as filled before its holidays are in, and the bot may ask from two threads.
    lock = threading.Lock()

    def base(day: date) -> bool:
        with lock:
            return bool(china.is_working_day(day))

    override = data_dir / WORKDAYS_FILE if data_dir is not None else None
    overrides = load_overrides(override) if override is not None and override.exists() else None
    return WorkCalendar(base, overrides, published_until=_published_until(china))


def _published_until(china: holidays.HolidayBase) -> int | None:
    """The last year with official make-up days in the package's table of special days.

    The table maps a year to one entry or a tuple of entries; a substitution (a weekday off, paid
    for by a weekend day) is ``(to_month, to_day, from_month, from_day[, from_year])``, while
    3-tuples are one-off days off that say nothing about a published schedule.
    """
    table: dict[int, Any] = getattr(china, "special_public_holidays", {})
    years = [year for year, entries in table.items() if _has_substitution(entries)]
    return max(years, default=None)


def _has_substitution(entries: object) -> bool:
    if not isinstance(entries, tuple) or not entries:
        return False
    if not isinstance(entries[0], tuple):
        return len(entries) >= 4  # a single entry, not wrapped in a tuple
    return any(isinstance(entry, tuple) and len(entry) >= 4 for entry in entries)


# --- the override file -----------------------------------------------------------------------


def load_overrides(path: Path) -> Overrides:
    """The dates in ``path``; ``WorkdaysError`` for a file that cannot be read or is wrong."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise WorkdaysError(str(path), f"cannot be read ({reason})") from None
    return parse_overrides(text, str(path))


def parse_overrides(text: str, source: str) -> Overrides:
    """The dates in the TOML ``text`` (named ``source`` in errors)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        problem = message[: found.start()].strip() if found else message
        line = int(found[1]) if found else None
        raise WorkdaysError(source, f"not valid TOML: {problem}", line=line) from None
    for key in data:
        if key not in _KEYS:
            line = _key_line(text, key)
            raise WorkdaysError(source, f"unknown key {key!r}; use holidays and workdays", line=line)
    off = _dates(data, "holidays", text, source)
    worked = _dates(data, "workdays", text, source)
    both = sorted(off & worked)
    if both:
        line = _value_line(text, "workdays", both[0])
        raise WorkdaysError(source, f"{both[0].isoformat()} is in both holidays and workdays", line=line)
    return Overrides(frozenset(off), frozenset(worked))


def _dates(data: dict[str, Any], key: str, text: str, source: str) -> set[date]:
    values = data.get(key, [])
    if not isinstance(values, list):
        raise WorkdaysError(source, f"{key}: must be a list of dates", line=_key_line(text, key))
    days: set[date] = set()
    for value in values:
        day = _date(value)
        if day is None:
            line = _value_line(text, key, value)
            raise WorkdaysError(source, f"{key}: {value!r} is not a date (write YYYY-MM-DD)", line=line)
        days.add(day)
    return days


def _date(value: object) -> date | None:
    if isinstance(value, datetime):  # a TOML date-time: a day is meant, not a moment
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _key_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _value_line(text: str, key: str, value: object) -> int | None:
    """The first line at or after ``key = ...`` that spells ``value`` (lists may span lines)."""
    start = _key_line(text, key)
    if start is None:
        return None
    needle = value.isoformat() if isinstance(value, date) else str(value)
    for number, line in enumerate(text.splitlines()[start - 1 :], start=start):
        if needle in line.split("#", 1)[0]:
            return number
    return start
