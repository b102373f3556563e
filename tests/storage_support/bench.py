"""Time per insert and per query, our storage against TinyDB's default JSONStorage.

Usage, from the repository root: ``.venv/bin/python -m tests.storage_support.bench``.

One collection pre-filled with N documents of about 300 bytes (a visit record); then single inserts,
then ``search`` on a field (a full scan; every query asks for a different value so TinyDB's query
cache never answers), then ``get`` by document id. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from bot.storage import Database


def visit(i: int) -> dict[str, Any]:
    return {
        "client": f"Company {i}",
        "host_id": 1000 + i % 50,
        "class": "ABCD"[i % 4],
        "arrives_at": "2025-03-14T09:30:00+08:00",
        "visitors": [{"name": f"Visitor {i}", "title": "总经理", "diet": "no pork"}],
        "notes": "Pickup at the airport, meeting room 3, tour of the production line." * 2,
    }


def per_call_ms(fn: Callable[[int], object], calls: int) -> float:
    start = time.perf_counter()
    for i in range(calls):
        fn(i)
    return (time.perf_counter() - start) / calls * 1000


def measure(table: Table, n: int, calls: int) -> tuple[float, float, float]:
    table.insert_multiple(visit(i) for i in range(n))
    rng = random.Random(0)
    insert = per_call_ms(lambda i: table.insert(visit(n + i)), calls)
    query = per_call_ms(lambda i: table.search(Query().client == f"Company {rng.randrange(n)}"), calls)
    get = per_call_ms(lambda i: table.get(doc_id=rng.randrange(1, n)), calls)
    return insert, query, get


def main() -> None:
    print("storage   docs   insert ms   search ms   get ms   file")
    for n, calls in ((1_000, 200), (10_000, 50)):
        with tempfile.TemporaryDirectory() as tmp:
            with Database.open(Path(tmp) / "data") as db:
                ours = measure(db.table("visits"), n, calls)
            size = (Path(tmp) / "data" / "visits.json").stat().st_size
            print(f"atomic  {n:6}  {ours[0]:10.2f}  {ours[1]:10.2f}  {ours[2]:7.3f}   {size / 1e6:.1f} MB")
        with tempfile.TemporaryDirectory() as tmp:
            with TinyDB(Path(tmp) / "visits.json") as plain:
                theirs = measure(plain.table("visits"), n, max(calls // 5, 10))
            size = (Path(tmp) / "visits.json").stat().st_size
            print(
                f"default {n:6}  {theirs[0]:10.2f}  {theirs[1]:10.2f}  {theirs[2]:7.3f}   {size / 1e6:.1f} MB"
            )


if __name__ == "__main__":
    main()
