"""What the conversation core takes in and gives out, with no messenger framework in sight.

A transport (aiogram, python-telegram-bot, Feishu, the console) turns what it receives into an
``Event`` and carries out the ``Action`` objects the core returns.

Everything the core says is already translated and written in one markup, the core's HTML subset:
``<b>``, ``<i>``, ``<u>``, ``<s>``, ``<code>``, ``<pre>``, ``<a href>``, and the entities ``&amp;``
``&lt;`` ``&gt;`` for what people typed. Each transport renders it its own way: Telegram takes it as
it is (it is a subset of Telegram's HTML), Feishu turns it into card markdown
(``bot.transports.feishu_cards``), the console into plain text. Whatever else the core must know of
the platform before it speaks (how long a message may be, whether links carry a ``/start``
payload), the transport declares as its ``bot.core.capabilities.Capabilities``.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class User:
    """The person behind an event, as the messenger describes them."""

    id: int
    first_name: str = ""
    last_name: str = ""
    username: str = ""
    language_code: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or self.username


# "private", "group", "supergroup" or "channel", as Telegram names them; other transports map their
# own onto these (Feishu's "p2p" is "private"). "inline" is an inline query's.
ChatType = str


# The largest file a transport downloads; a bigger one arrives without its content.
MAX_INCOMING_FILE_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file a user sent (a document, not a photo), downloaded by the transport.

    ``content`` is None when it was not downloaded: larger than ``MAX_INCOMING_FILE_BYTES``
    (``too_large``), or the download failed.
    """

    name: str
    mime_type: str = ""
    size: int = 0
    content: bytes | None = None

    @property
    def too_large(self) -> bool:
        return self.size > MAX_INCOMING_FILE_BYTES

    @property
    def suffix(self) -> str:
        """The lower-case extension with its dot (".xlsx"), or "" for a name without one."""
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot > 0 else ""


@dataclass(frozen=True, slots=True)
class Event:
    """One incoming update: a message with text or a file, or a press on an inline button."""

    user: User
    chat_id: int
    chat_type: ChatType = "private"
    text: str | None = None
    # A button press: the callback data, the id to answer, and the message the button sits on.
    callback_data: str | None = None
    callback_id: str | None = None
    message_id: int | None = None
    # A file sent as a document; ``text`` then holds its caption, if any.
    document: IncomingFile | None = None

    # An inline query (``@bot 今天`` typed in any chat): its id to answer; the query is in ``text``.
    inline_id: str | None = None
    # Telegram's id of the update (None elsewhere): one handed over again after a crash is known by
    # it and not applied twice (``bot.core.replays``).
    update_id: int | None = None

    @property
    def is_callback(self) -> bool:
        return self.callback_data is not None

    @property
    def private(self) -> bool:
        """Whether it comes from someone's private chat with the bot (not a group, not inline)."""
        return self.chat_type == "private"


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button. ``data`` is an id for the core, never the translated label.

    ``label`` is written like message text (the translator HTML-escapes what users typed), but
    messengers show button text literally, so transports turn it into plain text with ``plain_label``.
    """

    label: str
    data: str = ""
    url: str = ""


Keyboard = tuple[tuple[Button, ...], ...]


def plain_label(button: Button) -> str:
    """The label as a messenger must receive it: entities decoded, so "&lt;AG&gt;" shows as "<AG>"."""
    return html.unescape(button.label)


@dataclass(frozen=True, slots=True)
class Send:
    """Send a new message (text in the core's HTML subset)."""

    chat_id: int
    text: str
    buttons: Keyboard = ()


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text and buttons of a message the bot sent before."""

    chat_id: int
    message_id: int
    text: str
    buttons: Keyboard = ()


@dataclass(frozen=True, slots=True)
class AnswerCallback:
    """Acknowledge a button press, optionally with a short toast."""

    callback_id: str
    text: str = ""
    alert: bool = False


@dataclass(frozen=True, slots=True)
class SendDocument:
    """Send a file."""

    chat_id: int
    filename: str
    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class RenderDocument:
    """Send a file that takes long to make (a PDF: about a second of CPU): delivery makes it on a
    worker thread, so the core thread goes on answering everybody else meanwhile, then sends it.

    ``render`` must not touch the database or any service, only the data it closes over (a
    ``bot.documents.layout.Document``). If it fails, ``if_failed`` is said in the chat instead.
    """

    chat_id: int
    filename: str
    render: Callable[[], bytes]
    caption: str = ""
    if_failed: str = ""

    def made(self) -> SendDocument | Send:
        """The file to send, or the apology if it could not be made (this runs ``render``)."""
        try:
            return SendDocument(self.chat_id, self.filename, self.render(), self.caption)
        except Exception:
            log.exception("could not make %s", self.filename)
            return Send(self.chat_id, self.if_failed)


@dataclass(frozen=True, slots=True)
class InlineArticle:
    """One inline result: a titled message the user can drop into the chat they are typing in."""

    id: str
    title: str
    text: str  # in the core's HTML subset, sent when chosen
    description: str = ""


@dataclass(frozen=True, slots=True)
class AnswerInline:
    """Answer an inline query; no results means nothing to offer (what strangers get)."""

    inline_id: str
    results: tuple[InlineArticle, ...] = ()


@dataclass(frozen=True, slots=True)
class SetCommands:
    """Set the command menu, for one chat or (chat_id None) as a language's default; only where the
    messenger has one (``Capabilities.command_menu``)."""

    commands: tuple[tuple[str, str], ...]
    chat_id: int | None = None
    language_code: str = ""


Action = Send | Edit | AnswerCallback | SendDocument | RenderDocument | SetCommands | AnswerInline


@dataclass(slots=True)
class Outcome:
    """How a transport fared delivering one action; the core learns of unreachable users."""

    action: Action
    delivered: bool
    blocked: bool = False
    message_id: int | None = None
    error: str = field(default="")
