"""aiogram 3 adapter: long polling in, actions out through the shared delivery path."""

from __future__ import annotations

import json
import logging
from typing import Any, ClassVar

from aiogram import Bot, methods
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    Document,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)

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
from bot.transports.polling import ALLOWED_UPDATES, POLL_TIMEOUT, Incoming, serve
from bot.transports.retry import until_reachable

log = logging.getLogger(__name__)

class _SendText(TelegramMethod[dict[str, Any] | bool]):
    """``sendMessage`` as our replies use it, its answer kept as the API's JSON.

    Why not aiogram's ``SendMessage``: the core needs only the sent message's id, and aiogram builds
    its whole ``Message`` from the answer, each entity and button through a Python validator (0.35 ms
    for a reply with a keyboard), and the keyboard's models on the way out (0.3 ms more). Errors come
    back as aiogram's exceptions all the same."""

    __returning__: ClassVar[Any] = dict[str, Any] | bool
    __api_method__: ClassVar[str] = "sendMessage"

    chat_id: int
    text: str
    parse_mode: str = "HTML"
    reply_markup: str | None = None  # JSON, as Telegram reads it in a form


class _EditText(_SendText):
    """``editMessageText``, the same way."""

    __api_method__: ClassVar[str] = "editMessageText"

    message_id: int


def _keyboard_json(action: Send | Edit) -> str | None:
    keyboard = inline_keyboard(action.buttons)
    return None if keyboard is None else json.dumps(keyboard, ensure_ascii=False)


# aiogram reads every answer from Telegram as ``Response[method.__returning__]``, a pydantic generic
# class that pydantic's cache holds only weakly. In the running bot it was being built again (7-30 ms,
# seen in a profile of the getUpdates answer) on the update after each question at 25,000 visits,
# whose work on the core thread had set the garbage collector going. Holding the classes here
# keeps them built: the update after a question went from 14-17 ms to 5-6 ms end to end.
_RESPONSE_TYPES = tuple(Response[method.__returning__] for method in (  # type: ignore[name-defined]
    _SendText, methods.GetUpdates, methods.AnswerCallbackQuery, methods.SendDocument,
    methods.AnswerInlineQuery, methods.SetMyCommands, methods.GetMe, methods.DeleteWebhook,
    methods.GetFile))


class AiogramPerformer:
    """Carries out one action with aiogram, translating its errors for ``Delivery``."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def perform(self, action: Action) -> int | None:
        try:
            return await self._call(action)
        except TelegramRetryAfter as error:
            raise RetryAfter(error.retry_after) from error
        except TelegramForbiddenError as error:
            raise Blocked(error.message) from error
        except (TelegramServerError, TelegramNetworkError) as error:
            raise Transient(str(error)) from error
        except TelegramBadRequest as error:
            if "message is not modified" in error.message:
                return None  # the same text pressed twice: nothing to change is success
            raise Rejected(error.message) from error
        except TelegramAPIError as error:
            raise Rejected(error.message) from error

    async def _call(self, action: Action) -> int | None:
        bot = self._bot
        if isinstance(action, Send):
            answer = await bot(_SendText(chat_id=action.chat_id, text=action.text,
                                         reply_markup=_keyboard_json(action)))
            return int(answer["message_id"]) if isinstance(answer, dict) else None
        if isinstance(action, Edit):
            await bot(_EditText(chat_id=action.chat_id, message_id=action.message_id, text=action.text,
                                reply_markup=_keyboard_json(action)))
            return action.message_id
        if isinstance(action, AnswerCallback):
            await bot.answer_callback_query(action.callback_id, text=action.text or None,
                                            show_alert=action.alert)
            return None
        if isinstance(action, SendDocument):
            sent = await bot.send_document(action.chat_id, BufferedInputFile(action.content, action.filename),
                                           caption=action.caption or None, parse_mode="HTML")
            return sent.message_id
        if isinstance(action, AnswerInline):
            results = [InlineQueryResultArticle(
                id=a.id, title=a.title, description=a.description or None,
                input_message_content=InputTextMessageContent(message_text=a.text, parse_mode="HTML"))
                for a in action.results]
            # Personal and uncached: each person's answer depends on who they are and on the minute.
            await bot.answer_inline_query(action.inline_id, results=list(results), cache_time=0,
                                          is_personal=True)
            return None
        if isinstance(action, SetCommands):
            commands = [BotCommand(command=name, description=text) for name, text in action.commands]
            scope = BotCommandScopeChat(chat_id=action.chat_id) if action.chat_id is not None else None
            await bot.set_my_commands(commands, scope=scope, language_code=action.language_code or None)
        return None


async def _download(bot: Bot, document: Document) -> IncomingFile:
    """The sent file with its content, unless it is too large or cannot be fetched (getFile + URL)."""
    size = document.file_size or 0
    meta = IncomingFile(document.file_name or "document", document.mime_type or "", size)
    if meta.too_large:
        return meta
    try:
        file = await bot.get_file(document.file_id)
        if file.file_path is None:
            return meta
        data = await bot.download_file(file.file_path)
    except TelegramAPIError:
        log.warning("could not download %r", meta.name, exc_info=True)
        return meta
    if data is None:
        return meta
    content = data.read()
    return IncomingFile(meta.name, meta.mime_type, len(content), content)


def _user(source: object) -> User:
    return User(
        id=getattr(source, "id", 0),
        first_name=getattr(source, "first_name", "") or "",
        last_name=getattr(source, "last_name", "") or "",
        username=getattr(source, "username", "") or "",
        language_code=getattr(source, "language_code", "") or "",
    )


def _incoming(bot: Bot, update: Update) -> Incoming:
    """The core's event for an update (a sent file is downloaded first, aside)."""
    if update.message is not None:
        message, sender = update.message, update.message.from_user
        if sender is None:
            return Incoming(update.update_id)
        if message.document is not None:
            document = message.document

            async def with_document() -> Event:
                return Event(_user(sender), message.chat.id, message.chat.type, text=message.caption,
                             document=await _download(bot, document))

            return Incoming(update.update_id, download=with_document)
        if message.text is None:
            return Incoming(update.update_id)
        return Incoming(update.update_id, Event(_user(sender), message.chat.id, message.chat.type,
                                                text=message.text))
    if update.callback_query is not None:
        query = update.callback_query
        pressed = query.message
        chat_id = pressed.chat.id if pressed is not None else query.from_user.id
        # The chat's type matters: a button in a group must answer with what the group may see.
        chat_type = pressed.chat.type if pressed is not None else "private"
        return Incoming(update.update_id, Event(
            _user(query.from_user), chat_id, chat_type, callback_data=query.data or "",
            callback_id=query.id, message_id=pressed.message_id if pressed is not None else None))
    if update.inline_query is not None:
        inline = update.inline_query
        return Incoming(update.update_id, Event(_user(inline.from_user), inline.from_user.id, "inline",
                                                text=inline.query, inline_id=inline.id))
    return Incoming(update.update_id)


async def run_aiogram(runner: Runner, token: str, api_url: str) -> int:
    """Polls until stopped (SIGINT/SIGTERM)."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
    bot = Bot(token, session=session)
    runner.delivery = Delivery(AiogramPerformer(bot), limiter=RateLimiter())
    # The HTTP request outlasts the long poll it carries.
    request_timeout = int(session.timeout + POLL_TIMEOUT)

    async def fetch(offset: int | None, wait: int) -> list[Incoming]:
        updates = await bot.get_updates(offset=offset, timeout=wait,
                                        allowed_updates=list(ALLOWED_UPDATES),
                                        request_timeout=request_timeout)
        return [_incoming(bot, update) for update in updates]

    try:
        me = await until_reachable(bot.get_me, (TelegramNetworkError, TelegramServerError))
        runner.dispatcher.services.bot_username = me.username or runner.dispatcher.services.bot_username
        await bot.delete_webhook(drop_pending_updates=False)
        await serve(runner, fetch, "aiogram")
    finally:
        await bot.session.close()
    return 0
