"""One reading of a typed Yes or No at every yes / no question: a step of the form ("does the guest
need lodging?") takes the words a confirmation ("…对吗？", "discard the form?") takes, and the
other way round; anything else gets the hint and the question again."""

from __future__ import annotations

import pytest

from bot.domain.typed_confirmation import read_confirmation
from tests.support.chat import Person, World


@pytest.mark.parametrize(("typed", "meant"), [
    ("嗯", True), ("好的", True), ("没错", True), ("沒錯", True), ("對的", True), ("Yes.", True),
    ("好的，谢谢", True), ("yes please", True),
    ("不用", False), ("不用了", False), ("不用了，謝謝", False), ("No.", False), ("no thanks", False),
    ("不對", False), ("", None), ("thanks", None), ("也许", None), ("maybe", None),
])
def test_a_yes_or_no_reads_the_same_at_every_question(typed: str, meant: bool | None) -> None:
    assert read_confirmation(typed) is meant
    assert read_confirmation(typed, need=True) is meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("要", True), ("需要", True), ("有", True), ("1", True),
    ("不要", False), ("不需要", False), ("没有", False), ("沒有", False), ("无", False), ("無", False),
    ("0", False),
])
def test_whether_something_is_needed_is_answered_at_form_steps_only(typed: str, meant: bool) -> None:
    assert read_confirmation(typed, need=True) is meant
    assert read_confirmation(typed) is None  # "有" to "discard the form?" would be a guess


def at_lodging_zh(world: World) -> Person:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("王明").press("✔ 选好了").press("C类").press("商务洽谈").press("✔ 选好了")
    host.send("明天上午10点").send("嗯").send("明天下午4点").send("好的")
    host.press("跳过").press("✔ 选好了").press("跳过")  # travel, team, executives
    host.send("301").press("✔ 选好了").press("跳过")  # room, extras, tour
    assert host.last.text == "15/16 需要安排住宿吗？", host.last.text
    return host


def at_lodging_en(world: World) -> Person:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Huawei").press("New client: Huawei").press("China").press("Skip ▶")
    host.send("Anna Schmidt").press("✔ Done").send("Class C")
    host.send("Business negotiation").press("✔ Done")
    host.send("tomorrow 10am").send("Yes.").send("tomorrow 4pm").send("sure")
    host.press("Skip ▶").press("✔ Done").press("Skip ▶")  # travel, team, executives
    host.send("301").press("✔ Done").press("Skip ▶")  # room, extras, tour
    assert host.last.text == "15/16 Do they need lodging?", host.last.text
    return host


def answers(world: World, host: Person) -> dict[str, object]:
    return dict(world.dispatcher.services.flows.active(host.id).answers)


@pytest.mark.parametrize("typed", ["嗯", "好的", "没错", "要"])
def test_a_yes_typed_at_the_lodging_question_asks_the_hotel(world: World, typed: str) -> None:
    host = at_lodging_zh(world)
    host.send(typed)
    assert host.last.text == "16/21 住哪家酒店？"
    assert answers(world, host)["lodging"] is True


@pytest.mark.parametrize("typed", ["不用了", "不用", "不需要", "没有", "不用了，谢谢"])
def test_a_no_typed_at_the_lodging_question_goes_on_to_the_meals(world: World, typed: str) -> None:
    host = at_lodging_zh(world)
    host.send(typed)
    assert host.last.text.startswith("16/16 "), host.last.text
    assert answers(world, host)["lodging"] is False


def test_yes_and_no_typed_with_a_full_stop_answer_the_lodging_question_in_english(world: World) -> None:
    host = at_lodging_en(world)
    host.send("Yes.")
    assert host.last.text == "16/21 Which hotel?"
    host.press("◀ Back").send("No.")
    assert host.last.text.startswith("16/16 Meals for how many people?"), host.last.text
    assert answers(world, host)["lodging"] is False


@pytest.mark.parametrize("typed", ["也许", "看情况", "明天"])
def test_anything_else_at_the_lodging_question_gets_the_hint_and_the_question(world: World,
                                                                              typed: str) -> None:
    host = at_lodging_zh(world)
    host.send(typed)
    assert host.messages[-2].text == "请回答“是”或“否”，或点击下面的按钮。"
    assert host.last.text == "15/16 需要安排住宿吗？"
    assert "lodging" not in answers(world, host)


def test_anything_else_at_the_lodging_question_in_english(world: World) -> None:
    host = at_lodging_en(world)
    host.send("maybe")
    assert host.messages[-2].text == "Please answer yes or no, or press a button below."
    assert host.last.text == "15/16 Do they need lodging?"


def test_buyongle_keeps_the_form_and_haode_discards_it(world: World) -> None:
    host = at_lodging_zh(world)
    host.send("/cancel")
    assert "确定放弃吗？" in host.last.text, host.last.text
    host.send("不用了")
    assert host.messages[-2].text == "好的，我们继续。"
    assert host.last.text == "15/16 需要安排住宿吗？"
    host.send("/cancel").send("嗯")
    assert host.last.text == "已取消，没有保存任何内容。"
    assert world.dispatcher.services.flows.active(host.id) is None


def test_a_need_word_at_discard_the_form_is_not_a_yes(world: World) -> None:
    host = at_lodging_zh(world)
    host.send("/cancel").send("有")  # not "yes, discard": the lodging question's answer
    assert host.last.text == "16/21 住哪家酒店？"
    assert answers(world, host)["lodging"] is True


def test_yes_with_a_full_stop_discards_the_form_in_english(world: World) -> None:
    host = at_lodging_en(world)
    host.send("/cancel").send("No thanks")
    assert host.last.text == "15/16 Do they need lodging?"
    host.send("/cancel").send("Yes.")
    assert host.last.text == "Cancelled; nothing was saved."


def test_buyongle_typed_at_the_date_read_asks_the_date_again(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("王明").press("✔ 选好了").press("C类").press("商务洽谈").press("✔ 选好了")
    host.send("明天上午10点").send("不用了")
    assert host.messages[-2].text.startswith("我理解为：11月24日 周二 10:00"), host.messages[-2].text
    assert host.last.text.startswith("7/16 "), host.last.text
    host.send("明天上午11点").send("也许")  # neither: read as the date, which it is not
    assert host.messages[-2].text.startswith("我没有读懂这个日期。")
    assert host.last.text.startswith("7/16 "), host.last.text
    assert "arrival" not in answers(world, host)


def test_buyongle_or_meiyou_with_a_full_stop_skips_an_optional_question(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("王明").press("✔ 选好了").press("C类").press("商务洽谈").press("✔ 选好了")
    host.send("明天上午10点").send("嗯").send("明天下午4点").send("好的")
    host.send("不用了")  # how do they travel here?
    assert host.last.text.startswith("10/16 "), host.last.text
    host.press("✔ 选好了").press("跳过").send("没有。")  # team, executives; the meeting room
    assert host.last.text.startswith("13/16 "), host.last.text
    answers_given = answers(world, host)
    assert "travel" not in answers_given and "room" not in answers_given


def test_traditional_forms_answer_the_date_read_and_the_lodging_question(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-tw").send("/start")
    host.send("/new").send("华为").press("新客戶：华为").press("中國").press("跳過")
    host.send("王明").press("C類").press("商務洽談").press("✔ 選好了")
    host.send("明天上午10點").send("沒錯").send("明天下午4點").send("對的")
    host.press("跳過").press("✔ 選好了").press("跳過").send("301").press("✔ 選好了").press("跳過")
    assert host.last.text == "15/16 需要安排住宿嗎？"
    host.send("不用了，謝謝")
    assert host.last.text.startswith("16/16 "), host.last.text
    assert answers(world, host)["lodging"] is False


def test_a_yes_typed_after_something_else_does_not_discard_the_form(world: World) -> None:
    """/cancel asks "discard the form?"; the host looks something up instead (/help, /today) and
    later types 好的 to something else: the form stays, and 好的 is read as the open question's
    answer. The Discard button on the old question still discards."""
    host = at_lodging_zh(world)
    host.send("/cancel")
    asked = host.last
    assert "确定放弃吗？" in asked.text, asked.text
    host.send("/help").send("/today").send("好的")
    assert world.dispatcher.services.flows.active(host.id) is not None
    assert host.last.text == "16/21 住哪家酒店？"  # 好的: yes, they need lodging
    host.send("/cancel").send("/cancel")  # a second /cancel right after the first still confirms
    assert host.last.text == "已取消，没有保存任何内容。"
    assert world.dispatcher.services.flows.active(host.id) is None


def test_a_yes_typed_after_something_else_does_not_start_another_form_in_english(world: World) -> None:
    host = at_lodging_en(world)
    host.send("/new")
    assert "Discard" in host.last.text or "discard" in host.last.text, host.last.text
    host.send("/mytasks").send("yes")
    assert host.last.text == "16/21 Which hotel?", host.last.text
    assert answers(world, host)["lodging"] is True
