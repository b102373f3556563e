"""Clients through the chat: /client finds a company by any part of its name, its pinyin or the other
script; the card in three languages; adding, checking and editing contacts, dates and notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.bootstrap import Services
from bot.domain.clients import Client
from bot.domain.visits import Visit, VisitStatus
from tests.support.chat import Person, World

MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai: the test clock's time


def services(world: World) -> Services:
    return world.dispatcher.services


def add_client(world: World, name: str, default_class: str = "C", **extra: str) -> Client:
    return services(world).clients.create(name, by=1, now=MONDAY_9AM, default_class=default_class, **extra)


def host(world: World, language: str = "zh-hans") -> Person:
    return world.person(1, "林", language_code=language).send("/start")


def add_visits(world: World, client: Client, count: int) -> None:
    """``count`` visits, one a week back from today; the second newest was cancelled."""
    for week in range(count):
        arrival = MONDAY_9AM - timedelta(weeks=week)
        status = VisitStatus.CANCELLED if week == 1 else VisitStatus.PLANNED
        departure = arrival + timedelta(hours=3)
        visit = Visit(0, client.id, client.name, "A", arrival, departure, host=1, created_at=MONDAY_9AM,
                      created_by=1, status=status)
        services(world).visits.create(visit)


# ---- finding ------------------------------------------------------------------------------------


def test_one_match_shows_the_card_several_offer_buttons_none_says_how_to_search(world: World) -> None:
    add_client(world, "华为技术有限公司")
    add_client(world, "华润集团")
    me = host(world)
    me.send("/client 技术")
    assert me.last.text.startswith("🏢 华为技术有限公司")
    me.send("/client 华")
    assert me.last.text == "有多个客户匹配“华”，请选择："
    assert [b.data for row in me.last.buttons for b in row] == ["cl:s:2", "cl:s:1"]  # ids only
    me.press("华润集团")
    assert me.last.text.startswith("🏢 华润集团")
    me.send("/client 腾讯")
    assert "没有客户匹配“腾讯”" in me.last.text and "huawei" in me.last.text
    me.send("/client")
    assert "/client 华为" in me.last.text


def test_many_matches_offer_the_best_eight_and_ask_for_more_of_the_name(world: World) -> None:
    for number in range(10):
        add_client(world, f"华东{number}号工厂")
    me = host(world)
    me.send("/client 华东")
    assert sum(len(row) for row in me.last.buttons) == 8
    assert "多写几个字可以缩小范围" in me.last.text


@pytest.mark.parametrize("query", ["huawei", "HuaWei", "hw", "weiji", "华为", "为技", "華為"])
def test_pinyin_initials_any_part_and_the_other_script_find_the_client(world: World, query: str) -> None:
    add_client(world, "华为技术有限公司")
    add_client(world, "中兴通讯")
    me = host(world)
    me.send(f"/client {query}")
    assert me.last.text.startswith("🏢 华为技术有限公司"), query


def test_a_start_warming_the_index_in_slices_finds_the_same_and_what_came_meanwhile(world: World) -> None:
    for name in ("华为技术有限公司", "华润集团", "腾讯科技", "重庆银行"):
        add_client(world, name)
    world.restart()
    clients = services(world).clients
    assert clients.warm(2) is False  # two of four names indexed
    add_client(world, "华夏银行")  # someone saves a client between two slices: the index is completed
    assert clients.warm(2) is True
    assert [c.name for c in clients.search("hua")] == ["华润集团", "华夏银行", "华为技术有限公司"]
    assert [c.name for c in clients.search("chongqing")] == ["重庆银行"]  # phrase reading, not zhong


def test_a_name_stored_in_traditional_script_is_found_as_typed(world: World) -> None:
    add_client(world, "華碩電腦股份有限公司")
    me = host(world, "zh-tw")
    for query in ("華碩", "電腦", "huashuo", "hs"):
        me.send(f"/client {query}")
        assert me.last.text.startswith("🏢 華碩電腦股份有限公司"), query


def test_a_stranger_gets_nothing_from_client(world: World) -> None:
    add_client(world, "华为技术有限公司")
    host(world)
    stranger = world.person(77, "Eve", language_code="en")
    stranger.send("/client 华为")
    assert "registered staff of the company only" in stranger.last.text
    stranger.press_data("cl:s:1")
    stranger.press_data("cl:ac:1")
    assert all("华为" not in message.text for message in stranger.messages)


# ---- the card -----------------------------------------------------------------------------------


def a_full_client(world: World) -> Client:
    clients = services(world).clients
    client = add_client(world, "华为技术有限公司", "B", industry="通信设备")
    clients.add_contact(client.id, "张伟", title="总经理", phone="+86 138 0013 8000", email="zw@huawei.com",
                        language="zh_Hans", dietary="不吃辣")
    clients.add_contact(client.id, "David Lee", title="Purchasing Director", language="en")
    me = host(world)
    me.send("/client 华为").press("添加重要日子")
    me.send("公司成立日").press("成立纪念日").send("1987-09-15").press("保存")
    me.press("备注").send("每季度高层拜访")
    add_visits(world, client, 7)
    return client


def test_the_card_in_simplified_chinese(world: World) -> None:
    a_full_client(world)
    me = world.person(1, "林", language_code="zh-hans").send("/client huawei")
    card = me.last.text
    for line in ("接待级别：B类", "国家/地区：中国", "行业：通信设备", "客户经理：未填写",
                 "• 张伟，总经理", "称呼：张总", "电话：+86 138 0013 8000", "邮箱：zw@huawei.com",
                 "语言：简体中文", "饮食禁忌：不吃辣", "• David Lee，Purchasing Director",
                 "• 公司成立日：1987年9月15日（成立纪念日）", "每季度高层拜访",
                 "• #1 11月23日 周一 · A类（特别重要） · 已安排",
                 "• #2 11月16日 周一 · A类（特别重要） · 已取消",
                 "……另有 2 次更早的来访"):
        assert line in card, line
    assert card.index("#1") < card.index("#2") < card.index("#5")
    assert "#6 " not in card
    labels = [b.label for row in me.last.buttons for b in row]
    assert labels == ["➕ 添加联系人", "✏️ 编辑联系人", "📅 添加重要日子", "📝 备注", "🤝 记录一次联系"]
    # Class B keeps a monthly contact; visit #1 today is the last contact.
    assert "🤝 最近联系：0 天前 · 联系节奏：每月" in card and "已逾期" not in card


def test_the_card_says_when_a_client_was_last_contacted_and_logging_resets_it(world: World) -> None:
    client = add_client(world, "Acme", "A")
    world.clock.current += timedelta(days=40)
    me = host(world, "en").send("/client Acme")
    assert "🤝 Last contact: none recorded · cadence: monthly ⚠️ overdue" in me.last.text
    me.press("Log a contact")
    me.send(f"/client {client.name}")
    assert "🤝 Last contact: 0 days ago · cadence: monthly" in me.last.text
    assert "overdue" not in me.last.text


def test_the_card_in_traditional_chinese(world: World) -> None:
    a_full_client(world)
    me = world.person(1, "林", language_code="zh-tw").send("/client hw")
    card = me.last.text
    # The surname stays as stored (张); the title follows the reader's script (總).
    for line in ("接待級別：B類", "國家/地區：中國", "稱呼：张總", "電郵：zw@huawei.com",
                 "公司成立日：1987年9月15日（成立紀念日）", "……另有 2 次更早的來訪"):
        assert line in card, line


def test_the_card_in_english(world: World) -> None:
    a_full_client(world)
    me = world.person(1, "Lin", language_code="en").send("/client 华为")
    card = me.last.text
    for line in ("Reception class: Class B", "Country: China", "Account manager: not set",
                 "• 张伟, 总经理", "Phone: +86 138 0013 8000", "Language: 简体中文",
                 "• David Lee, Purchasing Director", "• 公司成立日: 15 Sep 1987 (founding anniversary)",
                 "• #1 Mon 23 Nov · Class A (VIP) · planned", "… and 2 earlier visits"):
        assert line in card, line
    assert "Greet as" not in card  # "David Lee (Purchasing Director)" says nothing the line above does not


# ---- contacts -----------------------------------------------------------------------------------


def test_adding_a_contact_checks_phone_and_email_then_an_edit_from_the_review_card(world: World) -> None:
    add_client(world, "华为技术有限公司")
    me = host(world)
    me.send("/client 华为").press("添加联系人")
    assert me.last.text == "1/7 联系人姓名？"
    me.send("欧阳娜").send("采购经理")
    me.send("138 abc")
    assert me.messages[-2].text.startswith("电话号码只能包含数字、空格、+ 和 -")
    assert me.last.text.startswith("3/7 电话？")
    me.send("+86 138-0013-8000")
    me.send("ouyang@huawei")
    assert me.messages[-2].text.startswith("这不像邮箱地址")
    assert me.last.text.startswith("4/7 邮箱？")
    me.send("ouyang@huawei.com")
    me.send("明年吧")
    assert me.messages[-2].text.startswith("没看懂这个日期")
    me.send("3月12日").press("简体中文").press("跳过")
    review = me.last.text
    for line in ("电话: +86 138-0013-8000", "生日: 3月12日", "饮食禁忌: （跳过）"):
        assert line in review, line
    me.press("✏️ 电话").send("021 5555 0000")
    assert "电话: 021 5555 0000" in me.last.text and "邮箱: ouyang@huawei.com" in me.last.text
    me.press("保存")
    assert me.last.text.startswith("✅ 已保存联系人 欧阳娜。")
    assert "称呼：欧阳经理" in me.last.text and "电话：021 5555 0000" in me.last.text
    contact = services(world).clients.contacts(1)[0]
    assert contact.birthday is not None and (contact.birthday.month, contact.birthday.day) == (3, 12)


def test_editing_a_contact_opens_its_review_card_and_changes_one_detail(world: World) -> None:
    client = add_client(world, "华为技术有限公司")
    clients = services(world).clients
    clients.add_contact(client.id, "张伟", title="销售经理", phone="13800138000")
    clients.add_contact(client.id, "李娜", title="主任")
    me = host(world)
    me.send("/client 华为").press("编辑联系人")
    assert me.last.text == "要编辑 华为技术有限公司 的哪位联系人？"
    me.press("张伟 销售经理")
    assert "姓名: 张伟" in me.last.text and "电话: 13800138000" in me.last.text
    me.press("✏️ 职务").send("副总裁")
    assert "职务: 副总裁" in me.last.text
    me.press("保存")
    assert "称呼：张总" in me.last.text and "电话：13800138000" in me.last.text
    assert [c.title for c in clients.contacts(client.id)] == ["副总裁", "主任"]


def test_edit_contact_without_contacts_says_to_add_one_first(world: World) -> None:
    add_client(world, "华为技术有限公司")
    me = host(world)
    me.send("/client 华为").press("编辑联系人")
    assert world.toasts[-1] == "这个客户还没有联系人，请先添加。"


def test_renaming_a_contact_to_a_colleague_s_name_is_refused(world: World) -> None:
    client = add_client(world, "华为技术有限公司")
    services(world).clients.add_contact(client.id, "张伟", title="总经理")
    services(world).clients.add_contact(client.id, "李娜", title="主任")
    me = host(world)
    me.send("/client 华为").press("编辑联系人").press("李娜")
    me.press("✏️ 姓名").send("张 伟")
    assert me.messages[-2].text == "这个客户已经有一位联系人叫 张伟。"
    assert me.last.text.startswith("1/7 联系人姓名？")


def test_the_same_visitor_is_not_created_twice(world: World) -> None:
    client = add_client(world, "华为技术有限公司")
    clients = services(world).clients
    first = clients.find_or_add_contact(client.id, "张伟", "总经理")
    again = clients.find_or_add_contact(client.id, " 张伟 ", "")
    promoted = clients.find_or_add_contact(client.id, "张伟", "董事长")
    assert first.id == again.id == promoted.id and promoted.title == "董事长"
    me = host(world)
    me.send("/client 华为").press("添加联系人")
    me.send("张伟").send("董事长").press("跳过").press("跳过").press("跳过").press("简体中文").press("跳过")
    me.press("保存")
    assert [c.name for c in clients.contacts(client.id)] == ["张伟"]
    other = add_client(world, "中兴通讯")
    assert clients.find_or_add_contact(other.id, "张伟", "").id != first.id  # another company's 张伟


def test_a_duplicate_client_name_returns_the_existing_client(world: World) -> None:
    acme = add_client(world, "Acme Ltd", industry="Machinery")
    later = MONDAY_9AM + timedelta(days=1)
    again = services(world).clients.create("ＡＣＭＥ  LTD", country="US", industry="Toys", default_class="A",
                                           by=2, now=later)
    assert again == acme
    assert [c.id for c in services(world).clients.search("acme")] == [acme.id]


def test_a_date_without_a_year_and_notes_survive_a_restart(world: World) -> None:
    add_client(world, "Acme Ltd")
    me = host(world, "en")
    me.send("/client acme").press("Add date")
    me.send("Partnership signed").press("partnership anniversary").send("31 Feb")
    assert me.messages[-2].text.startswith("I could not read that day.")
    me.send("May 20").press("Save")
    me.press("Notes").send("Prefers morning meetings")
    world.restart()
    me.send("/client Acme")
    assert "• Partnership signed: 20 May (partnership anniversary)" in me.last.text
    assert "Prefers morning meetings" in me.last.text
