"""A bare echo bot on python-telegram-bot 22 written the framework's way (its Application's long
polling, concurrent updates, the same API server setting as our bot), for ``bench.e2e`` to
compare reply latency with. ``python -m bench.echo_ptb`` with ``TELEGRAM_BOT_TOKEN`` and
``TELEGRAM_API_URL`` set."""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    """Says the text back."""
    message = update.message
    if message is not None and message.text is not None:
        await message.get_bot().send_message(message.chat.id, message.text)


def main() -> None:
    api_url = os.environ["TELEGRAM_API_URL"]
    application = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"]).base_url(f"{api_url}/bot")
                   .base_file_url(f"{api_url}/file/bot").concurrent_updates(True).build())
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(bootstrap_retries=-1, drop_pending_updates=False)


if __name__ == "__main__":
    main()
