"""The state of the fake Bot API server, shared by its parts (updates, messages, files, faults, settings)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Collection, Mapping
from typing import Any, Literal, TypeVar

from aiohttp import web

from .models import ApiRequest, BotMessage, CallbackAnswer, InjectedFailure, UploadedFile
from .wire import DEFAULT_TOKEN, HOST, TOKEN_RE, MethodHandler, bad_request, chat_of

T = TypeVar("T")


class ApiState:
    """What the fake server holds -- the socket, the chats, the messages, every request -- and the
    waiting that every part of it shares."""

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

    def calls(self, method: str) -> list[ApiRequest]:
        """Logged requests of one method (case-insensitive), oldest first."""
        name = method.lower()
        return [r for r in self.requests if r.name == name]

    def errors(self, chat_id: int | None = None) -> list[ApiRequest]:
        """Requests that were answered with an error (optionally only those about ``chat_id``)."""
        return [
            r
            for r in self.requests
            if r.status not in (None, 200) and (chat_id is None or chat_of(r.params) == chat_id)
        ]

    def _chat(self, chat_id: int) -> dict[str, Any]:
        chat = self._chats.get(chat_id)
        if chat is not None:
            return chat
        if self.strict_chats:
            raise bad_request("chat not found")
        return default_chat(chat_id, None)

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


def default_chat(chat_id: int, title: str | None) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": title or f"Group {chat_id}"}
