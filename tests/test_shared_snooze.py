"""A duty the reception desk shares ("tidy the room", which any desk member may do): one member's
"in an hour" puts it off for the whole desk, and when the hour is up it comes back to whoever asked
for it, not to every member again: a desk of three would otherwise get it after each one's snooze."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.nudges import NudgeState
from tests.support.chat import Person, World, at
from tests.support.walkthroughs import plan_visit

TIDY = "整理会议室"


def a_desk_of_three_told_to_tidy(world: World, language: str = "zh-hans",
                                 tidy: str = TIDY) -> tuple[Person, Person, Person]:
    """Lin hosts a visit on Thursday 26 November, 10:00-16:00; Qian, Zhao and Sun hold the
    reception desk (in ``language``) and all three get "tidy the room" (``tidy``) at 16:30."""
    world.admin_ids = frozenset({1, 3, 4, 5})
    world.restart()
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    desk = tuple(world.person(user_id, name, language_code=language).send("/start")
                 for user_id, name in ((3, "Qian"), (4, "Zhao"), (5, "Sun")))
    for name in ("Qian", "Zhao", "Sun"):
        host.send("/staff").press(f"{name} ›").press("前台")
    plan_visit(host)
    for moment in ("2026-11-25 10:00", "2026-11-26 08:00", "2026-11-26 09:55", "2026-11-26 16:30"):
        at(world, moment)
        world.tick()
    assert all(tidy in member.last.text for member in desk)
    return desk[0], desk[1], desk[2]


def tidy_state(world: World) -> NudgeState:
    return next(n.state for n in world.dispatcher.services.nudges.for_visit(1) if n.item == "tidy")


def test_one_member_s_snooze_brings_the_duty_back_to_them_only(world: World) -> None:
    qian, zhao, _ = a_desk_of_three_told_to_tidy(world)
    qian.press("1小时后", message=qian.last)
    assert "17:30" in qian.last.text
    seen_by_qian, seen_by_zhao = len(qian.messages), len(zhao.messages)
    for _ in range(3):  # within the hour: nobody hears of it
        world.clock.advance(timedelta(minutes=15))
        world.tick()
    assert len(qian.messages) == seen_by_qian and len(zhao.messages) == seen_by_zhao
    at(world, "2026-11-26 17:31")  # the hour Qian asked for is up
    assert world.tick() == 1
    assert TIDY in qian.last.text and len(qian.messages) == seen_by_qian + 1
    assert len(zhao.messages) == seen_by_zhao  # Zhao had it already and asked for nothing
    zhao.press("✅ 已完成", message=zhao.messages[seen_by_zhao - 1])  # Zhao's first message still works
    assert tidy_state(world) is NudgeState.DONE


def test_two_members_snoozing_both_get_it_back_once_and_the_third_not(world: World) -> None:
    qian, zhao, sun = a_desk_of_three_told_to_tidy(world)
    qian.press("1小时后", message=qian.last)
    world.clock.advance(timedelta(minutes=10))
    zhao.press("1小时后", message=zhao.last)  # 16:40: until 17:40 for the desk
    seen = [len(member.messages) for member in (qian, zhao, sun)]
    at(world, "2026-11-26 17:35")
    assert world.tick() == 0  # Zhao's later hour holds it for both
    at(world, "2026-11-26 17:41")
    assert world.tick() == 2
    assert [len(member.messages) for member in (qian, zhao, sun)] == [seen[0] + 1, seen[1] + 1, seen[2]]
