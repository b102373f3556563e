"""/backup: an admin gets the whole database as one zip, to keep somewhere safe."""

from __future__ import annotations

from datetime import datetime

from bot.core.context import Context
from bot.core.events import SendDocument
from bot.core.router import Router
from bot.documents.backup import copies_kept, on_demand
from bot.domain.staff import Role
from bot.i18n import N_

router = Router()


@router.command("backup", role=Role.ADMIN, menu=N_("cmd.backup"))
def back_up(ctx: Context) -> None:
    """Takes the database's files here, on the core (no write can interleave), and zips them off it
    (``Context.set_aside``: seconds at 50,000 visits, and everybody else is answered meanwhile)."""
    now = ctx.now.astimezone(ctx.services.settings.tz)
    taken = on_demand(ctx.services, now)
    limit = ctx.caps.max_file_bytes  # the messenger refuses a larger file
    ctx.set_aside(lambda: taken.archive(limit), lambda ctx, done: _send(ctx, now, limit, *done))


def _send(ctx: Context, now: datetime, limit: int, size: int, content: bytes | None) -> None:
    """The archive made, sent; or, over what the messenger takes, where the nightly copies are."""
    if ctx.staff is None or not ctx.staff.role.at_least(Role.ADMIN):  # no longer, while it was made
        return
    copies = copies_kept(ctx.services)
    if content is None:
        ctx.reply(ctx.t("backup.too_large", size=size // 2**20, limit=limit // 2**20, copies=copies))
        return
    caption = ctx.t("backup.caption", time=ctx.format_time(now), copies=copies,
                    keep=ctx.services.settings.bot_backup_keep)
    ctx.actions.append(SendDocument(ctx.event.chat_id, f"reception-backup-{now:%Y%m%d-%H%M}.zip", content,
                                    caption=caption))
