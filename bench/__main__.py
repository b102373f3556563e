"""``python -m bench [--sizes 1000,10000,25000] [--quick]``: every benchmark, one table, one JSON file.

For each size it generates the data once (``bench.generate``; cached under the system's temporary
directory, keyed by the generator's source and the schema version, never in the repository), copies
it to a fresh temporary directory and runs ``bench.core`` on the copy in a new process, so start-up
and memory of one size are not coloured by another. Then, on the largest size up to 25,000 visits,
the end-to-end latency against an echo bot (``bench.e2e``) and the 10,000-nudge burst
(``bench.burst``), and once a month of reminders in a 200-person company (``bench.reminders``,
its own data), each skipped with a note when its module is not there.

The table goes to standard output; every figure to ``bench/results.json``.
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
from bot.storage import CURRENT_SCHEMA_VERSION

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
LAYOUT_SOURCES = ("repositories/nudges.py", "storage/chunked.py", "storage/archive.py")
FULL_SIZES = (1_000, 10_000, 25_000, 50_000)
QUICK_SIZES = (1_000, 10_000, 25_000)
# Targets at 25,000 visits (issue 6).
P99_MS, WRITE_MS, STARTUP_S, RSS_MB, RATIO, BURST_RATE = 20.0, 30.0, 2.0, 300.0, 1.2, 28.0
# The reminders' targets (issue 16), each judged by bench.reminders itself.
REMINDER_TARGETS = (
    ("off_day_pushes_not_about_the_day", "pushes on days off not about that day's visits = 0"),
    ("stale_overdue_lines", "pre-visit items listed overdue after their visit = 0"),
    ("longest_digest_lines", "longest morning digest ≤ 25 lines"),
)


def dataset(visits: int, seed: int = 1) -> Path:
    """A generated data directory for ``visits``, made once and kept in the temporary directory."""
    # Generated again whenever the generator or the on-disk layout it writes changes.
    sources = [HERE / "generate.py", *(HERE.parent / "bot" / p for p in LAYOUT_SOURCES)]
    key = hashlib.sha256(b"".join(path.read_bytes() for path in sources) + bytes([CURRENT_SCHEMA_VERSION]))
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
    return target


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
        offered["updates"] = 30
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
    rows.append(("morning digests of all staff: s (messages)",
                 [_digests(results["core"][s].get("digests")) for s in sizes]))
    rows.append(("start-up with catch-up, s", [f"{results['core'][s]['startup_s']:.2f}" for s in sizes]))
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


def _digests(figures: dict[str, float] | None) -> str:
    return "-" if figures is None else f"{figures['s']:.2f} ({figures['messages']:,})"


def _pair(figures: dict[str, float]) -> str:
    return f"{figures['median_ms']:.1f} / {figures['p99_ms']:.1f}"


def verdict(results: dict[str, Any]) -> list[str]:
    """Each target at 25,000 visits, met or not (when 25,000 was measured), then the reminders'."""
    core = results["core"].get("25000")
    reminders = [f"{'met ' if figures['met'] else 'MISS'}  reminders: {text} ({figures['value']})"
                 for key, text in REMINDER_TARGETS
                 if isinstance(figures := (results.get("reminders") or {}).get(key), dict)]
    if core is None:
        return ["(targets are for 25,000 visits, which this run did not measure)", *reminders]
    worst = max(core["updates"][k]["p99_ms"] for k in core["updates"] if k != "/mytasks")
    write = max(w["p99_ms"] for w in core["writes"].values())
    checks = [
        (f"p99 per update ≤ {P99_MS:.0f} ms (worst: {worst:.1f})", worst <= P99_MS),
        (f"one crash-safe write ≤ {WRITE_MS:.0f} ms (worst p99: {write:.1f})", write <= WRITE_MS),
        (f"start-up ≤ {STARTUP_S:.0f} s ({core['startup_s']:.2f})", core["startup_s"] <= STARTUP_S),
        (f"RSS ≤ {RSS_MB:.0f} MB (peak {core['rss_peak_mb']:.0f})", core["rss_peak_mb"] <= RSS_MB),
    ]
    for framework, figures in (results.get("e2e") or {}).get("frameworks", {}).items():
        ratio = figures["ratio_median"]
        checks.append((f"reply latency ≤ {RATIO:.1f} × echo bot, {framework} (median ×{ratio:.2f})",
                       ratio <= RATIO))
    for framework, figures in (results.get("burst") or {}).get("frameworks", {}).items():
        rate, lost, repeated = (figures.get(key) for key in ("messages_per_second", "lost", "repeated"))
        if rate is not None:
            checks.append((f"burst ≥ {BURST_RATE:.0f} msg/s, none lost or repeated, {framework} "
                           f"({rate:.1f}/s, {lost} lost, {repeated} repeated)",
                           rate >= BURST_RATE and not lost and not repeated))
    return [f"{'met ' if ok else 'MISS'}  {text}" for text, ok in checks] + reminders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        help="visit counts, comma-separated (default 1000,10000,25000,50000; quick: 1000,10000,25000)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no 50k")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = (
        [int(s) for s in args.sizes.split(",")]
        if args.sizes
        else list(QUICK_SIZES if args.quick else FULL_SIZES)
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
