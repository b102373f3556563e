"""/review: the quarterly review of receptions for managers and admins, as a message and a chart.

```mermaid
flowchart LR
    review[/review] --> ask[buttons: this quarter, last quarter, ...] --> summary[summary + chart.png]
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Annotated

from babel.numbers import format_currency

from bot.core.callbacks import EARLIEST_DAY, LATEST_DAY, CallbackData, Range
from bot.core.context import Context, keyboard
from bot.core.events import Button, RenderDocument
from bot.core.router import Router
from bot.documents.chart import ChartText, review_chart
from bot.documents.review import Quarter, Review, build_review
from bot.domain.staff import Role
from bot.i18n import N_, babel_locale

router = Router()
# How many quarters the question offers: this one and the ones before it.
OFFERED = 4
# How many open follow-ups and overdue clients the summary names; the rest are counted.
LISTED = 8


@dataclass(frozen=True)
class QuarterButton(CallbackData, prefix="rev"):
    """``rev:<year>:<quarter>``: the review of that quarter."""

    year: Annotated[int, Range(EARLIEST_DAY.year, LATEST_DAY.year)]
    quarter: Annotated[int, Range(1, 4)]


@router.command("review", role=Role.MANAGER, menu=N_("cmd.review"))
def ask(ctx: Context) -> None:
    """Asks which quarter, this one first."""
    quarter = Quarter.of(ctx.now.astimezone(ctx.services.settings.tz).date())
    rows = []
    for index in range(OFFERED):
        label = _quarter_name(ctx, quarter)
        if index < 2:
            key = N_("review.this_quarter") if index == 0 else N_("review.last_quarter")
            label = ctx.t(key, quarter=label)
        rows.append([Button(label, QuarterButton(quarter.year, quarter.number).pack())])
        quarter = quarter.previous()
    ctx.reply(ctx.t("review.ask"), keyboard(*rows))


@router.callback(QuarterButton.prefix, role=Role.MANAGER)
def send(ctx: Context) -> None:
    """Sends the chosen quarter's summary and, if there were visits, its chart."""
    button = QuarterButton.from_args(ctx.args)
    quarter = Quarter(button.year, button.quarter)
    review = build_review(ctx.services, quarter, ctx.now)
    ctx.show(summary(ctx, review))
    if review.visits:
        chart = partial(review_chart, review, _chart_text(ctx, review))  # drawn off the core thread
        caption = ctx.t("review.chart.caption", quarter=_quarter_name(ctx, quarter))
        name = f"review-{quarter.year}-Q{quarter.number}.png"
        ctx.actions.append(RenderDocument(ctx.event.chat_id, name, chart, caption=caption,
                                          if_failed=ctx.t("error.generic")))


def summary(ctx: Context, review: Review) -> str:
    """The one-page text: visits, spend, objections, needs, open follow-ups, overdue clients."""
    t = ctx.t
    lines = [t("review.title", quarter=_quarter_name(ctx, review.quarter)),
             t.plural("review.totals", review.visits, cancelled=review.cancelled, debriefed=review.debriefed)]
    if review.upcoming:
        lines.append(t.plural("review.upcoming", review.upcoming))
    lines += ["", *_visit_lines(ctx, review), "", *_money_lines(ctx, review)]
    for head, items in ((N_("review.objections.head"), review.objections),
                        (N_("review.needs.head"), review.needs)):
        lines += ["", t(head)]
        lines += [t.plural("review.item", n, number=i, item=item) for i, (item, n) in enumerate(items, 1)]
        if not items:
            lines.append(t("review.none"))
    lines += ["", t.plural("review.tasks.head", len(review.open_tasks), late=review.late_tasks)]
    for task in review.open_tasks[:LISTED]:
        owner = ctx.services.access.person(task.owner)
        lines.append(t("review.tasks.line", text=task.text, owner=owner.name if owner else "?",
                       due=ctx.format_date(task.due)))
    lines += ["", t.plural("review.overdue.head", len(review.overdue))]
    for item in review.overdue[:LISTED]:
        lines.append(t("review.overdue.line", client=item.client.name, cls=item.client.default_class,
                       days=item.days, every=item.every))
    hidden = max(len(review.overdue) - LISTED, 0)
    if hidden:
        lines.append(t.plural("review.more", hidden))
    return "\n".join(lines)


def _visit_lines(ctx: Context, review: Review) -> list[str]:
    months = _months(ctx, review.quarter)
    lines = [ctx.t("review.visits.head")]
    for class_id, figures in review.classes.items():
        per_month = " · ".join(f"{month} {n}" for month, n in zip(months, figures.visits, strict=True))
        lines.append(ctx.t("review.visits.line", cls=_class(ctx, class_id), months=per_month,
                           total=figures.total))
    return lines


def _money_lines(ctx: Context, review: Review) -> list[str]:
    lines = [ctx.t("review.money.head")]
    for class_id, figures in review.classes.items():
        if not figures.costed:
            lines.append(ctx.t("review.money.none", cls=_class(ctx, class_id)))
            continue
        share = round(100 * figures.spent / figures.budget) if figures.budget else 0
        lines.append(ctx.t.plural("review.money.line", figures.costed, cls=_class(ctx, class_id),
                                  spent=_money(ctx, figures.spent), budget=_money(ctx, figures.budget),
                                  share=share))
    return lines


def _chart_text(ctx: Context, review: Review) -> ChartText:
    return ChartText(title=ctx.t("review.chart.title", quarter=_quarter_name(ctx, review.quarter)),
                     visits_title=ctx.t("review.chart.visits"), money_title=ctx.t("review.chart.money"),
                     budget=ctx.t("review.chart.budget"), spent=ctx.t("review.chart.spent"),
                     months=_months(ctx, review.quarter),
                     classes=tuple(ctx.t("review.chart.class", cls=c) for c in review.classes),
                     no_money=ctx.t("review.chart.no_money"))


def _quarter_name(ctx: Context, quarter: Quarter) -> str:
    return ctx.t("review.quarter", year=quarter.year, number=quarter.number)


def _months(ctx: Context, quarter: Quarter) -> tuple[str, str, str]:
    first, second, third = (_month(ctx, month) for month in quarter.months)
    return first, second, third


def _month(ctx: Context, month: date) -> str:
    return ctx.t.format_day(month, "MMM")


def _class(ctx: Context, class_id: str) -> str:
    try:
        return ctx.t(ctx.services.policy.class_(class_id).name_key)
    except KeyError:
        return class_id


def _money(ctx: Context, amount: float) -> str:
    return str(format_currency(amount, ctx.services.policy.budget.currency, format="¤#,##0",
                               locale=babel_locale(ctx.t.locale), currency_digits=False))
