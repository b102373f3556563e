"""Lists that must read well on a phone: a day's arrivals and departures, open checklist items,
and the pager that walks through a long list by editing one message.

Rendering takes a ``Look`` (translator, time zone, staff names) rather than a handler's context,
because the morning digest renders the same lines with no one asking.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.core.events import Button
from bot.domain.lookups import Bucket, DayEntry, Item, Marks, bucket
from bot.domain.visits import Visit
from bot.i18n import N_, Translator, clock, escape
from bot.services.lookups import LookupService

T = TypeVar("T")

PAGE_SIZE = 8
_ENTRY_KEYS = {"day": N_("days.entry.day"), "arrive": N_("days.entry.arrive"),
               "leave": N_("days.entry.leave")}
BUCKET_KEYS: dict[Bucket, str] = {"overdue": N_("tasks.section.overdue"), "today": N_("tasks.section.today"),
                                  "later": N_("tasks.section.later")}


@dataclass(frozen=True)
class Look:
    """How to print for one reader: their language, the company time zone, staff names."""

    t: Translator
    tz: ZoneInfo
    name_of: Callable[[int], str]
    this_year: int  # a day in another year is shown with its year

    def day(self, day: date) -> str:
        return self.t.format_date(day, self.this_year, N_("format.date"))

    def hhmm(self, moment: datetime) -> str:
        return clock(moment.astimezone(self.tz))

    def day_header(self, day: date, today: date) -> str:
        if day == today:
            return self.t("days.today", date=self.day(day))
        if day == today + timedelta(days=1):
            return self.t("days.tomorrow", date=self.day(day))
        return self.t("days.date", date=self.day(day))


def look_for(lookups: LookupService, t: Translator, now: datetime) -> Look:
    """How lists print for a reader of ``t``'s language at ``now``."""
    return Look(t, lookups.tz, lookups.name, lookups.today(now).year)


# ---- a visit on one or two lines ------------------------------------------------------------


def entry_lines(look: Look, entry: DayEntry, marks: Marks) -> str:
    """``09:30–16:00 华为 #12`` and, indented, who, how many, class, host, room and pickup."""
    t, visit = look.t, entry.visit
    first = t(_ENTRY_KEYS[entry.kind], start=look.hhmm(visit.arrival), end=look.hhmm(visit.departure),
              until=look.day(visit.departure.astimezone(look.tz).date()), client=visit.client_name,
              number=visit.id)
    if visit.id in marks.behind:
        first += " · " + t("days.behind")
    return first + "\n    " + " · ".join(_details(look, visit, marks))


def _details(look: Look, visit: Visit, marks: Marks) -> list[str]:
    t = look.t
    parts = []
    lead = visit.lead
    if lead is not None:
        parts.append(escape(f"{lead.name} {lead.title}".strip()))
    if visit.visitors:
        parts.append(t.plural("days.people", len(visit.visitors)))
    parts.append(t("days.class", cls=visit.class_id))
    parts.append(t("days.host", name=look.name_of(visit.host)))
    if visit.room:
        parts.append(t("days.room", room=visit.room))
    travel = visit.travel
    if travel is not None and travel.pickup:
        if visit.id in marks.pickup_done:
            parts.append(t("days.pickup.done"))
        elif travel.driver is not None:
            parts.append(t("days.pickup.driver", name=look.name_of(travel.driver)))
        elif travel.driver_name:
            parts.append(t("days.pickup.driver", name=travel.driver_name))
        else:
            parts.append(t("days.pickup.open"))
    return parts


def day_rows(look: Look, entries: Sequence[DayEntry], marks: Marks, today: date) -> list[tuple[str, str]]:
    """(day header, visit lines) for each entry, ready for ``assemble``."""
    return [(look.day_header(entry.day, today), entry_lines(look, entry, marks)) for entry in entries]


def empty_days(look: Look, first: date, last: date, today: date) -> str:
    """One friendly line for a period with nothing in it."""
    t = look.t
    if first != last:
        return t("days.empty.period", first=look.day(first), last=look.day(last))
    if first == today:
        return t("days.empty.today")
    if first == today + timedelta(days=1):
        return t("days.empty.tomorrow")
    return t("days.empty.day", date=look.day(first))


def period_title(look: Look, first: date, last: date, visits: int) -> str:
    """The title of a list over several days; a single day's list needs none (its header says it)."""
    if first == last:
        return ""
    return look.t.plural("days.title", visits, first=look.day(first), last=look.day(last))


# ---- checklist items ------------------------------------------------------------------------


def item_rows(look: Look, items: Sequence[Item], today: date) -> list[tuple[str, str]]:
    """(section, line) per item: overdue, then today, then later; the caller sorts by due."""
    t = look.t
    rows = []
    for item in items:
        day = item.due.astimezone(look.tz).date()
        if item.put_off_by:
            rows.append(put_off_row(look, item, today))
            continue
        line = t("tasks.line", due=look.hhmm(item.due) if day == today else look.day(day),
                 what=t(item.key) if item.key else item.text,
                 number="—" if item.number is None else item.number, client=item.client)
        rows.append((t(BUCKET_KEYS[bucket(item.due, today, look.tz)]), line))
    return rows


def put_off_row(look: Look, item: Item, today: date) -> tuple[str, str]:
    """(section, line) of a shared item colleagues put off: who, and until when."""
    t = look.t
    day = item.due.astimezone(look.tz).date()
    until = look.hhmm(item.due) if day == today else f"{look.day(day)} {look.hhmm(item.due)}"
    line = t("tasks.put_off_line", what=t(item.key), number=item.number, client=item.client,
             names=t.join(look.name_of(user_id) for user_id in item.put_off_by), until=until)
    return t("tasks.section.put_off"), line


# ---- paging ---------------------------------------------------------------------------------


def clamp(page: int, count: int, size: int = PAGE_SIZE) -> tuple[int, int]:
    """The page to show (within range) and how many pages there are (at least one)."""
    pages = max(1, -(-count // size))
    return min(max(page, 0), pages - 1), pages


def page_of(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[Sequence[T], int, int]:
    """The items on ``page`` (brought within range, as ``clamp``), that page and how many there are."""
    page, pages = clamp(page, len(items), size)
    return items[page * size:(page + 1) * size], page, pages


def assemble(t: Translator, title: str, rows: Sequence[tuple[str, str]], page: int, pages: int, *,
             footer: str = "") -> str:
    """Title, then each row under its section header (repeated at the top of every page)."""
    lines = [title] if title else []
    section = None
    for header, line in rows:
        if header != section:
            if lines:
                lines.append("")
            lines.append(header)
            section = header
        lines.append(line)
    if pages > 1:
        lines += ["", t("days.page", page=page + 1, pages=pages)]
    if footer:
        lines += ["", footer]
    return "\n".join(lines)


def paging_row(t: Translator, page: int, pages: int, data: Callable[[int], str]) -> list[Button]:
    """Previous / Next, each carrying the page it shows; none on a single page."""
    row = []
    if page > 0:
        row.append(Button(t("button.previous"), data(page - 1)))
    if page < pages - 1:
        row.append(Button(t("button.next"), data(page + 1)))
    return row
