"""kill -9 after a Save that tells a colleague on the team, through each real framework: the Save's
own reply waits (Telegram made it wait half a minute) and the update was confirmed, so nothing comes
again by itself; the colleague's notice was written with the visit and reaches them after the
restart, once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID
from tests.fakeapi import FakeBotApi, FakeUser
from tests.support.e2e_host import (
    KillableBot,
    answer,
    press,
    review_card,
    save_with_its_reply_held_up,
    until_confirmed,
)

pytestmark = pytest.mark.e2e

BOB = FakeUser(2002, "Bob", language_code="en")


async def test_a_colleague_told_of_a_save_killed_before_its_reply_hears_of_it_once(
        api: FakeBotApi, framework: str, tmp_path: Path) -> None:
    bot = await KillableBot.started(api, framework, tmp_path)
    await answer(api, "/start", "Welcome")
    api.user_sends(BOB, "/start")  # Bob asks to join; the admin approves him
    await api.wait_for_message(BOB.id, contains="registered staff")
    request = await api.wait_for_message(ADMIN_ID, contains="Bob")
    await press(api, request, "Approve as staff member", "approved")
    await api.wait_for_message(BOB.id, contains="Welcome, Bob")
    card = await review_card(api, "Acme", team=("Bob",))

    # Killed once the Save was written and confirmed, its reply still waiting out a 429.
    update_id = await save_with_its_reply_held_up(api, card)
    await until_confirmed(api, update_id)
    await bot.kill()
    assert not [m for m in api.messages(BOB.id) if "#1" in (m.text or "")], "told before the kill"
    await bot.restart()
    told = await api.wait_for_message(BOB.id, contains="#1")
    assert "Alice" in (told.text or "") and "Acme" in (told.text or "")
    await asyncio.sleep(1)  # time for a second notice, if one were coming
    assert len([m for m in api.messages(BOB.id) if "#1" in (m.text or "")]) == 1
    await bot.stop()
