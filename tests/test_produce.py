"""A producer that decides thousands of messages (a first relationship sweep, a long catch-up)
sends them as it goes: the outbox never holds them all at once, and each goes out once; what it
changed reaches the collection files at once, not at the next checkpoint."""

from __future__ import annotations

import asyncio

from bot.core.delivery import Delivery
from bot.core.events import Action, Send
from bot.core.runner import OUTBOX_SLICE, Runner
from bot.core.slices import Batch, Budget
from bot.storage.database import LOG_FILE
from tests.support.chat import World

SLICES, PER_SLICE = 12, 100


class Telegram:
    def __init__(self) -> None:
        self.texts: list[str] = []

    async def perform(self, action: Action) -> int | None:
        assert isinstance(action, Send)
        self.texts.append(action.text)
        return len(self.texts)


def test_a_long_producer_sends_as_it_goes_and_each_message_once(world: World) -> None:
    runner = Runner(world.dispatcher)
    telegram = Telegram()
    runner.delivery = Delivery(telegram)
    outbox = world.dispatcher.services.outbox
    held: list[int] = []  # what the outbox holds as each slice begins
    done = 0

    def step(budget: Budget) -> Batch:
        nonlocal done
        held.append(len(outbox.queued()))
        messages = [Send(1000 + n % 50, f"message {done * PER_SLICE + n}") for n in range(PER_SLICE)]
        done += 1
        return Batch(messages, more=done < SLICES)

    try:
        queued = asyncio.run(runner.produce(step, "nudge"))
    finally:
        runner.close()
    assert queued == SLICES * PER_SLICE
    assert sorted(telegram.texts) == sorted(f"message {n}" for n in range(SLICES * PER_SLICE))
    assert max(held) < OUTBOX_SLICE + PER_SLICE  # sent once a slice of the outbox was queued
    assert not outbox.queued()
    assert (world.data_dir / LOG_FILE).stat().st_size == 0  # checkpointed: no chunk kept for the log
