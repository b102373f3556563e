"""Quick look-ups from a phone, as plain rules: which question was asked, who may see which visit,
which arrivals and departures fall on which day, and which checklist items are still open.

Questions are read by a few patterns, never guessed: "华为什么时候来" and "when is Huawei coming"
ask for a client's (or a contact's) next visit, "张总上次来是什么时候" for the last one, and a
sentence that names a period (read by ``read_period``, the same reader as the forms) and says it is
about visits (谁, 来, 到, 接待, who, visit, arriving ...) asks for the visits of that period. Anything
else is not a question, and the bot says what it can answer rather than answering something else.
Names win over dates: "明日科技什么时候来" is about the client 明日科技 if there is one, and
"明天什么时候到" about tomorrow only because nobody is called 明天 (the handler decides, it knows
the clients; this module keeps the period the name reads as).

```mermaid
flowchart LR
    text --> when{"X 什么时候来 / when is X coming"} -->|yes| subject{"X: a contact, else a client"}
    subject -->|one| answer["X's next / last visits"]
    subject -->|several| choose["a button each"]
    subject -->|none| day{"X reads as a day"} -->|yes| days
    day -->|no| unknown["I know no X"]
    when -->|no| period{"a period and a visit word"} -->|yes| days["visits of the period"]
    period -->|no| help["short help with buttons"]
```
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from operator import itemgetter
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from bot.domain.clients import has_han
from bot.domain.dates import read_period
from bot.domain.nudges import UNFINISHED, Nudge, NudgeState
from bot.domain.pinyin import Style, pinyin
from bot.domain.visits import Visit

Direction = Literal["next", "last"]

# Traditional characters of the question words, one for one (so the text keeps its length).
_TO_SIMPLIFIED = str.maketrans("誰來訪麼時週戶總幾號這們會嗎為個後過裡沒",
                               "谁来访么时周户总几号这们会吗为个后过里没")
_PUNCTUATION = re.compile(r"[\s?？!！。.,，、:：;；~～\"'“”‘’]+$|^[\s\"'“”‘’]+")
_ZH_WHEN = r"(?:什么时候|什么时间|啥时候|何时|哪天|哪一天|几号|几时)"
_ZH_COME = r"(?:过来|来访|拜访|来|到|访问)"
_QUESTIONS: tuple[tuple[re.Pattern[str], Direction], ...] = (
    (re.compile(rf"^(?P<s>.+?)(?:上一?次|上回|最近一次|最后一次){_ZH_COME}"), "last"),
    (re.compile(rf"^(?P<s>.+?)(?:下一?次|下回){_ZH_COME}.*?{_ZH_WHEN}"), "next"),
    (re.compile(rf"^(?P<s>.+?)(?:下一?次|下回)?{_ZH_WHEN}(?:会|要|再|能)?{_ZH_COME}"), "next"),
    (re.compile(r"^when (?:did|was|were) (?P<s>.+?)(?:'s|s')? last\b"), "last"),
    (re.compile(r"^when (?:did|was|were) (?P<s>.+?) (?:come|came|visit|visited|arrive|arrived|here)\b"),
     "last"),
    (re.compile(r"^when(?:'s| is| will| does| do| are)? (?P<s>.+?)(?:'s|s')? next visit\b"), "next"),
    (re.compile(r"^when(?:'s| is| will| does| do| are) (?P<s>.+?) "
                r"(?:coming|come|arriving|arrive|visiting|visit|here|due)\b"), "next"),
)
# Words that make a sentence naming a period a question about visits.
_ABOUT_VISITS = re.compile(r"谁|来|到|访|接待|客户|客人|安排|\b(?:who|whom|visits?|visitors?|arriv\w*|coming|"
                           r"guests?|clients?|reception|schedule|agenda)\b")
# A period said alone ("today", "下周", "this week"): in a chat with the bot nothing else could be
# meant, and a busy host types no more than that.
_BARE_PERIOD = re.compile(
    r"(?:今天|今日|明天|明日|后天|後天|本周|这周|這週|这个星期|這個星期|这星期|下周|下週|下个星期|下個星期|上周|上週|"
    r"本月|这个月|這個月|下个月|下個月|上个月|上個月|周末|週末|这周末|這週末|下周末|下週末|"
    r"today|tomorrow|(?:this|next|last) (?:week|month|weekend)|(?:the )?weekend)[呢吗嗎]?")
# Said around a name without being part of it: "华为公司", "张总他们", "请问华为".
_AROUND_NAME = re.compile(r"^(?:请问|請問|那|the )|(?:公司|那边|他们|一行|的人|的|\s+company)$")


@dataclass(frozen=True)
class PeriodQuestion:
    """Who comes (and leaves) between ``first`` and ``last``, both included."""

    first: date
    last: date


@dataclass(frozen=True)
class WhenQuestion:
    """When a client or a contact, named as typed, comes next or came last."""

    subject: str
    direction: Direction
    # The days the subject names, if it reads as a date too: "明天什么时候到" asks about tomorrow,
    # unless a client is called 明天 (明日科技 is a client before it is a day).
    period: tuple[date, date] | None = None


Question = PeriodQuestion | WhenQuestion


def fold_question(text: str) -> str:
    """One spelling for matching: width, case, the traditional question words, outer punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_TO_SIMPLIFIED)
    return _PUNCTUATION.sub("", " ".join(folded.split()).replace("’", "'"))


# Words only a question has: in the middle of a form, text that reads as a question about visits
# is taken for one only with one of these ("明天到" at the arrival time stays an answer).
_ASKING = re.compile(r"谁|誰|什么|什麼|哪|几|幾|多少|吗|嗎|\?|\b(?:who|what|which|when|any)\b")


def plainly_asks(text: str) -> bool:
    """One line with a question word: a question, whatever else it could be read as."""
    one_line = "\n" not in text.strip()
    return one_line and _ASKING.search(unicodedata.normalize("NFKC", text).casefold()) is not None


def read_question(text: str, *, now: datetime, tz: ZoneInfo, period_alone: bool = True) -> Question | None:
    """The question ``text`` asks, or None when it is none we answer (see the module docstring).

    ``period_alone``: a period said alone ("today") asks who comes then; not in a group, where
    people say "明天" to each other.
    """
    folded = fold_question(text)
    if not folded:
        return None
    for pattern, direction in _QUESTIONS:
        match = pattern.match(folded)
        if match:
            subject = subject_of(match["s"])
            period = read_period(match["s"], now=now, tz=tz)
            return WhenQuestion(subject, direction, period) if subject else None
    if _ABOUT_VISITS.search(folded) or (period_alone and _BARE_PERIOD.fullmatch(folded)):
        period = read_period(text, now=now, tz=tz)
        if period is not None:
            return PeriodQuestion(*period)
    return None


@lru_cache(maxsize=10_000)
def _readings(char: str) -> frozenset[str]:
    return frozenset(pinyin(char, style=Style.TONE3, heteronym=True)[0])


def same_in_either_script(first: str, second: str) -> bool:
    """Two folded names that differ only by script: 張總 and 张总 (each character reads the same).

    Homophones pass too (章 reads as 张), so callers prefer an exact match and show whom they
    found by name, never as a silent guess.
    """
    return len(first) == len(second) and all(
        a == b or (has_han(a) and has_han(b) and bool(_readings(a) & _readings(b)))
        for a, b in zip(first, second, strict=True))


def subject_of(typed: str) -> str:
    """The name in a question without the words said around it ("请问华为公司" -> "华为")."""
    name = typed.strip()
    for _ in range(3):
        shorter = _AROUND_NAME.sub("", name).strip()
        if shorter == name or not shorter:
            break
        name = shorter
    return name


# ---- who sees what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and from where; decides which visits an answer may show.

    Staff see the visits they host or are on the team of, and everyone's arrivals today and
    tomorrow (reception needs them); managers and admins see all. A registered group chat sees the
    arrivals of today and tomorrow only, whoever asks in it: everyone in the group reads the answer.
    """

    user_id: int | None
    sees_all: bool = False
    group: bool = False
    # False for a person's own list (the morning digest): only the visits they host or are on.
    reception: bool = True

    @property
    def sees_every_visit(self) -> bool:
        """A manager in their own chat: no visit to read to know whether they may see it."""
        return self.sees_all and not self.group

    def sees(self, visit: Visit, today: date, tz: tzinfo) -> bool:
        if self.sees_every_visit:
            return True
        arrives = visit.arrival.astimezone(tz).date()
        reception = self.reception and today <= arrives <= today + timedelta(days=1)
        if self.group:
            return reception
        return self.sees_all or reception or self.user_id in visit.people

    def clip(self, first: date, last: date, today: date) -> tuple[date, date] | None:
        """The part of a period this viewer may list: a group only today and tomorrow."""
        if not self.group:
            return first, last
        first, last = max(first, today), min(last, today + timedelta(days=1))
        return (first, last) if first <= last else None


# ---- days ------------------------------------------------------------------------------------

# "day": arrives and leaves on the same day (one line); "arrive" / "leave": a stay over several days.
EntryKind = Literal["day", "arrive", "leave"]


class Span(NamedTuple):
    """When a visit arrives and leaves (timestamps): all a list of days needs to place it."""

    visit_id: int
    arrival: float
    departure: float

    @classmethod
    def of(cls, visit: Visit) -> Span:
        return cls(visit.id, visit.arrival.timestamp(), visit.departure.timestamp())


class DayEntry(NamedTuple):
    """A visit's line on one day. A named tuple, not a dataclass: a manager's week makes one for
    each arrival and departure of every visit in it, and each reply pays for their making.

    The visit itself is read only when asked for (``visit``): a week's list places a hundred
    visits to show a page of eight."""

    day: date
    instant: float  # when it arrives or leaves that day (a timestamp): a day's entries go by it
    visit_id: int
    kind: EntryKind
    read: Callable[[int], Visit | None]  # the visit of a number (a repository's ``get``)

    @property
    def visit(self) -> Visit:
        visit = self.read(self.visit_id)
        if visit is None:  # the entries are made and shown in one turn of the core
            raise LookupError(f"visit {self.visit_id} is gone")
        return visit


class _LocalDays:
    """The day in ``tz`` of instants (timestamps), each day's bounds worked out once: a week's
    hundred visits arrive and leave on seven days, and a conversion to local time each took
    longer than the rest of placing them."""

    def __init__(self, tz: tzinfo) -> None:
        self._tz = tz
        self._starts: list[float] = []  # each known day's first instant, sorted
        self._days: list[tuple[date, float, float]] = []  # the same days, their starts and ends

    def of(self, instant: float) -> tuple[date, float, float]:
        """The day of ``instant``, and the instants that day starts and ends (the next midnight)."""
        at = bisect_right(self._starts, instant) - 1
        if at >= 0 and instant < self._days[at][2]:
            return self._days[at]
        day = datetime.fromtimestamp(instant, self._tz).date()
        start, end = (bound.timestamp() for bound in day_bounds(day, day, self._tz))
        if start <= instant < end:  # not so where a time change at midnight repeats an hour
            at = bisect_right(self._starts, start)
            self._starts.insert(at, start)
            self._days.insert(at, (day, start, end))
        return day, start, end


def day_entries(spans: Iterable[Span], first: date, last: date, tz: tzinfo,
                read: Callable[[int], Visit | None], *, arrivals_only: bool = False) -> list[DayEntry]:
    """The arrivals and departures between ``first`` and ``last``, by day and time; ``read`` gives
    the visit of a number, for whoever shows an entry."""
    days = _LocalDays(tz)
    entries = []
    arrives, start, midnight = date.min, 0.0, 0.0
    for visit_id, arrival, departure in spans:
        if not start <= arrival < midnight:  # not the day of the last one (they come by arrival)
            arrives, start, midnight = days.of(arrival)
        if departure < midnight:
            if first <= arrives <= last:
                entries.append(DayEntry(arrives, arrival, visit_id, "day", read))
            continue
        if first <= arrives <= last:
            entries.append(DayEntry(arrives, arrival, visit_id, "arrive", read))
        if not arrivals_only:
            leaves = days.of(departure)[0]
            if first <= leaves <= last:
                entries.append(DayEntry(leaves, departure, visit_id, "leave", read))
    entries.sort(key=itemgetter(0, 1, 2))
    return entries


def relative_period(name: str, today: date) -> tuple[date, date]:
    """/today, /tomorrow, /week (Monday to Sunday, as 这周 and "this week" read)."""
    if name == "tomorrow":
        return today + timedelta(days=1), today + timedelta(days=1)
    if name == "week":
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    return today, today


def day_bounds(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """The instants from ``first``'s midnight to the midnight after ``last``, for ``between``."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
    return start, datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=tz)


# ---- checklist -------------------------------------------------------------------------------

def is_open(nudge: Nudge, by: datetime) -> bool:
    """A checklist item someone should be doing by ``by``: sent, or due by then, and not done."""
    return nudge.state is NudgeState.SENT or (nudge.state in UNFINISHED and nudge.due <= by)


# How long past due an open item may be before the visit shows "prep behind".
BEHIND_AFTER = timedelta(hours=1)


def is_behind(visit: Visit, nudges: Iterable[Nudge], now: datetime) -> bool:
    """A visit's preparation is behind when an item an hour past its due time is not done, and
    the guests have not arrived yet (after that, what was not done is missed, not behind).

    The hour's grace: some items are due the moment a visit is saved (the manager's review of the
    request), and a visit just saved is not behind; neither is a check due ten minutes ago.
    """
    cutoff = behind_cutoff(now)
    return visit.arrival > now and any(nudge.state in UNFINISHED and nudge.due <= cutoff for nudge in nudges)


def behind_cutoff(now: datetime) -> datetime:
    """An unfinished item due at or before this makes a visit's preparation behind (``is_behind``)."""
    return now - BEHIND_AFTER


@dataclass(frozen=True)
class Item:
    """An open item on someone's list: a nudge of their visit (its message key) or a debrief task
    (its text, as typed)."""

    due: datetime
    number: int | None  # the visit's (None: a task of no visit)
    client: str = ""  # the client's name as the visit has it
    key: str = ""
    text: str = ""
    # A shared item one or more colleagues put off ("in an hour"), who took it on: listed for the
    # others as put off by them until ``due`` (the snooze's end), not as open for the reader.
    put_off_by: tuple[int, ...] = ()


@dataclass(frozen=True)
class Marks:
    """What a list's visits need beyond the visit itself (read from their checklists)."""

    behind: frozenset[int] = frozenset()
    pickup_done: frozenset[int] = frozenset()


Bucket = Literal["overdue", "today", "later"]


def bucket(due: datetime, today: date, tz: tzinfo) -> Bucket:
    """Overdue (before today), today, or later: the order /mytasks and the digest list items in."""
    day = due.astimezone(tz).date()
    return "overdue" if day < today else "today" if day == today else "later"


@dataclass(frozen=True)
class ReceptionGroup:
    """A group chat an admin made the reception team's: it may ask about arrivals and gets them
    every working morning, in the language of the admin who registered it."""

    chat_id: int
    registered_by: int
    registered_at: datetime
    locale: str = "zh_Hans"
