"""The itinerary's programme as the client reads it on paper: each row on the day and at the time
the visit's own answers give (the tour typed as "12月4日上午 参观…" is on the 4th, not the arrival
day), and a meal row that says when and where, or that both are still to be confirmed."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.domain.visits import Meals
from tests.documents_support import HOST, SHANGHAI, add_full_visit, add_staff, documents
from tests.support.chat import World
from tests.test_documents import pdf_text

TWO_DAYS = {"departure": datetime(2026, 12, 4, 16, 0, tzinfo=SHANGHAI)}


@pytest.fixture(autouse=True)
def _staff(world: World) -> None:
    add_staff(world)


def itinerary_text(world: World) -> str:
    [itinerary] = documents(world.person(HOST, "林晓", language_code="zh-hans"), "/itinerary 1")
    return pdf_text(itinerary.content)


def test_a_tour_on_the_second_day_is_printed_on_that_day(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hans", tour=("12月4日上午 参观生产线与质检中心",), **TWO_DAYS)
    text = itinerary_text(world)
    assert "12月4日周五上午参观12月4日上午参观生产线与质检中心" in text
    assert "12月3日周四参观" not in text
    # After the first day's meeting and lunch, before the departure on the second day.
    assert text.index("到达公司，欢迎与会谈") < text.index("参观生产线") < text.index("离开公司")


def test_a_tour_with_only_a_time_is_on_the_arrival_day_at_that_time(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hans", tour=("生产车间 15:00",), **TWO_DAYS)
    assert "12月3日周四15:00参观生产车间15:00" in itinerary_text(world)


def test_a_tour_without_a_day_on_a_two_day_visit_names_no_day_it_does_not_know(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hans", tour=("生产车间",), **TWO_DAYS)
    text = itinerary_text(world)
    assert "12月3日周四–12月4日周五参观生产车间时间另行通知" in text


def test_a_meal_row_says_when_and_where_or_that_they_are_to_be_confirmed(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hans", meals=Meals(6, "12:00 午餐"))
    assert "12月3日周四12:00用餐地点另行通知12:00午餐" in itinerary_text(world)


def test_a_meal_not_fixed_yet_says_so(world: World) -> None:
    add_full_visit(world, lead_language="en", meals=Meals(6), **TWO_DAYS)
    [itinerary] = documents(world.person(HOST, "林晓", language_code="zh-hans"), "/itinerary 1")
    text = pdf_text(itinerary.content)
    assert "Meal" in text and "Placetobeconfirmed" in text and "Timetobeconfirmed" in text
