"""Runs the synchronous core off the event loop and hands its actions to delivery.

All database work happens on one dedicated thread (a single-worker executor): TinyDB is not
thread-safe, one thread keeps every read consistent without locks, and the event loop stays free
to poll and send for everybody else while a write reaches the disk.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from bot.core.delivery import Delivery
from bot.core.dispatcher import Dispatcher
from bot.core.events import Action, Event, Outcome
from bot.services.dispatch import NudgeSender

T = TypeVar("T")


class Runner:
    """The bridge between a transport's event loop and the core."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self.nudges = NudgeSender(dispatcher.services)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="core")
        self.delivery: Delivery | None = None

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        """Runs ``fn(*args)`` on the core thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    async def process(self, event: Event) -> list[Outcome]:
        """Handles one incoming event end to end."""
        actions = await self.call(self.dispatcher.handle, event)
        return await self.push(actions)

    async def push(self, actions: list[Action]) -> list[Outcome]:
        """Delivers actions (replies, or pushes the core decided on by itself)."""
        if self.delivery is None:
            raise RuntimeError("no transport attached")
        outcomes = await self.delivery.deliver(actions)
        if any(outcome.blocked for outcome in outcomes):
            await self.call(self.dispatcher.learn, outcomes)
        return outcomes

    async def send_due_nudges(self) -> int:
        """What the scheduler runs: due nudges out, one message at a time, failures put back."""
        outgoing = await self.call(self.nudges.due_messages)
        results = [(item, await self.push([item.message])) for item in outgoing]
        if results:
            notices = await self.call(self.nudges.settle, results)
            await self.push(list(notices))
        return len(outgoing)

    async def send_relationship_messages(self) -> int:
        """Today's cadence nudges and greeting digests, once a day (the service records them first)."""
        services = self.dispatcher.services
        messages = await self.call(services.relationship.due_messages, services.clock.now())
        for message in messages:
            await self.push([message])
        return len(messages)

    async def send_due_digests(self) -> int:
        """The morning digests that are due, one message at a time; failed ones are retried."""
        digests = self.dispatcher.services.digests
        outgoing = await self.call(digests.due_messages)
        results = [(item, await self.push([item.message])) for item in outgoing]
        if results:
            await self.call(digests.settle, results)
        return len(outgoing)

    def close(self) -> None:
        self._executor.shutdown(wait=True)
