"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests.

End-to-end tests run the real bot (aiogram 3 or python-telegram-bot 22, long polling) against this
server instead of api.telegram.org and play the users from pytest: ``user_sends`` / ``user_presses``
queue updates that the bot's ``getUpdates`` receives, and ``wait_for_message`` returns what the bot
answered, as the person would see it. The server behaves like Telegram where our tests depend on it:

* the envelope ``{"ok": true, "result": ...}`` / ``{"ok": false, "error_code", "description",
  "parameters"}`` and Telegram's status codes, so both frameworks raise their usual exceptions;
* JSON, urlencoded and multipart bodies. Both frameworks post forms -- urlencoded, or multipart when a
  file is uploaded -- with numbers/booleans as text and nested objects (``reply_markup``, ``scope``...)
  as JSON text; they are decoded back so ``ApiRequest.params`` holds real ints, bools and dicts;
* long polling with ``offset`` confirmation, ``timeout``, ``limit`` and ``allowed_updates``; a second
  concurrent ``getUpdates`` terminates the first with ``409 Conflict`` as Telegram does;
* strict HTML parse mode (see :mod:`.parse_mode`), text and caption length limits, ``callback_data`` of at
  most 64 bytes, "message is not modified" on no-op edits, unknown callback queries;
* failure injection (429 with ``retry_after``, 5xx, 403 blocked, a connection cut mid-request), blocked
  chats, and going offline.

Going offline (:meth:`FakeBotApi.go_offline`) has two modes, both seen by the frameworks as a network
problem that long polling survives:

``"refuse"`` (default)
    the listening socket is closed, so new connections get ``ECONNREFUSED``, and open keep-alive
    connections are dropped. aiogram raises ``TelegramNetworkError``, python-telegram-bot
    ``NetworkError``. This is what "Telegram is unreachable" looks like.
``"502"``
    every request is answered ``502 {"ok": false, "error_code": 502, "description": "Bad Gateway"}``.
    aiogram raises ``TelegramServerError``, python-telegram-bot ``NetworkError``.

Only ``127.0.0.1`` is ever bound; the port is chosen by the OS and kept across offline/online.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import mimetypes
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Collection, Mapping
from http import HTTPStatus
from typing import Any, Literal, Self, TypeVar

from aiohttp import web

from .models import (
    ApiRequest,
    BotMessage,
    CallbackAnswer,
    InjectedFailure,
    UploadedFile,
    UserLike,
    user_dict,
)
from .parse_mode import HtmlParseError, ParsedText, parse_html, trim, utf16_len

__all__ = ["DEFAULT_TOKEN", "ApiError", "Call", "FakeBotApi", "MethodHandler"]

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
DEFAULT_TOKEN = "123456789:TEST-fake_api_token"
TOKEN_RE = re.compile(r"\d+:[\w-]+")
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_UPLOAD = 50 * 1024 * 1024

#: Update types Telegram leaves out unless they are listed in ``allowed_updates`` explicitly.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
#: Form fields that are free text and must never be decoded as numbers/booleans/JSON.
STRING_FIELDS = frozenset(
    {
        "text", "caption", "data", "callback_query_id", "parse_mode", "url", "description",
        "short_description", "name", "title", "query", "language_code", "action", "emoji",
        "inline_message_id", "first_name", "last_name", "phone_number", "address", "question",
        "explanation", "file_id", "document", "photo", "secret_token",
    }
)  # fmt: skip
#: Fields whose value is a JSON object/array (sent as a JSON string in form data).
JSON_FIELDS = frozenset(
    {
        "reply_markup", "allowed_updates", "commands", "scope", "entities", "caption_entities",
        "link_preview_options", "reply_parameters", "media", "menu_button", "rights",
    }
)  # fmt: skip
#: Inline button fields that make a button do something (a button needs exactly one).
BUTTON_ACTIONS = frozenset(
    {
        "url", "callback_data", "web_app", "login_url", "switch_inline_query",
        "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
        "callback_game", "pay",
    }
)  # fmt: skip
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
#: Methods that write into a chat, so a blocked chat answers them with 403.
BLOCKABLE_PREFIXES = ("send", "edit", "copy", "forward")
#: Bot settings methods that are accepted and recorded (``bot_settings``) without further checks.
RECORDED_SETTERS = frozenset(
    {
        "setmydescription",
        "setmyshortdescription",
        "setmyname",
        "setchatmenubutton",
        "setmydefaultadministratorrights",
    }
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
BLOCKED = "Forbidden: bot was blocked by the user"
CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)

T = TypeVar("T")


class ApiError(Exception):
    """Raised by a method handler to answer ``{"ok": false, ...}`` with Telegram's status code."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def envelope(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(reason: str) -> ApiError:
    return ApiError(400, f"Bad Request: {reason}")


class Call:
    """The decoded parameters of one API call, with typed accessors that fail like Telegram."""

    def __init__(self, record: ApiRequest, bot_user: dict[str, Any], request: web.Request) -> None:
        self.record = record
        self.params = record.params
        self.files = record.files
        self.bot_user = bot_user
        self.request = request

    def has(self, key: str) -> bool:
        return self.params.get(key) not in (None, "")

    def string(self, key: str, default: str | None = None) -> str | None:
        value = self.params.get(key)
        return default if value in (None, "") else str(value)

    def integer(self, key: str, default: int | None = None) -> int | None:
        value = self.params.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            raise bad_request(f"wrong parameter {key}")
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {key}") from None

    def required_int(self, key: str, empty: str | None = None) -> int:
        value = self.integer(key)
        if value is None:
            raise bad_request(empty or f"{key} is empty")
        return value

    def number(self, key: str, default: float) -> float:
        value = self.params.get(key)
        if value in (None, ""):
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"wrong parameter {key}") from None

    def flag(self, key: str) -> bool:
        value = self.params.get(key)
        return value is True or (isinstance(value, str) and value.lower() == "true")

    def decoded(self, key: str, error: str) -> Any:
        value = self.params.get(key)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error) from None
        return value


MethodHandler = Callable[[Call], Awaitable[Any]]


def _decode_field(key: str, value: str) -> Any:
    """Decode a form field the way Telegram does: numbers, booleans and JSON are sent as strings."""
    if key in STRING_FIELDS:
        return value
    if key in JSON_FIELDS or value[:1] in ("{", "["):
        with contextlib.suppress(ValueError):
            return json.loads(value)
        return value
    if value in ("true", "false"):
        return value == "true"
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    return value


class FakeBotApi:
    """A fake Bot API server; start it in the test's event loop and point the bot at :attr:`url`.

    The ``wait_for_*`` helpers take a plain ``timeout`` in seconds (hence the ASYNC109 waivers): a
    deadline that ends in an AssertionError describing what did happen reads better in a failing test
    than a bare ``TimeoutError`` from ``asyncio.timeout``.

    Usage::

        async with FakeBotApi() as api:
            # run the bot with TELEGRAM_API_URL=api.url and TELEGRAM_BOT_TOKEN=api.token
            await api.wait_for_polling()
            alice = FakeUser(id=1001, first_name="Alice")
            api.user_sends(alice, "/start")
            reply = await api.wait_for_message(alice.id, contains="Welcome")
            api.user_presses(alice, reply, button="Help")
    """

    def __init__(
        self,
        *,
        bot_username: str = "reception_test_bot",
        bot_first_name: str = "Reception Test Bot",
        token: str = DEFAULT_TOKEN,
        accepted_tokens: Collection[str] | None = None,
        strict_chats: bool = False,
    ) -> None:
        """``accepted_tokens``: if given, other well-formed tokens get ``401 Unauthorized``.
        ``strict_chats``: sending to a chat no user has written from yet gets ``400 chat not found``
        (Telegram's answer when a bot tries to start a conversation), instead of inventing the chat.
        """
        if not TOKEN_RE.fullmatch(token):
            raise ValueError(f"token must look like '<digits>:<letters>', got {token!r}")
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.accepted_tokens = None if accepted_tokens is None else frozenset(accepted_tokens)
        self.strict_chats = strict_chats

        #: Every request, in arrival order.
        self.requests: list[ApiRequest] = []
        #: Every token a client used.
        self.tokens_used: set[str] = set()
        #: Commands per (scope as sorted JSON, language_code); see :meth:`commands`.
        self._commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        #: Parameters of recorded bot settings calls, by (method lower-case, language_code).
        self.bot_settings: dict[tuple[str, str], dict[str, Any]] = {}
        #: (chat_id, action) for every sendChatAction.
        self.chat_actions: list[tuple[int, str]] = []
        #: (chat_id, message_id) of every message the bot deleted.
        self.deleted: list[tuple[int, int]] = []
        self.webhook_url = ""

        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._port: int | None = None
        self._offline: Literal["refuse", "502"] | None = None
        self._stopping = False
        self._changed = asyncio.Event()

        self._update_ids = itertools.count(700_000_001)
        self._message_ids = itertools.count(1)
        self._query_ids = itertools.count(9_100_001)
        self._file_ids = itertools.count(1)
        self._pending: list[dict[str, Any]] = []  # unconfirmed updates, oldest first
        self._delivered: set[int] = set()  # update_ids returned by getUpdates at least once
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._polls_waiting = 0
        self._inflight = 0  # non-getUpdates requests being handled
        self._last_activity = 0.0  # loop time of the last non-polling activity

        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}  # current payloads, users' and bot's
        self._bot_message_keys: set[tuple[int, int]] = set()
        self._documents: dict[tuple[int, int], UploadedFile] = {}
        self._events: list[BotMessage] = []
        self._consumed: set[int] = set()
        self._files: dict[str, tuple[UploadedFile, str]] = {}  # file_id -> (file, file_path)
        self._queries: dict[str, dict[str, Any]] = {}
        self._answers: dict[str, CallbackAnswer] = {}
        self._failures: list[InjectedFailure] = []
        self._drops: dict[str, int] = {}  # method (lower case) -> calls still to cut without an answer
        self._blocked: set[int] = set()
        self._extra_methods: dict[str, MethodHandler] = {}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in the running event loop."""
        if self._runner is not None:
            raise RuntimeError("FakeBotApi is already running")
        app = web.Application(client_max_size=MAX_UPLOAD)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0, handle_signals=False)
        await self._runner.setup()
        self._stopping = False
        await self._bind(0)
        return self

    async def stop(self) -> None:
        """Stop serving; waiting long polls return at once so shutdown never hangs."""
        self._stopping = True
        self._bump()
        if self._runner is not None:
            runner, self._runner, self._site = self._runner, None, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:40123`` (methods live under ``/bot<token>/<method>``)."""
        return f"http://{HOST}:{self.port}"

    async def _bind(self, port: int) -> None:
        assert self._runner is not None
        site = web.TCPSite(self._runner, HOST, port, reuse_address=True)
        await site.start()
        self._site = site
        (address,) = self._runner.addresses  # only this site is bound: learn the port the OS picked
        self._port = int(address[1])

    async def go_offline(self, mode: Literal["refuse", "502"] = "refuse") -> None:
        """Make the API unreachable until :meth:`go_online` (see the module docstring for the modes)."""
        if self._runner is None:
            raise RuntimeError("FakeBotApi is not started")
        self._offline = mode
        if mode == "refuse":
            if self._site is not None:
                site, self._site = self._site, None
                await site.stop()
            server = self._runner.server
            if server is not None:
                for connection in list(server.connections):
                    connection.force_close()
        self._bump()

    async def go_online(self) -> None:
        """Serve again on the same port."""
        if self._runner is None:
            raise RuntimeError("FakeBotApi is not started")
        mode, self._offline = self._offline, None
        if mode == "refuse" and self._site is None:
            await self._bind(self.port)
        self._bump()

    @contextlib.asynccontextmanager
    async def offline(self, mode: Literal["refuse", "502"] = "refuse") -> AsyncIterator[None]:
        """``async with api.offline(): ...`` -- unreachable inside the block, back online after it."""
        await self.go_offline(mode)
        try:
            yield
        finally:
            await self.go_online()

    # ------------------------------------------------------------------ playing the users

    def push_update(self, update: Mapping[str, Any]) -> dict[str, Any]:
        """Queue any update (a dict without ``update_id``); it gets the next id and is returned."""
        full = {"update_id": next(self._update_ids), **{k: v for k, v in update.items() if k != "update_id"}}
        self._pending.append(full)
        self._bump()
        return full

    def register_chat(self, chat: Mapping[str, Any]) -> dict[str, Any]:
        """Make a chat known (id, type, title/first_name...) so messages in it carry these fields."""
        stored = dict(chat)
        self._chats[int(stored["id"])] = stored
        return stored

    def user_sends(
        self,
        user: UserLike,
        text: str,
        chat_id: int | None = None,
        *,
        chat_title: str | None = None,
        reply_to: BotMessage | Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Queue a text message from ``user``; returns the update.

        The chat is the private chat with the user unless ``chat_id`` is given (negative ids are groups,
        ``-100...`` supergroups). Text starting with ``/`` carries a ``bot_command`` entity, as Telegram
        adds one and both frameworks' command filters rely on it.
        """
        sender = user_dict(user)
        message = self._user_message(sender, chat_id, chat_title, reply_to)
        message["text"] = text
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self.push_update({"message": message})

    def user_sends_document(
        self,
        user: UserLike,
        filename: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Queue a document message from ``user``; the bot can fetch it with getFile + download."""
        sender = user_dict(user)
        message = self._user_message(sender, chat_id, None, None)
        stored = self._store_file(filename, content, mime_type)
        message["document"] = self._document_object(stored)
        if caption:
            message["caption"] = caption
        return self.push_update({"message": message})

    def user_presses(
        self,
        user: UserLike,
        message: BotMessage | Mapping[str, Any],
        data: str | None = None,
        *,
        button: str | None = None,
        check: bool = True,
    ) -> dict[str, Any]:
        """Queue a callback_query: ``user`` presses an inline button of a message the bot sent.

        Give the button's ``data`` or its visible text as ``button``. With ``check`` (default) the
        button must be on the message as it is now -- a person cannot press a button that was edited
        away. The callback_query carries the current version of the message. Returns the update; the
        query id is ``update["callback_query"]["id"]`` (see :meth:`wait_for_callback_answer`).
        """
        chat_id, message_id = self._message_key(message)
        current = self._messages.get((chat_id, message_id))
        if current is None or (chat_id, message_id) not in self._bot_message_keys:
            raise ValueError(f"message {message_id} in chat {chat_id} was not sent by the bot")
        if (chat_id, message_id) in self.deleted:
            raise ValueError(f"message {message_id} in chat {chat_id} was deleted")
        snapshot = self._latest_snapshot(chat_id, message_id)
        if button is not None:
            data = snapshot.callback_data(button)
        if data is None:
            raise ValueError("give the button's callback data or its text (button=...)")
        available = [b.get("callback_data") for row in snapshot.buttons for b in row]
        if check and data not in available:
            raise ValueError(f"message {message_id} has no button with data {data!r}; it has {available}")
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user_dict(user),
            "message": json.loads(json.dumps(current)),
            "chat_instance": str(abs(chat_id) * 7919 % 10**12),
            "data": data,
        }
        self._queries[query_id] = query
        return self.push_update({"callback_query": query})

    # ------------------------------------------------------------------ waiting and assertions

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[BotMessage], bool] | None = None,
        timeout: float = 10,  # noqa: ASYNC109
        *,
        contains: str | None = None,
    ) -> BotMessage:
        """The earliest bot message (sent or edited) to ``chat_id`` not returned by an earlier wait that
        matches ``predicate`` and/or contains ``contains`` in its visible text; it is then consumed.

        Raises AssertionError after ``timeout`` seconds, listing what the chat did receive and the API
        errors the bot got for it (a 400 "can't parse entities" is the usual reason for silence).
        """

        def matches(event: BotMessage) -> bool:
            if event.seq in self._consumed or event.chat_id != chat_id:
                return False
            if contains is not None and contains not in (event.text or ""):
                return False
            return predicate is None or predicate(event)

        def find() -> BotMessage | None:
            return next((event for event in self._events if matches(event)), None)

        found = await self._wait_until(find, timeout)
        if found is None:
            wanted = f" containing {contains!r}" if contains is not None else ""
            wanted += " matching the predicate" if predicate is not None else ""
            summary = self.describe_chat(chat_id)
            raise AssertionError(f"no new bot message{wanted} to chat {chat_id} within {timeout}s\n{summary}")
        self._consumed.add(found.seq)
        return found

    async def expect_no_message(
        self, chat_id: int, within: float = 0.5, predicate: Callable[[BotMessage], bool] | None = None
    ) -> None:
        """Assert the bot sends/edits nothing new (matching ``predicate``) to ``chat_id`` for ``within`` s."""

        def find() -> BotMessage | None:
            return next(
                (
                    e
                    for e in self._events
                    if e.chat_id == chat_id
                    and e.seq not in self._consumed
                    and (predicate is None or predicate(e))
                ),
                None,
            )

        found = await self._wait_until(find, within)
        if found is not None:
            raise AssertionError(f"unexpected bot message to chat {chat_id}: {found}")

    async def wait_for_callback_answer(
        self,
        query: str | Mapping[str, Any],
        timeout: float = 10,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The bot's answerCallbackQuery for a press (query id, or the update from user_presses)."""
        query_id = query if isinstance(query, str) else str(query["callback_query"]["id"])
        answer = await self._wait_until(lambda: self._answers.get(query_id), timeout)
        if answer is None:
            raise AssertionError(f"callback query {query_id} was not answered within {timeout}s")
        return answer

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiRequest], bool] | None = None,
        timeout: float = 10,  # noqa: ASYNC109
        since: int = 0,
    ) -> ApiRequest:
        """The first logged request of ``method`` matching ``predicate``, from ``self.requests[since]``
        on (``since=len(api.requests)`` before acting: only what the bot does next). The search runs
        after every change on the server's own loop, so after thousands of requests a search of all of
        them would delay the very requests being waited for."""
        name = method.lower()

        def find() -> ApiRequest | None:
            return next((r for r in self.requests[since:]
                         if r.name == name and (predicate is None or predicate(r))), None)

        found = await self._wait_until(find, timeout)
        if found is None:
            seen = sorted({r.method for r in self.requests})
            raise AssertionError(f"no {method} call matching within {timeout}s; methods seen: {seen}")
        return found

    async def wait_for_polling(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until the bot is long-polling, i.e. it started and is ready to receive updates."""
        if await self._wait_until(lambda: self._polls_waiting > 0 or None, timeout) is None:
            raise AssertionError(
                f"the bot did not call getUpdates within {timeout}s; requests: {self._brief_log()}"
            )

    async def wait_for_delivery(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until every queued update was handed to the bot by getUpdates."""

        def done() -> bool | None:
            return all(u["update_id"] in self._delivered for u in self._pending) or None

        if await self._wait_until(done, timeout) is None:
            raise AssertionError(f"updates not fetched by the bot within {timeout}s: {self._pending}")

    async def wait_for_idle(self, quiet: float = 0.3, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Wait until all updates were fetched and the bot made no other request for ``quiet`` seconds.

        Useful before asserting that something did *not* happen.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            fetched = all(u["update_id"] in self._delivered for u in self._pending)
            if fetched and self._inflight == 0 and loop.time() - self._last_activity >= quiet:
                return
            if loop.time() >= deadline:
                raise AssertionError(f"the bot did not become idle within {timeout}s: {self._brief_log()}")
            await asyncio.sleep(0.02)

    # ------------------------------------------------------------------ inspection

    def messages(self, chat_id: int, *, include_deleted: bool = False) -> list[BotMessage]:
        """Every message the bot sent to ``chat_id``, each in its latest version, in sending order."""
        keys = sorted(k for k in self._bot_message_keys if k[0] == chat_id)
        return [self._latest_snapshot(*key) for key in keys if include_deleted or key not in self.deleted]

    def events(self, chat_id: int | None = None) -> list[BotMessage]:
        """Full history of sends and edits (optionally for one chat), oldest first."""
        return [e for e in self._events if chat_id is None or e.chat_id == chat_id]

    def calls(self, method: str) -> list[ApiRequest]:
        """Logged requests of one method (case-insensitive), oldest first."""
        name = method.lower()
        return [r for r in self.requests if r.name == name]

    def errors(self, chat_id: int | None = None) -> list[ApiRequest]:
        """Requests that were answered with an error (optionally only those about ``chat_id``)."""
        return [
            r
            for r in self.requests
            if r.status not in (None, 200) and (chat_id is None or _chat_of(r.params) == chat_id)
        ]

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """Commands set with setMyCommands for a scope (default scope if None) and language."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def all_commands(self) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """Every command list set, keyed by (scope as JSON, language_code)."""
        return dict(self._commands)

    def callback_answer(self, query_id: str) -> CallbackAnswer | None:
        return self._answers.get(query_id)

    def document(self, chat_id: int, message_id: int) -> UploadedFile | None:
        return self._documents.get((chat_id, message_id))

    def describe_chat(self, chat_id: int) -> str:
        """A readable summary of what happened in a chat, for assertion messages."""
        lines = [f"messages to chat {chat_id}:"]
        for event in self.events(chat_id):
            mark = "consumed" if event.seq in self._consumed else "new"
            document = f" document={event.document.filename!r}" if event.document else ""
            lines.append(
                f"  [{mark}] {event.event} #{event.message_id}: {event.text!r}{document} "
                f"buttons={event.button_texts}"
            )
        if len(lines) == 1:
            lines.append("  (none)")
        errors = self.errors(chat_id)
        if errors:
            lines.append("API errors for this chat:")
            lines += [f"  {r.method} -> {r.status} {r.description}" for r in errors]
        return "\n".join(lines)

    # ------------------------------------------------------------------ failure injection

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        times: int = 1,
        *,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` (``"*"``: any except getUpdates) with an error.

        429 carries ``parameters.retry_after``; 403 defaults to "bot was blocked by the user"; 5xx to the
        HTTP reason phrase. ``chat_id`` limits the failure to calls about that chat.
        """
        if description is None:
            if status == 429:
                description = f"Too Many Requests: retry after {retry_after}"
            elif status == 403:
                description = BLOCKED
            elif status == 400:
                description = "Bad Request"
            else:
                description = HTTPStatus(status).phrase
        self._failures.append(
            InjectedFailure(
                method=method,
                status=status,
                description=description,
                retry_after=retry_after if status == 429 else None,
                times=times,
                chat_id=chat_id,
            )
        )

    def drop_next(self, method: str, times: int = 1) -> None:
        """Cut the connection of the next ``times`` calls of ``method`` once their request is read, with
        no answer: what the bot sees when the server dies mid-request or a proxy cuts the line."""
        name = method.lower()
        self._drops[name] = self._drops.get(name, 0) + times

    def clear_failures(self) -> None:
        self._failures.clear()
        self._drops.clear()

    def set_blocked(self, chat_id: int, blocked: bool = True) -> None:
        """While blocked, every send/edit to ``chat_id`` is answered 403 "bot was blocked by the user"."""
        if blocked:
            self._blocked.add(chat_id)
        else:
            self._blocked.discard(chat_id)

    def register_method(self, method: str, handler: MethodHandler) -> None:
        """Serve an extra method: ``async def handler(call: Call) -> result`` (raise ApiError to fail)."""
        self._extra_methods[method.lower()] = handler

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self._offline == "refuse":
            # A request on a keep-alive connection opened before going offline: drop the connection.
            request.protocol.force_close()
            return web.Response(status=502)

        parts = request.path.lstrip("/").split("/")
        if len(parts) >= 3 and parts[0] == "file" and parts[1].startswith("bot"):
            return self._serve_file(parts[1][3:], "/".join(parts[2:]))
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return _error_response(ApiError(404, "Not Found"))
        token, method = parts[0][3:], parts[1]
        if not TOKEN_RE.fullmatch(token):
            return _error_response(ApiError(404, "Not Found"))
        self.tokens_used.add(token)
        if self.accepted_tokens is not None and token not in self.accepted_tokens:
            return _error_response(ApiError(401, "Unauthorized"))

        if self._offline == "502":
            # Logged (without parameters) so a test can see the bot kept retrying.
            self.requests.append(_offline_record(request, token, method))
            return _error_response(ApiError(502, "Bad Gateway"))
        try:
            params, files = await self._read_params(request)
        except ApiError as error:
            return _error_response(error)
        record = ApiRequest(
            method=method,
            params=params,
            files=files,
            token=token,
            http_method=request.method,
            content_type=request.content_type,
            time=time.time(),
        )
        self.requests.append(record)
        name = method.lower()
        if self._drops.get(name, 0) > 0:
            self._drops[name] -= 1
            request.protocol.force_close()  # its status stays None: it was never answered
            return web.Response(status=502)  # never written: the connection is already closed
        polling = name == "getupdates"
        loop = asyncio.get_running_loop()
        if not polling:
            self._inflight += 1
            self._last_activity = loop.time()
        try:
            body, status = await self._dispatch(name, Call(record, self._bot_user(token), request))
        finally:
            if not polling:
                self._inflight -= 1
                self._last_activity = loop.time()
        record.status, record.response = status, body
        if status != 200:
            log.info("fake Bot API: %s -> %s %s", method, status, body.get("description"))
        self._bump()
        return web.json_response(body, status=status)

    async def _dispatch(self, name: str, call: Call) -> tuple[dict[str, Any], int]:
        try:
            self._check_injected(name, call.params)
            handler = self._extra_methods.get(name) or getattr(self, f"_m_{name}", None)
            if handler is None and name in RECORDED_SETTERS:
                handler = self._record_setting
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(call)
        except ApiError as error:
            return error.envelope(), error.status
        return {"ok": True, "result": result}, 200

    def _check_injected(self, name: str, params: Mapping[str, Any]) -> None:
        chat_id = _chat_of(params)
        self._failures = [f for f in self._failures if f.times > 0]
        for failure in self._failures:
            if failure.matches(name, chat_id):
                failure.times -= 1
                raise ApiError(failure.status, failure.description, failure.retry_after)
        if chat_id in self._blocked and name.startswith(BLOCKABLE_PREFIXES):
            raise ApiError(403, BLOCKED)

    async def _read_params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
        params: dict[str, Any] = {k: _decode_field(k, v) for k, v in request.query.items()}
        files: dict[str, UploadedFile] = {}
        if request.content_type == "application/json":
            raw = await request.read()
            if raw.strip():
                try:
                    body = json.loads(raw)
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad_request("JSON object expected")
                for key, value in body.items():
                    params[key] = (
                        _decode_field(key, value) if isinstance(value, str) and key in JSON_FIELDS else value
                    )
        elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    files[key] = UploadedFile("", value.filename, content, value.content_type)
                elif isinstance(value, bytes | bytearray):
                    params[key] = _decode_field(key, bytes(value).decode("utf-8"))
                else:
                    params[key] = _decode_field(key, value)
        return params, files

    def _serve_file(self, token: str, path: str) -> web.StreamResponse:
        if not TOKEN_RE.fullmatch(token):
            return _error_response(ApiError(404, "Not Found"))
        for stored, file_path in self._files.values():
            if file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        return _error_response(ApiError(404, "Not Found"))

    # ------------------------------------------------------------------ Bot API methods

    async def _m_getme(self, call: Call) -> Any:
        return call.bot_user

    async def _m_logout(self, call: Call) -> Any:
        return True

    async def _m_close(self, call: Call) -> Any:
        return True

    async def _m_deletewebhook(self, call: Call) -> Any:
        self.webhook_url = ""
        if call.flag("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _m_setwebhook(self, call: Call) -> Any:
        self.webhook_url = call.string("url") or ""
        return True

    async def _m_getwebhookinfo(self, call: Call) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._pending),
        }

    async def _m_getupdates(self, call: Call) -> Any:
        if self.webhook_url:
            raise ApiError(409, CONFLICT_WEBHOOK)
        offset = call.integer("offset")
        limit = min(max(call.integer("limit", 100) or 100, 1), 100)
        timeout = max(call.number("timeout", 0.0), 0.0)
        allowed = call.decoded("allowed_updates", "can't parse allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed] or None
        self._confirm(offset)

        self._poll_generation += 1
        generation = self._poll_generation
        self._polls_waiting += 1
        self._bump()  # an older poll ends with 409; wait_for_polling() sees this one
        try:
            batch = await self._wait_until(lambda: self._next_batch(generation, limit), timeout)
        finally:
            self._polls_waiting -= 1
        if generation != self._poll_generation:
            raise ApiError(409, CONFLICT_POLL)
        updates = batch or []
        transport = call.request.transport
        if transport is not None and not transport.is_closing():
            self._delivered.update(u["update_id"] for u in updates)
        return updates

    def _is_allowed(self, update: Mapping[str, Any]) -> bool:
        kind = next((key for key in update if key != "update_id"), "")
        if self._allowed_updates is None:
            return kind not in OPT_IN_UPDATES
        return kind in self._allowed_updates

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def _next_batch(self, generation: int, limit: int) -> list[dict[str, Any]] | None:
        if generation != self._poll_generation or self._stopping or self._offline:
            return []  # stop waiting; the caller decides what to answer
        # Telegram drops updates of types the bot did not ask for.
        kept = [update for update in self._pending if self._is_allowed(update)]
        self._pending = kept
        return kept[:limit] or None

    async def _m_setmycommands(self, call: Call) -> Any:
        commands = call.decoded("commands", "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        for command in commands:
            name = str(command.get("command", "")) if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise bad_request("BOT_COMMAND_INVALID")
            description = str(command.get("description", ""))
            if not description:
                raise bad_request("command description is empty")
            if len(description) > 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        scope = call.decoded("scope", "can't parse scope JSON object")
        key = (_scope_key(scope), call.string("language_code", "") or "")
        self._commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        return True

    async def _m_getmycommands(self, call: Call) -> Any:
        scope = call.decoded("scope", "can't parse scope JSON object")
        return self.commands(scope, call.string("language_code", "") or "")

    async def _m_deletemycommands(self, call: Call) -> Any:
        scope = call.decoded("scope", "can't parse scope JSON object")
        self._commands.pop((_scope_key(scope), call.string("language_code", "") or ""), None)
        return True

    async def _record_setting(self, call: Call) -> Any:
        self.bot_settings[(call.record.name, call.string("language_code", "") or "")] = dict(call.params)
        return True

    async def _m_sendchataction(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        action = call.string("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((int(chat["id"]), action))
        return True

    async def _m_sendmessage(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        raw = call.string("text")
        if raw is None:
            raise bad_request("message text is empty")
        parsed = self._format(raw, call, "entities")
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT:
            raise bad_request("message is too long")
        markup = self._reply_markup(call)
        payload = self._new_bot_message(call, chat)
        payload["text"] = parsed.text
        if parsed.entities:
            payload["entities"] = parsed.entities
        _attach_markup(payload, markup)
        return self._record_event("sent", call, payload, raw, markup)

    async def _m_senddocument(self, call: Call) -> Any:
        chat = self._chat(call.required_int("chat_id"))
        upload = self._uploaded_document(call)
        raw = call.string("caption")
        parsed = self._format(raw, call, "caption_entities") if raw else ParsedText("")
        if len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = self._reply_markup(call)
        payload = self._new_bot_message(call, chat)
        payload["document"] = self._document_object(upload)
        if parsed.text:
            payload["caption"] = parsed.text
        if parsed.entities:
            payload["caption_entities"] = parsed.entities
        _attach_markup(payload, markup)
        self._documents[(int(chat["id"]), payload["message_id"])] = upload
        return self._record_event("sent", call, payload, raw, markup)

    async def _m_getfile(self, call: Call) -> Any:
        file_id = call.string("file_id") or ""
        if file_id not in self._files:
            raise bad_request("invalid file_id")
        stored, path = self._files[file_id]
        return {**self._file_ids_of(stored), "file_size": len(stored.content), "file_path": path}

    async def _m_editmessagetext(self, call: Call) -> Any:
        payload = self._editable(call)
        if "text" not in payload:
            raise bad_request("there is no text in the message to edit")
        raw = call.string("text")
        if raw is None:
            raise bad_request("message text is empty")
        parsed = self._format(raw, call, "entities")
        if not parsed.text:
            raise bad_request("message text is empty")
        if len(parsed.text) > MAX_TEXT:
            raise bad_request("MESSAGE_TOO_LONG")
        markup = self._reply_markup(call)
        new = _without(payload, "text", "entities", "reply_markup")
        new["text"] = parsed.text
        if parsed.entities:
            new["entities"] = parsed.entities
        _attach_markup(new, markup)
        return self._apply_edit(call, payload, new, raw, markup)

    async def _m_editmessagecaption(self, call: Call) -> Any:
        payload = self._editable(call)
        if "text" in payload:
            raise bad_request("there is no caption in the message to edit")
        raw = call.string("caption")
        parsed = self._format(raw, call, "caption_entities") if raw else ParsedText("")
        if len(parsed.text) > MAX_CAPTION:
            raise bad_request("message caption is too long")
        markup = self._reply_markup(call)
        new = _without(payload, "caption", "caption_entities", "reply_markup")
        if parsed.text:
            new["caption"] = parsed.text
        if parsed.entities:
            new["caption_entities"] = parsed.entities
        _attach_markup(new, markup)
        return self._apply_edit(call, payload, new, raw, markup)

    async def _m_editmessagereplymarkup(self, call: Call) -> Any:
        payload = self._editable(call)
        markup = self._reply_markup(call)
        new = _without(payload, "reply_markup")
        _attach_markup(new, markup)
        return self._apply_edit(call, payload, new, None, markup, keep_text=True)

    async def _m_deletemessage(self, call: Call) -> Any:
        key = (
            call.required_int("chat_id"),
            call.required_int("message_id", "message identifier is not specified"),
        )
        if key not in self._messages or key in self.deleted:
            raise bad_request("message to delete not found")
        self.deleted.append(key)
        return True

    async def _m_answercallbackquery(self, call: Call) -> Any:
        query_id = call.string("callback_query_id") or ""
        if query_id not in self._queries or query_id in self._answers:
            raise ApiError(400, QUERY_INVALID)
        self._answers[query_id] = CallbackAnswer(
            callback_query_id=query_id,
            text=call.string("text"),
            show_alert=call.flag("show_alert"),
            url=call.string("url"),
            params=dict(call.params),
        )
        return True

    # ------------------------------------------------------------------ helpers

    def _bot_user(self, token: str) -> dict[str, Any]:
        return {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _chat(self, chat_id: int) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is not None:
            return chat
        if self.strict_chats:
            raise bad_request("chat not found")
        return _default_chat(chat_id, None)

    def _user_message(
        self,
        sender: dict[str, Any],
        chat_id: int | None,
        chat_title: str | None,
        reply_to: BotMessage | Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        if chat_id is None or chat_id == sender["id"]:
            chat = {"id": sender["id"], "type": "private"}
            chat.update({k: sender[k] for k in ("first_name", "last_name", "username") if k in sender})
        else:
            chat = self._chats.get(chat_id) or _default_chat(chat_id, chat_title)
        self._chats[int(chat["id"])] = chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
        }
        if reply_to is not None:
            key = self._message_key(reply_to)
            if key in self._messages:
                message["reply_to_message"] = self._messages[key]
        self._messages[(int(chat["id"]), message["message_id"])] = message
        return message

    def _new_bot_message(self, call: Call, chat: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "message_id": next(self._message_ids),
            # Messages carry the short User object; the can_* flags only come with getMe.
            "from": {k: call.bot_user[k] for k in ("id", "is_bot", "first_name", "username")},
            "chat": chat,
            "date": int(time.time()),
        }
        reply = call.decoded("reply_parameters", "can't parse reply parameters JSON object")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else call.integer("reply_to_message_id")
        if reply_id is not None:
            replied = self._messages.get((int(chat["id"]), int(reply_id)))
            if replied is not None:
                payload["reply_to_message"] = replied
            elif not call.flag("allow_sending_without_reply") and not (
                isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            ):
                raise bad_request("message to be replied not found")
        return payload

    def _format(self, raw: str, call: Call, entities_key: str) -> ParsedText:
        """Parse ``raw`` as Telegram would for the call's parse_mode (HTML strictly; others verbatim)."""
        mode = call.string("parse_mode")
        explicit = call.decoded(entities_key, f"can't parse {entities_key} JSON object")
        if mode is None or mode.lower() not in ("html", "markdown", "markdownv2"):
            if mode is not None:
                raise bad_request(f"unsupported parse_mode {mode!r}")
            return trim(ParsedText(raw, list(explicit) if isinstance(explicit, list) else []))
        if mode.lower() == "html":
            try:
                return trim(parse_html(raw))
            except HtmlParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        return trim(ParsedText(raw))  # Markdown is not interpreted by the fake; see the report

    def _reply_markup(self, call: Call) -> dict[str, Any] | None:
        markup = call.decoded("reply_markup", "can't parse reply keyboard markup JSON object")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
                raise bad_request(
                    'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
                )
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad_request("can't parse inline keyboard button: Text buttons are unallowed")
                if not BUTTON_ACTIONS & button.keys():
                    raise bad_request("text buttons are unallowed in the inline keyboard")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                        raise bad_request("BUTTON_DATA_INVALID")
        return markup

    def _uploaded_document(self, call: Call) -> UploadedFile:
        value = call.params.get("document")
        upload: UploadedFile | None = None
        if isinstance(value, str) and value.startswith("attach://"):
            upload = call.files.get(value.removeprefix("attach://"))
        elif value in (None, "") and "document" in call.files:
            upload = call.files["document"]
        elif isinstance(value, str) and value in self._files:
            return self._files[value][0]
        elif isinstance(value, str) and value:
            # A URL: Telegram would download it; the fake records the name only.
            return self._store_file(value.rsplit("/", 1)[-1] or "document", b"", None)
        if upload is None:
            raise bad_request("there is no document in the request")
        if not upload.content:
            raise bad_request("file must be non-empty")
        return self._store_file(upload.filename or "document", upload.content, upload.content_type)

    def _store_file(self, filename: str, content: bytes, content_type: str | None) -> UploadedFile:
        number = next(self._file_ids)
        if content_type in (None, "application/octet-stream"):
            content_type = mimetypes.guess_type(filename)[0] or content_type
        stored = UploadedFile(f"BQACAgIAAxkDAAI{number:06d}fake", filename, content, content_type)
        self._files[stored.file_id] = (stored, f"documents/file_{number}{_suffix(filename)}")
        return stored

    def _file_ids_of(self, stored: UploadedFile) -> dict[str, Any]:
        return {"file_id": stored.file_id, "file_unique_id": f"AgAD{stored.file_id[-10:]}"}

    def _document_object(self, stored: UploadedFile) -> dict[str, Any]:
        document: dict[str, Any] = {**self._file_ids_of(stored), "file_size": len(stored.content)}
        if stored.filename:
            document["file_name"] = stored.filename
        if stored.content_type:
            document["mime_type"] = stored.content_type
        return document

    def _editable(self, call: Call) -> dict[str, Any]:
        if call.has("inline_message_id"):
            raise bad_request("the fake Bot API does not support inline messages")
        key = (
            call.required_int("chat_id"),
            call.required_int("message_id", "message identifier is not specified"),
        )
        payload = self._messages.get(key)
        if payload is None or key in self.deleted:
            raise bad_request("message to edit not found")
        if key not in self._bot_message_keys:
            raise bad_request("message can't be edited")
        return payload

    def _apply_edit(
        self,
        call: Call,
        old: dict[str, Any],
        new: dict[str, Any],
        raw: str | None,
        markup: dict[str, Any] | None,
        *,
        keep_text: bool = False,
    ) -> dict[str, Any]:
        def content(message: Mapping[str, Any]) -> tuple[Any, ...]:
            fields = ("text", "entities", "caption", "caption_entities", "reply_markup")
            return tuple(json.dumps(message.get(f), sort_keys=True) for f in fields)

        if content(old) == content(new):
            raise ApiError(400, NOT_MODIFIED)
        new["edit_date"] = int(time.time())
        if keep_text:  # only the keyboard changed: keep the text as last sent
            previous = self._latest_snapshot(int(old["chat"]["id"]), int(old["message_id"]))
            raw = previous.raw_text
            call = _CallView(call, previous.parse_mode)
        return self._record_event("edited", call, new, raw, markup)

    def _record_event(
        self,
        event: Literal["sent", "edited"],
        call: Call,
        payload: dict[str, Any],
        raw: str | None,
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        chat_id, message_id = int(payload["chat"]["id"]), int(payload["message_id"])
        self._messages[(chat_id, message_id)] = payload
        self._bot_message_keys.add((chat_id, message_id))
        self._events.append(
            BotMessage(
                seq=len(self._events),
                event=event,
                method=call.record.method,
                chat_id=chat_id,
                message_id=message_id,
                text=payload.get("text", payload.get("caption")),
                raw_text=raw,
                parse_mode=call.string("parse_mode"),
                entities=list(payload.get("entities", payload.get("caption_entities", []))),
                reply_markup=markup,
                document=self._documents.get((chat_id, message_id)),
                payload=payload,
            )
        )
        self._bump()
        return payload

    def _latest_snapshot(self, chat_id: int, message_id: int) -> BotMessage:
        for event in reversed(self._events):
            if event.chat_id == chat_id and event.message_id == message_id:
                return event
        raise KeyError((chat_id, message_id))

    @staticmethod
    def _message_key(message: BotMessage | Mapping[str, Any]) -> tuple[int, int]:
        if isinstance(message, BotMessage):
            return message.chat_id, message.message_id
        return int(message["chat"]["id"]), int(message["message_id"])

    def _bump(self) -> None:
        """Wake everything waiting for a change (pollers, wait_for_* helpers)."""
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    async def _wait_until(self, check: Callable[[], T | None], timeout: float) -> T | None:  # noqa: ASYNC109
        """Re-evaluate ``check`` after every change until it returns non-None or ``timeout`` passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _brief_log(self) -> str:
        return ", ".join(f"{r.method}->{r.status}" for r in self.requests[-20:]) or "(none)"


class _CallView(Call):
    """A Call whose parse_mode is overridden, so a keyboard-only edit keeps the text's parse mode."""

    def __init__(self, call: Call, parse_mode: str | None) -> None:
        super().__init__(call.record, call.bot_user, call.request)
        self._parse_mode = parse_mode

    def string(self, key: str, default: str | None = None) -> str | None:
        if key == "parse_mode":
            return self._parse_mode
        return super().string(key, default)


def _offline_record(request: web.Request, token: str, method: str) -> ApiRequest:
    return ApiRequest(
        method=method,
        params={},
        files={},
        token=token,
        http_method=request.method,
        content_type=request.content_type,
        time=time.time(),
        status=502,
        response=ApiError(502, "Bad Gateway").envelope(),
    )


def _error_response(error: ApiError) -> web.Response:
    return web.json_response(error.envelope(), status=error.status)


def _chat_of(params: Mapping[str, Any]) -> int | None:
    value = params.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None


def _scope_key(scope: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(scope) if scope else {"type": "default"}, sort_keys=True)


def _default_chat(chat_id: int, title: str | None) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": title or f"Group {chat_id}"}


def _attach_markup(payload: dict[str, Any], markup: dict[str, Any] | None) -> None:
    """Telegram echoes only inline keyboards in the Message; reply keyboards are not part of it."""
    if markup is not None and "inline_keyboard" in markup:
        payload["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}


def _without(payload: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in keys}


def _suffix(filename: str) -> str:
    dot = filename.rfind(".")
    return filename[dot:] if dot > 0 else ""
