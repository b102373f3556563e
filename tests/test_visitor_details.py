"""Each visitor's phone, nationality and dietary needs: typed for everyone at once, kept per person,
printed in the form's visitor table."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bot.domain.per_person import by_person, phone_in
from tests.documents_support import documents
from tests.support.chat import MONDAY_9AM, Person, World
from tests.test_documents import row_of


@pytest.mark.parametrize(("text", "parts", "group"), [
    ("张伟 13800138000，David Lee +65 9123 4567", {0: "13800138000", 1: "+65 9123 4567"}, ""),
    ("都不喝酒；张伟不吃辣；david lee: no pork", {0: "不吃辣", 1: "no pork"}, "都不喝酒"),
    ("不吃辣", {}, "不吃辣"),  # said of nobody in particular
    ("David Lee no pork, 张伟", {1: "no pork"}, ""),  # a name with nothing after it says nothing
])
def test_what_is_typed_about_two_visitors_is_told_apart_by_their_names(
        text: str, parts: dict[int, str], group: str) -> None:
    assert by_person(text, ["张伟", "David Lee"]) == (parts, group)


def test_with_one_visitor_no_name_is_needed_and_longer_names_win() -> None:
    assert by_person("不吃辣", ["张伟"]) == ({0: "不吃辣"}, "")
    assert by_person("张伟明 素食；张伟 清真", ["张伟", "张伟明"]) == ({0: "清真", 1: "素食"}, "")
    assert phone_in("手机 +86 138-0013-8000") == "+86 138-0013-8000" and phone_in("3楼") == ""


def start(host: Person, *, pickup: bool) -> None:
    """A class-C visit of two visitors up to the team step, by train, met at the station or not."""
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send("张伟 总经理，李娜 采购经理").press("张伟 总经理")
    host.press("C类").press("商务洽谈").press("选好了")
    host.send("明天上午10点").press("对").send("明天下午4点").press("对")
    host.press("火车").send("G7").send("上海虹桥").send("明天上午9点").press("对")
    host.press("是" if pickup else "否")


@pytest.fixture
def host(world: World) -> Person:
    world.clock.current = MONDAY_9AM
    return world.person(1, "Lin", language_code="zh-hans").send("/start")


def test_a_pickup_asks_for_the_visitors_phones_and_the_form_prints_them(world: World, host: Person) -> None:
    start(host, pickup=True)
    assert "来访人员的手机号" in host.last.text
    host.send("张伟 13800138000，李娜")
    assert host.messages[-2].text == "这些人后面没有读到号码：李娜。请在每个姓名后写上号码。"
    host.send("13800138000")
    assert host.messages[-2].text.startswith("请在每位来访人员的姓名后写上手机号")
    host.send("张伟 13800138000，李娜 139 0013 9000")
    host.press("跳过").press("跳过")  # driver, car
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否")
    host.send("4").press("跳过")  # meals not fixed yet
    host.send("都不喝酒；张伟 不吃辣；李娜 素食")
    host.send("90")
    review = host.last.text
    assert "来访人员电话: \n  张伟：13800138000\n  李娜：139 0013 9000" in review
    assert "忌口: \n  全体：都不喝酒\n  张伟：不吃辣\n  李娜：素食" in review
    assert "国籍: （跳过）" in review  # not asked: the client's country unless said otherwise
    host.press("保存")
    assert "📞 张伟 13800138000、李娜 139 0013 9000" in host.last.text
    assert "🍽 用餐 4 人；忌口：都不喝酒；张伟 不吃辣；李娜 素食" in host.last.text
    services = world.dispatcher.services
    contacts = {c.name: c for c in services.clients.contacts(1)}
    assert (contacts["张伟"].phone, contacts["张伟"].dietary) == ("13800138000", "不吃辣")
    assert (contacts["李娜"].phone, contacts["李娜"].dietary) == ("139 0013 9000", "素食")

    form = load_workbook(io.BytesIO(documents(host, "/form 1")[1].content)).active
    assert form is not None
    assert row_of(form, 1) == [1, "张伟（领队）", "总经理", "中国", "简体中文", 13800138000, "不吃辣"]
    assert row_of(form, 2) == [2, "李娜", "采购经理", "中国", "简体中文", "139 0013 9000", "素食"]
    assert row_of(form, "忌口") == ["忌口", "都不喝酒"]


def test_without_a_pickup_the_phones_wait_on_the_card_and_an_edit_fills_them(
        world: World, host: Person) -> None:
    start(host, pickup=False)
    assert "我方还有谁参加" in host.last.text  # no phones asked
    host.press("选好了").press("跳过").press("跳过").press("选好了").press("跳过").press("否").send("0")
    assert "来访人员电话: （跳过）" in host.last.text
    host.press("保存")
    host.press("✏️ 修改")
    host.press("✏️ 国籍")
    host.send("张伟 中国，李娜 新加坡")
    host.press("✏️ 来访人员电话")
    host.send("李娜 +65 9123 4567")
    assert "  李娜：+65 9123 4567" in host.last.text
    host.press("保存")
    contacts = {c.name: c for c in world.dispatcher.services.clients.contacts(1)}
    assert (contacts["李娜"].nationality, contacts["李娜"].phone) == ("新加坡", "+65 9123 4567")
    assert contacts["张伟"].phone == ""
    host.press("✏️ 修改")  # the card's answers come back as typed
    assert "来访人员电话: \n  李娜：+65 9123 4567" in host.last.text
    assert "国籍: \n  张伟：中国\n  李娜：新加坡" in host.last.text
