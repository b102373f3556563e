"""Faults: the API going offline, injected errors (429, 5xx, 403), cut connections and blocked chats."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Mapping
from http import HTTPStatus
from typing import Any, Literal

from aiohttp import web

from .models import ApiRequest, InjectedFailure
from .state import ApiState
from .wire import ApiError, chat_of

#: Methods that write into a chat, so a blocked chat answers them with 403.
BLOCKABLE_PREFIXES = ("send", "edit", "copy", "forward")
BLOCKED = "Forbidden: bot was blocked by the user"


class Faults(ApiState):
    """Failure injection: errors and cut connections on chosen calls, blocked chats, going offline."""

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

    def _check_injected(self, name: str, params: Mapping[str, Any]) -> None:
        chat_id = chat_of(params)
        self._failures = [f for f in self._failures if f.times > 0]
        for failure in self._failures:
            if failure.matches(name, chat_id):
                failure.times -= 1
                raise ApiError(failure.status, failure.description, failure.retry_after)
        if chat_id in self._blocked and name.startswith(BLOCKABLE_PREFIXES):
            raise ApiError(403, BLOCKED)


def offline_record(request: web.Request, token: str, method: str) -> ApiRequest:
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
