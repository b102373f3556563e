"""Entry point: read settings, open the database, build the core, run the chosen transport."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot import bootstrap
from bot.core.runner import Runner
from bot.documents.importing import drop_oversized_pending
from bot.domain.policy import PolicyError
from bot.domain.workdays import WorkdaysError
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import DamagedData, Database, DatabaseError
from bot.transports.console import CONSOLE_USER_ID, run_console

log = logging.getLogger("bot")

# Telegram-style language codes for the console user, from the configured default locale.
CONSOLE_LANGUAGE = {"zh_Hans": "zh-hans", "zh_Hant": "zh-hant", "en": "en"}


def main() -> int:
    """Runs the bot; returns the process exit code (2 for a bad setting or unreadable data)."""
    # Until a transport takes over SIGTERM, stopping the service (systemd) ends the bot cleanly too.
    signal.signal(signal.SIGTERM, _stop)
    try:
        settings = load_settings()
        configure_logging(settings.secret)  # once the secret is known, so that it can be masked
        console = settings.console
        if console:
            # The person at the keyboard is the local admin.
            admins = settings.bot_admin_ids | {CONSOLE_USER_ID}
            settings = settings.model_copy(update={"bot_admin_ids": admins})
        drop_oversized_pending(settings.bot_data_dir)
        db = Database.open(settings.bot_data_dir)
    except (SettingsError, DatabaseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if console:
        logging.getLogger().setLevel(logging.WARNING)  # the chat is the output; logs only for trouble
    try:
        runner = Runner(bootstrap.build(settings, db=db))
    except (PolicyError, WorkdaysError) as error:
        db.close()
        print(f"error: {error}", file=sys.stderr)
        return 2
    except DamagedData as error:  # a document the repositories cannot read, found as they index
        db.give_up(error)  # as ``Database.open`` does: the files copied aside, nothing more written
        print(f"error: {error}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_run(runner, settings))
    except KeyboardInterrupt:
        return 0
    finally:
        runner.close()
        db.close()


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


async def _run(runner: Runner, settings: Settings) -> int:
    if settings.bot_platform == "feishu":
        from bot.transports.feishu import run_feishu  # imported only when chosen: the SDK is heavy

        return await run_feishu(runner, settings)
    token = settings.token
    if token is None:
        return await run_console(runner, CONSOLE_LANGUAGE[settings.bot_default_locale])
    if settings.bot_framework == "ptb":
        from bot.transports.telegram_ptb import run_ptb  # imported only when chosen: each is heavy

        return await run_ptb(runner, token, settings.telegram_api_url)
    from bot.transports.telegram_aiogram import run_aiogram

    return await run_aiogram(runner, token, settings.telegram_api_url)
