"""The morning greetings digest through the chat: festivals (Mid-Autumn, Thanksgiving), a birthday
and a founding anniversary, drafted per contact in the contact's language; once per person and
occasion, across restarts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.bootstrap import Services
from bot.core.delivery import Delivery
from bot.core.events import Action
from bot.core.runner import Runner
from bot.domain.clients import NO_YEAR, Client, ImportantDate
from bot.scheduling import send_relationship
from tests.support.chat import Person, World

DIGEST_TIME = datetime(2026, 9, 22, 0, 30, tzinfo=UTC)  # 08:30 in Shanghai, 3 days before Mid-Autumn


def services(world: World) -> Services:
    return world.dispatcher.services


def tick(world: World) -> int:
    messages = [due.message for due in services(world).relationship.due_messages(world.clock.now())]
    world.deliver(list(messages))
    return len(messages)


def two_clients(world: World, manager: int = 1) -> tuple[Client, Client]:
    """华为 (China) with 张伟, whose birthday is the 24th; Acme (USA) with David Lee, founded 2006."""
    clients = services(world).clients
    now = world.clock.now()
    huawei = clients.create("华为", country="CN", default_class="D", by=1, now=now, account_manager=manager)
    clients.add_contact(huawei.id, "张伟", title="总经理", language="zh_Hans", birthday=date(NO_YEAR, 9, 24))
    acme = clients.create("Acme", country="US", default_class="D", by=1, now=now, account_manager=manager)
    clients.add_contact(acme.id, "David Lee", title="CTO", language="en")
    clients.add_date(acme.id, ImportantDate("Founding", date(2006, 9, 23), "founding"))
    return huawei, acme


def lin(world: World, language: str = "zh-hans") -> Person:
    return world.person(1, "林", language_code=language).send("/start")


def test_mid_autumn_digest_with_drafts_in_each_contact_s_language(world: World) -> None:
    world.clock.current = DIGEST_TIME - timedelta(minutes=1)
    me = lin(world)
    two_clients(world)
    assert tick(world) == 0  # 08:29
    world.clock.current = DIGEST_TIME
    assert tick(world) == 1
    text = me.last.text
    assert text.startswith("🎉 待发送的祝福：您的客户未来 3 天内的节日和纪念日。")
    assert "🏮 中秋节 · 9月25日 周五" in text
    assert "华为 · 张总\n💬 张总，中秋节快乐！感谢一直以来的支持与信任。" in text
    assert "Acme · David Lee (CTO)\n💬 Dear David Lee (CTO), happy Mid-Autumn Festival!" in text
    assert "🎂 生日 · 9月24日 周四" in text
    assert "💬 张总，生日快乐！" in text
    assert "🎊 Acme：Founding 20 周年 · 9月23日 周三" in text
    assert "💬 Dear David Lee (CTO), congratulations to you and the whole company on 20 years since its " \
           "founding!" in text
    # By day: the anniversary (23rd), the birthday (24th), then Mid-Autumn (25th).
    assert text.index("Founding") < text.index("生日") < text.index("中秋节")


def test_thanksgiving_for_the_american_client_only_in_english(world: World) -> None:
    me = lin(world, "en")  # the test clock: Monday 23 November, 09:00
    two_clients(world)
    assert tick(world) == 1
    text = me.last.text
    assert text.startswith("🎉 Greetings to send: your clients' festivals and anniversaries in the next 3")
    assert "🏮 Thanksgiving · Thu 26 Nov" in text
    assert "Dear David Lee (CTO), happy Thanksgiving from all of us!" in text
    assert "华为" not in text


def test_a_restart_between_two_ticks_does_not_repeat_the_digest(world: World) -> None:
    world.clock.current = DIGEST_TIME
    me = lin(world)
    two_clients(world)
    assert tick(world) == 1
    world.restart()
    assert tick(world) == 0
    for _ in range(5):  # the same occasions stay in the window for days: listed once only
        world.clock.advance(timedelta(days=1))
        assert tick(world) == 0
        world.restart()
    world.clock.advance(timedelta(days=1))  # 28 September: National Day is 3 days ahead
    assert tick(world) == 1
    assert "🏮 国庆节 · 10月1日 周四" in me.last.text
    assert "张总，国庆节快乐！" in me.last.text
    assert "Acme" not in me.last.text  # China's National Day is not the American client's


def test_a_contact_added_late_still_gets_a_greeting(world: World) -> None:
    world.clock.current = DIGEST_TIME
    me = lin(world)
    huawei, _ = two_clients(world)
    tick(world)
    services(world).clients.add_contact(huawei.id, "李娜", title="采购经理", language="zh_Hant")
    world.clock.advance(timedelta(days=1))
    assert tick(world) == 1
    assert "華為" not in me.last.text and "华为 · 李经理\n💬 李經理，中秋節快樂！" in me.last.text
    assert "张总" not in me.last.text


def test_each_owner_gets_one_digest_with_their_own_clients(world: World) -> None:
    world.clock.current = DIGEST_TIME
    me = lin(world)
    colleague = world.person(2, "Ma", language_code="en").send("/start")
    me.press("批准为员工")
    two_clients(world, manager=2)
    clients = services(world).clients
    own = clients.create("腾讯", country="CN", default_class="D", by=1, now=DIGEST_TIME, account_manager=1)
    clients.add_contact(own.id, "马化腾", title="董事长", language="zh_Hans")
    assert tick(world) == 2
    assert "腾讯 · 马总" in me.last.text and "Acme" not in me.last.text
    assert "🏮 Mid-Autumn Festival · Fri 25 Sep" in colleague.last.text
    assert "腾讯" not in colleague.last.text


class Telegram:
    """Records what the runner hands over for sending."""

    def __init__(self) -> None:
        self.sent: list[Action] = []

    async def perform(self, action: Action) -> int | None:
        self.sent.append(action)
        return len(self.sent)


async def test_the_scheduler_s_runner_sends_the_digest_once(world: World) -> None:
    world.clock.current = DIGEST_TIME
    lin(world)
    two_clients(world)
    runner, telegram = Runner(world.dispatcher), Telegram()
    runner.delivery = Delivery(telegram)
    try:
        assert await send_relationship(runner) == 1
        assert await send_relationship(runner) == 0
    finally:
        runner.close()
    assert len(telegram.sent) == 1 and "中秋节" in getattr(telegram.sent[0], "text", "")
