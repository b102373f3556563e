"""The host's side of an end-to-end chat: Alice, the admin, types and presses in English over the fake
Bot API and waits for the bot's answer to each step; and the afternoon the visit walkthroughs start on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tests.e2e.conftest import ADMIN_ID
from tests.fakeapi import BotMessage, FakeBotApi, FakeUser

HOST = FakeUser(ADMIN_ID, "Alice", language_code="en")
#: A Wednesday afternoon in Shanghai: "tomorrow 3pm" is a working day, and the morning digest is past.
WEDNESDAY_2PM = datetime(2026, 12, 9, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def answer(api: FakeBotApi, text: str, expect: str) -> BotMessage:
    """The host types ``text``; the bot's next message that contains ``expect``."""
    api.user_sends(HOST, text)
    return await api.wait_for_message(ADMIN_ID, contains=expect)


async def press(api: FakeBotApi, message: BotMessage, button: str, expect: str) -> BotMessage:
    """The host presses ``button`` on ``message``; the bot's next message that contains ``expect``."""
    api.user_presses(HOST, message, button=button)
    return await api.wait_for_message(ADMIN_ID, contains=expect)
