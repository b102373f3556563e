"""The burst: 10,000 nudges due at once, sent at the highest rate Telegram allows, none lost or repeated.

A data directory gets 500 staff members, one visit each (arriving within the hour, so quiet hours
hold nothing back) and 20 nudges per visit for its host, all due a minute ago: 10,000 messages to
500 private chats. The real bot process (``python -m bot``, aiogram or python-telegram-bot,
started as the end-to-end tests start it) then finds them due at start and sends them through the
real ``NudgeSender``, ``Delivery`` and rate limiter to the fake Bot API server (``tests.fakeapi``)
on 127.0.0.1, which answers 429 (``retry_after`` 1-3 s) to one request every few seconds.
Meanwhile a few of those staff members type ``/today``: their replies must not wait for the burst.

Figures, all from the server's log of requests: messages per second overall (delivered, from the
first request to the last delivery), the most requests in any one second overall and to one chat
(the limits: about 30, and about 1 with short bursts), nudges lost and repeated (each nudge's Done
button names it), 429s injected, and the reply latency during the burst. After the bot stops, the
database must hold every nudge as sent.

``python -m bench.burst [--nudges N] [--chats N] [--framework aiogram|ptb]...`` prints JSON (both
frameworks unless one is named: some six minutes each at 10,000 nudges).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import sys
import tempfile
import time
from bisect import bisect_left
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.e2e import FRAMEWORKS, start_our_bot
from bot import bootstrap
from bot.clock import SystemClock
from bot.domain.nudges import Nudge, NudgeState
from bot.domain.staff import Role, Staff
from bot.domain.visits import Visit
from bot.settings import load_settings
from bot.storage import Database
from bot.views.nudges import done_nudge
from tests.e2e.conftest import stop_bot
from tests.fakeapi import FakeBotApi, FakeUser
from tests.fakeapi.models import ApiRequest

FIRST_STAFF = 20_001
# One 429 every this many seconds, waiting 1-3 s.
INJECT_EVERY = 5.0
# Staff members who type /today during the burst, and how far apart.
TYPISTS = 5
TYPING_EVERY = 15.0


def run(nudges: int = 10_000, chats: int = 500, frameworks: tuple[str, ...] = FRAMEWORKS,
        quick: bool = False) -> dict[str, Any]:
    """One burst per framework (quick: 3,000 nudges to 150 chats, aiogram only); the figures."""
    if quick:
        nudges, chats, frameworks = 3_000, 150, FRAMEWORKS[:1]
    return {"nudges": nudges, "chats": chats,
            "frameworks": {framework: burst(nudges, chats, framework) for framework in frameworks}}


def burst(nudges: int, chats: int, framework: str) -> dict[str, Any]:
    """Seeds, sends and measures one burst through ``framework``."""
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as scratch:
        data_dir = Path(scratch) / "data"
        expected = seed(data_dir, nudges, chats)
        # The server runs in this process and stamps each request when it arrives: a collection of
        # this process's garbage must not hold requests back and then stamp them all at once.
        gc.collect()
        gc.disable()
        try:
            figures = asyncio.run(_burst(data_dir, Path(scratch) / "bot.log", expected, framework))
        finally:
            gc.enable()
        figures["database_all_sent"] = _all_sent(data_dir, expected)
    return figures


def seed(data_dir: Path, nudges: int, chats: int) -> set[str]:
    """Staff, visits and due nudges as the bot would have stored them; returns the nudge ids."""
    settings = load_settings(BOT_DATA_DIR=data_dir, TELEGRAM_BOT_TOKEN="")
    now = datetime.now(UTC)
    with Database.open(data_dir) as db:
        services = bootstrap.build(settings, SystemClock(), db).services
        joined = now - timedelta(days=400)
        staff = [Staff(FIRST_STAFF + n, f"员工{n}", Role.STAFF, joined, locale="zh_Hans")
                 for n in range(chats)]
        services.access.staff.insert_many(staff)
        arrival = (now + timedelta(minutes=60)).replace(second=0, microsecond=0)
        # One due item per visit, so that each is a message of its own (items of one visit due
        # together go out as one message): ``nudges`` visits, hosted round the ``chats`` people.
        visits = [Visit(n + 1, n + 1, f"客户{n + 1}", "C", arrival, arrival + timedelta(hours=3),
                        staff[n % chats].user_id, now - timedelta(days=3), staff[n % chats].user_id,
                        room="301")
                  for n in range(nudges)]
        services.visits.visits.insert_many(visits)
        timeline = services.policy.timeline
        due = now - timedelta(minutes=1)
        records = [Nudge(f"visit:{visit.id}:{item.id}", due, visit.id, item.id, item.key, ("host",))
                   for visit, item in ((v, timeline[v.id % len(timeline)]) for v in visits)]
        services.nudges.nudges.save_all(records)
    return {record.id for record in records}


async def _burst(data_dir: Path, log: Path, expected: set[str], framework: str) -> dict[str, Any]:
    async with FakeBotApi() as api:
        bot = await start_our_bot(api, framework, data_dir, log)
        injected = 0
        latencies: list[float] = []
        typists = [FakeUser(FIRST_STAFF + n * 7, f"员工{n * 7}", language_code="zh-hans")
                   for n in range(TYPISTS)]
        next_429, next_typing = time.monotonic() + 2, time.monotonic() + TYPING_EVERY
        deadline = time.monotonic() + len(expected) / 20 + 300
        tally = _Tally(api)
        try:
            while tally.delivered() < len(expected) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
                if time.monotonic() >= next_429:
                    api.fail_next("sendMessage", 429, retry_after=random.choice([1, 2, 3]))
                    injected += 1
                    next_429 += INJECT_EVERY
                if typists and time.monotonic() >= next_typing:
                    latencies.append(await _reply_latency(api, typists.pop()))
                    next_typing += TYPING_EVERY
            await api.wait_for_idle(quiet=3.0, timeout=60)  # a late duplicate would show here
        finally:
            api.clear_failures()
            await stop_bot(bot)
    return _figures(api, expected, injected, latencies)


async def _reply_latency(api: FakeBotApi, user: FakeUser) -> float:
    """Seconds from a typed /today to its answer, the burst going on around it. The server's log
    is read from where it stood, never scanned whole: the bench must not slow the server down."""
    seen = len(api.requests)
    available = time.time()
    api.user_sends(user, "/today")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for call in api.requests[seen:]:
            if (call.name == "sendmessage" and call.params.get("chat_id") == user.id
                    and call.status == 200 and _nudge_of(call) is None):
                return call.time - available
        await asyncio.sleep(0.005)
    raise AssertionError(f"no answer to /today from {user.id} within two minutes")


class _Tally:
    """Counts the nudges delivered, looking at each logged request once."""

    def __init__(self, api: FakeBotApi) -> None:
        self._api = api
        self._seen = 0
        self._delivered = 0

    def delivered(self) -> int:
        requests = self._api.requests
        while self._seen < len(requests):
            call = requests[self._seen]
            if call.status is None and call.name != "getupdates":
                break  # still being answered
            self._seen += 1
            if call.name == "sendmessage" and call.status == 200 and _nudge_of(call):
                self._delivered += 1
        return self._delivered


def _nudge_of(call: ApiRequest) -> str | None:
    markup = call.params.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            nudge = done_nudge(str(button.get("callback_data", "")))
            if nudge is not None:
                return nudge
    return None


def _figures(api: FakeBotApi, expected: set[str], injected: int, latencies: list[float]) -> dict[str, Any]:
    sends = [call for call in api.calls("sendMessage") if call.status is not None]
    delivered = Counter(nudge for call in sends if call.status == 200 and (nudge := _nudge_of(call)))
    nudge_sends = [call for call in sends if _nudge_of(call)]
    first = min(call.time for call in nudge_sends)
    last = max(call.time for call in nudge_sends if call.status == 200)
    by_chat: dict[int, list[float]] = defaultdict(list)
    for call in sends:
        by_chat[int(call.params["chat_id"])].append(call.time)
    return {
        "messages_per_second": round(sum(delivered.values()) / (last - first), 2),
        "seconds": round(last - first, 1),
        "max_in_any_second_overall": _most_in_window([call.time for call in sends], 1.0),
        "seconds_over_30": _seconds_over([call.time for call in sends], 30),
        "max_in_any_second_one_chat": max(_most_in_window(times, 1.0) for times in by_chat.values()),
        "max_in_any_minute_one_chat": max(_most_in_window(times, 60.0) for times in by_chat.values()),
        "lost": len(expected - set(delivered)),
        "repeated": sum(count - 1 for count in delivered.values()),
        "injected_429": injected,
        "answered_429": sum(1 for call in sends if call.status == 429),
        "reply_during_burst_ms": [round(seconds * 1000, 1) for seconds in latencies],
    }


def _seconds_over(times: list[float], limit: int) -> dict[str, int]:
    """Clock seconds (as a counter that resets each second would see them) with more than
    ``limit`` requests, out of all the seconds of the burst."""
    per_second = Counter(int(at) for at in times)
    return {"over": sum(1 for count in per_second.values() if count > limit), "of": len(per_second),
            "most": max(per_second.values(), default=0)}


def _most_in_window(times: list[float], seconds: float) -> int:
    ordered = sorted(times)
    ends = (bisect_left(ordered, start + seconds) for start in ordered)
    return max((end - index for index, end in enumerate(ends)), default=0)


def _all_sent(data_dir: Path, expected: set[str]) -> bool:
    settings = load_settings(BOT_DATA_DIR=data_dir, TELEGRAM_BOT_TOKEN="")
    with Database.open(data_dir) as db:
        repo = bootstrap.build(settings, SystemClock(), db).services.nudges.nudges
        return all((nudge := repo.get(nudge_id)) is not None and nudge.state is NudgeState.SENT
                   for nudge_id in expected)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nudges", type=int, default=10_000)
    parser.add_argument("--chats", type=int, default=500)
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append")
    args = parser.parse_args(argv)
    result = run(args.nudges, args.chats, tuple(args.framework or FRAMEWORKS))
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
