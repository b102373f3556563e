"""/debrief through the core: a whole debrief in Chinese and in English, the tasks and the people
told of them, the memo in the client's language, and who may debrief at all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.clients import Contact
from bot.domain.staff import Role, Staff
from bot.domain.tasks import Task
from bot.domain.visits import Visit, Visitor
from bot.services.debriefs import lead_contact_language
from tests.support.chat import Person, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOST, WANG, LI, OUTSIDER = 10, 11, 12, 13


@pytest.fixture(autouse=True)
def _people(world: World) -> None:
    """Thursday 26 Nov 2026, 10:00 in Shanghai: the visit was on Tuesday."""
    world.clock.current = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    staff = world.dispatcher.services.access.staff
    for user_id, name, username, locale in ((HOST, "Lin", "lin", None), (WANG, "王五", "wangwu", "en"),
                                            (LI, "李四", "lisi", "zh_Hant"), (OUTSIDER, "赵六", "", None)):
        staff.save(Staff(user_id, name, Role.STAFF, world.clock.now(), username=username, locale=locale))


def add_visit(world: World, **changes: object) -> Visit:
    visit = Visit(
        0, client_id=5, client_name="华为 <Huawei>", class_id="B",
        arrival=datetime(2026, 11, 24, 10, 0, tzinfo=SHANGHAI),
        departure=datetime(2026, 11, 24, 16, 0, tzinfo=SHANGHAI), host=HOST,
        created_at=world.clock.now(), created_by=HOST, team=(WANG,),
        visitors=(Visitor(7, "张伟", "总经理", lead=True), Visitor(8, "Ann Lee")),
        budget=(("meal", 120.0), ("gift", 100.0)))
    saved, _ = world.dispatcher.services.visits.create(replace(visit, **changes))
    return saved


def tasks(world: World, visit_id: int = 1) -> list[Task]:
    return world.dispatcher.services.debriefs.tasks_of(visit_id)


def debrief_in_chinese(host: Person) -> None:
    host.send("/debrief 1")
    assert host.messages[-2].text == "📝 复盘：华为 <Huawei>（来访 #1）"
    assert host.last.text == "1/8 这次来访的结果如何？"
    host.press("推进中")
    host.send("需要一套样品 <A型> 和正式报价")
    host.send("价格偏高")
    host.send("发送报价单; 王五; 下周五\n安排样品测试；@lisi；12月5日下午3点")
    assert host.last.text.startswith("5/8 下次联系客户是哪天？")
    host.send("下周三")
    host.send("500元")
    host.press("★★★★★")
    host.send("茶歇很好，投影仪晚到了十分钟")


def test_a_whole_debrief_in_chinese_makes_tasks_tells_owners_and_writes_the_memo(world: World) -> None:
    add_visit(world)
    host = world.person(HOST, "Lin", language_code="zh-hans")
    debrief_in_chinese(host)
    card = host.last.text
    assert "结果: 推进中" in card
    assert "• 发送报价单 — 王五，12月4日 周五 18:00" in card
    assert "• 安排样品测试 — 李四，12月5日 周六 15:00" in card
    assert "下次联系: 12月2日 周三" in card
    assert "实际花费: 合计 500（预算合计 440 = 用餐 120 元/人 × 2 人 + 礼品 100 元/人 × 2 人；超出 60）" \
        in card
    assert "接待评分: ★★★★★" in card
    host.press("保存")

    assert host.messages[-2].text.startswith("✅ 来访 #1 的复盘已保存，2 项待办已交给负责人。")
    memo = host.last
    assert memo.text.splitlines()[:5] == ["会谈备忘录", "", "致：华为 <Huawei>", "会谈日期：11月24日 周二",
                                          "我方参会人员：Lin、王五"]
    assert "&lt;Huawei&gt;" in memo.html and "&lt;A型&gt;" in memo.html
    assert "需要一套样品 <A型> 和正式报价" in memo.text
    assert "1. 发送报价单（负责人：王五，12月4日 周五前完成）" in memo.text
    assert "2. 安排样品测试（负责人：李四，12月5日 周六前完成）" in memo.text
    assert "下次联系：12月2日 周三" in memo.text
    assert "价格偏高" not in memo.text and "500" not in memo.text  # internal only

    made = tasks(world)
    assert [(t.text, t.owner, t.due) for t in made] == [
        ("发送报价单", WANG, datetime(2026, 12, 4, 18, 0, tzinfo=SHANGHAI)),
        ("安排样品测试", LI, datetime(2026, 12, 5, 15, 0, tzinfo=SHANGHAI))]
    assert all(t.visit_id == 1 and t.client_id == 5 and t.created_by == HOST for t in made)
    assert world.chats[WANG][-1].text == (
        "📌 Lin gave you a task (华为 <Huawei>, visit #1):\n发送报价单\nDue: Fri 4 Dec 18:00")
    assert world.chats[LI][-1].text == (
        "📌 Lin 交給您一項待辦（华为 <Huawei>，來訪 #1）：\n安排样品测试\n截止：12月5日 週六 15:00")
    assert [t.text for t in world.dispatcher.services.debriefs.tasks_for(WANG)] == ["发送报价单"]

    saved = world.dispatcher.services.debriefs.get(1)
    assert saved is not None
    assert (saved.outcome, saved.rating, saved.spent, saved.objections) == ("progressing", 5, 500, "价格偏高")
    assert saved.next_contact.isoformat() == "2026-12-02" and saved.memo_locale == "zh_Hans"


def test_a_debrief_in_english_skipping_the_optional_steps(world: World) -> None:
    add_visit(world, budget=())
    host = world.person(HOST, "Lin", language_code="en")
    host.send("/debrief #1")
    assert host.last.text == "1/8 How did the visit end?"
    host.press("Signed").send("A pilot line in Q1")
    host.press("Skip").press("Skip")
    host.send("next Wednesday")
    host.press("Skip")
    assert host.last.text.startswith("7/8 How did the reception go overall?")
    host.send("★★★")
    host.press("Skip")
    card = host.last.text
    assert "Open items: (skipped)" in card and "Actual spend: (skipped)" in card
    host.press("Save")
    saved = host.messages[-2].text
    assert saved.startswith("✅ The debrief of visit #1 is saved; 0 tasks went to their owners.")
    assert "(English)" in saved
    memo = host.last.text
    assert memo.startswith("Meeting memo\n\nTo: 华为 <Huawei>\nMeeting date: Tue 24 Nov")
    assert "Agreed open items" not in memo and "as written" not in memo  # typed in English
    assert "Next contact: Wed 2 Dec" in memo
    assert tasks(world) == []


def test_a_bad_open_items_line_is_named_and_the_question_asked_again(world: World) -> None:
    add_visit(world)
    host = world.person(HOST, "Lin", language_code="zh-hans")
    host.send("/debrief 1").press("推进中").send("样品").press("跳过")
    host.send("发送报价单; 钱七; 下周五\n安排测试; 王五; 改天\n随便写写\n回访; 王五; 昨天")
    hints = host.messages[-2].text.splitlines()
    assert hints == [
        "第 1 行：在职同事里没有「钱七」。请写同事的姓名或 @用户名。",
        "第 2 行：看不懂截止日期「改天」。可以这样写：下周五、12月5日、明天下午3点。",
        "第 3 行「随便写写」：请写成「事项; 负责人; 截止日期」，用分号隔开。",
        "第 4 行：截止日期「昨天」已经过去了。",
    ]
    assert host.last.text.startswith("4/8 待办事项，每行一项")
    host.send("发送报价单; @WangWu; 下周五")
    assert host.last.text.startswith("5/8 下次联系客户是哪天？")  # the earlier answers are kept
    host.press("上一步")
    host.press("上一步")
    assert host.last.text.startswith("3/8 客户提出了哪些顾虑或异议？")


def test_an_owner_two_colleagues_share_must_be_named_by_username(world: World) -> None:
    add_visit(world)
    world.dispatcher.services.access.staff.save(
        Staff(20, "王五", Role.STAFF, world.clock.now(), username="wangwu2"))
    host = world.person(HOST, "Lin", language_code="en")
    host.send("/debrief 1").press("Signed").send("Samples").press("Skip")
    host.send("Send the quote; 王五; Dec 4")
    assert host.messages[-2].text == (
        "Line 1: more than one colleague is called “王五”; write their @username instead.")
    host.send("Send the quote; @wangwu2; Dec 4")
    assert host.last.text.startswith("5/8 ")


def test_the_memo_is_in_the_lead_contacts_language_even_when_the_host_writes_chinese(world: World) -> None:
    add_visit(world)
    contacts = {5: [Contact(7, 5, "张伟", language="en"), Contact(8, 5, "Ann Lee", language="zh_Hant")]}
    world.dispatcher.services.debriefs.memo_language = lead_contact_language(lambda c: contacts.get(c, []))
    host = world.person(HOST, "Lin", language_code="zh-hans")
    debrief_in_chinese(host)
    host.press("保存")
    assert "（English）" in host.messages[-2].text
    memo = host.last.text
    assert memo.startswith("Meeting memo\n\nTo: 华为 <Huawei>\nMeeting date: Tue 24 Nov\n"
                           "Our attendees: Lin, 王五")
    assert "1. 发送报价单 (owner: 王五, by Fri 4 Dec)" in memo
    assert "Our attendees: Lin, 王五\n\nNotes below as written, in Chinese.\n\nYour needs" in memo
    saved = world.dispatcher.services.debriefs.get(1)
    assert saved is not None and saved.memo_locale == "en"


def test_a_teammate_writes_it_and_the_host_gets_the_memo_to_forward(world: World) -> None:
    add_visit(world)
    teammate = world.person(WANG, "王五", language_code="en")
    teammate.send("/debrief 1").press("Signed").send("Samples").press("Skip").press("Skip")
    teammate.send("Dec 10").press("Skip").press("★★★★★").press("Skip").press("Save")
    host_chat = world.chats[HOST]
    assert host_chat[-2].text.startswith("📝 王五 写好了来访 #1 的复盘。")
    assert host_chat[-1].text.startswith("会谈备忘录")  # the host's locale: no client language known


def test_running_it_again_replaces_it_and_updates_its_tasks_without_duplicates(world: World) -> None:
    add_visit(world)
    host = world.person(HOST, "Lin", language_code="zh-hans")
    debrief_in_chinese(host)
    host.press("保存")
    first = tasks(world)
    told = len(world.chats[WANG])

    host.send("/debrief 1")
    assert host.messages[-2].text.startswith("来访 #1（华为 <Huawei>）已有复盘：Lin，11月26日 周四 10:00。")
    assert "• 发送报价单 — 王五，12月4日 周五 18:00" in host.last.text  # the saved answers, on the card
    host.press("保存")
    assert [(t.id, t.text, t.owner, t.due) for t in tasks(world)] == [
        (t.id, t.text, t.owner, t.due) for t in first]
    assert len(world.chats[WANG]) == told  # nothing changed: nobody is told again

    host.send("/debrief 1").press("✏️ 待办事项")
    host.send("发送正式报价单; 王五; 下周五\n安排样品测试; 李四; 12月5日下午3点\n寄送白皮书; 李四; 明天")
    host.press("✏️ 接待评分").send("★★★★")
    host.press("保存")
    after = tasks(world)
    assert [(t.id, t.text, t.owner) for t in after] == [
        (first[0].id, "发送正式报价单", WANG), (first[1].id, "安排样品测试", LI), (3, "寄送白皮书", LI)]
    assert len(world.dispatcher.services.debriefs.debriefs.all()) == 1
    saved = world.dispatcher.services.debriefs.get(1)
    assert saved is not None and saved.rating == 4
    assert "发送正式报价单" in world.chats[WANG][-1].text  # reworded: told again
    assert "寄送白皮书" in world.chats[LI][-1].text


def test_a_restart_in_the_middle_keeps_the_answers(world: World) -> None:
    add_visit(world)
    host = world.person(HOST, "Lin", language_code="zh-hans")
    host.send("/debrief 1").press("未成交").send("预算不够").press("跳过")
    world.restart()
    host.send("发送报价单; 王五; 下周五")
    assert host.last.text.startswith("5/8 ")


def test_the_nudge_button_opens_the_debrief(world: World) -> None:
    add_visit(world)
    host = world.person(HOST, "Lin", language_code="en")
    host.press_data("dbf:1")
    assert host.last.text == "1/8 How did the visit end?"


def test_who_may_not_debrief_and_why(world: World) -> None:
    add_visit(world)
    add_visit(world, arrival=datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI),
               departure=datetime(2026, 12, 1, 16, 0, tzinfo=SHANGHAI))
    cancelled = add_visit(world)
    world.dispatcher.services.visits.cancel(cancelled, "client ill")
    host = world.person(HOST, "Lin", language_code="en")
    assert host.send("/debrief").last.text == "Please add the visit number, e.g. /debrief 12"
    assert host.send("/debrief soon").last.text == "Please add the visit number, e.g. /debrief 12"
    assert host.send("/debrief 99").last.text == "There is no visit #99 that you can see."
    assert host.send("/debrief 2").last.text == "Visit #2 starts Tue 1 Dec 10:00; debrief it once it is over."
    assert host.send("/debrief 3").last.text == "Visit #3 was cancelled; there is nothing to debrief."
    outsider = world.person(OUTSIDER, "赵六", language_code="en")
    assert outsider.send("/debrief 1").last.text == "There is no visit #1 that you can see."
    outsider.press_data("dbf:1")
    assert world.toasts[-1] == "There is no visit #1 that you can see."
    assert world.dispatcher.services.flows.active(OUTSIDER) is None


def test_a_manager_not_on_the_visit_may_debrief_it(world: World) -> None:
    add_visit(world)
    staff = world.dispatcher.services.access.staff
    outsider = staff.get(OUTSIDER)
    assert outsider is not None
    staff.save(replace(outsider, role=Role.MANAGER))
    manager = world.person(OUTSIDER, "赵六", language_code="en")
    assert manager.send("/debrief 1").last.text == "1/8 How did the visit end?"


def test_a_stranger_gets_nothing(world: World) -> None:
    add_visit(world)
    stranger = world.person(77, "Eve", language_code="en")
    stranger.send("/debrief 1")
    assert "registered staff of the company only" in stranger.last.text
    stranger.press_data("dbf:1")  # a later message: not even a refusal
    presser = world.person(78, "Mallory", language_code="en").press_data("dbf:1")
    assert world.toasts == ["This assistant is for registered staff only."]
    assert all("Huawei" not in m.text for m in stranger.messages + presser.messages)
    assert world.dispatcher.services.flows.active(77) is None
    assert world.dispatcher.services.flows.active(78) is None
