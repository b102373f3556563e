"""/invite: an admin makes a one-time invitation that registers whoever opens it, with a chosen role,
and sees the invitations still open, each with a button that revokes it (one sent to the wrong person).

Where the messenger's links carry a ``/start`` payload (Telegram), the invitation is a link; where they
cannot (Feishu), it is a code the newcomer types, with the link to the bot's chat if there is one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.staff import Invite, Role
from bot.handlers.menu import role_name
from bot.i18n import N_
from bot.services.access import INVITE_CODE, AccessError

router = Router()
# Open invitations listed under the role buttons, the newest first; older ones still expire by
# themselves within the week.
INVITES_SHOWN = 10


@dataclass(frozen=True)
class InviteButton(CallbackData, prefix="inv"):
    """``inv:<role>``: make an invitation for that role."""

    role: Role


@dataclass(frozen=True)
class RevokeButton(CallbackData, prefix="inv:rev"):
    """``inv:rev:<code>``: revoke an open invitation."""

    code: str

    def check(self) -> str | None:
        return None if INVITE_CODE.fullmatch(self.code) else "no invitation code"


@router.command("invite", role=Role.ADMIN, menu=N_("cmd.invite"))
def choose_role(ctx: Context) -> None:
    """Asks which role the invited person gets, and lists the invitations still open."""
    _render(ctx)


@router.callback(InviteButton.prefix, role=Role.ADMIN)
def create(ctx: Context) -> None:
    """Creates the invitation and shows its link, or its code to type."""
    assert ctx.staff is not None
    invite = ctx.services.access.create_invite(ctx.staff, InviteButton.from_args(ctx.args).role, ctx.now)
    role, expires = role_name(ctx.t, invite.role), ctx.format_time(invite.expires_at)
    if ctx.caps.start_payload:
        ctx.show(ctx.t("invite.created", role=role, link=ctx.chat_link(invite.code), expires=expires,
                       code=invite.code))
        return
    text = ctx.t("invite.created_code", role=role, expires=expires, code=invite.code)
    chat = ctx.chat_link()
    ctx.show(text + "\n" + ctx.t("invite.chat_link", link=chat) if chat else text)


@router.callback(RevokeButton.prefix, role=Role.ADMIN)
def revoke(ctx: Context) -> None:
    """Revokes an open invitation and shows the list again."""
    assert ctx.staff is not None
    code = RevokeButton.from_args(ctx.args).code
    try:
        ctx.services.access.revoke_invite(ctx.staff, code, ctx.now)
    except AccessError as error:
        ctx.toast(ctx.t(error.key), alert=True)
    else:
        ctx.toast(ctx.t("invite.revoked"))
    _render(ctx)


def _render(ctx: Context) -> None:
    roles = [Button(role_name(ctx.t, role), InviteButton(role).pack()) for role in Role]
    open_ones = ctx.services.access.open_invites(ctx.now)
    if not open_ones:
        ctx.show(ctx.t("invite.choose_role"), keyboard(roles))
        return
    shown = open_ones[:INVITES_SHOWN]
    lines = [ctx.t("invite.choose_role"), "", ctx.t("invite.open_header")]
    lines += [_line(ctx, invite) for invite in shown]
    if len(open_ones) > len(shown):
        lines.append(ctx.t.plural("invite.open_more", len(open_ones) - len(shown)))
    revoke_rows = [[Button(ctx.t("invite.revoke", role=role_name(ctx.t, invite.role), tail=invite.code[-4:]),
                           RevokeButton(invite.code).pack())] for invite in shown]
    ctx.show("\n".join(lines), keyboard(roles, *revoke_rows))


def _line(ctx: Context, invite: Invite) -> str:
    creator = ctx.services.access.person(invite.created_by)
    return ctx.t("invite.open_line", role=role_name(ctx.t, invite.role), tail=invite.code[-4:],
                 expires=ctx.format_time(invite.expires_at), admin=creator.name if creator else "—")
