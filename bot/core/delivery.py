"""The one path every outgoing action takes, whatever the framework.

Both aiogram and python-telegram-bot drop a message when Telegram answers 429 (checked against a
local Bot API server), so transports do not send directly: they give a ``Performer`` that carries
out one action and raises the errors below, and ``Delivery`` waits ``retry_after`` on 429, backs
off on server and network errors, splits long texts, and reports a user who blocked the bot
instead of retrying forever.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.events import Action, Edit, Outcome, Send
from bot.core.text import split_message

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A transport could not carry out an action."""


class RetryAfter(DeliveryError):
    """Telegram's flood control (429): try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Blocked(DeliveryError):
    """403: the user blocked the bot or never started it; retrying cannot help."""


class Transient(DeliveryError):
    """5xx or a network failure: worth retrying after a pause."""


class Rejected(DeliveryError):
    """400 and the like: the request itself is wrong; retrying would fail the same way."""


class Performer(Protocol):
    """Carries out one action through a framework; returns the sent message's id, if any."""

    async def perform(self, action: Action) -> int | None: ...


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    first_pause: float = 0.5
    longest_pause: float = 30.0
    # A flood-control wait longer than this is not waited out inline (the nudge layer reschedules).
    longest_retry_after: float = 120.0


Sleep = Callable[[float], Awaitable[None]]


class Delivery:
    """Delivers actions in order, with retries; never raises."""

    def __init__(self, performer: Performer, policy: RetryPolicy | None = None,
                 sleep: Sleep = asyncio.sleep) -> None:
        self._performer = performer
        self._policy = policy or RetryPolicy()
        self._sleep = sleep

    async def deliver(self, actions: list[Action]) -> list[Outcome]:
        outcomes = []
        for action in actions:
            for part in _parts(action):
                outcomes.append(await self._deliver_one(part))
        return outcomes

    async def _deliver_one(self, action: Action) -> Outcome:
        pause = self._policy.first_pause
        error: DeliveryError | None = None
        for _attempt in range(self._policy.attempts):
            try:
                return Outcome(action, delivered=True, message_id=await self._performer.perform(action))
            except RetryAfter as flood:
                error = flood
                if flood.seconds > self._policy.longest_retry_after:
                    break
                log.warning("flood control: waiting %.1fs before retrying", flood.seconds)
                await self._sleep(flood.seconds)
            except Transient as transient:
                error = transient
                log.warning("transient delivery failure (%s); retrying in %.1fs", transient, pause)
                await self._sleep(pause)
                pause = min(pause * 2, self._policy.longest_pause)
            except Blocked as blocked:
                log.info("chat unreachable: %s", blocked)
                return Outcome(action, delivered=False, blocked=True, error=str(blocked))
            except Rejected as rejected:
                if isinstance(action, Edit):
                    # An old message can no longer be edited: say it anew rather than say nothing.
                    return await self._deliver_one(Send(action.chat_id, action.text, action.buttons))
                log.error("Telegram rejected %s: %s", type(action).__name__, rejected)
                return Outcome(action, delivered=False, error=str(rejected))
        log.error("gave up delivering %s: %s", type(action).__name__, error)
        return Outcome(action, delivered=False, error=str(error))


def _parts(action: Action) -> list[Action]:
    """A long message becomes several; its buttons go with the last part."""
    if not isinstance(action, Send | Edit):
        return [action]
    texts = split_message(action.text)
    if len(texts) == 1:
        return [action]
    first: Action = replace(action, text=texts[0], buttons=())
    rest: list[Action] = [Send(action.chat_id, text) for text in texts[1:-1]]
    last = Send(action.chat_id, texts[-1], action.buttons)
    return [first, *rest, last]
