"""Through each real framework over HTTP: who gets in, languages, and Telegram's bad days."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.e2e.conftest import ADMIN_ID, BotProcess, start_bot, stop_bot
from tests.e2e.shifted_bot import ShiftedClock
from tests.fakeapi import FakeBotApi, FakeUser

pytestmark = pytest.mark.e2e

ADMIN = FakeUser(ADMIN_ID, "Alice", language_code="en")


async def test_admin_stranger_and_invitation(api: FakeBotApi, bot: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice! You have joined the reception assistant")

    stranger = FakeUser(2002, "<b>Boss</b>", username="boss", language_code="zh-tw")
    api.user_sends(stranger, "/start")
    await api.wait_for_message(2002, contains="本助理僅供公司在冊員工使用")
    notice = await api.wait_for_message(ADMIN_ID, contains="Someone asks to use the assistant")
    assert "<b>Boss</b> (@boss, id 2002)" in (notice.text or "")

    api.user_sends(ADMIN, "/invite")
    choose = await api.wait_for_message(ADMIN_ID, contains="Which role")
    api.user_presses(ADMIN, choose, button="staff member")
    invitation = await api.wait_for_message(ADMIN_ID, contains="one-time invitation")
    code = (invitation.text or "").split("?start=")[1].split()[0]

    newcomer = FakeUser(3003, "Zhou", language_code="zh-hans")
    api.user_sends(newcomer, f"/start {code}")
    await api.wait_for_message(3003, contains="欢迎，Zhou！您已作为员工加入接待助手")
    await api.wait_for_message(ADMIN_ID, contains="Zhou joined through your invitation")
    menu = await api.wait_for_call("setMyCommands",
                                   lambda call: call.params.get("scope", {}).get("chat_id") == 3003)
    commands = [c["command"] for c in menu.params["commands"]]
    # A new staff member gets the everyday commands in their own language, not the admin ones.
    assert {"start", "new", "today", "week", "find", "mytasks", "help", "lang", "cancel"} <= set(commands)
    assert not {"invite", "staff"} & set(commands)
    assert "今天" in next(c["description"] for c in menu.params["commands"] if c["command"] == "today")
    assert not api.errors()


async def test_language_choice_and_menus(api: FakeBotApi, bot: BotProcess) -> None:
    await api.wait_for_call("setMyCommands", lambda r: r.params.get("language_code") == "zh")
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice!")
    api.user_sends(ADMIN, "/lang")
    choose = await api.wait_for_message(ADMIN_ID, contains="Choose your language")
    api.user_presses(ADMIN, choose, button="繁體中文")
    await api.wait_for_message(ADMIN_ID, contains="好的，之後我將使用繁體中文與您交流。")
    api.user_sends(ADMIN, "/help")
    await api.wait_for_message(ADMIN_ID, contains="/invite — 邀請同事加入")


async def test_replies_travel_as_json_with_text_and_buttons_whole(api: FakeBotApi, bot: BotProcess) -> None:
    # A reply is one JSON object, not a urlencoded form: a third the bytes for Chinese text, and
    # encoded and read in C at both ends (``bench.e2e``); its text and buttons arrive as written.
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice!")
    api.user_sends(ADMIN, "/lang")
    choose = await api.wait_for_message(ADMIN_ID, contains="Choose your language")
    sent = next(call for call in api.calls("sendMessage") if "Choose your language" in call.params["text"])
    assert sent.content_type == "application/json"
    labels = [button["text"] for row in sent.params["reply_markup"]["inline_keyboard"] for button in row]
    assert {"简体中文", "繁體中文", "English"} <= set(labels)
    api.user_presses(ADMIN, choose, button="简体中文")
    await api.wait_for_message(ADMIN_ID, contains="好的")
    # Numbers go as numbers, as JSON has them: the polls confirm updates by their offset.
    offsets = [call.params["offset"] for call in api.calls("getUpdates") if "offset" in call.params]
    assert offsets and all(isinstance(offset, int) for offset in offsets)


async def test_flood_control_delays_but_delivers(api: FakeBotApi, bot: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")
    api.fail_next("sendMessage", 429, retry_after=1, times=2)
    api.user_sends(ADMIN, "/help")
    await api.wait_for_message(ADMIN_ID, contains="Here is what I can do", timeout=15)
    assert [r.status for r in api.calls("sendMessage")][-3:] == [429, 429, 200]


async def test_polling_survives_the_api_being_away(api: FakeBotApi, bot_through_outage: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")
    async with api.offline():
        await asyncio.sleep(3)
    api.user_sends(ADMIN, "/help")
    await api.wait_for_message(ADMIN_ID, contains="Here is what I can do", timeout=40)


async def test_blocked_user_is_marked_unreachable(api: FakeBotApi, bot: BotProcess) -> None:
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome")
    stranger = FakeUser(4004, "Qian", language_code="en")
    api.user_sends(stranger, "/start")
    notice = await api.wait_for_message(ADMIN_ID, contains="Someone asks")
    api.set_blocked(4004)
    api.user_presses(ADMIN, notice, button="Approve as staff member")
    await api.wait_for_message(ADMIN_ID, contains="Qian was approved")
    await api.wait_for_idle()  # the welcome to Qian is refused after the admin's message is edited
    api.user_sends(ADMIN, "/staff")
    await api.wait_for_message(ADMIN_ID, contains="Qian — staff member (unreachable: blocked the bot)")


async def test_registration_survives_a_restart(api: FakeBotApi, framework: str, bot_clock: ShiftedClock,
                                               tmp_path: Path) -> None:
    first = await start_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome, Alice!")
    await stop_bot(first)
    second = await start_bot(api, framework, tmp_path / "data", tmp_path / "bot.log", bot_clock)
    api.user_sends(ADMIN, "/start")
    await api.wait_for_message(ADMIN_ID, contains="Welcome back, Alice!", timeout=30)
    await stop_bot(second)
