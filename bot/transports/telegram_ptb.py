"""python-telegram-bot 22 adapter: long polling in, actions out through the shared delivery path."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
    Update,
)
from telegram import User as TgUser
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.error import RetryAfter as TgRetryAfter
from telegram.request import HTTPXRequest

from bot.core.delivery import Blocked, Delivery, Rejected, RetryAfter, Transient
from bot.core.events import (
    Action,
    AnswerCallback,
    AnswerInline,
    Edit,
    Event,
    IncomingFile,
    Send,
    SendDocument,
    SetCommands,
    User,
)
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.transports.common import inline_keyboard
from bot.transports.polling import ALLOWED_UPDATES, Incoming, serve
from bot.transports.retry import until_reachable

log = logging.getLogger(__name__)
# Connections for sending, as python-telegram-bot's Application opens them by default.
SEND_CONNECTIONS = 256


class PtbPerformer:
    """Carries out one action with python-telegram-bot, translating its errors for ``Delivery``."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

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
        # Replies go out as the API's plain parameters and come back as its JSON (``do_api_request``
        # without a return type): the core needs only the message id, and building python-telegram-
        # bot's keyboard objects and then a ``Message`` from the answer (each entity and button an
        # object) took 0.36 + 0.66 ms of a reply with a keyboard. Method names are case-insensitive
        # in the Bot API; the lower-case spelling keeps ``do_api_request`` from warning that
        # ``Bot.send_message`` exists.
        if isinstance(action, Send):
            answer = await bot.do_api_request("sendmessage", api_kwargs=_text_parameters(action))
            return int(answer["message_id"]) if isinstance(answer, dict) else None
        if isinstance(action, Edit):
            await bot.do_api_request("editmessagetext",
                                     api_kwargs={**_text_parameters(action), "message_id": action.message_id})
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


def _text_parameters(action: Send | Edit) -> dict[str, Any]:
    parameters: dict[str, Any] = {"chat_id": action.chat_id, "text": action.text, "parse_mode": "HTML"}
    keyboard = inline_keyboard(action.buttons)
    if keyboard is not None:
        parameters["reply_markup"] = keyboard
    return parameters


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


def _incoming(update: Update) -> Incoming:
    """The core's event for an update (a sent file is downloaded first, aside)."""
    message = update.message
    if message is not None and message.document is not None:
        async def with_document() -> Event | None:
            return _event(update, await _download(update))

        return Incoming(update.update_id, download=with_document)
    return Incoming(update.update_id, _event(update))


async def run_ptb(runner: Runner, token: str, api_url: str) -> int:
    """Polls until SIGINT/SIGTERM."""
    # As python-telegram-bot's Application sets it up: many connections for sending (a burst of
    # nudges goes out side by side), and getUpdates on its own so a long poll never holds a send up.
    bot = Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot",
              request=HTTPXRequest(connection_pool_size=SEND_CONNECTIONS), get_updates_request=HTTPXRequest())
    runner.delivery = Delivery(PtbPerformer(bot), limiter=RateLimiter())

    async def fetch(offset: int | None, wait: int) -> list[Incoming]:
        updates = await bot.get_updates(offset=offset, timeout=wait, allowed_updates=ALLOWED_UPDATES)
        return [_incoming(update) for update in updates]

    await until_reachable(bot.initialize, (NetworkError,))
    services = runner.dispatcher.services
    services.bot_username = bot.username or services.bot_username
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await serve(runner, fetch, "python-telegram-bot")
    finally:
        await bot.shutdown()
    return 0
