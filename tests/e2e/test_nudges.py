"""Nudges through each real framework: what came due while the bot was down goes out once at start,
marked late, survives a 429, and its Done button ticks the item off; a stop mid-burst loses and repeats
nothing.

Both run at the real time on each framework, and on python-telegram-bot (the default; the clock is
the core's, not the framework's) at fixed moments in Shanghai where quiet hours, weekends and holidays
change what is due: a Monday at 01:00, a Saturday afternoon, the eve of the Spring Festival (a public
holiday) and 31 December at 23:58. What the bot should send is not written here: the core itself is
asked, at the same moment, on a copy of the same data (``due_at``).
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.events import User
from bot.domain.visits import Visit
from bot.settings import load_settings
from bot.storage import Database
from bot.views.nudges import done_nudge
from tests.e2e.conftest import ADMIN_ID, start_bot, stop_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakeapi import BotMessage, FakeBotApi
from tests.support.chat import World
from tests.support.e2e_host import HOST

pytestmark = pytest.mark.e2e

SHANGHAI = ZoneInfo("Asia/Shanghai")

# (framework, moment): None is the real time (or the moment E2E_BOT_AT names, see conftest).
MOMENTS = [
    pytest.param("aiogram", None, id="aiogram-now"),
    pytest.param("ptb", None, id="ptb-now"),
    pytest.param("ptb", datetime(2026, 12, 7, 1, 0, tzinfo=SHANGHAI), id="ptb-monday-0100"),
    pytest.param("ptb", datetime(2026, 12, 12, 15, 0, tzinfo=SHANGHAI), id="ptb-saturday-1500"),
    pytest.param("ptb", datetime(2027, 2, 5, 10, 0, tzinfo=SHANGHAI), id="ptb-spring-festival-eve-1000"),
    pytest.param("ptb", datetime(2026, 12, 31, 23, 58, tzinfo=SHANGHAI), id="ptb-31-december-2358"),
]


def seed_visits_saved_ten_days_ago(data_dir: Path, now: datetime, clients: Iterable[str]) -> None:
    """A host and a visit per client, 90 minutes from ``now`` and five minutes apart (all within the
    two hours quiet hours let through), saved ten days before: their items up to the day before came
    due while the bot was down, none
    before the visit was saved (those would make a catch-up list instead), whatever the weekday. So
    close a visit is not held back by quiet hours."""
    settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS=str(ADMIN_ID), TELEGRAM_BOT_TOKEN="")
    saved = now - timedelta(days=10)
    db = Database.open(data_dir)
    try:
        services = bootstrap.build(settings, FixedClock(saved), db).services
        services.access.configured_admin(User(ADMIN_ID, "Alice", language_code="en"), saved)
        for n, name in enumerate(clients):
            client = services.clients.create(name, country="DE", by=ADMIN_ID, now=saved)
            arrival = (now + timedelta(minutes=90 + 5 * n)).replace(microsecond=0)
            departure = arrival + timedelta(hours=3)
            services.visits.create(Visit(0, client.id, client.name, "C", arrival, departure, ADMIN_ID, saved,
                                         ADMIN_ID, room="301"))
    finally:
        db.close()


def due_at(data_dir: Path, moment: datetime, scratch: Path) -> list[list[str]]:
    """What the core sends the host at ``moment`` from a copy of ``data_dir``: per message with Done
    buttons, the nudges they tick. The bot under test must send these, whatever the policy says."""
    shutil.copytree(data_dir, scratch)
    world = World(scratch, frozenset({ADMIN_ID}), FixedClock(moment))
    try:
        world.tick()
    finally:
        world.db.close()
    messages = [[nudge for row in m.buttons for b in row if (nudge := done_nudge(b.data))]
                for m in world.chats.get(ADMIN_ID, [])]
    return [ids for ids in messages if ids]


@pytest.fixture
def clock(moment: datetime | None, bot_clock: ShiftedClock) -> ShiftedClock:
    """The bot's clock: at the test's moment, else the real time (or E2E_BOT_AT's) as in every e2e test."""
    return bot_clock if moment is None else ShiftedClock.reading(moment)


def ticked(rows: list[list[dict[str, Any]]]) -> list[str]:
    """The nudges an inline keyboard's Done buttons tick."""
    data = [str(button.get("callback_data", "")) for row in rows for button in row]
    return [nudge for d in data if (nudge := done_nudge(d))]


def done_buttons(rows: list[list[dict[str, Any]]]) -> list[str]:
    """The callback data of an inline keyboard's Done buttons."""
    data = [str(button.get("callback_data", "")) for row in rows for button in row]
    return [d for d in data if done_nudge(d)]


def has_done(message: BotMessage) -> bool:
    return bool(ticked(message.buttons))


def delivered(api: FakeBotApi) -> list[list[str]]:
    """Per message Telegram accepted for the host, with Done buttons: the nudges they tick."""
    messages = []
    for call in api.calls("sendMessage"):
        ids = ticked((call.params.get("reply_markup") or {}).get("inline_keyboard", []))
        if call.status == 200 and str(call.params.get("chat_id")) == str(ADMIN_ID) and ids:
            messages.append(ids)
    return messages


def each(messages: list[list[str]]) -> Counter[str]:
    return Counter(nudge for ids in messages for nudge in ids)


def sent_texts(api: FakeBotApi) -> list[str]:
    return [str(call.params.get("text")) for call in api.calls("sendMessage") if call.status == 200]


@pytest.mark.parametrize(("framework", "moment"), MOMENTS)
async def test_due_nudges_go_out_at_start_once_and_done_ticks(api: FakeBotApi, framework: str,
                                                               clock: ShiftedClock, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    now = clock.now()
    seed_visits_saved_ten_days_ago(data_dir, now, ["Bosch"])
    expected = due_at(data_dir, now, tmp_path / "expected")
    assert expected, "the seeding must leave a nudge due"
    api.fail_next("sendMessage", 429, retry_after=1)
    bot = await start_bot(api, framework, data_dir, tmp_path / "bot.log", clock)
    try:
        # A nudge of its own, not the morning digest that lists it too (from 08:30 to 12:30 on a
        # working day, the digest of a host with a visit today goes out at start as well).
        nudge = await api.wait_for_message(ADMIN_ID, has_done, timeout=30)
        assert "(Late: this was due" in (nudge.text or "")
        assert "Visit #1 · Bosch" in (nudge.text or "")
        api.user_presses(HOST, nudge, done_buttons(nudge.buttons)[0])
        # The nudge itself is edited (nothing else that may come meanwhile, a digest, counts).
        await api.wait_for_message(ADMIN_ID, lambda shown: shown.message_id == nudge.message_id
                                   and shown.event == "edited", contains="by Alice")
        assert 429 in [r.status for r in api.calls("sendMessage")]
        await api.wait_for_idle(quiet=2.5)  # the rest of the nudges, at most one a second in a chat
    finally:
        await stop_bot(bot)
    assert each(delivered(api)) == each(expected)
    before = sent_texts(api)
    again = await start_bot(api, framework, data_dir, tmp_path / "bot.log", clock)
    try:
        await api.wait_for_idle(quiet=1.5)
    finally:
        await stop_bot(again)
    assert each(delivered(api)) == each(expected)
    assert not set(sent_texts(api)[len(before):]) & set(before)  # a restart repeats nothing


@pytest.mark.parametrize(("framework", "moment"), MOMENTS)
async def test_stopping_mid_burst_loses_and_repeats_nothing(api: FakeBotApi, framework: str,
                                                             clock: ShiftedClock, tmp_path: Path) -> None:
    """Nudges for one person go out at Telegram's pace (one a second in a chat); a stop after the
    first leaves the rest for the next start, which sends each of them once."""
    data_dir = tmp_path / "data"
    now = clock.now()
    # Six visits, a message each: more than a chat's first burst lets out at once (then one a second).
    seed_visits_saved_ten_days_ago(data_dir, now, ["Bosch", "Siemens", "BASF", "SAP", "Bayer", "Audi"])
    expected = due_at(data_dir, now, tmp_path / "expected")
    assert len(expected) >= 5, f"the seeding must make a burst of several messages: {expected}"
    bot = await start_bot(api, framework, data_dir, tmp_path / "bot.log", clock)
    try:
        await api.wait_for_message(ADMIN_ID, has_done, timeout=30)
    finally:
        await stop_bot(bot)
    first_run = delivered(api)
    again = await start_bot(api, framework, data_dir, tmp_path / "bot.log", clock)
    try:
        await api.wait_for_idle(quiet=2.0, timeout=30)
    finally:
        await stop_bot(again)
    assert 0 < len(first_run) < len(expected)  # the stop came mid-burst
    assert each(delivered(api)) == each(expected)  # and lost nothing, repeated nothing
