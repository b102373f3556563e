"""An update that wrote something has its reply's request on its way before its write is made
durable: the write's flush runs on another thread, and started first it held the interpreter, so
every such reply (a Save, a step of a form) came later than a lookup's."""

from __future__ import annotations

import os

import pytest

from bot.core.delivery import Delivery
from bot.core.events import Action, Event
from bot.core.runner import Runner
from tests.support.chat import World


class Recorded:
    """A Telegram that notes when each request was made, in the order of ``moments``."""

    def __init__(self, moments: list[str]) -> None:
        self.moments = moments

    async def perform(self, action: Action) -> int | None:
        self.moments.append(f"request {type(action).__name__}")
        return len(self.moments)


async def test_the_reply_to_a_step_that_wrote_goes_before_its_flush(world: World,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    admin = world.person(1, "Ada")
    admin.send("/start")
    moments: list[str] = []
    real = os.fdatasync

    def noted(fd: int) -> None:
        moments.append("flush")
        real(fd)

    monkeypatch.setattr("bot.storage.wal.os.fdatasync", noted)
    runner = Runner(world.dispatcher)
    runner.delivery = Delivery(Recorded(moments))
    try:
        accepted = await runner.accept(Event(admin.user, admin.id, text="/new"))
        assert "flush" in moments  # durable when accepted
        await accepted.answer
    finally:
        runner.close()
    assert moments.index("request Send") < moments.index("flush"), moments
