"""The reception policy: the shipped handbook defaults, a company's override, the errors a person reads."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.domain.policy import (
    Anchor,
    Condition,
    Offset,
    Policy,
    PolicyError,
    TimelineItem,
    VisitFacts,
    deep_merge,
    find_line,
    format_path,
    load_policy,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")


def parse_offset(text: str) -> Offset:
    """``"-3d"`` -> ``Offset(amount=-3, unit="d")``, as the policy file's offsets are read."""
    return Offset.model_validate(text)

EXECUTIVE_ITEMS = {"leaders", "president", "pickup_lead"}
HOTEL_ITEMS = {"hotel_route", "hotel_room", "thank_booker"}


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy(None)


def write_override(tmp_path: Path, text: str) -> Path:
    (tmp_path / "policy.toml").write_text(text, encoding="utf-8")
    return tmp_path


def weekdays_only(day: date, n: int) -> date:
    """A stand-in calendar: Monday-Friday are working days (the real one knows China's holidays)."""
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


# --- the shipped policy ----------------------------------------------------------------------


def test_shipped_meal_standards_match_the_handbook(policy: Policy) -> None:
    meals = {class_id: (cls.meal_budget.min, cls.meal_budget.max) for class_id, cls in policy.classes.items()}
    assert meals == {"A": (130, 150), "B": (100, 130), "C": (80, 100), "D": (0, 0)}
    assert policy.class_("D").guest_pays_meals
    assert not policy.class_("C").guest_pays_meals


def test_shipped_class_standards(policy: Policy) -> None:
    a, b, d = policy.class_("A"), policy.class_("B"), policy.class_("D")
    assert (a.gift_max, a.hotel_max, a.escort_meal_max) == (500, 1200, 400)
    assert (b.gift_max, b.hotel_max, b.escort_meal_max) == (100, 0, 200)
    assert a.executives_involved and not d.executives_involved
    assert a.confirmed_by == ("president",)
    assert a.approvers == ("title.department_head", "title.general_manager")
    assert b.approvers == ("title.department_head",)
    assert a.name_key == "class.A.name" and a.summary_key == "class.A.summary"


def test_shipped_cadence(policy: Policy) -> None:
    assert policy.class_("A").cadence.contact_days == 30
    assert policy.class_("A").cadence.leader_visit_days == 90
    assert policy.class_("D").cadence.contact_days == 0
    assert policy.relationship.prospect_news_days == 30
    assert policy.relationship.festival_lead_days == 3


def test_shipped_people_purposes_and_schedule(policy: Policy) -> None:
    assert set(policy.executives) == {"president", "general_manager", "vice_president"}
    assert policy.notice_days(["president"]) == 3
    assert policy.notice_days([]) == 0
    assert [purpose.id for purpose in policy.purposes] == [
        "learn_company", "production", "quality", "rnd", "negotiation", "relationship",
    ]  # fmt: skip
    assert policy.schedule.quiet_start == time(21, 0)
    assert policy.schedule.quiet_end == time(8, 0)
    assert policy.schedule.digest_at == time(8, 30)
    assert policy.access.invite_days == 7


def test_shipped_timeline_covers_every_row_of_the_handbook(policy: Policy) -> None:
    when = {item.id: (item.anchor, str(item.offset)) for item in policy.timeline}
    assert when["leaders"] == ("arrival", "-3d")
    assert when["president"] == ("arrival", "-2d")
    assert when["venue"] == ("arrival", "-1wd")
    for item_id in ("form", "banner", "name_cards", "itinerary"):
        assert when[item_id] == ("arrival", "-1d")
    assert when["pickup"][0] == "pickup"
    assert when["hotel_room"] == ("check_in", "-2h")  # [004] 抵店前: before reaching the hotel
    assert when["tour"] == when["meal"] == ("arrival", "-1h")
    assert when["briefing"] == ("arrival", "-30m")
    assert when["posts"] == ("arrival", "-15m")
    assert when["host_wait"] == ("arrival", "-5m")
    assert when["notes"] == ("departure", "+30m")
    assert when["review"] == ("departure", "+24h")
    assert when["follow_up"] == ("departure", "+1wd")
    for item_id in ("memo", "minutes", "feedback"):
        assert when[item_id] == ("departure", "+2wd")
    assert "thank_booker" in when


def test_shipped_timeline_conditions(policy: Policy) -> None:
    leaders = policy.item("leaders")
    assert not leaders.applies(VisitFacts("A"))  # executive notices only when executives are ticked
    assert leaders.applies(VisitFacts("A", executives=frozenset({"president"})))
    assert leaders.applies(VisitFacts("C", executives=frozenset({"vice_president"})))
    assert not leaders.applies(VisitFacts("C"))
    assert policy.item("president").applies(VisitFacts("B", executives=frozenset({"president"})))
    assert not policy.item("president").applies(VisitFacts("A", executives=frozenset({"general_manager"})))
    assert policy.item("president").to == ("host", "office")


def test_timeline_ids_fit_in_callback_data(policy: Policy) -> None:
    for item in policy.timeline:
        assert len(f"visit:{'x' * 24}:{item.id}:{item.offset}".encode()) <= 64


def test_message_keys_are_keys_not_sentences(policy: Policy) -> None:
    keys = policy.message_keys()
    assert {"class.A.name", "purpose.rnd", "timeline.leaders", "title.president"} <= keys
    assert all(" " not in key and "." in key for key in keys)


def test_a_data_dir_without_a_policy_gives_the_shipped_one(tmp_path: Path, policy: Policy) -> None:
    assert load_policy(tmp_path) == policy


def test_the_policy_is_frozen(policy: Policy) -> None:
    with pytest.raises(ValidationError):
        policy.class_("A").gift_max = 1


# --- a company's override --------------------------------------------------------------------


def test_override_changes_one_number_and_keeps_the_rest(tmp_path: Path, policy: Policy) -> None:
    changed = load_policy(write_override(tmp_path, "[classes.B.meal_budget]\nmax = 120\n"))
    assert changed.class_("B").meal_budget.max == 120
    assert changed.class_("B").meal_budget.min == 100
    assert changed.class_("B").gift_max == policy.class_("B").gift_max
    assert changed.class_("A") == policy.class_("A")
    assert changed.timeline == policy.timeline


def test_override_replaces_a_list_whole(tmp_path: Path) -> None:
    text = """
[classes.A]
required_items = []   # the shipped one names "banner", which this timeline drops

[[timeline]]
id = "call"
key = "timeline.call"
anchor = "arrival"
offset = "-2wd"
to = ["host"]
"""
    changed = load_policy(write_override(tmp_path, text))
    assert [item.id for item in changed.timeline] == ["call"]
    assert changed.item("call").when == Condition(flag="always")


def test_override_adds_an_executive(tmp_path: Path) -> None:
    text = '[executives.cto]\nkey = "title.cto"\nnotice_days = 5\n[executives.president]\nnotice_days = 4\n'
    changed = load_policy(write_override(tmp_path, text))
    assert changed.notice_days(["cto", "president"]) == 5
    assert changed.executives["president"].notice_days == 4
    assert changed.executives["president"].key == "title.president"


BAD_OVERRIDES = [
    pytest.param(
        "[classes.B.meal_budget]\nmax = 90\n", "classes.B.meal_budget.max", 2, "below min", id="max<min",
    ),
    pytest.param(
        "[classes.C]\nnote = 'x'\nmeal_budget = { min = 100, max = 50 }\n",
        "classes.C.meal_budget.max", 3, "below min", id="inline-max<min",
    ),
    pytest.param("[classes.E]\ngift_max = 10\n", "classes.E", 1, "unknown field", id="class-E"),
    pytest.param("\n[schedule]\ndigest = '9:00'\n", "schedule.digest", 3, "unknown field", id="unknown"),
    pytest.param("[access]\ninvite_days = 0\n", "access.invite_days", 2, "greater than or equal", id="range"),
    pytest.param("[classes.A]\nconfirmed_by = ['ceo']\n", "classes.A.confirmed_by[0]", 2, "ceo", id="exec"),
    pytest.param("version = 2\n", "version", 1, "", id="version"),
]  # fmt: skip

TIMELINE_ITEM = """
[[timeline]]
id = "{id}"
key = "timeline.x"
anchor = "arrival"
offset = "{offset}"
when = {when}
to = [{to}]
"""


def timeline(*items: dict[str, str]) -> str:
    defaults = {"id": "ok", "offset": "-1d", "when": '"always"', "to": '"host"'}
    return "".join(TIMELINE_ITEM.format(**(defaults | item)) for item in items)


BAD_TIMELINES = [
    pytest.param(timeline({}, {"id": "x", "offset": "-3x"}), "timeline[1].offset", 14, "'-3x'", id="offset"),
    pytest.param(timeline({"id": "Leaders"}), "timeline[0].id", 3, "pattern", id="id-case"),
    pytest.param(timeline({"id": "a" * 17}), "timeline[0].id", 3, "pattern", id="id-length"),
    pytest.param(timeline({}, {}), "timeline[1].id", 11, "used twice", id="id-twice"),
    pytest.param(timeline({"to": '"boss"'}), "timeline[0].to[0]", 8, "'host'", id="recipient"),
    pytest.param(timeline({"when": '"has_lodgin"'}), "timeline[0].when", 7, "unknown condition", id="flag"),
    pytest.param(
        timeline({"when": '{ any = [{ class_in = ["E"] }] }'}),
        "timeline[0].when.any[0].class_in[0]", 7, "'A', 'B', 'C' or 'D'", id="class-in",
    ),
    pytest.param(
        timeline({"when": '{ class_in = ["A"], any = ["always"] }'}),
        "timeline[0].when", 7, "one of", id="two-conditions",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "field", "line", "words"), BAD_OVERRIDES + BAD_TIMELINES)
def test_a_bad_override_names_file_line_and_field(
    tmp_path: Path, text: str, field: str, line: int, words: str
) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(write_override(tmp_path, text))
    error = raised.value
    assert (error.file, error.field, error.line) == (str(tmp_path / "policy.toml"), field, line)
    message = str(error)
    assert "\n" not in message
    assert f"{tmp_path / 'policy.toml'}, line {line}: {field}: " in message
    assert words in message


def test_a_bad_value_merged_with_a_default_is_blamed_on_the_override(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(write_override(tmp_path, "# raise the floor only\n[classes.B.meal_budget]\nmin = 200\n"))
    assert raised.value.field == "classes.B.meal_budget.max"
    assert raised.value.line == 2
    assert "max 130 is below min 200" in str(raised.value)


def test_several_problems_are_counted_on_the_one_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(write_override(tmp_path, "[access]\ninvite_days = 0\n[schedule]\ndigest = 1\n"))
    assert str(raised.value).endswith("(and 1 more problem)")


def test_a_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as raised:
        load_policy(write_override(tmp_path, "[access]\n\ninvite_days = \n"))
    assert raised.value.line == 3
    assert raised.value.field is None
    assert str(raised.value).startswith(f"Policy file {tmp_path / 'policy.toml'}, line 3: not valid TOML: ")


def test_an_unreadable_override_is_a_policy_error(tmp_path: Path) -> None:
    (tmp_path / "policy.toml").mkdir()
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policy(tmp_path)


# --- the timeline of one visit ---------------------------------------------------------------


def ids(items: tuple[TimelineItem, ...]) -> set[str]:
    return {item.id for item in items}


def test_class_d_gets_no_executive_items(policy: Policy) -> None:
    chosen = ids(policy.timeline_for(VisitFacts("D", has_meals=True)))
    assert not chosen & EXECUTIVE_ITEMS
    assert {"venue", "form", "briefing", "host_wait", "meal", "memo"} <= chosen


def test_no_lodging_means_no_hotel_items(policy: Policy) -> None:
    assert not ids(policy.timeline_for(VisitFacts("A"))) & HOTEL_ITEMS
    assert ids(policy.timeline_for(VisitFacts("A", has_lodging=True))) >= HOTEL_ITEMS


def test_class_a_with_everything_gets_every_item(policy: Policy) -> None:
    facts = VisitFacts(
        "A", frozenset({"president"}), has_pickup=True, has_lodging=True, has_tour=True, has_meals=True,
        has_banner=True, has_name_cards=True, has_equipment=True,
    )
    assert policy.timeline_for(facts) == policy.timeline


def test_the_checklist_follows_the_answers(policy: Policy) -> None:
    """A class C visit with only a projector: no banner, no name cards, no pickup, no hotel, no
    executive notice; the projector brings the equipment test."""
    chosen = ids(policy.timeline_for(VisitFacts("C", has_equipment=True)))
    assert "equipment" in chosen
    assert not chosen & {"banner", "name_cards", "pickup", "pickup_lead", "leaders", "president"}
    assert not chosen & HOTEL_ITEMS
    assert "banner" in ids(policy.timeline_for(VisitFacts("C", has_banner=True)))
    assert "name_cards" in ids(policy.timeline_for(VisitFacts("C", has_name_cards=True)))


def test_a_class_may_require_an_item_whatever_was_asked(policy: Policy, tmp_path: Path) -> None:
    assert "banner" in ids(policy.timeline_for(VisitFacts("A")))  # the shipped class A always has one
    changed = load_policy(write_override(tmp_path, '[classes.C]\nrequired_items = ["name_cards"]\n'))
    assert "name_cards" in ids(changed.timeline_for(VisitFacts("C")))
    with pytest.raises(PolicyError, match=r"classes.C.required_items\[0\]: no timeline item 'nope'"):
        load_policy(write_override(tmp_path, '[classes.C]\nrequired_items = ["nope"]\n'))


def test_pickup_items_need_a_pickup(policy: Policy) -> None:
    assert "pickup" not in ids(policy.timeline_for(VisitFacts("B")))
    with_pickup = ids(policy.timeline_for(VisitFacts("B", has_pickup=True)))
    assert "pickup" in with_pickup
    assert "pickup_lead" not in with_pickup  # executives meet only class A at the airport


def test_a_class_b_visit_with_an_executive_gets_the_notice_but_no_confirmation(policy: Policy) -> None:
    chosen = ids(policy.timeline_for(VisitFacts("B", executives=frozenset({"general_manager"}))))
    assert "leaders" in chosen
    assert "president" not in chosen


def test_due_times_from_anchors(policy: Policy) -> None:
    arrival = datetime(2025, 3, 3, 10, 0, tzinfo=SHANGHAI)  # a Monday
    departure = datetime(2025, 3, 7, 16, 0, tzinfo=SHANGHAI)  # a Friday
    anchors: dict[Anchor, datetime] = {"arrival": arrival, "departure": departure}
    assert policy.item("leaders").due(anchors, weekdays_only) == datetime(2025, 2, 28, 10, 0, tzinfo=SHANGHAI)
    assert policy.item("venue").due(anchors, weekdays_only) == datetime(2025, 2, 28, 10, 0, tzinfo=SHANGHAI)
    assert policy.item("memo").due(anchors, weekdays_only) == datetime(2025, 3, 11, 16, 0, tzinfo=SHANGHAI)
    assert policy.item("pickup").due(anchors, weekdays_only) is None


# --- offsets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [("-3d", -3, "d"), ("+2wd", 2, "wd"), ("-90m", -90, "m"), ("+24h", 24, "h"), ("15m", 15, "m")],
)
def test_offsets_parse(text: str, amount: int, unit: str) -> None:
    assert parse_offset(text) == Offset(amount=amount, unit=unit)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["-3x", "3", "d", "--3d", "-3 d", "-1.5h", "-99999m", ""])
def test_bad_offsets_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an offset"):
        parse_offset(text)


def test_offsets_print_back() -> None:
    assert [str(parse_offset(text)) for text in ("-3d", "2wd", "+0m")] == ["-3d", "+2wd", "+0m"]


def test_minutes_and_hours_in_shanghai() -> None:
    late = datetime(2025, 1, 28, 23, 50, tzinfo=SHANGHAI)
    assert parse_offset("+30m").apply(late, weekdays_only) == datetime(2025, 1, 29, 0, 20, tzinfo=SHANGHAI)
    assert parse_offset("-2h").apply(late, weekdays_only) == datetime(2025, 1, 28, 21, 50, tzinfo=SHANGHAI)
    moved = parse_offset("+24h").apply(late, weekdays_only)
    assert moved.tzinfo is SHANGHAI and moved.utcoffset() == timedelta(hours=8)


def test_days_keep_the_clock_time() -> None:
    arrival = datetime(2025, 3, 1, 9, 30, tzinfo=SHANGHAI)
    assert parse_offset("-3d").apply(arrival, weekdays_only) == datetime(2025, 2, 26, 9, 30, tzinfo=SHANGHAI)


def test_working_days_go_through_the_injected_calendar() -> None:
    calls: list[tuple[date, int]] = []

    def calendar(day: date, n: int) -> date:
        calls.append((day, n))
        return date(2025, 10, 11)  # a make-up working Saturday, as only the real calendar knows

    arrival = datetime(2025, 10, 9, 14, 0, tzinfo=SHANGHAI)
    assert parse_offset("+2wd").apply(arrival, calendar) == datetime(2025, 10, 11, 14, 0, tzinfo=SHANGHAI)
    assert calls == [(date(2025, 10, 9), 2)]
    friday = datetime(2025, 3, 7, 16, 0, tzinfo=SHANGHAI)
    assert parse_offset("-1wd").apply(friday + timedelta(days=3), weekdays_only) == friday


def test_naive_times_work_too() -> None:
    new_year = datetime(2025, 1, 1, 0, 2)
    assert parse_offset("-5m").apply(new_year, weekdays_only) == datetime(2024, 12, 31, 23, 57)


# --- budgets and hours -----------------------------------------------------------------------


def test_over_budget(policy: Policy) -> None:
    assert not policy.over_budget("A", "meal", 150)
    assert policy.over_budget("A", "meal", Decimal("150.5"))
    assert policy.over_budget("D", "meal", 1)
    assert not policy.over_budget("D", "meal", 0)
    assert policy.over_budget("C", "gift", 1)
    assert not policy.over_budget("A", "hotel", 1200)
    assert policy.limit("C", "escort_meal") == 100  # no escort standard: the meal standard applies
    assert policy.limit("A", "escort_meal") == 400


def test_approvers(policy: Policy) -> None:
    assert policy.approvers_for("A", "meal") == ("title.department_head", "title.general_manager")
    assert policy.approvers_for("B", "hotel") == ("title.department_head", "title.vice_president")


def test_unknown_class_is_a_key_error(policy: Policy) -> None:
    with pytest.raises(KeyError):
        policy.class_("E")
    with pytest.raises(KeyError):
        policy.item("nope")


@pytest.mark.parametrize(
    ("clock", "quiet"),
    [("20:59", False), ("21:00", True), ("23:59", True), ("07:59", True), ("08:00", False)],
)
def test_quiet_hours_wrap_midnight(policy: Policy, clock: str, quiet: bool) -> None:
    assert policy.schedule.is_quiet(time.fromisoformat(clock)) is quiet


# --- the pieces ------------------------------------------------------------------------------


def test_deep_merge_merges_tables_and_replaces_lists() -> None:
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 2}
    assert deep_merge(base, {"a": {"y": [3]}, "c": 3}) == {"a": {"x": 1, "y": [3]}, "b": 2, "c": 3}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 2}


def test_conditions_from_text_and_tables() -> None:
    assert Condition.model_validate("has_tour") == Condition(flag="has_tour")
    nested = Condition.model_validate({"all": [{"class_in": ["A", "B"]}, {"any": ["has_tour", "has_meals"]}]})
    assert nested.holds(VisitFacts("B", has_meals=True))
    assert not nested.holds(VisitFacts("C", has_meals=True))
    assert nested.flags() == {"has_tour", "has_meals"}


def test_format_path() -> None:
    assert format_path(("timeline", 3, "when", "any", 0)) == "timeline[3].when.any[0]"


def test_find_line_understands_dotted_keys_and_arrays_of_tables() -> None:
    text = '[classes.B]\nmeal_budget.max = 90\n[[purposes]]\nid = "a"\n[[purposes]]\nid = "b"\n'
    assert find_line(text, ("classes", "B", "meal_budget", "max")) == 2
    assert find_line(text, ("purposes", 1, "id")) == 6
    assert find_line(text, ("timeline", 0, "id")) is None
