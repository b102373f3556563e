"""Group chats through each real framework: staff asking for client data there are pointed to the
private chat by a link naming the bot as getMe does; a stranger's /start there gets nothing."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN_ID, BotProcess
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")
GROUP = -1001234


async def test_a_group_gets_the_link_to_the_private_chat_and_strangers_nothing(api: FakeBotApi,
                                                                               bot: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice!")
    api.user_sends(ADMIN, "/client Huawei", GROUP)
    pointer = await api.wait_for_message(GROUP)
    assert pointer.text == "🔒 Please ask me that in a private chat."
    assert pointer.buttons == [[{"text": "💬 Chat with me in private",
                                 "url": f"https://t.me/{api.bot_username}?start=from_group"}]]

    api.user_sends(FakeUser(4004, "Eve", language_code="en"), "/start", GROUP)
    await api.expect_no_message(GROUP, within=1.0)
    await api.expect_no_message(ADMIN_ID, within=0.1)  # no access request either

    pressed = api.user_presses(ADMIN, pointer, "vis:show:1", check=False)
    answer = await api.wait_for_callback_answer(pressed)
    assert (answer.text, answer.show_alert) == ("🔒 Please ask me that in a private chat.", True)
    await api.expect_no_message(GROUP, within=0.5)
