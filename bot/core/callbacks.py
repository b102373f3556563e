"""Callback data for inline buttons: ``prefix:arg:arg``, ids only, within Telegram's 64 bytes.

Each family of buttons is one ``CallbackData`` class, defined beside what draws its buttons:
whoever draws one calls ``pack()``, the one handler ``unpack()``, so the words and their order are
written once.

Reading it back is strict, because anyone can send any callback data: a number is ASCII digits
within a range, a day is ``yyyymmdd`` within ``EARLIEST_DAY``..``LATEST_DAY``, a word is one of the
expected ones, and a missing argument is missing. Anything else raises ``Malformed``, which the
dispatcher answers with "this button is no longer valid" and one log line, no traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date
from enum import Enum
from typing import (
    Annotated,
    Any,
    ClassVar,
    Literal,
    Self,
    TypeVar,
    get_args,
    get_origin,
    get_type_hints,
    overload,
)

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


@dataclass(frozen=True)
class Range:
    """The numbers a field of ``CallbackData`` takes: ``Annotated[int, Range(high=2**40)]``."""

    low: int = 0
    high: int = MAX_NUMBER


# A person's id on a button (``MAX_USER_ID``).
UserId = Annotated[int, Range(high=MAX_USER_ID)]


@dataclass(frozen=True)
class CallbackData:
    """One family of buttons: a frozen dataclass whose fields are the arguments after its prefix,
    in order (in the spirit of aiogram's ``CallbackData``, with no framework).

        @dataclass(frozen=True)
        class VisitButton(CallbackData, prefix="vis"):
            action: Literal["show", "edit"]
            visit: int

    A field is an ``int`` (``Annotated`` with a ``Range``, else ``0..MAX_NUMBER``), a ``date``
    (``yyyymmdd``), an ``Enum`` (by value), a ``Literal`` of words, or a ``str``. Only the last field
    may hold the separator (an id such as ``visit:1:banner``: it takes the rest of the data, as
    buttons sent before these classes did); anywhere else it is refused. Trailing fields with a
    default are left out while they have it. A value no button could carry raises ``ValueError``
    when the button is made, and ``Malformed`` when it is read; ``check`` adds a family's own rule.
    """

    prefix: ClassVar[str]

    def __init_subclass__(cls, prefix: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if prefix:
            cls.prefix = prefix

    def __post_init__(self) -> None:
        for spec in _specs(type(self)):
            value = getattr(self, spec.name)
            if not spec.takes(value):
                raise ValueError(f"{type(self).__name__}.{spec.name}={value!r}")
        problem = self.check()
        if problem:
            raise ValueError(f"{type(self).__name__}: {problem}")

    def check(self) -> str | None:
        """What is wrong with a button of this family beyond its fields' types, if anything."""
        return None

    def pack(self) -> str:
        """The callback data; ``CallbackTooLong`` if Telegram would reject it."""
        specs = _specs(type(self))
        values = [spec.write(getattr(self, spec.name)) for spec in specs]
        while values and values[-1] == specs[len(values) - 1].omitted:
            values.pop()
        return pack(self.prefix, *values)

    @classmethod
    def unpack(cls, data: str | None) -> Self:
        """The button whose callback data is ``data``; ``Malformed`` for anything no button of this
        family carries (another prefix, a missing or extra argument, a word or number out of range)."""
        head = cls.prefix + SEPARATOR
        if data is None or not (data + SEPARATOR).startswith(head):
            raise Malformed(f"not a {cls.prefix} button")
        return cls.from_args(data[len(head):].split(SEPARATOR) if len(data) > len(cls.prefix) else [])

    @classmethod
    def from_args(cls, args: Sequence[str]) -> Self:
        """The button from the arguments after its prefix (``Context.args``)."""
        specs = _specs(cls)
        if len(args) > len(specs) and not (specs and specs[-1].kind is str):
            raise Malformed(f"{len(args)} arguments for {len(specs)}")
        values: dict[str, Any] = {}
        for index, spec in enumerate(specs):
            if index >= len(args) and spec.default is not MISSING:
                break
            values[spec.name] = spec.read(args, index)
        try:
            return cls(**values)
        except ValueError as error:  # the family's own rule, or an empty word
            raise Malformed(str(error)) from None


A = TypeVar("A", bound=CallbackData)
B = TypeVar("B", bound=CallbackData)
C = TypeVar("C", bound=CallbackData)
D = TypeVar("D", bound=CallbackData)
F = TypeVar("F", bound=CallbackData)


@overload
def unpack_any(data: str | None, a: type[A], b: type[B], /) -> A | B: ...
@overload
def unpack_any(data: str | None, a: type[A], b: type[B], c: type[C], /) -> A | B | C: ...
@overload
def unpack_any(data: str | None, a: type[A], b: type[B], c: type[C], d: type[D], /) -> A | B | C | D: ...
@overload
def unpack_any(data: str | None, a: type[A], b: type[B], c: type[C], d: type[D], f: type[F], /
               ) -> A | B | C | D | F: ...
@overload
def unpack_any(data: str | None, /, *kinds: type[CallbackData]) -> CallbackData: ...
def unpack_any(data: str | None, /, *kinds: type[CallbackData]) -> CallbackData:
    """The button ``data`` is, for a family whose buttons differ in shape (``log:n:<client>``,
    ``log:z:<reminder>``): read as the first of ``kinds`` with the longest prefix it has that takes
    it; ``Malformed`` if none does."""
    head = (data or "") + SEPARATOR
    matching = sorted((kind for kind in kinds if head.startswith(kind.prefix + SEPARATOR)),
                      key=lambda kind: -len(kind.prefix))
    errors = []
    for kind in matching:
        try:
            return kind.unpack(data)
        except Malformed as error:
            errors.append(f"{kind.__name__}: {error}")
    raise Malformed("; ".join(errors) or f"none of {[kind.__name__ for kind in kinds]}")


@dataclass(frozen=True)
class _Field:
    """How one field of a ``CallbackData`` is written and read (made once per class: every button
    drawn is checked and written with it)."""

    name: str
    kind: Any  # int, str, date, an Enum class, or the tuple of a Literal's words
    default: Any
    range: Range
    last: bool
    write: Callable[[Any], str]
    takes: Callable[[Any], bool]  # whether a button may carry the value
    omitted: str | None  # the default as written: left out at the end; None: no default

    def read(self, args: Sequence[str], index: int) -> Any:
        """The value at ``index``; a ``str`` last takes the rest, separators and all."""
        if self.kind is int:
            return number(args, index, low=self.range.low, high=self.range.high)
        if self.kind is date:
            return day(args, index)
        if isinstance(self.kind, tuple):
            return one_of(args, index, self.kind)
        if isinstance(self.kind, type) and issubclass(self.kind, Enum):
            return member(args, index, self.kind)
        return rest(args, index) if self.last else arg(args, index)



_SPECS: dict[type[CallbackData], tuple[_Field, ...]] = {}


def _specs(cls: type[CallbackData]) -> tuple[_Field, ...]:
    """The fields of ``cls``, read from its annotations once (every button drawn asks)."""
    found = _SPECS.get(cls)
    if found is None:
        found = _SPECS[cls] = _read_specs(cls)
    return found


def _read_specs(cls: type[CallbackData]) -> tuple[_Field, ...]:
    hints = get_type_hints(cls, include_extras=True)
    items = fields(cls)
    specs = []
    for index, item in enumerate(items):
        kind, bounds = hints[item.name], Range()
        if get_origin(kind) is Annotated:
            kind, *extras = get_args(kind)
            bounds = next((extra for extra in extras if isinstance(extra, Range)), bounds)
        if get_origin(kind) is Literal:
            kind = tuple(str(word) for word in get_args(kind))
        last = index == len(items) - 1
        write, takes = _write_and_take(f"{cls.__name__}.{item.name}", kind, bounds=bounds,
                                       default=item.default, last=last)
        omitted = None if item.default is MISSING else write(item.default)
        specs.append(_Field(item.name, kind, item.default, bounds, last, write, takes, omitted))
    return tuple(specs)


def _write_and_take(where: str, kind: Any, *, bounds: Range, default: Any,
                    last: bool) -> tuple[Callable[[Any], str], Callable[[Any], bool]]:
    """How a field of this kind is written, and which values a button may carry in it."""
    if kind is int:
        return str, lambda value: type(value) is int and bounds.low <= value <= bounds.high
    if kind is date:
        return (lambda value: f"{value:%Y%m%d}",
                lambda value: isinstance(value, date) and EARLIEST_DAY <= value <= LATEST_DAY)
    if isinstance(kind, tuple):
        return str, lambda value: value in kind
    if kind is str:
        return str, lambda value: (isinstance(value, str) and (bool(value) or value == default)
                                   and (last or SEPARATOR not in value))
    if isinstance(kind, type) and issubclass(kind, Enum):
        return lambda value: str(value.value), lambda value: isinstance(value, kind)
    raise TypeError(f"{where}: {kind} cannot be callback data")
