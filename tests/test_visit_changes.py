"""A visit moved or cancelled, through the core: the team and whoever holds its items (the office
that books the room) get one note with the old and the new time, or the reason; the host gets a
note for the client's lead drafted in the lead's language, ready to copy."""

from __future__ import annotations

from tests.support.chat import Person, World, at
from tests.visit_chat import company, new_visit, reschedule


def about_visit_1(person: Person) -> list[str]:
    """What ``person`` was told about visit #1 that is no approval request."""
    return [m.text for m in person.messages if ("#1" in m.text) and "approve" not in m.text]


def test_a_reschedule_tells_the_team_and_the_office_once_and_drafts_an_english_note(world: World) -> None:
    people = company(world)
    host, colleague, office = people["林晓"], people["王五"], people["周敏"]
    services = world.dispatcher.services
    client = services.clients.get(1)
    assert client is not None
    services.clients.add_contact(client.id, "David Lee", title="Purchasing Director", language="en")
    new_visit(host, visitors="David Lee", team=("王五",))
    colleague.messages.clear()
    reschedule(host, 1, "周五上午10点", "周五下午4点")
    assert about_visit_1(colleague) == [
        "🕒 林晓 moved visit #1 (华为) from Thu 26 Nov 10:00 to Fri 27 Nov 10:00."]
    # The office holds the venue and the room: told although not on the team, in its language.
    assert about_visit_1(office) == [
        "🕒 林晓 把来访 #1（华为）从 11月26日 周四 10:00 改到了 11月27日 周五 10:00。"]
    draft = host.last
    assert draft.text.startswith("✉️ 给 David Lee 的通知草稿（English），可复制发送：\nDear David Lee,\n")
    assert ("<pre>Dear David Lee,\nYour visit planned for Thu 26 Nov 10:00 is now on Fri 27 Nov 10:00."
            in draft.html)
    assert draft.html.endswith("Best regards,\n林晓</pre>")


def test_a_cancellation_by_the_manager_tells_everyone_once_and_the_host_gets_the_draft(world: World) -> None:
    people = company(world)
    host, manager, office = people["林晓"], people["Maria Chen"], people["周敏"]
    new_visit(host)
    at(world, "2026-11-25 10:00")
    world.tick()  # the day before: the office is reminded of the room
    assert "确认会议室、展厅" in office.last.text
    before = len(office.messages)
    manager.send("/visit 1").press("Cancel visit").send("客户行程有变").press("Save")
    assert "❌ Cancelled: 客户行程有变" in manager.last.text
    world.flush_outbox()
    told = [m.text for m in office.messages[before:]]
    assert told == ["❌ Maria Chen 取消了来访 #1（华为，11月26日 周四 10:00）。原因：客户行程有变"]  # one
    notes = [m for m in host.messages if "Maria Chen" in m.text and "取消" in m.text]
    assert len(notes) == 1
    draft = host.last  # drafted for the lead, who reads Simplified Chinese, and pushed to the host
    assert draft.text.startswith("✉️ 给 张伟 的通知草稿（简体中文），可复制发送：\n尊敬的张总：\n")
    assert "原定于 11月26日 周四 10:00 的来访取消了" in draft.text and "<pre>" in draft.html
    assert "客户行程有变" not in draft.text  # the reason typed for the team stays internal


def test_a_reschedule_in_traditional_chinese_names_both_times(world: World) -> None:
    people = company(world)
    host, executive = people["林晓"], people["趙總"]
    new_visit(host, team=("趙總",))
    reschedule(host, 1, "下周一上午10点", "下周一下午4点")
    moved = "🕒 林晓 把來訪 #1（华为）從 11月26日 週四 10:00 改到了 11月30日 週一 10:00。"
    assert moved in executive.sees_text()


def test_a_cancellation_whose_answer_a_crash_lost_still_reaches_the_team_once(world: World) -> None:
    people = company(world)
    host, manager, office = people["林晓"], people["Maria Chen"], people["周敏"]
    new_visit(host)
    told_host, told_office = len(host.messages), len(office.messages)
    manager.send("/visit 1").press("Cancel visit").send("客户行程有变")
    # The Save is written, then the bot is killed before anything reaches Telegram.
    manager.press_unanswered("Save", manager.last)
    world.restart()
    assert office.messages[told_office:] == [] and host.messages[told_host:] == []
    world.flush_outbox()  # the outbox's sender at the next start
    assert [m.text for m in office.messages[told_office:]] == [
        "❌ Maria Chen 取消了来访 #1（华为，11月26日 周四 10:00）。原因：客户行程有变"]
    notes = [m.text for m in host.messages[told_host:]]
    assert len(notes) == 2 and "Maria Chen 取消了来访 #1" in notes[0]  # and the draft for the lead
    assert notes[1].startswith("✉️ 给 张伟 的通知草稿")
    assert world.flush_outbox() == 0  # once
