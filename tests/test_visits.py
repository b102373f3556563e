"""Preparing a visit from a phone: the whole arrangement form, editing, restarting, rescheduling,
cancelling, who is told and who may change it — in Simplified, Traditional Chinese and English."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.visits import Travel, Visit
from tests.support.chat import MONDAY_9AM, Person, World
from tests.support.walkthroughs import acme_form


def class_a_visit(host: Person) -> None:
    """A complete class-A visit with a flight pickup, lodging and meals, typed in Simplified Chinese."""
    host.send("/new")
    assert "哪家客户来访" in host.last.text
    host.send("华为")
    host.press("新客户：华为")
    host.press("中国")
    host.send("通信设备")
    host.send("张伟 总经理，李娜 采购经理")
    host.press("张伟 总经理")
    assert "A类" in host.last.text and "130–150" in host.last.text
    host.press("A类")
    host.press("商务洽谈").press("了解生产体系").press("选好了")
    host.send("全球通信设备龙头，去年签了框架协议；这次想看新产线")  # the background
    host.send("明天下午3点").press("对")
    host.send("明天下午6点").press("对")
    host.press("飞机")
    host.send("CA1234")
    host.send("首都机场")
    host.send("明天中午12点").press("对")
    host.press("是")  # pickup
    host.send("张伟 13800138000，李娜 139 0013 9000")
    host.send("刘师傅 13900001111")  # the driver, not on the bot
    host.send("沪A·12345 别克GL8")
    host.press("Ma")  # team
    host.press("选好了")
    host.press("总经理").press("选好了")
    host.send("3楼大会议室")
    host.press("投影").press("欢迎横幅").press("选好了")
    host.send("生产车间 16:00")
    host.press("是")  # lodging
    host.send("香格里拉酒店")
    host.press("我方承担")
    host.send("1晚")  # the stay
    host.press("跳过")  # both visitors stay
    host.send("2")  # rooms
    host.send("1100")  # per room and night
    host.send("6")
    host.send("明天 晚餐 18:30 香格里拉中餐厅")
    host.send("不吃辣")
    host.send("180")


def test_a_class_a_visit_from_start_to_saved_card(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    colleague = world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    card = host.last.text
    assert "客户接待安排表" in card
    assert "客户: 华为（新客户）" in card
    assert "来访人员: 张伟 总经理、李娜 采购经理" in card
    assert "带队: 张伟 总经理" in card
    assert "⚠️ 超出本级别标准（150 元/人），需" in card
    assert "⚠️ 按规定需提前 3 天通知领导" in card
    host.press("保存")
    saved = host.last.text
    assert "📋 来访 #1 · 华为" in saved
    assert "11月24日 周二 15:00 → 11月24日 周二 18:00" in saved
    assert "张伟 总经理（带队）" in saved
    assert "热烈欢迎华为张总一行莅临我司考察指导工作" in saved
    assert "✅ 已保存为来访 #1。" in saved
    assert "📋 Lin added you to visit #1: 华为, Tue 24 Nov 15:00." in colleague.last.text
    assert "🚩 ✈️ 飞机 CA1234 首都机场，抵达 11月24日 周二 12:00，需接机" in saved  # a flight: 接机


def test_edit_one_answer_from_the_review_card(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    host.press("✏️ 用餐人数")
    host.send("8")
    assert "用餐人数: 8" in host.last.text
    host.press("保存")
    assert "用餐 8 人" in host.last.text


def test_restart_halfway_and_finish(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Acme").press("New client: Acme").press("Germany")
    host.press("Skip")
    world.restart()
    host.send("Anna Schmidt / CTO")
    host.press("Class C")
    host.send("business talks")
    host.press("Done")
    host.send("next Tuesday 10am").press("Correct")
    host.send("next Tuesday 4pm").press("Correct")
    host.press("Car")
    host.press("Done")  # no team
    host.press("Skip")  # executives
    host.press("Skip")  # room
    host.press("Done")  # extras
    host.press("Skip")  # tour
    host.press("No")  # lodging
    host.send("0")  # no meals
    assert "Reception arrangement form" in host.last.text
    host.press("Save")
    assert "📋 Visit #1 · Acme" in host.last.text
    assert "Anna Schmidt CTO" in host.last.text


def test_wrong_answers_along_the_way_are_explained(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-tw").send("/start")
    host.send("/new").send("台積電").press("新客戶：台積電")
    host.send("Formosa Island")  # no country or region by that name: Taiwan or 台灣 would do
    assert "請點擊一個國家，或輸入國家名稱或兩位國家代碼" in host.messages[-2].text
    host.send("TW")
    host.press("跳過")
    host.send("林先生 / 經理")
    host.press("C類")
    host.press("商務洽談").press("選好了")
    host.send("明天下午25點")  # the time is what is wrong, and the answer says so
    assert host.messages[-2].text.startswith("我沒有讀懂這個時間。")
    host.send("12月32日上午10點")
    assert host.messages[-2].text.startswith("這一天不存在")
    host.send("昨天下午3點")
    assert host.messages[-2].text == "這個時間已經過去了。請輸入一個未來的時間。"
    host.send("後天下午3點").press("對")
    host.send("後天下午2點").press("對")
    assert "離開時間必須晚於到達時間" in host.messages[-2].text


def test_a_question_typed_in_the_middle_of_a_form_is_answered_and_the_form_goes_on(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    host.press("保存")  # 华为 comes tomorrow
    host.send("/new").send("腾讯").press("新客户：腾讯")
    host.send("今天谁来")  # at the country (a typed code is read as one, then refused)
    assert "今天没有客户来访" in host.messages[-2].text
    assert "新客户来自哪个国家或地区" in host.last.text
    host.press("中国").press("跳过")
    host.send("马化腾 董事长").press("C类").press("商务洽谈").press("选好了")
    assert "客户什么时候到公司" in host.last.text
    host.send("明天谁来")
    assert "华为" in host.messages[-2].text and "11月24日" in host.messages[-2].text
    assert "客户什么时候到公司" in host.last.text  # the form's question again, nothing lost
    host.send("明天下午4点").press("对")
    assert "客户什么时候离开" in host.last.text
    # At a question with buttons, a day said alone is no question: the usual hint.
    host.send("/cancel").press("是，放弃")
    host.send("/new").send("阿里").press("新客户：阿里").press("中国").press("跳过").send("张勇 总裁")
    host.send("明天")
    assert host.messages[-2].text == "请点击下面的一个按钮（或输入按钮上的文字）。"
    assert "接待级别" in host.last.text


def test_a_question_at_the_company_step_is_answered_not_searched(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("今天谁来")
    assert "今天没有客户来访" in host.messages[-2].text
    assert "哪家客户来访" in host.last.text  # asked again, no client searched for "今天谁来"
    host.send("华为")
    assert "新客户：华为" in str(host.last.buttons)


def test_a_new_form_asked_for_mid_form_asks_before_the_open_one_is_discarded(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Acme").press("New client: Acme").press("China").press("Skip")
    host.send("John Smith CEO")
    assert "Reception class?" in host.last.text
    host.send("/new")  # or "➕ New visit" under an answer given aside: the same
    assert host.last.text.startswith("You have an unfinished “Reception arrangement form” (3 answers given)")
    host.press("No, keep going")
    assert "Reception class?" in host.last.text  # the open form, where it was
    host.press("Class C").press("Business negotiation").press("Done")
    assert "When do they arrive" in host.last.text
    host.send("/new").press("Yes, start anew")
    assert host.messages[-2].text == "Cancelled; nothing was saved."
    assert "Which company is visiting" in host.last.text
    world.restart()
    host.send("Acme")  # the new form, after a restart too
    assert "New client: Acme" in str(host.last.buttons)


def test_a_question_mid_form_in_english(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Acme").press("New client: Acme").press("China").press("Skip")
    host.send("John Smith CEO").press("Class C").press("Business negotiation").press("Done")
    assert "When do they arrive" in host.last.text
    host.send("who is coming today?")
    assert "No visitors today" in host.messages[-2].text
    assert "When do they arrive" in host.last.text


def test_reschedule_and_cancel_tell_the_team(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    colleague = world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    host.press("保存")
    host.press("改期")
    host.send("12月3日上午10点").press("对")
    host.send("12月3日下午5点").press("对")
    host.press("保存")
    card, draft = host.messages[-2:]
    assert "12月3日 周四 10:00" in card.text
    assert "尊敬的张总" in draft.text  # the note for the client's lead, drafted
    assert "Lin moved visit #1 (华为) from Tue 24 Nov 15:00 to Thu 3 Dec 10:00." in colleague.last.text
    host.send("/visit 1").press("取消来访")
    host.send("客户行程有变")
    host.press("保存")
    assert "❌ 已取消：客户行程有变" in host.messages[-2].text
    assert "Reason: 客户行程有变" in colleague.last.text


def test_only_the_visit_people_and_managers_see_it(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    outsider = world.person(3, "Zhao", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    host.press("保存")
    outsider.send("/visit 1")
    assert outsider.last.text == "There is no visit #1 that you can see."
    outsider.press_data("vis:cancel:1")
    assert world.toasts[-1] == "There is no visit #1 that you can see."
    stranger = world.person(9, "Eve", language_code="en")
    stranger.send("/visit 1")
    assert "registered staff of the company only" in stranger.last.text


def test_saving_is_one_durable_write_and_a_full_disk_keeps_the_form(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    form = acme_form(host)
    real, syncs = os.fdatasync, []

    def full_disk(fd: int) -> None:
        syncs.append(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("bot.storage.wal.os.fdatasync", full_disk)
    host.press("Save", form)
    assert len(syncs) == 1  # client, contact, visit, its checklist and the dialog: one write
    assert "something went wrong on my side; nothing you typed was lost" in host.last.text
    services = world.dispatcher.services
    assert services.visits.get(1) is None and services.clients.named("Acme") is None

    monkeypatch.setattr("bot.storage.wal.os.fdatasync", real)
    host.press("Save", form)  # the same card, still there
    assert "✅ Saved as visit #1." in form.text  # the card becomes the saved visit
    world.restart()
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and world.dispatcher.services.clients.named("Acme") is not None
    assert world.dispatcher.services.nudges.nudges.for_visit(1)  # its checklist too


def test_nothing_typed_to_an_optional_question_skips_it(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Acme").press("New client: Acme").press("Germany").send("none")  # industry
    host.send("Anna Schmidt / CTO").press("Class C").send("business talks").press("Done")
    host.send("next Tuesday 10am").press("Correct").send("next Tuesday 4pm").press("Correct")
    host.press("Car").send("no")  # team
    host.send("没有")  # executives
    host.send("n/a")  # room
    host.send("不用")  # extras
    host.send("No")  # tour
    host.press("No").send("0")
    form = host.last.text
    for label in ("Industry", "Our team", "Executives", "Meeting room", "Extras", "Tour"):
        assert f"{label}: (skipped)" in form, (label, form)


def test_skip_on_a_multi_choice_keeps_what_was_ticked(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    host.send("/new").send("腾讯").press("新客户：腾讯").press("中国").press("跳过")
    host.send("马化腾 董事长").press("B类").press("商务洽谈").press("选好了").press("跳过")  # no background
    host.send("12月1日上午10点").press("对").send("12月1日下午4点").press("对")
    host.press("自驾").press("选好了")  # no team
    host.press("总裁/董事长").press("副总").press("跳过")  # ticked, then Skip pressed
    host.press("跳过")  # room
    host.press("选好了").press("跳过")  # extras, tour
    host.press("否").send("0")
    assert "出席领导: 总裁/董事长、副总" in host.last.text
    host.press("保存")
    services = world.dispatcher.services
    visit = services.visits.get(1)
    assert visit is not None and visit.executives == ("president", "vice_president")
    items = {nudge.item for nudge in services.nudges.nudges.for_visit(1)}
    assert {"leaders", "president"} <= items  # the executives are told


def test_skip_on_a_multi_choice_with_nothing_ticked_skips_it(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/new").send("Acme").press("New client: Acme").press("Germany").press("Skip")
    host.send("Anna Schmidt / CTO").press("Class B").send("business talks").press("Done").press("Skip")
    host.send("next Tuesday 10am").press("Correct").send("next Tuesday 4pm").press("Correct")
    host.press("Car").press("Done")
    host.press("Vice president").press("Vice president").press("Skip")  # ticked and unticked
    host.press("Skip").press("Done").press("Skip").press("No").send("0")
    assert "Executives: (skipped)" in host.last.text
    host.press("Save")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and visit.executives == ()


def test_save_pressed_again_after_a_crash_lost_its_answer_shows_the_saved_visit(world: World) -> None:
    # The Save was written, then a crash lost its reply: the card still offers Save. Pressing it
    # (or any of the card's buttons) shows the visit, and no second one is made.
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    world.person(2, "Ma", language_code="en").send("/start")
    host.press("批准为员工")
    class_a_visit(host)
    form = host.last
    edit_meals = form.button("✏️ 用餐人数")
    host.press_unanswered("保存", form)
    world.restart()
    assert "客户接待安排表" in form.text  # what the host still sees: the form, with its Save
    host.press("保存", form)
    assert "📋 来访 #1 · 华为" in form.text and "张伟 总经理（带队）" in form.text
    assert "✅ 已保存为来访 #1，无需再次保存。" in form.text
    assert world.toasts[-1] == "✅ 已保存为来访 #1，无需再次保存。"
    host.press_data(edit_meals.data, form.message_id)  # another of the old card's buttons
    assert "✅ 已保存为来访 #1" in form.text and "用餐人数" not in host.last.text
    services = world.dispatcher.services
    assert services.visits.get(1) is not None and services.visits.get(2) is None


def test_save_pressed_twice_on_the_same_card_saves_one_visit(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    form = acme_form(host)
    save = form.button("Save")
    host.press("Save", form)
    assert "✅ Saved as visit #1." in form.text
    said = len(host.messages)
    host.press_data(save.data, form.message_id)  # a second tap, its card not yet updated
    assert "📋 Visit #1 · Acme" in form.text and "✅ Already saved as visit #1." in form.text
    assert world.toasts[-1] == "✅ Already saved as visit #1." and len(host.messages) == said
    assert world.dispatcher.services.visits.get(2) is None


@pytest.mark.parametrize(("language", "by_car", "by_train"), [
    ("zh-hans", "🚩 🚗 自驾/其他", "🚩 🚄 火车/高铁 G7 上海虹桥，抵达 11月24日 周二 14:00，需接站"),
    ("zh-hant", "🚩 🚗 自駕/其他", "🚩 🚄 火車/高鐵 G7 上海虹桥，抵達 11月24日 週二 14:00，需接站"),
    ("en", "🚩 🚗 Car / own way",
     "🚩 🚄 Train G7 上海虹桥, arrives Tue 24 Nov 14:00, to be met at the station"),
])
def test_the_trip_line_says_only_what_is_known(world: World, language: str, by_car: str,
                                               by_train: str) -> None:
    services = world.dispatcher.services
    host = world.person(1, "Lin", language_code=language).send("/start")
    client = services.clients.create("华为", by=1, now=MONDAY_9AM)
    start = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
    visit, _ = services.visits.create(Visit(0, client.id, client.name, "C", start, start + timedelta(hours=2),
                                            host=1, created_at=MONDAY_9AM, created_by=1,
                                            travel=Travel("car", "", "", None)))
    assert _trip(host) == by_car  # no "，抵达 —"
    services.visits.update(replace(visit, travel=Travel("train", "G7", "上海虹桥", start - timedelta(hours=1),
                                                        pickup=True)))
    assert _trip(host) == by_train


def _trip(host: Person) -> str:
    return next(row for row in host.send("/visit 1").last.text.splitlines() if row.startswith("🚩"))


@pytest.mark.parametrize(("language", "new_client", "first_line"), [
    ("zh-hans", "新客户", "A类（特别重要）：政府领导、来宾单位主要领导。"),
    ("zh-hant", "新客戶", "A類（特別重要）：政府領導、來賓單位主要領導。"),
    ("en", "New client", "Class A (VIP): Government leaders, the client's top leadership."),
])
def test_the_classes_are_explained_without_repeating_their_names(world: World, language: str, new_client: str,
                                                                 first_line: str) -> None:
    host = world.person(1, "Lin", language_code=language).send("/start").send("/new")
    host.send("华为").press(new_client).press("China" if language == "en" else "中").send("-")
    host.send("张伟 总经理")
    lines = host.last.text.splitlines()
    assert first_line in lines[1]
    for line in lines[1:5]:  # "A类（特别重要）：…" says 特别重要 once
        name, _, summary = line.partition("：" if language != "en" else ": ")
        qualifier = name.replace("(", "（").split("（")[1].rstrip("）)")
        assert qualifier.lower() not in summary.lower(), line
