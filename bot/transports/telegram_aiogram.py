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
    TelegramUnauthorizedError,
)
from aiogram.methods.base import Response, TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
)
from aiohttp import BytesPayload, FormData, Payload

from bot.core.delivery import Blocked, Delivery, Rejected, RetryAfter, Transient
from bot.core.events import (
    Action,
    AnswerCallback,
    AnswerInline,
    Edit,
    Send,
    SendDocument,
    SetCommands,
)
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from bot.transports.common import TELEGRAM, ToTelegram, call, inline_keyboard
from bot.transports.polling import ALLOWED_UPDATES, POLL_TIMEOUT, Incoming, serve
from bot.transports.retry import credentials_refused, until_reachable
from bot.transports.updates import Download, incoming

log = logging.getLogger(__name__)

class _SendText(TelegramMethod[dict[str, Any] | bool]):
    """``sendMessage`` as our replies use it, its answer kept as the API's JSON.

    Why not aiogram's ``SendMessage``: the core needs only the sent message's id, and aiogram builds
    its whole ``Message`` from the answer, each entity and button through a Python validator, and
    the keyboard's models on the way out: a measurable part of a reply with a keyboard. Errors come
    back as aiogram's exceptions all the same."""

    __returning__: ClassVar[Any] = dict[str, Any] | bool
    __api_method__: ClassVar[str] = "sendMessage"

    chat_id: int
    text: str
    parse_mode: str = "HTML"
    reply_markup: dict[str, Any] | None = None  # the API's JSON, as ``inline_keyboard`` makes it


class _GetUpdates(TelegramMethod[list[dict[str, Any]]]):
    """``getUpdates``, the updates kept as the API's JSON for ``bot.transports.updates``."""

    __returning__: ClassVar[Any] = list[dict[str, Any]]
    __api_method__: ClassVar[str] = "getUpdates"

    offset: int | None = None
    timeout: int | None = None
    allowed_updates: list[str] | None = None


class _EditText(_SendText):
    """``editMessageText``, the same way."""

    __api_method__: ClassVar[str] = "editMessageText"

    message_id: int


class _JsonBody(FormData):
    """A request's fields as one JSON object (``application/json``, which the Bot API takes for any
    method that uploads nothing), where aiogram sends a urlencoded form. A reply's Chinese text is a
    third the size (three bytes a character, not nine) and both ends encode and decode it in C,
    not in ``urlencode`` and a form parser: a ``/today`` reply reached a local API server about a
    tenth of a millisecond sooner (measured apart; within the swing of ``bench.e2e``'s ratio)."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__()
        self._body = json.dumps(fields, ensure_ascii=False).encode()

    def __call__(self) -> Payload:
        return BytesPayload(self._body, content_type="application/json")


class JsonSession(AiohttpSession):
    """aiogram's own session, sending requests without files as JSON (``_JsonBody``)."""

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        fields: dict[str, Any] = {}
        files: dict[str, InputFile] = {}
        for key, value in method.model_dump(warnings=False).items():
            # As aiogram prepares a value inside an object: numbers, flags and objects as JSON has
            # them, not as the text a form holds (an offset is 7, not "7").
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is not None:
                fields[key] = prepared
        if files:  # an upload: aiogram's multipart form
            return super().build_form_data(bot, method)
        return _JsonBody(fields)


def session_for(api_url: str) -> JsonSession:
    return JsonSession(api=TelegramAPIServer.from_base(api_url))


# aiogram reads every answer from Telegram as ``Response[method.__returning__]``, a pydantic generic
# class that pydantic's cache holds only weakly. In the running bot it was being built again (seen in a
# profile of the getUpdates answer) on the update after each question at 25,000 visits,
# whose work on the core thread had set the garbage collector going. Holding the classes here
# keeps them built, so the update after a question is as quick as any other.
_RESPONSE_TYPES = tuple(Response[method.__returning__] for method in (  # type: ignore[name-defined]
    _SendText, _GetUpdates, methods.AnswerCallbackQuery, methods.SendDocument,
    methods.AnswerInlineQuery, methods.SetMyCommands, methods.GetMe, methods.DeleteWebhook,
    methods.GetFile))


class AiogramPerformer:
    """Carries out one action with aiogram, translating its errors for ``Delivery``."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def perform(self, action: Action) -> int | None:
        try:
            return await call(self, action)  # through this class's send, edit ... below
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

    async def send(self, action: Send) -> int | None:
        answer = await self._bot(_SendText(chat_id=action.chat_id, text=action.text,
                                           reply_markup=inline_keyboard(action.buttons)))
        return int(answer["message_id"]) if isinstance(answer, dict) else None

    async def edit(self, action: Edit) -> None:
        await self._bot(_EditText(chat_id=action.chat_id, message_id=action.message_id, text=action.text,
                                  reply_markup=inline_keyboard(action.buttons)))

    async def answer_callback(self, action: AnswerCallback) -> None:
        await self._bot.answer_callback_query(action.callback_id, text=action.text or None,
                                              show_alert=action.alert)

    async def send_document(self, action: SendDocument) -> int:
        document = BufferedInputFile(action.content, action.filename)
        sent = await self._bot.send_document(action.chat_id, document, caption=action.caption or None,
                                             parse_mode="HTML")
        return sent.message_id

    async def answer_inline(self, action: AnswerInline) -> None:
        results = [InlineQueryResultArticle(
            id=a.id, title=a.title, description=a.description or None,
            input_message_content=InputTextMessageContent(message_text=a.text, parse_mode="HTML"))
            for a in action.results]
        # Personal and uncached: each person's answer depends on who they are and on the minute.
        await self._bot.answer_inline_query(action.inline_id, results=list(results), cache_time=0,
                                            is_personal=True)

    async def set_commands(self, action: SetCommands) -> None:
        commands = [BotCommand(command=name, description=text) for name, text in action.commands]
        scope = BotCommandScopeChat(chat_id=action.chat_id) if action.chat_id is not None else None
        await self._bot.set_my_commands(commands, scope=scope, language_code=action.language_code or None)


def _downloader(bot: Bot) -> Download:
    async def download(file_id: str) -> bytes | None:
        """A sent file's content (getFile, then its URL); None if it cannot be fetched."""
        try:
            file = await bot.get_file(file_id)
            data = None if file.file_path is None else await bot.download_file(file.file_path)
        except TelegramAPIError:
            log.warning("could not download file %s", file_id, exc_info=True)
            return None
        return None if data is None else data.read()

    return download


async def run_aiogram(runner: Runner, token: str, api_url: str) -> int:
    """Polls until stopped (SIGINT/SIGTERM)."""
    session = session_for(api_url)
    bot = Bot(token, session=session)
    services = runner.dispatcher.services
    services.capabilities = TELEGRAM
    runner.delivery = Delivery(ToTelegram(AiogramPerformer(bot), services.identities), limiter=RateLimiter(),
                               max_text=TELEGRAM.max_text)
    # The HTTP request outlasts the long poll it carries.
    request_timeout = int(session.timeout + POLL_TIMEOUT)

    download = _downloader(bot)

    async def fetch(offset: int | None, wait: int) -> list[Incoming]:
        updates = await bot(_GetUpdates(offset=offset, timeout=wait, allowed_updates=list(ALLOWED_UPDATES)),
                            request_timeout=request_timeout)
        return [incoming(update, download) for update in updates]

    try:
        try:
            me = await until_reachable(bot.get_me, (TelegramNetworkError, TelegramServerError))
        except TelegramUnauthorizedError as error:
            return credentials_refused("Telegram", error)
        runner.dispatcher.services.bot_username = me.username or runner.dispatcher.services.bot_username
        await bot.delete_webhook(drop_pending_updates=False)
        await serve(runner, fetch, "aiogram")
    finally:
        await bot.session.close()
    return 0
