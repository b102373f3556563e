"""The morning digest's text: a person's day (their visits, the items due today, the backlog cut
short) and a reception group's arrivals. ``bot.services.digest`` decides who gets one and when, and
asks this for what it says (bootstrap hands it a ``DigestView``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.lookups import DayEntry, Item, bucket
from bot.domain.staff import Staff
from bot.i18n import Translator
from bot.services.approval import Pending
from bot.services.lookups import LookupService
from bot.views.approval import waited
from bot.views.days import BUCKET_KEYS, Look, assemble, day_rows, item_rows, look_for

# Overdue items the digest lists before "and N more — /mytasks": a morning message is read on a
# phone, and a backlog of a hundred lines hides the day.
MAX_OVERDUE_LINES = 10
# Visits awaiting the reader's approval listed before "and N more": where no department head is set
# per person, every manager approves every visit.
MAX_AWAITING_LINES = 10
# Items of one visit due today listed one by one up to this many; beyond, one line for them all.
TODAY_PER_VISIT = 2


class DigestView:
    def __init__(self, lookups: LookupService) -> None:
        self.lookups = lookups

    def personal(self, t: Translator, person: Staff, entries: list[DayEntry], items: list[Item],
                 now: datetime, *, awaiting: Sequence[Pending] = ()) -> str:
        """Today's own visits (``entries``), the visits awaiting this person's approval, then the
        items due today and the overdue ones."""
        lookups = self.lookups
        today = lookups.today(now)
        look = look_for(lookups, t, now)
        marks = lookups.marks((e.visit for e in entries), now)
        # The day first: its visits and what is due today; then the backlog, cut short.
        overdue: list[Item] = []
        todays_items: list[Item] = []
        for item in items:
            (overdue if bucket(item.due, today, lookups.tz) == "overdue" else todays_items).append(item)
        rows = day_rows(look, entries, marks, today) + _awaiting_rows(look, awaiting, now)
        rows += _today_rows(look, todays_items, today)
        rows += item_rows(look, overdue[:MAX_OVERDUE_LINES], today)
        more = len(overdue) - MAX_OVERDUE_LINES
        footer = t.plural("digest.more_overdue", more) if more > 0 else ""
        title = t("digest.personal", name=person.name, date=look.day(today))
        return assemble(t, title, rows, 0, 1, footer=footer)

    def group(self, t: Translator, entries: list[DayEntry], now: datetime) -> str:
        """Today's arrivals (``entries``) for a reception team."""
        lookups = self.lookups
        rows = day_rows(look_for(lookups, t, now), entries, lookups.marks((e.visit for e in entries), now),
                        lookups.today(now))
        return assemble(t, t("digest.group"), rows, 0, 1)


def _awaiting_rows(look: Look, awaiting: Sequence[Pending], now: datetime) -> list[tuple[str, str]]:
    """One line per visit waiting for this person's answer: the visit, its arrival, how long it waited."""
    section = look.t("digest.awaiting")
    rows = [(section, look.t("approval.digest_line", number=w.number, client=w.client_name,
                             when=look.t.format_moment(w.arrival.astimezone(look.tz), look.this_year),
                             waited=waited(look.t, w.since, now))) for w in awaiting[:MAX_AWAITING_LINES]]
    more = len(awaiting) - MAX_AWAITING_LINES
    return [*rows, (section, look.t.plural("digest.more_awaiting", more))] if more > 0 else rows


def _today_rows(look: Look, items: list[Item], today: date) -> list[tuple[str, str]]:
    """Today's items, one line each; a visit with more than ``TODAY_PER_VISIT`` of them gets one
    line saying how many and from when to when (each arrives as its own reminder at its time)."""
    by_visit: dict[int | None, list[Item]] = {}
    for item in items:
        by_visit.setdefault(item.number, []).append(item)
    today_key = BUCKET_KEYS["today"]  # a key from a table: the catalog check reads t(...) literals
    section = look.t(today_key)
    rows: list[tuple[str, str]] = []
    for number, theirs in by_visit.items():
        if number is None or len(theirs) <= TODAY_PER_VISIT:
            rows += item_rows(look, theirs, today)
            continue
        first, last = look.hhmm(theirs[0].due), look.hhmm(theirs[-1].due)
        rows.append((section, look.t.plural("digest.items_today", len(theirs),
                                            when=first if first == last else f"{first}–{last}",
                                            number=number, client=theirs[0].client)))
    return rows
