"""Finding the day and time a plan typed as free text gives (the tour, the meals), within the visit."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.times_in_text import Stated, stated_when

TZ = ZoneInfo("Asia/Shanghai")
TYPED = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)  # a Monday
ARRIVAL, DEPARTURE = datetime(2026, 12, 3, 10, 0, tzinfo=TZ), datetime(2026, 12, 4, 16, 0, tzinfo=TZ)
THURSDAY, FRIDAY = date(2026, 12, 3), date(2026, 12, 4)


def at(day: date, hour: int, minute: int = 0) -> Stated:
    return Stated(day, at=datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ))


@pytest.mark.parametrize(("text", "expected"), [
    ("12月4日上午 参观生产线与质检中心", Stated(FRIDAY, part="morning")),
    ("12月4日上午参观", Stated(FRIDAY, part="morning")),
    ("參觀廠房 12月4日下午3點", at(FRIDAY, 15)),
    ("周五上午参观展厅", Stated(FRIDAY, part="morning")),
    ("生产车间 15:00", at(THURSDAY, 15)),  # a time alone: the arrival day
    ("生产线与质检中心（11:30-12:00）", at(THURSDAY, 11, 30)),  # a range: its start
    ("12:00 午餐", at(THURSDAY, 12)),
    ("参观 3点", at(THURSDAY, 15)),  # 3 a.m. is no time for a tour within the visit's hours
    ("中午在食堂", at(THURSDAY, 12)),  # 中午 alone is noon
    ("plant tour on Dec 4 at 3pm", at(FRIDAY, 15)),
    ("Dec 4, 10am: plant", at(FRIDAY, 10)),
    ("factory tour 3pm", at(THURSDAY, 15)),
    ("visit the lab Friday morning", Stated(FRIDAY, part="morning")),
    ("生产车间", None),
    ("monitor room", None),
    ("一位不吃猪肉，一位不吃辣", None),
    ("明天下午参观", None),  # 1 December, counted from when it was typed: not a day of the visit
    ("12月5日上午", None),
])
def test_the_day_a_plan_gives(text: str, expected: Stated | None) -> None:
    assert stated_when(text, typed_at=TYPED, tz=TZ, start=ARRIVAL, end=DEPARTURE) == expected
