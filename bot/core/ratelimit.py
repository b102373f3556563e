"""Keeps everything the bot sends under Telegram's limits, with replies ahead of pushes.

Telegram lets a bot send about 30 messages a second overall and about one a second in one chat
(short bursts are tolerated), 20 a minute in a group; a bot that goes faster gets 429 and, if it
keeps going, longer bans. ``Delivery`` asks ``RateLimiter.acquire`` before every attempt, so
nothing leaves faster than these token buckets allow:

- overall: 30 a second;
- per chat: 1 a second (burst 3, so a reply of two or three messages goes out at once); a group
  (negative chat id): 20 a minute (burst 2);
- a button answer, an inline answer or a command menu is no message in a chat: it takes an
  overall token only.

Replies before pushes. Someone who just typed must not queue behind 10,000 due nudges:

- waiters are served by priority (``REPLY`` before ``PUSH``), then first come, first served;
- a push may not take a bucket's last tokens (``Limits.*_reserve``): the overall bucket keeps two
  and each chat keeps one for replies. Pushes still get the full 30 a second and 1 a second per
  chat (they take a token as soon as one beyond the reserve has grown back), and a reply mid-burst
  finds a token waiting: it goes out at once instead of after the queue.

One chat waiting out its limit holds back nobody else: a token goes to the oldest waiter whose own
chat has one, chats taking turns. After a 429, ``hold`` keeps that chat (or, without a chat,
everything) quiet for ``retry_after``; the message is then retried by ``Delivery``, so it is
neither lost nor sent twice.

Nobody polls: the first waiter starts one task that sleeps until the next token grows (or a new
waiter arrives) and ends when the queue is empty. Time comes from an injected ``Timer`` so tests
run on virtual time and never sleep.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Protocol

# Tokens counted as whole despite floating-point refill arithmetic.
EPSILON = 1e-9
# Buckets of chats that went quiet are forgotten when there are more than this many.
KEEP_CHATS = 10_000


class Priority(IntEnum):
    """Who goes first when both wait: lower values."""

    REPLY = 0  # an answer to someone who just typed or pressed a button
    PUSH = 1  # what the bot sends on its own: nudges, digests, notices


@dataclass(frozen=True)
class Limits:
    """Telegram's limits as rates and bursts; the reserves are kept from pushes for replies."""

    overall_per_second: float = 30.0
    # Two tokens kept for replies, and half a token of slack: the wake-up that follows a token is
    # often a little late, and without slack every late wake-up would cost pushes that time.
    overall_burst: float = 3.5
    overall_reserve: float = 2.0
    chat_per_second: float = 1.0
    chat_burst: float = 3.0
    chat_reserve: float = 1.0
    group_per_minute: float = 20.0
    group_burst: float = 2.0
    group_reserve: float = 1.0

    def __post_init__(self) -> None:
        for burst, reserve in ((self.overall_burst, self.overall_reserve),
                               (self.chat_burst, self.chat_reserve), (self.group_burst, self.group_reserve)):
            if not 0 <= reserve <= burst - 1:
                raise ValueError("a reserve must leave at least one token of the burst for pushes")


class Timer(Protocol):
    """Monotonic seconds, and a wait that ends early when ``event`` is set."""

    def now(self) -> float: ...

    async def wait(self, event: asyncio.Event, seconds: float) -> None: ...


class MonotonicTimer:
    def now(self) -> float:
        return time.monotonic()

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


@dataclass
class Bucket:
    """``rate`` tokens a second up to ``capacity``; empty until ``held_until`` after a 429."""

    rate: float
    capacity: float
    reserve: float
    tokens: float
    stamp: float
    held_until: float = 0.0

    def ready_at(self, now: float, priority: Priority) -> float:
        """The moment a waiter of ``priority`` may take a token (``now`` or later)."""
        self._refill(now)
        need = 1.0 if priority is Priority.REPLY else 1.0 + self.reserve
        missing = need - self.tokens
        at = now if missing <= EPSILON else now + missing / self.rate
        return max(at, self.held_until)

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1.0

    def idle(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.capacity - EPSILON and self.held_until <= now

    def _refill(self, now: float) -> None:
        if now > self.stamp:
            self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now


@dataclass
class _Waiter:
    priority: Priority
    chat_id: int | None
    granted: asyncio.Future[None] = field(repr=False)


class RateLimiter:
    """Token buckets every outgoing action passes; see the module docstring."""

    def __init__(self, limits: Limits | None = None, timer: Timer | None = None) -> None:
        self.limits = limits or Limits()
        self._timer = timer or MonotonicTimer()
        limits = self.limits
        now = self._timer.now()
        self._overall = Bucket(limits.overall_per_second, limits.overall_burst, limits.overall_reserve,
                               limits.overall_burst, now)
        self._chats: dict[int, Bucket] = {}
        # Per priority, the waiting chats in turn order, each with its waiters in arrival order.
        self._queues: dict[Priority, OrderedDict[int | None, deque[_Waiter]]] = {
            priority: OrderedDict() for priority in Priority}
        self._arrived = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None
        self._wake_at: float | None = None  # when the sleeping pump looks again

    async def acquire(self, chat_id: int | None, priority: Priority = Priority.PUSH) -> None:
        """Returns when one action to ``chat_id`` may go out (``None``: no chat's limit applies)."""
        now = self._timer.now()
        if not self._queued_before(priority) and self._ready_at(chat_id, priority, now) <= now:
            self._take(chat_id, now)
            return
        waiter = _Waiter(priority, chat_id, asyncio.get_running_loop().create_future())
        self._queues[priority].setdefault(chat_id, deque()).append(waiter)
        if self._wake_at is None or self._ready_at(chat_id, priority, now) < self._wake_at:
            self._arrived.set()  # sooner than the sleeping pump would look: wake it
        if self._pump is None:
            self._pump = asyncio.create_task(self._serve_until_empty())
        await waiter.granted

    def hold(self, chat_id: int | None, seconds: float) -> None:
        """Telegram said 429: nothing to ``chat_id`` (``None``: nothing at all) for ``seconds``."""
        bucket = self._overall if chat_id is None else self._bucket(chat_id, self._timer.now())
        bucket.held_until = max(bucket.held_until, self._timer.now() + seconds)

    def chat_free(self, chat_id: int) -> bool:
        """Whether a reply to ``chat_id`` would go out now as far as that chat's own limit goes: no
        earlier reply to it waiting, a token in its bucket, no 429 holding it. (The overall limit's
        waits are short: a thirtieth of a second per message ahead.)"""
        if self._queues[Priority.REPLY].get(chat_id):
            return False
        now = self._timer.now()
        return self._bucket(chat_id, now).ready_at(now, Priority.REPLY) <= now

    @property
    def waiting(self) -> int:
        return sum(len(q) for queues in self._queues.values() for q in queues.values())

    def _queued_before(self, priority: Priority) -> bool:
        return any(self._queues[p] for p in Priority if p <= priority)

    def _bucket(self, chat_id: int, now: float) -> Bucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            if len(self._chats) >= KEEP_CHATS:
                self._chats = {k: b for k, b in self._chats.items() if not b.idle(now)}
            limits = self.limits
            if chat_id < 0:
                bucket = Bucket(limits.group_per_minute / 60, limits.group_burst, limits.group_reserve,
                                limits.group_burst, now)
            else:
                bucket = Bucket(limits.chat_per_second, limits.chat_burst, limits.chat_reserve,
                                limits.chat_burst, now)
            self._chats[chat_id] = bucket
        return bucket

    def _ready_at(self, chat_id: int | None, priority: Priority, now: float) -> float:
        at = self._overall.ready_at(now, priority)
        if chat_id is not None:
            at = max(at, self._bucket(chat_id, now).ready_at(now, priority))
        return at

    def _take(self, chat_id: int | None, now: float) -> None:
        self._overall.take(now)
        if chat_id is not None:
            self._bucket(chat_id, now).take(now)

    async def _serve_until_empty(self) -> None:
        try:
            while True:
                now = self._timer.now()
                wake = self._grant_ready(now)
                if wake is None:
                    return
                self._arrived.clear()
                self._wake_at = wake
                await self._timer.wait(self._arrived, wake - now)
                self._wake_at = None
        finally:
            self._pump = self._wake_at = None

    def _grant_ready(self, now: float) -> float | None:
        """Grants every waiter that may go now; returns when to look again (None: nobody waits)."""
        while True:
            found = self._next_ready(now)
            if found is None:
                return None
            if isinstance(found, float):
                return found
            priority, chat_id = found
            queue = self._queues[priority][chat_id]
            waiter = queue.popleft()
            if queue:
                self._queues[priority].move_to_end(chat_id)  # chats take turns
            else:
                del self._queues[priority][chat_id]
            self._take(chat_id, now)
            waiter.granted.set_result(None)

    def _next_ready(self, now: float) -> tuple[Priority, int | None] | float | None:
        """The waiter to serve now, else the earliest moment one may go, else None when none wait."""
        earliest: float | None = None
        for priority in Priority:
            overall_at = self._overall.ready_at(now, priority)
            queues = self._queues[priority]
            for chat_id in list(queues):
                queue = queues[chat_id]
                while queue and queue[0].granted.done():  # its sender was cancelled
                    queue.popleft()
                if not queue:
                    del queues[chat_id]
                    continue
                chat_at = now if chat_id is None else self._bucket(chat_id, now).ready_at(now, priority)
                at = max(chat_at, overall_at)
                if at <= now:
                    return priority, chat_id
                earliest = at if earliest is None else min(earliest, at)
                if chat_at <= now:
                    # Only the overall limit holds this one back: nobody after it may overtake it.
                    return earliest
        return earliest
