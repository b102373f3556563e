"""China's working days: the 2026 schedule as the State Council published it, and the override file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain.workdays import WORKDAYS_FILE, WorkCalendar, WorkdaysError, china_calendar


@pytest.fixture(scope="module")
def china() -> WorkCalendar:
    return china_calendar()


def days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [date.fromordinal(n) for n in range(start.toordinal(), end.toordinal() + 1)]


def test_spring_festival_2026_is_feb_15_to_23_with_two_make_up_saturdays(china: WorkCalendar) -> None:
    assert all(not china.is_working_day(day) for day in days("2026-02-15", "2026-02-23"))
    assert china.is_working_day(date(2026, 2, 13))  # Friday before
    assert china.is_working_day(date(2026, 2, 14))  # Saturday, made up
    assert china.is_working_day(date(2026, 2, 24))  # back on Tuesday
    assert china.is_working_day(date(2026, 2, 28))  # Saturday, made up
    assert not china.is_working_day(date(2026, 3, 1))  # an ordinary Sunday


def test_national_day_2026_is_oct_1_to_7_with_make_up_sep_20_and_oct_10(china: WorkCalendar) -> None:
    assert all(not china.is_working_day(day) for day in days("2026-10-01", "2026-10-07"))
    assert china.is_working_day(date(2026, 9, 20))  # Sunday, made up
    assert not china.is_working_day(date(2026, 9, 25))  # Mid-Autumn Festival (Friday)
    assert china.is_working_day(date(2026, 10, 8))
    assert china.is_working_day(date(2026, 10, 10))  # Saturday, made up
    assert not china.is_working_day(date(2026, 10, 11))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2026-02-13", 1, "2026-02-14"),  # Friday -> the make-up Saturday
        ("2026-02-13", 2, "2026-02-24"),  # ... then over the whole Spring Festival
        ("2026-02-24", -1, "2026-02-14"),
        ("2026-02-24", -2, "2026-02-13"),
        ("2026-02-18", 0, "2026-02-24"),  # 0 on a holiday: the next working day
        ("2026-02-18", -1, "2026-02-14"),  # -1 from inside the holiday: the last working day before
        ("2026-02-24", 0, "2026-02-24"),  # 0 on a working day: itself
        ("2026-09-30", 1, "2026-10-08"),
        ("2026-10-08", -1, "2026-09-30"),
        ("2026-10-09", 1, "2026-10-10"),  # Friday -> the make-up Saturday
        ("2026-10-12", -1, "2026-10-10"),  # Monday after National Day week -> that Saturday
        ("2026-09-18", 1, "2026-09-20"),  # Friday -> the make-up Sunday
        ("2026-12-11", 2, "2026-12-15"),  # an ordinary Friday + 2 -> Tuesday
        ("2026-12-14", -1, "2026-12-11"),  # an ordinary Monday - 1 -> Friday
    ],
)
def test_add_working_days(china: WorkCalendar, start: str, n: int, expected: str) -> None:
    assert china.add_working_days(date.fromisoformat(start), n) == date.fromisoformat(expected)


def test_2026_is_published_and_later_years_are_estimates(china: WorkCalendar) -> None:
    assert china.published_until == 2026
    assert not china.is_estimated(2026)
    assert china.is_estimated(2027)


def test_the_override_file_wins_over_the_package(tmp_path: Path) -> None:
    (tmp_path / WORKDAYS_FILE).write_text(
        '# made up for the test\nholidays = ["2031-03-05"]\nworkdays = [2031-03-08]\n', encoding="utf-8"
    )
    plain, corrected = china_calendar(), china_calendar(tmp_path)
    assert plain.is_working_day(date(2031, 3, 5)) and not plain.is_working_day(date(2031, 3, 8))
    assert not corrected.is_working_day(date(2031, 3, 5))  # a Wednesday off
    assert corrected.is_working_day(date(2031, 3, 8))  # a Saturday worked
    assert corrected.add_working_days(date(2031, 3, 4), 1) == date(2031, 3, 6)
    assert corrected.add_working_days(date(2031, 3, 7), 1) == date(2031, 3, 8)
    assert not corrected.is_estimated(2031)


@pytest.mark.parametrize(
    ("text", "line", "says"),
    [
        ('holidays = [\n  "2031-03-05",\n  "2031-02-30",\n]\n', 3, "holidays: '2031-02-30' is not a date"),
        ('holidays = ["5 March"]\n', 1, "'5 March' is not a date"),
        ("workdays = [2031-03-08T09:00:00]\n", 1, "is not a date"),
        ('holiday = ["2031-03-05"]\n', 1, "unknown key 'holiday'"),
        ('holidays = "2031-03-05"\n', 1, "holidays: must be a list of dates"),
        ('holidays = ["2031-03-08"]\n\nworkdays = ["2031-03-08"]\n', 3, "2031-03-08 is in both"),
        ('holidays = ["2031-03-05"]\nworkdays = [2031-03-08 oops]\n', 2, "not valid TOML"),
    ],
)
def test_a_bad_override_file_names_file_line_and_value(
    tmp_path: Path, text: str, line: int, says: str
) -> None:
    path = tmp_path / WORKDAYS_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(WorkdaysError) as caught:
        china_calendar(tmp_path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"Working-days file {path}, line {line}: ")
    assert says in str(caught.value)
