"""/today, /tomorrow, /week, /find, and questions typed in plain words, in private or in a group.

In the registered reception group, the days and the "when does X come" answers show arrivals of
today and tomorrow only (``Viewer.group``); /find and the New visit button are private
(``bot.core.groups``).

Buttons carry what to show again, never a label: ``lk:d:<first>:<last>:<page>`` (days as yyyymmdd),
``lk:c:<client>:<n|l>:<page>``, ``lk:p:<contact>:<n|l>:<page>``, ``lk:f:<page>:<query>``,
``lk:r:<today|week>`` and ``lk:new`` (the short help's buttons). Pages are recomputed for whoever
presses, so a button outlives nothing: a person switched off since gets nothing, and a group that
is no longer registered sees nothing (the dispatcher refuses them).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from bot.core.callbacks import MAX_BYTES, CallbackData, unpack_any
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard
from bot.core.groups import GroupUse
from bot.core.router import Router
from bot.domain.lookups import (
    DayEntry,
    Direction,
    PeriodQuestion,
    Question,
    Span,
    Viewer,
    WhenQuestion,
    day_entries,
    plainly_asks,
    read_question,
    relative_period,
)
from bot.domain.staff import Role
from bot.domain.visits import Visit
from bot.i18n import N_, Html, escape
from bot.views.days import (
    assemble,
    day_rows,
    empty_days,
    look_for,
    page_of,
    paging_row,
    period_title,
)

router = Router()
PREFIX = "lk"
_DIRECTIONS: dict[str, Direction] = {"n": "next", "l": "last"}
_TITLES = {"next": N_("lookup.next.title"), "last": N_("lookup.last.title")}
_NONE = {"next": N_("lookup.next.none"), "last": N_("lookup.last.none")}
# The callback data of page n of a list.
PageData = Callable[[int], str]
# Room left for the query in ``lk:f:<page>:<query>``.
_QUERY_BYTES = MAX_BYTES - len("lk:f:999:")


@dataclass(frozen=True)
class PeriodButton(CallbackData, prefix=f"{PREFIX}:r"):
    """``lk:r:<period>``: Today / This week under the short help."""

    period: Literal["today", "tomorrow", "week"]


@dataclass(frozen=True)
class DaysButton(CallbackData, prefix=f"{PREFIX}:d"):
    """``lk:d:<first>:<last>:<page>``: a page of a period's arrivals and departures."""

    first: date
    last: date
    page: int

    def check(self) -> str | None:
        return "a period that ends before it begins" if self.last < self.first else None


@dataclass(frozen=True)
class SubjectButton(CallbackData, prefix=PREFIX):
    """``lk:c|p:<id>:<n|l>:<page>``: a page of a client's (``c``) or a contact's (``p``) next or
    last visits."""

    kind: Literal["c", "p"]
    id: int
    direction: Literal["n", "l"]
    page: int


@dataclass(frozen=True)
class FindButton(CallbackData, prefix=f"{PREFIX}:f"):
    """``lk:f:<page>:<query>``: a page of what /find found."""

    page: int
    query: str


@dataclass(frozen=True)
class NewVisitButton(CallbackData, prefix=f"{PREFIX}:new"):
    """``lk:new``: New visit under the short help."""


@router.command("today", menu=N_("cmd.today"), groups=GroupUse.REGISTERED)
def today(ctx: Context) -> None:
    """Today's arrivals and departures."""
    _relative(ctx, "today")


@router.command("tomorrow", menu=N_("cmd.tomorrow"), groups=GroupUse.REGISTERED)
def tomorrow(ctx: Context) -> None:
    """Tomorrow's arrivals and departures."""
    _relative(ctx, "tomorrow")


@router.command("week", menu=N_("cmd.week"), groups=GroupUse.REGISTERED)
def week(ctx: Context) -> None:
    """This week's arrivals and departures, Monday to Sunday, a page at a time."""
    _relative(ctx, "week")


@router.command("find", menu=N_("cmd.find"))
def find(ctx: Context) -> None:
    """Visits, clients and contacts matching a name, a company or a phone fragment."""
    query = " ".join(ctx.args)
    if not query:
        ctx.reply(ctx.t("find.ask"))
    elif len(query.encode()) > _QUERY_BYTES:
        ctx.reply(ctx.t("find.too_long"))
    else:
        _show_find(ctx, query, 0)


@router.callback(PREFIX, groups=GroupUse.REGISTERED)
def press(ctx: Context) -> None:
    """Next / Previous, a client or contact chosen from a list, or Today / This week."""
    button = unpack_any(ctx.event.callback_data, PeriodButton, DaysButton, SubjectButton)
    viewer = _viewer(ctx)
    if isinstance(button, PeriodButton):
        _show_days(ctx, viewer, *relative_period(button.period, ctx.services.lookups.today(ctx.now)), 0)
    elif isinstance(button, DaysButton):
        _show_days(ctx, viewer, button.first, button.last, button.page)
    else:
        _show_subject(ctx, viewer, button.kind, button.id, direction=_DIRECTIONS[button.direction],
                      page=button.page)


@router.callback(NewVisitButton.prefix)
def new_visit(ctx: Context) -> None:
    """The short help's New visit: the arrangement form."""
    NewVisitButton.from_args(ctx.args)
    ctx.services.flows.start(ctx, "new_visit")


@router.callback(FindButton.prefix)
def find_page(ctx: Context) -> None:
    """Next / Previous on what /find found."""
    button = FindButton.from_args(ctx.args)
    _show_find(ctx, button.query, button.page)


def answer_question(ctx: Context) -> bool:
    """Answers plain text that asks about visits; in a private chat anything else gets a short help.

    Returns False only for text in a group chat that asks nothing we answer, so the caller's
    fallback speaks there as before.
    """
    question = read_question(ctx.event.text or "", now=ctx.now, tz=ctx.services.settings.tz,
                             period_alone=ctx.event.private)
    if question is None:
        if not ctx.event.private:
            return False
        ctx.reply(ctx.t("lookup.help"), help_buttons(ctx))
        return True
    _answer(ctx, question)
    return True


def answer_aside(ctx: Context) -> bool:
    """Answers text typed in the middle of a form that plainly asks about visits ("今天谁来", "when
    does Huawei come"); False for anything else (a period alone, "明天", is no question there, nor is
    a line without a question word, nor several lines)."""
    text = ctx.event.text or ""
    if not plainly_asks(text):
        return False
    question = read_question(text, now=ctx.now, tz=ctx.services.settings.tz, period_alone=False)
    if question is None:
        return False
    _answer(ctx, question)
    return True


def _answer(ctx: Context, question: Question) -> None:
    viewer = _viewer(ctx)
    if isinstance(question, PeriodQuestion):
        _show_days(ctx, viewer, question.first, question.last, 0)
    else:
        _answer_when(ctx, viewer, question)


def help_buttons(ctx: Context) -> Keyboard:
    """Today, This week, New visit (not in a group, where it would only point to the private chat):
    what people ask for most, one tap away."""
    t = ctx.t
    new = [Button(t("lookup.button.new"), NewVisitButton().pack())] if ctx.event.private else []
    return keyboard([Button(t("lookup.button.today"), PeriodButton("today").pack()),
                     Button(t("lookup.button.week"), PeriodButton("week").pack())], new)


# ---- days -----------------------------------------------------------------------------------


def _relative(ctx: Context, name: str) -> None:
    _show_days(ctx, _viewer(ctx), *relative_period(name, ctx.services.lookups.today(ctx.now)), 0)


def _show_days(ctx: Context, viewer: Viewer, first: date, last: date, page: int) -> None:
    """One page of a period's arrivals and departures, edited in place when paging."""
    lookups = ctx.services.lookups
    today = lookups.today(ctx.now)
    clipped = viewer.clip(first, last, today)
    if clipped is None:
        ctx.show(ctx.t("days.scope.group"))
        return
    note = _scope_note(ctx, viewer, (first, last), clipped, today)
    first, last = clipped
    look = look_for(lookups, ctx.t, ctx.now)
    entries = lookups.days(viewer, first, last, ctx.now)
    if not entries:
        ctx.show("\n\n".join(filter(None, [empty_days(look, first, last, today), note])))
        return
    title = period_title(look, first, last, len({entry.visit_id for entry in entries}))
    _show_entries(ctx, title, entries, page, note=note,
                  data=lambda p: DaysButton(first, last, p).pack())


def _show_entries(ctx: Context, title: str, entries: list[DayEntry], page: int, *, note: str,
                  data: PageData) -> None:
    lookups = ctx.services.lookups
    shown, page, pages = page_of(entries, page)
    marks = lookups.marks((entry.visit for entry in shown), ctx.now)
    rows = day_rows(look_for(lookups, ctx.t, ctx.now), shown, marks, lookups.today(ctx.now))
    text = assemble(ctx.t, title, rows, page, pages, footer=note)
    ctx.show(text, keyboard(paging_row(ctx.t, page, pages, data)))


def _scope_note(ctx: Context, viewer: Viewer, asked: tuple[date, date], shown: tuple[date, date],
                today: date) -> str:
    """Says what the answer leaves out, so an empty list is never read as "nobody comes"."""
    if viewer.group:
        return ctx.t("days.scope.group") if shown != asked else ""
    near = today <= asked[0] and (asked[1] - today).days <= 1
    return "" if viewer.sees_all or near else ctx.t("days.scope.staff")


# ---- when does X come -----------------------------------------------------------------------


def _answer_when(ctx: Context, viewer: Viewer, question: WhenQuestion) -> None:
    """One match: the answer; several: a button each; none: says so and offers the usual."""
    lookups = ctx.services.lookups
    found = lookups.subjects(question.subject)
    code: Literal["n", "l"] = "n" if question.direction == "next" else "l"
    # Labels are plain text; the translator escaped the names for HTML.
    choices = [(html.unescape(_contact_label(ctx, c.id)), SubjectButton("p", c.id, code, 0).pack())
               for c in found.contacts]
    choices += [(c.name, SubjectButton("c", c.id, code, 0).pack()) for c in found.clients]
    if not choices and question.period is not None:
        _show_days(ctx, viewer, *question.period, 0)
    elif not choices:
        ctx.reply(ctx.t("lookup.unknown", name=question.subject), help_buttons(ctx))
    elif len(choices) == 1:
        kind: Literal["c", "p"] = "p" if found.contacts else "c"
        number = found.contacts[0].id if found.contacts else found.clients[0].id
        _show_subject(ctx, viewer, kind, number, direction=question.direction, page=0)
    else:
        rows = [[Button(label, data)] for label, data in choices]
        ask = (ctx.t("lookup.choose_many", name=question.subject, count=len(choices) + found.more,
                     shown=len(choices)) if found.more else ctx.t("lookup.choose", name=question.subject))
        ctx.reply(ask, keyboard(*rows))


def _show_subject(ctx: Context, viewer: Viewer, kind: Literal["c", "p"], number: int, *, direction: Direction,
                  page: int) -> None:
    lookups = ctx.services.lookups
    visits: list[Visit]
    if kind == "c":
        client = ctx.services.clients.get(number)
        name, visits = (escape(client.name), lookups.client_visits(number)) if client else ("", [])
    else:
        contact = ctx.services.clients.contact(number)
        name = _contact_label(ctx, number)
        visits = lookups.contact_visits(contact) if contact else []
    if not name:
        ctx.toast(ctx.t("client.gone"), alert=True)
        return
    found = lookups.when(viewer, visits, direction, ctx.now)
    scope = N_("days.scope.group") if viewer.group else N_("days.scope.staff")
    note = "" if viewer.sees_all else ctx.t(scope)
    if not found:
        ctx.show("\n\n".join(filter(None, [ctx.t(_NONE[direction], name=Html(name)), note])))
        return
    entries = day_entries(map(Span.of, found), date.min, date.max, lookups.tz, {v.id: v for v in found}.get,
                          arrivals_only=True)
    code: Literal["n", "l"] = "n" if direction == "next" else "l"
    _show_entries(ctx, ctx.t(_TITLES[direction], name=Html(name)), entries, page, note=note,
                  data=lambda p: SubjectButton(kind, number, code, p).pack())


def _contact_label(ctx: Context, contact_id: int) -> str:
    """张总 (华为), already escaped; empty when the contact is gone."""
    clients = ctx.services.clients
    contact = clients.contact(contact_id)
    if contact is None:
        return ""
    client = clients.get(contact.client_id)
    return ctx.t("lookup.contact", greeting=clients.greeting_name(contact, ctx.t.locale),
                 client=client.name if client else "")


# ---- /find ----------------------------------------------------------------------------------


def _show_find(ctx: Context, query: str, page: int) -> None:
    assert ctx.staff is not None
    viewer = Viewer(ctx.staff.user_id, sees_all=ctx.staff.role.at_least(Role.MANAGER))
    found = ctx.services.lookups.find(query, viewer, ctx.now)
    t = ctx.t
    rows = [(t("find.section.visits"), t("find.visit", number=v.id, when=ctx.format_time(v.arrival),
                                           client=v.client_name)) for v in found.visits]
    rows += [(t("find.section.clients"), t("find.client", name=c.name)) for c in found.clients]
    rows += [(t("find.section.contacts"), _contact_line(ctx, c.id, c.phone)) for c in found.contacts]
    if not rows:
        ctx.show(t("find.none", query=query))
        return
    shown, page, pages = page_of(rows, page)
    text = assemble(t, t("find.title", query=query), shown, page, pages)
    ctx.show(text, keyboard(paging_row(t, page, pages, lambda p: FindButton(p, query).pack())))


def _contact_line(ctx: Context, contact_id: int, phone: str) -> str:
    return ctx.t("find.contact", name=Html(_contact_label(ctx, contact_id)), phone=phone or "—")


# ---- helpers --------------------------------------------------------------------------------


def _viewer(ctx: Context) -> Viewer:
    """Who looks from this chat (a group chat reaches here only when registered)."""
    assert ctx.staff is not None
    return ctx.services.lookups.viewer(ctx.staff, private=ctx.event.private)

