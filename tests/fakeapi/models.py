"""Plain records the fake Bot API keeps, so tests can assert on what the bot did and what a person saw."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    UserLike = Mapping[str, Any] | DataclassInstance
else:
    UserLike = Any


@dataclass(frozen=True)
class FakeUser:
    """A Telegram user the tests play. ``to_dict`` gives the Bot API ``User`` object."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"
    is_bot: bool = False

    def to_dict(self) -> dict[str, Any]:
        return user_dict(self)


def user_dict(user: UserLike) -> dict[str, Any]:
    """Turn a dict or any dataclass into a Bot API ``User`` object (``None`` fields dropped)."""
    if dataclasses.is_dataclass(user) and not isinstance(user, type):
        raw: dict[str, Any] = dataclasses.asdict(user)
    elif isinstance(user, Mapping):
        raw = dict(user)
    else:
        raise TypeError(f"expected a dict or a dataclass describing a Telegram user, got {user!r}")
    data = {key: value for key, value in raw.items() if value is not None}
    if "id" not in data or "first_name" not in data:
        raise ValueError(f"a Telegram user needs at least 'id' and 'first_name': {data!r}")
    data.setdefault("is_bot", False)
    return data


@dataclass(frozen=True)
class UploadedFile:
    """A file the bot uploaded (or a test sent to the bot), kept byte for byte."""

    file_id: str
    filename: str | None
    content: bytes
    content_type: str | None

    @property
    def text(self) -> str:
        """The content decoded as UTF-8, handy for CSV/text exports."""
        return self.content.decode("utf-8")


@dataclass
class ApiRequest:
    """One HTTP call the bot made, with decoded parameters and the answer it got."""

    method: str  # as sent, e.g. "sendMessage"
    params: dict[str, Any]
    files: dict[str, UploadedFile]
    token: str
    http_method: str
    content_type: str
    time: float  # time.time() when it arrived
    status: int | None = None  # None while the request is still being handled
    response: dict[str, Any] | None = None

    @property
    def name(self) -> str:
        """The method name in lower case; Telegram treats method names case-insensitively."""
        return self.method.lower()

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def description(self) -> str | None:
        return None if self.response is None else self.response.get("description")


@dataclass(frozen=True)
class BotMessage:
    """One version of a message the bot sent or edited: what a person sees, plus the raw request.

    ``text`` is the text after Telegram parsed the formatting (tags removed, entities unescaped,
    whitespace trimmed) -- or the caption for a document. ``raw_text`` is exactly what the bot sent.
    """

    seq: int  # position in the server's event history
    event: Literal["sent", "edited"]
    method: str
    chat_id: int
    message_id: int
    text: str | None
    raw_text: str | None
    parse_mode: str | None
    entities: list[dict[str, Any]]
    reply_markup: dict[str, Any] | None
    document: UploadedFile | None
    payload: dict[str, Any] = field(repr=False)  # the Telegram Message object as returned to the bot

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """Rows of inline keyboard buttons (empty when the message has none)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or []
        return [list(row) for row in rows]

    @property
    def button_texts(self) -> list[str]:
        return [str(button.get("text")) for row in self.buttons for button in row]

    @property
    def reply_keyboard(self) -> list[list[str]]:
        """Texts of a reply (bottom) keyboard sent with this message, if any."""
        markup = self.reply_markup or {}
        rows = markup.get("keyboard") or []
        return [[b if isinstance(b, str) else str(b.get("text")) for b in row] for row in rows]

    def callback_data(self, button_text: str) -> str:
        """The callback_data of the inline button showing ``button_text`` (exact match, else substring)."""
        buttons = [button for row in self.buttons for button in row]
        for exact in (True, False):
            for button in buttons:
                label = str(button.get("text", ""))
                if (label == button_text if exact else button_text in label) and "callback_data" in button:
                    return str(button["callback_data"])
        raise AssertionError(
            f"no inline button {button_text!r} in message {self.message_id}: {self.button_texts}"
        )


@dataclass(frozen=True)
class CallbackAnswer:
    """How the bot answered a button press (``answerCallbackQuery``)."""

    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    params: dict[str, Any] = field(repr=False)


@dataclass
class InjectedFailure:
    """A queued error answer for the next ``times`` calls of ``method`` (``*`` = any but getUpdates)."""

    method: str
    status: int
    description: str
    retry_after: int | None
    times: int
    chat_id: int | None = None

    def matches(self, method: str, chat_id: int | None) -> bool:
        if self.times <= 0:
            return False
        if self.method == "*":
            if method == "getupdates":
                return False
        elif self.method.lower() != method:
            return False
        return self.chat_id is None or self.chat_id == chat_id
