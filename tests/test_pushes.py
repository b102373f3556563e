"""What a handler tells others (``Context.push``: the team hears a visit was cancelled) is queued in
the outbox in the update's own write and leaves through the outbox's sender once the reply was
handed over: never before the reply, even if the sender runs meanwhile, and once."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.delivery import Delivery
from bot.core.events import Action, Edit, Event, Send
from bot.core.runner import Runner
from tests.support.chat import World
from tests.visit_chat import company, new_visit


class Gated:
    """A Telegram that keeps one chat's messages waiting until ``gate`` is set."""

    def __init__(self, chat_id: int) -> None:
        self.chat_id = chat_id
        self.gate = asyncio.Event()
        self.sent: list[Action] = []

    async def perform(self, action: Action) -> int | None:
        if getattr(action, "chat_id", None) == self.chat_id:
            await self.gate.wait()
        self.sent.append(action)
        return len(self.sent)


async def test_the_team_hears_of_a_cancellation_after_its_reply_and_once(world: World) -> None:
    people = company(world)
    host, manager, office = people["林晓"], people["Maria Chen"], people["周敏"]
    new_visit(host)
    manager.send("/visit 1").press("Cancel visit").send("客户行程有变")
    card = manager.last
    telegram = Gated(manager.id)
    runner = Runner(world.dispatcher)
    runner.delivery = Delivery(telegram)
    outbox = world.dispatcher.services.outbox
    try:
        save = Event(manager.user, manager.id, callback_data=card.button("Save").data,
                     callback_id="cb-save", message_id=card.message_id)
        accepted = await runner.accept(save)
        # Written with the cancellation, before anything reached Telegram.
        waiting = [p.text for p in outbox.queued() if p.chat_id == office.id]
        assert waiting == ["❌ Maria Chen 取消了来访 #1（华为，11月26日 周四 10:00）。原因：客户行程有变"]
        assert await runner.send_outbox() == 0  # the scheduler's run meanwhile: the reply goes first
        telegram.gate.set()
        await asyncio.wait_for(accepted.answer, 10)
    finally:
        runner.close()
    shown = [a for a in telegram.sent if isinstance(a, Send | Edit)]
    to_office = [n for n, a in enumerate(shown) if a.chat_id == office.id]
    reply = next(n for n, a in enumerate(shown) if a.chat_id == manager.id and "Cancelled" in a.text)
    assert len(to_office) == 1 and reply < to_office[0]
    assert outbox.queued() == []


def test_pushes_held_for_a_reply_leave_once_let_go_and_a_failed_turn_holds_nothing(world: World) -> None:
    outbox, now = world.dispatcher.services.outbox, world.clock.now()
    with outbox.holding() as held:
        outbox.add([Send(2, "notice")], "notice")
    assert outbox.take(now, 10) == []  # its reply is not out yet
    outbox.let_go(held)
    assert [p.text for p in outbox.take(now, 10)] == ["notice"]
    with pytest.raises(RuntimeError), outbox.holding():
        outbox.add([Send(2, "of a turn that failed")], "notice")
        raise RuntimeError("the handler failed past the dispatcher")
    assert [p.text for p in outbox.take(now, 10)] == ["of a turn that failed"]
