"""kill -9 right after a visit was saved, through each real framework: the host still sees the form
with its Save button, and either the Save comes again by itself or pressing it again shows the saved
visit ("Already saved as visit #N"), never a second visit nor "This form has expired"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID
from tests.fakeapi import FakeBotApi
from tests.support.e2e_host import (
    KillableBot,
    answer,
    confirmed,
    press,
    review_card,
    save_with_its_reply_held_up,
    until_confirmed,
)

pytestmark = pytest.mark.e2e


async def test_a_save_killed_before_its_answer_is_answered_after_the_restart(
        api: FakeBotApi, framework: str, tmp_path: Path) -> None:
    bot = await KillableBot.started(api, framework, tmp_path)
    await answer(api, "/start", "Welcome")
    card = await review_card(api, "Acme")

    # Killed while the reply waits: the Save was written but not yet confirmed, so it comes again.
    update_id = await save_with_its_reply_held_up(api, card)
    await bot.kill()
    assert not confirmed(api, update_id), "the Save was confirmed before its reply was sent"
    await bot.restart()
    saved = await api.wait_for_message(ADMIN_ID, contains="Already saved as visit #1.")
    assert "📋 Visit #1 · Acme" in (saved.text or "")

    # Killed once the reply had waited too long to be waited for: the Save was confirmed, the
    # card still offers it, and pressing it shows the visit.
    card = await review_card(api, "Bosch")
    update_id = await save_with_its_reply_held_up(api, card)
    await until_confirmed(api, update_id)
    await bot.kill()
    await bot.restart()
    saved = await press(api, card, "Save", "Already saved as visit #2.")
    assert "📋 Visit #2 · Bosch" in (saved.text or "")
    missing = await answer(api, "/visit 3", "There is no visit #3")
    assert "expired" not in (missing.text or "")
    await bot.stop()
