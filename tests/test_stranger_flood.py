"""A flood of strangers must not hold up staff (issue 17: 900 messages from 60 ids delayed a staff
``/today`` from 0.22 s to 29 s). The updates reach the runner as the polling loop hands them over,
faster than Telegram's limits let replies out (on virtual time, ``tests.test_ratelimit``, which
stands still until the whole flood is in): each stranger is answered once, the admin hears of three,
and the staff reply does not queue behind the strangers' refusals."""

from __future__ import annotations

import asyncio
import time

from bot.core.delivery import Delivery
from bot.core.events import Event, Outcome, Send, User
from bot.core.ratelimit import RateLimiter
from bot.core.runner import Runner
from tests.support.chat import World
from tests.test_ratelimit import Telegram, VirtualTimer

ADMIN = User(1, "Lin", language_code="en")
STRANGERS = [User(500_000 + n, f"S{n}", language_code="en") for n in range(60)]
ROUNDS = 15  # 60 x 15 = 900 messages


class HeldTimer(VirtualTimer):
    """Virtual time that stands still until ``go``: the flood is all in before a second passes."""

    def __init__(self) -> None:
        super().__init__()
        self.go = asyncio.Event()

    async def wait(self, event: asyncio.Event, seconds: float) -> None:
        await self.go.wait()
        await super().wait(event, seconds)


def flood() -> list[Event]:
    return [Event(s, s.id, text="/start" if round_ == 0 else f"hello {round_}")
            for round_ in range(ROUNDS) for s in STRANGERS]


async def test_a_flood_of_strangers_does_not_hold_up_a_staff_reply(world: World) -> None:
    world.person(ADMIN.id, "Lin", language_code="en").send("/start")
    timer = HeldTimer()
    telegram = Telegram(timer)
    runner = Runner(world.dispatcher)
    runner.delivery = Delivery(telegram, limiter=RateLimiter(timer=timer))
    replies: list[asyncio.Task[list[Outcome]]] = []
    try:
        for event in [*flood(), Event(ADMIN, ADMIN.id, text="/today")]:
            replies.append((await runner.accept(event)).answer)
        timer.go.set()
        await asyncio.wait_for(asyncio.gather(*replies), 30)
    finally:
        runner.close()
    sent = [(at, action) for at, action in telegram.sent if isinstance(action, Send)]
    today_at, today_index = next((at, n) for n, (at, action) in enumerate(sent)
                                 if action.chat_id == ADMIN.id and "today" in action.text.lower())
    to_strangers = [action for _, action in sent if action.chat_id >= 500_000]
    notices = [action for _, action in sent if action.chat_id == ADMIN.id and "Someone asks" in action.text]
    print(f"\n900 stranger messages from 60 ids, then a staff /today: its reply went out after "
          f"{today_at:.2f} s of Telegram's limits, {today_index} messages before it; "
          f"{len(to_strangers)} replies to strangers in all (the last at {sent[-1][0]:.2f} s), "
          f"{len(notices)} notices to the admin")
    assert len(to_strangers) == len(STRANGERS)  # one refusal each, to the first message
    assert len(notices) == 3
    assert today_index <= 2  # only what the first burst let out at once: it queues behind none


def test_the_core_handles_a_stranger_flood_with_one_write_per_stranger(world: World) -> None:
    # The times are printed, not asserted: the machine is shared.
    world.person(ADMIN.id, "Lin", language_code="en").send("/start")
    handle = world.dispatcher.handle
    log = world.data_dir / "wal.log"
    started = time.perf_counter()
    for event in flood()[:len(STRANGERS)]:
        handle(event)
    first = time.perf_counter() - started
    written = log.stat().st_size
    started = time.perf_counter()
    for event in flood()[len(STRANGERS):]:
        assert handle(event) == []  # nothing to send
    later = time.perf_counter() - started
    assert log.stat().st_size == written  # and nothing written
    started = time.perf_counter()
    world.person(ADMIN.id).send("/today")
    print(f"\nthe core: 60 first messages {first * 1000:.0f} ms, the 840 later ones {later * 1000:.0f} ms "
          f"({later / 840 * 1e6:.0f} µs each), then /today {(time.perf_counter() - started) * 1000:.1f} ms")
