"""A stop (SIGTERM cancels the scheduler's job) while due nudges, digests or greetings are being
prepared or sent loses none of them: whatever never reached Telegram is due again at the next start."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import pytest
from tinydb.table import Document

from bot.core.delivery import Delivery
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.services.dispatch import NudgeSender
from tests import test_lookups
from tests.support.chat import World
from tests.test_lookups import CHEN, LIN, MA, a_week
from tests.test_nudge_sending import at, plan_visit
from tests.test_ratelimit import Telegram, VirtualTimer
from tests.test_relationship_digest import DIGEST_TIME, lin, two_clients


def a_runner(world: World) -> tuple[Runner, Telegram]:
    runner = Runner(world.dispatcher)
    timer = VirtualTimer()
    telegram = Telegram(timer)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    return runner, telegram


async def stopped_while_preparing(runner: Runner, job: Callable[[], Coroutine[Any, Any, int]]) -> int:
    """Starts the job, stops the bot while the job's messages are prepared on the core thread."""
    try:
        sending = asyncio.create_task(job())
        await asyncio.sleep(0)  # the messages are being prepared (and recorded) on the core thread
        sending.cancel()
        return await sending
    finally:
        runner.close()


def nudges_due_and_a_runner(world: World) -> tuple[Runner, Telegram]:
    """Two planned visits whose early nudges are due (a message each), and a runner sending to a
    virtual Telegram."""
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    plan_visit(host, arrival="周四下午2点", departure="周四下午5点")
    at(world, "2026-11-25 10:00")
    runner = Runner(world.dispatcher)
    timer = VirtualTimer()
    telegram = Telegram(timer)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    return runner, telegram


async def test_a_stop_while_nudges_are_prepared_puts_them_all_back(world: World) -> None:
    runner, telegram = nudges_due_and_a_runner(world)
    try:
        sending = asyncio.create_task(runner.send_due_nudges())
        await asyncio.sleep(0)  # the first slice is being prepared on the core thread
        sending.cancel()
        assert await sending == 0
    finally:
        runner.close()
    assert telegram.sent == []
    assert len(NudgeSender(world.dispatcher.services).due_messages()) >= 2


async def test_a_stop_mid_burst_sends_the_rest_at_the_next_start(world: World) -> None:
    runner, telegram = nudges_due_and_a_runner(world)
    try:
        sending = asyncio.create_task(runner.send_due_nudges())
        telegram.notify_after = 1
        await telegram.reached.wait()
        sending.cancel()
        await sending
    finally:
        runner.close()
    first = [action for _, action in telegram.sent]
    rest = NudgeSender(world.dispatcher.services).due_messages()
    assert len(first) >= 1 and len(rest) >= 1
    assert {item.message for item in rest}.isdisjoint(first)


async def test_what_a_job_writes_on_the_core_thread_is_one_durable_write(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduler job's bookkeeping (the relationship sweep records reminders, digests and the day)
    is one write, all or nothing, like a reply's."""
    db, syncs = world.dispatcher.services.db, []
    real = os.fdatasync

    def counted(fd: int) -> None:
        syncs.append(fd)
        real(fd)

    def bookkeeping(day: object) -> None:
        db.table("relationship_reminders").insert(Document({"id": f"r-{day}"}, doc_id=len(syncs) + 1))
        db.table("sweeps").insert(Document({"id": day}, doc_id=len(syncs) + 1))  # fails if not JSON

    monkeypatch.setattr("bot.storage.wal.os.fdatasync", counted)
    runner = Runner(world.dispatcher)
    try:
        await runner.call(bookkeeping, "2026-11-25")
        assert len(syncs) == 1  # both records in one fdatasync
        with pytest.raises(TypeError):
            await runner.call(bookkeeping, object())  # the second write fails: the first goes too
    finally:
        runner.close()
    world.restart()
    assert [r["id"] for r in world.db.table("relationship_reminders").all()] == ["r-2026-11-25"]
    assert [d["id"] for d in world.db.table("sweeps").all()] == ["2026-11-25"]


async def test_a_stop_mid_greetings_sends_the_rest_at_the_next_start(world: World) -> None:
    """The morning's relationship messages for one person go out a second apart; a stop after the
    first leaves the digest for the next start, which sends it once, and not the nudge again."""
    world.clock.current = DIGEST_TIME
    lin(world)
    two_clients(world)  # the Mid-Autumn digest
    services = world.dispatcher.services
    services.clients.create("老客户", default_class="A", by=1, now=DIGEST_TIME - timedelta(days=40),
                            account_manager=1)  # a class-A client not contacted for 40 days
    runner = Runner(world.dispatcher)
    timer = VirtualTimer()
    telegram = Telegram(timer)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    try:
        sending = asyncio.create_task(runner.send_relationship_messages())
        telegram.notify_after = 1
        await telegram.reached.wait()
        sending.cancel()
        assert await sending == 1
    finally:
        runner.close()
    first = [getattr(action, "text", "") for _, action in telegram.sent]
    assert len(first) == 1 and "老客户" in first[0]
    again = [due.message.text for due in services.relationship.due_messages(world.clock.now())]
    assert len(again) == 1 and "中秋节" in again[0]
    assert services.relationship.due_messages(world.clock.now()) == []


async def test_a_stop_while_morning_digests_are_prepared_sends_them_at_the_next_start(world: World) -> None:
    a_week(world)
    world.clock.current = test_lookups.at(23, 8, 30)  # Monday 08:30 in Shanghai
    runner, telegram = a_runner(world)
    assert await stopped_while_preparing(runner, runner.send_due_digests) == 0
    assert telegram.sent == []
    again = world.dispatcher.services.digests.due_messages()
    assert {item.message.chat_id for item in again} == {LIN, MA, CHEN}


async def test_a_stop_while_greetings_are_prepared_sends_them_at_the_next_start(world: World) -> None:
    world.clock.current = DIGEST_TIME
    lin(world)
    two_clients(world)  # the Mid-Autumn digest
    runner, telegram = a_runner(world)
    assert await stopped_while_preparing(runner, runner.send_relationship_messages) == 0
    assert telegram.sent == []
    again = world.dispatcher.services.relationship.due_messages(world.clock.now())
    assert len(again) == 1 and "中秋节" in again[0].message.text
