"""What the messenger can do, as its transport declares it: the core asks instead of assuming
Telegram. Feishu's links open the bot's chat but carry no /start payload, it has no command menu,
and a card holds more text than a Telegram message; the console has no link to its chat at all."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.core.capabilities import Capabilities
from bot.core.delivery import Delivery
from bot.core.events import Action, Button
from bot.core.events import Send as SendAction
from bot.transports.common import TELEGRAM
from bot.transports.console import CONSOLE
from bot.transports.feishu_cards import capabilities, card
from tests.fakefeishu.server import MAX_BODY
from tests.support.chat import World

FEISHU = capabilities("cli_a1b2c3")
FEISHU_CHAT = "https://applink.feishu.cn/client/bot/open?appId=cli_a1b2c3"


def on(world: World, caps: Capabilities) -> World:
    """The world's bot as it runs on the messenger ``caps`` describes."""
    world.dispatcher.services.capabilities = caps
    return world


def invitation(world: World) -> str:
    admin = world.person(1, "林").send("/start").send("/invite").press("员工")
    return admin.last.text


def test_on_feishu_an_invitation_is_a_code_to_type_and_the_way_to_the_bots_chat(world: World) -> None:
    text = invitation(on(world, FEISHU))
    code = world.dispatcher.services.access.invites.open_ones(world.clock.now())[0].code
    assert "一次性邀请码" in text and f"发送 /start {code}" in text
    assert f"与我对话的入口：{FEISHU_CHAT}" in text
    assert "t.me" not in text and "链接" not in text
    newcomer = world.person(5, "周").send(f"/start {code}")
    assert "欢迎，周！您已作为员工加入" in newcomer.last.text


def test_on_telegram_an_invitation_is_still_a_link_that_carries_the_code(world: World) -> None:
    text = invitation(on(world, TELEGRAM))
    code = world.dispatcher.services.access.invites.open_ones(world.clock.now())[0].code
    assert f"https://t.me/reception_test_bot?start={code}" in text and "一次性邀请链接" in text


def test_on_the_console_an_invitation_is_only_its_code(world: World) -> None:
    text = invitation(on(world, CONSOLE))
    assert "一次性邀请码" in text and "入口" not in text and "http" not in text


@pytest.mark.parametrize(("caps", "link"), [(TELEGRAM, "https://t.me/reception_test_bot?start=from_group"),
                                            (FEISHU, FEISHU_CHAT), (CONSOLE, None)])
def test_the_way_from_a_group_to_the_private_chat_is_the_messengers_own(world: World, caps: Capabilities,
                                                                          link: str | None) -> None:
    admin = world.person(1, "林").send("/start")
    on(world, caps)
    group = world.group()
    group.send(admin, "/staff")
    assert group.last.text == "🔒 这个请在和我的私聊中使用。"
    urls = [button.url for row in group.last.buttons for button in row]
    assert urls == ([link] if link else [])


def test_no_command_menu_is_set_where_the_messenger_has_none(world: World) -> None:
    on(world, FEISHU)
    world.person(1, "林").send("/start").send("/lang").press("English")
    assert world.menus == []
    on(world, TELEGRAM)
    world.person(1, "林").send("/lang").press("简体中文")
    assert world.menus and world.menus[-1].chat_id == 1


def test_a_backup_larger_than_the_messenger_takes_is_refused_with_its_limit(world: World) -> None:
    admin = world.person(1, "林").send("/start").send("/backup")
    assert len(world.files[1]) == 1  # Telegram's 50 MB: a small database goes
    on(world, replace(FEISHU, max_file_bytes=100))  # a small database is a few hundred bytes
    admin.send("/backup")
    assert "超过本通讯平台允许机器人发送的 0 MB" in admin.last.text
    assert len(world.files[1]) == 1


class Recorder:
    """A messenger that takes every message; what it was given, in order."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def perform(self, action: Action) -> int | None:
        assert isinstance(action, SendAction)
        self.sent.append(action.text)
        return len(self.sent)


@pytest.mark.parametrize(("caps", "parts"), [(TELEGRAM, 2), (FEISHU, 1), (CONSOLE, 1)])
async def test_a_long_message_is_split_at_the_messengers_limit(caps: Capabilities, parts: int) -> None:
    text = "\n".join(f"第 {n} 条备注：客户希望参观生产线并与技术团队交流" for n in range(200))  # 5,000+
    assert TELEGRAM.max_text < len(text) < FEISHU.max_text
    recorder = Recorder()
    await Delivery(recorder, max_text=caps.max_text).deliver([SendAction(1, text)])
    assert len(recorder.sent) == parts and all(len(part) <= caps.max_text for part in recorder.sent)
    assert "\n".join(recorder.sent) == text


def test_a_card_at_feishus_text_limit_stays_within_its_30_kb() -> None:
    """The longest part the core sends to Feishu, in Chinese with line breaks and quotes and under a
    full keyboard, as the request body ``FeishuApi.send`` makes of it."""
    line = "“客户”关心交货周期、售后服务与本地化生产，希望参观总装线。\n"
    text = (line * (FEISHU.max_text // len(line) + 1))[:FEISHU.max_text]
    row = (Button("✅ 确认会议室、展厅与投影设备", "x" * 64), Button("⏰ 明天上午再提醒我", "y" * 64))
    buttons = (row,) * 8
    content = json.dumps(card(text, buttons), ensure_ascii=False)
    body = {"receive_id": "ou_" + "0" * 32, "msg_type": "interactive", "content": content, "uuid": "u" * 40}
    sent = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(sent) <= MAX_BODY["interactive"]
