"""What both Telegram transports do the same way: what Telegram can do (``TELEGRAM``), start-up
chores around the runner, a keyboard as the Bot API reads it, which Bot API call carries out which
action (``call``), and Telegram accounts as the people the core knows."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

from bot.core.capabilities import Capabilities
from bot.core.delivery import Performer, Rejected
from bot.core.events import (
    Action,
    AnswerCallback,
    AnswerInline,
    Edit,
    Event,
    Keyboard,
    Send,
    SendDocument,
    SetCommands,
    plain_label,
)
from bot.core.router import command_menu
from bot.core.runner import Runner
from bot.i18n import LOCALES
from bot.repositories.identities import Identities

TELEGRAM = Capabilities(
    max_text=4096,  # Telegram's limit for a message's text
    max_file_bytes=50 * 1024 * 1024,  # Telegram refuses documents a bot sends above 50 MB
    command_menu=True,  # setMyCommands, per chat and per language
    chat_link="https://t.me/{bot}?start={payload}",  # a deep link: /start <payload> in the bot's chat
)

# Telegram keys command menus on two-letter language codes only, so "zh" gets Simplified Chinese;
# a Traditional Chinese user gets their own menu per chat once the bot knows them.
MENU_LANGUAGE_CODES = {"zh_Hans": "zh", "en": "en"}


def default_menus(runner: Runner) -> list[Action]:
    """The menus strangers and new users see before the bot knows them."""
    services = runner.dispatcher.services
    actions: list[Action] = []
    for locale in LOCALES:
        code = MENU_LANGUAGE_CODES.get(locale)
        if code is None:
            continue
        t = services.i18n.get(locale)
        actions.append(SetCommands(command_menu(services.routes, None, t), language_code=code))
    default = services.i18n.get(services.settings.bot_default_locale)
    actions.append(SetCommands(command_menu(services.routes, None, default)))
    return actions


def inline_keyboard(buttons: Keyboard) -> dict[str, Any] | None:
    """The Bot API's ``InlineKeyboardMarkup`` for ``buttons`` as plain JSON data (None: no keyboard).

    Why not the frameworks' keyboard classes: our replies are sent as plain parameters (see the
    adapters' ``perform``), and building those objects for a keyboard of eight buttons and encoding
    them again was a measurable part of every reply (README, "Benchmarks")."""
    if not buttons:
        return None
    return {"inline_keyboard": [[{"text": plain_label(b), "url": b.url} if b.url
                                 else {"text": plain_label(b), "callback_data": b.data} for b in row]
                                for row in buttons]}


def from_telegram(event: Event, identities: Identities) -> Event:
    """``event`` with its sender as the person they are: a Telegram account linked to someone
    (``/link``) is that person, in their private chat too; any other is itself (a dictionary look-up
    per update, nothing else)."""
    person = identities.telegram_person(event.user.id)
    if person == event.user.id:
        return event
    chat_id = person if event.chat_id == event.user.id else event.chat_id
    return replace(event, user=replace(event.user, id=person), chat_id=chat_id)


class ToTelegram:
    """A Telegram adapter's performer, sending what the core addresses to a person to that person's
    Telegram account (the same id, unless they linked it)."""

    def __init__(self, performer: Performer, identities: Identities) -> None:
        self._performer = performer
        self._identities = identities

    async def perform(self, action: Action) -> int | None:
        if isinstance(action, Send | Edit | SendDocument | SetCommands) and action.chat_id is not None:
            account = self._identities.telegram_chat(action.chat_id)
            if account is None:
                raise Rejected(f"person {action.chat_id} has no Telegram account")
            if account != action.chat_id:
                action = replace(action, chat_id=account)
        return await self._performer.perform(action)


class BotCalls(Protocol):
    """One framework's Bot API call for each kind of action (the Telegram adapters' performers)."""

    async def send(self, action: Send) -> int | None: ...  # the new message's id
    async def edit(self, action: Edit) -> None: ...
    async def answer_callback(self, action: AnswerCallback) -> None: ...
    async def send_document(self, action: SendDocument) -> int: ...
    async def answer_inline(self, action: AnswerInline) -> None: ...
    async def set_commands(self, action: SetCommands) -> None: ...


async def call(calls: BotCalls, action: Action) -> int | None:
    """Carries out ``action`` through ``calls``: the id of the message it sent or edited, if any."""
    if isinstance(action, Send):
        return await calls.send(action)
    if isinstance(action, Edit):
        await calls.edit(action)
        return action.message_id
    if isinstance(action, AnswerCallback):
        await calls.answer_callback(action)
    elif isinstance(action, SendDocument):
        return await calls.send_document(action)
    elif isinstance(action, AnswerInline):
        await calls.answer_inline(action)
    elif isinstance(action, SetCommands):
        await calls.set_commands(action)
    return None
