"""kill -9 at random moments never corrupts the database nor loses an acknowledged write.

A writer process inserts and removes documents of a few KB in three collections, reporting each
write once it returned; it is SIGKILLed at random moments, most of them mid-write, and the data is
checked after every kill (see ``tests/storage_support/kill_stress.py``, which also runs standalone).
"""

from __future__ import annotations

from pathlib import Path

from tests.storage_support.kill_stress import stress


def test_kill_9_never_corrupts_nor_loses_acknowledged_writes(tmp_path: Path) -> None:
    stats = stress("atomic", kills=40, seconds=15, work_dir=tmp_path)
    print(stats.summary())
    assert stats.problems == []
    assert (stats.corrupted, stats.lost) == (0, 0)
    assert stats.kills >= 40
    # The test means something only if the kills landed while writes were in flight.
    assert stats.mid_write >= stats.kills // 2
    assert stats.acknowledged >= stats.kills


def test_the_harness_does_catch_corruption_of_tinydb_default_storage(tmp_path: Path) -> None:
    # Same loop against TinyDB's JSONStorage (in-place rewrite): it gets corrupted within a few
    # dozen kills, which shows the test above would notice if our storage did the same.
    stats = stress("default", kills=300, stop_on_corruption=True, work_dir=tmp_path)
    print(stats.summary())
    assert stats.corrupted == 1
