"""``python -m bench [--sizes 1000,10000,25000,50000] [--quick]``: every benchmark, one table, one JSON file.

For each size it generates the data once (``bench.generate``; cached under the system's temporary
directory, keyed by the generator's source and the schema version, never in the repository), copies
it to a fresh temporary directory and runs ``bench.core`` on the copy in a new process, so start-up
and memory of one size are not coloured by another. Then, on the largest size up to 25,000 visits,
the end-to-end latency against an echo bot (``bench.e2e``) and the 10,000-nudge burst
(``bench.burst``), and once a month of reminders in a 200-person company (``bench.reminders``,
its own data), each skipped with a note when its module is not there.

The table goes to standard output; every figure to ``bench/results.json``, with every target, the
figure measured against it and whether it is met (``targets``: computed, so no prose can drift from
the numbers).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import inspect
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generate import generate
from bot.domain.nudges import planning_digest
from bot.domain.policy import load_policy
from bot.repositories.nudges import ARCHIVE_AFTER, VISITS_PER_SHELF
from bot.repositories.planned_policy import PLANNED_POLICY, PlannedPolicyRepository
from bot.storage import CURRENT_SCHEMA_VERSION, Database

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
LAYOUT_SOURCES = ("storage/chunked.py", "storage/archive.py")
FULL_SIZES = (1_000, 10_000, 25_000, 50_000)
# Targets at 25,000 visits (issue 6), and at 50,000 (issue 19).
P99_MS, WRITE_MS, STARTUP_S, RSS_MB, RATIO, BURST_RATE = 20.0, 30.0, 2.0, 300.0, 1.2, 28.0
# The reminders' targets (issue 16), each judged by bench.reminders itself.
REMINDER_TARGETS = (
    ("off_day_pushes_not_about_the_day", "pushes on days off not about that day's visits = 0"),
    ("stale_overdue_lines", "pre-visit items listed overdue after their visit = 0"),
    ("longest_digest_lines", "longest morning digest ≤ 25 lines"),
)


def dataset(visits: int, seed: int = 1) -> Path:
    """A generated data directory for ``visits``, made once and kept in the temporary directory."""
    # Generated again whenever the generator or the on-disk layout it writes changes: the storage's
    # files, and of the nudges' repository only the numbers that lay out the archive (its indexes change
    # often; the generator itself lays the archive out).
    sources = [HERE / "generate.py", *(HERE.parent / "bot" / p for p in LAYOUT_SOURCES)]
    layout = repr((ARCHIVE_AFTER, VISITS_PER_SHELF))
    key = hashlib.sha256(b"".join(path.read_bytes() for path in sources) + layout.encode()
                         + bytes([CURRENT_SCHEMA_VERSION]))
    root = Path(tempfile.gettempdir()) / "reception-bench" / f"{key.hexdigest()[:12]}-{visits}-{seed}"
    if not (root / "done").exists():
        shutil.rmtree(root, ignore_errors=True)
        started = time.perf_counter()
        generate(root / "data", visits, seed)
        (root / "done").write_text(f"{time.perf_counter() - started:.1f}\n")
    return root / "data"


def fresh_copy(source: Path, scratch: Path, name: str) -> Path:
    target = scratch / name
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".lock"))
    planned_as_now(target)
    return target


def planned_as_now(data_dir: Path) -> None:
    """Records that the data's nudges follow the shipped policy, as they do (the generator plans them
    by it) and as a bot that has been running would have recorded: else the bot under test would plan
    every visit not over again at start (``bot.services.replan``), as after an upgrade, every run."""
    db = Database.open(data_dir)
    try:
        with db.unit():
            PlannedPolicyRepository(db.table(PLANNED_POLICY)).record(planning_digest(load_policy(None)))
    finally:
        db.close()


def run_core(data_dir: Path, quick: bool) -> dict[str, Any]:
    reps, save_reps = (60, 20) if quick else (300, 100)
    command = [
        sys.executable,
        "-m",
        "bench.core",
        str(data_dir),
        "--reps",
        str(reps),
        "--save-reps",
        str(save_reps),
    ]
    done = subprocess.run(command, cwd=HERE.parent, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.core failed on {data_dir}:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def optional(module: str, quick: bool, **offered: Any) -> dict[str, Any]:
    """``bench.<module>.run(...)`` if that module exists, else a note saying it was skipped; it is
    given whichever of ``offered`` (and ``quick``) it takes."""
    try:
        found = importlib.import_module(f"bench.{module}")
    except ModuleNotFoundError as error:
        if error.name != f"bench.{module}":
            raise
        return {"skipped": f"bench/{module}.py is not there"}
    run: Callable[..., dict[str, Any]] = found.run
    offered["quick"] = quick
    if quick:
        # Twelve of each text: with six, one slow wake-up of the machine moved a median by a tenth.
        offered["updates"] = 60
    accepted = inspect.signature(run).parameters
    try:
        return run(**{name: value for name, value in offered.items() if name in accepted})
    except Exception as error:  # one failing part must not cost the figures of the others
        return {"failed": f"{type(error).__name__}: {str(error)[:500]}"}


def table(results: dict[str, Any]) -> str:
    """The figures as one Markdown table: a row per measure, a column per size."""
    sizes = [size for size in results["core"]]
    rows: list[tuple[str, list[str]]] = []
    first = results["core"][sizes[0]]
    for kind in first["updates"]:
        rows.append((f"{kind}: median / p99 ms", [_pair(results["core"][s]["updates"][kind]) for s in sizes]))
    for kind in first["writes"]:
        rows.append(
            (
                f"one write, {kind}: median / p99 ms",
                [_pair(results["core"][s]["writes"][kind]) for s in sizes],
            )
        )
    rows.append(("checkpoint after the run: ms (log MB)",
                 [_checkpoint(results["core"][s].get("checkpoint")) for s in sizes]))
    for job in JOBS:
        rows.append((f"{job}: an update's worst wait / the longest turn, ms (s in all)",
                     [_job(results["core"][s].get("jobs", {}).get(job)) for s in sizes]))
    rows.append(("start-up with catch-up, s", [f"{results['core'][s]['startup_s']:.2f}" for s in sizes]))
    rows.append(("first start, indexes built from the data (as after a crash): build only, s",
                 [f"{results['core'][s].get('build_after_crash_s', float('nan')):.2f}" for s in sizes]))
    rows.append(("warm-up once polling (in slices), s",
                 [f"{results['core'][s].get('warm_up_s', float('nan')):.2f}" for s in sizes]))
    rows.append(
        (
            "RSS after start / peak, MB",
            [
                f"{results['core'][s]['rss_after_start_mb']:.0f} / {results['core'][s]['rss_peak_mb']:.0f}"
                for s in sizes
            ],
        )
    )
    header = "| measure | " + " | ".join(f"{int(s):,} visits" for s in sizes) + " |"
    lines = [header, "|---|" + "---:|" * len(sizes)]
    lines += [f"| {name} | " + " | ".join(cells) + " |" for name, cells in rows]
    return "\n".join(lines)


def _checkpoint(figures: dict[str, float] | None) -> str:
    return "-" if figures is None else f"{figures['ms']:.0f} ({figures['log_mb']:.1f})"


def _job(figures: dict[str, float] | None) -> str:
    if figures is None:
        return "-"
    return f"{figures['worst_wait_ms']:.0f} / {figures['longest_turn_ms']:.0f} ({figures['s']:.1f})"


def _pair(figures: dict[str, float]) -> str:
    return f"{figures['median_ms']:.1f} / {figures['p99_ms']:.1f}"


# Jobs the scheduler runs, whose worst hold on an update typed meanwhile bench.core measures (issue 19).
JOBS = ("digests", "relationship", "catch-up", "import", "backup", "backup on demand")
JOB_WAIT_MS = 100.0
MYTASKS_MEDIAN_MS = 5.0
PTB_RSS_MB = 260.0


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target with the figure measured against it and whether it is met (``met``: None when
    this run did not measure it): computed here, so no prose can drift from the numbers."""
    found: list[dict[str, Any]] = []

    def check(text: str, value: float | None, limit: float, *, at_least: bool = False) -> None:
        met = None if value is None else (value >= limit if at_least else value <= limit)
        found.append({"target": text, "value": value, "limit": limit, "met": met})

    core = results.get("core", {})
    for size in ("25000", "50000"):
        figures = core.get(size)
        at = f"at {int(size):,} visits"
        updates = figures["updates"] if figures else {}
        others = [f["p99_ms"] for kind, f in updates.items() if kind != "/mytasks"]
        check(f"p99 per update but /mytasks ≤ {P99_MS:.0f} ms {at}", max(others) if others else None, P99_MS)
        mytasks = updates.get("/mytasks")
        if size == "50000":
            check(f"/mytasks median ≤ {MYTASKS_MEDIAN_MS:.0f} ms {at}",
                  mytasks["median_ms"] if mytasks else None, MYTASKS_MEDIAN_MS)
        check(f"/mytasks p99 ≤ {P99_MS:.0f} ms {at}", mytasks["p99_ms"] if mytasks else None, P99_MS)
        writes = [w["p99_ms"] for w in figures["writes"].values()] if figures else []
        check(f"one crash-safe write, p99 ≤ {WRITE_MS:.0f} ms {at}", max(writes) if writes else None,
              WRITE_MS)
        check(f"start-up with catch-up ≤ {STARTUP_S:.0f} s {at}", figures["startup_s"] if figures else None,
              STARTUP_S)
        check(f"core RSS peak ≤ {RSS_MB:.0f} MB {at}", figures["rss_peak_mb"] if figures else None, RSS_MB)
    jobs = (core.get("50000") or {}).get("jobs", {})
    for job in JOBS:
        wait = jobs.get(job, {}).get("worst_wait_ms")
        check(f"an update waits ≤ {JOB_WAIT_MS:.0f} ms behind the {job} at 50,000 visits", wait, JOB_WAIT_MS)
    frameworks = (results.get("e2e") or {}).get("frameworks", {})
    for framework in ("aiogram", "ptb"):
        figures = frameworks.get(framework)
        check(f"reply latency ≤ {RATIO:.1f} × echo bot, {framework} (median ratio)",
              figures["ratio_median"] if figures else None, RATIO)
    ptb = frameworks.get("ptb")
    check(f"python-telegram-bot process RSS ≤ {PTB_RSS_MB:.0f} MB after its catch-up",
          ptb["rss_mb"]["ours"]["now"] if ptb else None, PTB_RSS_MB)
    for framework, figures in (results.get("burst") or {}).get("frameworks", {}).items():
        rate, lost, repeated = (figures.get(key) for key in ("messages_per_second", "lost", "repeated"))
        check(f"burst ≥ {BURST_RATE:.0f} msg/s, {framework}", rate, BURST_RATE, at_least=True)
        check(f"burst: none lost or repeated, {framework}",
              None if lost is None or repeated is None else lost + repeated, 0)
    for key, text in REMINDER_TARGETS:
        figures = (results.get("reminders") or {}).get(key)
        if isinstance(figures, dict):
            found.append({"target": f"reminders: {text}", "value": figures["value"], "limit": None,
                          "met": figures["met"]})
    return found


def verdict(results: dict[str, Any]) -> list[str]:
    """One line per target: met, MISSED, or not measured in this run."""
    lines = []
    for target in results["targets"]:
        mark = {True: "met   ", False: "MISSED", None: "–     "}[target["met"]]
        value = target["value"]
        shown = "not measured" if value is None else f"{value:g}" if isinstance(value, float) else str(value)
        lines.append(f"{mark}  {target['target']}: {shown}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        help="visit counts, comma-separated (default 1000,10000,25000,50000)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(FULL_SIZES)  # --quick too: 50,000 is where the costs that grow with the history show
    )
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "core": {},
    }
    with tempfile.TemporaryDirectory(prefix="reception-bench-") as scratch_name:
        scratch = Path(scratch_name)
        for size in sizes:
            source = dataset(size, args.seed)
            print(f"· {size:,} visits: core ...", file=sys.stderr, flush=True)
            results["core"][str(size)] = run_core(fresh_copy(source, scratch, f"core-{size}"), args.quick)
        edge = max((s for s in sizes if s <= 25_000), default=min(sizes))
        for module in ("e2e", "burst"):
            print(f"· {edge:,} visits: {module} ...", file=sys.stderr, flush=True)
            copy = fresh_copy(dataset(edge, args.seed), scratch, f"{module}-{edge}")
            results[module] = optional(module, args.quick, data_dir=copy, visits=edge)
    print("· reminders: a month of a 200-person company ...", file=sys.stderr, flush=True)
    results["reminders"] = optional("reminders", args.quick)
    results["targets"] = targets(results)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    print(table(results))
    for line in verdict(results):
        print(line)
    for module in ("e2e", "burst", "reminders"):
        found = results[module]
        if module == "reminders" and "skipped" not in found and "failed" not in found:
            shown = "\n" + importlib.import_module("bench.reminders").table(found)
        elif "skipped" in found:
            shown = f"skipped ({found['skipped']})"
        elif "failed" in found:
            shown = f"FAILED ({found['failed']})"
        else:
            shown = json.dumps(found, ensure_ascii=False)
        print(f"{module}: {shown[:1500]}")
    print(f"figures: {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
