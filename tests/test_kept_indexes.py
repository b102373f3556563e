"""A start after a clean stop reads the visits' and nudges' indexes kept at the stop instead of every
visit and nudge (a second at 50,000 visits), and only while the data files are exactly those it was
made from: after a crash the log's replay changed them, and the index is built from the documents."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.storage.chunked import KEPT
from tests.support.chat import World
from tests.test_lookups import LIN, Cast, a_week, add_visit, at, numbers


def decoded_chunks(world: World, collection: str) -> int:
    """How many chunk files of ``collection`` the process has read so far."""
    return len(world.db.table(collection).storage.documents()._decoded)  # type: ignore[attr-defined]


def test_a_restart_reads_the_kept_indexes_and_gives_the_same_answers(world: World) -> None:
    cast: Cast = a_week(world)
    before = [world.person(LIN).send(text).last.text for text in ("/week", "/mytasks")]
    world.restart()  # a clean stop writes the indexes; the start reads them
    for collection in ("visits", "nudges"):
        assert (world.data_dir / collection / KEPT.format(name=collection)).exists()
        assert decoded_chunks(world, collection) == 0  # no visit, no nudge read to build the index
    assert [world.person(LIN).send(text).last.text for text in ("/week", "/mytasks")] == before
    assert cast.huawei


def test_after_a_crash_the_index_is_built_from_the_data_not_taken_from_the_stop_before(
        world: World, tmp_path: Path) -> None:
    cast = a_week(world)
    world.restart()  # indexes kept
    add_visit(world, cast.acme, "Acme", at(26, 14), 2, host=LIN)  # written, in the log only
    crashed = tmp_path / "crashed"
    shutil.copytree(world.data_dir, crashed, ignore=shutil.ignore_patterns(".lock"))  # as kill -9 leaves it
    again = World(crashed)
    try:
        assert 7 in numbers(again.person(LIN).send("/week").last)
        assert decoded_chunks(again, "visits") > 0  # rebuilt from the documents
    finally:
        again.db.close()
