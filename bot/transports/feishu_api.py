"""The Feishu Open API calls the bot makes, through the official SDK, with its answers turned into
``bot.core.delivery``'s errors so that rate limits are waited out and retried like Telegram's 429.

Feishu answers a rate limit with HTTP 429 (older APIs: 400) and code 99991400, saying in the
``x-ogw-ratelimit-reset`` header how many seconds to wait; sending messages too fast to one person
or group is code 230020. Both become ``RetryAfter``. A person outside the app's availability, or a
group the bot left, is ``Blocked``; a server error, a network error or an answer that is no JSON is
``Transient``; any other code is ``Rejected``.

The SDK's request and response models are used as they are; they are sent here, over one HTTP
client kept for the whole run. Why not the SDK's own async calls (``acreate`` and the like): each
makes a new ``httpx.AsyncClient``, and building its TLS context costs CPU on every call, on the
event loop, for every message; and it fetches the tenant access
token with a blocking HTTP client with no timeout, on the event loop too. The token is fetched here
instead, asynchronously, and renewed before it expires.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import time
import urllib.parse
from typing import Any

import httpx
import lark_oapi as lark
from lark_oapi.api.contact.v3 import GetUserRequest, GetUserResponse
from lark_oapi.api.im.v1 import (
    CreateFileRequest,
    CreateFileRequestBody,
    CreateFileResponse,
    CreateMessageRequest,
    CreateMessageRequestBody,
    CreateMessageResponse,
    GetMessageResourceRequest,
    PatchMessageRequest,
    PatchMessageRequestBody,
    PatchMessageResponse,
)
from lark_oapi.core.json import JSON
from lark_oapi.core.token.create_self_tenant_token_request import CreateSelfTenantTokenRequest
from lark_oapi.core.token.create_token_request_body import CreateTokenRequestBody
from lark_oapi.core.utils import Files

from bot.core.delivery import Blocked, Rejected, RetryAfter, Transient

log = logging.getLogger(__name__)

RATE_LIMITED = 99991400
MESSAGE_RATE_LIMITED = 230020
# The bot cannot reach the person (outside the app's availability) or the chat (not a member).
UNREACHABLE = frozenset({230013, 230002, 232011})
# The token was refused: fetched again for the retry.
TOKEN_REFUSED = frozenset({99991661, 99991663, 99991664, 99991668})
RESET_HEADER = "x-ogw-ratelimit-reset"
# Seconds a request may take; the SDK sets none.
TIMEOUT = 15.0
# The token is fetched again this long before Feishu says it expires (it lasts two hours).
TOKEN_MARGIN = 300.0
# Feishu's file types for an upload, by suffix; anything else is a "stream".
FILE_TYPES = {".pdf": "pdf", ".doc": "doc", ".docx": "doc", ".xls": "xls", ".xlsx": "xls", ".csv": "xls",
              ".ppt": "ppt", ".pptx": "ppt"}


class FeishuApi:
    """The calls the transport makes; each raises ``bot.core.delivery``'s errors."""

    def __init__(self, app_id: str, app_secret: str, domain: str) -> None:
        self._app_id, self._app_secret = app_id, app_secret
        self._domain = domain
        self._http: httpx.AsyncClient | None = None
        self._token = ""
        self._expires = 0.0
        self._fetching: asyncio.Lock | None = None

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()

    async def _token_now(self) -> str:
        if not self._token or time.monotonic() > self._expires:
            self._fetching = self._fetching or asyncio.Lock()
            async with self._fetching:
                if not self._token or time.monotonic() > self._expires:
                    await self._fetch_token()
        return self._token

    async def _fetch_token(self) -> None:
        body = CreateTokenRequestBody.builder().app_id(self._app_id).app_secret(self._app_secret).build()
        request = CreateSelfTenantTokenRequest.builder().request_body(body).build()
        response = await self._send(request, lark.BaseResponse, authorized=False)
        answer = _json(response)
        if answer.get("code") != 0 or not answer.get("tenant_access_token"):
            _raise(response, answer.get("code"), str(answer.get("msg") or "no tenant access token"))
        self._token = str(answer["tenant_access_token"])
        self._expires = time.monotonic() + float(answer.get("expire") or 7200) - TOKEN_MARGIN

    async def _call(self, request: Any, kind: Any) -> Any:
        """Sends one of the SDK's requests; its answer as the SDK's response ``kind``, checked."""
        response = await self._send(request, kind)
        if response.code in TOKEN_REFUSED:
            self._token = ""
        _check(response)
        return response

    async def _send(self, request: Any, kind: Any, *, authorized: bool = True) -> Any:
        """What the SDK's ``Transport.aexecute`` does, on the client kept for the run."""
        self._http = self._http or httpx.AsyncClient(timeout=TIMEOUT)
        headers = dict(request.headers)
        if authorized:
            headers["Authorization"] = f"Bearer {await self._token_now()}"
        files = Files.extract_files(request.body)
        body = json.loads(JSON.marshal(request.body)) if request.body is not None else None
        uri = str(request.uri)
        for key, value in (request.paths or {}).items():
            uri = uri.replace(f":{key}", urllib.parse.quote(str(value), safe=""))
        answer = await _calling(self._http.request(
            request.http_method.name, self._domain + uri, headers=headers, params=request.queries,
            json=None if files else body, data=body if files else None, files=files or None))
        raw = lark.RawResponse()
        raw.status_code, raw.headers, raw.content = answer.status_code, dict(answer.headers), answer.content
        if kind is None:  # a file: its bytes, or Feishu's JSON envelope when it failed
            response = lark.BaseResponse()
            response.code = 0 if answer.is_success else _json_of(raw).get("code")
            response.msg = "" if answer.is_success else str(_json_of(raw).get("msg") or "")
        elif answer.headers.get("content-type", "").startswith("application/json"):
            try:
                response = JSON.unmarshal(answer.text, kind)
            except ValueError as error:
                raise Transient(f"HTTP {answer.status_code}: the answer is no JSON") from error
        else:
            response = kind()
            response.code = None  # no JSON: a proxy's error page
        response.raw = raw
        return response

    async def send(self, receive_type: str, receive_id: str, msg_type: str, content: dict[str, Any],
                   uuid: str) -> tuple[str, str]:
        """Sends a message (``uuid``: Feishu sends at most one per uuid an hour, so a retry after a
        lost answer does not send it twice); its message id and chat id."""
        body = (CreateMessageRequestBody.builder().receive_id(receive_id).msg_type(msg_type)
                .content(json.dumps(content, ensure_ascii=False)).uuid(uuid).build())
        request = CreateMessageRequest.builder().receive_id_type(receive_type).request_body(body).build()
        response = await self._call(request, CreateMessageResponse)
        if response.data is None or not response.data.message_id:
            raise Transient("a message was sent but its id not given")
        return str(response.data.message_id), str(response.data.chat_id or "")

    async def update_card(self, message_id: str, card: dict[str, Any]) -> None:
        body = PatchMessageRequestBody.builder().content(json.dumps(card, ensure_ascii=False)).build()
        request = PatchMessageRequest.builder().message_id(message_id).request_body(body).build()
        await self._call(request, PatchMessageResponse)

    async def upload(self, filename: str, content: bytes) -> str:
        """Uploads a file to send; its file key."""
        suffix = filename[filename.rfind("."):].lower() if "." in filename else ""
        body = (CreateFileRequestBody.builder().file_type(FILE_TYPES.get(suffix, "stream"))
                .file_name(filename).file(io.BytesIO(content)).build())
        request = CreateFileRequest.builder().request_body(body).build()
        response = await self._call(request, CreateFileResponse)
        if response.data is None or not response.data.file_key:
            raise Transient("a file was uploaded but its key not given")
        return str(response.data.file_key)

    async def download(self, message_id: str, file_key: str) -> bytes:
        """A file a person sent, by its message and key."""
        request = (GetMessageResourceRequest.builder().message_id(message_id).file_key(file_key)
                   .type("file").build())
        response = await self._call(request, None)
        return bytes(response.raw.content)

    async def user_name(self, open_id: str) -> str:
        """A person's name from the contacts (needs ``contact:user.base:readonly``)."""
        request = GetUserRequest.builder().user_id(open_id).user_id_type("open_id").build()
        response = await self._call(request, GetUserResponse)
        user = response.data.user if response.data is not None else None
        return str(user.name or "") if user is not None else ""

    async def bot_name(self) -> str:
        """The app's name, as people see the bot (``GET /open-apis/bot/v3/info``)."""
        request = (lark.BaseRequest.builder().http_method(lark.HttpMethod.GET).uri("/open-apis/bot/v3/info")
                   .token_types({lark.AccessTokenType.TENANT}).build())
        response = await self._call(request, lark.BaseResponse)
        return str(_json(response).get("bot", {}).get("app_name") or "")


async def _calling(call: Any) -> Any:
    """Awaits an SDK call; what the network or a garbled answer does becomes ``Transient``."""
    try:
        return await call
    except (httpx.HTTPError, OSError, ValueError) as error:  # ValueError: an answer that is no JSON
        raise Transient(f"{type(error).__name__}: {error}") from error


def _json_of(raw: Any) -> dict[str, Any]:
    try:
        answer = json.loads(raw.content or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def _json(response: Any) -> dict[str, Any]:
    raw = response.raw
    try:
        answer = json.loads(raw.content) if raw is not None and raw.content else {}
    except ValueError as error:
        raise Transient(f"HTTP {raw.status_code}: the answer is no JSON") from error
    return answer if isinstance(answer, dict) else {}


def _check(response: Any) -> None:
    if response.code == 0:
        return
    _raise(response, response.code, str(response.msg or ""))


def _raise(response: Any, code: object, message: str) -> None:
    raw = response.raw
    status = int(raw.status_code) if raw is not None else 0
    headers = {str(k).lower(): str(v) for k, v in ((raw.headers or {}) if raw is not None else {}).items()}
    described = f"{code}: {message} (HTTP {status})"
    if status == 429 or code in (RATE_LIMITED, MESSAGE_RATE_LIMITED):
        try:
            wait = float(headers.get(RESET_HEADER, "1"))
        except ValueError:
            wait = 1.0
        raise RetryAfter(max(wait, 0.1))
    if code in UNREACHABLE:
        raise Blocked(described)
    if status >= 500 or code is None or code in TOKEN_REFUSED:
        raise Transient(described)
    raise Rejected(described)
