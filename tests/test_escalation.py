"""After-visit items left undone reach the host's manager once, a working day after they were due."""

from __future__ import annotations

import pytest

from tests.support.chat import Person, World, at
from tests.support.walkthroughs import plan_visit


@pytest.fixture
def admin_ids() -> frozenset[int]:
    return frozenset({1, 2})


def escalate(world: World) -> int:
    services = world.dispatcher.services
    messages = [due.message for due in services.escalations.due_messages(services.clock.now())]
    world.deliver(messages)
    return len(messages)


def left_undone(world: World) -> tuple[Person, Person]:
    """Lin (whose manager is Wang) did the follow-up of a visit but not the memo, minutes and
    feedback; it is now a working day after they were due. Returns Lin and Wang."""
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    boss = world.person(2, "Wang", language_code="en").send("/start")
    host.send("/staff").press("Lin ›").press("设置上级").press("Wang")
    plan_visit(host)  # Thursday 26 Nov, leaves 16:00
    at(world, "2026-11-27 17:00")  # Friday: the follow-up (+1 working day) is sent
    world.tick()
    host.press("✅ 给客户发送个性化跟进信息", message=next(m for m in host.messages if "个性化" in m.text))
    at(world, "2026-11-30 17:00")  # Monday: memo, minutes, feedback (+2 working days) sent, not done
    world.tick()
    assert escalate(world) == 0  # due only today: not late yet
    at(world, "2026-12-01 17:30")  # a working day later
    return host, boss


def test_undone_follow_ups_escalate_once_to_the_hosts_manager(world: World) -> None:
    _, boss = left_undone(world)
    assert escalate(world) == 1
    text = boss.last.text
    assert "3 after-visit items of your team are overdue" in text
    assert "Lin: visit #1 (华为)" in text
    assert "Follow up" not in text  # done in time
    boss.press("Open visit #1")
    assert "华为" in boss.last.text
    world.restart()
    assert escalate(world) == 0  # once, even after a restart


def test_nothing_escalates_at_night_or_on_a_holiday(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    world.person(2, "Wang", language_code="en").send("/start").send("/staff").press("Lin ›").press("manager")
    plan_visit(host)
    at(world, "2026-11-30 17:00")
    world.tick()
    at(world, "2026-12-01 23:00")  # quiet hours
    assert escalate(world) == 0
    at(world, "2026-12-05 10:00")  # Saturday
    assert escalate(world) == 0
    at(world, "2026-12-07 09:00")  # Monday morning: Lin's manager-less items go to the managers
    assert escalate(world) == 1
