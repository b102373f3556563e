"""kill -9 right after a typed answer was written, before Telegram heard it was handled, through each
real framework: Telegram hands the update over again at the next start, and the bot asks the question
that came after it again rather than taking the same text as the answer to that question."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID
from tests.fakeapi import FakeBotApi
from tests.support.e2e_host import HOST, KillableBot, answer, confirmed, press

pytestmark = pytest.mark.e2e


async def test_a_typed_answer_killed_before_its_confirmation_is_taken_once(
        api: FakeBotApi, framework: str, tmp_path: Path) -> None:
    bot = await KillableBot.started(api, framework, tmp_path)
    await answer(api, "/start", "Welcome")
    await answer(api, "/new", "Which company is visiting?")
    found = await answer(api, "Acme", "Which company is visiting?")
    question = await press(api, found, "New client: Acme", "Which country")
    await press(api, question, "Germany", "What industry")

    # The answer is written; its reply is held up by Telegram (429), so the poll that would confirm
    # the update waits for it, and the bot is killed meanwhile.
    await asyncio.sleep(1.5)  # the chat's own limit, used up by the quick steps above, lets the reply go
    api.fail_next("sendMessage", 429, retry_after=30, chat_id=ADMIN_ID)
    since = len(api.requests)
    typed = api.user_sends(HOST, "Machinery")
    await api.wait_for_call("sendMessage", since=since)
    await bot.kill()
    assert not confirmed(api, int(typed["update_id"])), "the answer was confirmed before its reply was sent"

    await bot.restart()
    again = await api.wait_for_message(ADMIN_ID, contains="Who is visiting?")
    assert "Machinery" not in (again.text or ""), "the industry was taken for a visitor"
    await answer(api, "Anna Schmidt / CTO", "Reception class?")
    await bot.stop()
