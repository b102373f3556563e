"""The digest's rules without a bot: when it is due, whose time counts, how a time is typed, and
that its log forgets old days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.services.digest import DigestLog, DigestPreference, digest_time, is_due, read_clock_time
from bot.storage import Database

SHANGHAI = ZoneInfo("Asia/Shanghai")
HALF_EIGHT = time(8, 30)


def local(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("moment", "working", "due"), [
    (local(8, 29), True, False), (local(8, 30), True, True), (local(12, 29), True, True),
    (local(12, 30), True, False), (local(23, 59), True, False), (local(8, 30), False, False),
])
def test_due_from_its_time_for_four_hours_on_working_days(moment: datetime, working: bool, due: bool) -> None:
    assert is_due(moment, HALF_EIGHT, working) is due


def test_a_person_s_time_wins_over_the_company_s_unless_they_turned_it_off() -> None:
    assert digest_time(None, HALF_EIGHT) == HALF_EIGHT
    assert digest_time(DigestPreference(1), HALF_EIGHT) == HALF_EIGHT
    assert digest_time(DigestPreference(1, time(7, 0)), HALF_EIGHT) == time(7, 0)
    assert digest_time(DigestPreference(1, time(7, 0), off=True), HALF_EIGHT) is None


@pytest.mark.parametrize(("typed", "read"), [
    ("08:30", time(8, 30)), ("8:30", time(8, 30)), ("8.30", time(8, 30)), ("８：３０", time(8, 30)),
    ("23:59", time(23, 59)), ("24:00", None), ("9", None), ("nine", None), ("8:5", None),
])
def test_a_time_of_day_is_typed_as_hours_and_minutes(typed: str, read: time | None) -> None:
    assert read_clock_time(typed) == read


def test_the_log_remembers_today_and_forgets_what_is_old(tmp_path: Path) -> None:
    with Database.open(tmp_path) as db:
        log = DigestLog(db.table("digests"))
        old, today = date(2026, 11, 1), date(2026, 11, 23)
        log.record([("u:1:2026-11-01", True)], old, local(8, 30) - timedelta(days=22))
        log.record([("u:1:2026-11-23", True), ("u:2:2026-11-23", False)], today, local(8, 30))
        assert log.keys_on(today) == {"u:1:2026-11-23", "u:2:2026-11-23"}
        assert log.keys_on(old) == set()
