"""kill -9 after a Save that tells a colleague on the team, through each real framework: the Save's
own reply waits (Telegram made it wait half a minute) and the update was confirmed, so nothing comes
again by itself; the colleague's notice was written with the visit and reaches them after the
restart, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, start_bot, stop_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.e2e.test_save_kill import save_with_its_reply_held_up
from tests.fakeapi import FakeBotApi, FakeUser
from tests.support.e2e_host import WEDNESDAY_2PM, answer, press

pytestmark = pytest.mark.e2e

BOB = FakeUser(2002, "Bob", language_code="en")


@pytest.fixture
def bot_clock() -> ShiftedClock:
    """A Wednesday afternoon in Shanghai: "tomorrow 3pm" is a working day, and no digest is due."""
    return ShiftedClock.reading(WEDNESDAY_2PM)


async def test_a_colleague_told_of_a_save_killed_before_its_reply_hears_of_it_once(
        api: FakeBotApi, framework: str, bot_clock: ShiftedClock, tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "bot.log"
    bot = await start_bot(api, framework, data, log, bot_clock)
    await answer(api, "/start", "Welcome")
    api.user_sends(BOB, "/start")  # Bob asks to join; the admin approves him
    await api.wait_for_message(BOB.id, contains="registered staff")
    request = await api.wait_for_message(ADMIN_ID, contains="Bob")
    await press(api, request, "Approve as staff member", "approved")
    await api.wait_for_message(BOB.id, contains="Welcome, Bob")

    await answer(api, "/new", "Which company is visiting?")
    found = await answer(api, "Acme", "Which company is visiting?")
    question = await press(api, found, "New client: Acme", "Which country")
    question = await press(api, question, "Germany", "What industry")
    await press(api, question, "Skip", "Who is visiting?")
    question = await answer(api, "Anna Schmidt / CTO", "Reception class?")
    question = await press(api, question, "Class C", "Purpose of the visit?")
    question = await press(api, question, "Business negotiation", "Purpose of the visit?")
    await press(api, question, "Done", "When do they arrive")
    reading = await answer(api, "tomorrow 3pm", "I read that as")
    await press(api, reading, "Correct", "When do they leave?")
    reading = await answer(api, "tomorrow 5pm", "I read that as")
    question = await press(api, reading, "Correct", "How do they travel")
    question = await press(api, question, "Car", "Who else from our side")
    question = await press(api, question, "Bob", "Who else from our side")
    question = await press(api, question, "Done", "Which executives")
    question = await press(api, question, "Skip", "Meeting room?")
    question = await press(api, question, "Skip", "What else is needed?")
    question = await press(api, question, "Done", "Tour?")
    question = await press(api, question, "Skip", "Do they need lodging?")
    await press(api, question, "No", "Meals for how many")
    card = await answer(api, "0", "Reception arrangement form")

    # Killed once the Save was written and confirmed, its reply still waiting out a 429.
    update_id = await save_with_its_reply_held_up(api, card)
    await api.wait_for_call("getUpdates", lambda call: (call.params.get("offset") or 0) > update_id)
    bot.process.kill()
    await bot.process.wait()
    assert not [m for m in api.messages(BOB.id) if "#1" in (m.text or "")], "told before the kill"
    bot = await start_bot(api, framework, data, log, bot_clock)
    told = await api.wait_for_message(BOB.id, contains="#1")
    assert "Alice" in (told.text or "") and "Acme" in (told.text or "")
    await asyncio.sleep(1)  # time for a second notice, if one were coming
    assert len([m for m in api.messages(BOB.id) if "#1" in (m.text or "")]) == 1
    await stop_bot(bot)
