"""Changing a saved visit, as a host does from a phone: the times of a reschedule, the list of
visitors (which replaces, never appends, and forgets the contacts a mistaken entry made), and a
visitor typed by how the host addresses them (林經理) rather than by name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.visits import Visit, Visitor
from tests.support.chat import Person, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 7 December, 09:00 in Shanghai


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    created = World(tmp_path / "data")
    created.clock.current = MONDAY_9AM
    yield created
    created.db.close()


def host_of(world: World, language_code: str = "zh-hans") -> Person:
    return world.person(1, "Lin", language_code=language_code).send("/start")


def saved_visit(world: World, *names: tuple[str, str]) -> Visit:
    """Tuesday's visit of 华为 with these visitors, as contacts of the client."""
    services = world.dispatcher.services
    client = services.clients.create("华为", by=1, now=world.clock.now())
    contacts = [services.clients.add_contact(client.id, name, title=title) for name, title in names]
    visit = Visit(0, client.id, client.name, "C", arrival=datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI),
                  departure=datetime(2026, 12, 8, 16, 0, tzinfo=SHANGHAI), host=1,
                  created_at=world.clock.now(), created_by=1,
                  visitors=tuple(Visitor(c.id, c.name, c.title, lead=i == 0) for i, c in enumerate(contacts)))
    saved, _ = services.visits.create(visit)
    return saved


def test_a_bare_departure_time_after_a_reschedule_is_on_the_new_day(world: World) -> None:
    host = host_of(world)
    saved_visit(world, ("张伟", "总经理"))
    host.send("/visit 1").press("改期")
    host.send("12月9日 09:30").press("对")
    host.send("11:30")
    assert host.last.text == "我理解为：12月9日 周三 11:30 — 对吗？"
    host.press("对").press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None
    assert visit.departure == datetime(2026, 12, 9, 11, 30, tzinfo=SHANGHAI)


def new_visit_up_to_the_card(host: Person, visitors: str) -> None:
    """/new for tomorrow's class C visit of a new client, 华为, with these visitors typed."""
    host.send("/new").send("华为").press("新客户：华为").press("中国").press("跳过")
    host.send(visitors)
    if "，" in visitors:
        host.press(visitors.split("，", maxsplit=1)[0])  # the lead
    host.press("C类").press("商务洽谈").press("选好了")
    host.send("明天上午10点").press("对").send("明天下午4点").press("对")
    host.press("自驾").press("选好了").press("跳过").press("跳过").press("选好了").press("跳过")
    host.press("否").send("0")


def button_labels(host: Person) -> list[str]:
    return [button.label for row in host.last.buttons for button in row]


def test_typing_the_visitors_again_replaces_the_list(world: World) -> None:
    host = host_of(world)
    new_visit_up_to_the_card(host, "黄磊 销售经理，王芳 技术员")
    host.press("✏️ 来访人员")
    assert "黄磊 销售经理、王芳 技术员" in host.last.text
    assert {"➖ 黄磊 销售经理", "➖ 王芳 技术员"} <= set(button_labels(host))
    host.send("黄磊 销售经理，李娜 工程师").press("黄磊 销售经理")  # who leads, asked again
    assert "来访人员: 黄磊 销售经理、李娜 工程师\n" in host.last.text


def test_a_visitor_is_removed_with_its_button(world: World) -> None:
    host = host_of(world)
    new_visit_up_to_the_card(host, "黄磊 销售经理，王芳 技术员")
    host.press("✏️ 来访人员").press("➖ 王芳 技术员")
    assert "➖ 王芳 技术员" not in button_labels(host)
    host.press("选好了")
    assert "来访人员: 黄磊 销售经理\n" in host.last.text
    host.press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and [v.name for v in visit.visitors] == ["黄磊"]
    assert [c.name for c in world.dispatcher.services.clients.contacts(visit.client_id)] == ["黄磊"]


def test_a_contact_a_removed_entry_made_is_deleted_unless_used_elsewhere(world: World) -> None:
    host = host_of(world)
    new_visit_up_to_the_card(host, "黄磊 销售经理，王芳 技术员，张伟 总经理")
    host.press("保存")
    services = world.dispatcher.services
    visit = services.visits.get(1)
    assert visit is not None
    clients = services.clients
    assert [c.name for c in clients.contacts(visit.client_id)] == ["黄磊", "王芳", "张伟"]
    zhang = clients.contact_named(visit.client_id, "张伟")
    assert zhang is not None
    services.visits.create(Visit(  # 张伟 comes again next week
        0, visit.client_id, visit.client_name, "C", arrival=datetime(2026, 12, 15, 10, 0, tzinfo=SHANGHAI),
        departure=datetime(2026, 12, 15, 16, 0, tzinfo=SHANGHAI), host=1, created_at=world.clock.now(),
        created_by=1, visitors=(Visitor(zhang.id, "张伟", "总经理"),)))
    host.send("/visit 1").press("✏️ 修改").press("✏️ 来访人员")
    host.send("黄磊 销售经理")
    assert "来访人员: 黄磊 销售经理\n" in host.last.text
    host.press("保存")
    # 王芳 was only this visit's mistake; 张伟 is on another visit and stays.
    assert [c.name for c in clients.contacts(visit.client_id)] == ["黄磊", "张伟"]


def test_a_contact_known_before_the_visit_stays_when_taken_off_it(world: World) -> None:
    host = host_of(world)
    saved_visit(world, ("张伟", "总经理"), ("李娜", "采购经理"))
    host.send("/visit 1").press("✏️ 修改").press("✏️ 来访人员")
    host.press("✅ 李娜 采购经理").press("选好了")
    host.press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and [v.name for v in visit.visitors] == ["张伟"]
    assert [c.name for c in world.dispatcher.services.clients.contacts(visit.client_id)] == ["张伟", "李娜"]


def test_a_changed_list_of_visitors_asks_who_leads_again(world: World) -> None:
    host = host_of(world)
    new_visit_up_to_the_card(host, "黄磊 销售经理，王芳 技术员")
    host.press("✏️ 来访人员").send("李娜 工程师，王芳 技术员")
    assert "谁是带队" in host.last.text
    host.press("王芳 技术员")
    assert "带队: 王芳 技术员" in host.last.text


def client_with(world: World, *people: tuple[str, str]) -> int:
    services = world.dispatcher.services
    client = services.clients.create("台积电", country="TW", by=1, now=world.clock.now())
    for name, title in people:
        services.clients.add_contact(client.id, name, title=title)
    return client.id


def test_a_visitor_typed_by_how_the_host_addresses_them_is_that_contact(world: World) -> None:
    client_id = client_with(world, ("林志明", "经理"), ("王芳", "技术员"))
    host = host_of(world, "zh-tw")
    host.send("/new").send("台积电").press("台积电")
    host.send("林經理")
    contacts = world.dispatcher.services.clients.contacts(client_id)
    host.press("C類").press("商務洽談").press("選好了")
    host.send("明天上午10點").press("對").send("明天下午4點").press("對")
    host.press("自駕").press("選好了").press("跳過").press("跳過").press("選好了").press("跳過")
    host.press("否").send("0")
    assert "來訪人員: 林志明 经理\n" in host.last.text
    host.press("儲存")
    assert world.dispatcher.services.clients.contacts(client_id) == contacts  # no new 林經理
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None and [v.contact_id for v in visit.visitors] == [contacts[0].id]


def test_a_greeting_two_contacts_share_is_asked_about(world: World) -> None:
    client_with(world, ("林志明", "经理"), ("林芳", "销售经理"))
    host = host_of(world, "zh-tw")
    host.send("/new").send("台积电").press("台积电")
    host.send("林經理，王芳")
    assert host.messages[-2].text == (
        "「林經理」可能是「林志明 经理」或「林芳 销售经理」。請點擊您指的那一位，或輸入全名。")
    assert "目前：王芳" in host.last.text  # what was clear is kept
    host.press("林芳 销售经理").press("選好了")
    assert "誰是帶隊" in host.last.text
    assert [b.label for row in host.last.buttons for b in row][:2] == ["王芳", "林芳 销售经理"]


def test_in_english_a_shared_greeting_is_asked_about_and_a_bare_name_is_the_contact(world: World) -> None:
    client_with(world, ("林志明", "经理"), ("林芳", "销售经理"), ("David Lee", "Purchasing Director"))
    host = host_of(world, "en")
    host.send("/new").send("台积电").press("台积电")
    host.send("林经理, David Lee")
    assert host.messages[-2].text == (
        "“林经理” could be “林志明 经理” or “林芳 销售经理”. "
        "Please press the one you mean, or type the full name.")
    assert "✅ David Lee Purchasing Director" in button_labels(host)  # the contact, ticked


def test_a_new_arrival_on_the_card_asks_the_departure_again_on_its_day(world: World) -> None:
    host = host_of(world)
    new_visit_up_to_the_card(host, "黄磊 销售经理")
    host.press("✏️ 到达").send("12月9日上午10点").press("对")
    assert "客户什么时候离开" in host.last.text  # not the old day's 16:00, before the new arrival
    host.send("16:00")
    assert host.last.text == "我理解为：12月9日 周三 16:00 — 对吗？"
    host.press("对")
    assert "离开: 12月9日 周三 16:00" in host.last.text
