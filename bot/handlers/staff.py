"""/staff: admins see everyone registered, page by page, and can switch access off and on."""

from __future__ import annotations

from bot.core.callbacks import pack
from bot.core.context import Context, keyboard
from bot.core.events import Button
from bot.core.router import Router
from bot.domain.staff import Role, Staff
from bot.handlers.menu import role_name
from bot.i18n import N_
from bot.services.access import AccessError

router = Router()
PAGE_SIZE = 8


@router.command("staff", role=Role.ADMIN, menu=N_("cmd.staff"))
def list_staff(ctx: Context) -> None:
    """Shows the first page of staff."""
    _render(ctx, 0)


@router.callback("stf", role=Role.ADMIN)
def act(ctx: Context) -> None:
    """Pages through the list, or deactivates / reactivates one person and shows the page again."""
    assert ctx.staff is not None
    action, page = ctx.args[0], int(ctx.args[-1])
    if action in ("off", "on"):
        try:
            changed = ctx.services.access.set_active(ctx.staff, int(ctx.args[1]), action == "on")
        except AccessError as error:
            ctx.toast(ctx.t(error.key), alert=True)
        else:
            key = N_("staff.reactivated") if changed.active else N_("staff.deactivated")
            ctx.toast(ctx.t(key, name=changed.name))
    _render(ctx, page)


def _render(ctx: Context, page: int) -> None:
    everyone = ctx.services.access.staff.all()
    pages = max(1, -(-len(everyone) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = everyone[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    lines = [ctx.t.plural("staff.header", len(everyone), page=page + 1, pages=pages), ""]
    lines += [_line(ctx, person) for person in shown]
    rows = [[_toggle(ctx, person, page)] for person in shown if person.user_id != ctx.event.user.id]
    paging = []
    if page > 0:
        paging.append(Button(ctx.t("button.previous"), pack("stf", "page", page - 1)))
    if page < pages - 1:
        paging.append(Button(ctx.t("button.next"), pack("stf", "page", page + 1)))
    ctx.show("\n".join(lines), keyboard(*rows, paging))


def _line(ctx: Context, person: Staff) -> str:
    state = "" if person.active else ctx.t("staff.state_off")
    if person.active and not person.reachable:
        state = ctx.t("staff.state_unreachable")
    username = f" @{person.username}" if person.username else ""
    return ctx.t("staff.line", name=person.name, username=username, role=role_name(ctx.t, person.role),
                 state=state)


def _toggle(ctx: Context, person: Staff, page: int) -> Button:
    if person.active:
        return Button(ctx.t("staff.deactivate", name=person.name), pack("stf", "off", person.user_id, page))
    return Button(ctx.t("staff.reactivate", name=person.name), pack("stf", "on", person.user_id, page))
