"""When a plan typed as free text says it happens: "12月16日上午 参观生产车间", "生产车间 16:00",
"plant tour on Dec 16 at 3pm".

The visit form takes the tour and the meals as free text, and the itinerary sent to the client
must print each on the day and at the time that text gives, never on a day it made up. The date
reader (``bot.domain.dates``) reads a phrase that is a date and nothing else, so the phrase is
found first: the runs of characters and words dates are written with, each read in turn; the first
that reads to a day of the visit wins. Chinese text costs a few regular expressions per run and
never reaches dateparser; English text reaches it once per run of date words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.dates import PartOfDay, read_datetime

# What Chinese and numeric dates are written with, with the spaces between their parts.
_CJK_RUN = re.compile(
    r"(?:[0-9０-９:：./\-~～年月日号號点點时時分半今明后後昨前大天周週星期礼禮拜一二三四五六七八九十两兩〇零"
    r"上下中午晚早凌晨傍夜本这這个個整 ]|a\.?m\.?|p\.?m\.?|noon)+", re.IGNORECASE)
# A run is worth reading only with one of these: "上" or "一" alone is no date.
_CJK_STRONG = re.compile(r"\d|天|周|週|星期|礼拜|禮拜|午|晚|早|夜|凌晨|noon", re.IGNORECASE)
# Where a run splits when it does not read whole: "11:30-12:00", "12:00 午(餐)".
_PIECES = re.compile(r"\s*[-~～至到]\s*(?=\d)|\s+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9:.]*")
_LATIN_STRONG = frozenset((
    "today", "tomorrow", "tonight", "noon", "midday", "midnight", "morning", "afternoon", "evening",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue",
    "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"))
# Words that belong inside an English date ("on Friday at 3pm") but make none alone.
_LATIN_JOIN = frozenset(("on", "at", "next", "this", "the", "of", "am", "pm", "a.m.", "p.m."))
# Where a day's part sorts when the text gives no clock time.
_PART_HOURS: dict[PartOfDay, int] = {"early_morning": 6, "morning": 9, "noon": 12, "afternoon": 14,
                                     "evening": 18, "night": 21}


@dataclass(frozen=True)
class Stated:
    """The day a text names, with its clock time (``at``) or part of the day when it gives one."""

    day: date
    at: datetime | None = None
    part: PartOfDay | None = None

    def sort_key(self, tz: ZoneInfo) -> datetime:
        if self.at is not None:
            return self.at
        hour = _PART_HOURS[self.part] if self.part is not None else 0
        return datetime.combine(self.day, datetime.min.time(), tz) + timedelta(hours=hour)


def stated_when(text: str, *, typed_at: datetime, tz: ZoneInfo, start: datetime,
                end: datetime) -> Stated | None:
    """The first day (and time) ``text`` names that falls within ``start``..``end`` (the visit).

    Relative words (明天, next Friday) count from ``typed_at``, when the plan was written; a time
    said alone is on ``start``'s day; a bare hour that could be a.m. or p.m. is the one within the
    visit. None when the text names no day of the visit.
    """
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    written = typed_at.astimezone(tz).date()
    for phrase in _phrases(text):
        reading = read_datetime(phrase, now=typed_at, tz=tz, on_day=first)
        if reading.value is not None and reading.value.date() == written:
            # No day named ("中午", "下午", "15:00" alone): the day it counts from is the visit's, not
            # the writing's.
            reading = read_datetime(phrase, now=datetime.combine(first, datetime.min.time(), tz), tz=tz)
        if reading.value is None:
            continue
        moment = reading.value
        later = moment + timedelta(hours=12)
        if reading.hour_ambiguous and not start <= moment <= end and start <= later <= end:
            moment = later
        if not first <= moment.date() <= last:
            continue
        if reading.kind == "date_only":
            return Stated(moment.date(), part=reading.part_of_day)
        return Stated(moment.date(), at=moment)
    return None


def _phrases(text: str) -> Iterator[str]:
    """The phrases in ``text`` that may be dates, in the order they come: each run whole, then its
    pieces."""
    chinese = not text.isascii()
    for run in _cjk_runs(text) if chinese else _latin_runs(text):
        yield run
        pieces = [piece for piece in _PIECES.split(run) if piece and _CJK_STRONG.search(piece)]
        if len(pieces) > 1:
            yield from pieces


def _cjk_runs(text: str) -> Iterator[str]:
    for match in _CJK_RUN.finditer(text):
        run = match.group(0).strip(" -~～/.:：")
        if _CJK_STRONG.search(run):
            yield run


def _latin_runs(text: str) -> Iterator[str]:
    """Runs of neighbouring English date words (a comma between them is no break) that hold at
    least one word saying a date or a time."""
    run: list[str] = []
    strong, last_end = False, 0
    for match in _LATIN_WORD.finditer(text):
        word = match.group(0)
        if not word.lower().endswith((".m.", "a.m", "p.m")):
            word = word.rstrip(".:")
        folded = word.lower()
        is_strong = any(char.isdigit() for char in folded) or folded in _LATIN_STRONG
        apart = text[last_end:match.start()].strip(" ,")
        if run and (apart or not (is_strong or folded in _LATIN_JOIN)):
            if strong:
                yield " ".join(run)
            run, strong = [], False
        if is_strong or folded in _LATIN_JOIN:
            run.append(word)
            strong = strong or is_strong
        last_end = match.end()
    if strong:
        yield " ".join(run)
