"""The bot on Feishu, end to end: the real process, the SDK's long connection, the fake Open API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.conftest import BotProcess, stop_bot
from tests.e2e.feishu_bot import start_feishu_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakefeishu import FakeFeishu, FeishuUser

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fake() -> AsyncIterator[FakeFeishu]:
    async with FakeFeishu() as server:
        yield server


@pytest.fixture
def admin(fake: FakeFeishu) -> FeishuUser:
    return fake.user("Alice")


@pytest.fixture
async def bot(fake: FakeFeishu, admin: FeishuUser, bot_clock: ShiftedClock,
              tmp_path: Path) -> AsyncIterator[BotProcess]:
    running = await start_feishu_bot(fake, tmp_path / "data", tmp_path / "bot.log", [admin], bot_clock)
    yield running
    await stop_bot(running)


async def test_a_stranger_is_refused_and_the_admin_told(fake: FakeFeishu, admin: FeishuUser,
                                                          bot: BotProcess) -> None:
    fake.user_sends(admin, "/start")
    await fake.wait_for_message(admin, contains="欢迎，Alice")
    stranger = fake.user("王*强")
    fake.user_sends(stranger, "/today")
    await fake.wait_for_message(stranger, contains="本助手仅供公司在册员工使用")
    notice = await fake.wait_for_message(admin, contains="王*强")
    assert notice.button("员工")
    assert not fake.errors()
