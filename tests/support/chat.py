"""A chat simulator over the real core: people send text and press buttons by their label.

It builds the bot exactly as production does (``bot.bootstrap.build``) on a real TinyDB in a
temporary folder, with a fixed clock, and keeps every message the bot sent per chat, with message
ids, so that pressing a button edits the right message as Telegram would.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.context import Context
from bot.core.dispatcher import Dispatcher
from bot.core.events import (
    Action,
    AnswerCallback,
    Button,
    Edit,
    Event,
    IncomingFile,
    Outcome,
    RenderDocument,
    Send,
    SendDocument,
    SetCommands,
    User,
)
from bot.flows.model import Flow
from bot.services.dispatch import NudgeSender
from bot.settings import load_settings
from bot.storage import Database
from tests.support.buttons import by_label

_TAGS = re.compile(r"<[^>]+>")
#: Monday 23 November 2026, 09:00 in Shanghai: the time every test world starts at.
MONDAY_9AM = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


@dataclass
class Message:
    message_id: int
    html: str
    buttons: tuple[tuple[Button, ...], ...]

    @property
    def text(self) -> str:
        return html.unescape(_TAGS.sub("", self.html))

    def button(self, label: str) -> Button:
        return by_label(self.buttons, label, "the message")


@dataclass
class World:
    """The bot and everyone's chats with it."""

    data_dir: Path
    admin_ids: frozenset[int] = frozenset({1})
    clock: FixedClock = field(default_factory=FixedClock)
    default_locale: str = "zh_Hans"
    chats: dict[int, list[Message]] = field(default_factory=dict)
    toasts: list[str] = field(default_factory=list)
    # The names of the files sent to each chat (made or still to be made).
    files: dict[int, list[str]] = field(default_factory=dict)
    menus: list[SetCommands] = field(default_factory=list)
    flows: dict[str, Flow] | None = None
    # Whether what an update queued for others is delivered after its reply (the bench, which times
    # the reply alone, leaves it queued).
    send_pushes: bool = True

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self.open()

    def open(self) -> None:
        """Starts the bot (again) on the same data dir: a restart."""
        settings = load_settings(
            BOT_DATA_DIR=self.data_dir, BOT_ADMIN_IDS=",".join(map(str, self.admin_ids)),
            BOT_DEFAULT_LOCALE=self.default_locale, TELEGRAM_BOT_TOKEN="",
        )
        self.db = Database.open(self.data_dir)
        self.dispatcher: Dispatcher = bootstrap.build(settings, self.clock, self.db, self.flows)
        self.dispatcher.services.bot_username = "reception_test_bot"

    def restart(self) -> None:
        self.db.close()
        self.open()

    def person(self, user_id: int, first_name: str = "Test", language_code: str = "zh-hans",
               last_name: str = "", username: str = "") -> Person:
        return Person(self, User(user_id, first_name, last_name, username, language_code))

    def group(self, chat_id: int = -1001, kind: str = "supergroup") -> Group:
        """A group chat with the bot in it (Telegram's group ids are negative)."""
        return Group(self, chat_id, kind)

    def tick(self) -> int:
        """One wake-up of the scheduler: due nudges (and the summary of access requests held back, if
        one is due) are queued in the outbox and everything queued there is delivered; returns how
        many messages went out."""
        services = self.dispatcher.services
        with services.db.unit():
            services.outbox.add([item.message for item in NudgeSender(services).due_messages()], "nudge")
            services.outbox.add(services.access.due_summaries(self.clock.now(), services.i18n), "notice")
        return self.flush_outbox()

    def flush_outbox(self) -> int:
        """Delivers what the outbox holds (every push reaches its chat); returns how many."""
        outbox, now = self.dispatcher.services.outbox, self.clock.now()
        taken = outbox.take(now, 100_000)
        self.deliver([push.message for push in taken])
        outbox.settle([(push, Outcome(push.message, delivered=True)) for push in taken], now)
        return len(taken)

    def handle(self, update: Callable[[], list[Action]]) -> list[Action]:
        """Handles an update (``update`` runs it through the core) as the runner does: its reply is
        delivered, then, if its handler queued pushes for others (``Context.push``), the outbox; the
        reply's actions are returned."""
        outbox = self.dispatcher.services.outbox
        with outbox.holding() as pushed:
            actions = update()
        self.deliver(actions)
        outbox.let_go(pushed)
        if pushed and self.send_pushes:
            self.flush_outbox()
        return actions

    def deliver(self, actions: list[Action]) -> None:
        for action in actions:
            if isinstance(action, Send):
                chat = self.chats.setdefault(action.chat_id, [])
                chat.append(Message(next(self._ids), action.text, action.buttons))
            elif isinstance(action, Edit):
                for message in self.chats.get(action.chat_id, []):
                    if message.message_id == action.message_id:
                        message.html, message.buttons = action.text, action.buttons
            elif isinstance(action, AnswerCallback) and action.text:
                self.toasts.append(action.text)
            elif isinstance(action, SendDocument | RenderDocument):
                self.files.setdefault(action.chat_id, []).append(action.filename)
            elif isinstance(action, SetCommands):
                self.menus.append(action)


@dataclass
class Person:
    world: World
    user: User

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def messages(self) -> list[Message]:
        return self.world.chats.get(self.user.id, [])

    @property
    def last(self) -> Message:
        assert self.messages, f"user {self.id} has received nothing"
        return self.messages[-1]

    def send(self, text: str) -> Person:
        self.world.handle(lambda: self.world.dispatcher.handle(Event(self.user, self.user.id, text=text)))
        return self

    def press(self, label: str, message: Message | None = None) -> Person:
        """Presses the button whose label contains ``label`` on the latest message that has one."""
        if message is None:
            with_buttons = [m for m in self.messages if m.buttons]
            assert with_buttons, "no message with buttons"
            message = next((m for m in reversed(with_buttons)
                            if any(label in b.label for row in m.buttons for b in row)), with_buttons[-1])
        return self.press_data(message.button(label).data, message.message_id)

    def press_unanswered(self, label: str, message: Message) -> Person:
        """Presses a button on ``message`` whose answer never reaches the chat: the bot wrote what the
        press changed, then a crash lost the reply (and what it queued for others) before it was sent."""
        event = Event(self.user, self.user.id, callback_data=message.button(label).data,
                      callback_id=f"cb{message.message_id}", message_id=message.message_id)
        self.world.dispatcher.handle(event)
        return self

    def press_data(self, data: str, message_id: int = 1) -> Person:
        """Presses a button by its callback data (also one this person was never shown)."""
        event = Event(self.user, self.user.id, callback_data=data, callback_id=f"cb{message_id}",
                      message_id=message_id)
        self.world.handle(lambda: self.world.dispatcher.handle(event))
        return self

    def start_flow(self, name: str) -> Person:
        """Opens a flow as a command handler would."""
        services = self.world.dispatcher.services
        staff = services.access.staff.get(self.id)
        ctx = Context(Event(self.user, self.user.id, text="/flow"), services, staff,
                      services.i18n.for_language_code(self.user.language_code))

        def start() -> list[Action]:
            services.flows.start(ctx, name)
            return ctx.actions

        self.world.handle(start)
        return self

    def sees_text(self) -> str:
        """Everything this person was sent, as one text (for "was it said at all")."""
        return "\n".join(m.text for m in self.messages)

    def sees(self, fragment: str) -> bool:
        return any(fragment in m.text for m in self.messages)


@dataclass
class Group:
    """A group chat: members send and press there, and whatever the bot sends it, all of them see."""

    world: World
    chat_id: int
    kind: str
    # What the bot did in the group for the latest message or press (button answers aside).
    actions: list[Action] = field(default_factory=list)

    @property
    def messages(self) -> list[Message]:
        return self.world.chats.get(self.chat_id, [])

    @property
    def last(self) -> Message:
        assert self.messages, f"group {self.chat_id} has received nothing"
        return self.messages[-1]

    def send(self, person: Person, text: str) -> Group:
        self._handle(Event(person.user, self.chat_id, self.kind, text=text))
        return self

    def upload(self, person: Person, name: str, content: bytes) -> Group:
        """``person`` sends a file into the group."""
        document = IncomingFile(name, size=len(content), content=content)
        self._handle(Event(person.user, self.chat_id, self.kind, document=document))
        return self

    def press_data(self, person: Person, data: str, message_id: int = 1) -> Group:
        """``person`` presses, in the group, a button with this callback data."""
        self._handle(Event(person.user, self.chat_id, self.kind, callback_data=data,
                           callback_id=f"cb{message_id}", message_id=message_id))
        return self

    def _handle(self, event: Event) -> None:
        actions = self.world.handle(lambda: self.world.dispatcher.handle(event))
        self.actions = [a for a in actions if getattr(a, "chat_id", None) == self.chat_id]


def at(world: World, local: str) -> None:
    """Moves the clock to a Shanghai wall time, e.g. "2026-11-26 09:30"."""
    world.clock.current = datetime.fromisoformat(local + "+08:00").astimezone(UTC)
