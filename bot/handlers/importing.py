"""/import: an admin sends a sheet of clients; the bot checks every row, reports, and imports on Yes.

```mermaid
flowchart LR
    import[/import] --> template[explanation + template.xlsx]
    file[.xlsx / .csv sent] --> report[report: accepted, refused and why]
    report -- Import --> done[the rows written, a slice at a time]
    report -- Cancel --> nothing[nothing written]
```
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Literal

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.events import Button, Edit, Keyboard, Send, SendDocument
from bot.core.router import Router
from bot.core.slices import Budget
from bot.core.text import MAX_TEXT
from bot.documents.importing import (
    COLUMNS,
    PROGRESS_EVERY,
    Checker,
    Plan,
    Row,
    SheetError,
    example_row,
    header_names,
    read_sheet,
    template,
)
from bot.domain.staff import Role
from bot.i18n import LOCALES, N_, Translator

log = logging.getLogger(__name__)
router = Router()
# How many refused rows the report lists one by one; the rest are counted.
SHOWN_REFUSALS = 30
# The longest cell value quoted in the report (the whole report should fit one message, also within
# Telegram's 4,096 characters, the least of the messengers' limits).
QUOTED = 40
# The least time between two progress edits of one message.
PROGRESS_SECONDS = 1.5
# Rows checked for the Import button between two looks at the slice's time.
ROWS_AT_A_TIME = 25
_LABELS = {column.id: column.label_key for column in COLUMNS}


@router.command("import", role=Role.ADMIN, menu=N_("cmd.import"))
def explain(ctx: Context) -> None:
    """Explains the sheet and sends the template in the admin's language."""
    columns = ctx.t.join((ctx.t(column.label_key) for column in COLUMNS), style="series")
    ctx.reply(ctx.t("import.help", columns=columns))
    ctx.actions.append(SendDocument(ctx.event.chat_id, ctx.t("import.template.file"), template(ctx.t),
                                    caption=ctx.t("import.template.caption")))


@router.document(".xlsx", ".csv", ".xls", role=Role.ADMIN)
def receive(ctx: Context) -> None:
    """Reads the file off the core (``Context.set_aside``: everybody else is answered meanwhile), then
    checks it, keeps its rows and answers with the report and the Import button (in the progress
    message, edited in place, when the transport delivers progress live)."""
    document = ctx.event.document
    assert document is not None and document.content is not None
    name, content = document.name, document.content
    if document.suffix == ".xls":  # the old binary format: openpyxl cannot read it, Excel converts it
        ctx.reply(ctx.t("import.error.xls", name=name))
        return
    headers = header_names(_translators(ctx))

    def read() -> tuple[Progress, list[tuple[int, Row]] | SheetError]:
        # Off the core, so the core never waits for these messages to reach the messenger.
        first = Send(ctx.event.chat_id, ctx.t("import.reading", name=name, done=0))
        progress = Progress(ctx, ctx.live(first), just_sent=True)
        try:
            return progress, read_sheet(name, content, headers, lambda done: progress.show(
                ctx.t("import.reading", name=name, done=done)))
        except SheetError as error:
            return progress, error

    ctx.set_aside(read, lambda ctx, done: _read(ctx, done[0].resumed(ctx), name, done[1]))


def _read(ctx: Context, progress: Progress, name: str, rows: list[tuple[int, Row]] | SheetError) -> None:
    """The file read: why it cannot be imported, or its rows checked, a slice at a time."""
    if ctx.staff is None:  # no longer allowed in while the file was read
        return
    if isinstance(rows, SheetError):
        headers = ctx.t.join((ctx.t(column.label_key) for column in COLUMNS[:3]), style="series")
        progress.finish(ctx.t(rows.key, name=name, headers=headers, **rows.params))
        return
    checker = Checker(ctx.services.clients, by=ctx.staff.user_id, now=ctx.now, examples=_examples(ctx))
    _check_slice(ctx, progress, name, rows, checker, done=0)


def _check_slice(ctx: Context, progress: Progress, name: str, rows: list[tuple[int, Row]], checker: Checker,
                 *, done: int) -> None:
    """Checks ``PROGRESS_EVERY`` rows in this turn of the core, the next ones in a turn of their own
    (others' updates go in between: 20,000 rows took a second of the core), then keeps the rows and
    shows the report with the Import button."""
    if ctx.staff is None:
        return
    if done:
        progress.show(ctx.t("import.checking", name=name, done=done, total=len(rows)))
    checker.add(rows[done:done + PROGRESS_EVERY])
    done += PROGRESS_EVERY
    if done < len(rows):
        ctx.later(lambda ctx: _check_slice(ctx, progress.resumed(ctx), name, rows, checker, done=done))
        return
    plan = checker.plan
    serial = ctx.services.clients.hold_sheet(ctx.staff.user_id, name, rows)
    lines = [ctx.t.plural("import.report.title", len(rows), name=name), _summary(ctx, plan)]
    lines += _refusals(ctx, plan)
    if plan.accepted:
        lines += ["", ctx.t("import.report.ask")]
        go = Button(ctx.t.plural("import.button.go", plan.accepted), ImportButton("go", serial).pack())
        buttons = keyboard([go, Button(ctx.t("import.button.cancel"), ImportButton("no", serial).pack())])
    else:
        lines += ["", ctx.t("import.report.nothing")]
        buttons = ()
    progress.finish("\n".join(lines), buttons)


@dataclass(frozen=True)
class ImportButton(CallbackData, prefix="imp"):
    """``imp:go|no:<serial>``: import the checked file, or forget it."""

    action: Literal["go", "no"]
    serial: int


@router.callback(ImportButton.prefix, role=Role.ADMIN, live=True)
def confirm(ctx: Context) -> None:
    """Imports every accepted row, a slice at a time (``_import_slice``), or forgets the file."""
    assert ctx.staff is not None
    button = ImportButton.from_args(ctx.args)
    action, serial = button.action, button.serial
    waiting = ctx.services.clients.held_sheet(ctx.staff.user_id, serial)
    if waiting is None:
        ctx.toast(ctx.t("import.expired"), alert=True)
        return
    name, rows = waiting
    # Forgotten at once: the button pressed again while the slices go on finds nothing to import.
    ctx.services.clients.drop_sheet(ctx.staff.user_id)
    if action != "go":
        ctx.show(ctx.t("import.cancelled", name=name))
        return
    progress = Progress(ctx, ctx.event.message_id, live=False)
    progress.show(ctx.t("import.progress", name=name, done=0, total=len(rows)))
    checker = Checker(ctx.services.clients, by=ctx.staff.user_id, now=ctx.now, examples=_examples(ctx))
    ctx.later(lambda ctx: _import_slice(ctx, progress.resumed(ctx), name, rows, checker, done=0))


def _import_slice(ctx: Context, progress: Progress, name: str, rows: list[tuple[int, Row]], checker: Checker,
                  *, done: int) -> None:
    """Checks the next rows again (the database may have changed since the report) and writes what
    they add, as many rows as a slice of the core's time allows (``bot.core.slices``), in this turn's
    one write; the next rows in a turn of their own, so whoever typed meanwhile goes first. Then says
    what was imported; if a write fails, what the rows before it imported (``bot.documents.importing``)."""
    if ctx.staff is None:  # no longer allowed in: the rows the slices before wrote stay
        return
    budget, start = Budget(), done
    while done < len(rows) and (done == start or budget.left()):
        # Written as checked, a few rows at a time: the writing (the name index's pinyin of each new
        # client) is most of the cost, and the slice's time must count it.
        checker.add(rows[done:done + ROWS_AT_A_TIME])
        clients, contacts = checker.fresh()
        try:
            ctx.services.clients.import_all(clients, contacts)
        except Exception:
            log.exception("import of %s failed at row %d", name, rows[done][0])
            saved = len(checker.plan.clients) - len(clients), len(checker.plan.contacts) - len(contacts)
            if any(saved):
                progress.finish(ctx.t("import.failed_part", name=name, row=rows[done][0], clients=saved[0],
                                      contacts=saved[1]))
            else:
                progress.finish(ctx.t("import.failed", name=name))
            return
        done = min(done + ROWS_AT_A_TIME, len(rows))
    if done < len(rows):
        if done // PROGRESS_EVERY > start // PROGRESS_EVERY:
            shown = done - done % PROGRESS_EVERY
            progress.show(ctx.t("import.progress", name=name, done=shown, total=len(rows)))
        ctx.later(lambda ctx: _import_slice(ctx, progress.resumed(ctx), name, rows, checker, done=done))
        return
    progress.finish(ctx.t("import.done", name=name, clients=len(checker.plan.clients),
                          contacts=len(checker.plan.contacts)))


class Progress:
    """One message that shows how long work advances, then its result.

    With a live transport the message is edited as the work goes on (``Context.live``), at most once
    every ``PROGRESS_SECONDS``: Telegram allows about one message a second in a chat, and whoever
    shows it waits for each edit. Without a live transport, or if the first message could not be
    sent, only the result is sent. In work done in turns of the core (``resumed``), an edit goes out
    with the turn's reply instead, while the core is free.
    """

    def __init__(self, ctx: Context, message_id: int | None, *, just_sent: bool = False,
                 last: float | None = None, live: bool = True) -> None:
        self._ctx = ctx
        self._message_id = message_id
        self._last = time.monotonic() if just_sent else last
        self._live = live

    def resumed(self, ctx: Context) -> Progress:
        """The same message, paced as before, for the next turn of the handler (``Context.set_aside``)."""
        return Progress(ctx, self._message_id, last=self._last, live=False)

    def show(self, text: str) -> None:
        if self._message_id is None:
            return
        now = time.monotonic()  # wall time on purpose: this paces messages, it is not business time
        if self._last is not None and now - self._last < PROGRESS_SECONDS:
            return
        self._last = now
        edit = Edit(self._ctx.event.chat_id, self._message_id, text)
        if self._live:
            self._ctx.live(edit)
        else:
            self._ctx.actions.append(edit)

    def finish(self, text: str, buttons: Keyboard = ()) -> None:
        if self._message_id is None:
            self._ctx.reply(text, buttons)
        else:
            self._ctx.actions.append(Edit(self._ctx.event.chat_id, self._message_id, text, buttons))


def _examples(ctx: Context) -> list[Row]:
    """The template's example row in every language: refused if sent back unchanged."""
    return [example_row(t) for t in _translators(ctx)]


def _summary(ctx: Context, plan: Plan) -> str:
    accepted = ctx.t.plural("import.report.accepted", plan.accepted, clients=len(plan.clients),
                            contacts=len(plan.contacts))
    return accepted + "\n" + ctx.t.plural("import.report.refused", len(plan.refused))


def _refusals(ctx: Context, plan: Plan) -> list[str]:
    lines = []
    for refusal in plan.refused[:SHOWN_REFUSALS]:
        column = ctx.t(_LABELS[refusal.column]) if refusal.column else ""
        reason = ctx.t(refusal.reason, value=_short(refusal.value), column=column, limit=MAX_TEXT)
        lines.append(ctx.t("import.report.line", row=refusal.row, reason=reason))
    hidden = len(plan.refused) - SHOWN_REFUSALS
    if hidden > 0:
        lines.append(ctx.t.plural("import.report.more", hidden))
    return lines


def _translators(ctx: Context) -> list[Translator]:
    return [ctx.services.i18n.get(locale) for locale in LOCALES]


def _short(value: str) -> str:
    return value if len(value) <= QUOTED else value[:QUOTED - 1] + "…"
