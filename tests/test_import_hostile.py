"""Hostile sheets (``tests/hostile_sheets.py``, each small in bytes): refused with a clear answer
before they are read whole, or imported within their budget, while everybody else is answered; a
very long client name costs the name index in proportion to its length; an import left oversized
by an older version does not hold up the start."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from bot.core.delivery import Delivery
from bot.core.events import Edit, Event, IncomingFile, Send, User
from bot.core.runner import Runner
from bot.domain.clients import Client
from bot.handlers import importing
from tests import hostile_sheets as hostile
from tests.support.chat import World
from tests.test_import import admin, clients, invited, upload
from tests.test_import_progress import Telegram, sheet

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
TOO_BIG = ("is too large to import: a sheet may hold at most 21000 rows (blank rows count), 1000 cells "
           "in one row, 500000 filled cells and 3000000 characters in all")


def pending(world: World) -> bytes:
    """What waits for an admin's confirmation, as stored."""
    return orjson.dumps(world.dispatcher.services.db.table("pending_imports").all())


@pytest.mark.parametrize(("name", "content"), [
    ("cell.xlsx", hostile.huge_cell(80)),  # 80 MB unpacked (the one found: 400 MB in 390 KB)
    ("blank.xlsx", hostile.blank_rows(5_000_000)),
    ("far.xlsx", hostile.far_row(5_000_000)),
    ("wide.xlsx", hostile.wide_row(2_000_000)),
    ("blank.csv", hostile.csv_blank_rows(5_000_000)),
    ("wide.csv", hostile.csv_wide_row(2_000_000)),
])
def test_a_sheet_over_a_budget_is_refused_and_nothing_of_it_is_kept(world: World, name: str,
                                                                    content: bytes) -> None:
    me = admin(world, "en")
    upload(me, name, content)
    assert me.last.text.startswith(f"{name} {TOO_BIG}. Please split it")
    assert not me.last.buttons
    assert pending(world) == b"[]"


@pytest.mark.parametrize(("name", "content", "row"), [
    ("names.csv", hostile.csv_long_name(20_000), 3),  # 60 KB
    ("cell.xlsx", hostile.huge_cell(20), 2),  # a 20 MB cell: within the sheet's budget, not a field's
])
def test_a_field_longer_than_a_typed_answer_refuses_its_row_and_the_rest_imports(
        world: World, name: str, content: bytes, row: int) -> None:
    me = admin(world, "en")
    upload(me, name, content)
    assert f"Row {row}: Client name is longer than 1000 characters" in me.last.text
    assert len(pending(world)) < 5000  # of the long name, one character over the limit is kept
    accepted = {"names.csv": 2, "cell.xlsx": 1}[name]
    me.press(f"Import {accepted} row")
    assert "Imported" in me.last.text
    assert clients(world) == ({"Acme": ["Bob"], "Globex": ["Dave"]} if accepted == 2 else {"Acme": ["Bob"]})


def test_a_csv_field_over_the_csv_modules_limit_gets_a_clear_answer_in_the_progress_message(
        world: World) -> None:
    world.person(1, "Lin", language_code="en").send("/start")
    runner = Runner(world.dispatcher)
    telegram = Telegram()
    runner.delivery = Delivery(telegram)
    content = hostile.csv_open_quote(200_000)
    sent = Event(User(1, "Lin", language_code="en"), 1,
                 document=IncomingFile("quote.csv", "", len(content), content))
    try:
        asyncio.run(runner.process(sent))
    finally:
        runner.close()
    first, *rest = telegram.done
    assert isinstance(first, Send) and first.text.startswith("⏳ Reading quote.csv")
    last = rest[-1]
    assert isinstance(last, Edit) and last.message_id == 1  # the progress message says it, not a new one
    assert last.text.startswith("I cannot read quote.csv: row 4 holds a field far longer than the 1000 "
                                "characters a field may have. Most often a quotation mark left open")


def test_while_a_sheet_is_read_everybody_else_is_answered(world: World,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    admin(world, "en")
    invited(world, "staff member", 70)
    reading, go_on = threading.Event(), threading.Event()
    read = importing.read_sheet

    def slow(*args: object, **kwargs: object) -> object:
        reading.set()
        go_on.wait(10)
        return read(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "read_sheet", slow)
    runner = Runner(world.dispatcher)
    telegram = Telegram()
    runner.delivery = Delivery(telegram)
    content = b"Client name,Contact\nAcme,Bob\n"
    sheet = Event(User(1, "Lin", language_code="en"), 1,
                  document=IncomingFile("a.csv", "", len(content), content))

    async def chat() -> None:
        importing_task = asyncio.create_task(runner.process(sheet))
        try:
            assert await asyncio.to_thread(reading.wait, 10)
            # Held up by the sheet, this would wait for it (ten seconds here).
            answer = await asyncio.wait_for(runner.process(Event(User(70, "Li", language_code="en"), 70,
                                                                 text="/today")), 5)
            assert any(isinstance(o.action, Send) and o.action.chat_id == 70 for o in answer)
        finally:
            go_on.set()
        outcomes = await importing_task
        assert "1 row can be imported" in outcomes[-1].action.text  # type: ignore[union-attr]

    try:
        asyncio.run(chat())
    finally:
        runner.close()


def test_a_big_sheet_is_checked_in_slices_and_others_are_answered_in_between(world: World) -> None:
    me = admin(world, "en")
    colleague = invited(world, "staff member", 70)
    content = sheet(2500)
    event = Event(me.user, me.id, document=IncomingFile("big.xlsx", "", len(content), content))
    actions, aside = world.dispatcher.turn(event)  # the file is read off the core, then checked
    turns = 0
    while aside is not None:
        actions, aside = world.dispatcher.resume(event, aside.done())
        turns += 1
        before = len(colleague.messages)
        colleague.send("/today")  # between two turns of the core given to the sheet
        assert len(colleague.messages) == before + 1
    assert turns == 3  # the rows read and checked up to 1000, to 2000, then to 2500 and reported
    world.deliver(actions)
    assert "2500 rows can be imported" in me.last.text


def test_a_very_long_client_name_costs_the_name_index_in_proportion_to_its_length(world: World) -> None:
    service = world.dispatcher.services.clients
    # Kept by an older version, which took names of any length: 3,000 syllables.
    long_name = ("华为技术有限公司" * 400)[:3000]
    service.clients.save(Client(service.clients.next_id(), long_name, NOW, 1))
    words = "International Business Machines Corporation of Greater Shenzhen Advanced Technology Holdings"
    service.create(words, by=1, now=NOW)
    service.create("Acme", by=1, now=NOW)
    world.restart()
    service = world.dispatcher.services.clients
    tracemalloc.start()
    try:
        found = service.search("jishu")  # the first search builds the index
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [client.name for client in found] == [long_name]
    assert peak < 4 * 2**20  # a whole pinyin tail per syllable took 27 MB
    # A query longer than the index keeps of a tail is still found from a word's start, and only so.
    assert [c.name for c in service.search("businessmachinescorporationofgreatershenzhenadvancedtechnology")
            ] == [words]
    assert not service.search("usinessmachinescorporationofgreatershenzhenadvancedtechnologyholdings")
    me = admin(world, "en")
    assert "Acme" in me.send("/client acme").last.text


def test_an_oversized_import_left_by_an_older_version_is_dropped_at_start(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env |= {"BOT_DATA_DIR": str(tmp_path / "data"), "BOT_DEFAULT_LOCALE": "en"}

    def start(*lines: str) -> subprocess.CompletedProcess[str]:
        typed = "".join(f"{line}\n" for line in lines)
        done = subprocess.run([sys.executable, "-m", "bot"], input=typed, env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done

    start("/help")
    old = tmp_path / "data" / "pending_imports.json"
    rows = [[2, {"client": "A" * (65 * 2**20)}]]  # one 65 MB cell, as an older version kept it
    old.write_bytes(orjson.dumps({"pending_imports": {"1": {"serial": 1, "file": "old.xlsx", "rows": rows}}}))
    done = start("/upload /nonexistent.csv", "/help")
    assert "dropped" in done.stderr and "pending_imports.json: 65 MB of imports waiting" in done.stderr
    assert "I could not receive nonexistent.csv" in done.stdout
    assert orjson.loads(old.read_bytes()) == {"pending_imports": {}}
