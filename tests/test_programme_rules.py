"""Reading the programme's lines: the day, the time, what is left; meals with their figures; stays."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.domain.programme import VisitDays, read_line, read_meals, read_slots, read_stay
from bot.domain.visits import Meal, Slot

# A visit on Thursday 3 and Friday 4 December 2026, typed on Monday 30 November.
DAYS = VisitDays(date(2026, 12, 3), date(2026, 12, 4), date(2026, 11, 30))
THU, FRI = date(2026, 12, 3), date(2026, 12, 4)


@pytest.mark.parametrize(("line", "day", "start", "end", "rest"), [
    ("12月3日 14:00-15:30 生产车间", THU, time(14), time(15, 30), "生产车间"),
    ("第二天 上午9点 技术交流", FRI, time(9), None, "技术交流"),
    ("下午2点到4点 质检中心", None, time(14), time(16), "质检中心"),  # no day: the caller's first
    ("週五 下午3點半 展廳", FRI, time(15, 30), None, "展廳"),
    ("12/4 9:00 工厂", FRI, time(9), None, "工厂"),
    ("Day 2 10am-11:30am showroom", FRI, time(10), time(11, 30), "showroom"),
    ("4 Dec 3pm lab, building B", FRI, time(15), None, "lab, building B"),
    ("Friday noon canteen", FRI, None, None, "noon canteen"),
    ("参观生产线", None, None, None, "参观生产线"),
])
def test_a_line_gives_its_day_its_times_and_the_rest(
        line: str, day: date | None, start: time | None, end: time | None, rest: str) -> None:
    reading = read_line(line, DAYS)
    assert (reading.day, reading.start, reading.end, reading.rest) == (day, start, end, rest)
    assert reading.problem == ""


def test_a_day_that_does_not_exist_or_is_not_the_visits_is_a_problem() -> None:
    assert read_line("2月30日 参观", DAYS).problem == "no_day"
    assert read_line("12月9日 参观", DAYS).problem == "outside"
    assert read_line("周一 参观", DAYS).problem == "outside"  # the visit has no Monday


def test_tours_with_times_are_slots_and_tours_without_wait_for_the_day() -> None:
    slots, loose, problems = read_slots("第二天 10:00 研发中心\n12月3日 14:00-15:30 生产车间；参观仓库", DAYS)
    assert slots == [Slot(THU, time(14), time(15, 30), "生产车间"), Slot(FRI, time(10), None, "研发中心")]
    assert loose == ["参观仓库"] and problems == []
    assert read_slots("12月3日 生产车间\n12月9日 仓库", DAYS)[2] == [(2, "outside")]


def test_meals_with_their_kind_time_place_covers_and_standard() -> None:
    meals, problems = read_meals(
        "12月3日 午餐 12:00 公司餐厅 6人 120元\n12月3日 晚宴 18:30 香格里拉 8人 ¥300/人\n"
        "Day 2 12:30 canteen, 5 people, 150 yuan\n第二天 工作餐", DAYS)
    assert problems == []
    assert meals == [Meal(THU, "lunch", time(12), "公司餐厅", 6, 120.0),
                     Meal(THU, "dinner", time(18, 30), "香格里拉", 8, 300.0),
                     Meal(FRI, "lunch", None, "", 0, None),  # 工作餐 with no time: sorted at noon
                     Meal(FRI, "lunch", time(12, 30), "canteen", 5, 150.0)]
    assert read_meals("随便", DAYS)[0][0].place == "随便"
    assert read_meals("12月9日 午餐", DAYS)[1] == [(1, "outside")]


@pytest.mark.parametrize(("text", "stay"), [
    ("12月2日-12月4日", (date(2026, 12, 2), FRI)),
    ("12月2日至4日", (date(2026, 12, 2), FRI)),
    ("2晚", (THU, date(2026, 12, 5))),
    ("12月2日 3晚", (date(2026, 12, 2), date(2026, 12, 5))),
    ("2 Dec - 4 Dec", (date(2026, 12, 2), FRI)),
    ("12月4日-12月2日", None),
    ("看情况", None),
])
def test_a_stay_from_dates_or_nights(text: str, stay: tuple[date, date] | None) -> None:
    assert read_stay(text, DAYS) == stay


def test_a_stay_by_weekdays_may_begin_before_the_visit_and_ends_after_it_begins() -> None:
    assert read_stay("周三-周六", DAYS) == (date(2026, 12, 2), date(2026, 12, 5))
    assert read_stay("Thu - Sat", DAYS) == (THU, date(2026, 12, 5))
