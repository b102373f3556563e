"""/cancel: leave whatever the bot is asking about."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.i18n import N_

router = Router()


@router.command("cancel", menu=N_("cmd.cancel"))
def cancel(ctx: Context) -> None:
    """Drops the open flow (asking first when much was typed), or says there is nothing to drop."""
    if not ctx.services.flows.cancel(ctx):
        ctx.reply(ctx.t("cancel.nothing"))
