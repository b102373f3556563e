"""/invite: an admin makes a one-time link that registers whoever opens it, with a chosen role."""

from __future__ import annotations

from bot.core.callbacks import member, pack
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.staff import Role
from bot.handlers.menu import role_name
from bot.i18n import N_

router = Router()


@router.command("invite", role=Role.ADMIN, menu=N_("cmd.invite"))
def choose_role(ctx: Context) -> None:
    """Asks which role the invited person gets."""
    buttons = [Button(role_name(ctx.t, role), pack("inv", role)) for role in Role]
    ctx.reply(ctx.t("invite.choose_role"), keyboard(buttons))


@router.callback("inv", role=Role.ADMIN)
def create(ctx: Context) -> None:
    """Creates the invitation and shows its link."""
    assert ctx.staff is not None
    invite = ctx.services.access.create_invite(ctx.staff, member(ctx.args, 0, Role), ctx.now)
    link = f"https://t.me/{ctx.services.bot_username}?start={invite.code}"
    ctx.show(ctx.t("invite.created", role=role_name(ctx.t, invite.role), link=link,
                   expires=ctx.format_time(invite.expires_at), code=invite.code))
