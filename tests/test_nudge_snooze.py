"""Snoozing and ticking off reminders, as the nudge service does them for the buttons on a nudge:
"in an hour", "tomorrow morning" (the next working morning, or the visit's next day), and Done."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.domain.nudges import NudgeState
from bot.domain.policy import Policy, load_policy
from bot.domain.workdays import WorkCalendar, china_calendar
from bot.repositories.nudges import NudgeRepository
from bot.services.nudges import NudgeService
from bot.storage import Database
from tests.test_nudge_plan import SHANGHAI, at, make_visit

# Thursday 10 December 2026, 10:00-16:00; the 12th and 13th are a weekend.
VISIT = make_visit("B", "2026-12-10 10:00", "2026-12-10 16:00", saved="2026-12-01 09:00")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[NudgeService]:
    db = Database.open(tmp_path / "data")
    policy: Policy = load_policy(None)
    calendar: WorkCalendar = china_calendar()
    created = NudgeService(NudgeRepository(db.table("nudges")), policy, calendar, SHANGHAI,
                           FixedClock(at("2026-12-01 09:00")))
    created.plan_visit(VISIT)
    yield created
    db.close()


def local(moment: datetime) -> str:
    return moment.astimezone(SHANGHAI).strftime("%m-%d %a %H:%M")


def test_tomorrow_morning_on_a_friday_evening_is_monday_at_the_digest_time(service: NudgeService) -> None:
    assert local(service.next_morning(VISIT, at("2026-12-11 18:00"))) == "12-14 Mon 08:30"


def test_tomorrow_morning_during_a_visit_is_its_next_day_even_on_a_weekend(service: NudgeService) -> None:
    weekend = replace(VISIT, departure=at("2026-12-12 16:00"))  # the guests stay into Saturday
    assert local(service.next_morning(weekend, at("2026-12-11 18:00"))) == "12-12 Sat 08:30"


def test_a_snooze_moves_the_open_items_only_and_keeps_them(service: NudgeService) -> None:
    form, venue = (service.get(f"visit:7:{item}") for item in ("form", "venue"))
    assert form is not None and venue is not None
    done = service.tick(venue, 11, at("2026-12-09 10:05"))
    moved, until = service.snooze([form, done], VISIT, at("2026-12-09 10:10"), by=11, to_morning=False)
    assert [n.item for n in moved] == ["form"] and local(until) == "12-09 Wed 11:10"
    stored = {n.item: n for n in service.for_visit(VISIT.id)}
    assert stored["form"].state is NudgeState.SNOOZED and stored["form"].snoozed_until == until
    assert stored["venue"].state is NudgeState.DONE and stored["venue"].done_by == 11
