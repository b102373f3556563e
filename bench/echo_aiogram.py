"""A bare echo bot on aiogram 3 written the framework's way (its dispatcher's long polling, the
same API server setting as our bot), for ``bench.e2e`` to compare reply latency with.
``python -m bench.echo_aiogram`` with ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_URL`` set."""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import Message


async def run(token: str, api_url: str) -> None:
    bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(api_url)))
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        """Says the text back."""
        if message.text is not None:
            await bot.send_message(message.chat.id, message.text)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await bot.delete_webhook(drop_pending_updates=False)
    await dispatcher.start_polling(bot, handle_signals=True, close_bot_session=True)


if __name__ == "__main__":
    asyncio.run(run(os.environ["TELEGRAM_BOT_TOKEN"], os.environ["TELEGRAM_API_URL"]))
