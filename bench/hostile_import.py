"""The hostile sheets of issue 17 against the real bot, and what another person's /today waits meanwhile.

The bot process (``python -m bot``, started as the end-to-end tests start it) runs against the
fake Bot API (``tests.fakeapi``) on 127.0.0.1. An admin sends each sheet of ``tests.hostile_sheets``
at the size the probe used, then a full template of ``MAX_ROWS`` rows, which is imported too. While
the bot works on each, staff members send /today in turn, each once the last is answered.

Printed per sheet: the seconds until the admin's answer (the refusal or the report; Telegram's pace
of one message a second in a chat included), the /today
replies meanwhile (count, median and worst seconds, from the update being queued on the server to
the reply seen there), and the bot's peak memory so far (``VmHWM``: it only grows, so each
line shows whether that sheet raised it).

``python -m bench.hostile_import [--framework ptb|aiogram]``
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import cycle
from pathlib import Path

from openpyxl import Workbook

from bot.documents.importing import MAX_ROWS
from tests import hostile_sheets as hostile
from tests.e2e.conftest import ADMIN_ID, BotProcess, start_bot, stop_bot
from tests.fakeapi import FakeBotApi, FakeUser

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")
# Staff members asking /today in turn: Telegram lets a bot send about one message a second to one
# chat, so each asks again only a second after their last reply (delivery waits out that limit).
STAFF = [FakeUser(3003 + n, f"Zhou{n}", language_code="en") for n in range(4)]
PACE = 1.05
# When each may ask again.
ready = {member.id: 0.0 for member in STAFF}
# The longest any one answer may take before the run is called off.
PATIENCE = 900.0


def full_template(rows: int) -> bytes:
    """The template's 13 columns filled in ``rows`` rows (about 2 million characters at 20,000)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["客户名称", "级别", "阶段", "国家", "行业", "联系人", "职务", "电话", "邮箱", "生日",
                  "语言", "忌口", "备注"])
    for n in range(rows):
        sheet.append([f"深圳市某某科技有限公司{n:05d}", "B", "客户", "CN", "制造业", f"张伟{n}", "采购经理",
                      f"138{n:08d}", f"z{n}@example.com", "1980-01-02", "zh_Hans", "不吃辣",
                      "这是一条比较长的备注，说明客户的情况"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SHEETS: list[tuple[str, Callable[[], bytes], str]] = [
    ("cell-400mb.xlsx", lambda: hostile.huge_cell(400), "too large"),
    ("blank-5m.xlsx", lambda: hostile.blank_rows(5_000_000), "too large"),
    ("row-5m.xlsx", lambda: hostile.far_row(5_000_000), "too large"),
    ("cells-2m.xlsx", lambda: hostile.wide_row(2_000_000), "too large"),
    ("name-20k.csv", lambda: hostile.csv_long_name(20_000), "can be imported"),
    ("blank-5m.csv", lambda: hostile.csv_blank_rows(5_000_000), "too large"),
    ("cells-2m.csv", lambda: hostile.csv_wide_row(2_000_000), "too large"),
    ("open-quote.csv", lambda: hostile.csv_open_quote(1_000_000), "far longer"),
    (f"template-{MAX_ROWS}.xlsx", lambda: full_template(MAX_ROWS), "can be imported"),
]


def peak_mb(bot: BotProcess) -> float:
    status = Path(f"/proc/{bot.process.pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024


async def today_until(api: FakeBotApi, done: Callable[[], bool]) -> list[float]:
    """/today from the staff members in turn until ``done``; the reply times."""
    waits: list[float] = []
    for member in cycle(STAFF):
        if done():
            return waits
        await asyncio.sleep(max(0.0, ready[member.id] - time.monotonic()))
        started = time.monotonic()
        api.user_sends(member, "/today")
        await api.wait_for_message(member.id, timeout=PATIENCE)
        waits.append(time.monotonic() - started)
        ready[member.id] = time.monotonic() + PACE
    return waits


async def answered(api: FakeBotApi, wanted: str) -> None:
    await api.wait_for_message(ADMIN_ID, lambda m: wanted in (m.text or ""), timeout=PATIENCE)


async def measure(api: FakeBotApi, bot: BotProcess, name: str, content: bytes,
                  wanted: str) -> dict[str, float]:
    started = time.monotonic()
    api.user_sends_document(ADMIN, name, content)
    answer = asyncio.create_task(answered(api, wanted))
    waits = await today_until(api, answer.done)
    await answer
    return {"answer_s": time.monotonic() - started, "todays": len(waits),
            "today_median_s": statistics.median(waits) if waits else 0.0,
            "today_worst_s": max(waits, default=0.0), "peak_mb": peak_mb(bot)}


async def run(framework: str) -> None:
    sheets = [(name, make(), wanted) for name, make, wanted in SHEETS]
    with tempfile.TemporaryDirectory() as scratch:
        async with FakeBotApi() as api:
            bot = await start_bot(api, framework, Path(scratch) / "data", Path(scratch) / "bot.log")
            try:
                api.user_sends(ADMIN, "/start")
                await api.wait_for_message(ADMIN_ID, contains="Welcome")
                for member in STAFF:
                    api.user_sends(ADMIN, "/invite")
                    choose = await api.wait_for_message(ADMIN_ID, contains="Which role")
                    api.user_presses(ADMIN, choose, button="staff member")
                    invitation = await api.wait_for_message(ADMIN_ID, contains="one-time invitation")
                    api.user_sends(member, "/start " + (invitation.text or "").split("?start=")[1].split()[0])
                    await api.wait_for_message(member.id, contains="Welcome")
                print(f"{framework}: sheet, bytes, answer s, /today n, median s, worst s, peak MB")
                for name, content, wanted in sheets:
                    figures = await measure(api, bot, name, content, wanted)
                    print(f"{name:22} {len(content):>9,} {figures['answer_s']:7.2f} {figures['todays']:5} "
                          f"{figures['today_median_s']:7.3f} {figures['today_worst_s']:7.3f} "
                          f"{figures['peak_mb']:7.0f}", flush=True)
                report = api.messages(ADMIN_ID)[-1]
                started = time.monotonic()
                api.user_presses(ADMIN, report, button=f"Import {MAX_ROWS} rows")
                done = asyncio.create_task(answered(api, "Imported"))
                waits = await today_until(api, done.done)
                await done
                print(f"{'  its import':22} {'':>9} {time.monotonic() - started:7.2f} {len(waits):5} "
                      f"{statistics.median(waits):7.3f} {max(waits):7.3f} {peak_mb(bot):7.0f}")
            finally:
                await stop_bot(bot)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=("ptb", "aiogram"), default="ptb")
    asyncio.run(run(parser.parse_args(argv).framework))
    return 0


if __name__ == "__main__":
    sys.exit(main())
