"""A producer that decides thousands of messages (a first relationship sweep, a long catch-up)
sends them as it goes: the outbox never holds them all at once, and each goes out once; what it
changed reaches the collection files at once, not at the next checkpoint."""

from __future__ import annotations

import asyncio

import pytest

import bot.core.runner as runner_module
from bot.core.delivery import Delivery
from bot.core.events import Action, Send
from bot.core.ratelimit import MonotonicTimer, RateLimiter
from bot.core.runner import OUTBOX_SLICE, Runner
from bot.core.slices import Batch, Budget
from bot.storage.database import LOG_FILE
from tests.support.chat import World
from tests.test_ratelimit import Telegram as LimitedTelegram

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


def test_a_chat_held_by_flood_control_does_not_hold_up_the_next_slice(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """The last message of a slice gets a 429 (wait 1 s): the next slice goes out meanwhile, as
    fast as the limits allow, and the held chat's own later message still comes after it."""
    monkeypatch.setattr(runner_module, "OUTBOX_SLICE", 10)
    monkeypatch.setattr(runner_module, "OUTBOX_LOW", 3)
    timer = MonotonicTimer()
    held_chat = 5000
    telegram = LimitedTelegram(timer, flood={held_chat: 1.0})  # type: ignore[arg-type]
    runner = Runner(world.dispatcher)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    # Message 9 (the first slice's last) and message 19 go to the held chat; the others to chats of their own.
    messages = [Send(held_chat if n % 10 == 9 else 1000 + n, f"message {n}") for n in range(20)]

    def step(budget: Budget) -> Batch:
        return Batch(messages)

    try:
        asyncio.run(runner.produce(step, "nudge"))
    finally:
        runner.close()
    order = [action.text for _, action in telegram.sent if isinstance(action, Send)]
    assert sorted(order) == sorted(message.text for message in messages)  # each once
    assert order.index("message 18") < order.index("message 9")  # the next slice did not wait
    assert order.index("message 9") < order.index("message 19")  # the held chat's order kept
    assert not world.dispatcher.services.outbox.queued()
