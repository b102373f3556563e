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

The server is put together from one part per concern: :mod:`.wire` (reading a call, the error envelope),
:mod:`.state` (what the server holds), :mod:`.updates` (users' messages and presses, long polling),
:mod:`.messages` (what the bot sends and edits), :mod:`.files` (documents both ways), :mod:`.faults`
(failure injection, going offline) and :mod:`.settings` (getMe, commands); this module serves HTTP.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Self

from aiohttp import web

from .faults import Faults, offline_record
from .files import Files
from .models import ApiRequest
from .settings import RECORDED_SETTERS, Settings
from .wire import (
    DEFAULT_TOKEN,
    MAX_UPLOAD,
    TOKEN_RE,
    ApiError,
    Call,
    MethodHandler,
    error_response,
    read_params,
)

__all__ = ["DEFAULT_TOKEN", "ApiError", "Call", "FakeBotApi", "MethodHandler"]

log = logging.getLogger(__name__)


class FakeBotApi(Files, Faults, Settings):
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

    The constructor's options are described at :class:`.state.ApiState`.
    """

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

    def register_method(self, method: str, handler: MethodHandler) -> None:
        """Serve an extra method: ``async def handler(call: Call) -> result`` (raise ApiError to fail)."""
        self._extra_methods[method.lower()] = handler

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

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self._offline == "refuse":
            # A request on a keep-alive connection opened before going offline: drop the connection.
            request.protocol.force_close()
            return web.Response(status=502)

        parts = request.path.lstrip("/").split("/")
        if len(parts) >= 3 and parts[0] == "file" and parts[1].startswith("bot"):
            return self._serve_file(parts[1][3:], "/".join(parts[2:]))
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return error_response(ApiError(404, "Not Found"))
        token, method = parts[0][3:], parts[1]
        if not TOKEN_RE.fullmatch(token):
            return error_response(ApiError(404, "Not Found"))
        self.tokens_used.add(token)
        if self.accepted_tokens is not None and token not in self.accepted_tokens:
            return error_response(ApiError(401, "Unauthorized"))

        if self._offline == "502":
            # Logged (without parameters) so a test can see the bot kept retrying.
            self.requests.append(offline_record(request, token, method))
            return error_response(ApiError(502, "Bad Gateway"))
        try:
            params, files = await read_params(request)
        except ApiError as error:
            return error_response(error)
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
