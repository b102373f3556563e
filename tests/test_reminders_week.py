"""A reception officer's fortnight with the bot's clock moving forward: what each reminder says, when
it arrives (never on a weekend unless the visit is then), nothing for things nobody asked for,
nothing stale, one message per moment, and the debrief closing what it covers."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace as changed
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.nudges import NudgeState
from bot.domain.visits import Lodging
from bot.services.digest import DigestService
from tests.support.chat import Person, World, at
from tests.support.walkthroughs import plan_visit

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Received:
    at: datetime  # Shanghai time
    text: str


def live(world: World, person: Person, until: str, step: timedelta = timedelta(minutes=15)) -> list[Received]:
    """Moves the clock to ``until`` (Shanghai) a step at a time, sending what is due at each step;
    returns what ``person`` received meanwhile, with when."""
    end = datetime.fromisoformat(until + "+08:00")
    got: list[Received] = []
    while world.clock.now() < end:
        world.clock.advance(step)
        before = len(person.messages)
        world.tick()
        got += [Received(world.clock.now().astimezone(SHANGHAI), m.text) for m in person.messages[before:]]
    return got


def lin(world: World) -> Person:
    return world.person(1, "Lin", language_code="zh-hans").send("/start")


def test_a_monday_visit_is_prepared_on_friday_and_nothing_comes_at_the_weekend(world: World) -> None:
    host = lin(world)
    plan_visit(host, arrival="下周一上午10点", departure="下周一下午4点")  # Monday 30 November
    got = live(world, host, "2026-11-30 08:00")
    weekend = [r for r in got if r.at.weekday() >= 5]
    assert weekend == []
    day_before = [r for r in got if "填写《客户接待安排表》" in r.text]
    assert [r.at.strftime("%a %H:%M") for r in day_before] == ["Fri 10:00"]
    # The form, the itinerary and the venue come due together: one message, not three.
    assert "行程安排表" in day_before[0].text and "确认会议室" in day_before[0].text


def test_no_items_for_what_nobody_asked_for(world: World) -> None:
    host = lin(world)
    plan_visit(host)  # class C, a flight pickup, no banner, no name cards, no projector, no hotel
    items = {n.item for n in world.dispatcher.services.nudges.for_visit(1)}
    assert not items & {"banner", "name_cards", "equipment", "hotel_route", "hotel_room", "thank_booker",
                        "leaders", "president"}
    assert "pickup" in items
    host.send("/visit 1").press("修改").press("✏️ 其他准备")
    host.press("欢迎横幅").press("选好了").press("保存")
    assert "banner" in {n.item for n in world.dispatcher.services.nudges.for_visit(1)
                        if n.state is NudgeState.PLANNED}


def test_what_was_not_done_by_arrival_is_missed_not_sent_late_nor_listed(world: World) -> None:
    """The bot was down from Wednesday to Thursday 12:05; the visit began at 10:00. The T-5 min
    "wait at the entrance" is not sent; the day-before items show as missed on the checklist, and a
    week later the digest and /mytasks mention none of them."""
    host = lin(world)
    plan_visit(host)  # Thursday 26 November, 10:00-16:00
    world.tick()
    at(world, "2026-11-26 12:05")
    world.restart()
    world.tick()
    assert not any("在约定地点等候" in m.text for m in host.messages)
    states = {n.item: n.state for n in world.dispatcher.services.nudges.for_visit(1)}
    assert states["host_wait"] is NudgeState.MISSED and states["form"] is NudgeState.MISSED
    host.send("/visit 1").press("检查清单")
    assert "❌" in host.last.text
    at(world, "2026-12-03 08:30")  # a week later
    services = world.dispatcher.services
    digests: DigestService = services.digests
    texts = [item.message.text for item in digests.due_messages()]
    mine = "\n".join(texts)
    assert "安排表" not in mine and "等候" not in mine and "准备滞后" not in mine
    host.send("/mytasks")
    assert "安排表" not in host.last.text and "等候" not in host.last.text


def test_the_digest_lists_ten_overdue_items_then_points_to_mytasks(world: World) -> None:
    host = lin(world)
    for day in ("周四", "周五"):
        plan_visit(host, arrival=f"{day}上午10点", departure=f"{day}下午4点")
    at(world, "2026-12-01 10:00")
    world.tick()  # every follow-up item sent, none done
    at(world, "2026-12-09 08:30")
    texts = [item.message.text for item in world.dispatcher.services.digests.due_messages()]
    assert texts, "a digest with overdue items"
    digest = texts[0]
    overdue = digest.split("已逾期", 1)[1]
    assert overdue.count("#") <= 10
    assert "/mytasks" in digest and "还有" in digest


def test_a_short_notice_visit_gets_one_catch_up_and_an_ordinary_one_no_short_notice(world: World) -> None:
    host = lin(world)
    plan_visit(host)  # three days ahead is not short notice
    world.tick()
    assert not any("本应已经完成" in m.text for m in host.messages)
    plan_visit(host, arrival="今天上午11点", departure="今天下午3点")
    before = len(host.messages)
    world.tick()
    catch_up = [m.text for m in host.messages[before:] if "本应已经完成" in m.text]
    assert len(catch_up) == 1


def test_the_debrief_ticks_the_notes_the_review_and_the_memo(world: World) -> None:
    host = lin(world)
    plan_visit(host)
    at(world, "2026-11-26 17:00")
    host.send("/debrief 1").press("推进中").send("样品和报价").send("价格偏高").send("无")
    host.send("下周三").send("500元").press("★★★★★").send("很好").press("保存")
    assert "已在来访清单中勾选" in host.sees_text()
    states = {n.item: n.state for n in world.dispatcher.services.nudges.for_visit(1)}
    assert states["notes"] is states["review"] is states["memo"] is NudgeState.DONE
    assert states["minutes"] is not NudgeState.DONE


def test_removing_the_lodging_tells_whoever_held_the_hotel_items(world: World) -> None:
    world.admin_ids = frozenset({1, 2})
    world.restart()
    host = lin(world)
    office = world.person(2, "Zhou", language_code="zh-hans").send("/start")
    host.send("/staff").press("Zhou ›").press("市场部内勤")
    services = world.dispatcher.services
    plan_visit(host)
    visit = services.visits.get(1)
    assert visit is not None
    services.visits.update(changed(visit, lodging=Lodging("锦江饭店", visit.arrival, visit.departure)))
    at(world, "2026-11-26 08:00")  # the hotel checks go to the office (after quiet hours)
    world.tick()
    assert "检查贵宾进入酒店的路线" in office.sees_text()
    visit = services.visits.get(1)
    assert visit is not None
    services.visits.update(changed(visit, lodging=None))
    world.flush_outbox()
    assert "以下事项已不再需要" in office.last.text and "酒店的路线" in office.last.text
    states = {n.item: n.state for n in services.nudges.for_visit(1)}
    assert states["hotel_route"] is NudgeState.CANCELLED


def test_snooze_on_a_cancelled_visit_no_longer_applies(world: World) -> None:
    host = lin(world)
    plan_visit(host)
    at(world, "2026-11-25 10:00")
    world.tick()
    reminder = host.last
    host.send("/visit 1").press("取消来访").send("客户改期").press("保存")
    assert "❌ 已取消：客户改期" in host.messages[-2].text
    assert not host.sees("以下事项已不再需要")  # the host cancelled it: no "no longer needed" note on top
    host.press("1小时后", message=reminder)
    assert "不再适用" in world.toasts[-1]
    at(world, "2026-11-26 09:00")
    assert world.tick() == 0


def test_snooze_moves_only_the_items_of_the_message_pressed(world: World) -> None:
    """The host's "in an hour" on the follow-up list does not postpone the reception desk's tidying,
    though both came due at the same moment; and what comes back says nothing of being offline."""
    world.admin_ids = frozenset({1, 3})
    world.restart()
    host = lin(world)
    desk = world.person(3, "Qian", language_code="zh-hans").send("/start")
    host.send("/staff").press("Qian ›").press("前台")
    plan_visit(host)  # Thursday 26 November, 10:00-16:00
    for moment in ("2026-11-23 09:00", "2026-11-25 10:00", "2026-11-26 08:00", "2026-11-26 09:55"):
        at(world, moment)
        world.tick()
    at(world, "2026-11-26 16:30")  # the guests left: the host archives the notes, the desk tidies
    world.tick()
    assert "整理会议室" in desk.last.text
    host.press("1小时后", message=host.last)
    states = {n.item: n.state for n in world.dispatcher.services.nudges.for_visit(1)}
    assert states["notes"] is NudgeState.SNOOZED and states["tidy"] is NudgeState.SENT
    at(world, "2026-11-26 17:31")
    world.tick()
    assert "归档沟通记录" in host.last.text and "离线" not in host.last.text
    assert desk.messages[-1].text.count("整理会议室") == 1


def test_the_drive_to_the_airport_is_not_held_by_quiet_hours(world: World) -> None:
    """An 08:00 landing for a 10:00 visit: "leave for the airport" (T-90 min of the landing, 06:30)
    goes out at 06:30, though it is quiet time and the visit itself is three and a half hours away."""
    host = lin(world)
    plan_visit(host)
    states = {n.item: n.due for n in world.dispatcher.services.nudges.for_visit(1)}
    assert states["pickup"].astimezone(SHANGHAI).strftime("%H:%M") == "06:30"
    world.tick()
    at(world, "2026-11-25 10:00")
    world.tick()
    at(world, "2026-11-26 06:30")
    assert world.tick() == 1
    assert "接机/接站" in host.last.text
