"""Starting the real bot process with ``BOT_PLATFORM=feishu`` against the fake Feishu server."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from pathlib import Path

from tests.e2e.conftest import ROOT, BotProcess
from tests.e2e.shifted_bot import OFFSET_VARIABLE, ShiftedClock
from tests.fakefeishu import APP_ID, APP_SECRET, FakeFeishu, FeishuUser


async def start_feishu_bot(fake: FakeFeishu, data_dir: Path, log: Path, admins: list[FeishuUser],
                           clock: ShiftedClock | None = None) -> BotProcess:
    """The bot process (its output in ``log``), once its long connection is up."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "BOT_", "FEISHU_", OFFSET_VARIABLE))}
    env |= {
        "BOT_PLATFORM": "feishu", "FEISHU_APP_ID": APP_ID, "FEISHU_APP_SECRET": APP_SECRET,
        "FEISHU_DOMAIN": fake.url, "BOT_DATA_DIR": str(data_dir), "BOT_DEFAULT_LOCALE": "zh_Hans",
        "BOT_ADMIN_IDS": ",".join(f"feishu:{admin.open_id}" for admin in admins),
        "PYTHONPATH": os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    entry = "bot"
    if clock is not None and clock.shifted:
        entry = "tests.e2e.shifted_bot"
        env[OFFSET_VARIABLE] = str(clock.offset.total_seconds())
    connections = fake.longconn.connections
    started = time.time()
    with log.open("ab") as handle:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", entry, env=env, cwd=data_dir.parent, stdin=asyncio.subprocess.DEVNULL,
            stdout=handle, stderr=handle)
    bot = BotProcess(process, log)
    connected = await fake.wait_until(
        lambda: True if fake.longconn.connections > connections and fake.longconn.connected else None, 60)
    if connected is None:
        process.kill()
        raise AssertionError(f"no long connection {time.time() - started:.0f}s after start:\n" + bot.output())
    return bot
