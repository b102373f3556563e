"""Sending within Telegram's limits: 30 a second overall, 1 a second per chat, 20 a minute per group;
replies ahead of a burst of pushes; a 429 waited out and the same message sent once; a stop in the
middle of a burst loses nothing. On virtual time: the limiter's timer is injected, nothing sleeps."""

from __future__ import annotations

import asyncio
from bisect import bisect_left

import pytest

from bot.core.delivery import Delivery, RetryAfter, Stopped
from bot.core.events import Action, AnswerCallback, Send
from bot.core.ratelimit import Priority, RateLimiter


class VirtualTimer:
    """Time moves only when the limiter waits, by exactly as long as it asked to wait."""

    def __init__(self, late: float = 0.0) -> None:
        self.current = 0.0
        self.waits = 0
        self.late = late  # how much later than asked a wait ends (a busy event loop)

    def now(self) -> float:
        return self.current

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        self.waits += 1
        for _ in range(3):  # those just granted go out at the moment they were granted
            await asyncio.sleep(0)
        if not event.is_set():
            self.current += seconds + self.late


class Telegram:
    """Accepts everything (after the scripted 429s) and notes when each message arrived."""

    def __init__(self, timer: VirtualTimer, flood: dict[int, float] | None = None) -> None:
        self.timer = timer
        self.flood = dict(flood or {})
        self.sent: list[tuple[float, Action]] = []
        self.refused: list[tuple[float, Action]] = []
        self.reached = asyncio.Event()
        self.notify_after = 0

    async def perform(self, action: Action) -> int | None:
        chat_id = getattr(action, "chat_id", None)
        if chat_id in self.flood:
            self.refused.append((self.timer.now(), action))
            raise RetryAfter(self.flood.pop(chat_id))
        self.sent.append((self.timer.now(), action))
        if len(self.sent) == self.notify_after:
            self.reached.set()
        return len(self.sent)

    def times(self, chat_id: int | None = None) -> list[float]:
        return [at for at, action in self.sent
                if chat_id is None or getattr(action, "chat_id", None) == chat_id]

    def time_of(self, text: str) -> float:
        return next(at for at, action in self.sent if isinstance(action, Send) and action.text == text)


def most_in_any_window(times: list[float], seconds: float) -> int:
    ordered = sorted(times)
    ends = (bisect_left(ordered, start + seconds - 1e-9) for start in ordered)
    return max((end - i for i, end in enumerate(ends)), default=0)


def limited() -> tuple[VirtualTimer, Telegram, Delivery]:
    timer = VirtualTimer()
    telegram = Telegram(timer)
    return timer, telegram, Delivery(telegram, limiter=RateLimiter(timer=timer))


async def test_a_burst_to_many_chats_goes_at_thirty_a_second_and_no_faster() -> None:
    timer, telegram, delivery = limited()
    outcomes = await delivery.deliver_each([[Send(1000 + n % 500, f"nudge {n}")] for n in range(3000)])
    assert all(batch[0].delivered for batch in outcomes)
    texts = [action.text for _, action in telegram.sent if isinstance(action, Send)]
    assert sorted(texts) == sorted(f"nudge {n}" for n in range(3000))  # each once
    assert most_in_any_window(telegram.times(), 1.0) <= 31  # half a token of slack, once
    assert most_in_any_window([at for at in telegram.times() if at > 0.1], 1.0) == 30
    assert 3000 / timer.now() >= 29.9
    assert max(most_in_any_window(telegram.times(chat), 1.0) for chat in range(1000, 1500)) <= 2
    assert timer.waits <= 3000 + 10  # one wait per token at most: nobody polls


async def test_wake_ups_a_little_late_cost_no_throughput() -> None:
    timer = VirtualTimer(late=0.003)
    telegram = Telegram(timer)
    delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    await delivery.deliver_each([[Send(1000 + n % 500, f"nudge {n}")] for n in range(1500)])
    assert 1500 / timer.now() >= 29.5
    assert most_in_any_window(telegram.times(), 1.0) <= 31


async def test_one_chat_gets_two_at_once_then_one_a_second() -> None:
    _, telegram, delivery = limited()
    await delivery.deliver_each([[Send(7, f"nudge {n}")] for n in range(10)])
    times = telegram.times(7)
    assert times[1] < 0.05
    assert times[2:] == pytest.approx([float(n) for n in range(1, 9)])
    assert [a.text for _, a in telegram.sent if isinstance(a, Send)] == [f"nudge {n}" for n in range(10)]


async def test_a_chat_waiting_for_its_turn_holds_back_no_other_chat() -> None:
    _, telegram, delivery = limited()
    batches = [[Send(7, f"to seven {n}")] for n in range(20)] + [[Send(8 + n, "other")] for n in range(20)]
    await delivery.deliver_each(batches)
    others = sorted(at for at, action in telegram.sent if getattr(action, "chat_id", 0) >= 8)
    assert others[-1] < 1.5  # twenty other chats done within the first second and a half
    assert telegram.times(7)[-1] >= 18


async def test_a_group_gets_twenty_a_minute() -> None:
    _, telegram, delivery = limited()
    await delivery.deliver_each([[Send(-100500, f"arrivals {n}")] for n in range(45)])
    assert most_in_any_window(telegram.times(-100500), 60.0) <= 20
    assert len(telegram.times(-100500)) == 45


async def test_a_reply_mid_burst_goes_out_at_once_even_to_a_chat_in_the_burst() -> None:
    timer, telegram, delivery = limited()
    nudges = [[Send(1000 + n % 100, f"nudge {n}")] for n in range(2000)]
    burst = asyncio.create_task(delivery.deliver_each(nudges))
    telegram.notify_after = 500
    await telegram.reached.wait()
    asked = timer.now()
    typed_by = telegram.sent[-1][1]
    assert isinstance(typed_by, Send)  # someone who has just been nudged
    await delivery.deliver([AnswerCallback("q1"), Send(typed_by.chat_id, "your reply")], Priority.REPLY)
    # At once: within a tick of the burst (the chat's own limit would have held it a second or more;
    # the request is a task of its own, so another send may be granted first).
    assert telegram.time_of("your reply") - asked < 0.1
    assert timer.now() - asked < 0.1
    await burst
    assert len(telegram.sent) == 2002


async def test_replies_queued_with_pushes_go_first() -> None:
    timer = VirtualTimer()
    limiter = RateLimiter(timer=timer)
    order: list[str] = []

    async def send(name: str, chat_id: int, priority: Priority) -> None:
        await limiter.acquire(chat_id, priority)
        order.append(name)

    pushes = [send(f"push {n}", 100 + n, Priority.PUSH) for n in range(10)]
    replies = [send(f"reply {n}", 200 + n, Priority.REPLY) for n in range(3)]
    await asyncio.gather(*pushes, *replies)
    # The first push found the bucket full; every reply then went before the pushes still queued.
    assert order[:4] == ["push 0", "reply 0", "reply 1", "reply 2"]


async def test_a_429_holds_that_chat_only_and_sends_the_same_message_once() -> None:
    timer = VirtualTimer()
    telegram = Telegram(timer, flood={7: 5.0})
    delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    outcomes = await delivery.deliver_each([[Send(7, "held")], [Send(8, "b")], [Send(9, "c")]])
    assert all(batch[0].delivered for batch in outcomes)
    assert [at for at, _ in telegram.refused] == [0.0]
    assert telegram.time_of("held") >= 5.0
    assert telegram.time_of("b") < 0.1 and telegram.time_of("c") < 0.1
    assert [a.text for _, a in telegram.sent if isinstance(a, Send)].count("held") == 1


async def test_cancelled_senders_do_not_block_the_queue() -> None:
    timer = VirtualTimer()
    limiter = RateLimiter(timer=timer)
    for _ in range(3):
        await limiter.acquire(5, Priority.REPLY)  # chat 5 has no tokens left
    stuck = asyncio.create_task(limiter.acquire(5, Priority.REPLY))
    await asyncio.sleep(0)
    stuck.cancel()
    await limiter.acquire(6, Priority.REPLY)
    assert limiter.waiting == 0


async def test_stopping_mid_burst_names_exactly_what_never_reached_telegram() -> None:
    _, telegram, delivery = limited()

    async def burst() -> list[int]:
        try:
            await delivery.deliver_each([[Send(7, f"nudge {n}")] for n in range(10)])
        except Stopped as stopped:
            return stopped.unsent
        return []

    task = asyncio.create_task(burst())
    telegram.notify_after = 4
    await telegram.reached.wait()
    task.cancel()
    unsent = await task
    sent = {action.text for _, action in telegram.sent if isinstance(action, Send)}
    assert len(sent) == 4
    assert {f"nudge {n}" for n in unsent} == {f"nudge {n}" for n in range(10)} - sent
