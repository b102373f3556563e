"""A fake Feishu Open API on 127.0.0.1: the calls the bot makes, the long connection, and people.

Served: the tenant token, the bot's info, a person's contact entry, message create (with Feishu's
``uuid`` de-duplication), reply and update (shared cards only), file upload and download, the long
connection's endpoint discovery and its websocket (``longconn``). A test plays the people:
``user_sends``, ``user_presses``, ``user_sends_file``, and reads what they see with
``wait_for_message``. ``fail_next`` answers the next calls of an API with Feishu's rate limit (HTTP
429, code 99991400, ``x-ogw-ratelimit-reset``) or a server error.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Self, TypeVar

from aiohttp import web

from tests.fakefeishu.cards import Shown, card_problem, read_card
from tests.fakefeishu.longconn import LongConnection, Push, stamp

T = TypeVar("T")
APP_ID, APP_SECRET = "cli_fake0123456789", "fake-app-secret-Zq9x"
BOT_OPEN_ID, BOT_NAME = "ou_bot0000000000000000", "接待助手"
RATE_LIMITED, MESSAGE_RATE_LIMITED = 99991400, 230020
# The largest request body Feishu takes for a message: 150 KB of text, 30 KB for a card or rich text.
MAX_BODY = {"text": 150 * 1024, "interactive": 30 * 1024, "post": 30 * 1024}
TOO_LONG, TOO_LONG_MSG = 230025, "The length of the message content reaches its limit."
# "lost": the message is created but the answer is a 502, as when a proxy loses it on the way.
Failure = Literal["rate", "message-rate", "server", "lost"]


@dataclass(frozen=True)
class FeishuUser:
    open_id: str
    name: str


@dataclass
class Call:
    """One request the bot made: its API name, what it sent, and the answer."""

    api: str
    body: dict[str, Any]
    status: int = 200
    code: int = 0
    at: float = field(default_factory=time.time)


@dataclass
class _Injected:
    api: str
    failure: Failure
    times: int
    reset: int


class FakeFeishu:
    def __init__(self, *, ack_timeout: float = 3.0, retry_delay: float = 1.0) -> None:
        self.longconn = LongConnection(ack_timeout, retry_delay)
        self.longconn.on_change = self._bump
        self.calls: list[Call] = []
        self.shown: list[Shown] = []
        self.people: dict[str, FeishuUser] = {}
        self._chats: dict[str, str] = {}  # a person's open_id → their private chat with the bot
        self._groups: set[str] = set()
        self._messages: dict[str, dict[str, Any]] = {}
        self._uuids: dict[str, str] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._consumed: set[int] = set()
        self._failures: list[_Injected] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- life -----------------------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        app = web.Application()
        app.router.add_post("/open-apis/auth/v3/tenant_access_token/internal", self._token)
        app.router.add_get("/open-apis/bot/v3/info", self._bot_info)
        app.router.add_get("/open-apis/contact/v3/users/{open_id}", self._contact)
        app.router.add_post("/open-apis/im/v1/messages", self._create)
        app.router.add_post("/open-apis/im/v1/messages/{message_id}/reply", self._reply)
        app.router.add_patch("/open-apis/im/v1/messages/{message_id}", self._update)
        app.router.add_post("/open-apis/im/v1/files", self._upload)
        app.router.add_get("/open-apis/im/v1/messages/{message_id}/resources/{file_key}", self._download)
        app.router.add_post("/callback/ws/endpoint", self._endpoint)
        app.router.add_get("/ws", self.longconn.serve)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.longconn.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- people ---------------------------------------------------------------------------------

    def user(self, name: str) -> FeishuUser:
        """A person of the tenant (in the contacts; anyone there may message the bot)."""
        person = FeishuUser(f"ou_{next(self._ids):04d}{abs(hash(name)) % 10**12:012d}", name)
        self.people[person.open_id] = person
        return person

    def group(self) -> str:
        chat = f"oc_group{next(self._ids):06d}"
        self._groups.add(chat)
        return chat

    def chat_of(self, person: FeishuUser) -> str:
        """A person's private chat with the bot."""
        return self._chats.setdefault(person.open_id, f"oc_p2p{next(self._ids):06d}")

    def user_sends(self, person: FeishuUser, text: str, group: str | None = None) -> Push:
        """A text message to the bot: in the private chat, or @-mentioning it in ``group``."""
        mentions = []
        if group is not None:
            text = f"@_user_1 {text}"
            mentions = [{"key": "@_user_1", "id": {"open_id": BOT_OPEN_ID}, "name": BOT_NAME}]
        return self._receive(person, "text", {"text": text}, group, mentions)

    def user_sends_file(self, person: FeishuUser, name: str, content: bytes) -> Push:
        key = f"file_v2_{next(self._ids)}"
        self._files[key] = (name, content)
        return self._receive(person, "file", {"file_key": key, "file_name": name}, None, [])

    def _receive(self, person: FeishuUser, kind: str, content: dict[str, Any], group: str | None,
                 mentions: list[dict[str, Any]]) -> Push:
        message = {"message_id": f"om_user{next(self._ids)}", "create_time": stamp(),
                   "chat_id": group or self.chat_of(person), "chat_type": "group" if group else "p2p",
                   "message_type": kind, "content": json.dumps(content, ensure_ascii=False),
                   "mentions": mentions}
        sender = {"sender_id": {"open_id": person.open_id}, "sender_type": "user", "tenant_key": "t1"}
        return self._push("im.message.receive_v1", {"sender": sender, "message": message})

    def user_presses(self, person: FeishuUser, message: Shown, button: str = "", *,
                     forged: str | None = None) -> Push:
        """A press on a card's button (by a part of its label, or its callback data); ``forged``:
        callback data of no button on the card, as a client could send."""
        if forged is not None:
            value = {"d": forged}
        else:
            by_data = next((b for row in message.buttons for b in row if b.data == button), None)
            value = (by_data or message.button(button)).value
        return self._push("card.action.trigger", {
            "operator": {"open_id": person.open_id, "tenant_key": "t1"}, "token": f"c-{next(self._ids)}",
            "action": {"tag": "button", "value": value},
            "host": "im_message",
            "context": {"open_message_id": message.message_id, "open_chat_id": message.chat_id}})

    def _push(self, event_type: str, event: dict[str, Any]) -> Push:
        event_id = f"ev_{next(self._ids):08d}"
        header = {"event_id": event_id, "event_type": event_type, "create_time": stamp(),
                  "token": "", "app_id": APP_ID, "tenant_key": "t1"}
        return self.longconn.push(event_id, {"schema": "2.0", "header": header, "event": event})

    # ---- what people see ---------------------------------------------------------------------

    async def wait_for_message(self, where: FeishuUser | str,
                               predicate: Callable[[Shown], bool] | None = None,
                               timeout: float = 15, *, contains: str | None = None) -> Shown:  # noqa: ASYNC109
        """The earliest state of a bot message in a person's private chat (or a group) not returned
        before, matching; it is then consumed."""
        chat = self.chat_of(where) if isinstance(where, FeishuUser) else where

        def find() -> Shown | None:
            return next((s for s in self.shown if s.seq not in self._consumed and s.chat_id == chat
                         and (contains is None or contains in s.text)
                         and (predicate is None or predicate(s))), None)

        found = await self.wait_until(find, timeout)
        if found is None:
            seen = "\n".join(f"  {s.seq}: {s.text[:100]!r}" for s in self.shown if s.chat_id == chat)
            raise AssertionError(f"no new message containing {contains!r} in {chat} within {timeout}s;\n"
                                 f"{seen}")
        self._consumed.add(found.seq)
        return found

    def messages(self, where: FeishuUser | str) -> list[Shown]:
        chat = self.chat_of(where) if isinstance(where, FeishuUser) else where
        return [s for s in self.shown if s.chat_id == chat]

    def errors(self) -> list[Call]:
        """Calls answered with an error that was not injected (a card Feishu would refuse, say)."""
        injected = (0, RATE_LIMITED, MESSAGE_RATE_LIMITED)
        return [c for c in self.calls if c.code not in injected and c.status < 500]

    async def wait_until(self, check: Callable[[], T | None], timeout: float) -> T | None:  # noqa: ASYNC109
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (found := check()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.2))
        return found

    async def wait_for_idle(self, quiet: float = 1.0, timeout: float = 30) -> None:  # noqa: ASYNC109
        """Until every event was acknowledged and the bot made no call for ``quiet`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.longconn.pending() or (self.calls and time.time() - self.calls[-1].at < quiet):
            if loop.time() > deadline:
                pending = len(self.longconn.pending())
                raise AssertionError(f"not idle within {timeout}s: {pending} events pending")
            await asyncio.sleep(0.05)

    def fail_next(self, api: str, failure: Failure = "rate", times: int = 1, reset: int = 1) -> None:
        """Answers the next ``times`` calls of ``api`` ("send", "update", "upload") with a failure."""
        self._failures.append(_Injected(api, failure, times, reset))

    def _bump(self) -> None:
        self._changed.set()

    # ---- the API ------------------------------------------------------------------------------

    def _authorized(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == "Bearer t-fake-tenant-token"

    def _answer(self, api: str, body: dict[str, Any], data: dict[str, Any] | None = None, *,
                code: int = 0, msg: str = "ok") -> web.Response:
        """Feishu's envelope, or an injected failure."""
        injected = next((f for f in self._failures if f.api == api and f.times > 0), None)
        if injected is not None and injected.failure != "lost":
            injected.times -= 1
            if injected.failure == "server":
                self.calls.append(Call(api, body, 502, -1))
                self._bump()
                return web.Response(status=502, text="<html>502 Bad Gateway</html>", content_type="text/html")
            limit = RATE_LIMITED if injected.failure == "rate" else MESSAGE_RATE_LIMITED
            self.calls.append(Call(api, body, 429 if injected.failure == "rate" else 400, limit))
            self._bump()
            return web.json_response({"code": limit, "msg": "request trigger frequency limit"},
                                     status=429 if injected.failure == "rate" else 400,
                                     headers={"x-ogw-ratelimit-limit": "50",
                                              "x-ogw-ratelimit-reset": str(injected.reset)})
        self.calls.append(Call(api, body, 200 if code == 0 else 400, code))
        self._bump()
        return web.json_response({"code": code, "msg": msg, "data": data or {}},
                                 status=200 if code == 0 else 400)

    async def _token(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (body.get("app_id"), body.get("app_secret")) != (APP_ID, APP_SECRET):
            self.calls.append(Call("token", body, 400, 10014))
            return web.json_response({"code": 10014, "msg": "app secret invalid"}, status=400)
        self.calls.append(Call("token", {"app_id": body.get("app_id")}))
        return web.json_response({"code": 0, "msg": "ok", "tenant_access_token": "t-fake-tenant-token",
                                  "expire": 7200})

    async def _bot_info(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.json_response({"code": 99991663, "msg": "invalid access token"}, status=400)
        self.calls.append(Call("bot_info", {}))
        return web.json_response({"code": 0, "msg": "ok",
                                  "bot": {"app_name": BOT_NAME, "open_id": BOT_OPEN_ID}})

    async def _contact(self, request: web.Request) -> web.Response:
        person = self.people.get(request.match_info["open_id"])
        if person is None:
            return self._answer("contact", {}, code=41050, msg="no user authority error")
        return self._answer("contact", {}, {"user": {"open_id": person.open_id, "name": person.name}})

    async def _create(self, request: web.Request) -> web.Response:
        if not self._authorized(request):
            return web.json_response({"code": 99991663, "msg": "invalid access token"}, status=400)
        body = await request.json()
        receive_type = request.query.get("receive_id_type", "")
        if receive_type == "open_id":
            if body.get("receive_id") not in self.people:
                return self._answer("send", body, code=230013, msg="Bot has NO availability to this user.")
            chat = self.chat_of(self.people[body["receive_id"]])
        elif receive_type == "chat_id" and body.get("receive_id") in self._groups:
            chat = body["receive_id"]
        else:
            return self._answer("send", body, code=230001, msg="invalid receive_id")
        return self._new_message(request, "send", body, chat)

    async def _reply(self, request: web.Request) -> web.Response:
        body = await request.json()
        replied = self._messages.get(request.match_info["message_id"])
        if replied is None:
            return self._answer("reply", body, code=230011, msg="message not found")
        return self._new_message(request, "reply", body, replied["chat_id"])

    def _new_message(self, request: web.Request, api: str, body: dict[str, Any], chat: str) -> web.Response:
        uuid = str(body.get("uuid") or "")
        if uuid and uuid in self._uuids:  # Feishu sends at most one message per uuid within an hour
            earlier = self._messages[self._uuids[uuid]]
            return self._answer(api, body, {"message_id": earlier["message_id"], "chat_id": chat})
        msg_type, content = str(body.get("msg_type")), json.loads(body.get("content") or "{}")
        if (request.content_length or 0) > MAX_BODY.get(msg_type, 150 * 1024):
            return self._answer(api, body, code=TOO_LONG, msg=TOO_LONG_MSG)
        if msg_type == "interactive" and (problem := card_problem(content)) is not None:
            return self._answer(api, body, code=230099, msg=f"Failed to create card content: {problem}")
        if msg_type == "file" and content.get("file_key") not in self._files:
            return self._answer(api, body, code=230001, msg="invalid file_key")
        response = self._answer(api, body, {})
        if response.status != 200:
            return response
        message_id = f"om_bot{next(self._ids)}"
        self._messages[message_id] = {"message_id": message_id, "chat_id": chat}
        if uuid:
            self._uuids[uuid] = message_id
        self._show(message_id, chat, msg_type, content, edited=False)
        lost = next((f for f in self._failures if f.api == api and f.failure == "lost" and f.times > 0), None)
        if lost is not None:
            lost.times -= 1
            self.calls[-1].status, self.calls[-1].code = 502, -1
            return web.Response(status=502, text="<html>502 Bad Gateway</html>", content_type="text/html")
        return web.json_response({"code": 0, "msg": "ok", "data": {
            "message_id": message_id, "chat_id": chat, "msg_type": msg_type}})

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        message = self._messages.get(request.match_info["message_id"])
        if message is None:
            return self._answer("update", body, code=230011, msg="message not found")
        content = json.loads(body.get("content") or "{}")
        if (request.content_length or 0) > MAX_BODY["interactive"]:
            return self._answer("update", body, code=TOO_LONG, msg=TOO_LONG_MSG)
        if (problem := card_problem(content)) is not None:
            return self._answer("update", body, code=230099, msg=f"Failed to update card: {problem}")
        response = self._answer("update", body)
        if response.status == 200:
            self._show(message["message_id"], message["chat_id"], "interactive", content, edited=True)
        return response

    def _show(self, message_id: str, chat: str, msg_type: str, content: dict[str, Any], *,
              edited: bool) -> None:
        if msg_type == "interactive":
            text, buttons = read_card(content)
            shown = Shown(len(self.shown), message_id, chat, msg_type, text, buttons, edited, content=content)
        else:
            name = self._files.get(str(content.get("file_key")), ("", b""))[0]
            shown = Shown(len(self.shown), message_id, chat, msg_type, f"📎 {name}", (), edited, name,
                          content)
        self.shown.append(shown)
        self._bump()

    async def _upload(self, request: web.Request) -> web.Response:
        form = await request.post()
        upload = form.get("file")
        content = upload.file.read() if isinstance(upload, web.FileField) else b""
        body = {"file_type": str(form.get("file_type")), "file_name": str(form.get("file_name")),
                "size": len(content)}
        response = self._answer("upload", body)
        if response.status != 200:
            return response
        key = f"file_v2_bot{next(self._ids)}"
        self._files[key] = (str(form.get("file_name")), content)
        return web.json_response({"code": 0, "msg": "ok", "data": {"file_key": key}})

    async def _download(self, request: web.Request) -> web.Response:
        found = self._files.get(request.match_info["file_key"])
        if found is None:
            return self._answer("download", {}, code=234003, msg="file not found")
        self.calls.append(Call("download", {"file_key": request.match_info["file_key"]}))
        return web.Response(body=found[1], content_type="application/octet-stream",
                            headers={"Content-Disposition": f'attachment; filename="{found[0]}"'})

    def file(self, shown: Shown) -> bytes:
        """The content of a file the bot sent."""
        return self._files[str(shown.content["file_key"])][1]

    async def _endpoint(self, request: web.Request) -> web.Response:
        body = await request.json()
        if (body.get("AppID"), body.get("AppSecret")) != (APP_ID, APP_SECRET):
            return web.json_response({"code": 1000040344, "msg": "invalid app"})
        self.calls.append(Call("endpoint", {"AppID": body.get("AppID")}))
        url = f"ws://127.0.0.1:{self.port}/ws?device_id=dev{next(self._ids)}&service_id=7"
        config = {"ReconnectCount": -1, "ReconnectInterval": 1, "ReconnectNonce": 0, "PingInterval": 30}
        return web.json_response({"code": 0, "msg": "ok", "data": {"URL": url, "ClientConfig": config}})
