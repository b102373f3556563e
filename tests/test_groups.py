"""What a group chat may see, through the core: one rule for every command, button and file.

A stranger in a group gets no answer at all. Staff in a group the admin registered as the reception
team's see the day's arrivals (today and tomorrow); in any group an admin may register it or release
it. Everything else answers "ask me in a private chat", with a link that opens one.

The week of the document tests: Monday 30 November 2026; Huawei's class-A visit #1 is on Thursday.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.core.events import Button, Edit
from bot.domain.staff import Role, Staff
from tests.documents_support import HOST, MANAGER, add_full_visit, add_staff
from tests.support.chat import Group, World

ADMIN, STRANGER = 1, 99
LINK = "https://t.me/reception_test_bot?start=from_group"
POINTER = {
    "zh_Hans": ("🔒 这个请在和我的私聊中使用。", "💬 私聊我"),
    "zh_Hant": ("🔒 這個請在和我的私聊中使用。", "💬 私聊我"),
    "en": ("🔒 Please ask me that in a private chat.", "💬 Chat with me in private"),
}
NOT_REGISTERED = "🔒 本群未设为接待团队群，我不在这里显示来访。管理员可发送 /register_group，或私聊问我。"
# Every command that shows or changes something of one's own, of a client or of the company.
PRIVATE_ONLY = [
    ("/client 华为", HOST), ("/visit 1", HOST), ("/form 1", HOST), ("/itinerary 1", HOST),
    ("/memo 1", HOST), ("/calendar", HOST), ("/calendar 1", HOST), ("/new", HOST), ("/find 华为", HOST),
    ("/mytasks", HOST), ("/review", MANAGER), ("/digest", HOST), ("/log 华为", HOST),
    ("/debrief 1", HOST), ("/help", HOST), ("/lang", HOST), ("/cancel", HOST), ("/start", HOST),
    ("/invite", ADMIN), ("/staff", ADMIN), ("/import", ADMIN), ("/backup", ADMIN),
]


@pytest.fixture(autouse=True)
def _visit(world: World) -> None:
    add_staff(world)
    staff = world.dispatcher.services.access.staff
    staff.save(Staff(ADMIN, "Admin", Role.ADMIN, world.clock.now()))
    add_full_visit(world)


@pytest.fixture(params=["unregistered", "registered"])
def group(request: pytest.FixtureRequest, world: World) -> Group:
    group = world.group()
    if request.param == "registered":
        group.send(world.person(ADMIN), "/register_group")
        assert group.last.text.startswith("✅ 本群已设为接待团队群")
        group.messages.clear()
    return group


def says_only_ask_in_private(world: World, group: Group, locale: str = "zh_Hans") -> None:
    """The group got one message, the pointer to the private chat, and nobody got anything else."""
    text, label = POINTER[locale]
    assert [(m.text, m.buttons) for m in group.messages] == [(text, ((Button(label, url=LINK),),))]
    assert world.files == {}
    assert world.chats.keys() == {group.chat_id}


@pytest.mark.parametrize(("command", "who"), PRIVATE_ONLY)
def test_a_command_in_any_group_only_points_to_the_private_chat(world: World, group: Group, command: str,
                                                                 who: int) -> None:
    group.send(world.person(who), command)
    says_only_ask_in_private(world, group)


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_the_pointer_speaks_the_asker_s_language(world: World, group: Group, locale: str) -> None:
    staff = world.dispatcher.services.access.staff
    host = staff.get(HOST)
    assert host is not None
    staff.save(replace(host, locale=locale))
    group.send(world.person(HOST), "/visit 1")
    says_only_ask_in_private(world, group, locale)


def test_the_link_opens_the_private_chat_with_a_plain_start_even_for_a_stranger(world: World) -> None:
    host = world.person(HOST).send("/start from_group")
    assert host.last.text.startswith("欢迎回来")
    stranger = world.person(STRANGER).send("/start from_group")
    assert stranger.last.text.startswith("您好！本助手仅供公司在册员工使用。")


def test_an_unregistered_group_asking_for_arrivals_is_told_why_it_sees_none(world: World) -> None:
    group = world.group()
    lin = world.person(HOST)
    for asked in ("/today", "/tomorrow", "/week", "今天谁来", "华为什么时候来"):
        group.send(lin, asked)
    link = ((Button("💬 私聊我", url=LINK),),)
    assert [(m.text, m.buttons) for m in group.messages] == [(NOT_REGISTERED, link)] * 5


def test_the_registered_group_still_sees_the_day_s_arrivals_and_nothing_more(world: World) -> None:
    world.clock.current = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # Thursday 08:00: visit #1 today
    group = world.group()
    group.send(world.person(ADMIN), "/register_group")
    lin = world.person(HOST)
    group.send(lin, "/today")
    title, arrival = group.last.text.splitlines()[:2]
    assert (title, arrival.startswith("🕘 10:00–16:30 华为技术有限公司 #1")) == ("📅 今天 12月3日 周四", True)
    group.send(lin, "今天谁来")
    assert "#1" in group.last.text
    group.send(lin, "/tomorrow")
    assert group.last.text.startswith("☕ 明天")
    private = ("no pork", "不吃辣", "香格里拉", "新产线", "CA1234")  # diet, lodging, notes, flight
    assert not any(secret in m.text for m in group.messages for secret in private)


def test_a_command_addressed_to_another_bot_is_left_to_it(world: World) -> None:
    world.clock.current = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)  # Thursday 08:00: visit #1 today
    group = world.group()
    group.send(world.person(ADMIN), "/register_group")
    group.messages.clear()
    lin = world.person(HOST)
    for other in ("/today@weather_bot", "/visit@other_bot 1", "/start@other_bot"):
        group.send(lin, other)
    assert group.messages == [] and world.chats.get(HOST) is None
    group.send(lin, "/today@Reception_Test_Bot")  # ours, however it is capitalised
    assert group.last.text.startswith("📅 今天 12月3日 周四")


def test_a_stranger_s_start_in_a_group_gets_no_reply_and_asks_no_admin(world: World, group: Group) -> None:
    stranger = world.person(STRANGER, "Mallory")
    group.send(stranger, "/start")
    group.send(stranger, "/visit 1")
    group.send(stranger, "今天谁来")
    group.press_data(stranger, "vis:show:1")
    assert group.messages == [] and group.actions == []
    assert world.chats.get(ADMIN) is None
    assert world.dispatcher.services.access.requests.get(STRANGER) is None


def test_every_button_pressed_in_a_group_answers_with_a_notice_and_no_data(world: World,
                                                                           group: Group) -> None:
    lin = world.person(HOST)
    world.chats.clear()
    shared = {"lk"}  # the arrivals' own buttons, tried below
    for prefix in sorted(world.dispatcher.routes.callbacks.keys() - shared):
        group.press_data(lin, f"{prefix}:1:1:1")
        assert group.actions == [], prefix
    assert world.toasts == [POINTER["zh_Hans"][0]] * len(world.toasts)
    assert len(world.toasts) == len(world.dispatcher.routes.callbacks) - len(shared)
    assert world.chats == {} and world.files == {}


def test_the_buttons_of_a_visit_card_do_nothing_in_a_group(world: World, group: Group) -> None:
    card = world.person(HOST).send("/visit 1").last
    for row in card.buttons:
        for button in row:
            group.press_data(world.person(HOST), button.data)
            assert group.actions == [], button.label
    assert world.toasts and set(world.toasts) == {POINTER["zh_Hans"][0]}
    assert world.files == {}


def test_the_arrivals_buttons_page_in_a_registered_group_but_no_new_visit_or_search(world: World) -> None:
    world.clock.current = datetime(2026, 12, 3, 0, 0, tzinfo=UTC)
    group = world.group()
    lin = world.person(HOST)
    group.press_data(lin, "lk:r:today")
    assert group.actions == [] and world.toasts == [NOT_REGISTERED]
    group.send(world.person(ADMIN), "/register_group")
    group.press_data(lin, "lk:r:today")
    [today] = group.actions
    assert isinstance(today, Edit) and "<b>华为技术有限公司</b> #1" in today.text
    world.toasts.clear()
    group.press_data(lin, "lk:new")
    group.press_data(lin, "lk:f:0:华为")
    assert group.actions == [] and world.toasts == [POINTER["zh_Hans"][0]] * 2
    assert world.dispatcher.services.flows.active(HOST) is None
    group.send(lin, "谁是张三什么时候来")  # an unknown name: the usual buttons, but no New visit there
    labels = [b.label for row in group.last.buttons for b in row]
    assert labels == ["📅 今天", "🗓 本周"]


def test_text_in_a_group_is_never_the_answer_to_a_form_open_in_private(world: World, group: Group) -> None:
    lin = world.person(HOST).send("/new")
    asked = lin.last.text
    before = world.dispatcher.services.flows.active(HOST)
    group.send(lin, "华为技术有限公司")
    assert world.dispatcher.services.flows.active(HOST) == before
    assert lin.last.text == asked
    assert not any(button.data for m in group.messages for row in m.buttons for button in row)


def test_a_file_sent_in_a_group_is_not_imported(world: World, group: Group) -> None:
    group.upload(world.person(ADMIN), "clients.csv", b"Client,Contact\nAcme,Bob\n")
    says_only_ask_in_private(world, group)
    assert world.dispatcher.services.clients.named("Acme") is None
