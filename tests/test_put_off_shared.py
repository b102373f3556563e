"""A shared duty one desk member put off: the others are not asked to do it any more, and where they
look for it (/mytasks, their morning digest) they read who put it off and until when; whoever put
it off finds it on their own list at the time they asked for, once."""

from __future__ import annotations

import pytest

from tests.support.chat import World, at
from tests.test_shared_snooze import a_desk_of_three_told_to_tidy

# What each language's desk reads: the item, the buttons, the section and line of a put-off item.
WORDS = {
    "zh-hans": {"tidy": "整理会议室", "hour": "1小时后", "morning": "明早提醒", "put_off": "同事已推迟",
                "by_qian": "Qian已推迟到 {until}", "today": "今天到期", "overdue": "已逾期",
                "nothing_open": "没有未完成的事项", "yours": "此事现由您跟进：{names}会在待办中看到您已推迟",
                "names": "Sun和Zhao"},
    "en": {"tidy": "Tidy the room", "hour": "In 1 hour", "morning": "Tomorrow morning",
           "put_off": "Put off by a colleague", "by_qian": "Qian put this off until {until}",
           "today": "Due today", "overdue": "Overdue", "nothing_open": "Nothing open on your list",
           "yours": "It is yours now: {names} will see on their lists that you put it off",
           "names": "Sun and Zhao"},
}


def section(text: str, header: str) -> str:
    """The lines under ``header`` in a list, up to the next blank line."""
    lines = text.split("\n")
    if header not in text:
        return ""
    start = next(i for i, line in enumerate(lines) if header in line) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[start:end])


def digests(world: World) -> dict[int, str]:
    """The morning digests due now, by chat, as read."""
    outgoing = world.dispatcher.services.digests.due_messages()
    world.deliver([item.message for item in outgoing])
    return {item.message.chat_id: world.chats[item.message.chat_id][-1].text for item in outgoing}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_others_read_on_mytasks_who_put_it_off_until_when(world: World, language: str) -> None:
    words = WORDS[language]
    qian, zhao, sun = a_desk_of_three_told_to_tidy(world, language, WORDS[language]["tidy"])
    qian.press(words["hour"], message=qian.last)
    assert words["yours"].format(names=words["names"]) in qian.last.text  # Qian knows the desk is told
    at(world, "2026-11-26 16:40")
    for member in (zhao, sun):
        text = member.send("/mytasks").last.text
        assert words["tidy"] in section(text, words["put_off"])
        assert words["by_qian"].format(until="17:30") in text
        assert words["tidy"] not in section(text, words["today"])  # not theirs to do any more
        assert words["nothing_open"] in text
    mine = qian.send("/mytasks").last.text
    assert "17:30" in section(mine, words["today"]) and words["tidy"] in section(mine, words["today"])
    assert words["put_off"] not in mine
    at(world, "2026-11-26 17:31")
    assert world.tick() == 1  # back to Qian alone
    text = zhao.send("/mytasks").last.text  # still Qian's, not open again for the desk
    assert words["by_qian"].format(until="17:30") in text
    assert words["tidy"] not in section(text, words["today"])
    at(world, "2026-11-27 08:30")  # the next morning's digest tells Zhao too, not as overdue
    sent = digests(world)
    assert words["tidy"] in section(sent[zhao.id], words["put_off"]) and "17:30" in sent[zhao.id]
    assert words["tidy"] not in section(sent[zhao.id], words["overdue"])
    assert words["tidy"] in section(sent[qian.id], words["overdue"])  # Qian's, from 17:30 yesterday


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_tomorrow_morning_snooze_is_in_the_snoozer_s_digest_only_and_the_others_told_once(
        world: World, language: str) -> None:
    words = WORDS[language]
    qian, zhao, sun = a_desk_of_three_told_to_tidy(world, language, WORDS[language]["tidy"])
    qian.press(words["morning"], message=qian.last)
    at(world, "2026-11-27 08:30")  # Friday: the morning Qian asked for
    world.tick()  # the reminder goes back to Qian, before or after the digests
    assert words["tidy"] in qian.last.text
    sent = digests(world)
    assert words["tidy"] in section(sent[3], words["today"]) and "08:30" in section(sent[3], words["today"])
    assert sent[3].count(words["tidy"]) == 1
    for member in (zhao, sun):
        text = sent[member.id]
        assert words["tidy"] not in section(text, words["overdue"])
        assert words["tidy"] not in section(text, words["today"])
        assert words["by_qian"].format(until="08:30") in section(text, words["put_off"])
    at(world, "2026-11-30 08:30")  # Monday: told once, not every morning
    sent = digests(world)
    assert all(words["tidy"] not in sent.get(member.id, "") for member in (zhao, sun))
