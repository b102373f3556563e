"""The morning digest's text: a person's day (their visits, the items due today, the backlog cut
short) and a reception group's arrivals. ``bot.services.digest`` decides who gets one and when, and
asks this for what it says (bootstrap hands it a ``DigestView``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.domain.lookups import DayEntry, Item, bucket
from bot.domain.staff import Staff
from bot.i18n import Translator
from bot.services.approval import Pending
from bot.services.lookups import LookupService
from bot.views.approval import waited
from bot.views.days import BUCKET_KEYS, Look, assemble, day_rows, item_rows, look_for

# A morning message is read on a phone: this many lines (blank ones included) are about one screen
# of a common phone at the default text size, so the day is seen without scrolling. What does not
# fit is cut short, the least urgent first, each cut part saying how many it left out.
MAX_LINES = 25
# Overdue items the digest lists at most before "and N more — /mytasks", even with room to spare: a
# backlog of a hundred lines hides the day.
MAX_OVERDUE_LINES = 10
# Visits awaiting the reader's approval listed at most before "and N more": where no department head
# is set per person, every manager approves every visit.
MAX_AWAITING_LINES = 10
# Items of one visit due today listed one by one up to this many; beyond, one line for them all.
TODAY_PER_VISIT = 2

Row = tuple[str, str]  # (section header, line or lines), as ``assemble`` takes them


@dataclass(frozen=True)
class _Part:
    """A part of the digest that may be cut short: its rows, how many things each row stands for,
    how many there are in all (a list capped beforehand has more than its rows), and how the line
    saying how many are left out reads. That line goes under ``section``, or (None) at the foot."""

    rows: list[Row]
    counts: list[int]
    total: int
    more: Callable[[int], str]
    section: str | None

    def left_out(self, shown: int) -> int:
        """How many things the first ``shown`` rows leave out."""
        return self.total - sum(self.counts[:shown])

    def height(self, shown: int) -> int:
        """The lines of the first ``shown`` rows and, if anything is left out, the line saying so
        (one line: a row of the section, or a footer after a blank line)."""
        rows = self.rows[:shown]
        if not self.left_out(shown):
            return _height(rows)
        if self.section is None:
            return _height(rows) + 2
        return _height([*rows, (self.section, "")])


class DigestView:
    def __init__(self, lookups: LookupService) -> None:
        self.lookups = lookups

    def personal(self, t: Translator, person: Staff, entries: list[DayEntry], items: list[Item],
                 now: datetime, *, awaiting: Sequence[Pending] = ()) -> str:
        """Today's own visits (``entries``), the visits awaiting this person's approval, then the
        items due today, the overdue ones and those a colleague put off (who, until when); within
        ``MAX_LINES``, cut short in the reverse order."""
        lookups = self.lookups
        today = lookups.today(now)
        look = look_for(lookups, t, now)
        overdue: list[Item] = []
        todays_items: list[Item] = []
        put_off = [item for item in items if item.put_off_by]
        for item in (item for item in items if not item.put_off_by):
            (overdue if bucket(item.due, today, lookups.tz) == "overdue" else todays_items).append(item)
        todays = _today_rows(look, todays_items, today)
        today_key = BUCKET_KEYS["today"]  # a key from a table: the catalog check reads t(...) literals
        shown_awaiting, shown_overdue = awaiting[:MAX_AWAITING_LINES], overdue[:MAX_OVERDUE_LINES]
        parts = [
            self._visits(look, entries, now),
            _Part(_awaiting_rows(look, shown_awaiting, now), [1] * len(shown_awaiting), len(awaiting),
                  lambda n: t.plural("digest.more_awaiting", n), t("digest.awaiting")),
            _Part([row for row, _ in todays], [count for _, count in todays], len(todays_items),
                  lambda n: t.plural("digest.more_today", n), t(today_key)),
            _Part(item_rows(look, shown_overdue, today), [1] * len(shown_overdue), len(overdue),
                  lambda n: t.plural("digest.more_overdue", n), None),
            # Not the reader's to do: said last, and cut first.
            _Part(item_rows(look, put_off, today), [1] * len(put_off), len(put_off),
                  lambda n: t.plural("digest.more_put_off", n), t("tasks.section.put_off")),
        ]
        rows, footer = _fit(parts)
        title = t("digest.personal", name=person.name, date=look.day(today))
        return assemble(t, title, rows, 0, 1, footer=footer)

    def group(self, t: Translator, entries: list[DayEntry], now: datetime) -> str:
        """Today's arrivals (``entries``) for a reception team, within ``MAX_LINES`` like a person's:
        a day of many arrivals ends with how many more there are."""
        rows, footer = _fit([self._visits(look_for(self.lookups, t, now), entries, now)])
        return assemble(t, t("digest.group"), rows, 0, 1, footer=footer)

    def _visits(self, look: Look, entries: list[DayEntry], now: datetime) -> _Part:
        """The day's visits, two or three lines each; cut last."""
        today = self.lookups.today(now)
        rows = day_rows(look, entries, self.lookups.marks((e.visit for e in entries), now), today)
        return _Part(rows, [1] * len(rows), len(rows), lambda n: look.t.plural("digest.more_visits", n),
                     look.day_header(today, today))


def _fit(parts: list[_Part]) -> tuple[list[Row], str]:
    """The rows of ``parts`` (the most important first) and the footer, within ``MAX_LINES`` with
    the title: each part shows what fits after the least the parts after it need (their "and N
    more" line alone), so the last parts are cut first. A handful of rows each: counting them down
    is cheap."""
    left = MAX_LINES - 1  # the title
    rows: list[Row] = []
    footer = ""
    for number, part in enumerate(parts):
        room = left - sum(later.height(0) for later in parts[number + 1:])
        shown = len(part.rows)
        while shown > 0 and part.height(shown) > room:
            shown -= 1
        left -= part.height(shown)
        rows += part.rows[:shown]
        left_out = part.left_out(shown)
        if left_out and part.section is not None:
            rows.append((part.section, part.more(left_out)))
        elif left_out:
            footer = part.more(left_out)
    return rows, footer


def _height(rows: Sequence[Row]) -> int:
    """The lines ``assemble`` gives ``rows`` below a title: a blank line and the header where the
    section changes, then each row's lines."""
    lines, section = 0, None
    for header, text in rows:
        if header != section:
            lines += 2
            section = header
        lines += text.count("\n") + 1
    return lines


def _awaiting_rows(look: Look, awaiting: Sequence[Pending], now: datetime) -> list[Row]:
    """One line per visit waiting for this person's answer: the visit, its arrival, how long it waited."""
    section = look.t("digest.awaiting")
    return [(section, look.t("approval.digest_line", number=w.number, client=w.client_name,
                             when=look.t.format_moment(w.arrival.astimezone(look.tz), look.this_year),
                             waited=waited(look.t, w.since, now))) for w in awaiting]


def _today_rows(look: Look, items: list[Item], today: date) -> list[tuple[Row, int]]:
    """Today's items, one line each; a visit with more than ``TODAY_PER_VISIT`` of them gets one
    line saying how many and from when to when (each arrives as its own reminder at its time). Each
    row with how many items it stands for."""
    by_visit: dict[int | None, list[Item]] = {}
    for item in items:
        by_visit.setdefault(item.number, []).append(item)
    today_key = BUCKET_KEYS["today"]  # a key from a table: the catalog check reads t(...) literals
    section = look.t(today_key)
    rows: list[tuple[Row, int]] = []
    for number, theirs in by_visit.items():
        if number is None or len(theirs) <= TODAY_PER_VISIT:
            rows += [(row, 1) for row in item_rows(look, theirs, today)]
            continue
        first, last = look.hhmm(theirs[0].due), look.hhmm(theirs[-1].due)
        rows.append(((section, look.t.plural("digest.items_today", len(theirs),
                                             when=first if first == last else f"{first}–{last}",
                                             number=number, client=theirs[0].client)), len(theirs)))
    return rows
