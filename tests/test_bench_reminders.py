"""The reminder month of ``bench/reminders.py`` at a small scale, so that CI catches a regression of
issue 16's promises: two weeks around the National Day holiday (1-7 October 2026, then a make-up
working Saturday) in a 40-person company, its visits saved, moved, cancelled and debriefed, its
people pressing Done or "in an hour", the clock moving five minutes at a time."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from bench.reminders import Scale, simulate

TWO_WEEKS = Scale(people=40, clients=20, first=date(2026, 10, 1), days=14, lead_in=timedelta(days=7),
                  visits_per_working_day=2.0, step=timedelta(minutes=5), seed=1)


@pytest.fixture(scope="module")
def fortnight() -> dict[str, Any]:
    _, figures = simulate(TWO_WEEKS)
    assert figures["company"]["errors_logged"] == 0
    return figures


def test_on_a_day_off_only_that_days_visits_are_mentioned(fortnight: dict[str, Any]) -> None:
    found = fortnight["off_day_pushes_not_about_the_day"]
    assert found["off_day_pushes"] > 0, "the fortnight has visits on days off, and their messages"
    assert found["value"] == 0, found["examples"]


def test_no_preparation_item_is_listed_overdue_after_its_visit(fortnight: dict[str, Any]) -> None:
    found = fortnight["stale_overdue_lines"]
    assert found["overdue_lines_checked"] > 0, "digests and /mytasks listed overdue items to check"
    assert found["value"] == 0, found["examples"]


def test_no_morning_digest_is_longer_than_25_lines(fortnight: dict[str, Any]) -> None:
    found = fortnight["longest_digest_lines"]
    assert found["digests"] > 0
    assert found["value"] <= 25
