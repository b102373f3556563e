"""The flow engine, through the core, with a small flow declared here: every kind of step, Back,
Skip, a bad answer at each kind, the review card's Edit, Cancel, expired buttons and a restart."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.context import Context
from bot.flows.model import Answers, Choice, Flow, Kind, Step
from tests.support.chat import World

SAVED: list[Answers] = []


def _save(ctx: Context, answers: Answers) -> None:
    SAVED.append(answers)
    ctx.show("saved")


def _after_arrival(ctx: Context, value: Any, answers: Answers) -> str | None:
    if "arrival" in answers and datetime.fromisoformat(value) <= datetime.fromisoformat(answers["arrival"]):
        return ctx.t("flow.date_past")
    return None


DEMO = Flow(
    name="demo",
    title="demo.title",
    steps=(
        Step("company", Kind.TEXT, "demo.company?", "demo.company"),
        Step("cls", Kind.CHOICE, "demo.cls?", "demo.cls",
             choices=(Choice("A", "Class A", literal=True), Choice("B", "Class B", literal=True))),
        Step("purposes", Kind.MULTI, "demo.purposes?", "demo.purposes", free_text=True,
             choices=(Choice("tour", "Tour", literal=True), Choice("talks", "Talks", literal=True))),
        Step("guests", Kind.NUMBER, "demo.guests?", "demo.guests", minimum=1, maximum=50),
        Step("lodging", Kind.YES_NO, "demo.lodging?", "demo.lodging"),
        Step("hotel", Kind.TEXT, "demo.hotel?", "demo.hotel", optional=True,
             skip_if=lambda answers: not answers.get("lodging")),
        Step("arrival", Kind.DATETIME, "demo.arrival?", "demo.arrival"),
        Step("departure", Kind.DATETIME, "demo.departure?", "demo.departure", check=_after_arrival),
        Step("note", Kind.TEXT, "demo.note?", "demo.note", optional=True),
    ),
    on_save=_save,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    SAVED.clear()
    # Monday 2026-11-23 09:00 in Shanghai.
    created = World(tmp_path / "data", flows={"demo": DEMO})
    created.clock.current = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    yield created
    created.db.close()


def host(world: World, language: str = "en") -> Any:
    return world.person(1, "Lin", language_code=language).send("/start").start_flow("demo")


def test_a_whole_flow_with_every_kind_of_step(world: World) -> None:
    me = host(world)
    assert me.last.text == "1/8 demo.company?"
    me.send("华为 <Huawei>")
    assert me.last.text.startswith("2/8 demo.cls?")
    me.press("Class A")
    me.press("Tour").send("factory lunch").press("Done")
    me.send("5人")
    me.press("Yes")
    assert me.last.text.startswith("6/9 demo.hotel?")
    me.send("Shangri-La")
    me.send("明天下午3点")
    assert "I read that as Tue 24 Nov 15:00 — correct?" in me.last.text
    me.press("Correct")
    me.send("Nov 25 5pm").press("Correct")
    me.press("Skip")
    card = me.last.text
    assert "demo.company: 华为 <Huawei>" in card
    assert "demo.cls: Class A" in card
    assert "demo.purposes: Tour, factory lunch" in card
    assert "demo.arrival: Tue 24 Nov 15:00" in card
    assert "demo.note: (skipped)" in card
    me.press("Save")
    assert SAVED == [{
        "company": "华为 <Huawei>", "cls": "A", "purposes": ["tour", "factory lunch"], "guests": 5,
        "lodging": True, "hotel": "Shangri-La", "arrival": "2026-11-24T15:00:00+08:00",
        "departure": "2026-11-25T17:00:00+08:00",
    }]


def test_bad_answers_get_a_specific_hint_and_the_same_question(world: World) -> None:
    me = host(world)
    me.send("Acme")
    me.send("Class Z")
    assert me.messages[-2].text == "Please press one of the buttons below (or type its text)."
    assert me.last.text.startswith("2/8 demo.cls?")
    me.send("class b")  # typing a button's text works too
    me.press("Done")
    assert world.toasts[-1] == "Please choose at least one."
    me.press("Talks").press("Done")
    me.send("many")
    assert me.messages[-2].text == "Please type a number, for example 3."
    me.send("80")
    assert me.messages[-2].text == "Please type a number from 1 to 50."
    me.send("3")
    me.send("maybe")
    assert me.messages[-2].text == "Please answer yes or no, or press a button below."
    me.send("no")
    assert me.last.text.startswith("6/8 demo.arrival?")  # no lodging: the hotel step is gone
    me.send("gibberish o'clock")
    assert me.messages[-2].text.startswith("I could not read that date.")
    me.send("tomorrow 25:00")
    assert me.messages[-2].text.startswith("I could not read that time.")
    me.send("yesterday 3pm")
    assert me.messages[-2].text == "That time is already past. Please give a time in the future."
    me.send("x" * 1001)
    assert me.messages[-2].text.startswith("That text has 1001 characters, over the limit of 1000.")
    assert me.last.text.startswith("6/8 demo.arrival?")


def test_a_date_without_time_asks_for_the_time(world: World) -> None:
    me = host(world, "zh-hans")
    me.send("Acme").press("Class A").press("Tour").press("✔").send("2").press("否")
    me.send("12月5日")
    assert me.last.text == "12月5日 周六 的几点？例如：10:00、下午3点。"
    me.send("下午三点半")
    assert me.last.text.startswith("我理解为：12月5日 周六 15:30 — 对吗？")
    me.press("对")
    me.press("明天")
    assert me.last.text.startswith("11月24日 周二 的几点？")
    me.send("10:00")
    me.press("对")
    assert me.messages[-2].text == "这个时间已经过去了。请输入一个将来的时间。"  # departure before arrival


def test_a_count_is_read_with_the_word_typed_after_it(world: World) -> None:
    me = host(world)
    me.send("Acme").press("Class A").press("Tour").press("Done")
    flows = world.dispatcher.services.flows
    for typed, count in (("4 people", 4), ("3人", 3), ("三位", 3), ("12 guests", 12), ("2 pax", 2)):
        me.send(typed)
        assert me.last.text.startswith("5/8 demo.lodging?"), typed
        assert flows.active(me.id).answers["guests"] == count
        me.press("Back")
    me.send("4 dogs")
    assert me.messages[-2].text == "Please type a number, for example 3."


def to_arrival(world: World, language: str = "zh-hans") -> Any:
    me = host(world, language)
    me.send("Acme").send("Class A").send("Tour").press("✔" if language == "zh-hans" else "Done")
    return me.send("2").send("no")


def test_a_part_of_the_day_given_with_the_day_decides_a_bare_hour(world: World) -> None:
    me = to_arrival(world)
    me.send("明天下午")
    assert me.last.text == "11月24日 周二 的几点？例如：10:00、下午3点。"
    me.send("3点")
    assert me.last.text.startswith("我理解为：11月24日 周二 15:00 — 对吗？")
    me.press("对")
    assert me.last.text.startswith("7/8 demo.departure?")


def test_a_bare_hour_nothing_decides_is_asked_morning_or_afternoon(world: World) -> None:
    me = to_arrival(world)
    me.send("明天3点")
    assert me.last.text == "「明天3点」是上午还是下午？"
    assert [b.label for row in me.last.buttons for b in row] == ["上午 · 11月24日 周二 03:00",
                                                                 "下午 · 11月24日 周二 15:00"]
    me.press("下午")
    assert me.last.text.startswith("7/8 demo.departure?")
    me.press("明天")  # the button, then a bare hour: the same question, on that day
    me.send("5点")
    assert me.last.text == "「5点」是上午还是下午？"
    me.send("下午5点")  # typed instead of pressed: still on the day the button chose
    assert me.last.text.startswith("我理解为：11月24日 周二 17:00")
    me.press("对").press("跳过").press("保存")
    assert SAVED[-1]["arrival"] == "2026-11-24T15:00:00+08:00"
    assert SAVED[-1]["departure"] == "2026-11-24T17:00:00+08:00"


def test_a_bare_hour_whose_morning_has_passed_is_the_afternoon(world: World) -> None:
    me = to_arrival(world, "en")
    me.send("today at 3")  # Monday 09:00: 03:00 has gone, so no question
    assert me.last.text.startswith("I read that as Mon 23 Nov 15:00 — correct?")
    me.press("No, let me retype")
    me.send("at 9:30")  # 09:30 today or 21:30 today
    assert me.last.text == "“at 9:30”: morning or afternoon?"
    assert [b.label for row in me.last.buttons for b in row] == ["Morning · Mon 23 Nov 09:30",
                                                                 "Evening · Mon 23 Nov 21:30"]
    me.press("Evening")
    assert me.last.text.startswith("7/8 demo.departure?")


def test_back_returns_to_the_previous_step_keeping_answers(world: World) -> None:
    me = host(world)
    me.send("Acme").press("Class B")
    me.press("Back")
    assert me.last.text.startswith("2/8 demo.cls?")
    me.press("Back")
    assert me.last.text.startswith("1/8 demo.company?")
    me.send("Acme Ltd")
    assert me.last.text.startswith("2/8 demo.cls?")


def test_edit_from_the_review_card_returns_to_the_card(world: World) -> None:
    me = host(world)
    me.send("Acme").press("Class A").press("Tour").press("Done").send("2").press("No")
    me.send("tomorrow 10am").press("Correct").send("tomorrow 6pm").press("Correct").press("Skip")
    me.press("✏️ demo.guests")
    assert me.last.text.startswith("4/8 demo.guests?")
    me.send("7")
    assert "demo.guests: 7" in me.last.text
    me.press("✏️ demo.lodging").press("Yes")
    # The edit opened a step that did not apply before: it is asked, then the card comes back.
    assert me.last.text.startswith("6/9 demo.hotel?")
    me.send("Hilton")
    assert "demo.hotel: Hilton" in me.last.text
    me.press("Save")
    assert SAVED[0]["guests"] == 7 and SAVED[0]["hotel"] == "Hilton"


def test_cancel_asks_once_three_answers_are_given(world: World) -> None:
    me = host(world)
    me.send("Acme").send("/cancel")
    assert me.last.text == "Cancelled; nothing was saved."
    me.start_flow("demo").send("Acme").press("Class A").press("Tour").press("Done")
    me.send("/cancel")
    assert me.last.text == "You have given 3 answers. Discard them?"
    me.press("No, keep going")
    assert me.last.text.startswith("4/8 demo.guests?")
    me.send("/cancel").press("Yes, discard")
    assert me.last.text == "Cancelled; nothing was saved."
    me.send("hello")
    assert me.last.text.startswith("Sorry, I did not understand that.")


def test_a_restart_in_the_middle_resumes_at_the_same_step(world: World) -> None:
    me = host(world)
    me.send("Acme").press("Class A")
    old_buttons = me.last
    world.restart()
    me.press("Talks", message=old_buttons)  # a button from before the restart still works
    me.press("Done")
    world.restart()
    me.send("4")
    assert me.last.text.startswith("5/8 demo.lodging?")


def test_a_button_from_an_older_form_is_expired_and_shows_where_you_were(world: World) -> None:
    me = host(world)
    me.send("Acme")
    stale = me.last
    me.start_flow("demo").send("Other Co")
    me.press("Class A", message=stale)
    assert world.toasts[-1] == "This form has expired."
    assert me.messages[-2].text.startswith("That button belongs to a form that has expired.")
    assert me.last.text.startswith("2/8 demo.cls?")


def test_a_date_in_another_year_is_echoed_with_its_year(world: World) -> None:
    me = to_arrival(world)
    me.send("1月5日下午3点")
    assert me.last.text.startswith("我理解为：2027年1月5日 周二 15:00 — 对吗？")
    me.press("✖")
    me.send("12月5日下午3点")  # this year's: no year
    assert me.last.text.startswith("我理解为：12月5日 周六 15:00 — 对吗？")


def test_a_day_in_another_year_is_asked_about_with_its_year(world: World) -> None:
    me = to_arrival(world, "en")
    me.send("Jan 5")
    assert me.last.text.startswith("At what time on Tue 5 Jan 2027?")
