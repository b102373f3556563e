"""Inline mode: a staff member types ``@<bot> 今天`` in any chat and drops today's arrivals into it.

What is offered is what a reception group sees: arrivals of today and tomorrow, nothing more, because
the chat it lands in may hold anyone. Strangers and switched-off staff get no results at all (the
dispatcher answers them before this module is reached).
"""

from __future__ import annotations

import html
import re
from datetime import date

from bot.core.context import Context
from bot.core.events import AnswerInline, InlineArticle
from bot.domain.lookups import PeriodQuestion, Viewer, read_question, relative_period
from bot.views.days import assemble, day_rows, empty_days, look_for

# Everyone in the chat reads the result: the reception view, whoever asks.
_SHARED = Viewer(None, group=True)
# A query that names tomorrow puts tomorrow's list first.
_TOMORROW = re.compile(r"明|tomorrow|tmr", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def answer_inline(ctx: Context) -> None:
    """Offers today's and tomorrow's arrivals (or the day the query names) as messages to share."""
    assert ctx.event.inline_id is not None
    lookups = ctx.services.lookups
    today = lookups.today(ctx.now)
    query = (ctx.event.text or "").strip()
    # "今天" alone offers both days (the one named first): someone sharing picks one of the two.
    question = read_question(query, now=ctx.now, tz=ctx.services.settings.tz,
                             period_alone=False) if query else None
    periods = [relative_period("today", today), relative_period("tomorrow", today)]
    if isinstance(question, PeriodQuestion):
        periods = [(question.first, question.last)]
    elif _TOMORROW.search(query):
        periods.reverse()
    articles = [article for first, last in periods if (article := _article(ctx, first, last, today))]
    ctx.actions.append(AnswerInline(ctx.event.inline_id, tuple(articles)))


def _article(ctx: Context, first: date, last: date, today: date) -> InlineArticle | None:
    lookups = ctx.services.lookups
    clipped = _SHARED.clip(first, last, today)
    if clipped is None:
        return None
    first, last = clipped
    look = look_for(lookups, ctx.t, ctx.now)
    entries = lookups.days(_SHARED, first, last, ctx.now)
    if entries:
        rows = day_rows(look, entries, lookups.marks((e.visit for e in entries), ctx.now), today)
        text = assemble(ctx.t, "", rows, 0, 1)
    else:
        text = empty_days(look, first, last, today)
    title = look.day_header(first, today)
    count = len({entry.visit_id for entry in entries})
    description = ctx.t.plural("inline.count", count)
    return InlineArticle(f"{first:%Y%m%d}-{last:%Y%m%d}", _plain(title), text, _plain(description))


def _plain(text: str) -> str:
    """Result titles are plain text in Telegram: no tags, entities decoded."""
    return html.unescape(_TAGS.sub("", text))
