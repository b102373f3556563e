"""/mytasks (open checklist items and debrief tasks, overdue first) and /find (visits, clients and
contacts by name, company or phone fragment), on the week of ``tests.test_lookups``."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.domain.nudges import NudgeState
from bot.domain.staff import Duty
from bot.domain.tasks import Task
from tests.support.chat import Message, Person, World
from tests.test_lookups import LIN, MA, MANAGER, RECEPTION, Cast, a_week, at, busy_week, numbers


@pytest.fixture
def cast(world: World) -> Cast:
    return a_week(world)


def add_task(world: World, number: int, text: str, owner: int, due_day: int) -> None:
    """A debrief task of visit #5, due at 18:00 on ``due_day`` of November."""
    now = world.clock.now()
    world.dispatcher.services.debriefs.tasks.save(
        Task(number, 5, 1, text, owner, at(due_day, 18), now, LIN, origin="debrief"))


def every_page(person: Person) -> list[str]:
    """The lines of a paged list, pressing Next until there is none; the message stays one."""
    listing = person.last
    lines = listing.text.splitlines()
    while any("下一页" in b.label for row in listing.buttons for b in row):
        person.press("下一页", listing)
        lines += listing.text.splitlines()
    return lines


def item_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if line.startswith(("•", "⚠️", "📌", "🗓"))]


def test_my_tasks_lists_overdue_items_first_then_today_then_later(world: World, cast: Cast) -> None:
    add_task(world, 1, "发送报价单", LIN, 22)  # yesterday: overdue
    add_task(world, 2, "安排样品测试", LIN, 27)  # Friday: later
    add_task(world, 3, "Ma 的任务", MA, 22)
    nudges = world.dispatcher.services.nudges.nudges
    venue = nudges.get("visit:5:venue")
    assert venue is not None
    nudges.save(replace(venue, state=NudgeState.DONE))
    lin = world.person(LIN).send("/mytasks")
    assert lin.last.text.startswith("📝 您的待办：")
    lines = item_lines(every_page(lin))
    sections = [line for line in lines if not line.startswith("•")]
    assert list(dict.fromkeys(sections)) == ["⚠️ 已逾期", "📌 今天到期", "🗓 之后"]
    overdue = lines[1:lines.index("📌 今天到期")]
    assert "• 11月22日 周日 发送报价单（#5 华为）" in overdue
    assert any("#1 华为" in line for line in overdue)  # a week ahead of today's visit: days late
    assert "• 11月27日 周五 安排样品测试（#5 华为）" in lines
    assert "Ma 的任务" not in "\n".join(lines)
    assert not any("确认会议室" in line and "#5" in line for line in lines)  # done
    assert not any("团队简报" in line and "#1" in line for line in lines)  # due at 09:30: not yet


def test_my_tasks_follows_the_team_and_is_empty_for_someone_with_nothing(world: World, cast: Cast) -> None:
    world.clock.current += timedelta(minutes=30)  # 09:30: the team's briefing for #1 is due
    ma = world.person(MA).send("/mytasks")
    assert ma.last.text.startswith("📝 Your open items:")
    assert "#1 华为" in ma.last.text
    assert "#5" not in ma.last.text  # Lin's visit, Ma was not on it
    desk = world.person(RECEPTION).send("/mytasks")
    assert desk.last.text == "✅ 没有未完成的事项。"


def test_my_tasks_lists_what_one_holds_for_others_visits(world: World, cast: Cast) -> None:
    """The office prepares every visit's banner: it finds those on /mytasks, as in its digest and as
    its reminders went. The arrangement form is the host's alone: the manager's part is the approval."""
    boss = world.person(MANAGER).send("/mytasks").last.text
    assert "填写《客户接待安排表》" not in boss  # Lin hosts #1
    staff = world.dispatcher.services.access.staff
    desk = staff.get(RECEPTION)
    assert desk is not None
    staff.save(replace(desk, duties=(Duty.OFFICE,)))
    office = world.person(RECEPTION).send("/mytasks").last.text
    assert "• 11月20日 周五 准备欢迎横幅和欢迎牌（#1 华为）" in office
    assert "准备欢迎横幅" not in world.person(LIN).send("/mytasks").last.text  # the office holds it now


def test_my_tasks_pages_in_place(world: World, cast: Cast) -> None:
    for number in (1, 2):  # with Lin's seven items: more than a page
        add_task(world, number, f"任务 {number}", LIN, 26)
    lin = world.person(LIN).send("/mytasks")
    listing, sent = lin.last, len(lin.messages)
    assert "第 1/" in listing.text
    lin.press("下一页").press("上一页")
    assert lin.last is listing and len(lin.messages) == sent and "第 1/" in listing.text


def found(person: Person, query: str) -> Message:
    return person.send(f"/find {query}").last


def test_find_by_company_pinyin_contact_greeting_and_phone(world: World, cast: Cast) -> None:
    lin = world.person(LIN)
    by_name = found(lin, "华为")
    assert by_name.text.splitlines()[:2] == ["🔎 搜索「华为」", ""]
    assert "🏢 客户\n• 华为" in by_name.text
    assert numbers(by_name) == {1, 4, 5}  # coming first, then the past; never the cancelled one
    assert by_name.text.index("#1") < by_name.text.index("#4") < by_name.text.index("#5")
    assert found(lin, "huawei").text.count("• 华为") == 1
    by_phone = found(lin, "0013")
    assert "👤 联系人\n• 张总（华为） ☎ 138 0013 8000" in by_phone.text
    assert numbers(by_phone) == {1, 4, 5}
    assert "• 张总（华为）" in found(lin, "张总").text
    anna = found(world.person(MA), "anna")
    assert "• Anna Schmidt (CTO) (Acme) ☎ +49 30 1234567" in anna.text
    assert numbers(anna) == {2}


def test_find_shows_staff_only_the_visits_they_may_see(world: World, cast: Cast) -> None:
    desk = found(world.person(RECEPTION), "华为")
    assert numbers(desk) == {1}
    assert "• 华为" in desk.text
    assert numbers(found(world.person(MANAGER), "华为")) == {1, 4, 5}


def test_find_says_what_it_needs_and_when_nothing_matches(world: World, cast: Cast) -> None:
    lin = world.person(LIN)
    assert lin.send("/find").last.text == "请输入要找的内容，例如 /find 华为 或 /find 138"
    assert found(lin, "腾讯").text == "🔎 没有与「腾讯」匹配的来访、客户或联系人。"
    assert found(lin, "深圳市腾讯计算机系统有限公司北京分公司").text.startswith("搜索内容太长了")


def test_find_pages_in_place(world: World, cast: Cast) -> None:
    busy_week(world, 12)
    lin = world.person(LIN)
    listing = found(lin, "华为")
    lines = every_page(lin)
    assert lin.last is listing
    assert len({line for line in lines if line.startswith("• #")}) == 15
    world.clock.current += timedelta(days=1)
    lin.press("上一页", listing)
    assert "第 1/2 页" in listing.text
