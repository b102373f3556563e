"""The morning digest through the core, on the week of ``tests.test_lookups``: at 08:30 company time
on working days only, once per person and day whatever restarts, at a person's own time or not at
all, nothing for someone with nothing, and the day's arrivals for the reception group."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bot.core.delivery import Delivery, Transient
from bot.core.events import Action, Event, Send
from bot.core.runner import Runner
from bot.core.slices import Batch, Budget
from bot.scheduling import send_digests
from bot.services.digest import DigestRun
from tests.support.chat import Message, World
from tests.test_lookups import (
    ADMIN,
    CHEN,
    GROUP,
    LIN,
    MA,
    MANAGER,
    RECEPTION,
    SHANGHAI,
    Cast,
    a_week,
    add_visit,
    at,
    numbers,
)


@pytest.fixture
def cast(world: World) -> Cast:
    """The week, with 陳's visit on Wednesday needing the general manager: told three days ahead,
    which was last Friday, so 陳 has something overdue each morning."""
    week = a_week(world)
    visits = world.dispatcher.services.visits
    tsmc = visits.get(3)
    assert tsmc is not None
    visits.update(replace(tsmc, executives=("general_manager",)))
    return week


def tick(world: World, when: datetime | None = None) -> dict[int, str]:
    """One scheduler tick at ``when``: the HTML each chat got, everything delivered at once."""
    if when is not None:
        world.clock.current = when
    outgoing = world.dispatcher.services.digests.due_messages()
    world.deliver([item.message for item in outgoing])
    return {item.message.chat_id: item.message.text for item in outgoing}


def monday(hour: int, minute: int = 0) -> datetime:
    return at(23, hour, minute)


def test_at_0830_on_a_working_day_each_person_gets_their_day(world: World, cast: Cast) -> None:
    assert tick(world, monday(8, 29)) == {}
    sent = tick(world, monday(8, 30))
    # Each lists what they hold (the manager: the visits awaiting their approval); reception and the
    # admin have nothing of their own.
    assert set(sent) == {LIN, MA, CHEN, MANAGER}
    lin = world.person(LIN).last.text.splitlines()
    assert lin[:4] == ["☀️ 早上好，Lin！11月23日 周一 的安排：", "", "📅 今天 11月23日 周一",
                       "🕘 10:00–12:00 华为 #1 · ⚠️ 准备滞后"]
    assert "⚠️ 已逾期" in lin and "📌 今天到期" in lin
    assert lin.index("📌 今天到期") < lin.index("⚠️ 已逾期")  # the day first, then the backlog
    assert "• 11:00 团队复盘：把客户需求转为有责任人和期限的任务（#5 华为）" in lin  # later today: listed
    assert not any("#2" in line or "#3" in line for line in lin)  # others' visits: not in one's own digest
    assert "📝 待您审批\n#1 华为" in sent[MANAGER]
    assert "填写《客户接待安排表》" not in sent[MANAGER]  # the host's item: the approval is theirs
    assert "#1" not in "".join(line for line in sent[MANAGER].splitlines() if "今天" in line)
    ma = world.person(MA).last.text
    assert ma.startswith("☀️ Good morning, Ma! Your day, Mon 23 Nov:\n\n📅 Today, Mon 23 Nov\n🕘 10:00–12:00")


def slices(world: World, run: DigestRun, count: int | None = None) -> list[Batch]:
    """``count`` slices of ``run`` (None: until it is done), each one write, each with no time to
    spare: every slice does the least it may (one piece of its work)."""
    done: list[Batch] = []
    while count is None or len(done) < count:
        with world.dispatcher.services.db.unit():
            done.append(run.step(Budget(0)))
        if not done[-1].more:
            break
    return done


def test_the_digests_go_out_a_slice_at_a_time_each_once_even_after_a_stop_midway(world: World,
                                                                               cast: Cast) -> None:
    world.clock.current = monday(8, 30)
    digests = world.dispatcher.services.digests
    # Who is due, their open items, then one person a slice (the admin has nothing: no message).
    first = slices(world, DigestRun(digests), 5)
    assert [[m.chat_id for m in batch.messages] for batch in first] == [[], [], [], [MANAGER], [LIN]]
    assert first[-1].more
    world.restart()  # stopped between two slices: the two sent are recorded, the rest not yet
    rest = slices(world, DigestRun(world.dispatcher.services.digests))
    sent = [m.chat_id for batch in first + rest for m in batch.messages]
    assert sorted(sent) == sorted({LIN, MA, CHEN, MANAGER})  # each once
    assert rest[-1].more is False and len(rest) > 2


def test_no_digest_twice_after_a_second_tick_or_a_restart(world: World, cast: Cast) -> None:
    assert tick(world, monday(8, 30))
    assert tick(world, monday(8, 30)) == {}
    world.restart()
    assert tick(world, monday(8, 31)) == {}
    assert tick(world, monday(11, 0)) == {}
    assert set(tick(world, at(24, 8, 30))) == {LIN, MA, CHEN, MANAGER}  # Tuesday: a new day


@pytest.mark.parametrize("day", [
    datetime(2026, 11, 29, 8, 30, tzinfo=SHANGHAI),  # a Sunday
    datetime(2026, 10, 1, 8, 30, tzinfo=SHANGHAI),  # National Day, a Thursday
])
def test_no_digest_on_a_day_off(world: World, cast: Cast, day: datetime) -> None:
    add_visit(world, cast.huawei, "华为", day + timedelta(days=1, hours=2), 2, host=LIN)
    assert tick(world, day) == {}
    assert tick(world, day + timedelta(hours=1)) == {}


@pytest.mark.parametrize("day", [
    datetime(2026, 11, 29, 8, 30, tzinfo=SHANGHAI),  # a Sunday
    datetime(2026, 10, 1, 8, 30, tzinfo=SHANGHAI),  # National Day, a Thursday
])
def test_on_a_day_off_only_whoever_has_a_visit_gets_a_digest(world: World, cast: Cast, day: datetime) -> None:
    add_visit(world, cast.huawei, "华为", day + timedelta(hours=2), 2, host=LIN)
    assert set(tick(world, day)) == {LIN}
    assert "华为" in world.person(LIN).last.text


def test_a_make_up_working_sunday_gets_its_digest(world: World, cast: Cast) -> None:
    sunday = datetime(2026, 9, 20, 8, 30, tzinfo=SHANGHAI)  # 调休: worked for the National Day week
    add_visit(world, cast.huawei, "华为", sunday + timedelta(hours=2), 2, host=LIN)
    assert set(tick(world, sunday)) == {LIN, MANAGER}  # the manager: the request to review
    assert "📅 今天 9月20日 周日" in world.person(LIN).last.text


def test_a_person_s_own_time_and_switching_it_off(world: World, cast: Cast) -> None:
    lin = world.person(LIN)
    lin.send("/digest")
    assert lin.last.text.startswith("☀️ 您的晨报在每个工作日 08:30 发送")
    assert lin.send("/digest 7:45").last.text == "✅ 晨报改为每个工作日 07:45 发送。"
    assert set(tick(world, monday(7, 44))) == set()
    assert set(tick(world, monday(7, 45))) == {LIN}
    assert set(tick(world, monday(8, 30))) == {MA, CHEN, MANAGER}
    assert lin.send("/digest off").last.text == "🔕 晨报已关闭。发送 /digest on 恢复（公司时间 08:30）。"
    assert lin.send("/digest").last.text == "🔕 晨报已关闭。发送 /digest on 恢复（公司时间 08:30）。"
    assert LIN not in tick(world, at(24, 8, 30))
    assert lin.send("/digest on").last.text == "✅ 晨报改为每个工作日 08:30 发送。"
    assert LIN in tick(world, at(25, 8, 30))
    assert lin.send("/digest 25:00").last.text.startswith("请这样写时间：/digest 09:00")
    world.person(MA).send("/digest 09:15")
    assert world.person(MA).last.text == "✅ Your digest now comes at 09:15 on working days."


def test_a_digest_missed_while_the_bot_was_down_goes_out_until_noon(world: World, cast: Cast) -> None:
    assert set(tick(world, monday(12, 29))) == {LIN, MA, CHEN, MANAGER}
    assert tick(world, at(24, 12, 31)) == {}


def test_nobody_switched_off_or_unreachable_gets_one(world: World, cast: Cast) -> None:
    access = world.dispatcher.services.access
    admin = access.staff.get(ADMIN)
    assert admin is not None
    access.set_active(admin, MA, False)
    access.staff.set_reachable(CHEN, False)
    assert set(tick(world, monday(8, 30))) == {LIN, MANAGER}


def test_the_reception_group_gets_the_day_s_arrivals_and_nothing_on_a_day_without(world: World,
                                                                                   cast: Cast) -> None:
    event = Event(world.person(ADMIN).user, GROUP, "group", text="/register_group")
    world.deliver(world.dispatcher.handle(event))
    assert GROUP in tick(world, monday(8, 30))
    assert world.chats[GROUP][-1].text.splitlines() == [
        "☀️ 早上好！今天的到访：", "", "📅 今天 11月23日 周一", "🕘 10:00–12:00 华为 #1 · ⚠️ 准备滞后",
        "    张伟 总经理 · 2人 · A类 · 接待 Lin · 📍3楼大会议室 · 🚗 接送：未定司机"]
    assert set(tick(world, at(24, 8, 30))) == {GROUP, LIN, MA, CHEN, MANAGER}
    assert "#2" in world.chats[GROUP][-1].text
    assert GROUP not in tick(world, at(26, 8, 30))  # Thursday: 台積電 arrived on Wednesday


class FlakyTelegram:
    """Delivers everything but fails once, for Lin, as a network error would."""

    def __init__(self) -> None:
        self.sent: list[Action] = []
        self.failed = False

    async def perform(self, action: Action) -> int | None:
        if isinstance(action, Send) and action.chat_id == LIN and not self.failed:
            self.failed = True
            raise Transient("connection reset")
        self.sent.append(action)
        return len(self.sent)


def test_the_runner_delivers_due_digests_through_the_retrying_delivery(world: World, cast: Cast) -> None:
    telegram = FlakyTelegram()
    runner = Runner(world.dispatcher)

    async def no_wait(seconds: float) -> None:
        del seconds

    runner.delivery = Delivery(telegram, sleep=no_wait)
    try:
        world.clock.current = monday(8, 30)
        assert asyncio.run(send_digests(runner)) == 4
        assert {getattr(a, "chat_id", None) for a in telegram.sent} == {LIN, MA, CHEN, MANAGER}
        assert asyncio.run(send_digests(runner)) == 0
    finally:
        runner.close()


def test_the_digest_counts_only_what_is_still_open(world: World, cast: Cast) -> None:
    nudges = world.dispatcher.services.nudges.nudges
    for number in (1, 4, 5):
        nudges.save_all(replace(n, state=n.state.DONE) for n in nudges.for_visit(number))
    tick(world, monday(8, 30))
    lin: Message = world.person(LIN).last
    assert numbers(lin) == {1}
    assert "已逾期" not in lin.text and "今天到期" not in lin.text
    assert RECEPTION not in world.chats  # nothing of their own: silence
    boss = world.person(MANAGER).last.text
    assert "📝 待您审批\n#1 华为" in boss  # every visit awaits their approval (test_approval_reminders)
    assert "📌" not in boss and "安排表" not in boss  # the forms are the hosts' items, not theirs
