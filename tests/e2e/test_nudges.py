"""Nudges through each real framework: what came due while the bot was down goes out once at start,
marked late, survives a 429, and its Done button ticks the item off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.events import User
from bot.domain.visits import Visit
from bot.settings import load_settings
from bot.storage import Database
from tests.e2e.conftest import ADMIN_ID, start_bot, stop_bot
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

HOST = FakeUser(ADMIN_ID, "Alice", language_code="en")


def seed_visit_planned_two_days_ago(data_dir: Path) -> None:
    """A host and a visit in 90 minutes, saved two days ago: the T-1 day items came due while the bot
    was down. So close a visit is not held back by quiet hours, whatever the hour the test runs."""
    settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS=str(ADMIN_ID), TELEGRAM_BOT_TOKEN="")
    now = datetime.now(UTC)
    db = Database.open(data_dir)
    try:
        services = bootstrap.build(settings, FixedClock(now - timedelta(days=2)), db).services
        host = User(ADMIN_ID, "Alice", language_code="en")
        services.access.start(host, "", now - timedelta(days=2))
        client = services.clients.create("Bosch", country="DE", by=ADMIN_ID, now=now)
        arrival = (now + timedelta(minutes=90)).replace(microsecond=0)
        services.visits.create(Visit(0, client.id, client.name, "C", arrival, arrival + timedelta(hours=3),
                                     ADMIN_ID, now - timedelta(days=2), ADMIN_ID, room="301"))
    finally:
        db.close()


async def test_due_nudges_go_out_at_start_once_and_done_ticks(api: FakeBotApi, framework: str,
                                                               tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    seed_visit_planned_two_days_ago(data_dir)
    api.fail_next("sendMessage", 429, retry_after=1)
    bot = await start_bot(api, framework, data_dir, tmp_path / "bot.log")
    try:
        # The item's own nudge, not the morning digest that lists it too (from 08:30 to 12:30 in
        # Shanghai, the digest of a host with a visit today goes out at start as well).
        nudge = await api.wait_for_message(ADMIN_ID, lambda m: "Good morning" not in (m.text or ""),
                                           contains="arrangement form", timeout=30)
        assert "(Late: this was due" in (nudge.text or "")
        assert "Visit #1 · Bosch" in (nudge.text or "")
        api.user_presses(HOST, nudge, button="Done")
        await api.wait_for_message(ADMIN_ID, contains="Done by Alice")
        assert 429 in [r.status for r in api.calls("sendMessage")]
        await api.wait_for_idle(quiet=2.5)  # the rest of the nudges, at most one a second in a chat
    finally:
        await stop_bot(bot)
    sent_before = len(api.calls("sendMessage"))
    again = await start_bot(api, framework, data_dir, tmp_path / "bot.log")
    try:
        await api.wait_for_idle(quiet=1.5)
        assert len(api.calls("sendMessage")) == sent_before  # a restart repeats nothing
    finally:
        await stop_bot(again)


def done_ids(api: FakeBotApi) -> list[str]:
    """The nudge behind each delivered message, read from its Done button."""
    ids = []
    for call in api.calls("sendMessage"):
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        data = [str(b.get("callback_data", "")) for row in rows for b in row]
        if call.status == 200:
            ids += [d.removeprefix("nud:d:") for d in data if d.startswith("nud:d:")]
    return ids


async def test_stopping_mid_burst_loses_and_repeats_nothing(api: FakeBotApi, framework: str,
                                                             tmp_path: Path) -> None:
    """Six nudges for one person go out at Telegram's pace (one a second in a chat); a stop after the
    second leaves the rest for the next start, which sends each of them once."""
    data_dir = tmp_path / "data"
    seed_visit_planned_two_days_ago(data_dir)
    bot = await start_bot(api, framework, data_dir, tmp_path / "bot.log")
    try:
        await api.wait_for_message(ADMIN_ID, contains="Visit #1")
        await api.wait_for_message(ADMIN_ID, contains="Visit #1")
    finally:
        await stop_bot(bot)
    first_run = len(done_ids(api))
    again = await start_bot(api, framework, data_dir, tmp_path / "bot.log")
    try:
        await api.wait_for_idle(quiet=2.0, timeout=30)
    finally:
        await stop_bot(again)
    delivered = done_ids(api)
    assert first_run < len(delivered) == 6
    assert len(set(delivered)) == len(delivered)
