"""Yes or No typed instead of pressing the button of a Yes / No question in /new: the date as the bot
read it ("…对吗？"), and "discard the form?" after /cancel. Anything else typed stays an answer."""

from __future__ import annotations

import pytest

from bot.domain.typed_confirmation import read_confirmation
from tests.support.chat import Person, World
from tests.visit_chat import at_arrival


@pytest.mark.parametrize(("typed", "meant"), [
    ("对", True), ("是", True), ("是的", True), ("好", True), ("好的", True), ("没错", True), ("嗯", True),
    ("對", True), ("对！", True), ("Yes", True), ("y", True), ("OK", True), ("right", True),
    ("correct.", True),
    ("不对", False), ("不是", False), ("错", False), ("不", False), ("不對", False), ("錯", False),
    ("No", False), ("n", False), ("wrong", False),
    ("明天", None), ("对面", None), ("3点", None), ("yesterday", None), ("", None),
])
def test_what_reads_as_yes_or_no(typed: str, meant: bool | None) -> None:
    assert read_confirmation(typed) is meant


def at_arrival_zh(world: World) -> Person:
    return at_arrival(world, "zh-hans")


def at_arrival_en(world: World) -> Person:
    return at_arrival(world, "en")


def test_dui_typed_to_the_date_read_takes_it(world: World) -> None:
    host = at_arrival_zh(world)
    host.send("明天上午10点")
    assert "对吗？" in host.last.text
    host.send("对")
    assert host.last.text.startswith("8/16 "), host.last.text
    answers = world.dispatcher.services.flows.active(host.id).answers
    assert answers["arrival"] == "2026-11-24T10:00:00+08:00"


def test_budui_typed_to_the_date_read_asks_it_again(world: World) -> None:
    host = at_arrival_zh(world)
    host.send("明天上午10点").send("不对")
    assert host.last.text.startswith("7/16 "), host.last.text
    assert "arrival" not in world.dispatcher.services.flows.active(host.id).answers
    host.send("明天下午2点").send("是的")
    assert world.dispatcher.services.flows.active(host.id).answers["arrival"] == "2026-11-24T14:00:00+08:00"


def test_yes_and_no_typed_in_english(world: World) -> None:
    host = at_arrival_en(world)
    host.send("tomorrow 10am").send("no")
    assert host.last.text.startswith("7/16 When do they arrive at the company?"), host.last.text
    host.send("tomorrow 11am").send("yes")
    assert host.last.text.startswith("8/16 When do they leave?"), host.last.text
    assert world.dispatcher.services.flows.active(host.id).answers["arrival"] == "2026-11-24T11:00:00+08:00"


def test_another_date_typed_to_the_date_read_is_read_as_before(world: World) -> None:
    host = at_arrival_en(world)
    host.send("tomorrow 10am").send("tomorrow 11am")
    assert host.last.text.startswith("I read that as Tue 24 Nov 11:00 — correct?")


def test_typed_yes_and_no_answer_discard_the_form(world: World) -> None:
    host = at_arrival_zh(world)
    host.send("/cancel")
    assert "确定放弃吗？" in host.last.text
    host.send("不")
    assert host.last.text.startswith("7/16 "), host.last.text
    host.send("/cancel").send("好的")
    assert host.last.text == "已取消，没有保存任何内容。"
    assert world.dispatcher.services.flows.active(host.id) is None


def test_typed_yes_discards_the_form_in_english(world: World) -> None:
    host = at_arrival_en(world)
    host.send("/cancel").send("y")
    assert host.last.text == "Cancelled; nothing was saved."


def test_typed_yes_and_no_answer_start_another_form(world: World) -> None:
    host = at_arrival_zh(world)
    host.send("/new")
    assert "要放弃它，重新开始吗？" in host.last.text, host.last.text
    host.send("不是")
    assert host.last.text.startswith("7/16 "), host.last.text
    host.send("/new").send("对")
    assert host.messages[-2].text == "已取消，没有保存任何内容。"
    assert host.last.text.startswith("1/"), host.last.text


def test_a_yes_typed_to_a_later_question_is_no_longer_about_another_form(world: World) -> None:
    host = at_arrival_en(world)
    host.send("/new").send("tomorrow 10am").send("yes")  # the date, not "start anew?"
    assert host.last.text.startswith("8/16 When do they leave?"), host.last.text
    host.send("/new").send("yes")
    assert host.messages[-2].text == "Cancelled; nothing was saved."
