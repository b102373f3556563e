"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests; see :mod:`.server`."""

from .models import ApiRequest, BotMessage, CallbackAnswer, FakeUser, UploadedFile, UserLike, user_dict
from .parse_mode import HtmlParseError, ParsedText, parse_html
from .server import DEFAULT_TOKEN, ApiError, Call, FakeBotApi, MethodHandler

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "ApiRequest",
    "BotMessage",
    "Call",
    "CallbackAnswer",
    "FakeBotApi",
    "FakeUser",
    "HtmlParseError",
    "MethodHandler",
    "ParsedText",
    "UploadedFile",
    "UserLike",
    "parse_html",
    "user_dict",
]
