"""A person's own day: /digest (when the morning digest comes, or off) and /mytasks (what is open).

/mytasks pages with ``tsk:<page>``; like every list it is computed again for whoever presses.
"""

from __future__ import annotations

from bot.core.callbacks import pack
from bot.core.context import Context, keyboard
from bot.core.router import Router
from bot.i18n import N_
from bot.services.digest import read_clock_time
from bot.views.days import PAGE_SIZE, assemble, clamp, item_rows, paging_row

router = Router()
PREFIX = "tsk"


@router.command("digest", menu=N_("cmd.digest"))
def digest(ctx: Context) -> None:
    """``/digest`` says when it comes; ``/digest 09:00``, ``/digest off``, ``/digest on`` change it."""
    assert ctx.staff is not None
    if ctx.event.chat_type != "private":
        ctx.reply(ctx.t("lookup.private_only"))
        return
    digests = ctx.services.digests
    user_id = ctx.staff.user_id
    company = ctx.services.policy.schedule.digest_at.strftime("%H:%M")
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
        ctx.reply(ctx.t("digest.set", time=at.strftime("%H:%M")))
    else:
        at = digests.time_for(user_id)
        text = ctx.t("digest.status", time=at.strftime("%H:%M")) if at else ctx.t("digest.off", time=company)
        ctx.reply(text)


@router.command("mytasks", menu=N_("cmd.mytasks"))
def my_tasks(ctx: Context) -> None:
    """Open checklist items of one's visits and one's debrief tasks, overdue first."""
    _show(ctx, 0)


@router.callback(PREFIX)
def page(ctx: Context) -> None:
    """Next / Previous on the list."""
    _show(ctx, int(ctx.args[0]))


def _show(ctx: Context, page: int) -> None:
    assert ctx.staff is not None
    if ctx.event.chat_type != "private":
        ctx.reply(ctx.t("lookup.private_only"))
        return
    lookups = ctx.services.lookups
    items = lookups.checklist(ctx.staff.user_id, ctx.now)
    if not items:
        ctx.show(ctx.t("tasks.empty"))
        return
    rows = item_rows(lookups.look(ctx.t), items, lookups.today(ctx.now))
    page, pages = clamp(page, len(rows))
    shown = rows[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    text = assemble(ctx.t, ctx.t.plural("tasks.title", len(items)), shown, page, pages)
    ctx.show(text, keyboard(paging_row(ctx.t, page, pages, lambda p: pack(PREFIX, p))))
