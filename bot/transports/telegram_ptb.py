"""python-telegram-bot 22 adapter: long polling in, actions out through the shared delivery path."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import timedelta

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    Update,
)
from telegram import User as TgUser
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.error import RetryAfter as TgRetryAfter
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.core.delivery import Blocked, Delivery, Rejected, RetryAfter, Transient
from bot.core.events import (
    Action,
    AnswerCallback,
    AnswerInline,
    Edit,
    Event,
    IncomingFile,
    Keyboard,
    Send,
    SendDocument,
    SetCommands,
    User,
    plain_label,
)
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.scheduling import start_scheduler
from bot.transports.common import default_menus
from bot.transports.retry import until_reachable

log = logging.getLogger(__name__)


class PtbPerformer:
    """Carries out one action with python-telegram-bot, translating its errors for ``Delivery``."""

    def __init__(self, application: Application) -> None:  # type: ignore[type-arg]
        self._bot = application.bot

    async def perform(self, action: Action) -> int | None:
        try:
            return await self._call(action)
        except TgRetryAfter as error:
            wait = error.retry_after
            raise RetryAfter(wait.total_seconds() if isinstance(wait, timedelta) else float(wait)) from error
        except Forbidden as error:
            raise Blocked(error.message) from error
        except BadRequest as error:  # before NetworkError: PTB makes BadRequest a NetworkError
            if "message is not modified" in error.message.lower():
                return None
            raise Rejected(error.message) from error
        except NetworkError as error:
            raise Transient(error.message) from error
        except TelegramError as error:
            raise Rejected(error.message) from error

    async def _call(self, action: Action) -> int | None:
        bot = self._bot
        if isinstance(action, Send):
            sent = await bot.send_message(action.chat_id, action.text, parse_mode="HTML",
                                          reply_markup=_markup(action.buttons))
            return int(sent.message_id)
        if isinstance(action, Edit):
            await bot.edit_message_text(action.text, chat_id=action.chat_id, message_id=action.message_id,
                                        parse_mode="HTML", reply_markup=_markup(action.buttons))
            return action.message_id
        if isinstance(action, AnswerCallback):
            await bot.answer_callback_query(action.callback_id, text=action.text or None,
                                            show_alert=action.alert)
            return None
        if isinstance(action, SendDocument):
            document = InputFile(action.content, filename=action.filename)
            sent = await bot.send_document(action.chat_id, document, caption=action.caption or None,
                                           parse_mode="HTML")
            return int(sent.message_id)
        if isinstance(action, AnswerInline):
            results = [InlineQueryResultArticle(a.id, a.title,
                                                InputTextMessageContent(a.text, parse_mode="HTML"),
                                                description=a.description or None) for a in action.results]
            # Personal and uncached: each person's answer depends on who they are and on the minute.
            await bot.answer_inline_query(action.inline_id, results, cache_time=0, is_personal=True)
            return None
        if isinstance(action, SetCommands):
            commands = [BotCommand(name, text) for name, text in action.commands]
            scope = BotCommandScopeChat(action.chat_id) if action.chat_id is not None else None
            await bot.set_my_commands(commands, scope=scope, language_code=action.language_code or None)
        return None


def _markup(buttons: Keyboard) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(plain_label(b), url=b.url) if b.url
         else InlineKeyboardButton(plain_label(b), callback_data=b.data) for b in row]
        for row in buttons
    ])


def _user(user: TgUser) -> User:
    return User(user.id, user.first_name or "", user.last_name or "", user.username or "",
                user.language_code or "")


def _event(update: Update, document: IncomingFile | None = None) -> Event | None:
    inline = update.inline_query
    if inline is not None:
        return Event(_user(inline.from_user), inline.from_user.id, "inline", text=inline.query,
                     inline_id=inline.id)
    query = update.callback_query
    if query is not None:
        message = query.message
        chat_id = message.chat.id if message is not None else query.from_user.id
        # The chat's type matters: a button in a group must answer with what the group may see.
        chat_type = message.chat.type if message is not None else "private"
        return Event(_user(query.from_user), chat_id, chat_type, callback_data=query.data or "",
                     callback_id=query.id, message_id=message.message_id if message is not None else None)
    message = update.message
    if message is None or message.from_user is None:
        return None
    if document is not None:
        return Event(_user(message.from_user), message.chat.id, message.chat.type, text=message.caption,
                     document=document)
    if message.text is None:
        return None
    return Event(_user(message.from_user), message.chat.id, message.chat.type, text=message.text)


async def _download(update: Update) -> IncomingFile | None:
    """The document of a message with its content, unless too large or unreachable (getFile + URL)."""
    message = update.message
    if message is None or message.document is None:
        return None
    document = message.document
    meta = IncomingFile(document.file_name or "document", document.mime_type or "", document.file_size or 0)
    if meta.too_large:
        return meta
    try:
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray())
    except TelegramError:
        log.warning("could not download %r", meta.name, exc_info=True)
        return meta
    return IncomingFile(meta.name, meta.mime_type, len(content), content)


async def run_ptb(runner: Runner, token: str, api_url: str) -> int:
    """Polls until SIGINT/SIGTERM."""
    application = (Application.builder().token(token).base_url(f"{api_url}/bot")
                   .base_file_url(f"{api_url}/file/bot").concurrent_updates(True).build())
    runner.delivery = Delivery(PtbPerformer(application), limiter=RateLimiter())

    async def on_update(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        event = _event(update, await _download(update))
        if event is not None:
            await runner.process(event)

    application.add_handler(TypeHandler(Update, on_update))
    await until_reachable(application.initialize, (NetworkError,))
    services = runner.dispatcher.services
    services.bot_username = application.bot.username or services.bot_username
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await runner.push(default_menus(runner))
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(bootstrap_retries=-1, drop_pending_updates=False)
        scheduler = start_scheduler(runner)
        log.info("python-telegram-bot polling as @%s", services.bot_username)
        await stop.wait()
        scheduler.shutdown(wait=False)
        await application.updater.stop()
        await application.stop()
    finally:
        await application.shutdown()
    return 0
