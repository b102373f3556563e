"""The one path every outgoing action takes, whatever the framework.

Both aiogram and python-telegram-bot drop a message when Telegram answers 429 (checked against a
local Bot API server), so transports do not send directly: they give a ``Performer`` that carries
out one action and raises the errors below, and ``Delivery`` waits ``retry_after`` on 429, backs
off on server and network errors, splits texts longer than the platform takes (``max_text``, from
its ``Capabilities``), and reports a user who blocked the bot
instead of retrying forever.

With a ``RateLimiter`` (the Telegram transports give one) every attempt first waits for its token,
so the bot stays under Telegram's limits; replies pass pushes (``Priority``). A 429 then holds the
chat in the limiter for ``retry_after`` and the same message is retried when it ends.
``deliver_each`` sends many independent messages (a burst of nudges) side by side: in order
within a chat, different chats at once, so one chat's limit never holds back the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Protocol

from bot.core.events import Action, Edit, Outcome, RenderDocument, Send, SendDocument
from bot.core.ratelimit import Priority, RateLimiter
from bot.core.text import MAX_MESSAGE, split_message

log = logging.getLogger(__name__)


class DeliveryError(Exception):
    """A transport could not carry out an action."""


class RetryAfter(DeliveryError):
    """Flood control (Telegram's 429, Feishu's rate-limit codes): try again after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Blocked(DeliveryError):
    """403: the user blocked the bot or never started it; retrying cannot help."""


class Transient(DeliveryError):
    """5xx or a network failure: worth retrying after a pause."""


class Rejected(DeliveryError):
    """400 and the like: the request itself is wrong; retrying would fail the same way."""


# On a stop, how long a message already on its way to Telegram may take to get there.
IN_FLIGHT_GRACE = 5.0


class Stopped(asyncio.CancelledError):
    """The bot stopped during ``deliver_each``; ``unsent`` indexes the batches never handed to
    Telegram (safe to send again later). One handed over but unanswered may have arrived."""

    def __init__(self, unsent: list[int]) -> None:
        super().__init__(f"stopped with {len(unsent)} unsent")
        self.unsent = unsent


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
                 sleep: Sleep = asyncio.sleep, limiter: RateLimiter | None = None,
                 max_text: int = MAX_MESSAGE) -> None:
        self._performer = performer
        self._max_text = max_text
        self._policy = policy or RetryPolicy()
        self._sleep = sleep
        self.limiter = limiter

    async def deliver(self, actions: list[Action], priority: Priority = Priority.REPLY) -> list[Outcome]:
        """Delivers ``actions`` one after the other (a reply's messages keep their order)."""
        return await self._deliver_all(actions, priority, _nothing)

    async def deliver_each(self, batches: Sequence[list[Action]], priority: Priority = Priority.PUSH,
                           landed: Callable[[], None] | None = None) -> list[list[Outcome]]:
        """Delivers independent batches, one chat's in the given order and chats side by side;
        the outcomes come back in the order of ``batches`` (``landed`` is called as each is
        done). Cancelled (the bot stops), it raises ``Stopped`` naming the batches that never
        reached Telegram."""
        by_chat: dict[int | None, list[int]] = {}
        for index, batch in enumerate(batches):
            by_chat.setdefault(_chat_of(batch[0]) if batch else None, []).append(index)
        outcomes: list[list[Outcome] | None] = [None] * len(batches)
        handed: set[int] = set()

        async def one_chat(indexes: list[int]) -> None:
            for index in indexes:
                outcomes[index] = await self._deliver_all(batches[index], priority,
                                                          partial(handed.add, index))
                if landed is not None:
                    landed()

        try:
            await asyncio.gather(*(one_chat(indexes) for indexes in by_chat.values()))
        except asyncio.CancelledError:
            unsent = [i for i, done in enumerate(outcomes) if done is None and i not in handed]
            raise Stopped(unsent) from None
        return [done or [] for done in outcomes]

    async def _deliver_all(self, actions: list[Action], priority: Priority,
                           handing: Callable[[], None]) -> list[Outcome]:
        outcomes = []
        for given in actions:
            # A file made here, on a worker thread: the core thread stays free for everybody else.
            action = await asyncio.to_thread(given.made) if isinstance(given, RenderDocument) else given
            for part in _parts(action, self._max_text):
                outcomes.append(await self._deliver_one(part, priority, handing))
        return outcomes

    async def _deliver_one(self, action: Action, priority: Priority,
                           handing: Callable[[], None]) -> Outcome:
        pause = self._policy.first_pause
        error: DeliveryError | None = None
        chat_id = _chat_of(action)
        for _attempt in range(self._policy.attempts):
            if self.limiter is not None:
                await self.limiter.acquire(chat_id, priority)
            handing()
            try:
                return Outcome(action, delivered=True, message_id=await self._arriving(action))
            except RetryAfter as flood:
                error = flood
                if flood.seconds > self._policy.longest_retry_after:
                    break
                log.warning("flood control: waiting %.1fs before retrying", flood.seconds)
                if self.limiter is not None:
                    self.limiter.hold(chat_id, flood.seconds)  # the next acquire waits it out
                else:
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
                    anew = Send(action.chat_id, action.text, action.buttons)
                    return await self._deliver_one(anew, priority, handing)
                log.error("the messenger rejected %s: %s", type(action).__name__, rejected)
                return Outcome(action, delivered=False, error=str(rejected))
        log.error("gave up delivering %s: %s", type(action).__name__, error)
        return Outcome(action, delivered=False, error=str(error))


    async def _arriving(self, action: Action) -> int | None:
        """Performs ``action``; if the bot stops meanwhile, the request under way is let finish (for
        ``IN_FLIGHT_GRACE`` at most) before the stop goes on. Cut off half-way, a message handed
        over may or may not have reached Telegram; at most once, it would then be lost."""
        sending = asyncio.ensure_future(self._performer.perform(action))
        try:
            return await asyncio.shield(sending)
        except asyncio.CancelledError:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(sending, IN_FLIGHT_GRACE)
            raise


def _nothing() -> None:
    return None


def _chat_of(action: Action) -> int | None:
    """The chat whose limit an action counts against; None for what is no message in a chat."""
    if isinstance(action, Send | Edit | SendDocument | RenderDocument):
        return action.chat_id
    return None


def _parts(action: Action, max_text: int) -> list[Action]:
    """A long message becomes several; its buttons go with the last part."""
    if not isinstance(action, Send | Edit):
        return [action]
    texts = split_message(action.text, max_text)
    if len(texts) == 1:
        return [action]
    first: Action = replace(action, text=texts[0], buttons=())
    rest: list[Action] = [Send(action.chat_id, text) for text in texts[1:-1]]
    last = Send(action.chat_id, texts[-1], action.buttons)
    return [first, *rest, last]
