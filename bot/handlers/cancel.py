"""/cancel: leave whatever the bot is asking about."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.i18n import N_

router = Router()


@router.command("cancel", menu=N_("cmd.cancel"))
def cancel(ctx: Context) -> None:
    """Drops the open dialog, if any, and says so."""
    ctx.reply(ctx.t("cancel.nothing"))
