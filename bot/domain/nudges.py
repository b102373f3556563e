"""Nudges: the reminders a visit's timeline produces, and the pure rules that plan and re-plan them.

A nudge is one timeline item of one visit (``Policy.timeline``) at a moment: "the venue, one working
day before arrival". Its id is ``visit:<visit id>:<item id>``, so planning a visit again finds the
same records and moves them instead of adding new ones (style habit 9).

``plan_visit`` turns a visit into the nudges it should have now; ``reconcile`` compares that with
what is stored and says what to write. Both are plain functions so that the rules read, and are
tested, without storage or a clock.

Re-planning rules (``reconcile``), per item:

- new item: planned.
- planned, snoozed or failed with the same due time: kept as it is (a save that did not move the
  visit must not undo a snooze or reset a failure); its message and recipients follow the policy.
  A snooze holds the item for everyone it is for; when it is over, the item goes to whoever
  snoozed it (``snoozed_by``), not again to all the others it is shared with. Who snoozed it and
  until when stay on the record once it went back to them: it is theirs now, and the others' lists
  (/mytasks, the digest) say who put it off until when instead of listing it as open for them.
- planned, snoozed, failed or cancelled with another due time, or cancelled and applying again:
  planned afresh at the new time (a snooze or a failure was about the old time).
- done: kept. Someone said the task is done; a reschedule does not undo a printed banner.
- sent: kept, unless the new due time is after the moment it was sent. Then the reminder went out
  too early for the new schedule (the visit moved later, typically by days), so it is planned again.
- an item that no longer applies (lodging removed, visit cancelled, item gone from the policy):
  cancelled if not done, sent ones too (whoever was told is told it is off, see
  ``NudgeService.plan_visit``); done ones stay as history.

Late nudges: a visit saved at short notice has items whose time has passed ("-1d" for a visit saved
two hours ahead). They are planned with ``late=True``: the host gets them once, as one catch-up
list, rather than one message each (the sender does that; this module only marks them). Items
counted from the moment the visit is saved (a company's own intake step, anchor "saved") are never
late: they are the first step, not a sign of short notice.

Working days: an item counted in whole days that falls on a day off (a weekend, a public holiday)
moves to the last working day before it (preparation) or the first one after it (follow-up),
keeping its clock time, unless it falls on one of the visit's own days. China's make-up working
days (调休) count as working days; that is the ``WorkCalendar``'s business.

Missed: a preparation item (due at or before the guests' arrival) that is not done when they
arrive has no use any more. It is closed as missed (``is_missed``): kept on the visit's record,
never sent late, never listed as overdue. So is an after-visit chore whose moment passes (the
policy's ``lapses``: tidying the room) still open at the end of the next working day (``Lapses``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Literal

from bot.domain.policy import CLASS_IDS, Anchor, ClassId, Policy, Recipient, VisitFacts
from bot.domain.visits import Visit, VisitStatus
from bot.domain.workdays import WorkCalendar

NudgeKind = Literal["visit"]


class NudgeState(StrEnum):
    PLANNED = "planned"
    SENT = "sent"
    DONE = "done"
    SNOOZED = "snoozed"
    CANCELLED = "cancelled"
    FAILED = "failed"
    MISSED = "missed"  # a preparation item still open when the guests arrived, or a chore lapsed


OPEN_STATES = frozenset({NudgeState.PLANNED, NudgeState.SNOOZED, NudgeState.FAILED, NudgeState.MISSED})
"""States a re-plan may move or cancel: nothing has been achieved yet."""
UNFINISHED = frozenset({NudgeState.PLANNED, NudgeState.SENT, NudgeState.SNOOZED, NudgeState.FAILED})
"""Checklist states someone should still act on; done, cancelled and missed ones are history."""


@dataclass(frozen=True)
class Nudge:
    """One reminder: whom (roles, resolved to people when sent), what (a message key), when."""

    id: str  # visit:<visit id>:<timeline item id>
    due: datetime  # timezone-aware, in the company zone
    visit_id: int
    item: str  # the timeline item id
    key: str  # message key from the policy
    recipients: tuple[Recipient, ...]
    kind: NudgeKind = "visit"
    state: NudgeState = NudgeState.PLANNED
    late: bool = False  # already past when planned: goes into the host's catch-up list
    snoozed_until: datetime | None = None
    # Who asked for it later ("in an hour"): when the snooze is over it comes back to them, not to
    # everyone it is shared with (the whole reception desk), who had it and asked for nothing.
    # Both stay once it was sent back (state sent): who took it on, and at what time.
    snoozed_by: tuple[int, ...] = ()
    sent_at: datetime | None = None
    done_at: datetime | None = None
    done_by: int | None = None  # staff user id

    def pending(self, now: datetime) -> bool:
        """Planned and not yet due: what "N nudges planned" counts."""
        return self.state is NudgeState.PLANNED and self.due >= now


class Lapses:
    """The items that lapse (the policy's ``lapses``: tidying the room after the meeting) and when:
    at the end of the first working day after the day each was due, in the company zone. The day's
    evening and the next working day leave time to do it; after that the room has been used again."""

    def __init__(self, items: frozenset[str], calendar: WorkCalendar, tz: tzinfo) -> None:
        self.items = items
        self._calendar = calendar
        self._tz = tz
        self._ends: dict[date, datetime] = {}  # by the day due: a few hundred days in a year

    @classmethod
    def of(cls, policy: Policy, calendar: WorkCalendar, tz: tzinfo) -> Lapses:
        return cls(policy.lapsing, calendar, tz)

    def lapsed(self, item: str, due: datetime, now: datetime) -> bool:
        """Whether the item ``item`` due at ``due`` has lapsed at ``now``."""
        return item in self.items and now >= self.end(due)

    def end(self, due: datetime) -> datetime:
        """The end of the first working day after the one of ``due``."""
        day = due.astimezone(self._tz).date()
        end = self._ends.get(day)
        if end is None:
            last = self._calendar.add_working_days(day, 1)
            end = self._ends[day] = datetime.combine(last + timedelta(days=1), time(), tzinfo=self._tz)
        return end


def is_missed(nudge: Nudge, visit: Visit, now: datetime, lapses: Lapses) -> bool:
    """An item closed as missed: a preparation item still unfinished once the guests have arrived,
    or a chore that lapsed (``Lapses``).

    A preparation item is one due at or before the arrival (the banner, the pickup, the T-5 min
    wait); follow-up items are due after the departure and stay open, unless they lapse.
    """
    return nudge.state is NudgeState.MISSED or (nudge.state in UNFINISHED and (
        nudge.due <= visit.arrival <= now or lapses.lapsed(nudge.item, nudge.due, now)))


# Timeline roles held as standing duties (set per person in /staff); the rest are the visit's own.
DUTY_ROLES: tuple[Recipient, ...] = ("office", "reception", "executives")
# Roles the visit's own people hold: whoever else holds an item is found by its role.
VISIT_ROLES: frozenset[str] = frozenset({"host", "team", "driver"})


def holders(visit: Visit, roles: Iterable[Recipient], *, on_duty: Mapping[Recipient, Sequence[int]],
            managers: Sequence[int]) -> dict[int, list[Recipient]]:
    """Who holds an item with these roles: user id -> the roles they are asked to pass it on to.

    The host and the team are the visit's; the driver is the visit's pickup driver; office,
    reception and executive items go to whoever holds that duty (``on_duty``), the manager's to the
    host's managers (``managers``). Where nobody holds a role, the host holds it, to pass on.
    """
    driver = visit.travel.driver if visit.travel is not None else None
    return held(visit.host, visit.team, driver, roles, on_duty=on_duty, managers=managers)


def held(host: int, team: Sequence[int], driver: int | None, roles: Iterable[Recipient], *,
         on_duty: Mapping[Recipient, Sequence[int]], managers: Sequence[int]) -> dict[int, list[Recipient]]:
    """``holders`` of a visit with this host, team and driver (what the visits' index keeps)."""
    wanted: dict[int, list[Recipient]] = {}
    for role in roles:
        found: Sequence[int] = ()
        if role == "team":
            found = team
        elif role == "driver" and driver is not None:
            found = (driver,)
        elif role in DUTY_ROLES:
            found = on_duty.get(role, ())
        elif role == "host_manager":
            found = managers
        for user_id in found:
            wanted.setdefault(user_id, [])
        if not found or role in ("host", "driver"):
            passed = wanted.setdefault(host, [])
            if not found and role not in ("host", "team", "driver"):
                passed.append(role)
    return wanted


def nudge_id(visit_id: int, item_id: str) -> str:
    return f"visit:{visit_id}:{item_id}"


def item_of(nudge_id: str) -> str:
    """The timeline item id of a nudge id (``visit:12:tidy`` -> ``tidy``)."""
    return nudge_id.rsplit(":", 1)[-1]


def visit_prefix(visit_id: int) -> str:
    """What every nudge id of the visit starts with."""
    return f"visit:{visit_id}:"


# --- planning --------------------------------------------------------------------------------


def visit_facts(visit: Visit, policy: Policy) -> VisitFacts:
    """What the timeline's conditions look at.

    Executives count only in a class whose policy involves them (``executives_involved``): the
    arrangement form of a class C or D visit does not ask for them, so any left over from an
    earlier class must not nudge the president.
    """
    class_id = _class_id(visit.class_id)
    involved = policy.class_(class_id).executives_involved
    return VisitFacts(
        class_id=class_id,
        executives=frozenset(visit.executives) if involved else frozenset(),
        has_pickup=visit.travel is not None and visit.travel.pickup,
        has_lodging=visit.lodging is not None,
        has_tour=bool(visit.tour or visit.tours),
        has_meals=visit.meals is not None,
        has_banner=bool(visit.banner),
        has_name_cards=visit.name_cards,
        has_equipment=visit.projector,
    )


def visit_anchors(visit: Visit, tz: tzinfo) -> dict[Anchor, datetime]:
    """The visit's anchor times in the company zone.

    In that zone because a working-day offset keeps the clock time and takes the date: 07:00 on a
    Tuesday in Shanghai is still Monday in UTC, and "-1wd" from Monday is the Friday before.
    """
    anchors: dict[Anchor, datetime] = {
        "arrival": visit.arrival,
        "departure": visit.departure,
        "saved": visit.created_at,
    }
    if visit.travel is not None and visit.travel.arrives_at is not None:
        anchors["pickup"] = visit.travel.arrives_at
    if visit.lodging is not None:
        # The hotel's own checks ([004] 抵店前: before reaching the hotel) follow the check-in, which
        # may be the evening before the visit; a visit nobody stays for has none.
        anchors["check_in"] = visit.lodging.check_in
    for name, at in anchors.items():
        if at.tzinfo is None:
            raise ValueError(f"visit {visit.id}: {name} time {at.isoformat()} has no time zone")
    return {name: at.astimezone(tz) for name, at in anchors.items()}


def plan_visit(
    visit: Visit, policy: Policy, calendar: WorkCalendar, now: datetime, *, tz: tzinfo
) -> list[Nudge]:
    """The nudges ``visit`` should have, by due time; past ones (at ``now``) are marked ``late``.

    A cancelled visit has none. An item whose anchor the visit lacks (no flight time, no hotel stay)
    is skipped, even one its class requires.
    """
    if visit.status is VisitStatus.CANCELLED:
        return []
    anchors = visit_anchors(visit, tz)
    visit_days = (anchors["arrival"].date(), anchors["departure"].date())
    nudges: list[Nudge] = []
    for item in policy.timeline_for(visit_facts(visit, policy)):
        due = item.due(anchors, calendar.add_working_days)
        if due is None:
            continue
        if item.whole_days:
            due = on_working_day(due, visit_days, calendar, before=item.offset.amount < 0)
        nudges.append(
            Nudge(
                id=nudge_id(visit.id, item.id),
                due=due,
                visit_id=visit.id,
                item=item.id,
                key=item.key,
                recipients=item.to,
                late=due < now and item.anchor != "saved",
            )
        )
    return sorted(nudges, key=lambda nudge: nudge.due)  # stable: same time keeps the policy's order


def on_working_day(due: datetime, visit_days: tuple[date, date], calendar: WorkCalendar, *,
                   before: bool) -> datetime:
    """``due`` moved off a day off, keeping its clock time: to the last working day before it (a
    preparation item, ``before``) or the first one after (a follow-up). A due time on one of the
    visit's own days (``visit_days``: first and last) stays: the visit happens then anyway."""
    day = due.date()
    if calendar.is_working_day(day) or visit_days[0] <= day <= visit_days[1]:
        return due
    moved = calendar.at_or_before(day) if before else calendar.at_or_after(day)
    return datetime.combine(moved, due.timetz())


def _class_id(value: str) -> ClassId:
    for class_id in CLASS_IDS:
        if value == class_id:
            return class_id
    raise ValueError(f"unknown reception class {value!r}; use one of {', '.join(CLASS_IDS)}")


# --- re-planning -----------------------------------------------------------------------------


def planning_digest(policy: Policy) -> str:
    """A stable fingerprint of what planning reads from the policy: the timeline, and per class the
    items it requires and whether executives count. Another digest than the one the stored nudges
    were planned with means they may be wrong (``bot.services.replan``); other policy changes (a
    budget, a purpose) leave it as it is."""
    classes = {class_id: [list(cls.required_items), cls.executives_involved]
               for class_id, cls in ((c, policy.class_(c)) for c in CLASS_IDS)}
    # ``lapses`` changes no plan, only when an open item counts as missed: left out, so that adding
    # it does not re-plan every visit.
    timeline = [item.model_dump(mode="json", exclude={"lapses"}) for item in policy.timeline]
    rules = {"timeline": timeline, "classes": classes}
    text = json.dumps(rules, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()



def reconcile(stored: Iterable[Nudge], plan: Sequence[Nudge]) -> list[Nudge]:
    """The nudges to write so that one visit's stored nudges follow ``plan`` (rules: module docstring).

    ``stored`` and ``plan`` belong to the same visit; unchanged nudges are left out of the result.
    """
    remaining = {nudge.id: nudge for nudge in stored}
    changes: list[Nudge] = []
    for new in plan:
        old = remaining.pop(new.id, None)
        merged = new if old is None else _replanned(old, new)
        if merged != old:
            changes.append(merged)
    for old in remaining.values():
        if old.state in OPEN_STATES or old.state is NudgeState.SENT:
            changes.append(replace(old, state=NudgeState.CANCELLED, snoozed_until=None, snoozed_by=()))
    return changes


def _replanned(old: Nudge, new: Nudge) -> Nudge:
    if old.state is NudgeState.DONE:
        return old
    if old.state is NudgeState.SENT:
        sent_too_early = old.sent_at is not None and new.due > old.sent_at
        return new if sent_too_early else old
    if old.state in OPEN_STATES and old.due == new.due:
        return replace(old, key=new.key, recipients=new.recipients)
    return new


@dataclass(frozen=True)
class NudgeMessage:
    """What one person reads about one visit at one moment."""

    visit: Visit
    nudges: Sequence[Nudge]  # by due time; done ones are shown ticked
    stamp: int  # when the sender recorded them as sent (epoch seconds): names the message
    pass_on: Sequence[str] = ()  # translated roles the reader is asked to pass the items on to
    late_since: datetime | None = None  # sent well after this due time (the bot was down)
    catch_up: bool = False  # a visit saved at short notice: items that should already be done


def stamp_of(moment: datetime) -> int:
    return int(moment.timestamp())
