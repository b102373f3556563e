"""A visit's nudges: the timeline per class, working days around weekends and holidays, re-planning
a changed or cancelled visit in real storage, and a visit saved at short notice."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import FixedClock
from bot.domain.nudges import Nudge, NudgeState, plan_visit
from bot.domain.policy import Policy, load_policy
from bot.domain.visits import Lodging, Meals, Travel, Visit, VisitStatus
from bot.domain.workdays import WorkCalendar, china_calendar
from bot.repositories.nudges import NudgeRepository
from bot.services.nudges import NudgeService
from bot.storage import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOTEL_ITEMS = {"hotel_route", "hotel_room", "thank_booker"}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(None)


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return china_calendar()


def at(text: str) -> datetime:
    """``"2026-12-10 10:00"`` in Shanghai."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def make_visit(class_id: str, arrival: str, departure: str, saved: str, **changes: object) -> Visit:
    """A visit with a flight landing 2 h before arrival (pickup), a hotel, the president, a banner,
    name cards and a projector: everything the timeline has an item for."""
    visit = Visit(
        id=7, client_id=3, client_name="华星科技", class_id=class_id,
        arrival=at(arrival), departure=at(departure), host=11,
        created_at=at(saved), created_by=11, team=(12,), executives=("president",),
        travel=Travel("flight", "MU5101", "PVG", at(arrival) - timedelta(hours=2), pickup=True),
        lodging=Lodging("锦江饭店", at(arrival), at(departure) + timedelta(days=1)),
        banner="欢迎华星科技莅临", name_cards=True, projector=True,
    )  # fmt: skip
    return replace(visit, **changes)  # type: ignore[arg-type]


def table(nudges: list[Nudge]) -> dict[str, str]:
    """Item id -> due time in Shanghai, the way a person checks the timeline."""
    return {n.item: n.due.astimezone(SHANGHAI).strftime("%m-%d %a %H:%M") for n in nudges}


# A class A visit on Thursday 10 December 2026, 10:00-16:00, saved on 1 December.
CLASS_A = {
    "leaders": "12-07 Mon 10:00",  # -3d
    "president": "12-08 Tue 10:00",  # -2d
    "venue": "12-09 Wed 10:00",  # -1wd
    "equipment": "12-09 Wed 10:00",  # -1wd
    "form": "12-09 Wed 10:00",
    "banner": "12-09 Wed 10:00",
    "name_cards": "12-09 Wed 10:00",
    "itinerary": "12-09 Wed 10:00",
    "pickup_lead": "12-10 Thu 06:00",  # the flight lands at 08:00; -2h
    "pickup": "12-10 Thu 06:30",  # -90m
    "hotel_route": "12-10 Thu 07:00",
    "hotel_room": "12-10 Thu 08:00",
    "briefing": "12-10 Thu 09:30",
    "room_ready": "12-10 Thu 09:30",
    "posts": "12-10 Thu 09:45",
    "host_wait": "12-10 Thu 09:55",
    "tidy": "12-10 Thu 16:30",
    "notes": "12-10 Thu 16:30",
    "review": "12-11 Fri 16:00",  # +24h
    "follow_up": "12-11 Fri 16:00",  # +1wd
    "thank_booker": "12-11 Fri 16:00",  # +1d
    "memo": "12-14 Mon 16:00",  # +2wd over the weekend
    "minutes": "12-14 Mon 16:00",
    "feedback": "12-14 Mon 16:00",
}
EXECUTIVE_ITEMS = {"pickup_lead", "leaders", "president"}


@pytest.mark.parametrize(
    ("class_id", "without"),
    [
        ("A", set()),
        ("B", {"pickup_lead"}),  # the president still attends: told 3 and 2 days ahead
        ("C", EXECUTIVE_ITEMS),  # classes C and D do not involve executives (policy)
        ("D", EXECUTIVE_ITEMS),
    ],
)
def test_the_timeline_of_each_class(
    policy: Policy, calendar: WorkCalendar, class_id: str, without: set[str]
) -> None:
    visit = make_visit(class_id, "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00")
    nudges = plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI)
    assert table(nudges) == {item: due for item, due in CLASS_A.items() if item not in without}
    assert not any(n.late for n in nudges)
    assert [n.due for n in nudges] == sorted(n.due for n in nudges)


def test_a_nudge_carries_its_id_message_and_roles(policy: Policy, calendar: WorkCalendar) -> None:
    visit = make_visit("A", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00")
    nudges = {n.item: n for n in plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI)}
    leaders = nudges["leaders"]
    assert (leaders.id, leaders.kind, leaders.key) == ("visit:7:leaders", "visit", "timeline.leaders")
    assert leaders.recipients == ("host", "office", "executives")
    assert leaders.state is NudgeState.PLANNED


@pytest.mark.parametrize(
    ("arrival", "venue"),
    [
        ("2026-12-14 10:00", "12-11 Fri 10:00"),  # an ordinary Monday: the Friday before
        ("2026-10-12 10:00", "10-10 Sat 10:00"),  # Monday after National Day week: the make-up Saturday
        ("2026-03-02 10:00", "02-28 Sat 10:00"),  # after Spring Festival's second make-up Saturday
        ("2026-10-08 10:00", "09-30 Wed 10:00"),  # the first day back: the last day before the holiday
    ],
)
def test_one_working_day_before_arrival(
    policy: Policy, calendar: WorkCalendar, arrival: str, venue: str
) -> None:
    visit = make_visit("C", arrival, arrival, saved="2026-01-05 09:00")
    nudges = plan_visit(visit, policy, calendar, at("2026-01-05 09:00"), tz=SHANGHAI)
    assert table(nudges)["venue"] == venue


@pytest.mark.parametrize(
    ("departure", "follow_up", "memo"),
    [
        ("2026-12-11 15:00", "12-14 Mon 15:00", "12-15 Tue 15:00"),  # a Friday
        ("2026-09-18 15:00", "09-20 Sun 15:00", "09-21 Mon 15:00"),  # the Friday before a make-up Sunday
        ("2026-09-30 15:00", "10-08 Thu 15:00", "10-09 Fri 15:00"),  # the eve of National Day week
    ],
)
def test_working_days_after_departure(
    policy: Policy, calendar: WorkCalendar, departure: str, follow_up: str, memo: str
) -> None:
    visit = make_visit("C", departure, departure, saved="2026-01-05 09:00")
    due = table(plan_visit(visit, policy, calendar, at("2026-01-05 09:00"), tz=SHANGHAI))
    assert (due["follow_up"], due["memo"], due["feedback"]) == (follow_up, memo, memo)


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        # A Monday visit: the day-before items and the -3d notice fall on the weekend: Friday.
        ("2026-12-14 10:00", {"form": "12-11 Fri 10:00", "itinerary": "12-11 Fri 10:00",
                              "leaders": "12-11 Fri 10:00", "president": "12-11 Fri 10:00"}),
        # A Tuesday visit: -3d is Saturday, so Friday; -2d is Sunday, so Friday too; -1d is Monday.
        ("2026-12-15 10:00", {"leaders": "12-11 Fri 10:00", "president": "12-11 Fri 10:00",
                              "form": "12-14 Mon 10:00"}),
        # The first day after the National Day week: the day before is a holiday, so 30 September.
        ("2026-10-08 10:00", {"form": "09-30 Wed 10:00", "banner": "09-30 Wed 10:00"}),
        # A Sunday visit: its own day's items stay, the day before moves to Friday.
        ("2026-12-13 10:00", {"form": "12-11 Fri 10:00", "briefing": "12-13 Sun 09:30"}),
    ],
)
def test_days_before_the_visit_fall_on_working_days(
    policy: Policy, calendar: WorkCalendar, arrival: str, expected: dict[str, str]
) -> None:
    visit = make_visit("A", arrival, arrival, saved="2026-01-05 09:00")
    due = table(plan_visit(visit, policy, calendar, at("2026-01-05 09:00"), tz=SHANGHAI))
    assert {item: due[item] for item in expected} == expected


def test_a_day_after_a_friday_visit_is_monday(policy: Policy, calendar: WorkCalendar) -> None:
    """The team review (+24h) and the booker's thanks (+1d) of a Friday visit wait for Monday; the
    room is still tidied on Friday, half an hour after the guests leave."""
    visit = make_visit("C", "2026-12-11 10:00", "2026-12-11 15:00", saved="2026-12-01 09:00")
    due = table(plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI))
    assert (due["review"], due["thank_booker"], due["tidy"]) == (
        "12-14 Mon 15:00", "12-14 Mon 15:00", "12-11 Fri 15:30")


# A company's own item due the moment a visit is saved (the banner, class A's required item, kept).
SAVED_ITEM = """
[[timeline]]
id = "intake"
key = "timeline.venue"
anchor = "saved"
offset = "+0m"
to = ["office"]

[[timeline]]
id = "banner"
key = "timeline.banner"
anchor = "arrival"
offset = "-1d"
when = "has_banner"
to = ["office"]
"""


def test_an_item_counted_from_saving_is_never_late(tmp_path: Path, calendar: WorkCalendar) -> None:
    """Due the moment a visit is saved, it is the first step, not a sign of short notice."""
    (tmp_path / "policy.toml").write_text(SAVED_ITEM, encoding="utf-8")
    own = load_policy(tmp_path)
    visit = make_visit("C", "2026-12-18 10:00", "2026-12-18 16:00", saved="2026-12-10 12:00")
    nudges = plan_visit(visit, own, calendar, at("2026-12-10 12:00:05"), tz=SHANGHAI)
    assert [(n.item, n.late) for n in nudges] == [("intake", False), ("banner", False)]


def test_working_days_are_counted_in_the_company_zone(policy: Policy, calendar: WorkCalendar) -> None:
    # Tuesday 07:00 in Shanghai is still Monday in UTC; -1wd must give Monday, not the Friday before.
    arrival = datetime(2026, 12, 14, 23, 0, tzinfo=UTC)
    visit = replace(make_visit("C", "2026-12-15 07:00", "2026-12-15 12:00", saved="2026-12-01 09:00"),
                    arrival=arrival)  # fmt: skip
    due = table(plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI))
    assert due["venue"] == "12-14 Mon 07:00"


def test_a_cancelled_visit_plans_nothing(policy: Policy, calendar: WorkCalendar) -> None:
    visit = make_visit("A", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00",
                       status=VisitStatus.CANCELLED)  # fmt: skip
    assert plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI) == []


def test_short_notice_marks_past_items_late(policy: Policy, calendar: WorkCalendar) -> None:
    visit = make_visit("C", "2026-12-10 14:00", "2026-12-10 17:00", saved="2026-12-10 12:00",
                       travel=None, tour=("车间",), meals=Meals(count=6))  # fmt: skip
    nudges = plan_visit(visit, policy, calendar, at("2026-12-10 12:00"), tz=SHANGHAI)
    late = {n.item for n in nudges if n.late}
    assert late == {"venue", "equipment", "form", "banner", "name_cards", "itinerary", "hotel_route"}
    # Exactly at "now" is not past: the room check goes out as usual.
    assert {"hotel_room", "tour", "meal", "briefing", "memo"} <= {
        n.item for n in nudges if not n.late
    }


# --- in storage --------------------------------------------------------------------------------


class Planner:
    """A NudgeService on a real database, with a clock the test moves."""

    def __init__(self, data_dir: Path, policy: Policy, calendar: WorkCalendar) -> None:
        self.db = Database.open(data_dir)
        self.clock = FixedClock(at("2026-12-01 09:00"))
        self.repo = NudgeRepository(self.db.table("nudges"))
        self.service = NudgeService(self.repo, policy, calendar, SHANGHAI, self.clock)

    def documents(self) -> int:
        return len(self.db.table("nudges"))

    def states(self, visit_id: int = 7) -> dict[str, NudgeState]:
        return {n.item: n.state for n in self.service.for_visit(visit_id)}

    def mark(self, item: str, state: NudgeState, at: datetime) -> None:
        nudge = self.repo.get(f"visit:7:{item}")
        assert nudge is not None
        self.repo.save(replace(nudge, state=state, sent_at=at))


@pytest.fixture
def planner(tmp_path: Path, policy: Policy, calendar: WorkCalendar) -> Iterator[Planner]:
    created = Planner(tmp_path / "data", policy, calendar)
    yield created
    created.db.close()


def b_visit(
    arrival: str = "2026-12-10 10:00", departure: str = "2026-12-10 16:00", **changes: object
) -> Visit:
    """Class B, saved on 1 December; the flight and the hotel follow the arrival."""
    return make_visit("B", arrival, departure, saved="2026-12-01 09:00", **changes)


def test_planning_stores_one_document_per_item(planner: Planner) -> None:
    count = planner.service.plan_visit(b_visit())
    assert count == planner.documents() == 23
    assert set(planner.states().values()) == {NudgeState.PLANNED}
    assert planner.service.plan_visit(b_visit()) == 23  # planning again changes nothing
    assert planner.documents() == 23


def test_rescheduling_moves_due_times_without_duplicates(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    moved = b_visit("2026-12-17 10:00", "2026-12-17 16:00")
    assert planner.service.plan_visit(moved) == 23
    assert planner.documents() == 23
    due = table(planner.service.for_visit(7))
    assert due["venue"] == "12-16 Wed 10:00"
    assert due["memo"] == "12-21 Mon 16:00"


def test_a_reloaded_repository_finds_the_same_documents(
    tmp_path: Path, policy: Policy, calendar: WorkCalendar
) -> None:
    first = Planner(tmp_path / "data", policy, calendar)
    first.service.plan_visit(b_visit())
    first.db.close()
    second = Planner(tmp_path / "data", policy, calendar)
    try:
        moved = b_visit("2026-12-17 10:00", "2026-12-17 16:00")
        assert second.service.plan_visit(moved) == 23
        assert second.documents() == 23
    finally:
        second.db.close()


def test_removing_the_lodging_cancels_the_hotel_items(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    assert planner.service.plan_visit(b_visit(lodging=None)) == 20
    assert planner.documents() == 23
    cancelled = {item for item, state in planner.states().items() if state is NudgeState.CANCELLED}
    assert cancelled == HOTEL_ITEMS
    assert planner.service.plan_visit(b_visit()) == 23  # the hotel is back: planned again


def test_cancelling_the_visit_cancels_everything_open(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    planner.clock.current = at("2026-12-02 09:00")
    planner.mark("leaders", NudgeState.SENT, at("2026-12-01 09:00"))
    assert planner.service.plan_visit(b_visit(status=VisitStatus.CANCELLED)) == 0
    states = planner.states()
    assert states.pop("leaders") is NudgeState.CANCELLED  # sent, not done: called off (and said so)
    assert set(states.values()) == {NudgeState.CANCELLED}
    assert planner.documents() == 23
    assert planner.service.due(at("2026-12-31 00:00")) == []


def test_sent_and_done_items_after_a_reschedule(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    planner.clock.current = at("2026-12-09 11:00")
    planner.mark("venue", NudgeState.SENT, at("2026-12-09 10:00"))
    planner.mark("banner", NudgeState.DONE, at("2026-12-09 10:00"))
    later = b_visit("2026-12-17 10:00", "2026-12-17 16:00")
    planner.service.plan_visit(later)
    venue = planner.repo.get("visit:7:venue")
    assert venue is not None and venue.state is NudgeState.PLANNED and venue.sent_at is None
    assert table([venue]) == {"venue": "12-16 Wed 10:00"}  # sent too early for the new date: again
    assert planner.states()["banner"] is NudgeState.DONE
    # Moving the visit earlier again: the venue, sent on the 9th, is not re-sent for the 8th.
    planner.mark("venue", NudgeState.SENT, at("2026-12-09 10:00"))
    planner.service.plan_visit(b_visit("2026-12-09 10:00", "2026-12-09 16:00"))
    assert planner.states()["venue"] is NudgeState.SENT


def test_due_lists_planned_nudges_oldest_first(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    due = planner.service.due(at("2026-12-08 10:00"))
    assert [n.item for n in due] == ["leaders", "president"]
    planner.mark("leaders", NudgeState.SENT, at("2026-12-07 10:00"))
    assert [n.item for n in planner.service.due(at("2026-12-08 10:00"))] == ["president"]


def test_short_notice_counts_only_what_is_still_ahead(planner: Planner) -> None:
    planner.clock.current = at("2026-12-10 08:00")
    visit = make_visit("C", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-10 08:00", travel=None)
    count = planner.service.plan_visit(visit)
    late = {n.item for n in planner.service.late(7)}
    assert late == {"venue", "equipment", "form", "banner", "name_cards", "itinerary", "hotel_route"}
    assert count == planner.documents() - len(late)
    assert {n.item for n in planner.service.due(at("2026-12-10 08:00"))} == late | {"hotel_room"}


def test_a_save_that_does_not_move_a_snoozed_nudge_keeps_the_snooze(planner: Planner) -> None:
    planner.service.plan_visit(b_visit())
    form = planner.repo.get("visit:7:form")
    assert form is not None
    planner.repo.save(replace(form, state=NudgeState.SNOOZED, snoozed_until=at("2026-12-09 14:00")))
    planner.service.plan_visit(b_visit(room="A301"))
    assert planner.states()["form"] is NudgeState.SNOOZED
    planner.service.plan_visit(b_visit("2026-12-11 10:00", "2026-12-11 16:00"))
    moved = planner.repo.get("visit:7:form")
    assert moved is not None and moved.state is NudgeState.PLANNED and moved.snoozed_until is None


def test_the_hotel_checks_are_timed_from_the_check_in(policy: Policy, calendar: WorkCalendar) -> None:
    """[004] 抵店前2-3小时: before the guests reach the HOTEL. Guests who check in at 14:00 the day
    before their 10:00 visit have their route and room checked that morning, not on the visit's."""
    lodging = Lodging("锦江饭店", at("2026-12-09 14:00"), at("2026-12-11 12:00"))
    visit = make_visit("A", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00", lodging=lodging)
    planned = table(plan_visit(visit, policy, calendar, at("2026-12-01 09:00"), tz=SHANGHAI))
    assert (planned["hotel_route"], planned["hotel_room"]) == ("12-09 Wed 11:00", "12-09 Wed 12:00")
    assert planned["briefing"] == "12-10 Thu 09:30"  # the company's own items keep the arrival


def test_a_visit_without_a_hotel_stay_has_no_hotel_checks_even_when_its_class_requires_them(
    policy: Policy, calendar: WorkCalendar
) -> None:
    """A company may require the room check for class A; a class A visit nobody stays for still has
    no room to check."""
    a = policy.class_("A")
    requiring = policy.model_copy(update={"classes": policy.classes.model_copy(update={
        "A": a.model_copy(update={"required_items": (*a.required_items, "hotel_room")})})})
    visit = make_visit("A", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00", lodging=None)
    planned = table(plan_visit(visit, requiring, calendar, at("2026-12-01 09:00"), tz=SHANGHAI))
    assert not planned.keys() & HOTEL_ITEMS
    assert "banner" in planned  # what the class requires otherwise is still there
