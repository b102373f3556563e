"""The one outbox every push goes through: a delivery that failed for a passing reason is retried
five minutes later, once delivered a push is gone, someone who blocked the bot is not sent to again
and the admins hear of it once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.core.delivery import Blocked, Delivery
from bot.core.events import Action, Outcome, Send
from bot.core.outbox import RETRY_AFTER, PushState
from bot.core.runner import Runner
from bot.scheduling import send_nudges
from tests.support.chat import World, at
from tests.support.walkthroughs import plan_visit

HOST, ADMIN = 1, 2


@pytest.fixture
def admin_ids() -> frozenset[int]:
    return frozenset({HOST, ADMIN})


def test_a_passing_failure_is_retried_later_and_a_delivered_push_leaves(world: World) -> None:
    outbox = world.dispatcher.services.outbox
    outbox.add([Send(HOST, "one"), Send(ADMIN, "two")], "nudge")
    taken = outbox.take(world.clock.now(), 10)
    assert [p.state for p in taken] == [PushState.SENDING] * 2
    assert outbox.take(world.clock.now(), 10) == []  # never handed over twice
    outbox.settle([(taken[0], Outcome(taken[0].message, delivered=False, error="502")),
                   (taken[1], Outcome(taken[1].message, delivered=True))], world.clock.now())
    assert [p.text for p in outbox.queued()] == ["one"]
    assert outbox.take(world.clock.now() + RETRY_AFTER - timedelta(seconds=1), 10) == []
    again = outbox.take(world.clock.now() + RETRY_AFTER, 10)
    assert [(p.text, p.attempts) for p in again] == [("one", 2)]


class Blocking:
    """A Telegram on which the host has blocked the bot."""

    def __init__(self) -> None:
        self.sent: list[Action] = []

    async def perform(self, action: Action) -> int | None:
        if isinstance(action, Send) and action.chat_id == HOST:
            raise Blocked("bot was blocked by the user")
        self.sent.append(action)
        return len(self.sent)


def test_a_host_who_blocked_the_bot_is_not_sent_to_again_and_the_admin_hears_once(world: World) -> None:
    host = world.person(HOST, "Lin", language_code="zh-hans").send("/start")
    world.person(ADMIN, "Wang", language_code="en").send("/start")
    plan_visit(host)
    plan_visit(host, arrival="周五上午10点", departure="周五下午4点")
    at(world, "2026-11-25 10:00")
    telegram = Blocking()
    runner = Runner(world.dispatcher)
    runner.delivery = Delivery(telegram)
    try:
        asyncio.run(send_nudges(runner))  # the host's nudges fail: blocked
        asyncio.run(runner.send_outbox())  # the notice to the admin
        notices = [a for a in telegram.sent if isinstance(a, Send) and "blocked" in a.text]
        assert len(notices) == 1 and notices[0].chat_id == ADMIN and "Lin" in notices[0].text
        at(world, "2026-11-26 09:30")
        asyncio.run(send_nudges(runner))
        assert world.dispatcher.services.outbox.queued() == []  # nothing queued for someone unreachable
    finally:
        runner.close()
    assert not any(isinstance(a, Send) and a.chat_id == HOST for a in telegram.sent)
