"""The scheduler only wakes the nudge sender; what is due lives in the database.

APScheduler keeps no jobs across restarts without a job store and by default drops a run that is
more than a second late, so nothing is planned in it: one interval job asks the database what is
due, starting at once, so whatever came due while the bot was down goes out at start.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.runner import Runner

log = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 20


def start_scheduler(runner: Runner) -> AsyncIOScheduler:
    """Starts checking for due nudges now and every few seconds; the caller shuts it down."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.add_job(_send, "interval", args=[runner], seconds=CHECK_EVERY_SECONDS, id="nudges",
                      next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
                      misfire_grace_time=None)
    scheduler.add_job(_send_relationship, "interval", args=[runner], seconds=CHECK_EVERY_SECONDS,
                      id="relationship", next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
                      misfire_grace_time=None)
    scheduler.add_job(_send_digests, "interval", args=[runner], seconds=CHECK_EVERY_SECONDS, id="digests",
                      next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
                      misfire_grace_time=None)
    scheduler.start()
    return scheduler


async def _send(runner: Runner) -> None:
    try:
        sent = await runner.send_due_nudges()
    except Exception:  # the next tick tries again; a failing tick must not stop the scheduler
        log.exception("sending due nudges failed")
        return
    if sent:
        log.info("sent %d nudge message(s)", sent)


async def _send_relationship(runner: Runner) -> None:
    try:
        sent = await runner.send_relationship_messages()
    except Exception:  # as above: tomorrow's sweep must still run
        log.exception("sending relationship messages failed")
        return
    if sent:
        log.info("sent %d relationship message(s)", sent)


async def _send_digests(runner: Runner) -> None:
    try:
        sent = await runner.send_due_digests()
    except Exception:  # as above: a later tick within the digest window tries again
        log.exception("sending morning digests failed")
        return
    if sent:
        log.info("sent %d morning digest(s)", sent)
