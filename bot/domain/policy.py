"""The reception policy: the handbooks' rules as data the program ships and a company may override.

Classes, budgets, notice periods, purposes, the visit checklist and who receives which nudge differ
from company to company, so none of them is code. The program ships ``bot/defaults/policy.toml``
(the handbooks' defaults, see ``shared/domain.md``); a company puts its own ``policy.toml`` in the
data dir with only what differs. ``load_policy`` merges the two and validates the result into frozen
models; anything wrong raises ``PolicyError`` with one line naming the file, the line and the field,
which the program prints before exiting with code 2.

The policy holds message keys, never sentences: the texts live in the gettext catalogs so each staff
member reads them in their own language.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

ClassId = Literal["A", "B", "C", "D"]
Unit = Literal["m", "h", "d", "wd"]
Anchor = Literal["arrival", "departure", "pickup", "check_in", "saved"]
"""What an offset counts from: the guests' arrival and departure at the company, the flight or train's
arrival (``pickup``), their hotel check-in (``check_in``: the visit's lodging), the visit's recording."""
Recipient = Literal["host", "team", "office", "executives", "driver", "host_manager", "reception"]
Flag = Literal[
    "always", "needs_executive", "president_attends", "has_pickup", "has_lodging", "has_tour", "has_meals",
    "has_banner", "has_name_cards", "has_equipment",
]
BudgetItem = Literal["meal", "escort_meal", "gift", "hotel"]
WorkingDays = Callable[[date, int], date]
"""``add_working_days(day, n)``: the n-th working day after (n < 0: before) ``day``."""

CLASS_IDS: tuple[ClassId, ...] = get_args(ClassId)
FLAGS: tuple[Flag, ...] = get_args(Flag)
PRESIDENT = "president"
"""The executive id the ``president_attends`` condition looks for."""
POLICY_FILE = "policy.toml"

MessageKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_-]+)+$")]
ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_-]{1,16}$")]
"""Short: a timeline id goes into Telegram callback data, which holds 64 bytes."""
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
Yuan = Annotated[int, Field(ge=0, le=1_000_000)]
Days = Annotated[int, Field(ge=0, le=3660)]
FieldPath = tuple[str | int, ...]
"""Where a value sits in the policy: ``("classes", "B", "meal_budget", "max")``, ``("timeline", 3)``."""

_OFFSET_RE = re.compile(r"(?P<sign>[+-]?)(?P<amount>\d{1,4})(?P<unit>wd|m|h|d)")


class PolicyError(Exception):
    """The policy cannot be used; the message is one line naming the file, line and field at fault."""

    def __init__(self, file: str, problem: str, *, line: int | None = None, field: str | None = None) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.problem = problem
        where = f"Policy file {file}" + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


class _Model(BaseModel):
    """Frozen, and strict about names: a misspelt key in a company's file is an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class _LocatedError(ValueError):
    """A cross-reference problem found on the whole policy, carrying the field path it belongs to."""

    def __init__(self, loc: FieldPath, message: str) -> None:
        super().__init__(message)
        self.loc = loc


# --- offsets ---------------------------------------------------------------------------------


class Offset(_Model):
    """A distance from an anchor time, written ``-3d``, ``+2wd``, ``-90m``, ``+24h`` in the file.

    Minutes and hours are elapsed time; days and working days keep the clock time, so "-1d" from a
    10:00 arrival is 10:00 the day before. Working days come from a calendar this module does not
    know (China's, with its make-up working days), passed in as ``add_working_days``.
    """

    amount: int = Field(ge=-9999, le=9999)
    unit: Unit

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: object) -> object:
        return _offset_fields(value) if isinstance(value, str) else value

    def __str__(self) -> str:
        return f"{'-' if self.amount < 0 else '+'}{abs(self.amount)}{self.unit}"

    def apply(self, at: datetime, add_working_days: WorkingDays) -> datetime:
        """``at`` moved by this offset, in ``at``'s time zone."""
        if self.unit == "wd":
            return datetime.combine(add_working_days(at.date(), self.amount), at.timetz())
        if self.unit == "d":
            return at + timedelta(days=self.amount)
        elapsed = timedelta(minutes=self.amount) if self.unit == "m" else timedelta(hours=self.amount)
        if at.tzinfo is None:
            return at + elapsed
        # Through UTC, so that "-2h" is two real hours even across a DST change elsewhere.
        return (at.astimezone(UTC) + elapsed).astimezone(at.tzinfo)


def _offset_fields(text: str) -> dict[str, object]:
    match = _OFFSET_RE.fullmatch(text.strip())
    if match is None:
        raise ValueError(
            f"{text!r} is not an offset: write a sign, a number and a unit m, h, d or wd (-3d, +2wd, -90m)"
        )
    amount = int(match["amount"])
    return {"amount": -amount if match["sign"] == "-" else amount, "unit": match["unit"]}


# --- conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitFacts:
    """What the timeline's conditions look at: one visit's class and arrangements."""

    class_id: ClassId
    executives: frozenset[str] = frozenset()  # ids of the executives who attend
    has_pickup: bool = False
    has_lodging: bool = False
    has_tour: bool = False
    has_meals: bool = False
    has_banner: bool = False
    has_name_cards: bool = False
    has_equipment: bool = False  # a projector or laptop was asked for

    def flag(self, name: Flag) -> bool:
        values: dict[Flag, bool] = {
            "always": True,
            "needs_executive": bool(self.executives),
            "president_attends": PRESIDENT in self.executives,
            "has_pickup": self.has_pickup,
            "has_lodging": self.has_lodging,
            "has_tour": self.has_tour,
            "has_meals": self.has_meals,
            "has_banner": self.has_banner,
            "has_name_cards": self.has_name_cards,
            "has_equipment": self.has_equipment,
        }
        return values[name]


class Condition(_Model):
    """When a timeline item applies: a flag (``"has_lodging"``), ``{class_in = [...]}``, or
    ``{any = [...]}`` / ``{all = [...]}`` of conditions; exactly one of them.

    The combinators exist because the handbooks say things like "class A, or any visit that needs
    a company leader", which no single flag expresses.
    """

    model_config = ConfigDict(populate_by_name=True)

    flag: Flag | None = None
    class_in: tuple[ClassId, ...] | None = Field(default=None, min_length=1)
    any_of: tuple[Condition, ...] | None = Field(default=None, alias="any", min_length=1)
    all_of: tuple[Condition, ...] | None = Field(default=None, alias="all", min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_flag(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        if value not in FLAGS:
            raise ValueError(f"unknown condition {value!r}; use one of {', '.join(FLAGS)} or a table")
        return {"flag": value}

    @model_validator(mode="after")
    def _exactly_one(self) -> Condition:
        given = [part for part in (self.flag, self.class_in, self.any_of, self.all_of) if part is not None]
        if len(given) != 1:
            raise ValueError("a condition is one of: a flag, class_in, any or all")
        return self

    def holds(self, facts: VisitFacts) -> bool:
        if self.flag is not None:
            return facts.flag(self.flag)
        if self.class_in is not None:
            return facts.class_id in self.class_in
        if self.any_of is not None:
            return any(part.holds(facts) for part in self.any_of)
        return all(part.holds(facts) for part in self.all_of or ())

    def flags(self) -> frozenset[Flag]:
        """Every flag this condition mentions, however deep (to check references)."""
        parts = (*(self.any_of or ()), *(self.all_of or ()))
        own: frozenset[Flag] = frozenset({self.flag}) if self.flag else frozenset()
        return own.union(*(part.flags() for part in parts))


ALWAYS = Condition(flag="always")


# --- the timeline ----------------------------------------------------------------------------


class TimelineItem(_Model):
    """One checklist entry of a visit, and the nudge that reminds its recipients of it."""

    id: ItemId
    key: MessageKey
    anchor: Anchor
    offset: Offset
    when: Condition = ALWAYS
    to: tuple[Recipient, ...] = Field(min_length=1)
    closed_by_debrief: bool = False  # saving the visit's debrief ticks it (the notes, the review ...)
    closed_by_approval: bool = False  # off once the department head approved (the form)
    lapses: bool = False  # a chore whose moment passes: missed when still open a working day later
    note: str = ""

    def applies(self, facts: VisitFacts) -> bool:
        return self.when.holds(facts)

    @property
    def before_visit(self) -> bool:
        """A preparation item: its moment is before the guests arrive, so it is missed, not late,
        once they have."""
        return self.anchor != "departure"

    @property
    def whole_days(self) -> bool:
        """Counted in days (``-1d``, ``+2wd``, ``+24h``) rather than within the visit's hours: such
        an item may move to a working day, one tied to an hour of the visit may not."""
        minutes = {"m": 1, "h": 60}.get(self.offset.unit)
        return minutes is None or abs(self.offset.amount) * minutes >= 24 * 60

    def due(self, anchors: Mapping[Anchor, datetime], add_working_days: WorkingDays) -> datetime | None:
        """When the nudge is due, or None when the visit has no such anchor (no pickup time, no hotel
        stay): an item counted from what the visit does not have is not due at all."""
        at = anchors.get(self.anchor)
        return None if at is None else self.offset.apply(at, add_working_days)


# --- classes, people, purposes ---------------------------------------------------------------


class MoneyRange(_Model):
    """A per-person standard in whole yuan; ``max`` is the limit, ``min`` the usual floor."""

    min: Yuan
    max: Yuan

    @field_validator("max")
    @classmethod
    def _not_below_min(cls, value: int, info: ValidationInfo) -> int:
        low = info.data.get("min")
        if low is not None and value < low:
            raise ValueError(f"max {value} is below min {low}")
        return value


class Cadence(_Model):
    """How often a client of this class hears from us, in days; 0 means no scheduled contact."""

    contact_days: Days
    leader_visit_days: Days


class ClassPolicy(_Model):
    """One reception class (接待级别): its standards and who is involved."""

    name_key: MessageKey
    summary_key: MessageKey
    note: str = ""
    meal_budget: MoneyRange
    escort_meal_max: Yuan | None = None
    gift_max: Yuan
    hotel_max: Yuan
    refreshments: tuple[MessageKey, ...] = ()
    materials: tuple[MessageKey, ...] = ()
    accompanied_by: tuple[MessageKey, ...] = Field(min_length=1)
    executives_involved: bool
    # A visit of this class needs an executive attending: the form warns when none is named.
    executives_required: bool = False
    confirmed_by: tuple[Ident, ...] = ()
    required_items: tuple[ItemId, ...] = ()  # timeline items this class always gets, whatever was asked
    approvers: tuple[MessageKey, ...] = Field(min_length=1)
    cadence: Cadence

    @property
    def guest_pays_meals(self) -> bool:
        return self.meal_budget.max == 0

    def limit(self, item: BudgetItem) -> int:
        """The most the company pays for ``item`` per person (per room and night for the hotel)."""
        limits: dict[BudgetItem, int] = {
            "meal": self.meal_budget.max,
            "escort_meal": self.meal_budget.max if self.escort_meal_max is None else self.escort_meal_max,
            "gift": self.gift_max,
            "hotel": self.hotel_max,
        }
        return limits[item]


class Classes(_Model):
    """Exactly the four handbook classes; a company changes their contents, not their names."""

    A: ClassPolicy
    B: ClassPolicy
    C: ClassPolicy
    D: ClassPolicy

    def items(self) -> tuple[tuple[ClassId, ClassPolicy], ...]:
        return tuple((class_id, self.get(class_id)) for class_id in CLASS_IDS)

    def get(self, class_id: str) -> ClassPolicy:
        if class_id not in CLASS_IDS:
            raise KeyError(class_id)
        policy: ClassPolicy = getattr(self, class_id)
        return policy


class Executive(_Model):
    """A company leader a visit may need, and how many days ahead they must be told."""

    key: MessageKey
    notice_days: Days
    note: str = ""


class Purpose(_Model):
    """A reason for a visit (来访目的); a visit may have several."""

    id: Ident
    key: MessageKey
    note: str = ""


# --- the rest --------------------------------------------------------------------------------


class Schedule(_Model):
    """When the bot may speak: quiet hours (may wrap midnight) and the morning digest."""

    quiet_start: time
    quiet_end: time
    digest_at: time

    def is_quiet(self, at: time) -> bool:
        """Whether a nudge at clock time ``at`` must wait; equal start and end mean never quiet."""
        start, end, now = self.quiet_start, self.quiet_end, at.replace(tzinfo=None)
        if start <= end:
            return start <= now < end
        return now >= start or now < end


class Relationship(_Model):
    """Keeping clients warm beyond the per-class cadence."""

    festival_lead_days: Days
    thank_spenders: bool
    prospect_news_days: Days
    prospect_invite_days: Days
    review_days: Days


class Access(_Model):
    invite_days: int = Field(ge=1, le=90)


class ApprovalRules(_Model):
    """When a visit still awaiting an approver's answer is reminded of (``bot.domain.approval``)."""

    remind_before: Offset  # from the arrival: "-1wd"
    remind_after: Offset  # from the request, at the soonest: "+2h"

    @model_validator(mode="after")
    def _signs(self) -> ApprovalRules:
        if self.remind_before.amount >= 0:
            raise ValueError(f"remind_before {self.remind_before} must be before the arrival (a minus sign)")
        if self.remind_after.amount < 0:
            raise ValueError(f"remind_after {self.remind_after} must be after the request (a plus sign)")
        return self


class Budget(_Model):
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    lodging_approver: MessageKey


class Policy(_Model):
    """The whole reception policy, validated. Build it with ``load_policy``."""

    version: Literal[1]
    schedule: Schedule
    relationship: Relationship
    access: Access
    approval: ApprovalRules
    budget: Budget
    classes: Classes
    executives: dict[Ident, Executive]
    purposes: tuple[Purpose, ...] = Field(min_length=1)
    timeline: tuple[TimelineItem, ...]

    @model_validator(mode="after")
    def _references(self) -> Policy:
        """Checks that span fields: ids are unique and every id mentioned exists."""
        for loc, message in _reference_problems(self):
            raise _LocatedError(loc, message)
        return self

    def class_(self, class_id: str) -> ClassPolicy:
        """The class ``class_id`` (A-D); KeyError for any other."""
        return self.classes.get(class_id)

    def timeline_for(self, facts: VisitFacts) -> tuple[TimelineItem, ...]:
        """The checklist of a visit with these facts, in the policy's order: the items whose
        condition holds, and those the visit's class requires whatever was asked."""
        required = self.class_(facts.class_id).required_items
        return tuple(item for item in self.timeline if item.id in required or item.applies(facts))

    @property
    def lapsing(self) -> frozenset[str]:
        """The ids of the items that lapse (``lapses``): closed as missed when left undone too long."""
        return frozenset(item.id for item in self.timeline if item.lapses)

    def item(self, item_id: str) -> TimelineItem:
        """The timeline item ``item_id``; KeyError when the policy has none (it was removed)."""
        for item in self.timeline:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def limit(self, class_id: str, item: BudgetItem) -> int:
        return self.class_(class_id).limit(item)

    def over_budget(self, class_id: str, item: BudgetItem, amount_per_person: Decimal | int) -> bool:
        """Whether an estimate needs the approvers: above the class's limit (any amount when it is 0)."""
        return amount_per_person > self.limit(class_id, item)

    def approvers_for(self, class_id: str, item: BudgetItem) -> tuple[str, ...]:
        """Message keys of who must approve an estimate over the standard for ``item``."""
        approvers = self.class_(class_id).approvers
        if item == "hotel" and self.budget.lodging_approver not in approvers:
            return (*approvers, self.budget.lodging_approver)
        return approvers

    def notice_days(self, executive_ids: Iterable[str]) -> int:
        """The longest notice the attending executives need (0 for none); KeyError for an unknown id."""
        return max((self.executives[exec_id].notice_days for exec_id in executive_ids), default=0)

    def message_keys(self) -> frozenset[str]:
        """Every message key the policy refers to: each must be in the catalogs."""
        keys = {self.budget.lodging_approver}
        for _, cls in self.classes.items():
            keys |= {cls.name_key, cls.summary_key, *cls.refreshments, *cls.materials}
            keys |= {*cls.accompanied_by, *cls.approvers}
        keys |= {executive.key for executive in self.executives.values()}
        keys |= {purpose.key for purpose in self.purposes}
        keys |= {item.key for item in self.timeline}
        return frozenset(keys)


def _reference_problems(policy: Policy) -> Iterable[tuple[FieldPath, str]]:
    """(field path, message) for each id that repeats or points nowhere."""
    yield from _repeats("purposes", [purpose.id for purpose in policy.purposes])
    yield from _repeats("timeline", [item.id for item in policy.timeline])
    for class_id, cls in policy.classes.items():
        for index, exec_id in enumerate(cls.confirmed_by):
            if exec_id not in policy.executives:
                where = ("classes", class_id, "confirmed_by", index)
                yield where, f"no executive {exec_id!r} in [executives]"
    timeline_ids = {item.id for item in policy.timeline}
    for class_id, cls in policy.classes.items():
        for index, item_id in enumerate(cls.required_items):
            if item_id not in timeline_ids:
                where = ("classes", class_id, "required_items", index)
                yield where, f"no timeline item {item_id!r}"
    if PRESIDENT not in policy.executives:
        for index, item in enumerate(policy.timeline):
            if "president_attends" in item.when.flags():
                yield ("timeline", index, "when"), f"president_attends needs an executive {PRESIDENT!r}"


def _repeats(name: str, ids: list[str]) -> Iterable[tuple[FieldPath, str]]:
    for index, item_id in enumerate(ids):
        if item_id in ids[:index]:
            yield (name, index, "id"), f"id {item_id!r} is used twice"


# --- loading ---------------------------------------------------------------------------------


def load_policy(data_dir: Path | None) -> Policy:
    """The shipped policy with ``data_dir/policy.toml`` (if any) merged over it, validated.

    Raises ``PolicyError`` for a file that cannot be read, is not TOML, or breaks a rule.
    """
    default_name, default_text = _shipped_policy()
    data = _parse_toml(default_text, default_name)
    source, text = default_name, default_text
    override = data_dir / POLICY_FILE if data_dir is not None else None
    if override is not None and override.exists():
        source, text = str(override), _read(override)
        data = deep_merge(data, _parse_toml(text, source))
    return _validate(data, source, text)


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` over ``base``: tables merge key by key, anything else (lists too) replaces."""
    merged = dict(base)
    for key, value in override.items():
        old = merged.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(old, value)
        else:
            merged[key] = value
    return merged


def _shipped_policy() -> tuple[str, str]:
    """(name, text) of the default policy, read as package data so an installed copy finds it."""
    resource = resources.files("bot.defaults") / POLICY_FILE
    return str(resource), resource.read_text(encoding="utf-8")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise PolicyError(str(path), f"cannot be read ({reason})") from None


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found[1]) if found else None
        problem = message[: found.start()].strip() if found else message
        raise PolicyError(source, f"not valid TOML: {problem}", line=line) from None


def _validate(data: Mapping[str, Any], source: str, text: str) -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        details = _root_causes(error.errors())
        loc, problem = _describe(details[0])
        more = len(details) - 1
        if more:
            problem += f" (and {more} more problem{'s' if more > 1 else ''})"
        line = find_line(text, loc)
        raise PolicyError(source, problem, line=line, field=format_path(loc) or None) from None


def _root_causes(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drops errors that only echo a deeper one (a list "too short" because its one item failed)."""
    locs = [detail["loc"] for detail in details]

    def echoes(loc: tuple[str | int, ...]) -> bool:
        return any(len(other) > len(loc) and other[: len(loc)] == loc for other in locs)

    return [detail for detail in details if not echoes(detail["loc"])]


def _describe(detail: ErrorDetails) -> tuple[FieldPath, str]:
    """The field path and a short message of one pydantic error, unwrapping our located errors."""
    cause = (detail.get("ctx") or {}).get("error")
    if isinstance(cause, _LocatedError):
        return cause.loc, str(cause)
    loc = tuple(part for part in detail["loc"] if part != "[key]")
    if detail["type"] == "extra_forbidden":
        return loc, "unknown field"
    if detail["type"] == "missing":
        return loc, "required field is missing"
    message = detail["msg"].removeprefix("Value error, ").replace("\n", " ")
    return loc, message


def format_path(loc: Iterable[str | int]) -> str:
    """``("timeline", 3, "offset")`` -> ``"timeline[3].offset"``."""
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else part)
    return path


# --- finding a field's line in a TOML text (best effort) -------------------------------------

_HEADER_RE = re.compile(r"^\s*(?P<open>\[\[?)\s*(?P<name>[^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_RE = re.compile(r"^\s*(?P<key>[A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*|\"[^\"]*\")\s*=")


def find_line(text: str, loc: FieldPath) -> int | None:
    """The 1-based line of ``text`` that best matches the field path ``loc``, or None.

    Walks the table headers (counting ``[[array]]`` entries as indices) and ``key = value`` lines,
    scores each by how much of ``loc`` it spells out, and keeps the first best. A match shorter
    than two components (one for a top-level field) is not trusted.
    """
    best_line, best_score = None, 0
    for number, path, line in _toml_paths(text):
        score = _common_prefix(path, loc)
        if score == len(path):
            score += _inline_depth(line, loc[score:])
        if score > best_score:
            best_line, best_score = number, score
    return best_line if best_score >= min(len(loc), 2) else None


def _toml_paths(text: str) -> Iterable[tuple[int, FieldPath, str]]:
    """(line number, path, line) of each header and key line, as the path the key sits at."""
    table: FieldPath = ()
    arrays: dict[FieldPath, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER_RE.match(line)
        if header:
            table = _split_key(header["name"])
            if header["open"] == "[[":
                arrays[table] = arrays.get(table, -1) + 1
            table = _with_indices(table, arrays)
            yield number, table, line
            continue
        key = _KEY_RE.match(line)
        if key:
            yield number, (*table, *_split_key(key["key"])), line


def _with_indices(path: FieldPath, arrays: Mapping[FieldPath, int]) -> FieldPath:
    """``("timeline",)`` -> ``("timeline", 3)`` when it is the fourth ``[[timeline]]``."""
    indexed: FieldPath = ()
    for index, part in enumerate(path):
        indexed += (part,)
        count = arrays.get(path[: index + 1])
        if count is not None:
            indexed += (count,)
    return indexed


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in key.split("."))


def _common_prefix(path: FieldPath, loc: FieldPath) -> int:
    count = 0
    for ours, theirs in zip(path, loc, strict=False):
        if ours != theirs:
            break
        count += 1
    return count


def _inline_depth(line: str, rest: FieldPath) -> int:
    """How many further components of the path appear as keys of an inline table on ``line``."""
    depth = 0
    for part in rest:
        if isinstance(part, int) or not re.search(rf"\b{re.escape(part)}\s*=", line):
            break
        depth += 1
    return depth
