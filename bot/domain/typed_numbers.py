"""A count or an amount of money as a busy host types it on a phone: 3, 两位, 十二人, 兩間, two people,
a dozen, 300元, ¥300, RMB 300, 300 yuan, 1,200, 一千二, 2万, 1.5万.

Our counts are whole and our money is whole yuan, so what reads as anything else is said, never
stored as a guess: a decimal (2.5 rooms), a range (3-4), a sum in dollars ($300: we do not convert,
and reading it as 300 yuan would be wrong), a badly grouped number (1,2 is not 12, 1 20 is not 120).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

NumberMistake = Literal["unreadable", "dollars", "not_whole", "range", "spaced"]

_CN_DIGIT_CHARS = ("零〇", "一壹", "二两兩贰貳", "三叁參", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖")
_CN_DIGITS = {char: value for value, chars in enumerate(_CN_DIGIT_CHARS) for char in chars}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_NUMBER = re.compile(rf"[{''.join(_CN_DIGITS)}{''.join(_CN_UNITS)}万萬]+")

_EN_ONES = {word: value for value, word in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))} | {"a": 1, "an": 1}
_EN_TENS = {word: value * 10 for value, word in enumerate(
    ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2)}
_EN_SCALES = {"dozen": 12, "hundred": 100, "thousand": 1000}

# Money in yuan and what is counted, before or after the number; dropped, as they change nothing.
_YUAN = r"[¥￥]|rmb|cny|元|块|塊|yuan|kuai"
# Not nights nor tables: "2 nights" typed as the rooms, "2桌" as the diners, is another number.
_COUNTED = r"人|位|个|個|名|间|間|份|people|persons?|pax|guests?|visitors?|rooms?|of them"
# What an amount is per, asked per person or per room and night: 80元/人, 每人80, 600 a night.
_PER = r"(?:/|每|per |a )\s*(?:人|位|晚|间|間|person|head|night|room)|pp|人均"
_AROUND = re.compile(rf"^(?:{_YUAN}|每人|人均|每晚)\s*|\s*(?:{_YUAN}|{_COUNTED}|{_PER})$")
_DOLLARS = re.compile(r"\$|usd|dollars?|美元|美金")
# Thousands grouped by commas or by spaces (1 200, as many phones and Europeans type it); a space
# only where every group after it has three digits: "1 20" is said, not read as 120 nor as 1.
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+")
_SPACED = re.compile(r"\d+(?: \d+)+")
_DECIMAL = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d*)\.\d+|\d+,\d{1,2}")
# Digits with a Chinese or a shorthand unit, as budgets are typed: 2万, 1.5万, 3千, 5k.
_SCALED = re.compile(r"(\d+(?:\.\d+)?)\s*([万萬千k])")
_SCALES = {"万": 10000, "萬": 10000, "千": 1000, "k": 1000}
_RANGE = re.compile(r"\s*(?:-|–|~|～|到|至|或|\bor\b|\bto\b)\s*")


@dataclass(frozen=True)
class TypedNumber:
    """A whole number read, or what the text is instead (``number`` None)."""

    number: int | None
    mistake: NumberMistake | None = None


def read_number(text: str) -> TypedNumber:
    """The whole number ``text`` gives, units and yuan signs around it allowed."""
    typed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text).strip().lower())
    if _DOLLARS.search(typed):
        return TypedNumber(None, "dollars")
    bare = typed
    for _ in range(3):  # a sign before, a unit and what it is per after: ¥300元, RMB 300 yuan, 80元/人
        bare = _AROUND.sub("", bare).strip()
    number = _whole(bare)
    if number is not None:
        return TypedNumber(number)
    if _DECIMAL.fullmatch(bare):
        return TypedNumber(None, "not_whole")
    ends = _RANGE.split(bare)
    if len(ends) == 2 and all(_whole(end) is not None for end in ends):
        return TypedNumber(None, "range")
    if _SPACED.fullmatch(bare):
        return TypedNumber(None, "spaced")
    return TypedNumber(None, "unreadable")


def _whole(text: str) -> int | None:
    if _DIGITS.fullmatch(text):
        return int(re.sub("[, ]", "", text))
    if scaled := _SCALED.fullmatch(text):
        amount = Decimal(scaled[1]) * _SCALES[scaled[2]]
        return int(amount) if amount == amount.to_integral_value() else None
    if _CN_NUMBER.fullmatch(text):
        return chinese_number(text)
    return english_number(text)


def chinese_number(text: str) -> int | None:
    """十二 -> 12, 两 -> 2, 一百二十 -> 120, 一千二 -> 1200, 三万 -> 30000, 二〇二六 -> 2026; None if
    malformed (十十, 二三十)."""
    if all(char in _CN_DIGITS for char in text):
        return int("".join(str(_CN_DIGITS[char]) for char in text))
    total, section, digit, last_unit = 0, 0, None, 0
    for char in text:
        if char in _CN_DIGITS:
            if digit is not None and _CN_DIGITS[char] != 0:
                return None  # 二三十: two digits with no unit between
            digit = _CN_DIGITS[char] or None
            if _CN_DIGITS[char] == 0:
                last_unit = 0  # 一百零五: the zero ends the shorthand (一千二 is 1200, 一千零二 is 1002)
            continue
        if char in "万萬":
            if section + (digit or 0) == 0:
                return None
            total, section, digit, last_unit = (total + section + (digit or 0)) * 10000, 0, None, 10000
            continue
        unit = _CN_UNITS[char]
        if digit is None and (section or total) and unit == 10 and last_unit != 100:
            return None
        section += (digit if digit is not None else 1) * unit
        digit, last_unit = None, unit
    if digit is not None:
        # 一千二 is 1200 and 三百五 is 350: a last digit right after a unit is a tenth of that unit.
        section += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return total + section


def english_number(text: str) -> int | None:
    """two -> 2, twenty-five -> 25, a dozen -> 12, one hundred and twenty -> 120; None otherwise."""
    words = [word for word in re.split(r"[\s-]+", text) if word not in ("and", "")]
    if not words:
        return None
    total, current, seen = 0, 0, False
    for word in words:
        if word in _EN_ONES and current % 10 == 0 and (current % 100 == 0 or _EN_ONES[word] < 10):
            current += _EN_ONES[word]
        elif word in _EN_TENS and current % 100 == 0:
            current += _EN_TENS[word]
        elif word in _EN_SCALES:
            scale = _EN_SCALES[word]
            current = (current or 1) * scale
            if scale == 1000:
                total, current = total + current, 0
        else:
            return None  # "one two", "twenty thirty", or no number word at all
        seen = True
    return total + current if seen else None
