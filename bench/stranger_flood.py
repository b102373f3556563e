"""A staff member's ``/today`` while strangers flood the bot (issue 17): 900 messages from 60 ids.

The real bot (``python -m bot``, started as the end-to-end tests start it, on a fresh data dir)
runs against the fake Bot API (``tests.fakeapi``) on 127.0.0.1. The configured admin invites a staff
member, who asks ``/today`` a few times alone, a little more than a second apart (one chat gets one
message a second: faster, Telegram's limit would be what is measured); then 60 strangers send 15
messages each, all queued at once, and the staff member's ``/today`` and the admin's (whose chat
also gets the notices of access requests) come right behind them. Measured: from the moment such
an update is on the server to the moment its reply reaches it; and what the bot sent to the
strangers and the admin.

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
STAFF = FakeUser(ADMIN_ID + 1, "Bench Staff", language_code="en")
# /today with nothing planned, in English.
TODAY_REPLY = "today"
ALONE_ROUNDS = 5
PACE = 1.2
REPLY_TIMEOUT = 120.0


def run(framework: str = "ptb") -> dict[str, Any]:
    return asyncio.run(_measure(framework))


async def _measure(framework: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="stranger-flood-") as work:
        async with FakeBotApi() as api:
            bot = await start_bot(api, framework, Path(work) / "data", Path(work) / "bot.log")
            try:
                await _invite_staff(api)
                alone = []
                for _ in range(ALONE_ROUNDS):
                    await asyncio.sleep(PACE)
                    alone.append(await _today(api, STAFF))
                await asyncio.sleep(PACE)
                admin_alone = await _today(api, ADMIN)
                await asyncio.sleep(PACE)
                strangers = [FakeUser(FIRST_STRANGER + n, f"Stranger {n}", language_code="en")
                             for n in range(STRANGERS)]
                before = len(api.calls("sendMessage"))
                for round_ in range(MESSAGES_EACH):
                    for stranger in strangers:
                        api.user_sends(stranger, "/start" if round_ == 0 else f"hello {round_}")
                flooded = await asyncio.gather(_today(api, STAFF), _today(api, ADMIN))
                await api.wait_for_idle(quiet=2.0, timeout=REPLY_TIMEOUT)
                sent = [call for call in api.calls("sendMessage")[before:] if call.status == 200]
                to_strangers = sum(1 for call in sent if int(call.params["chat_id"]) >= FIRST_STRANGER)
                to_admin = sum(1 for call in sent if int(call.params["chat_id"]) == ADMIN_ID) - 1
            finally:
                await stop_bot(bot)
    return {"framework": framework, "staff_today_alone_s": round(statistics.median(alone), 3),
            "admin_today_alone_s": round(admin_alone, 3),
            "staff_today_in_flood_s": round(flooded[0], 3), "admin_today_in_flood_s": round(flooded[1], 3),
            "stranger_messages": STRANGERS * MESSAGES_EACH,
            "replies_to_strangers": to_strangers, "notices_to_the_admin": to_admin}


async def _invite_staff(api: FakeBotApi) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")
    api.user_sends(ADMIN, "/invite")
    choose = await api.wait_for_message(ADMIN_ID, contains="Which role")
    api.user_presses(ADMIN, choose, button="staff member")
    invitation = await api.wait_for_message(ADMIN_ID, contains="one-time invitation")
    api.user_sends(STAFF, "/start " + (invitation.text or "").split("?start=")[1].split()[0])
    await api.wait_for_message(STAFF.id, contains="Welcome")
    await api.wait_for_idle(quiet=0.5)


async def _today(api: FakeBotApi, person: FakeUser) -> float:
    """Seconds from ``person``'s /today being on the server to its reply arriving there."""
    started = time.monotonic()
    api.user_sends(person, "/today")
    await api.wait_for_message(person.id, contains=TODAY_REPLY, timeout=REPLY_TIMEOUT)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--framework", choices=("ptb", "aiogram"), default="ptb")
    print(json.dumps(run(parser.parse_args().framework), indent=2))


if __name__ == "__main__":
    main()
