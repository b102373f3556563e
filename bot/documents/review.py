"""The quarterly review of receptions (the handbook: "every quarter, review the receptions"): the
figures of one quarter, read once from the repositories.

- visits per class and month, held ones only (cancelled ones and those still to come counted apart);
- spend against budget per class: the approved total of each debriefed visit (each standard per
  person times the people it is for, ``bot.domain.budget``) against the total its debrief says
  was spent;
- the most frequent objections and client needs, from the debriefs' free text split into items
  (one a line, or separated by ；;、 and the like) and counted by their folded form;
- follow-ups still open from the quarter's visits, and how many are past due;
- clients whose contact cadence is overdue at the end of the quarter (or now, for this quarter).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from bot.domain.budget import estimate
from bot.domain.clients import Client, fold
from bot.domain.policy import CLASS_IDS
from bot.domain.relationship import overdue_days
from bot.domain.tasks import Task
from bot.domain.visits import VisitStatus

if TYPE_CHECKING:
    from bot.bootstrap import Services

TOP = 5
# Where one objection or need ends and the next begins in a debrief's free text.
_ITEM_BREAK = re.compile(r"[\n;；、。!！?？]|,\s|，|\s-\s|^\s*[-•*\d.)]+\s*", re.MULTILINE)


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1-4

    @staticmethod
    def of(day: date) -> Quarter:
        return Quarter(day.year, (day.month - 1) // 3 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def months(self) -> tuple[date, date, date]:
        first = 3 * (self.number - 1) + 1
        return date(self.year, first, 1), date(self.year, first + 1, 1), date(self.year, first + 2, 1)

    def start(self, tz: tzinfo) -> datetime:
        return datetime.combine(self.months[0], datetime.min.time(), tz)

    def end(self, tz: tzinfo) -> datetime:
        """The first moment after the quarter."""
        following = Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        return following.start(tz)


@dataclass
class ClassFigures:
    visits: list[int] = field(default_factory=lambda: [0, 0, 0])  # one count a month
    budget: float = 0.0  # the budget totals of the debriefed visits that had one
    spent: float = 0.0  # what those visits' debriefs record as spent
    costed: int = 0  # how many visits both figures come from

    @property
    def total(self) -> int:
        return sum(self.visits)


@dataclass
class Overdue:
    client: Client
    days: int  # since the last contact
    every: int  # the class's cadence


@dataclass
class Review:
    quarter: Quarter
    classes: dict[str, ClassFigures]
    cancelled: int = 0
    upcoming: int = 0  # planned in the quarter but not begun yet: not counted as received
    debriefed: int = 0
    objections: list[tuple[str, int]] = field(default_factory=list)
    needs: list[tuple[str, int]] = field(default_factory=list)
    open_tasks: list[Task] = field(default_factory=list)
    late_tasks: int = 0
    overdue: list[Overdue] = field(default_factory=list)

    @property
    def visits(self) -> int:
        return sum(figures.total for figures in self.classes.values())


def build_review(services: Services, quarter: Quarter, now: datetime) -> Review:
    """The figures of ``quarter`` as they stand at ``now``."""
    tz = services.settings.tz
    start, end = quarter.start(tz), quarter.end(tz)
    review = Review(quarter, {class_id: ClassFigures() for class_id in CLASS_IDS})
    objections: Counter[str] = Counter()
    needs: Counter[str] = Counter()
    spellings: dict[str, str] = {}
    visit_ids = set()
    for visit in services.visits.arriving(start, end):
        if visit.status is VisitStatus.CANCELLED:
            review.cancelled += 1
            continue
        if visit.arrival > now:
            review.upcoming += 1
            continue
        visit_ids.add(visit.id)
        figures = review.classes.setdefault(visit.class_id, ClassFigures())
        figures.visits[visit.arrival.astimezone(tz).month - quarter.months[0].month] += 1
        debrief = services.debriefs.get(visit.id)
        if debrief is None:
            continue
        review.debriefed += 1
        planned, spent = estimate(visit), debrief.spent
        if planned is not None and spent is not None:
            figures.budget += planned
            figures.spent += spent
            figures.costed += 1
        _count(debrief.objections, objections, spellings)
        _count(debrief.needs, needs, spellings)
    review.objections = [(spellings[key], n) for key, n in objections.most_common(TOP)]
    review.needs = [(spellings[key], n) for key, n in needs.most_common(TOP)]
    review.open_tasks = services.debriefs.open_tasks_of(visit_ids)
    review.late_tasks = sum(1 for task in review.open_tasks if task.due < now)
    review.overdue = overdue_clients(services, min(now, end))
    return review


def overdue_clients(services: Services, at: datetime) -> list[Overdue]:
    """Clients not contacted (a visit or a logged call, message...) within their class's cadence."""
    tz = services.settings.tz
    last = services.visits.last_arrivals(at)
    for entry in services.relationship.entries():
        if entry.client_id is not None and entry.at <= at:
            last[entry.client_id] = max(last.get(entry.client_id, entry.at), entry.at)
    found = []
    today = at.astimezone(tz).date()
    for client in services.clients.all():
        if client.created_at > at:
            continue
        try:
            every = services.policy.class_(client.default_class).cadence.contact_days
        except KeyError:
            continue
        since = last.get(client.id, client.created_at).astimezone(tz).date()
        days = overdue_days(since, today, every)
        if days is not None:
            found.append(Overdue(client, days, every))
    return sorted(found, key=lambda item: (-(item.days - item.every), item.client.name))


def _count(text: str, counter: Counter[str], spellings: dict[str, str]) -> None:
    """Adds each item of a debrief's free text once (the first spelling seen is the one shown)."""
    items = {fold(part).strip(" .,:：-"): part.strip(" .,:：-") for part in _ITEM_BREAK.split(text or "")}
    for key, shown in items.items():
        if key:
            counter[key] += 1
            spellings.setdefault(key, shown)
