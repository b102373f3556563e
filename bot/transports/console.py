"""The console chat: the same core and database in a terminal, no Telegram token needed.

The person at the keyboard is the local admin (user id 0, which no Telegram account has). Buttons
are shown as numbers; typing the number presses the button of the latest message that has them
(``=2`` sends the number itself, for a question that wants one).
Messages for other people (an admin notice, a colleague) are printed with their recipient.
``/upload <path>`` sends a local file as if it were a Telegram document (an import sheet), and
``@bot 今天`` shows the inline results Telegram would offer in any chat. End of
input ends the chat with exit code 0, so ``printf '/start\\n/help\\n' | python -m bot`` works.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import mimetypes
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bot.core.capabilities import Capabilities
from bot.core.context import Context
from bot.core.delivery import Delivery
from bot.core.events import (
    MAX_INCOMING_FILE_BYTES,
    Action,
    AnswerCallback,
    AnswerInline,
    Edit,
    Event,
    IncomingFile,
    Keyboard,
    Send,
    SendDocument,
    User,
)
from bot.core.runner import Runner
from bot.scheduling import start_scheduler

CONSOLE_USER_ID = 0
# A terminal shows a message of any length and keeps a file of any size; it has no command menu,
# and nobody else can open the chat, so there is no link to it (an invitation shows its code).
CONSOLE = Capabilities(max_text=sys.maxsize, max_file_bytes=sys.maxsize, command_menu=False)
_TAGS = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    """Telegram HTML as a terminal shows it."""
    return html.unescape(_TAGS.sub("", text))


class ConsolePerformer:
    """Prints actions; remembers the latest buttons so a number can press them."""

    def __init__(self, out: TextIO, user_id: int) -> None:
        self._out = out
        self._user_id = user_id
        self._ids = itertools.count(1)
        self.buttons: Keyboard = ()
        self.buttons_message: int | None = None

    async def perform(self, action: Action) -> int | None:
        if isinstance(action, Send | Edit):
            return self._show(action)
        if isinstance(action, AnswerCallback) and action.text:
            self._print(f"  ({plain(action.text)})")
        if isinstance(action, SendDocument):
            self._print(f"📎 {action.filename} ({len(action.content)} bytes) → {save_file(action)}")
        if isinstance(action, AnswerInline):
            for number, article in enumerate(action.results, 1):
                self._print(f"  @{number} {article.title} — {article.description}\n{plain(article.text)}")
            if not action.results:
                self._print("  @ —")
        return None

    def _show(self, action: Send | Edit) -> int:
        message_id = action.message_id if isinstance(action, Edit) else next(self._ids)
        if action.chat_id != self._user_id:
            self._print(f"→ [{action.chat_id}] {plain(action.text)}")
            return message_id
        self._print(("✎ " if isinstance(action, Edit) else "") + plain(action.text))
        buttons = [button for row in action.buttons for button in row]
        for number, button in enumerate(buttons, 1):
            self._print(f"  [{number}] {plain(button.label)}" + (f" {button.url}" if button.url else ""))
        if buttons or (isinstance(action, Edit) and action.message_id == self.buttons_message):
            self.buttons, self.buttons_message = action.buttons, message_id
        return message_id

    def _print(self, line: str) -> None:
        print(line, file=self._out, flush=True)


async def run_console(runner: Runner, language_code: str, stdin: TextIO = sys.stdin,
                      out: TextIO = sys.stdout) -> int:
    """Reads lines until end of input; each is a message or a button number."""
    performer = ConsolePerformer(out, CONSOLE_USER_ID)
    runner.dispatcher.services.capabilities = CONSOLE
    runner.delivery = Delivery(performer, max_text=CONSOLE.max_text)
    user = User(CONSOLE_USER_ID, "Console", "Admin", "console", language_code)
    services = runner.dispatcher.services
    await runner.call(services.access.configured_admin, user, services.clock.now())
    t = services.i18n.for_language_code(language_code)
    await runner.push([Send(CONSOLE_USER_ID, t("console.hint"))])
    # A form left open when the console last stopped: its question again, so that its buttons have
    # numbers in this run too (a number typed would otherwise be taken as the answer's text).
    shown, _ = await runner.call(runner.dispatcher.resume, Event(user, CONSOLE_USER_ID), _show_open_form)
    await runner.push(shown)
    echo = not stdin.isatty()
    loop = asyncio.get_running_loop()
    jobs = start_scheduler(runner)  # nudges are printed as they come due
    try:
        while line := await loop.run_in_executor(None, stdin.readline):
            text = line.strip()
            if not text:
                continue
            if echo:
                print(f"> {text}", file=out, flush=True)
            await runner.process(_event(user, text, performer))
    finally:
        await jobs.stop()
    return 0


def _show_open_form(ctx: Context) -> None:
    """Shows the console user's open form where they left it, if there is one."""
    ctx.services.flows.show_open(ctx)


def _event(user: User, text: str, performer: ConsolePerformer) -> Event:
    if text.startswith("/upload "):
        return Event(user, CONSOLE_USER_ID, document=read_upload(Path(text.removeprefix("/upload ").strip())))
    if text.startswith("@"):  # "@bot 今天": inline mode, as typed in any Telegram chat
        query = text.partition(" ")[2]
        return Event(user, CONSOLE_USER_ID, "inline", text=query, inline_id=f"console-inline-{len(text)}")
    if text.startswith("=") and text[1:].strip().isdigit():  # "=2": the number as an answer, not a button
        return Event(user, CONSOLE_USER_ID, text=text[1:].strip())
    buttons = [button for row in performer.buttons for button in row if button.data]
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return Event(user, CONSOLE_USER_ID, callback_data=buttons[int(text) - 1].data,
                     callback_id=f"console-{text}", message_id=performer.buttons_message)
    return Event(user, CONSOLE_USER_ID, text=text)


def save_file(document: SendDocument) -> Path:
    """A file the bot sent, kept where the person at the console can open it (readable by them only:
    a backup holds confidential client data)."""
    folder = Path(tempfile.gettempdir()) / f"reception-bot-files-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / Path(document.filename).name
    with os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as handle:
        handle.write(document.content)
    return target


def read_upload(path: Path) -> IncomingFile:
    """``/upload <path>``: a local file as if sent as a document (no content if unreadable or too big)."""
    mime_type = mimetypes.guess_type(path.name)[0] or ""
    try:
        size = path.stat().st_size
        if size > MAX_INCOMING_FILE_BYTES:
            return IncomingFile(path.name, mime_type, size)
        content = path.read_bytes()
    except OSError:
        return IncomingFile(path.name, mime_type)
    return IncomingFile(path.name, mime_type, len(content), content)
