"""Whoever reads the bot's log (the systemd journal) must not learn its token: every API call's URL
holds it, so an HTTP client's request log or an error message quoting a URL would hand it over.
Each framework is taken through many calls and Telegram's bad days, and the token is looked for
in everything the process wrote."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, BotProcess, launch_bot, start_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")
HELP = "Here is what I can do"


def assert_no_token(api: FakeBotApi, output: str) -> None:
    secret = api.token.partition(":")[2]
    assert secret not in output, output
    assert output.strip(), "the bot wrote nothing, so the check proves nothing"


async def ask_for_help(api: FakeBotApi) -> None:
    api.user_sends(ADMIN, "/help")
    await api.wait_for_message(ADMIN_ID, contains=HELP, timeout=30)


async def stop(bot: BotProcess) -> None:
    bot.process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(bot.process.wait(), 20)
    assert bot.process.returncode == 0, bot.output()


async def test_the_token_is_in_no_line_through_calls_and_failures(
        api: FakeBotApi, framework: str, bot_clock: ShiftedClock, tmp_path: Path) -> None:
    bot = await start_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")
    api.user_sends(ADMIN, "/lang")
    choose = await api.wait_for_message(ADMIN_ID, contains="Choose your language")
    api.user_presses(ADMIN, choose, button="English")
    await api.wait_for_message(ADMIN_ID, contains="I will speak English")
    for _ in range(3):  # one reply a second to a chat, as Telegram allows
        await ask_for_help(api)
    # A file both ways: getFile, then a download from a URL that holds the token too.
    api.user_sends_document(ADMIN, "clients.csv", b"Client name,Class\nInitech,B\n")
    await api.wait_for_message(ADMIN_ID, contains="can be imported")

    # Replies: a server error and a cut connection are retried, a 401 is given up.
    api.fail_next("sendMessage", 500)
    await ask_for_help(api)
    api.drop_next("sendMessage")
    await ask_for_help(api)
    api.fail_next("sendMessage", 401, description="Unauthorized")
    api.user_sends(ADMIN, "/help")
    await api.wait_for_call("sendMessage", lambda call: call.status == 401)
    # The long poll: each failure waits and polls again.
    for fail in (lambda: api.fail_next("getUpdates", 502), lambda: api.drop_next("getUpdates"),
                 lambda: api.fail_next("getUpdates", 401, description="Unauthorized")):
        fail()
        await ask_for_help(api)
    async with api.offline():
        await asyncio.sleep(1)
    await ask_for_help(api)
    await stop(bot)

    assert len(api.requests) > 40, len(api.requests)
    assert {r.status for r in api.requests} >= {200, 401, 500, 502, None}  # None: cut unanswered
    assert_no_token(api, bot.output())


async def test_a_rejected_token_stops_the_bot_without_printing_it(framework: str, bot_clock: ShiftedClock,
                                                                  tmp_path: Path) -> None:
    # Telegram answers 401 to a revoked token: the bot cannot start, and says so without the token.
    async with FakeBotApi(accepted_tokens=()) as api:
        bot = await launch_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
        await asyncio.wait_for(bot.process.wait(), 30)
        # Exit 2, as for a bad setting, so systemd's RestartPreventExitStatus=2 does not restart it
        # forever; one line that says why, no traceback.
        assert bot.process.returncode == 2
        assert "Telegram refused the bot's credentials" in bot.output()
        assert "Traceback" not in bot.output()
        assert api.tokens_used == {api.token}
        assert_no_token(api, bot.output())
