"""Import progress: with a live transport the progress message is edited as rows are read, checked
and imported, and the report (then the result) replaces it; through the real runner and its threads."""

from __future__ import annotations

import asyncio
import io
import time

import pytest
from openpyxl import Workbook

from bot.core.delivery import Delivery
from bot.core.events import Action, AnswerCallback, Edit, Event, IncomingFile, Send, User
from bot.core.runner import Runner
from bot.handlers import importing
from tests.support.chat import World


def sheet(rows: int) -> bytes:
    book = Workbook()
    page = book.active
    assert page is not None
    page.append(["客户名称", "联系人"])
    for number in range(rows):
        page.append([f"客户{number:05d}", f"联系人{number}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class Telegram:
    """A performer that numbers sent messages and records every action in order."""

    def __init__(self) -> None:
        self.done: list[Action] = []

    async def perform(self, action: Action) -> int | None:
        self.done.append(action)
        if isinstance(action, Send):
            return len(self.done)
        return action.message_id if isinstance(action, Edit) else None


def texts(actions: list[Action]) -> list[str]:
    return [action.text for action in actions if isinstance(action, Send | Edit)]


def test_progress_is_edited_in_place_while_reading_checking_and_importing(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importing, "PROGRESS_SECONDS", 0)  # every step shown, however fast this machine
    runner = Runner(world.dispatcher)
    telegram = Telegram()
    runner.delivery = Delivery(telegram)
    admin = User(1, "林", language_code="zh-hans")
    content = sheet(2500)

    async def chat() -> None:
        await runner.process(Event(admin, 1, text="/start"))
        telegram.done.clear()
        await runner.process(Event(admin, 1, document=IncomingFile("big.xlsx", "", len(content), content)))
        report = telegram.done[-1]
        assert isinstance(report, Edit)
        go = report.buttons[0][0].data
        await runner.process(Event(admin, 1, callback_data=go, callback_id="q1",
                                   message_id=report.message_id))

    try:
        asyncio.run(chat())
    finally:
        runner.close()
    progress_id = 1  # the first message sent after /start: the progress message
    assert isinstance(telegram.done[0], Send)
    assert all(isinstance(a, Edit) and a.message_id == progress_id for a in telegram.done[1:]
               if not isinstance(a, AnswerCallback))
    shown = texts(telegram.done)
    assert shown[:6] == ["⏳ 正在读取 big.xlsx：已读 0 行…", "⏳ 正在读取 big.xlsx：已读 1000 行…",
                         "⏳ 正在读取 big.xlsx：已读 2000 行…", "⏳ 正在检查 big.xlsx：1000/2500 行…",
                         "⏳ 正在检查 big.xlsx：2000/2500 行…", shown[5]]
    assert "可导入 2500 行" in shown[5]
    assert shown[6] == "⏳ 正在导入 big.xlsx：0/2500 行"
    # Then each thousand passed by a slice of the import that is not its last.
    thousands = ["⏳ 正在导入 big.xlsx：1000/2500 行", "⏳ 正在导入 big.xlsx：2000/2500 行"]
    assert shown[7:-1] in (thousands, thousands[:1], thousands[1:], [])
    assert shown[-1] == "✅ 导入完成：新客户 2500 个，新联系人 2500 位。"
    assert len(world.dispatcher.services.clients.clients.all()) == 2500


def test_without_a_live_transport_only_the_report_is_sent(world: World) -> None:
    me = world.person(1, "林").send("/start")
    before = len(me.messages)
    content = sheet(1500)
    upload = IncomingFile("a.xlsx", "", len(content), content)
    world.deliver(world.dispatcher.handle(Event(me.user, me.id, document=upload)))
    assert len(me.messages) == before + 1 and "可导入 1500 行" in me.last.text


def test_progress_edits_are_paced_to_telegrams_limit(world: World) -> None:
    runner = Runner(world.dispatcher)
    telegram = Telegram()
    runner.delivery = Delivery(telegram)
    admin = User(1, "林", language_code="zh-hans")
    content = sheet(3000)

    async def chat() -> None:
        await runner.process(Event(admin, 1, text="/start"))
        telegram.done.clear()
        await runner.process(Event(admin, 1, document=IncomingFile("big.xlsx", "", len(content), content)))

    started = time.monotonic()
    try:
        asyncio.run(chat())
    finally:
        runner.close()
    seconds = time.monotonic() - started
    edits = len(telegram.done) - 1  # after the first message: progress edits, then the report
    assert edits <= 1 + seconds / importing.PROGRESS_SECONDS
    assert "可导入 3000 行" in texts(telegram.done)[-1]
