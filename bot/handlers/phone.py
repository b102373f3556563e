"""/phone: your own phone, printed on the itineraries of the visits you host."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.router import Router
from bot.flows.my_phone import is_phone
from bot.i18n import N_

router = Router()


@router.command("phone", menu=N_("cmd.phone"))
def phone(ctx: Context) -> None:
    """Keeps the phone typed after the command, or asks for it."""
    assert ctx.staff is not None
    typed = " ".join(ctx.args)
    if not typed:
        ctx.services.flows.start(ctx, "my_phone")
    elif not is_phone(typed):
        ctx.reply(ctx.t("phone.hint"))
    else:
        saved = ctx.services.access.set_phone(ctx.staff, typed)
        ctx.reply(ctx.t("phone.saved", phone=saved.phone))
