"""The core's cost per update at scale, the cost of one write, start-up and memory.

``run(data_dir, reps)`` opens a generated data directory (``bench.generate``) exactly as the tests'
chat simulator does (``tests.support.chat.World``: ``bot.bootstrap.build`` and the dispatcher, a
fixed clock) and measures, in this process:

- start-up: open the database, build the core, and the first due-nudge pass (the catch-up after
  downtime: the clock stands two hours after the generator's "now", so nudges came due meanwhile),
  after a clean stop (a first start, with its stop, is timed apart: it builds the indexes from the
  documents, as a start after a crash does);
  then, apart, the warm-up the bot does in slices once it is polling (``bot.warmup``);
- per update, ``reps`` times each: ``/today`` and "今天谁来" as an admin (who sees every visit), one
  step of ``/new`` (a client name searched among all clients), Save on a new visit's review card, a
  nudge's Done button, and ``/mytasks`` of the busiest host;
- one crash-safe write through the repositories: a nudge and a visit saved; then the checkpoint
  that brings the collection files up to date with everything written (``bot.storage.wal``);
- the scheduled jobs (the morning digests of every staff member, the relationship sweep, the
  nightly backup, the catch-up after a day's downtime), an admin's ``/backup`` and an import of
  5,000 clients, and how long an update typed meanwhile waits (``bench.jobs``);
- memory: resident set size after start-up and its peak at the end.

Run one size in a fresh process (``python -m bench.core DATA_DIR [--reps N]``, JSON on stdout) so
start-up and memory are not coloured by an earlier size; ``python -m bench`` does that for you.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.generate import ADMIN_ID, NOW
from bench.jobs import measure as measure_jobs
from bot.bootstrap import Services
from bot.clock import FixedClock
from bot.core.callbacks import pack
from bot.domain.nudges import Nudge, NudgeState
from bot.repositories.nudges import NudgeRepository
from bot.storage.database import LOG_FILE
from bot.warmup import warm_step
from tests.support.chat import World

Samples = list[float]


def warm_all(services: Services) -> None:
    """Every slice of the warm-up at once (the bot takes them one turn of the core at a time)."""
    while not warm_step(services):
        pass


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def summary(samples: Samples) -> dict[str, float]:
    """Median and p99 in milliseconds (p99: the sample below which 99% fall)."""
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(p99 * 1000, 2),
        "n": len(ordered),
    }


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def new_visit_until_review(world: World, who: int, name: str) -> None:
    """A class-C visit for a new client, typed up to its review card (as in the nudge tests)."""
    host = world.person(who, "Bench Admin")
    host.send("/new").send(name).press(f"新客户：{name}").press("中国").press("跳过")
    host.send("张伟 总经理").press("C类").press("商务洽谈").press("选好了")
    host.send("周四上午10点").press("对").send("周四下午4点").press("对")
    host.press("飞机").send("CA1234").send("首都机场").send("周四上午8点").press("对")
    host.press("是").press("跳过").press("跳过").press("跳过")  # the visitors' phones, the driver, the car
    host.press("选好了").press("跳过")  # our side, the executives
    host.press("跳过").press("选好了").press("跳过").press("否").send("0")  # no room: rooms clash


def soonest_planned(repo: NudgeRepository, now: datetime, count: int) -> list[Nudge]:
    """The first ``count`` planned nudges (by id) of those due by a day after ``now``, or by a window
    doubled until it holds that many: only those are decoded. Decoding every planned one instead
    (25,000 at 50,000 visits, which the bot never does) left 28 MB in this process, counted as the
    core's."""
    days = 1
    while True:
        due = sorted(repo.planned_by(now + timedelta(days=days)), key=lambda n: n.id)
        if len(due) >= count or days > 3660:
            return due[:count]
        days *= 2


def run(data_dir: Path, reps: int = 200, save_reps: int = 60) -> dict[str, Any]:
    """Measures everything listed in the module docstring on ``data_dir`` (which it changes)."""
    # A first start builds the indexes from the documents (as after a crash) and a clean stop keeps
    # them (``bot.storage.kept_index``); the start measured is the next one, as after a restart. The
    # first runs in a process of its own, so its memory does not count here.
    first = subprocess.run([sys.executable, "-m", "bench.core", str(data_dir), "--first-start"],
                           cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True,
                           check=True)
    rebuilt = float(first.stdout.strip().splitlines()[-1])
    started = time.perf_counter()
    world = World(data_dir, admin_ids=frozenset({ADMIN_ID}), clock=FixedClock(NOW + timedelta(hours=2)),
                  send_pushes=False)  # the reply alone is timed; the runner sends pushes after it
    built = time.perf_counter()
    caught_up = world.tick()
    startup = time.perf_counter() - started
    services = world.dispatcher.services
    warm_up = timed(lambda: warm_all(services))  # what the bot does once it is polling
    result: dict[str, Any] = {
        "startup_s": round(startup, 3),
        "build_s": round(built - started, 3),
        "build_after_crash_s": round(rebuilt, 3),  # and its clean stop
        "caught_up": caught_up,
        "warm_up_s": round(warm_up, 3),
        "rss_after_start_mb": round(rss_mb(), 1),
    }
    admin = world.person(ADMIN_ID, "Bench Admin")
    updates: dict[str, Samples] = {}
    updates["/today"] = [timed(lambda: admin.send("/today")) for _ in range(reps)]
    updates["今天谁来"] = [timed(lambda: admin.send("今天谁来")) for _ in range(reps)]
    clients = [name for _, name in services.clients.clients.names()]
    step: Samples = []
    for i in range(reps):
        admin.send("/new")
        query = clients[(i * 7919) % len(clients)][:4]
        step.append(timed(lambda q=query: admin.send(q)))  # type: ignore[misc]
        admin.send("/cancel")
    updates["/new step"] = step
    save: Samples = []
    for i in range(save_reps):
        new_visit_until_review(world, ADMIN_ID, f"基准客户{i}")
        save.append(timed(lambda: admin.press("保存")))
    assert "已保存" in admin.last.text, admin.last.text
    updates["Save visit"] = save
    repo = services.nudges.nudges
    planned = soonest_planned(repo, NOW, reps)
    updates["Done button"] = [
        timed(lambda n=n: admin.press_data(pack("nud", "d", n.id)))  # type: ignore[misc]
        for n in planned
    ]
    assert repo.get(planned[0].id).state is NudgeState.DONE  # type: ignore[union-attr]
    busiest = Counter(
        v.host for v in services.visits.visits.between(NOW - timedelta(days=60), NOW)
    ).most_common(1)
    host = world.person(busiest[0][0] if busiest else ADMIN_ID, "Host")
    updates["/mytasks"] = [timed(lambda: host.send("/mytasks")) for _ in range(min(max(reps // 4, 5), 30))]
    writes: dict[str, Samples] = {}
    nudge = planned[-1]
    writes["nudge save"] = [timed(lambda k=k: repo.save(replace(nudge, done_by=k))) for k in range(reps // 2)]
    visit = services.visits.get(1)
    assert visit is not None
    writes["visit save"] = [
        timed(lambda k=k: services.visits.visits.save(replace(visit, room=str(k)))) for k in range(reps // 2)
    ]
    # Everything above is in the write-ahead log: what the 5-minute checkpoint would cost now.
    log_bytes = (data_dir / LOG_FILE).stat().st_size
    result["checkpoint"] = {"ms": round(timed(world.db.checkpoint) * 1000, 1),
                            "log_mb": round(log_bytes / 2**20, 1)}
    # The clock stands at 11:00 in Shanghai on a Monday, within the digests' window after 08:30:
    # every staff member's morning digest is due, the relationship sweep has not run today, nor the
    # nightly backup; then a day's downtime to catch up on.
    result["jobs"] = measure_jobs(world)
    result["updates"] = {kind: summary(samples) for kind, samples in updates.items()}
    result["writes"] = {kind: summary(samples) for kind, samples in writes.items()}
    result["rss_peak_mb"] = round(rss_mb("VmHWM"), 1)
    world.db.close()
    return result


def first_start(data_dir: Path) -> float:
    """A start on ``data_dir`` and a clean stop; how long the start took, in seconds."""
    started = time.perf_counter()
    world = World(data_dir, admin_ids=frozenset({ADMIN_ID}), clock=FixedClock(NOW + timedelta(hours=2)))
    built = time.perf_counter() - started
    world.db.close()
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--save-reps", type=int, default=60)
    parser.add_argument("--first-start", action="store_true", help="only start and stop (see run)")
    args = parser.parse_args(argv)
    if args.first_start:
        print(round(first_start(args.data_dir), 3))
        return 0
    json.dump(run(args.data_dir, args.reps, args.save_reps), sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
