"""A visit still awaiting its approval: the approver's morning digest lists it ("awaiting your
approval", with its arrival and how long it has waited), and a working day before the arrival the
approver is reminded once and the host told it is still pending: not in quiet hours, not on a day
off unless the visit is close, and not once it is answered or the visit is off."""

from __future__ import annotations

from tests.support.chat import World, at
from tests.visit_chat import company, new_visit

REMINDER = "Still awaiting your approval"


def remind(world: World, local: str) -> int:
    """The scheduler's look for approvals to remind of (``scheduling.send_approval_reminders``) at
    the Shanghai wall time ``local``; returns how many messages went out."""
    at(world, local)
    services = world.dispatcher.services
    with services.db.unit():
        services.outbox.add(services.approval_reminders.due_messages(world.clock.now()), "approval")
    return world.flush_outbox()


def digests(world: World, local: str) -> dict[int, str]:
    """The morning digests at ``local``: each person's text by their id (none for someone with nothing)."""
    at(world, local)
    outgoing = world.dispatcher.services.digests.due_messages()
    return {item.message.chat_id: item.message.text for item in outgoing}


def test_the_approvers_digest_lists_what_awaits_their_answer(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)  # Monday 09:00, for Thursday at 10:00
    world.flush_outbox()
    tuesday = digests(world, "2026-11-24 08:30")
    line = "#1 华为 · arriving Thu 26 Nov 10:00 · waiting 23 hours"
    assert f"📝 Awaiting your approval\n{line}" in tuesday[manager.id]
    assert "待您审批" not in tuesday.get(host.id, "")  # the host is not asked
    manager.press("Approve")
    assert "Awaiting your approval" not in digests(world, "2026-11-25 08:30").get(manager.id, "")


def test_the_approver_is_reminded_once_a_working_day_ahead_and_the_host_told(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    assert remind(world, "2026-11-25 09:50") == 0
    assert remind(world, "2026-11-25 10:00") == 2
    reminder = manager.last
    assert "⏰ Still awaiting your approval\nVisit #1: 华为, Class C (ordinary)," in reminder.text
    assert "arriving Thu 26 Nov 10:00, hosted by 林晓. Waiting for 2 days." in reminder.text
    assert host.last.text == ("⏳ 来访 #1（华为，11月26日 周四 10:00）仍在等待部门负责人审批：Maria Chen。"
                              "已再次提醒。")
    assert remind(world, "2026-11-25 10:10") == 0 and remind(world, "2026-11-25 16:00") == 0
    manager.press("Approve", message=reminder)
    assert "✅ Department head: approved by Maria Chen" in manager.last.text


def test_a_request_at_short_notice_waits_out_the_night(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    at(world, "2026-11-25 20:00")
    new_visit(host, arrival="明天上午10点", departure="明天下午4点")
    world.flush_outbox()
    assert remind(world, "2026-11-25 20:30") == 0  # just asked
    assert remind(world, "2026-11-25 22:00") == 0  # quiet hours
    assert remind(world, "2026-11-26 08:00") == 2
    assert REMINDER in manager.last.text and "Waiting for 12 hours." in manager.last.text


def test_nothing_on_a_day_off_until_the_eve_of_the_visit(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    at(world, "2026-11-27 20:00")  # a Friday evening, for Monday
    new_visit(host, arrival="11月30日上午10点", departure="11月30日下午4点")
    world.flush_outbox()
    assert remind(world, "2026-11-27 22:00") == 0  # due, but quiet hours
    assert remind(world, "2026-11-28 10:00") == 0  # Saturday
    assert remind(world, "2026-11-29 16:50") == 0  # Sunday
    assert remind(world, "2026-11-29 17:00") == 2  # the evening before the visit
    assert REMINDER in manager.last.text


def test_no_reminder_once_answered_or_called_off(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    new_visit(host, room="302")
    new_visit(host, room="303")
    world.flush_outbox()
    manager.press("Approve", message=manager.messages[-3])
    manager.press("Send back", message=manager.messages[-2]).send("Please add the agenda.")
    services = world.dispatcher.services
    third = services.visits.get(3)
    assert third is not None
    services.visits.cancel(third, "client postponed")
    world.flush_outbox()
    told = len(manager.messages)
    assert remind(world, "2026-11-25 10:00") == 0
    assert len(manager.messages) == told


def test_a_long_list_of_approvals_is_cut_short_in_the_digest(world: World) -> None:
    people = company(world)
    new_visit(people["林晓"])
    services = world.dispatcher.services
    first = services.visits.get(1)
    assert first is not None
    for _ in range(11):
        services.visits.create(first)
    text = digests(world, "2026-11-24 08:30")[people["Maria Chen"].id]
    assert "#10 华为" in text and "#11 华为" not in text
    assert text.endswith("… and 2 more visits awaiting your approval")
