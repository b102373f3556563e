"""Lines of a visit's programme as a host types them: "12月3日 14:00-15:30 生产车间", "第二天 上午9点
技术交流", "Day 2 12:30 lunch, canteen, 8 people, 150 yuan".

Each line names a day (a date, 第N天 / Day N, a weekday of the visit, 今天 / 明天), perhaps a time or
a span of time, and what happens; meals also say lunch or dinner, how many and the standard per
person. The day and times are taken out; what remains is the place or the activity. A line that names
no day is on the visit's first day. These are pure functions: the form's steps check with them and
the saved visit is built from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, time, timedelta

from bot.domain.typed_numbers import read_number
from bot.domain.visits import Meal, Slot, Visit

_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_WEEKDAYS_CN = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAYS_EN = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SEPARATORS = " \t,，;；、:：/|-—–~～。.()（）"

_NTH_DAY = re.compile(r"第\s*([一二两兩三四五六七八九十\d]{1,3})\s*天|\bday\s*(\d{1,2})\b", re.IGNORECASE)
_FULL_DATE = re.compile(r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号號]?")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?|(?<![\d:：])(\d{1,2})/(\d{1,2})(?![\d/])")
_DAY_OF_MONTH = re.compile(r"(?<![\d月/])(\d{1,2})\s*[日号號]")
_MONTH_NAMES = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_EN_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAMES
                      + r"|\b" + _MONTH_NAMES + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"(?:周|星期|週|禮拜|礼拜)([一二三四五六日天])"
                      r"|\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\b", re.IGNORECASE)
# 昨天 is read too, so that a line saying it is refused as not a day of the visit, not read as the next
# day it names ("昨天入住 后天退房" was a stay from 后天).
_RELATIVE = re.compile(r"昨天|今天|明天|后天|後天|\byesterday\b|\btoday\b|\btomorrow\b", re.IGNORECASE)
_RELATIVE_DAYS = {"昨天": -1, "yesterday": -1, "今天": 0, "today": 0, "明天": 1, "tomorrow": 1, "后天": 2,
                  "後天": 2}

_PART = r"(?P<part{n}>上午|早上|早晨|中午|下午|傍晚|晚上|晚)?\s*"
_CLOCK = (r"(?P<h{n}>\d{{1,2}})(?:[:：](?P<m{n}>\d{{2}})"
          r"|\s*[点點时時](?:(?P<half{n}>半)|(?P<mm{n}>\d{{1,2}})\s*分?)?"
          r"|(?=\s*(?:am|pm|a\.m\.|p\.m\.)))\s*(?P<ampm{n}>am|pm|a\.m\.|p\.m\.)?")
_TIME = re.compile(_PART.format(n=1) + _CLOCK.format(n=1)
                   + r"(?:\s*(?:-|–|—|~|～|至|到|to)\s*" + _PART.format(n=2) + _CLOCK.format(n=2) + ")?",
                   re.IGNORECASE)
_LATE = {"下午", "傍晚", "晚上", "晚", "pm", "p.m."}

# Covers and the standard per person as typed: 8人, 六位, two people; 150元, ¥1,200, 一百五十元. Each
# figure is read by ``bot.domain.typed_numbers``, as the number questions read theirs.
_CN_FIGURE = r"[零〇一二两兩三四五六七八九十百千]+"
_EN_FIGURE = (r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen"
              r"|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|dozen)"
              r"\b[\s-]*)+")
_FIGURE = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d{{1,2}})?|\d{{1,6}}(?:\.\d{{1,2}})?|{_CN_FIGURE}"
# A count's counting word ends a word: 三人行餐厅 is a restaurant's name, not three covers. A Chinese
# amount or 每人 may follow unspaced (六人一百五十元, 6人每人150元).
_COUNT = re.compile(rf"(\d{{1,3}}|{_CN_FIGURE}|\b{_EN_FIGURE})\s*"
                    r"(?:人|位|个人|個人|pax\b|people\b|persons\b|guests\b|covers\b)"
                    rf"(?!(?!{_CN_FIGURE}\s*(?:元|块|塊)|每人|人均)[^\W\d_])", re.IGNORECASE)
_AMOUNT = re.compile(rf"(?:¥|￥|rmb|cny|每人|人均|per person)\s*({_FIGURE})\s*(?:元|块|塊)?"
                     r"(?:\s*/\s*(?:人|位|person|head|pp))?"
                     rf"|({_FIGURE})\s*(?:元|块|塊|yuan\b|rmb\b|cny\b)(?:\s*/\s*(?:人|位|person|head|pp)|每人)?",
                     re.IGNORECASE)
_NIGHTS = re.compile(rf"(\d{{1,2}}|{_CN_FIGURE}|\b{_EN_FIGURE})\s*(?:晚|夜|nights?\b)", re.IGNORECASE)
# A standard in dollars is not converted, nor read as yuan: the line is asked again.
_DOLLARS = re.compile(r"\$|\busd\b|\bdollars?\b|美元|美金", re.IGNORECASE)
_KINDS = (("breakfast", re.compile(r"早餐|早饭|早飯|\bbreakfast\b", re.IGNORECASE)),
          ("lunch", re.compile(r"午餐|中餐|午饭|午飯|午宴|工作餐|\blunch\b", re.IGNORECASE)),
          ("dinner", re.compile(r"晚餐|晚饭|晚飯|晚宴|宴请|宴請|\bdinner\b|\bbanquet\b", re.IGNORECASE)))



@dataclass(frozen=True)
class VisitDays:
    """The days a line may name: the visit's own, and today (for 今天 / 明天)."""

    first: date
    last: date
    today: date

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Reading:
    """A line read: its day (None: said wrongly, see ``problem``), times, and what is left."""

    day: date | None
    start: time | None
    end: time | None
    rest: str
    # "" | "no_day" (a date that does not exist) | "outside" (not a day of the visit) | "bad_time"
    problem: str = ""


def read_line(text: str, days: VisitDays, *, outside_ok: bool = False) -> Reading:
    """The day, times and the rest of one line. A line naming no day is on the visit's first day;
    one naming a day the visit does not cover has ``problem`` "outside" unless ``outside_ok``."""
    day, rest, problem = _day(text, days)
    start, end, rest, impossible = _times(rest)
    if day is not None and not days.holds(day) and not outside_ok:
        problem = "outside"
    problem = problem or impossible
    return Reading(day, start, end, _tidy(rest), problem)


def read_slots(text: str, days: VisitDays) -> tuple[list[Slot], list[str], list[tuple[int, str]]]:
    """Tours or agenda items, a line each: the timed ones as slots, the lines that name neither a
    day nor a time (not fixed yet) as typed, and the (line number, problem) of lines read wrongly."""
    slots, loose, problems = [], [], []
    for number, line in enumerate(lines_of(text), 1):
        reading = read_line(line, days)
        if reading.problem:
            problems.append((number, reading.problem))
        elif reading.day is None and reading.start is None:
            loose.append(line)
        else:
            slots.append(Slot(reading.day or days.first, reading.start, reading.end, reading.rest))
    return sorted(slots, key=slot_order), loose, problems


def read_meals(text: str, days: VisitDays) -> tuple[list[Meal], list[tuple[int, str]]]:
    """Meals, a line each: day, lunch or dinner, time, place, covers, standard per person."""
    meals, problems = [], []
    for number, line in enumerate(lines_of(text), 1):
        meal, problem = read_meal(line, days)
        if meal is None:
            problems.append((number, problem))
        else:
            meals.append(meal)
    return sorted(meals, key=meal_order), problems


def read_meal(line: str, days: VisitDays) -> tuple[Meal | None, str]:
    """One meal, or None and why ("no_day", "outside", "bad_time", "empty", "dollars")."""
    if _DOLLARS.search(line):
        return None, "dollars"
    rest, count = _take(_COUNT, line)
    rest, amount = _take(_AMOUNT, rest)
    kind = "meal"
    for name, pattern in _KINDS:
        found = pattern.search(rest)
        if found is not None:
            kind, rest = name, rest[:found.start()] + " " + rest[found.end():]
            break
    reading = read_line(rest, days)
    if reading.problem:
        return None, reading.problem
    if kind == "meal" and reading.start is None and not reading.rest and count is None:
        return None, "empty"
    if kind == "meal" and reading.start is not None:
        kind = "lunch" if reading.start < time(15) else "dinner"
    per_person = _figure(amount) if amount is not None else None
    covers = int(_figure(count) or 0) if count is not None else 0
    return Meal(reading.day or days.first, kind, reading.start, reading.rest, covers, per_person), ""


def read_stay(text: str, days: VisitDays) -> tuple[date, date] | None:
    """Check-in and check-out days: "12月2日-12月4日", "12月2日至4日", "2晚" (from the first day),
    "12月2日 3晚"; None when nothing in it reads as a day or a number of nights."""
    found: list[date] = []
    rest = text
    for _ in range(2):
        day, rest, problem = _day(rest, days, month_of=found[0] if found else None, week=True)
        if day is None or problem:
            break
        found.append(day)
    nights = _NIGHTS.search(text)
    count = _number(nights.group(1)) if nights else None
    if len(found) == 2:
        return (found[0], found[1]) if found[1] > found[0] else None
    if found and count:
        return found[0], found[0] + timedelta(days=count)
    if found:
        return found[0], max(days.last, found[0] + timedelta(days=1))
    if count:
        return days.first, days.first + timedelta(days=count)
    return None


def span(start: time | None, end: time | None) -> str:
    """"14:00–15:30", "14:00", or "" for no time."""
    if start is None:
        return ""
    return f"{start:%H:%M}" + (f"–{end:%H:%M}" if end is not None else "")


def lines_of(text: str) -> list[str]:
    """The lines of a programme: one per line, or separated by semicolons."""
    return [line.strip() for line in re.split(r"[\n;；]", text) if line.strip()]


def slot_order(slot: Slot) -> tuple[date, time]:
    return slot.day, slot.start or time(0)


def meal_order(meal: Meal) -> tuple[date, time]:
    usual = {"breakfast": time(8), "lunch": time(12), "dinner": time(18)}.get(meal.kind, time(12))
    return meal.day, meal.at or usual


def _tidy(rest: str) -> str:
    """What is left of a line once its day, times and figures are out: "  公司餐厅 , " → "公司餐厅"."""
    rest = re.sub(r"\s*[,，、;；]+[\s,，、;；]*", ", ", " ".join(rest.split()))
    return rest.strip(_SEPARATORS)


def _take(pattern: re.Pattern[str], text: str) -> tuple[str, str | None]:
    found = pattern.search(text)
    if found is None:
        return text, None
    value = next(group for group in found.groups() if group is not None)
    return text[:found.start()] + " " + text[found.end():], value


def _figure(text: str) -> float | None:
    """A figure of a meal line: 1,200 -> 1200, 150.5, 六 -> 6, 一百五十 -> 150, two -> 2."""
    plain = text.strip().replace(",", "")
    try:
        return float(plain)
    except ValueError:
        number = read_number(plain).number
        return float(number) if number is not None else None


def _number(text: str) -> int | None:
    """A day's or a stay's number: 3, 十二, 两, two."""
    return read_number(text).number


def _day(text: str, days: VisitDays, month_of: date | None = None,
         week: bool = False) -> tuple[date | None, str, str]:
    """The first day named in ``text``, the text without it, and a problem ("no_day" for a date that
    does not exist). ``month_of``: a bare "4日" is in that day's month (the second date of a stay);
    ``week``: a weekday may be up to a week around the visit (a hotel stay), not only one of its days."""
    candidates = []
    for pattern in (_NTH_DAY, _FULL_DATE, _MONTH_DAY, _EN_DATE, _WEEKDAY, _RELATIVE):
        found = pattern.search(text)
        if found is not None:
            candidates.append(found)
    if month_of is not None and (bare := _DAY_OF_MONTH.search(text)) is not None:
        candidates.append(bare)
    if not candidates:
        return None, text, ""
    found = min(candidates, key=lambda match: match.start())
    rest = text[:found.start()] + " " + text[found.end():]
    try:
        day = _which_day(found, days, month_of, week)
    except ValueError:  # 2月30日
        return None, rest, "no_day"
    return day, rest, "" if day is not None else "outside"  # a weekday the visit does not have


def _which_day(found: re.Match[str], days: VisitDays, month_of: date | None, week: bool) -> date | None:
    pattern, groups = found.re, found.groups()
    if pattern is _NTH_DAY:
        number = _number(groups[0] or groups[1])
        return days.first + timedelta(days=number - 1) if number else None
    if pattern is _FULL_DATE:
        return date(int(groups[0]), int(groups[1]), int(groups[2]))
    if pattern is _MONTH_DAY:
        month, day = (groups[0], groups[1]) if groups[0] else (groups[2], groups[3])
        return _near(int(month), int(day), days.first)
    if pattern is _EN_DATE:
        day, month = (groups[0], groups[1]) if groups[0] else (groups[3], groups[2])
        return _near(_MONTHS[month[:3].lower()], int(day), days.first)
    if pattern is _WEEKDAY:
        weekday = _WEEKDAYS_CN[groups[0]] if groups[0] else _WEEKDAYS_EN[groups[1][:3].lower()]
        if week:  # a stay: check-in the nearest such day to the visit, check-out the next after it
            start = month_of + timedelta(days=1) if month_of is not None else days.first - timedelta(days=6)
            options = [start + timedelta(days=offset) for offset in range(13)]
            matching = [day for day in options if day.weekday() == weekday]
            if month_of is not None:
                return matching[0]
            return min(matching, key=lambda day: abs((day - days.first).days))
        span = (days.last - days.first).days
        return next((days.first + timedelta(days=offset) for offset in range(span + 1)
                     if (days.first + timedelta(days=offset)).weekday() == weekday), None)
    if pattern is _RELATIVE:
        return days.today + timedelta(days=_RELATIVE_DAYS[found.group().lower()])
    assert month_of is not None  # a bare "4日" is only looked for with a month to put it in
    return date(month_of.year, month_of.month, int(groups[0]))


def _near(month: int, day: int, around: date) -> date:
    """The date with that month and day nearest to ``around`` (a December visit's "1月2日" is next year)."""
    options = [date(around.year + shift, month, day) for shift in (-1, 0, 1)]
    return min(options, key=lambda option: abs((option - around).days))


def _times(text: str) -> tuple[time | None, time | None, str, str]:
    """The start and end times, the rest, and "bad_time" for a clock that cannot be (25:00) or an end
    before its start (15:00-14:00): said, never kept as part of a place's name or dropped unseen.
    An end at midnight or after it (20:00-24:00, 23:00-1:00) is kept as no end, as it was."""
    found = _TIME.search(text)
    if found is None:
        return None, None, text, ""
    start = _clock(found, 1, None)
    end = _clock(found, 2, found.group("part1") or found.group("ampm1")) if found.group("h2") else None
    if start is None:
        return None, None, text, "bad_time"
    if end is not None and end <= start and end.hour + 12 < 24 and time(end.hour + 12, end.minute) > start:
        end = time(end.hour + 12, end.minute)  # "2点到4点" in the afternoon
    midnight = found.group("h2") == "24" and int(found.group("m2") or found.group("mm2") or 0) == 0
    overnight = end is not None and end < time(6) <= time(18) <= start
    if found.group("h2") and not (midnight or overnight) and (end is None or end <= start):
        return None, None, text, "bad_time"
    rest = text[:found.start()] + " " + text[found.end():]
    return start, end if end is None or end > start else None, rest, ""


def _clock(found: re.Match[str], n: int, inherited: str | None) -> time | None:
    hour = int(found.group(f"h{n}"))
    minute = int(found.group(f"m{n}") or found.group(f"mm{n}") or (30 if found.group(f"half{n}") else 0))
    part = (found.group(f"part{n}") or found.group(f"ampm{n}") or inherited or "").lower()
    if (part in _LATE and hour < 12) or (part == "中午" and hour < 3):
        hour += 12
    elif part in ("am", "a.m.") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def shifted(visit: Visit, days: int) -> Visit:
    """The visit with its tours, agenda and meals moved by ``days`` whole days (a reschedule)."""
    move = timedelta(days=days)
    return replace(visit, tours=tuple(replace(s, day=s.day + move) for s in visit.tours),
                   agenda=tuple(replace(s, day=s.day + move) for s in visit.agenda),
                   meal_plan=tuple(replace(m, day=m.day + move) for m in visit.meal_plan))
