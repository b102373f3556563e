"""Typed answers read by step kind: the value, or a specific complaint in the user's language."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from babel.lists import format_list

from bot.core.context import Context
from bot.domain.contact_fields import day_text, read_day
from bot.domain.dates import DateReading, PartOfDay, read_datetime
from bot.domain.dialogs import Dialog
from bot.domain.typed_confirmation import plain_word, read_confirmation
from bot.domain.typed_numbers import read_number
from bot.flows.model import Choice, Kind, Step
from bot.i18n import N_, Html, babel_locale

# Typed instead of pressing Skip on an optional step (the console has no buttons to press), and what
# people type to an optional question they have nothing for ("参观安排？" "没有"): never content.
SKIP_WORDS = {"跳过", "跳過", "skip", "-", "—", "无", "無", "none", "没有", "沒有", "暂无", "暫無", "不用",
              "不用了", "不需要", "否", "no", "n/a", "na", "nothing", "nil"}
# The two readings of a bare hour offered by "上午还是下午?", in the order of the buttons.
HALVES: tuple[PartOfDay, PartOfDay] = ("morning", "afternoon")


def is_skip_word(text: str) -> bool:
    """Read as the yes / no words are ("没有。", "不用了，谢谢")."""
    return plain_word(text) in SKIP_WORDS


@dataclass(frozen=True)
class Value:
    value: Any


@dataclass(frozen=True)
class Problem:
    message: str


@dataclass(frozen=True)
class Confirm:
    """A date-time read from text, to be confirmed by the person before it is taken."""

    value: datetime


@dataclass(frozen=True)
class AskTime:
    """A day without a time: ask for the time (a part of the day named with it decides a bare hour)."""

    day: datetime
    part: PartOfDay | None = None


@dataclass(frozen=True)
class AskHalf:
    """A bare hour (明天3点) that could be either: the morning and the afternoon reading, both ahead."""

    morning: datetime
    afternoon: datetime


def text_answer(ctx: Context, step: Step, choices: tuple[Choice, ...], text: str,
                dialog: Dialog) -> Value | Problem:
    """Reads typed text for any kind but date-time."""
    if not text:
        return Problem(ctx.t("flow.empty"))
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if step.kind is Kind.TEXT:
        return Value(text)
    if step.kind is Kind.DATE:
        day = read_day(text)
        return Value(day_text(day)) if day is not None else Problem(ctx.t("contact.bad_day"))
    if step.kind is Kind.YES_NO:
        typed = read_confirmation(text, need=True)
        return Problem(ctx.t("flow.yes_no_hint")) if typed is None else Value(typed)
    if step.kind is Kind.NUMBER:
        return _number(ctx, step, text)
    labels = {_fold(ctx, c): c.id for c in choices}
    if step.kind is Kind.CHOICE:
        if folded in labels:
            return Value(labels[folded])
        meant = _aliases(choices).get(folded, [])
        if len(meant) == 1:  # another way to say one choice: "C" or "C类" for class C
            return Value(meant[0])
        # Part of one button's text is enough when it fits no other: "张伟" for "张伟 总经理".
        partial = {choice_id for label, choice_id in labels.items() if len(folded) >= 2 and folded in label}
        if len(partial) == 1 and not step.free_text:
            return Value(partial.pop())
        if step.free_text:
            return Value(text)
        return Problem(ctx.t("flow.choice_hint"))
    return _multi(ctx, step, choices, text, dialog)


# What a number typed that is none, or not one we take, is told ("$300": amounts are in yuan).
_NOT_A_NUMBER = {"unreadable": N_("flow.number_hint"), "dollars": N_("flow.number_dollars"),
                 "not_whole": N_("flow.number_whole"), "range": N_("flow.number_one"),
                 "spaced": N_("flow.number_spaced")}


def _number(ctx: Context, step: Step, text: str) -> Value | Problem:
    typed = read_number(text)
    if typed.number is None:
        said = _NOT_A_NUMBER[typed.mistake] if typed.mistake is not None else N_("flow.number_hint")
        return Problem(ctx.t(said, text=text.strip()))
    low = step.minimum if step.minimum is not None else float("-inf")
    high = step.maximum if step.maximum is not None else float("inf")
    if not low <= typed.number <= high:
        return Problem(ctx.t("flow.number_range", low=_plain(step.minimum), high=_plain(step.maximum)))
    return Value(typed.number)


def split_items(text: str) -> list[str]:
    """Typed items: separated by commas (either width), 、, semicolons or new lines."""
    return text.replace("，", ",").replace("、", ",").replace(";", ",").replace("\n", ",").split(",")


def _multi(ctx: Context, step: Step, choices: tuple[Choice, ...], text: str,
           dialog: Dialog) -> Value | Problem:
    """Typed items, separated by commas: known ones (by label, or by an alias only one choice has)
    become their ids, others stay as typed.

    On a step that takes typed items (visitors, purposes), a typed list replaces the answer given
    before: editing the visitors by typing them again must not append to them. What was ticked by
    button since the question came is kept."""
    before = list(dialog.answers.get(step.id, []))
    ticked = list(dialog.pending.get("ticked", before))
    if step.free_text:
        ticked = [item for item in ticked if item not in before]
    labels = {_fold(ctx, c): c.id for c in choices}
    aliases = _aliases(choices)
    unclear: list[tuple[str, list[str]]] = []
    refused: list[str] = []
    for raw in (step.split or split_items)(text):
        item = raw.strip()
        if not item:
            continue
        folded = unicodedata.normalize("NFKC", item).strip().lower()
        meant = aliases.get(folded, [])
        known = labels.get(folded) or (meant[0] if len(meant) == 1 else None)
        if known is None and len(meant) > 1:
            unclear.append((item, meant))
            continue
        if known is None and not step.free_text:
            return Problem(ctx.t("flow.choice_hint"))
        problem = step.check_item(ctx, item) if known is None and step.check_item is not None else None
        if problem is not None:
            refused.append(problem)
            continue
        value = known or item
        if value not in ticked:
            ticked.append(value)
    if unclear or refused:
        # What was clear stays ticked; the question comes again with the buttons to choose from.
        # Nothing clear: the answer given before stays shown, as it stays kept.
        dialog.pending = {"ticked": ticked} if ticked else {}
        which = [_which_one(ctx, choices, item, meant) for item, meant in unclear]
        return Problem("\n".join([*refused, *which]))
    return Value(ticked)


def _which_one(ctx: Context, choices: tuple[Choice, ...], typed: str, meant: list[str]) -> str:
    """「林經理」可能是「林志明 经理」或「林芳 销售经理」: the choices an alias may mean."""
    names = {c.id: c.label if c.literal else ctx.t(c.label) for c in choices}
    options = [ctx.t("flow.alias_option", name=names[choice_id]) for choice_id in meant]
    return ctx.t("flow.alias_ambiguous", typed=typed,
                 options=Html(format_list(options, style="or", locale=babel_locale(ctx.t.locale))))


def _aliases(choices: tuple[Choice, ...]) -> dict[str, list[str]]:
    """Each alias, folded, with the choices it may mean, in their order."""
    found: dict[str, list[str]] = {}
    for choice in choices:
        for alias in choice.aliases:
            ids = found.setdefault(unicodedata.normalize("NFKC", alias).strip().lower(), [])
            if choice.id not in ids:
                ids.append(choice.id)
    return found


# What a date that could not be read is told, by what was wrong with it ("明天下午25点": the time).
_UNREADABLE = {"bad_time": N_("flow.time_hint"), "invalid_date": N_("flow.date_invalid")}


def datetime_text(ctx: Context, step: Step, dialog: Dialog,
                  text: str) -> Confirm | AskTime | AskHalf | Problem:
    """Reads a date-time; with a day already chosen, the text only needs to give the time."""
    tz = ctx.services.settings.tz
    day = dialog.pending.get("date")
    # With a day chosen, a bare time ("下午3点") is read on that day; a full date still wins, read
    # from today ("tomorrow 9am" after the Tomorrow button is tomorrow, not the day after). Without
    # one, a bare time is on the step's own day, if it has one (the departure: the arrival's day).
    # A part of the day chosen with the day (明天下午) decides a bare hour typed after it ("3点").
    on_day = (datetime.fromisoformat(day).astimezone(tz).date() if day
              else step.day_of(dialog.answers) if step.day_of is not None else None)
    # Asked "at what time on Tue 24 Nov?", a bare number is the hour ("3": 3 o'clock), as said aloud.
    hour = re.fullmatch(r"\s*(\d{1,2})\s*", text) if day else None
    read = partial(read_datetime, f"{hour[1]}:00" if hour else text, now=ctx.now, tz=tz, on_day=on_day)
    reading = read(part_of_day=dialog.pending.get("part"))
    if reading.kind == "unreadable" or reading.value is None:
        if day:
            return Problem(ctx.t("flow.time_hint"))
        return Problem(ctx.t(_UNREADABLE.get(reading.problem or "", N_("flow.date_unreadable"))))
    if reading.kind == "date_only":
        if reading.value.date() < ctx.now.astimezone(tz).date():
            return Problem(ctx.t("flow.date_past"))
        return AskTime(reading.value, reading.part_of_day)
    if reading.hour_ambiguous:
        return _morning_or_afternoon(ctx, read)
    return _not_past(ctx, reading.value)


def _morning_or_afternoon(ctx: Context, read: Callable[..., DateReading]) -> Confirm | AskHalf | Problem:
    """明天3点 is 03:00 or 15:00: both are offered when both are still ahead, one alone is confirmed.

    Each is read again with the part of the day, so a bare "3点" at 09:00 offers tomorrow 03:00 or
    today 15:00, each its own next occurrence."""
    ahead = []
    for part in HALVES:
        reading = read(part_of_day=part)
        if reading.value is not None and reading.value >= ctx.now and reading.value not in ahead:
            ahead.append(reading.value)
    if not ahead:
        return Problem(ctx.t("flow.date_past"))
    if len(ahead) == 1:
        return Confirm(ahead[0])
    return AskHalf(ahead[0], ahead[1])


def _not_past(ctx: Context, moment: datetime) -> Confirm | Problem:
    if moment < ctx.now:
        return Problem(ctx.t("flow.date_past"))
    return Confirm(moment)


def quick_day(ctx: Context, days_ahead: int) -> datetime:
    """Midnight of today or tomorrow in the company time zone (the Today / Tomorrow buttons)."""
    tz = ctx.services.settings.tz
    today = ctx.now.astimezone(tz).date() + timedelta(days=days_ahead)
    return datetime.combine(today, time(0), tzinfo=tz)


def _fold(ctx: Context, choice: Choice) -> str:
    label = choice.label if choice.literal else ctx.t(choice.label)
    return unicodedata.normalize("NFKC", label).strip().lower()


def _plain(number: float | None) -> str:
    if number is None:
        return "∞"
    return str(int(number)) if float(number).is_integer() else str(number)

