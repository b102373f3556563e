"""python-telegram-bot 22 adapter: long polling in, actions out through the shared delivery path."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineQueryResultArticle,
    InputFile,
    InputTextMessageContent,
)
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.error import RetryAfter as TgRetryAfter
from telegram.request import BaseRequest, HTTPXRequest, RequestData

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
# Connections, as python-telegram-bot's Application opens them for sending by default.
SEND_CONNECTIONS = 256


class JsonRequest(HTTPXRequest):
    """python-telegram-bot's HTTPX request, sending requests without files as one JSON object
    (``application/json``, which the Bot API takes for any method that uploads nothing) where it
    sends a urlencoded form. A reply's Chinese text is a third the size (three bytes a character,
    not nine) and both ends encode and decode it in C, not in ``urlencode`` and a form parser: a
    ``/today`` reply reached a local API server about a tenth of a millisecond sooner (measured
    apart; within the swing of ``bench.e2e``'s ratio). The library has no setting for it; this is
    its own ``do_request`` with JSON for the body, its timeouts and errors kept."""

    __slots__ = ()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,  # noqa: PLR0917 (the library's signature)
                         read_timeout: Any = BaseRequest.DEFAULT_NONE,
                         write_timeout: Any = BaseRequest.DEFAULT_NONE,
                         connect_timeout: Any = BaseRequest.DEFAULT_NONE,
                         pool_timeout: Any = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if request_data is None or request_data.contains_files:
            return await super().do_request(url, method, request_data, read_timeout, write_timeout,
                                            connect_timeout, pool_timeout)
        defaults = self._client.timeout
        timeout = httpx.Timeout(connect=_given(connect_timeout, defaults.connect),
                                read=_given(read_timeout, defaults.read),
                                write=_given(write_timeout, defaults.write),
                                pool=_given(pool_timeout, defaults.pool))
        # The values as JSON has them (an offset is 7, not the "7" of a form's ``json_parameters``).
        body = json.dumps(request_data.parameters, ensure_ascii=False).encode()
        try:
            answer = await self._client.request(
                method=method, url=url, content=body, timeout=timeout,
                headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"})
        except httpx.TimeoutException as error:
            raise TimedOut from error
        except httpx.HTTPError as error:  # the base of httpx's errors, after its timeouts
            raise NetworkError(f"httpx.{error.__class__.__name__}: {error}") from error
        return answer.status_code, answer.content


def _given(value: Any, default: float | None) -> float | None:
    """A timeout a call gave, else the request's own (python-telegram-bot's ``DefaultValue``)."""
    return default if isinstance(value, DefaultValue) else value


def request_for() -> JsonRequest:
    return JsonRequest(connection_pool_size=SEND_CONNECTIONS)


class PtbPerformer:
    """Carries out one action with python-telegram-bot, translating its errors for ``Delivery``."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def perform(self, action: Action) -> int | None:
        try:
            return await call(self, action)  # through this class's send, edit ... below
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

    # Replies go out as the API's plain parameters and come back as its JSON (``do_api_request``
    # without a return type): the core needs only the message id, and building python-telegram-
    # bot's keyboard objects and then a ``Message`` from the answer (each entity and button an
    # object) was a measurable part of a reply with a keyboard. Method names are case-insensitive
    # in the Bot API; the lower-case spelling keeps ``do_api_request`` from warning that
    # ``Bot.send_message`` exists.

    async def send(self, action: Send) -> int | None:
        answer = await self._bot.do_api_request("sendmessage", api_kwargs=_text_parameters(action))
        return int(answer["message_id"]) if isinstance(answer, dict) else None

    async def edit(self, action: Edit) -> None:
        parameters = {**_text_parameters(action), "message_id": action.message_id}
        await self._bot.do_api_request("editmessagetext", api_kwargs=parameters)

    async def answer_callback(self, action: AnswerCallback) -> None:
        await self._bot.answer_callback_query(action.callback_id, text=action.text or None,
                                              show_alert=action.alert)

    async def send_document(self, action: SendDocument) -> int:
        document = InputFile(action.content, filename=action.filename)
        sent = await self._bot.send_document(action.chat_id, document, caption=action.caption or None,
                                             parse_mode="HTML")
        return int(sent.message_id)

    async def answer_inline(self, action: AnswerInline) -> None:
        results = [InlineQueryResultArticle(a.id, a.title, InputTextMessageContent(a.text, parse_mode="HTML"),
                                            description=a.description or None) for a in action.results]
        # Personal and uncached: each person's answer depends on who they are and on the minute.
        await self._bot.answer_inline_query(action.inline_id, results, cache_time=0, is_personal=True)

    async def set_commands(self, action: SetCommands) -> None:
        commands = [BotCommand(name, text) for name, text in action.commands]
        scope = BotCommandScopeChat(action.chat_id) if action.chat_id is not None else None
        await self._bot.set_my_commands(commands, scope=scope, language_code=action.language_code or None)


def _text_parameters(action: Send | Edit) -> dict[str, Any]:
    parameters: dict[str, Any] = {"chat_id": action.chat_id, "text": action.text, "parse_mode": "HTML"}
    keyboard = inline_keyboard(action.buttons)
    if keyboard is not None:
        parameters["reply_markup"] = keyboard
    return parameters


def _downloader(bot: Bot) -> Download:
    async def download(file_id: str) -> bytes | None:
        """A sent file's content (getFile, then its URL); None if it cannot be fetched."""
        try:
            file = await bot.get_file(file_id)
            return bytes(await file.download_as_bytearray())
        except TelegramError:
            log.warning("could not download file %s", file_id, exc_info=True)
            return None

    return download


async def run_ptb(runner: Runner, token: str, api_url: str) -> int:
    """Polls until SIGINT/SIGTERM."""
    # Many connections, as python-telegram-bot's Application opens for sending: a burst of nudges
    # goes out side by side, and the long poll (sent through ``do_api_request``, so on this pool
    # too) takes one of them.
    bot = Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot",
              request=request_for())
    services = runner.dispatcher.services
    services.capabilities = TELEGRAM
    runner.delivery = Delivery(ToTelegram(PtbPerformer(bot), services.identities), limiter=RateLimiter(),
                               max_text=TELEGRAM.max_text)
    download = _downloader(bot)
    # The request outlasts the long poll it carries.
    read_timeout = (bot.request.read_timeout or 0) + POLL_TIMEOUT

    async def fetch(offset: int | None, wait: int) -> list[Incoming]:
        # As JSON, for ``bot.transports.updates`` (lower case, as for sendmessage above).
        parameters: dict[str, Any] = {"timeout": wait, "allowed_updates": list(ALLOWED_UPDATES)}
        if offset is not None:
            parameters["offset"] = offset
        updates = await bot.do_api_request("getupdates", api_kwargs=parameters, read_timeout=read_timeout)
        return [incoming(update, download) for update in updates] if isinstance(updates, list) else []

    try:
        await until_reachable(bot.initialize, (NetworkError,))
    except InvalidToken as error:
        return credentials_refused("Telegram", error)
    services = runner.dispatcher.services
    services.bot_username = bot.username or services.bot_username
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        await serve(runner, fetch, "python-telegram-bot")
    finally:
        await bot.shutdown()
    return 0
