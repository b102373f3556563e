"""Keeping in touch through the chat: /log, the class-A monthly cadence nudge (sent once, reset by a
logged contact and by a visit, snoozed for a week), the leader's quarterly visit, and strangers."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.bootstrap import Services
from bot.domain.clients import Client
from bot.domain.staff import Role, Staff
from bot.domain.visits import Visit
from bot.services.relationship import PIECE
from tests.support.chat import Person, World

MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai: the test clock's time


def services(world: World) -> Services:
    return world.dispatcher.services


def add_client(world: World, name: str, default_class: str = "A", manager: int | None = 1) -> Client:
    return services(world).clients.create(name, by=1, now=world.clock.now(), default_class=default_class,
                                          account_manager=manager)


def tick(world: World) -> int:
    """What the scheduler does every few seconds; returns how many messages went out."""
    messages = [due.message for due in services(world).relationship.due_messages(world.clock.now())]
    world.deliver(list(messages))
    return len(messages)


def later(world: World, days: int) -> None:
    world.clock.advance(timedelta(days=days))


def lin(world: World) -> Person:
    return world.person(1, "Lin", language_code="en").send("/start")


def test_log_a_contact_in_one_line_or_by_buttons(world: World) -> None:
    me = lin(world)
    add_client(world, "华为")
    add_client(world, "华为终端")
    me.send("/log 华为打了电话，聊了三季度订单")
    assert "✅ Noted: Lin was in touch with 华为 (Mon 23 Nov 09:00) · 📞 Call" in me.last.text
    assert "Note: 打了电话，聊了三季度订单" in me.last.text
    assert me.last.buttons == ()
    me.send("/log hw sent the new price list")
    assert me.last.text == "Several clients match. Which one were you in touch with?"
    me.press("华为终端")
    assert "Lin was in touch with 华为终端" in me.last.text
    assert "How were you in touch?" in me.last.text
    me.press("Email")
    assert "华为终端 (Mon 23 Nov 09:00) · ✉️ Email" in me.last.text
    me.send("/log 腾讯")
    assert "No client matches “腾讯”" in me.last.text
    me.send("/log")
    assert "/log Acme called" in me.last.text


def test_class_a_monthly_nudge_once_reset_by_a_log_and_by_a_visit(world: World) -> None:
    me = lin(world)
    huawei = add_client(world, "华为")
    me.send("/log 华为 call")
    later(world, 35)  # a Monday: on a day off the bot says nothing of cadences
    assert tick(world) == 1
    assert me.last.text == "🤝 It has been 35 days since anyone from us contacted 华为 (class A: monthly)."
    assert tick(world) == 0  # a second tick the same day
    later(world, 1)
    assert tick(world) == 0  # still overdue, but never repeated daily
    me.press("Logged a contact")
    assert "Lin was in touch with 华为 (Tue 29 Dec 09:00)" in me.last.text
    me.press("Call")
    later(world, 21)  # 19 January: a visit that day counts as contact
    arrival = world.clock.now() + timedelta(hours=6)
    services(world).visits.create(Visit(0, huawei.id, huawei.name, "A", arrival, arrival + timedelta(hours=2),
                                        host=1, created_at=MONDAY_9AM, created_by=1))
    later(world, 10)  # 31 days after the logged contact, 10 after the visit
    assert tick(world) == 0
    later(world, 21)  # Friday 19 February
    assert tick(world) == 1
    assert "It has been 31 days since anyone from us contacted 华为" in me.last.text


def test_snooze_a_week_asks_again_a_week_later(world: World) -> None:
    me = lin(world)
    add_client(world, "Acme", default_class="C")  # class C: a call each quarter
    later(world, 91)
    assert tick(world) == 1
    assert "91 days since anyone from us contacted Acme (class C: quarterly)" in me.last.text
    me.press("Snooze a week")
    assert me.last.text == "⏰ I will remind you about Acme again on Mon 1 Mar."
    later(world, 6)
    assert tick(world) == 0
    later(world, 1)
    assert tick(world) == 1
    assert "98 days since anyone from us contacted Acme" in me.last.text


def test_a_leader_visit_each_quarter_for_class_a(world: World) -> None:
    me = world.person(1, "林", language_code="zh-hans").send("/start")
    add_client(world, "华为")
    later(world, 80)
    me.send("/log 华为 电话")
    later(world, 11)
    assert tick(world) == 1
    assert me.last.text == "🏢 公司领导已经 91 天没有拜访华为了（A类：每季度）。"
    me.send("/log 华为 领导拜访，谈了明年的框架协议")
    assert "🏢 领导拜访" in me.last.text
    later(world, 1)
    assert tick(world) == 0


def test_nobody_owns_the_client_so_the_admins_hear(world: World) -> None:
    me = lin(world)
    add_client(world, "Acme", default_class="B", manager=None)
    later(world, 31)
    tick(world)
    assert "31 days since anyone from us contacted Acme (class B: monthly)" in me.last.text


def test_no_nudge_at_night_nor_before_the_digest_time(world: World) -> None:
    me = lin(world)
    add_client(world, "华为")
    world.clock.current = MONDAY_9AM + timedelta(days=35, hours=-1, minutes=-1)  # 07:59 on a Monday
    assert tick(world) == 0
    world.clock.advance(timedelta(minutes=30))  # 08:29
    assert tick(world) == 0
    world.clock.advance(timedelta(minutes=1))  # 08:30
    assert tick(world) == 1
    assert "35 days" in me.last.text


def test_no_relationship_nudges_on_a_day_off(world: World) -> None:
    """Sunday 27 December: nothing; Monday morning: the nudge, counted to that day."""
    me = lin(world)
    add_client(world, "华为")
    world.clock.current = MONDAY_9AM + timedelta(days=34)  # Sunday 09:00
    assert tick(world) == 0
    world.clock.advance(timedelta(days=1))  # Monday 09:00
    assert tick(world) == 1
    assert "35 days" in me.last.text


def test_a_stranger_cannot_log(world: World) -> None:
    lin(world)
    add_client(world, "华为")
    stranger = world.person(9, "Eve", language_code="en")
    stranger.send("/log 华为 called")
    assert "registered staff of the company only" in stranger.last.text
    stranger.press_data("log:n:1")
    assert all("Noted" not in m.text for m in stranger.messages)
    assert services(world).relationship.log_entries.all() == []


def test_the_sweep_goes_a_piece_at_a_time_and_a_stop_midway_repeats_nothing(world: World) -> None:
    """Many class-A clients overdue at once, each with its own account manager: the sweep is many
    small pieces (the scheduler runs a slice of them per turn of the core); stopped after some, the
    next sweep sends only the rest: every client's nudge once."""
    lin(world)
    staff = services(world).access.staff
    names = []
    for number in range(3 * PIECE):
        staff.save(Staff(100 + number, f"经理{number}", Role.STAFF, world.clock.now()))
        names.append(add_client(world, f"客户{number:03d}", manager=100 + number).name)
    later(world, 35)
    pieces = services(world).relationship.sweep(world.clock.now())
    read = 0
    while not (piece := next(pieces)):  # what the sweep reads first, then the first piece of nudges
        read += 1
    first = [due.message for due in piece]
    assert read >= 3 * 2 and len(first) == PIECE
    world.restart()  # stopped between two pieces
    rest = [due.message for piece in services(world).relationship.sweep(world.clock.now()) for due in piece]
    told = sorted(re.findall(r"客户\d{3}", " ".join(message.text for message in first + rest)))
    assert told == sorted(names)


def test_five_nudges_a_day_hold_across_a_stop_midway_and_the_next_day_brings_five_more(world: World) -> None:
    """Lin owns many overdue clients: five nudges a day, the most overdue first. A sweep stopped
    after its first nudges (a restart, or the scheduler's slices) and run again the same day sends
    Lin nothing more; the next day brings the next five."""
    lin(world)
    for number in range(3 * PIECE):
        add_client(world, f"客户{number:03d}")
    later(world, 35)
    pieces = services(world).relationship.sweep(world.clock.now())
    while not (piece := next(pieces)):  # what the sweep reads first, then its first nudges
        pass
    assert [due.message.chat_id for due in piece] == [1] * 5
    world.restart()  # stopped between two pieces
    assert tick(world) == 0
    later(world, 1)
    assert tick(world) == 5
