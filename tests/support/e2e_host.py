"""The host's side of an end-to-end chat: Alice, the admin, types and presses in English over the fake
Bot API and waits for the bot's answer to each step; the afternoon the visit walkthroughs start on; and
the bot killed under her (kill -9) and started again on the data it left."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.e2e.conftest import ADMIN_ID, BotProcess, start_bot, stop_bot
from tests.e2e.shifted_bot import ShiftedClock
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


async def review_card(api: FakeBotApi, client: str, *, team: tuple[str, ...] = ()) -> BotMessage:
    """The form for a class-C visit of a new client, tomorrow 3pm to 5pm by car, with the colleagues
    named in ``team`` ticked (none by default), up to its review card."""
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
    for colleague in team:
        question = await press(api, question, colleague, "Who else from our side")
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
    # second, which the quick steps before used up) lets the reply go at once.
    await asyncio.sleep(1.5)
    api.fail_next("editMessageText", 429, retry_after=30, chat_id=ADMIN_ID)
    since = len(api.requests)
    pressed = api.user_presses(HOST, card, button="Save")
    await api.wait_for_call("editMessageText", since=since)  # the reply tried, and refused
    return int(pressed["update_id"])


def confirmed(api: FakeBotApi, update_id: int) -> bool:
    """Whether the bot told Telegram it handled the update (a later poll starts past it)."""
    return any(call.name == "getupdates" and (call.params.get("offset") or 0) > update_id
               for call in api.requests)


async def until_confirmed(api: FakeBotApi, update_id: int) -> None:
    """Waits for the poll that tells Telegram the update was handled."""
    await api.wait_for_call("getUpdates", lambda call: (call.params.get("offset") or 0) > update_id)


@dataclass
class KillableBot:
    """The bot as a process on one data folder, on a Wednesday afternoon's clock: killed as a crash
    kills it (SIGKILL, nothing written on the way out) and started again on what it left."""

    api: FakeBotApi
    framework: str
    folder: Path
    clock: ShiftedClock
    running: BotProcess = field(init=False)

    @classmethod
    async def started(cls, api: FakeBotApi, framework: str, folder: Path) -> KillableBot:
        """The bot started through ``framework`` with its data and log in ``folder``, polling."""
        bot = cls(api, framework, folder, ShiftedClock.reading(WEDNESDAY_2PM))
        await bot.restart()
        return bot

    async def restart(self) -> None:
        """Starts it (again, on the same data, log and clock) and waits for its first poll."""
        data, log = self.folder / "data", self.folder / "bot.log"
        self.running = await start_bot(self.api, self.framework, data, log, self.clock)

    async def kill(self) -> None:
        self.running.process.kill()
        await self.running.process.wait()

    async def stop(self) -> None:
        await stop_bot(self.running)
