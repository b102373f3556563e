"""The morning: /digest (when one's digest comes, or off), /mytasks (what is open), and the
reception group that gets the day's arrivals (/register_group, /unregister_group, admins only).

/mytasks pages with ``tsk:<page>``; like every list it is computed again for whoever presses.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.callbacks import CallbackData
from bot.core.context import Context, keyboard
from bot.core.groups import GroupUse
from bot.core.router import Router
from bot.domain.lookups import ReceptionGroup
from bot.domain.staff import Role
from bot.i18n import N_, clock
from bot.services.digest import read_clock_time
from bot.views.days import assemble, item_rows, look_for, page_of, paging_row

router = Router()


@dataclass(frozen=True)
class TasksPageButton(CallbackData, prefix="tsk"):
    """``tsk:<page>``: Previous / Next on /mytasks."""

    page: int


@router.command("digest", menu=N_("cmd.digest"))
def digest(ctx: Context) -> None:
    """``/digest`` says when it comes; ``/digest 09:00``, ``/digest off``, ``/digest on`` change it."""
    assert ctx.staff is not None
    digests = ctx.services.digests
    user_id = ctx.staff.user_id
    company = clock(ctx.services.policy.schedule.digest_at)
    word = ctx.args[0].lower() if ctx.args else ""
    if word == "off":
        digests.choose(user_id, None, off=True)
        ctx.reply(ctx.t("digest.off", time=company))
    elif word == "on":
        digests.choose(user_id, None)
        ctx.reply(ctx.t("digest.set", time=company))
    elif word:
        at = read_clock_time(word)
        if at is None:
            ctx.reply(ctx.t("digest.usage"))
            return
        digests.choose(user_id, at)
        ctx.reply(ctx.t("digest.set", time=clock(at)))
    else:
        at = digests.time_for(user_id)
        text = ctx.t("digest.status", time=clock(at)) if at else ctx.t("digest.off", time=company)
        ctx.reply(text)


@router.command("mytasks", menu=N_("cmd.mytasks"))
def my_tasks(ctx: Context) -> None:
    """Open checklist items of one's visits and one's debrief tasks, overdue first."""
    _show(ctx, 0)


@router.callback(TasksPageButton.prefix)
def page(ctx: Context) -> None:
    """Next / Previous on the list."""
    _show(ctx, TasksPageButton.from_args(ctx.args).page)


@router.command("register_group", role=Role.ADMIN, menu=N_("cmd.register_group"), groups=GroupUse.ANY)
def register_group(ctx: Context) -> None:
    """Makes this group the reception team's chat: it may ask about arrivals and gets them daily."""
    assert ctx.staff is not None
    if ctx.event.private:
        ctx.reply(ctx.t("group.in_group_only"))
        return
    group = ReceptionGroup(ctx.event.chat_id, ctx.staff.user_id, ctx.now, ctx.t.locale)
    ctx.services.lookups.register_group(group)
    at = clock(ctx.services.policy.schedule.digest_at)
    ctx.reply(ctx.t("group.registered", time=at))


@router.command("unregister_group", role=Role.ADMIN, groups=GroupUse.ANY)
def unregister_group(ctx: Context) -> None:
    """This group stops seeing arrivals and getting the morning list."""
    removed = ctx.services.lookups.unregister_group(ctx.event.chat_id)
    ctx.reply(ctx.t(N_("group.unregistered") if removed else N_("group.not_registered")))


def _show(ctx: Context, page: int) -> None:
    assert ctx.staff is not None
    lookups = ctx.services.lookups
    items = lookups.checklist(ctx.staff.user_id, ctx.now)
    if not items:
        ctx.show(ctx.t("tasks.empty"))
        return
    shown, page, pages = page_of(items, page)
    rows = item_rows(look_for(lookups, ctx.t, ctx.now), shown, lookups.today(ctx.now))
    # What colleagues put off is listed (who has it, until when) but is not the reader's to do.
    count = sum(1 for item in items if not item.put_off_by)
    title = ctx.t.plural("tasks.title", count) if count else ctx.t("tasks.empty")
    text = assemble(ctx.t, title, rows, page, pages)
    ctx.show(text, keyboard(paging_row(ctx.t, page, pages, lambda p: TasksPageButton(p).pack())))
