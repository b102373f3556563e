"""/company: admins set our company's name, which the banner, the itinerary and the memo print."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.domain.company import NAME_MAX
from bot.domain.staff import Role
from bot.flows.company import set_name
from bot.i18n import N_

router = Router()


@router.command("company", role=Role.ADMIN, menu=N_("cmd.company"))
def company(ctx: Context) -> None:
    """Sets the name typed after the command, or asks for it."""
    typed = " ".join(ctx.args)
    if not typed:
        ctx.services.flows.start(ctx, "company_name")
    elif len(typed) > NAME_MAX:
        ctx.reply(ctx.t("company.too_long", limit=NAME_MAX))
    else:
        set_name(ctx, typed)
