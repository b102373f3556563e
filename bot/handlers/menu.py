"""Shared bits of rendering: role names, the per-chat command menu."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import SetCommands
from bot.core.router import command_menu
from bot.domain.staff import Role, Staff
from bot.i18n import N_, Translator

ROLE_KEYS = {Role.STAFF: N_("role.staff"), Role.MANAGER: N_("role.manager"), Role.ADMIN: N_("role.admin")}


def role_name(t: Translator, role: Role) -> str:
    return t(ROLE_KEYS[role])


def set_menu(ctx: Context, staff: Staff) -> None:
    """Gives ``staff`` the command menu of their role, in their language, in their private chat,
    where the messenger has one (elsewhere /help and the buttons carry the commands)."""
    if not ctx.caps.command_menu:
        return
    t = ctx.translator_for(staff)
    commands = command_menu(ctx.services.routes, staff.role, t)
    ctx.actions.append(SetCommands(commands, chat_id=staff.user_id))
