"""/staff: admins see everyone registered and set each person's access, role, duties and manager.

The list pages through people; a person's card (edited in place) switches access off and on, sets
their role, the standing duties that route the timeline's office, reception and executive nudges to
them, and the manager their overdue follow-ups escalate to. Admins named in the settings keep their
access and role whatever is pressed. Strangers' access requests no admin decided yet wait behind a
button under the list (the admins are told of only a few an hour), each with Approve and Deny.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.core.callbacks import CallbackData, UserId, unpack_any
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.staff import Duty, Role, Staff
from bot.handlers.access import request_card
from bot.handlers.menu import role_name
from bot.i18n import N_
from bot.services.access import AccessError
from bot.views.days import page_of, paging_row

router = Router()
PREFIX = "stf"
PAGE_SIZE = 8
DUTY_KEYS = {Duty.OFFICE: N_("staff.duty.office"), Duty.RECEPTION: N_("staff.duty.reception"),
             Duty.EXECUTIVE: N_("staff.duty.executive")}


@dataclass(frozen=True)
class ListButton(CallbackData, prefix=PREFIX):
    """``stf:page|reqs:<page>``: a page of the staff list, or of the access requests."""

    list: Literal["page", "reqs"]
    page: int


@dataclass(frozen=True)
class PersonButton(CallbackData, prefix=PREFIX):
    """``stf:<action>:<user>:<page>``: open a person's card, an access request (``req``), switch a
    person off or on, or choose their manager (``mgr``); ``page``: the list's page to go back to."""

    action: Literal["open", "req", "off", "on", "mgr"]
    user: UserId
    page: int


@dataclass(frozen=True)
class DutyButton(CallbackData, prefix=f"{PREFIX}:duty"):
    """``stf:duty:<user>:<duty>:<page>``: switches a standing duty on or off."""

    user: UserId
    duty: Duty
    page: int


@dataclass(frozen=True)
class RoleButton(CallbackData, prefix=f"{PREFIX}:role"):
    """``stf:role:<user>:<role>:<page>``."""

    user: UserId
    role: Role
    page: int


@dataclass(frozen=True)
class ManagerButton(CallbackData, prefix=f"{PREFIX}:setm"):
    """``stf:setm:<user>:<manager>:<page>``; manager 0: none."""

    user: UserId
    manager: UserId
    page: int


@router.command("staff", role=Role.ADMIN, menu=N_("cmd.staff"))
def list_staff(ctx: Context) -> None:
    """Shows the first page of staff."""
    _render_list(ctx, 0)


@router.callback(PREFIX, role=Role.ADMIN)
def act(ctx: Context) -> None:
    """Pages the list, opens a person, or changes one thing about them and shows their card again."""
    assert ctx.staff is not None
    button = unpack_any(ctx.event.callback_data, ListButton, PersonButton, DutyButton, RoleButton,
                        ManagerButton)
    if isinstance(button, ListButton):
        (_render_list if button.list == "page" else _render_requests)(ctx, button.page)
        return
    if isinstance(button, PersonButton) and button.action == "req":
        _render_request(ctx, button.user, button.page)
        return
    user_id, page = button.user, button.page
    access = ctx.services.access
    try:
        if isinstance(button, PersonButton) and button.action in ("off", "on"):
            changed = access.set_active(ctx.staff, user_id, button.action == "on")
            key = N_("staff.reactivated") if changed.active else N_("staff.deactivated")
            ctx.toast(ctx.t(key, name=changed.name))
        elif isinstance(button, DutyButton):
            access.toggle_duty(ctx.staff, user_id, button.duty)
        elif isinstance(button, RoleButton):
            access.set_role(ctx.staff, user_id, button.role)
        elif isinstance(button, PersonButton) and button.action == "mgr":
            _render_managers(ctx, user_id, page)
            return
        elif isinstance(button, ManagerButton):
            access.set_manager(ctx.staff, user_id, button.manager or None)
    except AccessError as error:
        ctx.toast(ctx.t(error.key), alert=True)
    _render_person(ctx, user_id, page)


def _render_list(ctx: Context, page: int) -> None:
    everyone = ctx.services.access.everyone()
    shown, page, pages = page_of(everyone, page, PAGE_SIZE)
    lines = [ctx.t.plural("staff.header", len(everyone), page=page + 1, pages=pages), ""]
    lines += [_line(ctx, person) for person in shown]
    rows = [[Button(ctx.t("staff.open", name=person.name), PersonButton("open", person.user_id, page).pack())]
            for person in shown]
    waiting = ctx.services.access.count_pending_requests()
    requests = ([Button(ctx.t("staff.requests", count=waiting), ListButton("reqs", 0).pack())]
                if waiting else [])
    ctx.show("\n".join(lines), keyboard(*rows, _paging(ctx, "page", page, pages), requests))


def _paging(ctx: Context, action: Literal["page", "reqs"], page: int, pages: int) -> list[Button]:
    return paging_row(ctx.t, page, pages, lambda p: ListButton(action, p).pack())


def _render_requests(ctx: Context, page: int) -> None:
    """The access requests no admin decided yet, the newest first, a page at a time."""
    waiting = ctx.services.access.pending_requests()
    if not waiting:
        ctx.toast(ctx.t("staff.requests_none"))
        _render_list(ctx, 0)
        return
    shown, page, pages = page_of(waiting, page, PAGE_SIZE)
    rows = [[Button(ctx.t("staff.open", name=request.name),
                    PersonButton("req", request.user_id, page).pack())] for request in shown]
    text = ctx.t("staff.requests_header", count=len(waiting), page=page + 1, pages=pages)
    ctx.show(text, keyboard(*rows, _paging(ctx, "reqs", page, pages),
                            [Button(ctx.t("staff.back_to_list"), ListButton("page", 0).pack())]))


def _render_request(ctx: Context, user_id: int, page: int) -> None:
    request = ctx.services.access.request(user_id)
    if request is None or request.status != "pending":
        ctx.toast(ctx.t("access.request_already_decided"), alert=True)
        _render_requests(ctx, page)
        return
    text, buttons = request_card(ctx.t, request)
    ctx.show(text, (*buttons, (Button(ctx.t("flow.back"), ListButton("reqs", page).pack()),)))


def _render_person(ctx: Context, user_id: int, page: int) -> None:
    access = ctx.services.access
    person = access.person(user_id)
    if person is None:
        ctx.toast(ctx.t("staff.unknown"), alert=True)
        _render_list(ctx, page)
        return
    duties = (ctx.t.join((ctx.t(DUTY_KEYS[d]) for d in person.duties), style="series")
              or ctx.t("staff.duties_none"))
    manager = access.person(person.manager_id) if person.manager_id is not None else None
    lines = [_line(ctx, person), "",
             ctx.t("staff.card.duties", duties=duties),
             ctx.t("staff.card.manager", manager=manager.name if manager else ctx.t("staff.manager_none"))]
    is_me = ctx.staff is not None and person.user_id == ctx.staff.user_id
    configured = ctx.services.access.is_configured_admin(person.user_id)
    if configured:
        lines.append(ctx.t("staff.card.configured"))
    locked = is_me or configured  # nobody switches off or demotes themselves or the owner
    rows: list[list[Button]] = [
        [Button(_ticked(ctx.t(DUTY_KEYS[d]), d in person.duties), DutyButton(user_id, d, page).pack())
         for d in Duty]]
    if not locked:
        rows.append([Button(_ticked(role_name(ctx.t, r), r is person.role),
                            RoleButton(user_id, r, page).pack()) for r in Role])
    rows.append([Button(ctx.t("staff.set_manager"), PersonButton("mgr", user_id, page).pack())])
    if not locked:
        rows.append([_toggle(ctx, person, page)])
    rows.append([Button(ctx.t("staff.back_to_list"), ListButton("page", page).pack())])
    ctx.show("\n".join(lines), keyboard(*rows))


def _render_managers(ctx: Context, user_id: int, page: int) -> None:
    person = ctx.services.access.person(user_id)
    if person is None:
        _render_list(ctx, page)
        return
    choices = [m for m in ctx.services.access.managers() if m.user_id != user_id]
    rows = [[Button(_ticked(m.name, m.user_id == person.manager_id),
                    ManagerButton(user_id, m.user_id, page).pack())] for m in choices]
    rows.append([Button(_ticked(ctx.t("staff.manager_none"), person.manager_id is None),
                        ManagerButton(user_id, 0, page).pack())])
    rows.append([Button(ctx.t("flow.back"), PersonButton("open", user_id, page).pack())])
    text = ctx.t("staff.choose_manager", name=person.name)
    if not choices:
        text += "\n" + ctx.t("staff.no_managers")
    ctx.show(text, keyboard(*rows))


def _ticked(label: str, on: bool) -> str:
    return f"✓ {label}" if on else label


def _line(ctx: Context, person: Staff) -> str:
    state = "" if person.active else ctx.t("staff.state_off")
    if person.active and not person.reachable:
        state = ctx.t("staff.state_unreachable")
    username = f" @{person.username}" if person.username else ""
    return ctx.t("staff.line", name=person.name, username=username, role=role_name(ctx.t, person.role),
                 state=state)


def _toggle(ctx: Context, person: Staff, page: int) -> Button:
    if person.active:
        return Button(ctx.t("staff.deactivate", name=person.name),
                      PersonButton("off", person.user_id, page).pack())
    return Button(ctx.t("staff.reactivate", name=person.name),
                  PersonButton("on", person.user_id, page).pack())
