"""The scheduler only wakes the producers (nudges, relationship, digests, escalations, approval
reminders), which write what is due into the outbox that one sender empties (``bot.core.outbox``),
the nightly backup and the storage's checkpoint; what is due lives in the database.

APScheduler keeps no jobs across restarts without a job store and by default drops a run that is
more than a second late, so nothing is planned in it: interval jobs ask the database what is due,
starting at once, so whatever came due while the bot was down goes out at start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.runner import Runner
from bot.core.slices import Batch, Budget, Pieces
from bot.documents.backup import nightly_snapshot
from bot.services.digest import DigestRun
from bot.services.dispatch import NudgeRun, NudgeSender

log = logging.getLogger(__name__)
CHECK_EVERY_SECONDS = 20
# The nightly backup is looked for hourly (and at start), so a bot that was down at night catches up.
BACKUP_CHECK_SECONDS = 3600
# Escalations are about days-late work: a look every ten minutes is prompt enough and spares the
# scan of every sent nudge.
ESCALATE_EVERY_SECONDS = 600

# Writes reach the collection files this often (they are durable in the log at once): a few dozen
# chunk files at most, a short hold of the core thread.
CHECKPOINT_EVERY_SECONDS = 300
# On stop, how long the runs under way get to put back what they had not sent.
STOP_GRACE = 10.0

Work = Callable[[Runner], Awaitable[object]]


async def _checkpoint(runner: Runner) -> object:
    """The write-ahead log into the collection files (``bot.storage.wal``), on the core thread."""
    return await runner.call(runner.dispatcher.services.db.checkpoint)


async def _back_up(runner: Runner) -> object:
    """Tonight's copy of the database, once a day: its files taken on the core thread (a checkpoint
    and a link to each, so no write interleaves), zipped off it (``bot.documents.backup.snapshot``)."""
    snapshot = await runner.call(nightly_snapshot, runner.dispatcher.services)
    return None if snapshot is None else await asyncio.to_thread(snapshot.write)


async def send_nudges(runner: Runner) -> object:
    """The visit timeline's due items, a slice of the core at a time (``NudgeRun``: a burst spans
    hundreds of visits). After a change of the policy, not before every visit not over is planned
    again (``bot.services.replan``, which the warm-up does too): the first run after a start would
    otherwise send what came due by the old rules."""
    replan = runner.dispatcher.services.replan
    while not replan.finished and not await runner.call(replan.step, Budget()):
        pass
    return await runner.produce(NudgeRun(NudgeSender(runner.dispatcher.services)).step, "nudge")


async def send_relationship(runner: Runner) -> object:
    """Today's cadence nudges and greeting digests, once a day, a slice of the core at a time."""
    services = runner.dispatcher.services
    pieces = ([item.message for item in piece] for piece in services.relationship.sweep(services.clock.now()))
    return await runner.produce(Pieces(pieces).step, "relationship")


async def send_digests(runner: Runner) -> object:
    """The morning digests that are due, a slice of the core at a time (``DigestRun``)."""
    return await runner.produce(DigestRun(runner.dispatcher.services.digests).step, "digest")


async def send_escalations(runner: Runner) -> object:
    """Overdue after-visit items, one list per manager."""
    services = runner.dispatcher.services

    def step(budget: Budget) -> Batch:
        return Batch([item.message for item in services.escalations.due_messages(services.clock.now())])

    return await runner.produce(step, "escalation")


async def send_approval_reminders(runner: Runner) -> object:
    """Approvals still awaited close to the visit: the approver reminded once, the host told; a slice
    of the core at a time (a first run after the feature, or after downtime, may find many due)."""
    services = runner.dispatcher.services
    pieces = services.approval_reminders.pieces(services.clock.now())
    return await runner.produce(Pieces(pieces).step, "approval")


async def send_access_summaries(runner: Runner) -> object:
    """Once an hour in which the admins were not told of every stranger's request is over: how
    many more there were (``AccessService.due_summaries``)."""
    services = runner.dispatcher.services

    def step(budget: Budget) -> Batch:
        return Batch(services.access.due_summaries(services.clock.now(), services.i18n))

    return await runner.produce(step, "notice")


async def send_outbox(runner: Runner) -> object:
    """What is left in the outbox: retries of failed deliveries, notices to admins."""
    return await runner.send_outbox()


# (job id, what it does, how often in seconds)
JOBS: tuple[tuple[str, Work, int], ...] = (
    ("nudges", send_nudges, CHECK_EVERY_SECONDS),
    ("relationship", send_relationship, CHECK_EVERY_SECONDS),
    ("digests", send_digests, CHECK_EVERY_SECONDS),
    ("escalations", send_escalations, ESCALATE_EVERY_SECONDS),
    # Like escalations: the lead is a working day, and a look every ten minutes spares a scan of the
    # coming month's visits every few seconds.
    ("approval reminders", send_approval_reminders, ESCALATE_EVERY_SECONDS),
    ("access summaries", send_access_summaries, CHECK_EVERY_SECONDS),
    ("outbox", send_outbox, CHECK_EVERY_SECONDS),
    ("backup", _back_up, BACKUP_CHECK_SECONDS),
    ("checkpoint", _checkpoint, CHECKPOINT_EVERY_SECONDS),
)


class Jobs:
    """The started scheduler and the job runs under way; the transport stops it with ``stop``."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        self.scheduler = scheduler
        self.running: set[asyncio.Task[None]] = set()

    async def stop(self) -> None:
        """Ends the scheduler: each run under way is cancelled and waited for while it puts back what
        it had not sent. Why wait: returning at once left the runs to the end of the event loop,
        which cancels them a second time, in the middle of that put-back; the unsent nudges were
        then lost."""
        self.scheduler.shutdown(wait=False)  # cancels the runs under way
        if self.running:
            await asyncio.wait(self.running, timeout=STOP_GRACE)


def start_scheduler(runner: Runner) -> Jobs:
    """Starts the warm-up and every job now, the jobs then at their interval; the caller stops them
    (``Jobs.stop``)."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    jobs = Jobs(scheduler)
    scheduler.add_job(_run, "date", args=["warm-up", Runner.warm_up, runner, jobs], id="warm-up",
                      run_date=datetime.now(UTC), misfire_grace_time=None)
    for name, work, seconds in JOBS:
        scheduler.add_job(_run, "interval", args=[name, work, runner, jobs], seconds=seconds, id=name,
                          next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
                          misfire_grace_time=None)
    scheduler.start()
    return jobs


async def _run(name: str, work: Work, runner: Runner, jobs: Jobs) -> None:
    """One run of a job: a failure is logged and the next run tries again; a stop ends it quietly."""
    this = asyncio.current_task()
    if this is not None:
        jobs.running.add(this)
        this.add_done_callback(jobs.running.discard)
    try:
        done = await work(runner)
    except asyncio.CancelledError:
        # The bot is stopping (SIGTERM) mid-run. What was recorded stays recorded; what was not goes
        # out at the next start. Not an error, so no traceback in the log.
        log.info("%s: stopped mid-run by shutdown", name)
        return
    except Exception:  # a failing run (full disk, Telegram down) must not stop the scheduler
        log.exception("%s failed", name)
        return
    if done:
        log.info("%s: %s", name, done)
