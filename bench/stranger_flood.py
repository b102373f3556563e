"""A staff member's ``/today`` while strangers flood the bot (issue 17): 900 messages from 60 ids.

The real bot (``python -m bot``, started as the end-to-end tests start it, on a fresh data dir)
runs against the fake Bot API (``tests.fakeapi``) on 127.0.0.1. The configured admin opens it and
asks ``/today`` a few times alone; then 60 strangers send 15 messages each, all queued at once,
and the admin's ``/today`` comes right behind them. Measured: from the moment that update is on
the server to the moment its reply reaches it; and what the bot sent to the strangers and the admin.

``python -m bench.stranger_flood [--framework ptb|aiogram]`` prints JSON; ``run`` returns it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import ADMIN_ID, start_bot, stop_bot
from tests.fakeapi import FakeBotApi, FakeUser

STRANGERS = 60
MESSAGES_EACH = 15
FIRST_STRANGER = 500_000
ADMIN = FakeUser(ADMIN_ID, "Bench Admin", language_code="en")
# /today with nothing planned, in English.
TODAY_REPLY = "today"
ALONE_ROUNDS = 5
REPLY_TIMEOUT = 120.0


def run(framework: str = "ptb") -> dict[str, Any]:
    return asyncio.run(_measure(framework))


async def _measure(framework: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="stranger-flood-") as work:
        async with FakeBotApi() as api:
            bot = await start_bot(api, framework, Path(work) / "data", Path(work) / "bot.log")
            try:
                api.user_sends(ADMIN, "/start")
                await api.wait_for_message(ADMIN_ID, contains="Welcome")
                await api.wait_for_idle(quiet=0.5)
                alone = [await _today(api) for _ in range(ALONE_ROUNDS)]
                strangers = [FakeUser(FIRST_STRANGER + n, f"Stranger {n}", language_code="en")
                             for n in range(STRANGERS)]
                before = len(api.calls("sendMessage"))
                for round_ in range(MESSAGES_EACH):
                    for stranger in strangers:
                        api.user_sends(stranger, "/start" if round_ == 0 else f"hello {round_}")
                flooded = await _today(api)
                await api.wait_for_idle(quiet=2.0, timeout=REPLY_TIMEOUT)
                sent = [call for call in api.calls("sendMessage")[before:] if call.status == 200]
                to_strangers = sum(1 for call in sent if int(call.params["chat_id"]) >= FIRST_STRANGER)
                to_admin = sum(1 for call in sent if int(call.params["chat_id"]) == ADMIN_ID) - 1
            finally:
                await stop_bot(bot)
    return {"framework": framework, "today_alone_s": round(statistics.median(alone), 3),
            "today_in_flood_s": round(flooded, 3), "stranger_messages": STRANGERS * MESSAGES_EACH,
            "replies_to_strangers": to_strangers, "notices_to_the_admin": to_admin}


async def _today(api: FakeBotApi) -> float:
    """Seconds from the admin's /today being on the server to its reply arriving there."""
    started = time.monotonic()
    api.user_sends(ADMIN, "/today")
    await api.wait_for_message(ADMIN_ID, contains=TODAY_REPLY, timeout=REPLY_TIMEOUT)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=("ptb", "aiogram"), default="ptb")
    print(json.dumps(run(parser.parse_args().framework), indent=2))


if __name__ == "__main__":
    main()
