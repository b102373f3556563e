"""/start, the refusal strangers get (once), and the admins' Approve / Deny buttons."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.callbacks import CallbackData, UserId, unpack_any
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard
from bot.core.groups import FROM_GROUP
from bot.core.router import Router
from bot.domain.staff import AccessRequest, Role, Staff
from bot.handlers.menu import role_name, set_menu
from bot.i18n import N_, Translator
from bot.services.access import AccessError, StartResult

router = Router()
PREFIX = "acc"


@dataclass(frozen=True)
class ApproveButton(CallbackData, prefix=f"{PREFIX}:ok"):
    """``acc:ok:<user>:<role>``: let a stranger in with that role."""

    user: UserId
    role: Role


@dataclass(frozen=True)
class DenyButton(CallbackData, prefix=f"{PREFIX}:no"):
    """``acc:no:<user>``."""

    user: UserId


@router.command("start", role=None, menu=N_("cmd.start"))
def start(ctx: Context) -> None:
    """Welcomes staff, registers admins and invitees, and refuses strangers politely, once."""
    if ctx.newcomer and ctx.staff is not None:  # an admin named in the settings, registered just now
        _welcome(ctx, ctx.staff)
        return
    payload = ctx.args[0] if ctx.args else ""
    if payload == FROM_GROUP:  # the link from a group chat opens the private chat: no invitation
        payload = ""
    outcome = ctx.services.access.start(ctx.event.user, payload, ctx.now)
    staff = outcome.staff
    if outcome.result is StartResult.SEEN_BEFORE:
        return  # a stranger who wrote before was answered then
    if outcome.result is StartResult.DEACTIVATED:
        ctx.reply(ctx.t("access.deactivated"))
        return
    if staff is None:
        ctx.reply(ctx.t(_REFUSALS.get(outcome.result, N_("access.refused"))))
        _tell_admins(ctx, outcome.new_request)
        return
    if outcome.result is StartResult.WELCOME_BACK:
        ctx.reply(ctx.t("start.welcome_back", name=staff.name))
        return
    if outcome.result in _LINK_ANSWERS:
        ctx.reply(ctx.t(_LINK_ANSWERS[outcome.result], name=staff.name))
        if outcome.result is StartResult.LINKED:
            set_menu(ctx, staff)
        return
    if outcome.result is StartResult.JOINED and outcome.invite is not None:
        inviter = ctx.services.access.person(outcome.invite.created_by)
        if inviter is not None and inviter.active:
            t = ctx.translator_for(inviter)
            ctx.push(inviter.user_id, t("invite.joined", name=staff.name, role=role_name(t, staff.role)))
    _welcome(ctx, staff)


_REFUSALS = {StartResult.INVITE_INVALID: N_("access.invite_invalid"),
             StartResult.INVITE_REVOKED: N_("access.invite_revoked")}
_LINK_ANSWERS = {StartResult.LINKED: N_("link.done"), StartResult.LINK_TAKEN: N_("link.taken"),
                 StartResult.LINK_SAME_PLATFORM: N_("link.same_platform")}


def _welcome(ctx: Context, staff: Staff) -> None:
    ctx.reply(ctx.t("start.welcome", name=staff.name, role=role_name(ctx.t, staff.role)))
    set_menu(ctx, staff)


def refuse_stranger(ctx: Context) -> None:
    """Anyone not registered: a polite refusal to their first message only (the admins hear of it),
    nothing to any later one, so that a flood of strangers costs a look-up each."""
    known = ctx.services.access.person(ctx.event.user.id)
    if known is not None and not known.active:
        ctx.reply(ctx.t("access.deactivated"))
        return
    first = ctx.services.access.note_stranger(ctx.event.user, ctx.now)
    if first is None:
        return
    if ctx.event.is_callback:
        ctx.toast(ctx.t("access.refused_short"), alert=True)
    else:
        ctx.reply(ctx.t("access.refused"))
    _tell_admins(ctx, first.request if first.announce else None)


def _tell_admins(ctx: Context, request: AccessRequest | None) -> None:
    if request is None:
        return
    for admin in ctx.services.access.active_admins():
        t = ctx.translator_for(admin)
        ctx.push(admin.user_id, *request_card(t, request))


def request_card(t: Translator, request: AccessRequest) -> tuple[str, Keyboard]:
    """A stranger's request as the admins see it, with the buttons that decide it."""
    username = f"@{request.username}" if request.username else "—"
    text = t("access.request", name=request.name, username=username, user_id=request.user_id)
    buttons = keyboard(
        [Button(t("access.approve_as", role=role_name(t, role)), ApproveButton(request.user_id, role).pack())
         for role in (Role.STAFF, Role.MANAGER)],
        [Button(t("access.deny"), DenyButton(request.user_id).pack())],
    )
    return text, buttons


@router.callback(PREFIX, role=Role.ADMIN)
def decide(ctx: Context) -> None:
    """Approves or denies an access request from the admins' notice."""
    assert ctx.staff is not None
    button = unpack_any(ctx.event.callback_data, ApproveButton, DenyButton)
    user_id, role = button.user, button.role if isinstance(button, ApproveButton) else None
    try:
        request, staff = ctx.services.access.decide(ctx.staff, user_id, role, ctx.now)
    except AccessError as error:
        ctx.toast(ctx.t(error.key), alert=True)
        ctx.show(ctx.t(error.key))
        return
    if staff is not None:
        ctx.show(ctx.t("access.approved", name=request.name, role=role_name(ctx.t, staff.role),
                       admin=ctx.staff.name))
        t = ctx.translator_for(staff)
        ctx.push(staff.user_id, t("start.welcome", name=staff.name, role=role_name(t, staff.role)))
        set_menu(ctx, staff)
    else:
        ctx.show(ctx.t("access.denied", name=request.name, admin=ctx.staff.name))
        t = ctx.translator_for(None, request.language_code)
        ctx.push(request.user_id, t("access.denied_user"))
