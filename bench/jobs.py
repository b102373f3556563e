"""How long an update waits behind each scheduled job (issue 19): the morning digests, the daily
relationship sweep, the approval reminders, the nightly backup, an admin's ``/backup``, an import
of 5,000 clients and the catch-up after downtime, each run as the bot runs it (``bot.scheduling``,
or the admin's command, sheet and Import button, through a real ``Runner``) on the benchmark's data.

While a job runs, an admin's ``/today`` is typed at its start and again every few milliseconds
until it ends; each one's wait is the time from typing it to its reply being handed to "Telegram"
(a stand-in that answers at once, so what is measured is the core, not the network). Reported per
job: the worst and the median wait (wall clock), the longest turn the job held the core for (the
core thread's CPU time: on a shared machine the wall clock also counts whatever else ran), how many
turns it took and how long it ran in all.

``measure(world)`` runs them in this order on a ``tests.support.chat.World`` (it moves the clock a
day on for the catch-up, so it comes last); ``bench.core`` calls it. ``python -m bench.jobs
--sizes 25000,50000`` runs only these, on a fresh copy of the generator's data started as the bot
starts (``bench.__main__.dataset``), and prints the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.generate import ADMIN_ID, NOW
from bot.clock import FixedClock
from bot.core.callbacks import pack
from bot.core.delivery import Delivery
from bot.core.events import Action, Event, IncomingFile, User
from bot.core.runner import Runner
from bot.scheduling import _back_up, send_approval_reminders, send_digests, send_nudges, send_relationship
from bot.warmup import warm_step
from tests.support.chat import World

# Rows of the sheet imported (the template filled in: a client, a contact, a title and a phone each).
IMPORT_ROWS = 5000
# An update is typed this often while a job runs (a busy office: someone types every few milliseconds).
EVERY = 0.005
Job = Callable[[Runner], Awaitable[object]]
# The update typed while a job runs (set by ``_during``), to tell its turns of the core from the job's.
_typed: dict[str, Event] = {}


class InstantTelegram:
    """Takes every action at once; keeps the buttons it was sent."""

    def __init__(self) -> None:
        self.sent = 0
        self.buttons: dict[str, int] = {}  # callback data -> the message it sits on

    async def perform(self, action: Action) -> int | None:
        self.sent += 1
        message_id = getattr(action, "message_id", None) or self.sent
        for row in getattr(action, "buttons", ()):
            for button in row:
                self.buttons[button.data] = message_id
        return self.sent  # the message id


def measure(world: World) -> dict[str, Any]:
    """Every job's figures (see the module docstring), by job."""
    runner = Runner(world.dispatcher)
    telegram = InstantTelegram()
    runner.delivery = Delivery(telegram)
    turns: list[float] = []
    holding = runner._holding_core

    def timed(fn: Callable[..., Any], args: tuple[object, ...]) -> Any:
        # The core thread's own CPU time: on a shared machine the wall clock also counts the moments
        # the system gave the CPU to another process.
        started = time.thread_time()
        try:
            return holding(fn, args)
        finally:
            if _typed.get("event") not in args:  # the job's turns, not those of the updates typed
                turns.append(time.thread_time() - started)

    runner._holding_core = timed  # type: ignore[method-assign]
    turn = runner._turn

    def timed_turn(event: Event, sync: bool) -> Any:
        # A command finding the core free runs on the loop's thread, not through ``_holding_core``.
        if sync or event is _typed.get("event"):
            return turn(event, sync)
        started = time.thread_time()
        try:
            return turn(event, sync)
        finally:
            turns.append(time.thread_time() - started)

    runner._turn = timed_turn  # type: ignore[method-assign]
    jobs: list[tuple[str, Job]] = [("digests", send_digests), ("relationship", send_relationship),
                                   ("approval reminders", send_approval_reminders),
                                   ("backup", _back_up), ("backup on demand", _back_up_on_demand),
                                   ("import", lambda runner: _import(runner, telegram))]
    results: dict[str, Any] = {}
    try:
        for name, job in jobs:
            results[name] = asyncio.run(_during(runner, job, world, turns))
        world.clock.current += timedelta(days=1)  # a day's downtime: what came due meanwhile goes out
        results["catch-up"] = asyncio.run(_during(runner, send_nudges, world, turns))
    finally:
        runner.close()
    return results


async def _import(runner: Runner, telegram: InstantTelegram) -> int:
    """An admin sends a sheet of ``IMPORT_ROWS`` new clients, then presses Import on the report."""
    admin = User(ADMIN_ID, "Bench Admin", language_code="zh-hans")
    rows = "".join(f"导入客户{n:05d},联系人{n},经理,1380000{n:04d}\n" for n in range(IMPORT_ROWS))
    content = ("客户名称,联系人,职务,电话\n" + rows).encode()
    await runner.process(Event(admin, ADMIN_ID, document=IncomingFile("clients.csv", "text/csv", len(content),
                                                                      content)))
    go = next(data for data in telegram.buttons if data.startswith(pack("imp", "go")))
    await runner.process(Event(admin, ADMIN_ID, callback_data=go, callback_id="bench",
                               message_id=telegram.buttons[go]))
    return IMPORT_ROWS


async def _back_up_on_demand(runner: Runner) -> int:
    """An admin sends ``/backup``; how many actions answered it (the archive, or why not)."""
    admin = User(ADMIN_ID, "Bench Admin", language_code="zh-hans")
    return len(await runner.process(Event(admin, ADMIN_ID, text="/backup")))


async def _during(runner: Runner, job: Job, world: World, turns: list[float]) -> dict[str, Any]:
    """Runs ``job`` while an admin types ``/today`` again and again; the figures."""
    turns.clear()
    admin = world.person(ADMIN_ID, "Bench Admin").user
    event = _typed["event"] = Event(admin, ADMIN_ID, text="/today")
    started = time.perf_counter()
    running = asyncio.ensure_future(job(runner))
    await asyncio.sleep(0.001)  # the job's first turn begins: the first update is typed at its start
    waits: list[float] = []
    while not running.done():
        typed = time.perf_counter()
        await runner.process(event)
        waits.append(time.perf_counter() - typed)
        await asyncio.sleep(EVERY)
    outcome = await running
    job_turns = list(turns)
    return {
        "worst_wait_ms": round(max(waits) * 1000, 1),
        "median_wait_ms": round(statistics.median(waits) * 1000, 1),
        "updates": len(waits),
        "longest_turn_ms": round(max(job_turns, default=0.0) * 1000, 1),
        "turns": len(job_turns),
        "s": round(time.perf_counter() - started, 2),
        "result": outcome if isinstance(outcome, int) else str(outcome)[:80],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="How long an update waits behind each scheduled job.")
    parser.add_argument("--sizes", default="25000,50000", help="visits, comma-separated")
    args = parser.parse_args(argv)
    from bench.__main__ import dataset, fresh_copy  # the full bench imports this module

    results: dict[str, Any] = {}
    for visits in (int(size) for size in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="reception-jobs-") as scratch:
            copy = fresh_copy(dataset(visits), Path(scratch), "data")
            # As ``bench.core``: 11:00 on a Monday, the digests due, after the start's catch-up and
            # the warm-up (which builds the indexes read lazily).
            world = World(copy, admin_ids=frozenset({ADMIN_ID}), clock=FixedClock(NOW + timedelta(hours=2)))
            try:
                world.tick()
                while not warm_step(world.dispatcher.services):
                    pass
                results[str(visits)] = measure(world)
            finally:
                world.db.close()
        print(json.dumps({visits: results[str(visits)]}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
