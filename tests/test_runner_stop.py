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
from bot.core.events import Action
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.core.slices import UNLIMITED
from bot.scheduling import send_digests, send_nudges, send_relationship
from bot.services.dispatch import NudgeSender
from tests import test_lookups
from tests.support.chat import World, at
from tests.support.walkthroughs import plan_visit
from tests.test_lookups import LIN, MA, MANAGER, a_week
from tests.test_ratelimit import Telegram, VirtualTimer
from tests.test_relationship_digest import DIGEST_TIME, lin, two_clients


def a_runner(world: World) -> tuple[Runner, Telegram]:
    runner = Runner(world.dispatcher)
    timer = VirtualTimer()
    telegram = Telegram(timer)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    return runner, telegram


async def stopped_while_preparing(runner: Runner, job: Callable[[], Coroutine[Any, Any, object]]) -> None:
    """Starts the job, stops the bot while the job's messages are prepared on the core thread; the
    job ends as the scheduler's runs do on a stop, cancelled, once the core's turn is over."""
    try:
        sending = asyncio.create_task(job())
        await asyncio.sleep(0)  # the messages are being prepared (and recorded) on the core thread
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
    finally:
        runner.close()


async def stopped_after_one(runner: Runner, telegram: Telegram,
                            job: Callable[[], Coroutine[Any, Any, object]]) -> None:
    """Starts the job and stops the bot once Telegram took its first message: a stop mid-burst.
    The job ends cancelled, once what never reached Telegram is queued again."""
    try:
        sending = asyncio.create_task(job())
        telegram.notify_after = 1
        await telegram.reached.wait()
        sending.cancel()
        with pytest.raises(asyncio.CancelledError):
            await sending
    finally:
        runner.close()


def nudges_due_and_a_runner(world: World) -> tuple[Runner, Telegram]:
    """Two planned visits whose early nudges are due (a message each), and a runner sending to a
    virtual Telegram."""
    host = world.person(1, "Lin", language_code="zh-hans").send("/start")
    plan_visit(host)
    plan_visit(host, arrival="周四下午2点", departure="周四下午5点")
    at(world, "2026-11-25 15:00")  # the day before, after both visits' day-before items came due
    services = world.dispatcher.services
    with services.db.unit():  # the start's warm-up (``bot.services.replan``): the rules are the same
        assert services.replan.step(UNLIMITED)
    runner = Runner(world.dispatcher)
    timer = VirtualTimer()
    telegram = Telegram(timer)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    return runner, telegram


async def next_start(world: World) -> list[Action]:
    """What a new runner (the next start) sends from the outbox."""
    runner, telegram = a_runner(world)
    try:
        await runner.send_outbox()
    finally:
        runner.close()
    return [action for _, action in telegram.sent]


async def test_a_stop_while_nudges_are_prepared_sends_them_at_the_next_start(world: World) -> None:
    runner, telegram = nudges_due_and_a_runner(world)
    await stopped_while_preparing(runner, lambda: send_nudges(runner))
    assert telegram.sent == []
    assert NudgeSender(world.dispatcher.services).due_messages() == []  # recorded, and queued:
    assert len(await next_start(world)) == 2


async def test_a_stop_mid_burst_sends_the_rest_at_the_next_start(world: World) -> None:
    runner, telegram = nudges_due_and_a_runner(world)
    await stopped_after_one(runner, telegram, lambda: send_nudges(runner))
    first = [action for _, action in telegram.sent]
    rest = await next_start(world)
    assert len(first) == 1 and len(rest) == 1
    assert set(rest).isdisjoint(first)
    assert await next_start(world) == []  # and never again


async def test_pushes_a_crash_left_half_sent_are_not_sent_again(world: World) -> None:
    """Taken from the outbox (recorded as being sent), then a crash: at most once, so dropped."""
    runner, _ = nudges_due_and_a_runner(world)
    try:
        outbox = world.dispatcher.services.outbox
        await runner.call(lambda: outbox.add([o.message for o in NudgeSender(world.dispatcher.services)
                                              .due_messages()], "nudge"))
        await runner.call(outbox.take, world.clock.now(), 1)  # one handed over when the process died
    finally:
        runner.close()
    world.restart()
    assert len(await next_start(world)) == 1


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
    runner, telegram = a_runner(world)
    await stopped_after_one(runner, telegram, lambda: send_relationship(runner))
    first = [getattr(action, "text", "") for _, action in telegram.sent]
    assert len(first) == 1 and "老客户" in first[0]
    assert services.relationship.due_messages(world.clock.now()) == []  # the sweep is done
    again = [getattr(action, "text", "") for action in await next_start(world)]
    assert len(again) == 1 and "中秋节" in again[0]
    assert await next_start(world) == []


async def test_a_stop_while_morning_digests_are_prepared_sends_them_at_the_next_start(world: World) -> None:
    a_week(world)
    world.clock.current = test_lookups.at(23, 8, 30)  # Monday 08:30 in Shanghai
    runner, telegram = a_runner(world)
    await stopped_while_preparing(runner, lambda: send_digests(runner))
    assert telegram.sent == []
    assert world.dispatcher.services.digests.due_messages() == []  # recorded once ...
    again = await next_start(world)  # ... and sent at the next start
    assert {getattr(action, "chat_id", None) for action in again} == {LIN, MA, MANAGER}


async def test_a_stop_while_greetings_are_prepared_sends_them_at_the_next_start(world: World) -> None:
    world.clock.current = DIGEST_TIME
    lin(world)
    two_clients(world)  # the Mid-Autumn digest
    runner, telegram = a_runner(world)
    await stopped_while_preparing(runner, lambda: send_relationship(runner))
    assert telegram.sent == []
    again = [getattr(action, "text", "") for action in await next_start(world)]
    assert len(again) == 1 and "中秋节" in again[0]
