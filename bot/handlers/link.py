"""/link: a staff member's code for using the bot from another messenger as themselves.

Sent as ``/start <code>`` from the other messenger's account (Feishu when they came from Telegram,
or the other way round), it makes that account theirs (``AccessService.start``): their visits,
tasks and nudges reach them there too. Once, and within a day, like an invitation's code.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.i18n import N_

router = Router()


@router.command("link", menu=N_("cmd.link"))
def link_code(ctx: Context) -> None:
    assert ctx.staff is not None
    code = ctx.services.access.create_link(ctx.staff, ctx.now)
    ctx.reply(ctx.t("link.code", code=code.code, expires=ctx.format_time(code.expires_at)))
