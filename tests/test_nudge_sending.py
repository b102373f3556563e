"""Nudges arrive once, on time, to the right person: sending, Done, Snooze, quiet hours, catch-up,
downtime and restarts — with an injected clock, no sleeping."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.core.slices import Budget
from bot.domain.nudges import NudgeState
from bot.services.dispatch import NudgeRun, NudgeSender
from tests.documents_support import documents
from tests.support.chat import World, at
from tests.support.walkthroughs import plan_visit


def nudges(world: World) -> dict[str, NudgeState]:
    return {n.item: n.state for n in world.dispatcher.services.nudges.for_visit(1)}


def test_saving_plans_the_timeline_and_each_nudge_goes_out_once(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    assert "已安排" in host.last.text
    at(world, "2026-11-25 10:00")  # the working day before
    assert world.tick() >= 1
    assert "确认会议室、展厅" in host.sees_text()
    assert world.tick() == 0  # nothing twice
    at(world, "2026-11-26 09:30")  # T-30 min
    seen = len(host.messages)
    assert world.tick() >= 1
    assert any("团队简报" in message.text for message in host.messages[seen:])  # this tick sent it


def test_one_message_per_moment_done_ticks_one_item_and_snooze_moves_the_message(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/lang").press("简体中文")
    plan_visit(host)
    host.send("/lang").press("English")
    at(world, "2026-11-25 10:00")  # the day before: the venue, the form, the itinerary at once
    assert world.tick() == 1
    message = host.last
    assert "3 items for this visit" in message.text
    assert "Confirm the meeting room" in message.text and "itinerary" in message.text
    host.press("✅ Confirm the meeting room", message=message)
    assert "✅ Confirm the meeting room and showroom — done by Lin" in host.last.text
    assert not any("Confirm the meeting room" in b.label for row in host.last.buttons for b in row)
    assert list(nudges(world).values()).count(NudgeState.DONE) == 1
    host.press("In 1 hour", message=host.last)
    assert "I will remind you again" in host.last.text
    snoozed = [item for item, state in nudges(world).items() if state is NudgeState.SNOOZED]
    assert sorted(snoozed) == ["form", "itinerary"]
    world.clock.advance(timedelta(minutes=59))
    assert world.tick() == 0
    world.clock.advance(timedelta(minutes=2))
    assert world.tick() == 1
    assert "2 items for this visit" in host.last.text


def test_a_single_item_keeps_the_short_form_with_done(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/lang").press("简体中文")
    plan_visit(host)
    host.send("/lang").press("English")
    for moment in ("2026-11-23 09:00", "2026-11-25 10:00", "2026-11-26 09:45"):
        at(world, moment)
        world.tick()
    at(world, "2026-11-26 09:55")  # T-5 min: only the host waits at the entrance
    assert world.tick() == 1
    assert host.last.text.startswith("⏰ <b>Wait for the guests") or host.last.text.startswith("⏰ Wait")
    host.press("Done", message=host.last)
    assert "Done by Lin" in host.last.text


def test_quiet_hours_hold_nudges_until_morning(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    at(world, "2026-11-25 22:00")
    sent_at_night = world.tick()
    at(world, "2026-11-26 08:01")
    assert sent_at_night == 0
    assert world.tick() >= 1


def test_a_visit_saved_at_short_notice_gets_one_catch_up_list(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/lang").press("简体中文")
    plan_visit(host, arrival="今天上午11点", departure="今天下午3点")
    host.send("/lang").press("English")
    world.tick()
    catch_up = next(m.text for m in host.messages if "Visit #1 is close: these" in m.text)
    assert "Confirm the meeting room" in catch_up
    assert world.tick() == 0


def test_downtime_sends_what_came_due_once_marked_late(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/lang").press("简体中文")
    plan_visit(host)
    host.send("/lang").press("English")
    at(world, "2026-11-25 16:00")  # the bot was down since Monday
    world.restart()
    world.tick()
    assert "(Late: this was due" in host.last.text
    world.restart()
    assert world.tick() == 0


def test_rescheduling_moves_and_cancelling_clears_the_timeline(world: World) -> None:
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    before = {n.item: n.due for n in world.dispatcher.services.nudges.for_visit(1)}
    host.press("改期").send("下周四上午10点").press("对").send("下周四下午4点").press("对").press("保存")
    after = {n.item: n.due for n in world.dispatcher.services.nudges.for_visit(1)}
    assert after["briefing"] - before["briefing"] == timedelta(days=7)
    assert after["pickup"] - before["pickup"] == timedelta(days=7)
    host.send("/visit 1").press("取消来访").send("客户改期").press("保存")
    assert set(nudges(world).values()) <= {NudgeState.CANCELLED}
    at(world, "2026-12-02 10:00")
    assert world.tick() == 0


def test_office_items_reach_the_office_and_the_approval_request_the_hosts_manager(world: World) -> None:
    world.admin_ids = frozenset({1, 2, 3})
    world.restart()
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    office = world.person(2, "Zhou", language_code="zh-hans").send("/start")
    host.send("/invite").press("经理")  # an admin named in the settings cannot be made a manager
    code = host.last.text.split("start=")[1].split()[0]
    boss = world.person(3, "Wang", language_code="en").send(f"/start {code}")
    host.send("/staff").press("Zhou ›").press("市场部内勤")
    plan_visit(host, extras=("欢迎横幅",))
    world.tick()
    assert "asks you to approve" in boss.sees_text()  # the host's manager approves it
    at(world, "2026-11-25 10:00")  # the day before: the venue (host and office), the banner (office)
    world.tick()
    assert "确认会议室、展厅" in office.sees_text() and "确认会议室、展厅" in host.sees_text()
    assert "准备欢迎横幅" in office.sees_text()
    assert "准备欢迎横幅" not in host.sees_text()
    assert "请转告" not in host.sees_text()  # every role had someone to hold it


def test_the_day_before_the_form_and_itinerary_nudges_carry_their_documents(world: World) -> None:
    host = world.person(1, "Lin", language_code="en").send("/start")
    host.send("/lang").press("简体中文")
    plan_visit(host)
    host.send("/lang").press("English")
    at(world, "2026-11-25 10:00")  # the day before
    world.tick()
    itinerary = next(m for m in host.messages if "itinerary" in m.text and m.buttons)
    files = documents(host, data=itinerary.button("Itinerary").data)
    assert [f.filename for f in files] == ["visit-1-itinerary.pdf"]
    form = next(m for m in host.messages if "arrangement form" in m.text and m.buttons)
    files = documents(host, data=form.button("Form").data)
    assert [f.filename for f in files] == ["visit-1-form.pdf", "visit-1-form.xlsx"]


def test_a_catch_up_goes_a_slice_at_a_time_and_leaves_alone_what_was_ticked_off_in_between(
        world: World) -> None:
    """After days offline two visits' items are due: a slice takes one visit; Done pressed on the
    other's item between two slices is not undone by the next slice, which sends the rest."""
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    plan_visit(host, "周五上午9点", "周五下午4点")
    world.tick()  # the reviews of the requests, at once
    at(world, "2026-11-26 09:30")  # the venue of each (a working day before) is due, and more
    services = world.dispatcher.services
    run = NudgeRun(NudgeSender(services))
    for _ in range(2):  # which visits have items due; then the first of them
        with services.db.unit():
            first = run.step(Budget(0))
    assert first.more and {m.chat_id for m in first.messages} == {1}
    assert "#1" in first.messages[0].text and "#2" not in first.messages[0].text
    venue = services.nudges.nudges.get("visit:2:venue")
    assert venue is not None and venue.state is NudgeState.PLANNED
    services.nudges.nudges.save(replace(venue, state=NudgeState.DONE, done_by=1))  # ticked off meanwhile
    with services.db.unit():
        rest = run.step(Budget(0))
    assert not rest.more and rest.messages
    assert "确认会议室、展厅" not in "\n".join(m.text for m in rest.messages)
    assert services.nudges.nudges.get("visit:2:venue").state is NudgeState.DONE  # type: ignore[union-attr]
