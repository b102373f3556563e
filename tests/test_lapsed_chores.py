"""Chores whose moment passes (the policy's ``lapses``: tidying the room after the meeting) are
closed as missed once the next working day is over: the reception desk's digest and /mytasks stop
listing them, the visit's checklist shows them missed; follow-ups stay on the host's list."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.nudges import Lapses
from bot.domain.policy import load_policy
from bot.domain.workdays import china_calendar
from bot.services.digest import DigestService
from tests.support.chat import Person, World, at
from tests.support.walkthroughs import plan_visit

SHANGHAI = ZoneInfo("Asia/Shanghai")
TIDY = "整理会议室"


def digests(world: World) -> dict[int, str]:
    services = world.dispatcher.services
    service: DigestService = services.digests
    return {item.message.chat_id: item.message.text for item in service.due_messages()}


def a_visit_the_desk_never_tidied_after(world: World) -> tuple[Person, Person]:
    """Lin hosts a visit on Thursday 26 November, 10:00-16:00; Qian holds the reception desk, gets
    "tidy the room" at 16:30 and never presses Done."""
    world.admin_ids = frozenset({1, 3})
    world.restart()
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    desk = world.person(3, "Qian", language_code="zh-hans").send("/start")
    host.send("/staff").press("Qian ›").press("前台")
    plan_visit(host)
    for moment in ("2026-11-25 10:00", "2026-11-26 08:00", "2026-11-26 09:55", "2026-11-26 16:30"):
        at(world, moment)
        world.tick()
    assert TIDY in desk.last.text
    return host, desk


def test_only_tidying_lapses_of_the_shipped_timeline() -> None:
    """The follow-ups (notes, review, memo, minutes, feedback, thanks) stay worth doing late."""
    assert load_policy(None).lapsing == {"tidy"}


@pytest.mark.parametrize(("due", "lapses_at"), [
    ("2026-11-26 16:30", "2026-11-28 00:00"),  # Thursday: when Friday is over
    ("2026-11-27 16:30", "2026-12-01 00:00"),  # Friday: when Monday is over, not at the weekend
    ("2026-09-30 17:00", "2026-10-09 00:00"),  # before the National Day week: the first day back
])
def test_a_chore_lapses_when_the_next_working_day_is_over(due: str, lapses_at: str) -> None:
    lapses = Lapses(frozenset({"tidy"}), china_calendar(), SHANGHAI)
    moment, end = (datetime.fromisoformat(f"{text}+08:00") for text in (due, lapses_at))
    assert lapses.end(moment) == end
    assert not lapses.lapsed("tidy", moment, end - timedelta(minutes=1))
    assert lapses.lapsed("tidy", moment, end) and not lapses.lapsed("notes", moment, end)


def test_two_working_days_later_the_room_not_tidied_is_missed_not_listed(world: World) -> None:
    host, desk = a_visit_the_desk_never_tidied_after(world)
    at(world, "2026-11-27 08:30")  # Friday: the next working day, still time to do it
    assert TIDY in digests(world)[3]
    desk.send("/mytasks")
    assert TIDY in desk.last.text
    at(world, "2026-11-30 08:30")  # Monday: Thursday's visit is two working days ago
    sent = digests(world)
    assert TIDY not in sent.get(3, "")
    assert "归档沟通记录" in sent[1]  # the host's follow-ups are still worth doing: still listed
    desk.send("/mytasks")
    assert TIDY not in desk.last.text
    host.send("/visit 1").press("检查清单")
    tidy = [line for line in host.last.text.splitlines() if TIDY in line]
    assert len(tidy) == 1 and tidy[0].startswith("❌")
    at(world, "2026-11-30 10:00")
    world.tick()
    assert TIDY not in desk.last.text  # never sent again
