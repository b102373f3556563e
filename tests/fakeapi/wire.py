"""How one Bot API call is read and answered: the token, the decoded parameters, Telegram's error envelope."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from .models import ApiRequest, UploadedFile

HOST = "127.0.0.1"
DEFAULT_TOKEN = "123456789:TEST-fake_api_token"
TOKEN_RE = re.compile(r"\d+:[\w-]+")
MAX_UPLOAD = 50 * 1024 * 1024

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


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """The parameters and uploaded files of a request, decoded from JSON, urlencoded or multipart."""
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


def error_response(error: ApiError) -> web.Response:
    return web.json_response(error.envelope(), status=error.status)


def chat_of(params: Mapping[str, Any]) -> int | None:
    value = params.get("chat_id")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value):
        return int(value)
    return None
