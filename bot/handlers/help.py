"""/help: what this person can do, and the answer to text the bot does not understand."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router, command_menu
from bot.i18n import N_

router = Router()


@router.command("help", menu=N_("cmd.help"))
def show_help(ctx: Context) -> None:
    """Lists the commands this person's role allows."""
    ctx.reply(_commands(ctx, ctx.t("help.header")))


def not_understood(ctx: Context) -> None:
    """Plain text that is no command and no answer: say so, and show the way."""
    ctx.reply(_commands(ctx, ctx.t("help.not_understood")))


def _commands(ctx: Context, header: str) -> str:
    role = ctx.staff.role if ctx.staff else None
    lines = [f"/{name} — {description}" for name, description in
             command_menu(ctx.services.routes, role, ctx.t)]
    return "\n".join([header, "", *lines])
