"""Counts and money typed in /new as a busy host types them: in words (two people, a dozen, 十二人,
一千二), with yuan signs (¥300, 300元, RMB 300, 1,200 yuan) read; a sum in dollars, a decimal and
a range said and asked again, never stored as a guess."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.programme import VisitDays, read_meal, read_stay
from bot.domain.typed_numbers import NumberMistake, TypedNumber, read_number
from tests.support.chat import Person, World
from tests.visit_chat import at_visitors, by_car_skipping, lin_at_transport


@pytest.mark.parametrize(("typed", "number"), [
    ("3", 3), ("两位", 2), ("兩間", 2), ("十二人", 12), ("一百二十", 120), ("一千二", 1200),
    ("一千零二", 1002), ("三百五", 350), ("two people", 2), ("three rooms", 3), ("a dozen", 12),
    ("twenty-five", 25),
    ("one hundred and twenty", 120), ("¥300", 300), ("300元", 300), ("300 yuan", 300), ("RMB 300", 300),
    ("1,200", 1200), ("¥1,200元", 1200), ("五十塊", 50), ("0", 0), ("80元/人", 80), ("每人80元", 80),
    ("600 a night", 600), ("2万", 20000), ("1.5万元", 15000), ("3千", 3000), ("5k", 5000),
    ("1 200", 1200), ("¥12 000", 12000), ("1\u00a0200 yuan", 1200), ("1 000 000", 1000000),
])
def test_a_number_as_people_type_it(typed: str, number: int) -> None:
    assert read_number(typed).number == number


@pytest.mark.parametrize(("typed", "mistake"), [
    ("$300", "dollars"), ("US$ 50", "dollars"), ("50 dollars", "dollars"), ("100美元", "dollars"),
    ("2.5", "not_whole"), ("1,2", "not_whole"), ("3-4", "range"), ("3到4", "range"),
    ("two or three", "range"), ("one two", "unreadable"), ("十十", "unreadable"), ("二三十", "unreadable"),
    ("1 20", "spaced"), ("1 2000", "spaced"), ("2 nights", "unreadable"), ("2桌", "unreadable"),
    ("1,200.50", "not_whole"),
])
def test_what_is_no_number_we_take(typed: str, mistake: NumberMistake) -> None:
    assert read_number(typed) == TypedNumber(None, mistake)


def _at_rooms_in_english(world: World) -> Person:
    host = lin_at_transport(world, departure="day after tomorrow 5pm", language_code="en")
    by_car_skipping(host, 5)
    host.send("yes").send("Hilton").press("the guests").send("2 nights")
    assert host.last.text.startswith("20/22 How many rooms?")
    return host


def test_counts_in_words_and_money_with_its_signs_in_english(world: World) -> None:
    host = _at_rooms_in_english(world)
    host.send("2.5")
    assert host.messages[-2].text.startswith("“2.5” is not a whole number.")
    assert host.last.text.startswith("20/22 How many rooms?")
    host.send("two rooms")
    assert host.last.text.startswith("21/22 The rate per room and night?")
    host.send("$300")
    assert host.messages[-2].text.startswith("“$300”: amounts are in yuan (¥)")
    assert host.last.text.startswith("21/22 The rate per room and night?")
    host.send("1,200 yuan")
    host.send("3-4")
    assert host.messages[-2].text.startswith("“3-4” is a range. Please type one number")
    host.send("a dozen")
    answers = world.dispatcher.services.flows.active(host.id).answers
    assert (answers["rooms"], answers["room_rate"], answers["meals"]) == (2, 1200, 12)


def test_counts_in_chinese_numerals_and_money_in_yuan(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    by_car_skipping(host, 5)
    host.send("是").send("君悅酒店").press("客戶自理").press("跳過 ▶")
    host.send("三間")
    host.send("$300")
    assert host.messages[-2].text.startswith("「$300」：金額以人民幣（元）計")
    assert "房價" in host.last.text
    host.send("一千二百元")
    host.send("十二人")
    answers = world.dispatcher.services.flows.active(host.id).answers
    assert (answers["rooms"], answers["room_rate"], answers["meals"]) == (3, 1200, 12)


@pytest.mark.parametrize(("line", "covers", "per_person"), [
    ("明天 午餐 12:00 餐厅 六人 150元", 6, 150), ("明天 晚餐 18:00 酒店 十二人 ¥1,200", 12, 1200),
    ("明天午餐 餐厅 两位 一百五十元", 2, 150), ("tomorrow lunch 12:00 canteen two people 150 yuan", 2, 150),
    ("Day 2 12:30 lunch, canteen, 8 people, 150 yuan", 8, 150),
])
def test_covers_and_standard_of_a_meal_line_as_typed(line: str, covers: int, per_person: int) -> None:
    meal, problem = read_meal(line, VisitDays(date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 23)))
    assert problem == "" and meal is not None
    assert (meal.count, meal.per_person, meal.place) == (covers, per_person, meal.place.strip())
    assert not any(char.isdigit() for char in meal.place) and "people" not in meal.place


def test_a_meal_standard_in_dollars_is_asked_again(world: World) -> None:
    host = _at_rooms_in_english(world)
    host.send("2").send("300").send("8")
    assert host.last.text.startswith("23/25 Each meal on a line")
    host.send("tomorrow lunch 12:00 canteen 8 people $20")
    assert host.messages[-2].text.startswith("Line 1: amounts are in yuan (¥)")
    assert host.last.text.startswith("23/25 Each meal on a line")
    host.send("tomorrow lunch 12:00 canteen eight people 150 yuan")
    assert host.last.text.startswith("24/25 ")


def test_a_meal_line_in_chinese_numerals(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    by_car_skipping(host, 5)
    host.send("否").send("六")
    host.send("明天 午餐 12:00 公司餐廳 六人 20美元")
    assert host.messages[-2].text.startswith("第 1 行：金額以人民幣（元）計")
    host.send("明天 午餐 12:00 公司餐廳 六人 一百五十元")
    host.press("跳過 ▶").press("跳過 ▶")
    assert "午餐 12:00 公司餐廳 · 6 人 · 150 元/人" in host.last.text  # the card, read before Save


def test_a_head_count_in_words_is_no_visitor(world: World) -> None:
    host = at_visitors(world, "en")
    host.send("Anna Schmidt, two guests")
    assert host.messages[-2].text.startswith("“two guests” is a number of people, not a name")
    assert "Anna Schmidt" in host.last.text and host.last.text.startswith("4/16 Who is visiting?")


def test_a_stay_in_nights_written_in_words(world: World) -> None:
    host = _at_rooms_in_english(world)
    host.press("◀ Back")
    assert host.last.text.startswith("19/22 Check-in and check-out?")
    host.send("two nights")
    assert host.last.text.startswith("20/22 How many rooms?")


@pytest.mark.parametrize(("typed", "nights"), [("十二晚", 12), ("兩晚", 2), ("two nights", 2),
                                               ("a night", 1)])
def test_nights_of_a_stay_as_typed(typed: str, nights: int) -> None:
    stay = read_stay(typed, VisitDays(date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 23)))
    assert stay is not None and (stay[1] - stay[0]).days == nights


@pytest.mark.parametrize(("line", "covers", "place"), [
    ("明天 午餐 12:00 三人行餐厅 六人 150元", 6, "三人行餐厅"), ("明天 午餐 3人行餐厅 8人", 8, "3人行餐厅"),
    ("明天 晚餐 三人行餐厅", 0, "三人行餐厅"), ("明天 晚餐 餐厅 三人", 3, "餐厅"),
    ("明天午餐三人 食堂", 3, "食堂"), ("明天 午餐 食堂 六人一百五十元", 6, "食堂"),
    ("明天 午餐 十人桌 8人", 8, "十人桌"),
])
def test_a_counting_word_glued_to_a_name_is_no_count(line: str, covers: int, place: str) -> None:
    meal, problem = read_meal(line, VisitDays(date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 23)))
    assert problem == "" and meal is not None
    assert (meal.count, meal.place.strip()) == (covers, place)


def test_a_restaurant_named_with_a_number_keeps_its_name_and_the_count_typed(world: World) -> None:
    host = lin_at_transport(world, departure="後天下午5點")
    by_car_skipping(host, 5)
    host.send("否").send("六")
    host.send("明天 午餐 12:00 三人行餐廳 六人 一百五十元")
    host.press("跳過 ▶").press("跳過 ▶")
    assert "午餐 12:00 三人行餐廳 · 6 人 · 150 元/人" in host.last.text  # the card, read before Save


def test_a_thousands_space_is_read_as_grouping(world: World) -> None:
    host = _at_rooms_in_english(world)
    host.send("2").send("1 200")
    assert host.last.text.startswith("22/22 "), host.last.text
    host.press("◀ Back").send("1 20")
    assert host.messages[-2].text.startswith("“1 20” has a space between its digits.")
    assert world.dispatcher.services.flows.active(host.id).answers["room_rate"] == 1200
