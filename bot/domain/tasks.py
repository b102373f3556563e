"""Follow-up tasks: each client need agreed at the team review (T+24h) gets an owner and a deadline.

The debrief's open items are typed one per line as ``item; owner; due`` (``|`` also ends a line,
for the console, where a message is one line). Reading them is a pure
function of the text, the active staff and the clock, so the flow's check and the tests share it:
it returns every item it could read and, for each line it could not, which line and why, so the
person is told exactly what to retype.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.dates import read_datetime
from bot.domain.staff import Staff

# A due typed as a day ("下周五") means by the end of that working day.
END_OF_DAY = time(18, 0)
_FIELDS = re.compile(r"\s*[;；]\s*")
_LINES = re.compile(r"[\n|｜]")


class TaskStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


@dataclass(frozen=True)
class Task:
    id: int
    visit_id: int
    client_id: int
    text: str
    owner: int  # staff user id
    due: datetime
    created_at: datetime
    created_by: int
    status: TaskStatus = TaskStatus.OPEN
    done_at: datetime | None = None
    # What made the task ("debrief", ...): re-running a debrief updates its own tasks and no others.
    origin: str = ""


@dataclass(frozen=True)
class OpenItem:
    """One line of the debrief read: what, who (staff user id) and by when."""

    text: str
    owner: int
    due: datetime


# Each item of a re-run with the task it keeps (None: a new task).
Pairing = list[tuple[Task | None, OpenItem]]
Reason = Literal["shape", "owner_unknown", "owner_ambiguous", "due_unreadable", "due_past"]


@dataclass(frozen=True)
class LineProblem:
    """Why line ``number`` (from 1, counting only non-empty lines) was not read; ``part`` as typed."""

    number: int
    line: str
    reason: Reason
    part: str = ""


def read_open_items(text: str, staff: Sequence[Staff], *, now: datetime, tz: ZoneInfo,
                    allow_past: bool = False) -> tuple[list[OpenItem], list[LineProblem]]:
    """Reads ``item; owner; due`` lines; owners are active staff by name or @username.

    ``allow_past`` reads a due that has passed since it was typed (saving, or a re-run's old items).
    """
    items: list[OpenItem] = []
    problems: list[LineProblem] = []
    lines = [line.strip() for line in _LINES.split(text) if line.strip()]
    for number, line in enumerate(lines, 1):
        read = _read_line(number, line, staff, now=now, tz=tz, allow_past=allow_past)
        if isinstance(read, LineProblem):
            problems.append(read)
        else:
            items.append(read)
    return items, problems


def _read_line(number: int, line: str, staff: Sequence[Staff], *, now: datetime, tz: ZoneInfo,
               allow_past: bool) -> OpenItem | LineProblem:
    parts = _FIELDS.split(line)
    if len(parts) != 3 or not all(parts):
        return LineProblem(number, line, "shape")
    what, who, when = parts
    found = find_staff(who, staff)
    if len(found) != 1:
        return LineProblem(number, line, "owner_ambiguous" if found else "owner_unknown", who)
    due = read_due(when, now=now, tz=tz, allow_past=allow_past)
    if isinstance(due, str):
        return LineProblem(number, line, due, when)
    return OpenItem(what, found[0].user_id, due)


def find_staff(typed: str, staff: Sequence[Staff]) -> list[Staff]:
    """Active staff whose name or username is ``typed`` ("王五", "@wangwu"), ignoring case and width."""
    wanted = _fold(typed)
    by_username = wanted.startswith("@")
    wanted = wanted.lstrip("@")
    return [person for person in staff if person.active and (
        wanted == _fold(person.username) or (not by_username and wanted == _fold(person.name)))]


def read_due(text: str, *, now: datetime, tz: ZoneInfo,
             allow_past: bool = False) -> datetime | Literal["due_unreadable", "due_past"]:
    """A deadline from 下周五, 12月5日, next Friday 3pm; a bare day is due at its end (``END_OF_DAY``)."""
    reading = read_datetime(text, now=now, tz=tz)
    if reading.value is None:
        return "due_unreadable"
    if reading.is_past and not allow_past:
        return "due_past"
    if reading.kind == "date_only":
        return datetime.combine(reading.value.date(), END_OF_DAY, tzinfo=tz)
    return reading.value


def reconcile(old: Sequence[Task], items: Sequence[OpenItem]) -> tuple[Pairing, list[Task]]:
    """Pairs a re-run debrief's items with the tasks the last run made, so none is duplicated.

    An item keeps the task with the same text; a reworded item takes over a task left unpaired, in
    order (a typo fixed keeps its task, its status and its age). Returns each item with its task
    (None for a new one) and the old tasks no item wants any more.
    """
    unpaired = list(old)
    paired: Pairing = []
    for item in items:
        same = next((task for task in unpaired if _fold(task.text) == _fold(item.text)), None)
        if same is not None:
            unpaired.remove(same)
        paired.append((same, item))
    for index, (task, item) in enumerate(paired):
        if task is None and unpaired:
            paired[index] = (unpaired.pop(0), item)
    return paired, unpaired


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().casefold()
