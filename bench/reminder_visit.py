"""One class A visit with everything on the arrangement form ticked: how many messages it costs.

A small company (a host, two team members, a driver, the office, the reception desk, two
executives and the host's manager) saves the visit nine days ahead: executives (president, general
manager, vice president), a flight met at the airport the evening before, a hotel night, meals, a
tour, a projector, a banner and name cards. The bot's clock then runs minute by minute from the
moment it is saved to ten days after the guests leave, calling what the scheduler calls
(``NudgeSender.due_messages`` every minute, the escalations every ten), with nobody pressing
anything (``ticking=False``) or everybody pressing Done on each item within ten minutes
(``ticking=True``). Every message is counted, per recipient.

It uses only interfaces that exist before and after the reminder rules of issue 16 (commit
c14ed66), so the same scenario measures both: ``bench.reminders`` runs this file in a fresh process
once with this tree's ``bot`` and once with the previous commit's, extracted with ``git archive``.

``python bench/reminder_visit.py`` prints the figures as JSON for whichever ``bot`` is importable
(``PYTHONPATH``).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot import bootstrap
from bot.clock import FixedClock
from bot.core.events import Event, Send, User
from bot.domain.staff import Duty, Role, Staff
from bot.domain.visits import Lodging, Meals, Travel, Visit
from bot.services.dispatch import NudgeSender
from bot.settings import load_settings
from bot.storage import Database

TZ = ZoneInfo("Asia/Shanghai")
SAVED = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)  # Monday
ARRIVAL = datetime(2026, 12, 2, 9, 30, tzinfo=TZ)  # Wednesday of the week after
DEPARTURE = datetime(2026, 12, 2, 17, 0, tzinfo=TZ)
AFTER = timedelta(days=10)
ESCALATE_EVERY = 10  # minutes, as the scheduler (bot/scheduling.py)
TICK_WITHIN = timedelta(minutes=10)
# (user id, name, role, duties); the host is 101, his manager 109.
HOST, MANAGER = 101, 109
TEAM, DRIVER = (102, 103), 104
PEOPLE: tuple[tuple[int, str, Role, tuple[Duty, ...]], ...] = (
    (HOST, "王强", Role.STAFF, ()),
    (102, "李娜", Role.STAFF, ()),
    (103, "张伟", Role.STAFF, ()),
    (DRIVER, "刘洋", Role.STAFF, ()),
    (105, "陈静", Role.STAFF, (Duty.OFFICE,)),
    (106, "杨丽", Role.STAFF, (Duty.RECEPTION,)),
    (107, "赵总", Role.MANAGER, (Duty.EXECUTIVE,)),
    (108, "周总", Role.MANAGER, (Duty.EXECUTIVE,)),
    (MANAGER, "吴经理", Role.MANAGER, ()),
)


def the_visit(client_id: int, client_name: str) -> Visit:
    """Class A, every option of the arrangement form ticked."""
    return Visit(
        0, client_id, client_name, "A", ARRIVAL, DEPARTURE, HOST, SAVED, HOST,
        purposes=("negotiation", "production"),
        team=TEAM,
        executives=("president", "general_manager", "vice_president"),
        travel=Travel("flight", "CA1234", "首都机场", ARRIVAL - timedelta(hours=15), pickup=True,
                      driver=DRIVER),
        room="3楼大会议室",
        projector=True,
        tour=("生产车间 14:00",),
        lodging=Lodging("香格里拉酒店", ARRIVAL - timedelta(hours=13), DEPARTURE + timedelta(hours=16),
                        payer="company"),
        meals=Meals(6, "12:00", "不吃辣"),
        gifts="茶叶",
        banner="热烈欢迎华信科技莅临我司考察指导工作",
        photo=True,
        name_cards=True,
        budget=(("meal", 140.0),),
    )


def run(ticking: bool = False) -> dict[str, Any]:
    """The visit's life from its saving to ten days after; the messages it cost."""
    with tempfile.TemporaryDirectory(prefix="bench-visit-") as scratch:
        data_dir = Path(scratch) / "data"
        settings = load_settings(BOT_DATA_DIR=data_dir, BOT_ADMIN_IDS="", TELEGRAM_BOT_TOKEN="")
        clock = FixedClock(SAVED)
        db = Database.open(data_dir)
        try:
            dispatcher = bootstrap.build(settings, clock, db)
            return _live(dispatcher, clock, ticking)
        finally:
            db.close()


def _live(dispatcher: Any, clock: FixedClock, ticking: bool) -> dict[str, Any]:
    """The scenario on a built ``dispatcher`` (typed loosely: it may come from another commit's tree)."""
    services = dispatcher.services
    joined = SAVED - timedelta(days=400)
    with services.db.unit():
        for user_id, name, role, duties in PEOPLE:
            services.access.staff.save(Staff(user_id, name, role, joined, locale="zh_Hans",
                                             language_code="zh-hans", duties=duties,
                                             manager_id=MANAGER if role is Role.STAFF else None))
        client = services.clients.create("华信科技有限公司", by=HOST, now=joined, default_class="A")
        visit, _ = services.visits.create(the_visit(client.id, client.name))
    sender = NudgeSender(services)
    nudges: Counter[int] = Counter()
    escalations: Counter[int] = Counter()
    presses: list[tuple[datetime, int, str]] = []  # (when, who, callback data)
    minute = 0
    while clock.now() < DEPARTURE + AFTER:
        clock.advance(timedelta(minutes=1))
        minute += 1
        now = clock.now()
        for when, who, data in [p for p in presses if p[0] <= now]:
            presses.remove((when, who, data))
            dispatcher.handle(Event(User(who, language_code="zh-hans"), who, callback_data=data,
                                    callback_id="cb", message_id=1))
        with services.db.unit():
            outgoing = sender.due_messages()
        for item in outgoing:
            message = item.message
            assert isinstance(message, Send)
            nudges[message.chat_id] += 1
            if ticking:
                presses += [(now + TICK_WITHIN, message.chat_id, button.data)
                            for row in message.buttons for button in row
                            if button.data.lower().startswith("nud:d:")]
        if minute % ESCALATE_EVERY == 0:
            with services.db.unit():
                escalations.update(e.message.chat_id for e in services.escalations.due_messages(now))
    items = services.nudges.for_visit(visit.id)
    return {
        "items": len(items),
        "nudge_messages": sum(nudges.values()),
        "escalation_messages": sum(escalations.values()),
        "messages": sum(nudges.values()) + sum(escalations.values()),
        "per_person": {str(user_id): nudges[user_id] + escalations[user_id]
                       for user_id, *_ in PEOPLE if nudges[user_id] + escalations[user_id]},
    }


def main() -> int:
    print(json.dumps({"untouched": run(ticking=False), "ticked_done": run(ticking=True)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
