"""/import: an admin sends a sheet of clients; the bot checks every row, reports, and imports on Yes.

```mermaid
flowchart LR
    import[/import] --> template[explanation + template.xlsx]
    file[.xlsx / .csv sent] --> report[report: accepted, refused and why]
    report -- Import --> done[all rows written, or none]
    report -- Cancel --> nothing[nothing written]
```
"""

from __future__ import annotations

import logging

from bot.core.callbacks import pack
from bot.core.context import Context, keyboard
from bot.core.events import Button, SendDocument
from bot.core.router import Router
from bot.documents.importing import (
    COLUMNS,
    PendingImports,
    Plan,
    SheetError,
    check,
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


@router.command("import", role=Role.ADMIN, menu=N_("cmd.import"))
def explain(ctx: Context) -> None:
    """Explains the sheet and sends the template in the admin's language."""
    columns = ", ".join(ctx.t(column.label_key) for column in COLUMNS)
    ctx.reply(ctx.t("import.help", columns=columns))
    ctx.actions.append(SendDocument(ctx.event.chat_id, ctx.t("import.template.file"), template(ctx.t),
                                    caption=ctx.t("import.template.caption")))


@router.document(".xlsx", ".csv", role=Role.ADMIN)
def receive(ctx: Context) -> None:
    """Reads and checks the file, keeps its rows and answers with the report and the Import button."""
    document = ctx.event.document
    assert document is not None and document.content is not None and ctx.staff is not None
    try:
        rows = read_sheet(document.name, document.content, header_names(_translators(ctx)))
    except SheetError as error:
        headers = ", ".join(ctx.t(column.label_key) for column in COLUMNS[:3])
        ctx.reply(ctx.t(error.key, name=document.name, headers=headers, **error.params))
        return
    plan = _check(ctx, rows)
    pending = PendingImports(ctx.services.db.table("pending_imports"))
    serial = pending.put(ctx.staff.user_id, document.name, rows)
    lines = [ctx.t.plural("import.report.title", len(rows), name=document.name), _summary(ctx, plan)]
    lines += _refusals(ctx, plan)
    if plan.accepted:
        lines += ["", ctx.t("import.report.ask")]
        go = Button(ctx.t.plural("import.button.go", plan.accepted), pack("imp", "go", serial))
        buttons = keyboard([go, Button(ctx.t("import.button.cancel"), pack("imp", "no", serial))])
    else:
        lines += ["", ctx.t("import.report.nothing")]
        buttons = ()
    ctx.reply("\n".join(lines), buttons)


@router.callback("imp", role=Role.ADMIN)
def confirm(ctx: Context) -> None:
    """Imports every accepted row in one go (or none), or forgets the file."""
    assert ctx.staff is not None
    action, serial = ctx.args[0], int(ctx.args[1])
    pending = PendingImports(ctx.services.db.table("pending_imports"))
    waiting = pending.get(ctx.staff.user_id, serial)
    if waiting is None:
        ctx.toast(ctx.t("import.expired"), alert=True)
        return
    name, rows = waiting
    if action != "go":
        pending.drop(ctx.staff.user_id)
        ctx.show(ctx.t("import.cancelled", name=name))
        return
    plan = _check(ctx, rows)  # again: the database may have changed since the report
    ctx.show(ctx.t("import.progress", name=name, done=0, total=plan.accepted))
    try:
        ctx.services.clients.import_all(plan.clients, plan.contacts)
    except Exception:
        log.exception("import of %s failed", name)
        ctx.show(ctx.t("import.failed", name=name))
        return
    pending.drop(ctx.staff.user_id)
    ctx.show(ctx.t("import.progress", name=name, done=plan.accepted, total=plan.accepted) + "\n"
             + ctx.t("import.done", clients=len(plan.clients), contacts=len(plan.contacts)))


def _check(ctx: Context, rows: list[tuple[int, dict[str, str]]]) -> Plan:
    assert ctx.staff is not None
    examples = [example_row(t) for t in _translators(ctx)]
    return check(rows, ctx.services.clients, by=ctx.staff.user_id, now=ctx.now, examples=examples)


def _summary(ctx: Context, plan: Plan) -> str:
    accepted = ctx.t.plural("import.report.accepted", plan.accepted, clients=len(plan.clients),
                            contacts=len(plan.contacts))
    return accepted + "\n" + ctx.t.plural("import.report.refused", len(plan.refused))


def _refusals(ctx: Context, plan: Plan) -> list[str]:
    lines = [ctx.t("import.report.line", row=refusal.row, reason=ctx.t(refusal.reason, value=refusal.value))
             for refusal in plan.refused[:SHOWN_REFUSALS]]
    hidden = len(plan.refused) - SHOWN_REFUSALS
    if hidden > 0:
        lines.append(ctx.t.plural("import.report.more", hidden))
    return lines


def _translators(ctx: Context) -> list[Translator]:
    return [ctx.services.i18n.get(locale) for locale in LOCALES]
