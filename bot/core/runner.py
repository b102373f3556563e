"""Runs the synchronous core and hands its actions to delivery.

The core (TinyDB is not thread-safe) runs on one thread at a time, under one lock. Scheduled work
(the morning digests, a burst of nudges: seconds at 25,000 visits) and handlers that show progress
as they go run on a dedicated core thread, so the event loop stays free to poll and send for
everybody else meanwhile. An update finding the core free is handled right on the loop's thread:
its handler is quick, and the two thread hand-overs it saves were a large share of every reply
(``bench.e2e``). Work a handler sets aside (reading a sheet sent for
import: seconds for a big one) is done on a thread of its own, without the core, so everybody else
is answered meanwhile; the handler then finishes on the core with its result (``Context.set_aside``).

Such an update's reply goes out while the disk flushes what it wrote (``fdatasync``: most of
what our replies took beyond a bare echo bot's). It stays crash-safe: the
core is held until the flush returns, and the update is confirmed to Telegram only then (the
polling loop waits for ``accept``), so after a crash in between Telegram hands it over again: it is
handled if its write did not reach the disk, else answered as one handled already
(``bot.core.replays``). The reply may come twice; the write is never lost, nor made twice. A full
disk still fails before the reply, at the write (``bot.storage.wal``); only a flush failing after it
(a disk error) makes the core go back to what the disk holds and tell the sender the reply does not
count.

Whether the polling loop also waits for the reply before it confirms the update, ``Accepted`` says
(``bot.transports.polling``): yes for an update that wrote something, unless its chat must first
wait out its limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from bot.core.context import Aside, Context
from bot.core.delivery import Delivery, Stopped
from bot.core.dispatcher import Dispatcher
from bot.core.events import Action, Event, Outcome
from bot.core.outbox import Push
from bot.core.ratelimit import Priority
from bot.core.slices import Batch, Budget
from bot.warmup import tidy, warm_step

T = TypeVar("T")
P = TypeVar("P")
# How long a handler waits for its progress message to reach Telegram before going on without it.
LIVE_WAIT = 10.0
log = logging.getLogger(__name__)
# The outbox is sent this many messages at a time (each slice one turn of the core to take it).
OUTBOX_SLICE = 300
# The next slice is taken once this few of those under way are still on their way: about a second
# of Telegram's 30 a second (``Runner.send_outbox``).
OUTBOX_LOW = 30
# After a producer queued this many messages (a catch-up), memory is tidied (``bot.warmup.tidy``).
TIDY_AFTER = 1000
# Turns of the event loop a reply's task takes from its start to its request written to the messenger's
# connection (its own step, then the performer's, ``Delivery._arriving``); a reply that must wait
# for its chat's limit only waits that long.
REPLY_STEPS = 2


@dataclass(frozen=True)
class Turn:
    """What a turn of the core for an update says: its reply, the work its handler set aside, the
    ids of the pushes it queued (held back until the reply was handed over), the reply's priority."""

    actions: list[Action]
    aside: Aside[Any] | None
    pushed: list[int]
    priority: Priority


@dataclass(frozen=True)
class Accepted:
    """An update the core handled (what it changed is durable), its answer on the way."""

    # Everything the update says: its reply, then what work its handler set aside says when done.
    answer: asyncio.Task[list[Outcome]]
    # Done once the reply itself was handed to Telegram (and answered), or given up.
    replied: asyncio.Future[Any]
    # Whether the update's confirmation should wait for ``replied``: it wrote something, and the reply
    # need not first wait out its chat's limit (one a second), which would hold up everybody's updates.
    hold: bool = False


class Runner:
    """The bridge between a transport's event loop and the core."""

    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher
        self._outbox_checked = False  # pushes a crash left half-sent are dropped once, at the first send
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="core")
        # Flushes an update's write while its reply goes out; not the core thread, which may be
        # waiting for the core this very flush holds.
        self._flusher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="flush")
        self._core = threading.Lock()  # held by whoever runs the core: the core thread or the loop's
        # Does the work handlers set aside (``Context.set_aside``: reading a sheet), without the core.
        # One at a time: two admins' sheets are read one after the other, not side by side in memory.
        self._aside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aside")
        self.delivery: Delivery | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        # Set when a sender has taken all that was queued (``produce`` waits for it before it queues
        # more), cleared when more is queued; one per event loop (``_taken``).
        # The chats with a push on its way, whichever sender took it: the next slices skip them
        # (``Runner.send_outbox``), so that a chat's pushes keep their order.
        self._on_way: Counter[int] = Counter()
        self._taken_all: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        dispatcher.deliver_now = self.deliver_now

    async def call(self, fn: Callable[..., T], *args: object) -> T:
        """Runs ``fn(*args)`` on the core thread; what it writes is one durable write, all or nothing
        (``Database.unit``): a scheduler job's bookkeeping as much as a reply's."""
        return await self._on_core(self._in_unit, fn, args)

    async def _on_core(self, fn: Callable[..., T], *args: object) -> T:
        self._loop = asyncio.get_running_loop()
        return await self._loop.run_in_executor(self._executor, self._holding_core, fn, args)

    def _holding_core(self, fn: Callable[..., T], args: tuple[object, ...]) -> T:
        with self._core:
            return fn(*args)

    def _in_unit(self, fn: Callable[..., T], args: tuple[object, ...]) -> T:
        with self.dispatcher.services.db.unit():
            return fn(*args)

    def deliver_now(self, action: Action) -> int | None:
        """On the core thread, for a handler's progress message: delivers ``action`` on the event loop
        at once and waits for it (the loop is free meanwhile). The message id, or None if it failed.

        Delivery only, not ``push``: learning of a blocked user needs the core thread, which waits here.
        """
        loop, delivery = self._loop, self.delivery
        if loop is None or delivery is None or loop.is_closed() or _is_loop_thread(loop):
            # On the loop's own thread, waiting for the loop would wait forever; a closed loop (a
            # sheet still being read as the bot stops) sends nothing more.
            return None
        try:
            outcomes = asyncio.run_coroutine_threadsafe(delivery.deliver([action]), loop).result(LIVE_WAIT)
        except Exception:  # progress is a courtesy: the work goes on without it
            log.warning("progress message not delivered", exc_info=True)
            return None
        return outcomes[0].message_id if outcomes and outcomes[0].delivered else None

    async def process(self, event: Event) -> list[Outcome]:
        """Handles one incoming event end to end; its reply goes ahead of queued pushes (a
        stranger's behind them)."""
        return await (await self.accept(event)).answer

    async def accept(self, event: Event) -> Accepted:
        """Handles one incoming event (what it changed is durable when this returns) and starts
        delivering its reply, ahead of queued pushes (a stranger's behind them)."""
        # Not in ``call``'s unit: the dispatcher's own is the update's write, and only as the outermost
        # one does a failed write (or a failing handler) keep nothing of the update and answer so.
        self._loop = loop = asyncio.get_running_loop()
        replied: asyncio.Future[None] = loop.create_future()
        if self.dispatcher.shows_progress(event) or not self._core.acquire(blocking=False):
            turn = await self._on_core(self._turn, event, True)
            # Written or not, it is not known here: held as if it was.
            hold = self._chat_free(event.chat_id)
            return Accepted(asyncio.create_task(self._reply(event, turn, replied)), replied, hold)
        try:
            turn = self._turn(event, False)
        except BaseException:
            self._core.release()
            raise
        hold = self._chat_free(event.chat_id)  # asked before the reply takes its own turn
        reply = asyncio.create_task(self._reply(event, turn, replied))
        if not self.dispatcher.services.db.unsynced:  # nothing written (a lookup): nothing to wait for
            self._core.release()
            return Accepted(reply, replied)
        # The reply's request written first (``REPLY_STEPS``), then the write flushed: handed to the
        # flush thread at once, that thread took the interpreter from the reply's task until its own
        # Python work was done, and every reply of an update that wrote waited for it.
        for _ in range(REPLY_STEPS):
            await asyncio.sleep(0)
        unsaved = await loop.run_in_executor(self._flusher, self._flush_and_release, event)
        if unsaved:
            return Accepted(asyncio.create_task(self._after(reply, unsaved)), replied)
        return Accepted(reply, replied, hold)

    def _chat_free(self, chat_id: int) -> bool:
        """Whether a reply to ``chat_id`` may go out at once as far as that chat's own limit goes."""
        limiter = self.delivery.limiter if self.delivery is not None else None
        return limiter is None or limiter.chat_free(chat_id)

    def _turn(self, event: Event, sync: bool) -> Turn:
        """The core's turn for ``event`` (holding the core), and the priority of its reply: a
        stranger's goes behind pushes, so a flood of strangers cannot hold up staff's replies."""
        with self.dispatcher.services.outbox.holding() as pushed:
            actions, aside = self.dispatcher.turn(event, sync)
        priority = Priority.REPLY if self.dispatcher.from_staff(event) else Priority.PUSH
        return Turn(actions, aside, pushed, priority)

    def _resume(self, event: Event, rest: Callable[[Context], None], priority: Priority) -> Turn:
        """The rest of a handler whose work was set aside, on the core (``Dispatcher.resume``)."""
        with self.dispatcher.services.outbox.holding() as pushed:
            actions, aside = self.dispatcher.resume(event, rest)
        return Turn(actions, aside, pushed, priority)

    def _flush_and_release(self, event: Event) -> list[Action]:
        """On the flush thread: makes the update's write durable, then frees the core. If the write
        failed (the core is then back to what the disk holds), what tells the sender."""
        try:
            self.dispatcher.services.db.sync()
            return []
        except Exception:
            log.exception("the write of an update failed after its reply had gone; the sender is told")
            return self.dispatcher.unsaved(event)
        finally:
            self._core.release()

    async def _reply(self, event: Event, turn: Turn, replied: asyncio.Future[None]) -> list[Outcome]:
        """Delivers an update's reply (then ``replied`` is done), then what its handler queued for
        others (``Context.push``); then, if its handler set work aside, does that work off the core
        and finishes the handler on the core with its result (as often as it sets work aside),
        delivering what each turn says. The update is confirmed meanwhile: what the work gives is
        written only at the end, so a crash before then loses nothing that was acknowledged. A
        stranger's reply goes at push priority."""
        try:
            outcomes = await self._answer(turn)
        finally:
            if not replied.done():
                replied.set_result(None)
        loop = asyncio.get_running_loop()
        while turn.aside is not None:
            rest = await loop.run_in_executor(self._aside, turn.aside.done)
            turn = await self._on_core(self._resume, event, rest, turn.priority)
            outcomes += await self._answer(turn)
        return outcomes

    async def _answer(self, turn: Turn) -> list[Outcome]:
        """A turn's reply, then its pushes, which the outbox held back until the reply was handed
        over. A stop meanwhile leaves them queued, for the next start."""
        try:
            outcomes = await self.push(turn.actions, turn.priority)
        finally:
            self.dispatcher.services.outbox.let_go(turn.pushed)
        if turn.pushed:
            try:
                await self.send_outbox()
            except Exception:  # the reply is out; what is left in the outbox goes at its next run
                log.exception("sending the outbox after a reply failed")
        return outcomes

    async def _after(self, reply: asyncio.Task[list[Outcome]], actions: list[Action]) -> list[Outcome]:
        """``actions`` delivered once ``reply`` was."""
        return await reply + await self.push(actions, Priority.REPLY)

    async def push(self, actions: list[Action], priority: Priority = Priority.PUSH) -> list[Outcome]:
        """Delivers actions (replies, or pushes the core decided on by itself)."""
        if self.delivery is None:
            raise RuntimeError("no transport attached")
        outcomes = await self.delivery.deliver(actions, priority)
        if any(outcome.blocked for outcome in outcomes):
            await self.call(self.dispatcher.learn, outcomes)
        return outcomes

    async def push_each(self, messages: Sequence[Action],
                        landed: Callable[[], None] | None = None) -> list[list[Outcome]]:
        """Delivers independent pushes as fast as the limits allow: chats side by side (``landed``
        is called as each is done)."""
        if self.delivery is None:
            raise RuntimeError("no transport attached")
        outcomes = await self.delivery.deliver_each([[message] for message in messages], landed=landed)
        flat = [outcome for batch in outcomes for outcome in batch]
        if any(outcome.blocked for outcome in flat):
            await self.call(self.dispatcher.learn, flat)
        return outcomes

    async def warm_up(self) -> bool:
        """Right after start: warms the core slice by slice (``bot.warmup``), each slice a separate
        turn of the core thread so someone writing meanwhile waits at most one slice."""
        while not await self.call(warm_step, self.dispatcher.services):
            pass
        return False  # nothing to report in the log

    async def produce(self, step: Callable[[Budget], Batch], kind: str) -> int:
        """Runs a producer on the core thread a slice at a time (``bot.core.slices``) and queues what
        each slice returns in the outbox, in the same durable write as the producer's own records;
        the outbox is sent meanwhile. Each slice is a separate turn of the core: someone typing
        meanwhile gets the core between two. Once ``OUTBOX_SLICE`` are queued, a sender takes them
        and what the producer changed is written to the collection files (a checkpoint); the
        producer goes on once the sender has taken all that is queued, so the outbox holds about
        two slices at most (a first relationship sweep at 50,000 visits queued 8,752 messages, all
        held in memory until sent; they go out no later: Telegram takes about 30 a second), and
        the line to Telegram is never idle while the next slice is decided. Returns how many were
        queued.

        A stop meanwhile cannot undo the turn under way, and need not: what it queued leaves at the
        next start, and what the producer had not yet decided is decided then. The sender is
        stopped with the producer (what it never handed over is queued again)."""
        outbox = self.dispatcher.services.outbox

        def turn() -> tuple[int, bool]:
            batch = step(Budget())
            return outbox.add(batch.messages, kind), batch.more

        queued = unsent = 0
        sender: asyncio.Task[int] | None = None
        try:
            while True:
                added, more = await self.call(turn)
                if added:
                    self._taken().clear()
                queued += added
                unsent += added
                if not more:
                    break
                if unsent >= OUTBOX_SLICE:
                    sender = self._sending(sender)
                    await self.call(self.dispatcher.services.db.checkpoint)
                    unsent = 0
                    await _first_of({sender}, self._taken())
            if unsent or sender is not None:
                await self._sending(sender)
        except asyncio.CancelledError:
            if sender is not None:
                sender.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await sender
            raise
        if queued >= TIDY_AFTER:
            # What the burst left: the chunks it changed, kept decoded until written (a catch-up at
            # 50,000 visits: a dozen of the nudges', three times what is kept otherwise), written
            # now rather than at the next checkpoint; then the rest collected, frozen, handed back.
            await self.call(self.dispatcher.services.db.checkpoint)
            await self._on_core(tidy)
        return queued

    def _taken(self) -> asyncio.Event:
        """The event loop's ``_taken_all`` (an event belongs to one loop; tests run several)."""
        loop = asyncio.get_running_loop()
        if self._taken_all is None or self._taken_all[0] is not loop:
            self._taken_all = (loop, asyncio.Event())
        return self._taken_all[1]

    def _sending(self, sender: asyncio.Task[int] | None) -> asyncio.Task[int]:
        """The sender under way, which takes what was queued meanwhile as it goes; else a new one."""
        if sender is None or sender.done():
            return asyncio.create_task(self.send_outbox())
        return sender

    async def send_outbox(self) -> int:
        """Sends what the outbox holds, chats side by side within Telegram's limits: each push is
        recorded as sending before it is handed over (at most once), delivered ones leave, failed
        ones are retried later, and a stop puts back what never reached Telegram. Returns how many
        were delivered.

        Slice by slice (``OUTBOX_SLICE``), the next taken once only ``OUTBOX_LOW`` of the slices
        under way are still on their way: a slice's last messages can wait seconds (a chat held by
        a 429 for up to 3 s), and waiting for them left the line to Telegram idle meanwhile
        (``bench.burst``: 2.9 s once, 27.5 messages a second against 30). A chat with a push still on
        its way (from this sender or another) gets nothing from the next slice, so each chat's pushes
        keep their order."""
        outbox = self.dispatcher.services.outbox
        await self._drop_interrupted_once()
        flights: dict[asyncio.Task[list[list[Outcome]]], tuple[list[Push], datetime]] = {}
        on_way = 0
        low = asyncio.Event()

        def landed() -> None:
            nonlocal on_way
            on_way -= 1
            if on_way <= OUTBOX_LOW:
                low.set()

        sent = 0
        try:
            while True:
                now = self.dispatcher.services.clock.now()
                batch = await self._prepare(outbox.take, (now, OUTBOX_SLICE, frozenset(self._on_way)),
                                            outbox.release)
                if batch is None:  # stopping
                    raise asyncio.CancelledError
                if batch:
                    on_way += len(batch)
                    low.clear()
                    task = asyncio.create_task(self.push_each([push.message for push in batch], landed))
                    flights[task] = (batch, now)
                    self._on_way.update(push.chat_id for push in batch)
                full = len(batch) == OUTBOX_SLICE
                if not full:
                    self._taken().set()
                if not flights:
                    return sent
                await _first_of(set(flights), low if full else None)
                for task in [task for task in flights if task.done()]:
                    sent += await self._settle(task, *flights.pop(task))
        except asyncio.CancelledError:
            for task in flights:
                task.cancel()
            for task, (batch, now) in flights.items():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait([task])
                sent += await self._settle(task, batch, now)
            raise

    async def _drop_interrupted_once(self) -> None:
        """At the first send: pushes a crash left half-sent are dropped (``Outbox.drop_interrupted``)."""
        if not self._outbox_checked:
            self._outbox_checked = True
            lost: int = await self.call(self.dispatcher.services.outbox.drop_interrupted)
            if lost:
                log.warning("%d message(s) were being sent when the bot stopped last; not sent again", lost)

    async def _settle(self, task: asyncio.Task[list[list[Outcome]]], batch: list[Push],
                      now: datetime) -> int:
        """Records how a slice's sending ended: delivered ones leave the outbox, failed ones are
        retried later, what a stop kept from Telegram is queued again. How many were delivered."""
        outbox = self.dispatcher.services.outbox
        self._on_way -= Counter(push.chat_id for push in batch)
        try:
            outcomes = task.result()  # once only: a stopped task's ``Stopped`` is handed out once
        except Stopped as stopped:
            unsent = stopped.unsent
        except asyncio.CancelledError:  # stopped before it began
            unsent = list(range(len(batch)))
        else:
            results = [(push, found[0]) for push, found in zip(batch, outcomes, strict=True)]
            await self.call(outbox.settle, results, now)
            return sum(found[0].delivered for found in outcomes)
        back: int = await self.call(outbox.release, [batch[index] for index in unsent])
        log.info("stopping: %d message(s) not yet sent are kept for the next start", back)
        return len(batch) - back

    async def _prepare(self, prepare: Callable[..., list[P]], args: tuple[object, ...],
                       undo: Callable[[list[P]], object]) -> list[P] | None:
        """``prepare(*args)`` on the core thread, which records the pushes it returns as being sent
        before they go out (so a crash never repeats one). A stop meanwhile cannot stop that work on
        the core thread, which then writes its records all the same: it is waited for and
        ``undo(prepared)`` takes the records back, so those messages go out at the next start.
        None when the bot is stopping."""
        preparing = asyncio.ensure_future(self.call(prepare, *args))
        try:
            return await asyncio.shield(preparing)
        except asyncio.CancelledError:
            await self.call(undo, await preparing)
            return None

    def close(self) -> None:
        self._aside.shutdown(wait=True, cancel_futures=True)
        self._executor.shutdown(wait=True)
        self._flusher.shutdown(wait=True)


async def _first_of(tasks: set[asyncio.Task[Any]], event: asyncio.Event | None) -> None:
    """Waits for the first of ``tasks`` to end or ``event`` to be set."""
    waiting = asyncio.ensure_future(event.wait()) if event is not None else None
    try:
        await asyncio.wait(tasks if waiting is None else {*tasks, waiting},
                           return_when=asyncio.FIRST_COMPLETED)
    finally:
        if waiting is not None:
            waiting.cancel()


def _is_loop_thread(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
