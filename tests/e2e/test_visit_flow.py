"""A host prepares a visit through each real framework: typed answers, buttons, the review card."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import BotProcess
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakeapi import FakeBotApi
from tests.support.e2e_host import WEDNESDAY_2PM, answer, press

pytestmark = pytest.mark.e2e


@pytest.fixture
def bot_clock() -> ShiftedClock:
    """A Wednesday afternoon in Shanghai, whatever the hour of the run: the host types "tomorrow 3pm"
    and then asks who comes tomorrow, which a run across midnight would answer for another day; and
    outside the morning digest's hours, no digest of the new visit comes between the replies."""
    return ShiftedClock.reading(WEDNESDAY_2PM)


async def test_a_visit_prepared_over_telegram(api: FakeBotApi, bot: BotProcess) -> None:
    await answer(api, "/start", "Welcome")
    question = await answer(api, "/new", "Which company is visiting?")
    found = await answer(api, "Siemens <AG>", "Which company is visiting?")
    question = await press(api, found, "New client: Siemens <AG>", "Which country")
    question = await press(api, question, "Germany", "What industry")
    question = await answer(api, "Automation", "Who is visiting?")
    question = await answer(api, "Anna Schmidt / CTO", "Reception class?")
    question = await press(api, question, "Class C", "Purpose of the visit?")
    question = await press(api, question, "Business negotiation", "Purpose of the visit?")
    question = await press(api, question, "Done", "When do they arrive")
    reading = await answer(api, "tomorrow 3pm", "I read that as")
    question = await press(api, reading, "Correct", "When do they leave?")
    reading = await answer(api, "tomorrow 5pm", "I read that as")
    question = await press(api, reading, "Correct", "How do they travel")
    question = await press(api, question, "Car", "Who else from our side")
    question = await press(api, question, "Done", "Which executives")
    question = await press(api, question, "Skip", "Meeting room?")
    question = await answer(api, "Room 301", "What else is needed?")
    question = await press(api, question, "Done", "Tour?")
    question = await press(api, question, "Skip", "Do they need lodging?")
    question = await press(api, question, "No", "Meals for how many")
    card = await answer(api, "0", "Reception arrangement form")
    assert "Client: Siemens <AG> (new client)" in (card.text or "")
    saved = await press(api, card, "Save", "Saved as visit #1")
    assert "📋 Visit #1 · Siemens <AG>" in (saved.text or "")
    # The same visit, asked after in plain words and by command, from the lobby.
    tomorrow = await answer(api, "who is coming tomorrow", "Tomorrow")
    assert "Siemens <AG>" in (tomorrow.text or "") and "Anna Schmidt CTO" in (tomorrow.text or "")
    again = await answer(api, "/tomorrow", "Siemens <AG>")
    assert "#1" in (again.text or "")
    assert not api.errors()
