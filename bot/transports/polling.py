"""Long polling, one loop for both frameworks: updates in, the core's replies out.

Why our own loop rather than aiogram's ``Dispatcher.start_polling`` or python-telegram-bot's
``Application``: the core is the dispatcher here, so the frameworks' routers, middlewares and
update queues were a pass-through that cost every update time on the way in (an echo bot answered
slower on aiogram's dispatcher than on this loop, against the same local Bot API server;
``bench.e2e`` measures both). The frameworks still do what they are made for: the HTTP
client, the API's types and its errors.

The order is ours to choose, too: an update is confirmed to Telegram (by the next ``getUpdates``
asking for later ones) only once the core has handled it and written what it changed, so a crash
mid-update means Telegram hands it over again rather than it being lost. An update that wrote
something is confirmed once its reply was handed to Telegram, too, for at most ``REPLY_HOLD``: a
crash before then means it comes again and is answered, rather than "Saved as visit #N" never
showing; not applied twice (``bot.core.replays``): a Save shows the visit it saved, a typed answer
the form's question again. Not when its chat must first wait out its limit (one a second): that
reply is not waited for, or a person pressing buttons faster than that would hold up everybody's
updates. Telegram confirms all updates up to an offset, so
waiting for one reply holds up the next poll for everybody; on a reply that has its turn that is
one request's round trip. The rest of the replies are delivered while the loop goes on polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.core.events import Event, Outcome
from bot.core.runner import Accepted, Runner
from bot.scheduling import start_scheduler
from bot.transports.common import default_menus, from_telegram

log = logging.getLogger(__name__)
T = TypeVar("T")

# Seconds a getUpdates call waits on the server for something to arrive.
POLL_TIMEOUT = 10
ALLOWED_UPDATES = ("message", "callback_query", "inline_query")
FIRST_PAUSE = 1.0
LONGEST_PAUSE = 30.0
# On stop, how long replies under way get to reach Telegram.
STOP_GRACE = 5.0
# How long the next poll waits for the replies of the updates just handled (it goes on regardless
# after that: a reply waiting out Telegram's limits holds nobody up). Prepared side by side on
# the same loop, the poll and the reply each took the other's time: a reply with no write to
# flush reached the local server later than one whose flush held the poll back (``bench.e2e``).
REPLY_HEAD_START = 0.005
# How long the next poll waits at most for the replies of updates that wrote something, so that
# a crash before they reached Telegram hands those updates over again (see above). A reply that
# hangs on the network or retries a server error holds everybody's next updates up this long.
REPLY_HOLD = 1.0


@dataclass(frozen=True)
class Incoming:
    """One update, as far as the core cares: its event, or how to get it when a file must be
    downloaded first (then it is handled aside, so the download holds nobody up)."""

    update_id: int
    event: Event | None = None
    download: Callable[[], Awaitable[Event | None]] | None = None


# ``fetch(offset, wait)``: the updates from ``offset`` on, waiting up to ``wait`` seconds for one.
Fetch = Callable[[int | None, int], Awaitable[Sequence[Incoming]]]


async def serve(runner: Runner, fetch: Fetch, framework: str) -> None:
    """What a Telegram adapter does once connected (and its webhook removed): the menus for
    newcomers, the scheduler's jobs, polling until stopped, then the jobs' stop."""
    await runner.push(default_menus(runner))
    jobs = start_scheduler(runner)
    log.info("%s polling as @%s", framework, runner.dispatcher.services.bot_username)
    try:
        await poll_until_stopped(runner, fetch)
    finally:
        await jobs.stop()


async def poll_until_stopped(runner: Runner, fetch: Fetch) -> None:
    """Polls with ``fetch`` until SIGINT or SIGTERM; a failing fetch (the API away, a 5xx,
    another instance polling) is retried with growing pauses."""
    stopping = asyncio.Event()
    waiting: list[asyncio.Future[Any]] = []  # the poll or the pause under way, which a stop cancels

    def stop() -> None:
        stopping.set()
        for future in waiting:
            future.cancel()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    under_way: set[asyncio.Task[Any]] = set()
    offset: int | None = None
    confirmed = offset
    pause = FIRST_PAUSE
    try:
        while not stopping.is_set():
            try:
                confirmed = offset
                batch = await _cancellable(waiting, fetch(offset, POLL_TIMEOUT))
            except asyncio.CancelledError:
                if stopping.is_set():
                    break
                raise
            except Exception as error:  # whatever the API or the network did, poll again
                log.warning("getUpdates failed (%s: %s); again in %.0fs", type(error).__name__, error, pause)
                with contextlib.suppress(asyncio.CancelledError):
                    await _cancellable(waiting, asyncio.sleep(pause))
                pause = min(pause * 2, LONGEST_PAUSE)
                continue
            pause = FIRST_PAUSE
            handled = []
            for incoming in batch:
                offset = incoming.update_id + 1
                accepted = await _handle(runner, incoming)
                if accepted is not None:
                    under_way.add(accepted.answer)
                    accepted.answer.add_done_callback(under_way.discard)
                    handled.append(accepted)
                    # The reply on its way before the next update is handled.
                    await asyncio.sleep(0)
            await _replies_first(handled, waiting, stopping)
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    if offset != confirmed:
        # Stopped part way through a batch: what was handled is confirmed, or the next start would
        # handle it again. What this call returns stays unconfirmed and comes again then.
        with contextlib.suppress(Exception):
            await asyncio.wait_for(fetch(offset, 0), STOP_GRACE)
    if under_way:
        await asyncio.wait(under_way, timeout=STOP_GRACE)


async def _replies_first(handled: list[Accepted], waiting: list[asyncio.Future[Any]],
                         stopping: asyncio.Event) -> None:
    """Before the next poll confirms ``handled``: their replies get a head start, and those of the
    updates that wrote something (``Accepted.hold``) are waited for, up to ``REPLY_HOLD``."""
    if handled:
        await asyncio.wait([accepted.replied for accepted in handled], timeout=REPLY_HEAD_START)
    held = [accepted.replied for accepted in handled if accepted.hold and not accepted.replied.done()]
    if held:
        try:
            await _cancellable(waiting, asyncio.wait(held, timeout=REPLY_HOLD))
        except asyncio.CancelledError:
            if not stopping.is_set():
                raise


async def _cancellable(waiting: list[asyncio.Future[Any]], work: Awaitable[T]) -> T:
    """Awaits ``work`` as a future a stop can cancel (not the whole loop: an update the core is
    handling is finished, and its reply sent, before the bot stops)."""
    future = asyncio.ensure_future(work)
    waiting.append(future)
    try:
        return await future
    finally:
        waiting.remove(future)


async def _handle(runner: Runner, incoming: Incoming) -> Accepted | None:
    """The core handles the update now (so it is written before it is confirmed); its reply, or
    the whole of an update that needs a download, goes on in a task."""
    if incoming.download is not None:
        task = asyncio.create_task(_download_then_process(runner, incoming.download))
        return Accepted(task, task)
    if incoming.event is None:
        return None
    try:
        return await runner.accept(from_telegram(incoming.event, runner.dispatcher.services.identities))
    except Exception:  # one update's trouble must not stop the bot for everybody
        log.exception("update %d not handled", incoming.update_id)
        return None


async def _download_then_process(runner: Runner,
                                 download: Callable[[], Awaitable[Event | None]]) -> list[Outcome]:
    event = await download()
    if event is None:
        return []
    return await runner.process(from_telegram(event, runner.dispatcher.services.identities))
