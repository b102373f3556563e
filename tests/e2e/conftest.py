"""End-to-end: the real bot process, with aiogram or python-telegram-bot, against the fake Bot API.

The bot runs on the real time unless a test gives it a ``ShiftedClock`` (``tests.e2e.shifted_bot``).
``E2E_BOT_AT=2026-12-07T01:00+08:00 pytest tests/e2e`` runs every test that takes the ``bot_clock``
fixture (the started bots, the nudge tests' "now") at that moment instead, to see that nothing in the
suite depends on the hour or the day.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from tests.e2e.shifted_bot import OFFSET_VARIABLE, ShiftedClock
from tests.fakeapi import FakeBotApi

ADMIN_ID = 1001
# The tree these tests belong to: the bot process imports its ``bot`` (and ``tests``) from here, not
# from wherever the environment's editable install points.
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class BotProcess:
    process: asyncio.subprocess.Process
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture(params=["aiogram", "ptb"])
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot_clock() -> ShiftedClock:
    """The clock of the bots a test starts: the real one, or the moment ``E2E_BOT_AT`` names."""
    at = os.environ.get("E2E_BOT_AT")
    return ShiftedClock.reading(datetime.fromisoformat(at) if at else None)


async def launch_bot(api: FakeBotApi, framework: str, data_dir: Path, log: Path,
                     clock: ShiftedClock | None = None) -> BotProcess:
    """The bot process, its stdout and stderr both in ``log``, without waiting for it to poll; with
    a shifted ``clock``, through the test launcher that gives it that clock."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_", OFFSET_VARIABLE))}
    env |= {
        "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_URL": api.url, "BOT_FRAMEWORK": framework,
        "BOT_DATA_DIR": str(data_dir), "BOT_ADMIN_IDS": str(ADMIN_ID), "BOT_DEFAULT_LOCALE": "zh_Hans",
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    entry = "bot"
    if clock is not None and clock.shifted:
        entry = "tests.e2e.shifted_bot"
        env[OFFSET_VARIABLE] = str(clock.offset.total_seconds())
    handle = log.open("ab")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", entry, env=env, cwd=data_dir.parent, stdin=asyncio.subprocess.DEVNULL,
        stdout=handle, stderr=handle,
    )
    handle.close()
    return BotProcess(process, log)


async def start_bot(api: FakeBotApi, framework: str, data_dir: Path, log: Path,
                    clock: ShiftedClock | None = None) -> BotProcess:
    """Starts the bot (``launch_bot``) and waits for its first poll."""
    started = time.time()
    bot = await launch_bot(api, framework, data_dir, log, clock)
    try:
        # A poll from this process, not one an earlier bot process left hanging on the server.
        await api.wait_for_call("getUpdates", lambda call: call.time >= started, timeout=30)
    except AssertionError:
        bot.process.kill()
        raise AssertionError("the bot did not start polling:\n" + bot.output()) from None
    return bot


async def stop_bot(bot: BotProcess, *, network_errors_logged: bool = False) -> None:
    """Stops the bot as systemd would; it must exit cleanly, with no traceback unless told to expect
    the frameworks' own logged network errors (python-telegram-bot logs those with a traceback)."""
    if bot.process.returncode is None:
        bot.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(bot.process.wait(), 20)
        except TimeoutError:
            bot.process.kill()
            raise AssertionError("the bot did not stop on SIGTERM:\n" + bot.output()) from None
    assert bot.process.returncode == 0, bot.output()
    if network_errors_logged:
        errors = [line for line in bot.output().splitlines() if " ERROR " in line]
        assert all("polling" in line.lower() or "network" in line.lower() for line in errors), errors
    else:
        assert "Traceback" not in bot.output(), bot.output()


@pytest.fixture
async def bot(api: FakeBotApi, framework: str, bot_clock: ShiftedClock,
              tmp_path: Path) -> AsyncIterator[BotProcess]:
    running = await start_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
    yield running
    await stop_bot(running)


@pytest.fixture
async def bot_through_outage(api: FakeBotApi, framework: str, bot_clock: ShiftedClock,
                             tmp_path: Path) -> AsyncIterator[BotProcess]:
    running = await start_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
    yield running
    await stop_bot(running, network_errors_logged=True)
