"""Kill -9 stress test: SIGKILL a writer at random moments, then check nothing was corrupted or lost.

Usage, from the repository root::

    .venv/bin/python -m tests.storage_support.kill_stress --kills 500              # our storage
    .venv/bin/python -m tests.storage_support.kill_stress --kills 500 --storage default
    .venv/bin/python -m tests.storage_support.kill_stress --kills 500 --storage default --mode inserts

Each round starts ``kill_writer`` on the same data directory, kills it with SIGKILL after a random
delay (most of them while it is writing, some while it is still opening the database, many very
short), then opens the data and compares it with a model built from the writer's acknowledged
operations: it must equal the model, or the model plus the one operation that was in flight.

- corrupted: a file no longer parses. For our storage that means ``Database.open`` raised. The data
  directory is then wiped so the run can go on counting.
- lost: an acknowledged insert that is missing, or an acknowledged removal that came back.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ("staff", "visits", "clients")
State = dict[str, set[str]]


@dataclass
class Stats:
    kills: int = 0
    mid_write: int = 0  # killed with an operation in flight
    before_ready: int = 0  # killed while still starting: importing, or in Database.open
    temp_files_left: int = 0  # leftover temp files found (and ignored) after a kill
    corrupted: int = 0
    lost: int = 0
    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.kills} kills, {self.corrupted} corrupted, {self.lost} lost "
            f"({self.mid_write} mid-operation, {self.before_ready} before the writer was ready, "
            f"{self.acknowledged} acknowledged operations, {self.temp_files_left} temp files left over)"
        )


def _pump(proc: subprocess.Popen[bytes], buf: bytearray, until: float, stop_at: bytes | None) -> bool:
    """Read the writer's output into ``buf`` until ``until`` (or ``stop_at`` appears); False on EOF."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    while (remaining := until - time.monotonic()) > 0:
        if stop_at is not None and stop_at in buf:
            return True
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                return False
            buf += chunk
    return True


def run_writer(
    data_dir: Path, storage: str, run: int, rng: random.Random, *, startup: float, mode: str
) -> tuple[list[str], float | None]:
    """One round: start the writer, SIGKILL it at a random moment.

    Returns its complete output lines and how long it took to print READY (None: killed before).
    """
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    cmd = [sys.executable, "-m", "tests.storage_support.kill_writer", str(data_dir), storage, str(run)]
    proc = subprocess.Popen(
        [*cmd, str(rng.randrange(2**32)), mode], stdout=subprocess.PIPE, cwd=REPO_ROOT, env=env
    )
    buf = bytearray()
    start = time.monotonic()
    if rng.random() < 0.15:  # somewhere in interpreter start-up or Database.open
        _pump(proc, buf, start + rng.uniform(0.5 * startup, startup), b"READY\n")
    else:
        _pump(proc, buf, start + 30.0, b"READY\n")
    ready_after = time.monotonic() - start if b"READY\n" in buf else None
    if ready_after is not None:
        # Many very short delays, some longer ones; each write takes about a millisecond.
        delay = rng.choice((rng.uniform(0, 0.002), rng.uniform(0, 0.02), rng.uniform(0, 0.15)))
        _pump(proc, buf, time.monotonic() + delay, None)
    proc.send_signal(signal.SIGKILL)
    _pump(proc, buf, time.monotonic() + 30.0, None)  # the rest, up to EOF
    proc.wait()
    if proc.returncode != -signal.SIGKILL:
        raise RuntimeError(f"writer exited by itself with {proc.returncode}; see its stderr above")
    text = buf.decode()
    lines = text.split("\n")[:-1]  # a last line without its newline was cut off: not acknowledged
    return lines, ready_after


def read_state(data_dir: Path, storage: str) -> State:
    """What is on disk now; raises if any file is corrupted."""
    if storage == "atomic":
        from bot.storage import Database

        with Database.open(data_dir) as db:
            return {name: {doc["key"] for doc in db.table(name).all()} for name in COLLECTIONS}
    state: State = {}
    for name in COLLECTIONS:
        path = data_dir / f"{name}.json"
        raw = path.read_text() if path.exists() else ""
        # TinyDB's JSONStorage treats an empty file as an empty database.
        docs = json.loads(raw).get(name, {}) if raw else {}
        state[name] = {doc["key"] for doc in docs.values()}
    return state


def apply(state: State, line: str) -> None:
    _, op, name, key = line.split()
    if op == "I":
        state[name].add(key)
    elif op == "R":
        state[name].discard(key)


def stress(
    storage: str,
    kills: int,
    *,
    seconds: float | None = None,
    seed: int | None = None,
    verbose: bool = False,
    stop_on_corruption: bool = False,
    mode: str = "mixed",
    work_dir: Path | None = None,
) -> Stats:
    """Run ``kills`` rounds (or as many as fit in ``seconds``, but at least ``kills``).

    The data directory is created in ``work_dir`` (default: a temporary directory, removed after).
    """
    rng = random.Random(seed)
    stats = Stats()
    deadline = None if seconds is None else time.monotonic() + seconds
    with tempfile.TemporaryDirectory(prefix="kill-stress-", dir=work_dir) as tmp:
        data_dir = Path(tmp) / "data"
        model: State = {name: set() for name in COLLECTIONS}
        startup = 0.1  # seconds until the writer is READY; learnt as we go
        while stats.kills < kills or (deadline is not None and time.monotonic() < deadline):
            lines, ready_after = run_writer(data_dir, storage, stats.kills, rng, startup=startup, mode=mode)
            stats.kills += 1
            if ready_after is None:
                stats.before_ready += 1
            else:
                startup = 0.8 * startup + 0.2 * ready_after
            acked = [line for line in lines if line.startswith("OK ")]
            stats.acknowledged += len(acked)
            for line in acked:
                apply(model, line)
            pending = model
            if lines and lines[-1].startswith("BEGIN "):
                stats.mid_write += 1
                pending = {name: set(keys) for name, keys in model.items()}
                apply(pending, lines[-1])
            if data_dir.exists():
                stats.temp_files_left += sum(1 for p in data_dir.iterdir() if p.name.endswith(".tmp"))
            try:
                actual = read_state(data_dir, storage)
            except Exception as exc:
                stats.corrupted += 1
                stats.problems.append(f"kill {stats.kills}: corrupted: {exc}")
                shutil.rmtree(data_dir)
                model = {name: set() for name in COLLECTIONS}
                if stop_on_corruption:
                    break
                continue
            if actual not in (model, pending):
                missing = sum(len(model[n] - actual[n] - (model[n] - pending[n])) for n in COLLECTIONS)
                back = sum(len(actual[n] - model[n] - (pending[n] - model[n])) for n in COLLECTIONS)
                stats.lost += missing + back
                stats.problems.append(
                    f"kill {stats.kills}: {missing} acknowledged inserts missing, {back} back"
                )
            model = actual
            if verbose and stats.kills % 50 == 0:
                print(stats.summary(), flush=True)
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--kills", type=int, default=500)
    parser.add_argument("--storage", choices=("atomic", "default"), default="atomic")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--mode", choices=("mixed", "inserts"), default="mixed", help="mixed: inserts and removals"
    )
    args = parser.parse_args()
    started = time.monotonic()
    stats = stress(args.storage, args.kills, seed=args.seed, verbose=True, mode=args.mode)
    for problem in stats.problems[:20]:
        print(problem)
    print(f"{args.storage} ({args.mode}): {stats.summary()} in {time.monotonic() - started:.0f} s")
    sys.exit(1 if stats.corrupted or stats.lost else 0)


if __name__ == "__main__":
    main()
