"""Callback data for inline buttons: ``prefix:arg:arg``, ids only, within Telegram's 64 bytes.

Reading it back is strict, because anyone can send any callback data: a number is ASCII digits
within a range, a day is ``yyyymmdd`` within ``EARLIEST_DAY``..``LATEST_DAY``, a word is one of the
expected ones, and a missing argument is missing. Anything else raises ``Malformed``, which the
dispatcher answers with "this button is no longer valid" and one log line, no traceback.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date
from enum import Enum
from typing import TypeVar

MAX_BYTES = 64
SEPARATOR = ":"
# Record ids, pages, serials: nine digits is more than any of them reaches.
MAX_NUMBER = 999_999_999
# Telegram user ids have up to 52 significant bits; the Feishu transport numbers people from 2**52
# on (``bot.transports.feishu_ids``), within the integers a double holds exactly.
MAX_USER_ID = 2**53 - 1
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2199, 12, 31)
# ``str.isdigit`` and ``int`` take "²", "١٢" and "1_000"; a number we wrote has ASCII digits only.
_DIGITS = re.compile(r"[0-9]{1,16}")
_DAY = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")

E = TypeVar("E", bound=Enum)


class CallbackTooLong(ValueError):
    """A programming error: the button would be rejected by Telegram."""


class Malformed(ValueError):
    """Callback data that no button of ours carries: forged, cut short or out of range."""


def pack(prefix: str, *args: object) -> str:
    """Builds callback data; refuses anything Telegram would reject."""
    data = SEPARATOR.join([prefix, *(str(arg) for arg in args)])
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str) -> tuple[str, list[str]]:
    """Splits callback data into its prefix and arguments."""
    prefix, *args = data.split(SEPARATOR)
    return prefix, args


def read_number(text: str, low: int = 0, high: int = MAX_NUMBER) -> int | None:
    """A whole number in ASCII digits from ``low`` to ``high``; None for anything else. Also what
    a number typed after a command is read with ("/visit ²" is no visit number)."""
    if _DIGITS.fullmatch(text) is None:
        return None
    number = int(text)
    return number if low <= number <= high else None


def arg(args: Sequence[str], index: int) -> str:
    """The argument at ``index``, which must be there."""
    if index >= len(args):
        raise Malformed(f"argument {index} missing")
    return args[index]


def rest(args: Sequence[str], start: int) -> str:
    """The arguments from ``start`` on, joined again (an id or a query that holds separators)."""
    joined = SEPARATOR.join(args[start:])
    if not joined:
        raise Malformed(f"arguments from {start} missing")
    return joined


def number(args: Sequence[str], index: int, *, low: int = 0, high: int = MAX_NUMBER) -> int:
    """The argument at ``index`` as a number from ``low`` to ``high``."""
    value = read_number(arg(args, index), low, high)
    if value is None:
        raise Malformed(f"argument {index} is no number from {low} to {high}")
    return value


def day(args: Sequence[str], index: int) -> date:
    """The argument at ``index`` as a ``yyyymmdd`` day from ``EARLIEST_DAY`` to ``LATEST_DAY``."""
    match = _DAY.fullmatch(arg(args, index))
    try:
        value = date(int(match[1]), int(match[2]), int(match[3])) if match else None
    except ValueError:  # 20261301: the shape of a day, but none
        value = None
    if value is None or not EARLIEST_DAY <= value <= LATEST_DAY:
        raise Malformed(f"argument {index} is no day from {EARLIEST_DAY} to {LATEST_DAY}")
    return value


def one_of(args: Sequence[str], index: int, allowed: Collection[str]) -> str:
    """The argument at ``index``, which must be one of ``allowed``."""
    value = arg(args, index)
    if value not in allowed:
        raise Malformed(f"argument {index} is not one of {sorted(allowed)}")
    return value


def member(args: Sequence[str], index: int, kind: type[E]) -> E:
    """The argument at ``index`` as the member of ``kind`` with that value (a role, a duty)."""
    value = arg(args, index)
    for candidate in kind:
        if candidate.value == value:
            return candidate
    raise Malformed(f"argument {index} is no {kind.__name__}")
