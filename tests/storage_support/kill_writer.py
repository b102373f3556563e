"""The victim of the kill -9 stress test: writes to the database in a loop until it is killed.

Run by ``kill_stress`` as ``python -m tests.storage_support.kill_writer DATA_DIR STORAGE RUN SEED [MODE]``.
It prints ``READY`` once the database is open, then for every operation ``BEGIN <op> <collection>
<key>`` before it and ``OK <op> <collection> <key>`` after it returned (op: ``I`` insert, ``R`` remove),
each line written to stdout in one unbuffered write. An ``OK`` line is an acknowledged write: it must
survive the kill. Only the operation of a trailing ``BEGIN`` may or may not have happened.

STORAGE is ``atomic`` (our ``Database``) or ``default`` (TinyDB's JSONStorage, one file per
collection, for comparison). MODE ``mixed`` (the default) also removes documents: that keeps the
files at a bounded size and makes them shrink, where an in-place rewrite is most fragile; MODE
``inserts`` only inserts.
"""

from __future__ import annotations

import os
import random
import sys
from collections import deque
from collections.abc import Callable
from pathlib import Path

from tinydb import Query, TinyDB
from tinydb.table import Table

COLLECTIONS = ("staff", "visits", "clients")
MAX_DOCS = 25


def say(line: str) -> None:
    os.write(1, f"{line}\n".encode())


def open_tables(data_dir: Path, storage: str) -> tuple[dict[str, Table], Callable[[], None] | None]:
    """The tables, and for our ``Database`` its checkpoint (the write-ahead log into the files)."""
    if storage == "atomic":
        from bot.storage import Database

        db = Database.open(data_dir)  # never closed: the process dies by SIGKILL
        return {name: db.table(name) for name in COLLECTIONS}, db.checkpoint
    data_dir.mkdir(parents=True, exist_ok=True)
    return {name: TinyDB(data_dir / f"{name}.json").table(name) for name in COLLECTIONS}, None


def main() -> None:
    data_dir, storage, run, seed = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    removals = (sys.argv[5] if len(sys.argv) > 5 else "mixed") == "mixed"
    rng = random.Random(seed)
    tables, checkpoint = open_tables(data_dir, storage)
    # Oldest first, so removals take the oldest document of a collection.
    keys = {name: deque(doc["key"] for doc in table.all()) for name, table in tables.items()}
    say("READY")
    for seq in range(10**9):
        name = rng.choice(COLLECTIONS)
        table, known = tables[name], keys[name]
        if removals and (len(known) >= MAX_DOCS or (len(known) > 5 and rng.random() < 0.3)):
            key = known.popleft()
            say(f"BEGIN R {name} {key}")
            table.remove(Query().key == key)
            say(f"OK R {name} {key}")
        else:
            key = f"{run}-{seq}"
            say(f"BEGIN I {name} {key}")
            # A few KB per document, so each write of a collection file takes real time.
            table.insert({"key": key, "blob": rng.randbytes(rng.randint(500, 3000)).hex()})
            known.append(key)
            say(f"OK I {name} {key}")
        if checkpoint is not None and rng.random() < 0.2:
            # Often enough that many kills land mid-checkpoint, which must lose nothing either.
            say("BEGIN C - -")
            checkpoint()
            say("OK C - -")


if __name__ == "__main__":
    main()
