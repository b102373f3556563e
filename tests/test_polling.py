"""The long-polling loop both frameworks share (``bot.transports.polling``): an update is written
before the next poll confirms it to Telegram, a stop part way through a batch confirms what was
handled, and neither a failing poll nor one failing update stops the bot."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import shutil
import signal
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.core.delivery import Delivery
from bot.core.events import Action, Event, Send, User
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.transports import polling
from bot.transports.polling import Incoming, poll_until_stopped
from tests.support.chat import World
from tests.test_ratelimit import Telegram, VirtualTimer

HOST = User(1, "Lin", language_code="en")


def text(update_id: int, words: str) -> Incoming:
    return Incoming(update_id, Event(HOST, HOST.id, text=words))


class Updates:
    """A getUpdates that hands out the given batches, one per call, then stops the bot (SIGTERM); it notes
    each call's offset and wait, and can run something at each call (before it answers)."""

    def __init__(self, *batches: Sequence[Incoming]) -> None:
        self.batches = list(batches)
        self.calls: list[tuple[int | None, int]] = []
        self.on_call = lambda: None

    async def fetch(self, offset: int | None, wait: int) -> Sequence[Incoming]:
        self.calls.append((offset, wait))
        self.on_call()
        if self.batches:
            return self.batches.pop(0)
        if wait == 0:  # the last confirmation, the bot stopping
            return []
        os.kill(os.getpid(), signal.SIGTERM)  # the loop's own handler takes it: the bot stops
        await asyncio.sleep(3600)  # a long poll, cancelled by the stop
        return []


async def run(world: World, updates: Updates) -> Telegram:
    runner = Runner(world.dispatcher)
    telegram = Telegram(VirtualTimer())
    runner.delivery = Delivery(telegram)
    try:
        await asyncio.wait_for(poll_until_stopped(runner, updates.fetch), 30)
    finally:
        runner.close()
    return telegram


def replies(telegram: Telegram) -> list[str]:
    return [action.text for _, action in telegram.sent if isinstance(action, Send)]


async def test_an_update_is_on_disk_before_the_next_poll_confirms_it(world: World, tmp_path: Path) -> None:
    crashed = tmp_path / "crashed"
    updates = Updates([text(7, "/start")], [text(8, "/new")], [text(9, "Acme")])

    def crash_copy() -> None:
        if len(updates.calls) == 4:  # the poll confirming update 9: the bot dies right here
            shutil.copytree(world.data_dir, crashed)

    updates.on_call = crash_copy
    telegram = await run(world, updates)
    assert [offset for offset, _ in updates.calls] == [None, 8, 9, 10]
    question = telegram.sent[-1][1]
    assert isinstance(question, Send)
    new_client = next(b for row in question.buttons for b in row if "New client: Acme" in b.label)
    world.db.close()
    after_crash = World(crashed)
    try:
        # The form survived the crash: its "new client" button goes on to the second step.
        answer = after_crash.dispatcher.handle(Event(HOST, HOST.id, callback_data=new_client.data,
                                                     callback_id="cb", message_id=1))
        assert "2/16" in str(answer) and "Which country" in str(answer)
    finally:
        after_crash.db.close()
        world.open()


async def test_a_stop_part_way_through_a_batch_confirms_what_was_handled(world: World) -> None:
    updates = Updates([text(3, "/start"), text(4, "/help"), text(5, "/today")])
    updates.on_call = lambda: os.kill(os.getpid(), signal.SIGTERM) if len(updates.calls) == 1 else None
    telegram = await run(world, updates)
    assert len(replies(telegram)) >= 3  # the whole batch was answered
    assert updates.calls[-1] == (6, 0)  # and confirmed without waiting, so none comes again


async def test_a_failing_poll_is_tried_again(world: World, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(polling, "FIRST_PAUSE", 0.01)
    updates = Updates([text(1, "/start")])
    real_fetch, failures = updates.fetch, [ConnectionError("Bot API away")]

    async def away_once(offset: int | None, wait: int) -> Sequence[Incoming]:
        if failures:
            raise failures.pop()
        return await real_fetch(offset, wait)

    updates.fetch = away_once  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="bot.transports.polling"):
        telegram = await run(world, updates)
    assert "Bot API away" in caplog.text
    assert replies(telegram), "the update after the outage was answered"


async def test_one_update_failing_does_not_stop_the_others(world: World, monkeypatch: pytest.MonkeyPatch,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    accept = Runner.accept

    async def failing_on_help(self: Runner, event: Event) -> asyncio.Task[object]:
        if event.text == "/help":
            raise RuntimeError("broken handler")
        return await accept(self, event)  # type: ignore[return-value]

    monkeypatch.setattr(Runner, "accept", failing_on_help)
    updates = Updates([text(1, "/help"), text(2, "/start")])
    with caplog.at_level(logging.ERROR, logger="bot.transports.polling"):
        telegram = await run(world, updates)
    assert "update 1 not handled" in caplog.text
    assert replies(telegram), "the next update was answered"
    assert updates.calls[-1][0] == 3


async def test_a_full_disk_mid_update_answers_and_keeps_nothing_half_written(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Through the loop as Telegram drives it (not the dispatcher alone): the update's one write
    # fails (a full disk fails the write itself, before any flush), the host hears so, and none of
    # what the update changed is kept.
    def full_disk(fd: int, data: bytes, offset: int) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    updates = Updates([text(1, "/start")], [text(2, "/new")])
    updates.on_call = lambda: (monkeypatch.setattr("bot.storage.wal.os.pwrite", full_disk)
                               if len(updates.calls) == 2 else None)
    telegram = await run(world, updates)
    assert "something went wrong on my side" in replies(telegram)[-1]
    assert "Which company is visiting" not in "".join(replies(telegram))
    world.db.close()
    monkeypatch.undo()
    world.open()
    assert not world.db.table("dialogs").all()  # the form /new began was not kept


async def test_a_disk_error_at_the_flush_after_the_reply_is_owned_up_to_and_undone(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reply goes out while the disk flushes the update's write. If the flush fails (a disk
    # error), the host is told the reply does not count, and the form /new began is not kept: not
    # in memory (the next message starts afresh), not on disk.
    real = os.fdatasync

    def disk_error(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    updates = Updates([text(1, "/start")], [text(2, "/new")], [text(3, "/mytasks")])

    def failing_for_new() -> None:  # the disk fails while /new is handled, and only then
        flush = {2: disk_error, 3: real}.get(len(updates.calls))
        if flush is not None:
            monkeypatch.setattr("bot.storage.wal.os.fdatasync", flush)

    updates.on_call = failing_for_new
    telegram = await run(world, updates)
    said = replies(telegram)
    asked = next(i for i, reply in enumerate(said) if "Which company is visiting" in reply)
    assert "could not be saved" in said[asked + 1] and "does not count" in said[asked + 1]
    assert not world.db.table("dialogs").all()  # memory went back to the disk
    assert updates.calls[-1][0] == 4  # every update confirmed: the host was answered each time
    world.db.close()
    world.open()
    assert not world.db.table("dialogs").all()


async def test_a_message_typed_while_a_job_holds_the_core_is_answered_after_it(world: World) -> None:
    # The core is free most of the time and an update is then handled on the loop's own thread;
    # while a scheduled job (the morning digests, a burst of nudges) runs on the core thread, a
    # message waits for it rather than reading the database alongside it.
    runner = Runner(world.dispatcher)
    telegram = Telegram(VirtualTimer())
    runner.delivery = Delivery(telegram)
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []

    def job() -> None:
        started.set()
        release.wait(10)
        finished.append("job")

    try:
        await runner.process(Event(HOST, HOST.id, text="/start"))  # the core free: answered at once
        assert len(replies(telegram)) == 1
        running = asyncio.create_task(runner.call(job))
        await asyncio.to_thread(started.wait, 10)
        answering = asyncio.create_task(runner.process(Event(HOST, HOST.id, text="/today")))
        await asyncio.sleep(0.2)
        assert not answering.done() and len(replies(telegram)) == 1
        release.set()
        await running
        await answering
        finished.append("reply")
    finally:
        runner.close()
    assert finished == ["job", "reply"]
    assert "No visitors today" in replies(telegram)[-1]


class SlowTelegram(Telegram):
    """Takes a few turns of the event loop to send, as an HTTP client does; one chat's messages
    hang (a chat waiting out Telegram's limits)."""

    def __init__(self, stuck_chat: int | None = None) -> None:
        super().__init__(VirtualTimer())
        self.stuck_chat = stuck_chat

    async def perform(self, action: Action) -> int | None:
        if getattr(action, "chat_id", None) == self.stuck_chat:
            await asyncio.sleep(3600)
        for _ in range(10):
            await asyncio.sleep(0)
        return await super().perform(action)


async def test_the_next_poll_lets_the_reply_go_first_but_does_not_wait_long_for_a_stuck_one(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(polling, "STOP_GRACE", 0.1)  # the stuck reply is given up at the stop
    monkeypatch.setattr(polling, "REPLY_HOLD", 0.3)
    # Preparing the next getUpdates alongside a reply slowed the reply down; the poll waits a
    # moment for it (an update that writes nothing, /help, has no flush to wait for). A reply
    # that hangs holds the poll up no longer than REPLY_HOLD, and nobody else's reply.
    stranger = User(2, "Ma", language_code="en")
    updates = Updates([text(1, "/start")], [text(2, "/help")],
                      [Incoming(3, Event(stranger, stranger.id, text="/start"))], [text(4, "/today")])
    sent_at_poll: list[int] = []
    polled_at: list[float] = []

    def note() -> None:
        sent_at_poll.append(len(replies(telegram)))
        polled_at.append(time.monotonic())

    updates.on_call = note
    runner = Runner(world.dispatcher)
    telegram = SlowTelegram(stuck_chat=stranger.id)
    runner.delivery = Delivery(telegram)
    try:
        await asyncio.wait_for(poll_until_stopped(runner, updates.fetch), 30)
    finally:
        runner.close()
    assert sent_at_poll[:3] == [0, 1, 2]  # each reply was sent before the next poll
    assert 0.3 <= polled_at[3] - polled_at[2] < 2  # the stranger's stuck one held it up a moment
    assert "/new" in replies(telegram)[1] and "today" in replies(telegram)[-1].lower()


class DelayedTelegram(Telegram):
    """Answers each request some time after it was made, as Telegram does over the internet."""

    def __init__(self, delay: float) -> None:
        super().__init__(VirtualTimer())
        self.delay = delay

    async def perform(self, action: Action) -> int | None:
        await asyncio.sleep(self.delay)
        return await super().perform(action)


async def test_an_update_that_wrote_is_confirmed_once_its_reply_reached_telegram(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Confirmed before its reply left, a saved update's "Saved as visit #N" was lost to a crash in
    # between. Now the poll that confirms it waits for the reply; not for a lookup's (a crash costs
    # a question asked again), and not for a chat that must first wait out its limit (a 429 here).
    monkeypatch.setattr(polling, "STOP_GRACE", 0.1)
    monkeypatch.setattr(polling, "REPLY_HOLD", 5.0)
    stranger = User(2, "Ma", language_code="en")
    updates = Updates([text(1, "/start")], [text(2, "/new")], [text(3, "/help")],
                      [Incoming(4, Event(stranger, stranger.id, text="/start"))])
    said_at_poll: list[list[str]] = []
    polled_at: list[float] = []

    def note() -> None:
        said_at_poll.append(replies(telegram))
        polled_at.append(time.monotonic())

    updates.on_call = note
    runner = Runner(world.dispatcher)
    limiter = RateLimiter()
    limiter.hold(stranger.id, 3600)
    telegram = DelayedTelegram(0.3)
    runner.delivery = Delivery(telegram, limiter=limiter)
    try:
        await asyncio.wait_for(poll_until_stopped(runner, updates.fetch), 30)
    finally:
        runner.close()
    assert "Welcome" in said_at_poll[1][-1]  # /start (it registers the admin) answered, then confirmed
    assert "Which company is visiting" in said_at_poll[2][-1]  # /new (it opens a form) the same
    assert said_at_poll[3] == said_at_poll[2]  # /help confirmed while its answer was on its way
    assert polled_at[4] - polled_at[3] < 2  # the stranger's /start wrote, but its chat must wait
    assert not any("administrators" in said for said in replies(telegram))
