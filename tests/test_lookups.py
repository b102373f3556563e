"""Quick look-ups through the core: /today, /tomorrow, /week and the same questions typed in
Simplified Chinese, Traditional Chinese and English, who sees what, paging, and the empty days.

The week (Monday 23 November 2026, 09:00 in Shanghai):

| # | client | when | host | notes |
|---|---|---|---|---|
| 1 | 华为 | today 10:00-12:00 | Lin (team: Ma) | 张伟 总经理 leads, 2 guests, pickup |
| 2 | Acme | tomorrow 14:00-17:00 | Ma | Anna Schmidt |
| 3 | 台積電 | Wed 09:00 to Fri 12:00 | 陳 | a stay: arrives, then leaves |
| 4 | 华为 | next Tuesday 10:00 | Lin | |
| 5 | 华为 | last Friday 09:00 | Lin | the last visit of 张总 |
| 6 | 华为 | today 15:00 | Lin | cancelled: never shown |
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.core.events import Event
from bot.domain.staff import Role, Staff
from bot.domain.visits import Travel, Visit, Visitor
from tests.support.chat import Message, Person, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
ADMIN, MANAGER, LIN, MA, CHEN, RECEPTION = 1, 2, 10, 11, 12, 13
GROUP = -1001


@dataclass(frozen=True)
class Cast:
    """Who is who in the week."""

    huawei: int
    acme: int
    tsmc: int
    zhang: int
    anna: int


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in November 2026 (days past 30 run into December), in Shanghai."""
    return datetime(2026, 11, 1, hour, minute, tzinfo=SHANGHAI) + timedelta(days=day - 1)


def hire(world: World) -> None:
    now = world.clock.now()
    staff = world.dispatcher.services.access.staff
    for user_id, name, role, locale in ((ADMIN, "Admin", Role.ADMIN, "zh_Hans"),
                                        (MANAGER, "Boss", Role.MANAGER, "zh_Hans"),
                                        (LIN, "Lin", Role.STAFF, "zh_Hans"), (MA, "Ma", Role.STAFF, "en"),
                                        (CHEN, "陳", Role.STAFF, "zh_Hant"),
                                        (RECEPTION, "小王", Role.STAFF, "zh_Hans")):
        staff.save(Staff(user_id, name, role, now, locale=locale))


def add_visit(world: World, client_id: int, name: str, arrival: datetime, hours: float, *, host: int,
              **changes: Any) -> Visit:
    visit = Visit(0, client_id, name, "B", arrival, arrival + timedelta(hours=hours), host=host,
                  created_at=world.clock.now(), created_by=host)
    saved, _ = world.dispatcher.services.visits.create(replace(visit, **changes))
    return saved


def a_week(world: World) -> Cast:
    """The staff, the clients and the six visits of the table above."""
    world.clock.current = MONDAY_9AM
    hire(world)
    clients = world.dispatcher.services.clients
    now = world.clock.now()
    huawei = clients.create("华为", by=LIN, now=now)
    zhang = clients.add_contact(huawei.id, "张伟", title="总经理", phone="138 0013 8000")
    li = clients.add_contact(huawei.id, "李娜", title="采购经理")
    acme = clients.create("Acme", country="DE", by=MA, now=now)
    anna = clients.add_contact(acme.id, "Anna Schmidt", title="CTO", phone="+49 30 1234567", language="en")
    tsmc = clients.create("台積電", country="TW", by=CHEN, now=now)
    lin = clients.add_contact(tsmc.id, "林志明", title="經理", language="zh_Hant")
    guests = (Visitor(zhang.id, "张伟", "总经理", lead=True), Visitor(li.id, "李娜", "采购经理"))
    add_visit(world, huawei.id, "华为", at(23, 10), 2, host=LIN, team=(MA,), visitors=guests, class_id="A",
              room="3楼大会议室", travel=Travel("flight", "CA1234", "首都机场", at(23, 8), pickup=True))
    add_visit(world, acme.id, "Acme", at(24, 14), 3, host=MA, room="Room 5",
              visitors=(Visitor(anna.id, "Anna Schmidt", "CTO", lead=True),))
    add_visit(world, tsmc.id, "台積電", at(25, 9), 51, host=CHEN,
              visitors=(Visitor(lin.id, "林志明", "經理", lead=True),))
    add_visit(world, huawei.id, "华为", at(32, 10), 6, host=LIN, visitors=guests[:1])
    add_visit(world, huawei.id, "华为", at(20, 9), 2, host=LIN, visitors=guests[:1])
    cancelled = add_visit(world, huawei.id, "华为", at(23, 15), 1, host=LIN)
    world.dispatcher.services.visits.cancel(cancelled, "改期")
    return Cast(huawei.id, acme.id, tsmc.id, zhang.id, anna.id)


@pytest.fixture
def cast(world: World) -> Cast:
    return a_week(world)


def numbers(message: Message) -> set[int]:
    """The visit numbers a list shows."""
    return {int(number) for number in re.findall(r"#(\d+)", message.text)}


def as_locale(world: World, user_id: int, locale: str) -> Person:
    staff = world.dispatcher.services.access.staff
    person = staff.get(user_id)
    assert person is not None
    staff.save(replace(person, locale=locale))
    return world.person(user_id)


def in_group(world: World, user_id: int, text: str) -> list[Message]:
    """Sends ``text`` to the group chat; returns what the group has received so far."""
    world.deliver(world.dispatcher.handle(Event(world.person(user_id).user, GROUP, "group", text=text)))
    return world.chats.get(GROUP, [])


# ---- the commands ---------------------------------------------------------------------------


def test_today_lists_each_arrival_with_guests_class_host_room_and_pickup(world: World, cast: Cast) -> None:
    boss = world.person(MANAGER).send("/today")
    assert boss.last.text.splitlines() == [
        "📅 今天 11月23日 周一",
        "🕘 10:00–12:00 华为 #1 · ⚠️ 准备滞后",
        "    张伟 总经理 · 2人 · A类 · 接待 Lin · 📍3楼大会议室 · 🚗 接送：未定司机",
    ]
    assert "<b>华为</b>" in boss.last.html


def test_tomorrow_and_the_week_group_arrivals_and_departures_by_day(world: World, cast: Cast) -> None:
    boss = world.person(MANAGER).send("/tomorrow")
    assert numbers(boss.last) == {2}
    assert "📅 明天 11月24日 周二" in boss.last.text
    boss.send("/week")
    text = boss.last.text
    assert text.startswith("🗓 11月23日 周一 – 11月29日 周日，共 3 场来访")
    assert "🛬 09:00 抵达 台積電 #3（至 11月27日 周五）" in text
    assert "📅 11月27日 周五\n🛫 12:00 离开 台積電 #3" in text
    assert numbers(boss.last) == {1, 2, 3}  # never #6, which was cancelled
    assert text.index("#1") < text.index("#2") < text.index("抵达 台積電") < text.index("离开 台積電")


def test_a_done_pickup_and_a_driver_show_on_the_line(world: World, cast: Cast) -> None:
    services = world.dispatcher.services
    visit = services.visits.get(1)
    assert visit is not None and visit.travel is not None
    services.visits.update(replace(visit, travel=replace(visit.travel, driver=MA)))
    boss = world.person(MANAGER).send("/today")
    assert "🚗 接送：Ma" in boss.last.text
    nudges = services.nudges.nudges
    nudges.save_all(replace(n, state=n.state.DONE) for n in nudges.for_visit(1))
    boss.send("/today")
    assert "🚗 接送已确认" in boss.last.text
    assert "准备滞后" not in boss.last.text


# ---- questions in three languages -----------------------------------------------------------

QUESTIONS = [
    ("zh_Hans", "今天谁来", {1}), ("zh_Hans", "今天有谁来访", {1}), ("zh_Hans", "明天谁到", {2}),
    ("zh_Hans", "这周有哪些客户来", {1, 2, 3}), ("zh_Hans", "下周有什么接待", {4}),
    ("zh_Hans", "华为什么时候来", {1, 4}), ("zh_Hans", "张总上次来是什么时候", {5}),
    ("zh_Hant", "今天誰來", {1}), ("zh_Hant", "今天有誰來訪", {1}), ("zh_Hant", "明天誰到", {2}),
    ("zh_Hant", "這週有哪些客戶來", {1, 2, 3}), ("zh_Hant", "下週有什麼接待", {4}),
    ("zh_Hant", "華為什麼時候來", {1, 4}), ("zh_Hant", "張總上次來是什麼時候", {5}),
    ("en", "who's arriving today", {1}), ("en", "Who is coming tomorrow?", {2}),
    ("en", "who is arriving this week", {1, 2, 3}), ("en", "visits next week", {4}),
    ("en", "when is Huawei coming", {1, 4}), ("en", "when was Huawei last here", {5}),
    ("en", "When is Anna Schmidt coming?", {2}),
]


@pytest.mark.parametrize(("locale", "question", "expected"), QUESTIONS)
def test_each_question_gets_the_same_answer_as_the_command(world: World, cast: Cast, locale: str,
                                                           question: str, expected: set[int]) -> None:
    boss = as_locale(world, MANAGER, locale).send(question)
    assert numbers(boss.last) == expected


def test_the_answers_speak_the_asker_s_language(world: World, cast: Cast) -> None:
    boss = as_locale(world, MANAGER, "zh_Hant").send("張總上次來是什麼時候")
    assert boss.last.text.splitlines()[:3] == ["🔎 张總（华为）上次來訪", "", "📅 11月20日 週五"]
    chen = world.person(CHEN).send("張總上次來是什麼時候")  # staff: Lin's visit is not theirs to see
    assert chen.last.text.startswith("🔎 沒有张總（华为）以往的、您能查看的來訪。")
    ma = world.person(MA).send("who's arriving today")
    assert ma.last.text.splitlines()[:2] == ["📅 Today, Mon 23 Nov", "🕘 10:00–12:00 华为 #1 · ⚠️ prep behind"]
    assert "张伟 总经理 · 2 guests · Class A · host Lin" in ma.last.text
    ma.send("/tomorrow")
    assert "1 guest · Class B · host Ma · 📍Room 5" in ma.last.text


def test_a_name_several_clients_share_offers_a_choice_and_the_choice_edits_in_place(world: World,
                                                                                    cast: Cast) -> None:
    services = world.dispatcher.services
    services.clients.create("华为终端", by=LIN, now=world.clock.now())
    boss = world.person(MANAGER).send("华为什么时候来")  # the whole name of one of them: no question
    assert numbers(boss.last) == {1, 4}
    boss.send("when is huawei coming")
    choice = boss.last
    assert choice.text == "「huawei」有几个匹配，您指的是哪一个？"
    assert [b.label for row in choice.buttons for b in row] == ["华为", "华为终端"]
    boss.press("华为终端")
    assert boss.last is choice
    assert choice.text == "🔎 没有华为终端接下来的、您能查看的来访。"


def test_a_greeting_many_people_share_offers_those_seen_most_recently(world: World, cast: Cast) -> None:
    clients = world.dispatcher.services.clients
    for n in range(1, 11):  # ten more 张总, each at a company that came n days ago
        company = clients.create(f"公司{n}", by=LIN, now=world.clock.now())
        zhang = clients.add_contact(company.id, f"张{'明亮刚强勇伟军华平安'[n - 1]}", title="总经理")
        add_visit(world, company.id, company.name, at(23 - n, 10), 1, host=LIN,
                  visitors=(Visitor(zhang.id, zhang.name, zhang.title, lead=True),))
    boss = world.person(MANAGER).send("张总上次来是什么时候")
    choice = boss.last
    assert choice.text == "有 11 位联系人叫「张总」，下面是最近来访的 8 位。完整名单请用 /find 张总。"
    labels = [b.label for row in choice.buttons for b in row]
    assert labels[:2] == ["张总（华为）", "张总（公司1）"]  # 华为 comes again next week
    assert len(labels) == 8 and "张总（公司10）" not in labels
    boss.press("张总（公司1）")
    assert "上次来访" in boss.last.text and "11月22日" in boss.last.text


def test_an_unknown_name_is_said_so_never_guessed(world: World, cast: Cast) -> None:
    lin = world.person(LIN).send("腾讯什么时候来")
    assert lin.last.text == "🤔 我不知道叫「腾讯」的客户或联系人。换个写法试试，或用 /find 搜索。"
    lin.press("今天")
    assert numbers(lin.last) == {1}


def test_text_the_bot_does_not_understand_gets_a_short_help_with_buttons(world: World, cast: Cast) -> None:
    ma = world.person(MA).send("hello there")
    assert ma.last.text.startswith("Sorry, I did not understand that. You can ask me:")
    assert [b.label for row in ma.last.buttons for b in row] == ["📅 Today", "🗓 This week", "➕ New visit"]
    ma.press("This week")
    assert numbers(ma.last) == {1, 2}
    ma.send("?").press("New visit")
    assert ma.last.text == "1/14 Which company is visiting? Type part of its name."


# ---- who sees what --------------------------------------------------------------------------


def test_reception_style_staff_see_everyone_s_arrivals_today_and_tomorrow(world: World, cast: Cast) -> None:
    desk = world.person(RECEPTION).send("/today")
    assert numbers(desk.last) == {1}
    desk.send("/tomorrow")
    assert numbers(desk.last) == {2}
    assert "ℹ️" not in desk.last.text
    desk.send("/week")
    assert numbers(desk.last) == {1, 2}
    assert desk.last.text.endswith("ℹ️ 这里显示您负责或参与的来访，以及全公司今明两天的到访。")
    desk.send("下周有什么接待")
    assert desk.last.text.startswith("☕ 11月30日 周一 至 12月6日 周日 没有客户来访。")
    desk.send("台積電什么时候来")
    assert desk.last.text.startswith("🔎 没有台積電接下来的、您能查看的来访。")


def test_staff_see_their_own_visits_on_any_day(world: World, cast: Cast) -> None:
    lin = world.person(LIN).send("/week")
    assert numbers(lin.last) == {1, 2}
    lin.send("下周有什么接待")
    assert numbers(lin.last) == {4}
    chen = world.person(CHEN).send("/week")
    assert numbers(chen.last) == {1, 2, 3}
    chen.send("華為什麼時候來")
    assert numbers(chen.last) == {1}  # today's arrival, not Lin's visit next week


@pytest.mark.parametrize("user_id", [MANAGER, ADMIN])
def test_managers_and_admins_see_everything(world: World, cast: Cast, user_id: int) -> None:
    person = world.person(user_id).send("/week")
    assert numbers(person.last) == {1, 2, 3}
    assert "ℹ️" not in person.last.text
    person.send("台積電什么时候来")
    assert numbers(person.last) == {3}


def test_a_stranger_sees_nothing_through_any_command_question_or_button(world: World, cast: Cast) -> None:
    # Each probe is a stranger's first message (later ones get no reply at all): the refusal only.
    questions = ("今天谁来", "when is Huawei coming", "hello")
    texts = ("/today", "/week", "/tomorrow", "/find 华为", "/mytasks", "/digest off", *questions)
    for n, text in enumerate(texts):
        eve = world.person(900 + n, "Eve", language_code="en").send(text)
        assert len(eve.messages) == 1 and "registered staff of the company only" in eve.last.text
    buttons = ("lk:d:20261123:20261129:1", "lk:r:today", "lk:c:1:n:0", "lk:f:0:华为", "tsk:0")
    for n, data in enumerate(buttons):
        mallory = world.person(950 + n, "Mallory", language_code="en").press_data(data)
        assert world.toasts[-1] == "This assistant is for registered staff only." and not mallory.messages
    seen = [m.text for chat, messages in world.chats.items() if chat >= 900 for m in messages]
    assert not any("华为" in text or "#1" in text for text in seen)


def test_an_old_paging_button_pressed_after_deactivation_shows_nothing(world: World, cast: Cast) -> None:
    lin = world.person(LIN)
    busy_week(world, 10)
    lin.send("/week")
    listing = lin.last
    before = listing.text
    assert "下一页" in listing.buttons[0][-1].label
    admin = world.dispatcher.services.access.staff.get(ADMIN)
    assert admin is not None
    world.dispatcher.services.access.set_active(admin, LIN, False)
    lin.press("下一页")
    assert listing.text == before
    assert lin.last.text == "您的使用权限已被停用。如有疑问，请联系管理员。"
    lin.send("今天谁来")
    assert lin.last.text == "您的使用权限已被停用。如有疑问，请联系管理员。"


# ---- paging ---------------------------------------------------------------------------------


def busy_week(world: World, count: int) -> None:
    """``count`` more visits of Lin's this week, two an hour from Tuesday on."""
    huawei = world.dispatcher.services.clients.named("华为")
    assert huawei is not None
    for n in range(count):
        add_visit(world, huawei.id, "华为", at(24 + n // 8, 8 + n % 8), 1, host=LIN)


def test_a_busy_week_pages_forward_and_back_by_editing_one_message(world: World, cast: Cast) -> None:
    busy_week(world, 20)
    boss = world.person(MANAGER).send("/week")
    listing, sent = boss.last, len(boss.messages)
    assert "第 1/3 页" in listing.text
    assert listing.text.startswith("🗓 11月23日 周一 – 11月29日 周日，共 23 场来访")
    assert [b.label for b in listing.buttons[0]] == ["下一页 ▶"]
    first = numbers(listing)
    assert len(first) == 8
    boss.press("下一页")
    assert len(boss.messages) == sent and boss.last is listing
    assert "第 2/3 页" in listing.text and listing.text.startswith("🗓 11月23日 周一")
    assert [b.label for b in listing.buttons[0]] == ["◀ 上一页", "下一页 ▶"]
    second = numbers(listing)
    assert len(second) == 8 and first.isdisjoint(second - {3})  # 3 arrives Wednesday, leaves Friday
    boss.press("下一页")
    assert "第 3/3 页" in listing.text and [b.label for b in listing.buttons[0]] == ["◀ 上一页"]
    boss.press("上一页").press("上一页")
    assert numbers(listing) == first and len(boss.messages) == sent
    assert all(len(b.data.encode()) <= 64 for row in listing.buttons for b in row)


def test_paging_a_when_answer_keeps_the_question(world: World, cast: Cast) -> None:
    busy_week(world, 12)
    lin = world.person(LIN).send("华为什么时候来")
    assert "第 1/2 页" in lin.last.text and lin.last.text.startswith("🔎 华为接下来的来访")
    lin.press("下一页")
    assert "第 2/2 页" in lin.last.text and lin.last.text.startswith("🔎 华为接下来的来访")
    assert 4 in numbers(lin.last)


# ---- empty days -----------------------------------------------------------------------------


def test_an_empty_day_says_so_in_one_friendly_line(world: World, cast: Cast) -> None:
    world.clock.current = at(29, 9)  # Sunday
    lin = world.person(LIN).send("/today")
    assert lin.last.text == "☕ 今天没有客户来访。"
    lin.send("/tomorrow")
    assert lin.last.text == "☕ 明天没有客户来访。"
    ma = world.person(MA).send("who is coming on wednesday")
    assert ma.last.text.startswith("☕ No visitors on Wed 2 Dec.")
    world.clock.current += timedelta(days=60)
    ma.send("/week")
    assert ma.last.text.startswith("☕ No visitors from Mon 25 Jan to Sun 31 Jan.")


# ---- reception group chats ------------------------------------------------------------------


def test_an_admin_registers_the_reception_group_which_then_sees_today_and_tomorrow(world: World,
                                                                                  cast: Cast) -> None:
    assert in_group(world, LIN, "/today")[-1].text.startswith("🔒 本群未设为接待团队群")
    in_group(world, LIN, "/register_group")
    assert world.chats[GROUP][-1].text == "此操作仅限管理员。" or "管理员" in world.chats[GROUP][-1].text
    assert in_group(world, ADMIN, "/register_group")[-1].text.startswith("✅ 本群已设为接待团队群")
    assert numbers(in_group(world, RECEPTION, "今天谁来")[-1]) == {1}
    week = in_group(world, MANAGER, "这周有哪些客户来")[-1]
    assert numbers(week) == {1, 2}  # a manager asking in the group sees what the group may see
    assert week.text.endswith("ℹ️ 本群只显示今天和明天的到访。")
    assert in_group(world, LIN, "下周有什么接待")[-1].text == "ℹ️ 本群只显示今天和明天的到访。"
    assert numbers(in_group(world, LIN, "华为什么时候来")[-1]) == {1}
    assert in_group(world, LIN, "/find 华为")[-1].text == "🔒 这个请在和我的私聊中使用。"
    assert in_group(world, LIN, "/mytasks")[-1].text == "🔒 这个请在和我的私聊中使用。"


def test_strangers_in_the_group_get_no_answer_and_an_unregistered_group_sees_nothing(world: World,
                                                                                     cast: Cast) -> None:
    in_group(world, ADMIN, "/register_group")
    received = len(world.chats[GROUP])
    in_group(world, 99, "今天谁来")
    in_group(world, 99, "/today")
    assert len(world.chats[GROUP]) == received
    in_group(world, ADMIN, "/unregister_group")
    assert world.chats[GROUP][-1].text == "本群不再接收到访名单。"
    assert in_group(world, RECEPTION, "今天谁来")[-1].text.startswith("🔒 本群未设为接待团队群")
    assert "#1" not in world.chats[GROUP][-1].text


def test_days_of_another_year_are_shown_with_the_year(world: World) -> None:
    world.clock.current = datetime(2026, 12, 30, 1, 0, tzinfo=UTC)  # Wednesday 30 December, 09:00
    hire(world)
    huawei = world.dispatcher.services.clients.create("华为", by=LIN, now=world.clock.now())
    add_visit(world, huawei.id, "华为", datetime(2026, 12, 31, 10, 0, tzinfo=SHANGHAI), 2, host=LIN)
    add_visit(world, huawei.id, "华为", datetime(2027, 1, 4, 10, 0, tzinfo=SHANGHAI), 2, host=LIN)
    lin = world.person(LIN).send("/week")
    assert "📅 明天 12月31日 周四" in lin.last.text
    lin.send("下周谁来")
    assert "2027年1月4日 周一" in lin.last.text
