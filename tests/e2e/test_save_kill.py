"""kill -9 right after a visit was saved, through each real framework: the host still sees the form
with its Save button, and either the Save comes again by itself or pressing it again shows the saved
visit ("Already saved as visit #N"), never a second visit nor "This form has expired"."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, start_bot, stop_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakeapi import BotMessage, FakeBotApi
from tests.support.e2e_host import HOST, WEDNESDAY_2PM, answer, press

pytestmark = pytest.mark.e2e


@pytest.fixture
def bot_clock() -> ShiftedClock:
    """A Wednesday afternoon in Shanghai: "tomorrow 3pm" is a working day, and no digest is due."""
    return ShiftedClock.reading(WEDNESDAY_2PM)


async def review_card(api: FakeBotApi, client: str) -> BotMessage:
    """The form for a visit of a new client, up to its review card."""
    await answer(api, "/new", "Which company is visiting?")
    found = await answer(api, client, "Which company is visiting?")
    question = await press(api, found, f"New client: {client}", "Which country")
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
    question = await press(api, question, "Done", "Which executives")
    question = await press(api, question, "Skip", "Meeting room?")
    question = await press(api, question, "Skip", "What else is needed?")
    question = await press(api, question, "Done", "Tour?")
    question = await press(api, question, "Skip", "Do they need lodging?")
    await press(api, question, "No", "Meals for how many")
    return await answer(api, "0", "Reception arrangement form")


async def save_with_its_reply_held_up(api: FakeBotApi, card: BotMessage) -> int:
    """Presses Save while Telegram makes the card's edit wait (429, half a minute); the press's
    update id."""
    # A person reads the card before pressing Save: by then their chat's limit (one message a
    # second, which the quick steps above used up) lets the reply go at once.
    await asyncio.sleep(1.5)
    api.fail_next("editMessageText", 429, retry_after=30, chat_id=ADMIN_ID)
    since = len(api.requests)
    pressed = api.user_presses(HOST, card, button="Save")
    await api.wait_for_call("editMessageText", since=since)  # the reply tried, and refused
    return int(pressed["update_id"])


def confirmed(api: FakeBotApi, update_id: int) -> bool:
    return any(call.name == "getupdates" and (call.params.get("offset") or 0) > update_id
               for call in api.requests)


async def test_a_save_killed_before_its_answer_is_answered_after_the_restart(
        api: FakeBotApi, framework: str, bot_clock: ShiftedClock, tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "bot.log"
    bot = await start_bot(api, framework, data, log, bot_clock)
    await answer(api, "/start", "Welcome")
    card = await review_card(api, "Acme")

    # Killed while the reply waits: the Save was written but not yet confirmed, so it comes again.
    update_id = await save_with_its_reply_held_up(api, card)
    bot.process.kill()
    await bot.process.wait()
    assert not confirmed(api, update_id), "the Save was confirmed before its reply was sent"
    bot = await start_bot(api, framework, data, log, bot_clock)
    saved = await api.wait_for_message(ADMIN_ID, contains="Already saved as visit #1.")
    assert "📋 Visit #1 · Acme" in (saved.text or "")

    # Killed once the reply had waited too long to be waited for: the Save was confirmed, the
    # card still offers it, and pressing it shows the visit.
    card = await review_card(api, "Bosch")
    update_id = await save_with_its_reply_held_up(api, card)
    await api.wait_for_call("getUpdates", lambda call: (call.params.get("offset") or 0) > update_id)
    bot.process.kill()
    await bot.process.wait()
    bot = await start_bot(api, framework, data, log, bot_clock)
    saved = await press(api, card, "Save", "Already saved as visit #2.")
    assert "📋 Visit #2 · Bosch" in (saved.text or "")
    missing = await answer(api, "/visit 3", "There is no visit #3")
    assert "expired" not in (missing.text or "")
    await stop_bot(bot)
