"""/backup: an admin gets the whole database as one zip, to keep somewhere safe."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import SendDocument
from bot.core.router import Router
from bot.documents.backup import on_demand
from bot.domain.staff import Role
from bot.i18n import N_

router = Router()


@router.command("backup", role=Role.ADMIN, menu=N_("cmd.backup"))
def back_up(ctx: Context) -> None:
    """Sends the archive (made here, on the core thread: no write can interleave)."""
    now = ctx.now.astimezone(ctx.services.settings.tz)
    content, copies = on_demand(ctx.services, now)
    limit = ctx.caps.max_file_bytes  # the messenger refuses a larger file
    if len(content) > limit:
        ctx.reply(ctx.t("backup.too_large", size=len(content) // 2**20, limit=limit // 2**20, copies=copies))
        return
    caption = ctx.t("backup.caption", time=ctx.format_time(now), copies=copies,
                    keep=ctx.services.settings.bot_backup_keep)
    ctx.actions.append(SendDocument(ctx.event.chat_id, f"reception-backup-{now:%Y%m%d-%H%M}.zip", content,
                                    caption=caption))
