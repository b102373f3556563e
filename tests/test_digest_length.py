"""The morning digest fits a phone's screen whatever the mix: a manager with a full day of their own
visits, a dozen awaiting their approval and a backlog of after-visit items reads at most
``MAX_LINES`` lines, their visits first, and each part cut short says how many it left out; the
reception group on a day of many arrivals likewise."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.core.events import Event
from bot.views.digest import MAX_LINES
from tests.support.chat import World
from tests.test_digest import tick
from tests.test_lookups import ADMIN, GROUP, LIN, MANAGER, add_visit, at, hire

# What each cut part ends with, per language: (overdue, today, awaiting, visits)
MORE = {
    "zh_Hans": (r"……还有 (\d+) 项已逾期 — /mytasks", r"……今天还有 (\d+) 项到期，到时逐项提醒",
                r"……还有 (\d+) 个来访待您审批", r"……今天还有 (\d+) 个来访 — /today"),
    "en": (r"… and (\d+) more overdue items — /mytasks", r"… and (\d+) more items due today, each reminded",
           r"… and (\d+) more visits awaiting your approval", r"… and (\d+) more visits today — /today"),
}


def a_crowded_monday(world: World, locale: str) -> None:
    """The manager (in ``locale``) hosts five visits on Monday 23 November and five a fortnight
    before, none of whose after-visit items anyone ticked; Lin asks them to approve twelve more."""
    world.clock.current = at(6, 9)
    hire(world)
    staff = world.dispatcher.services.access.staff
    boss = staff.get(MANAGER)
    assert boss is not None
    staff.save(replace(boss, locale=locale))
    client = world.dispatcher.services.clients.create("华为", by=LIN, now=world.clock.now())
    for day in (9, 10, 11, 12, 13):
        add_visit(world, client.id, "华为", at(day, 10), 2, host=MANAGER)
    for hour in range(5):
        add_visit(world, client.id, "华为", at(23, 9 + 2 * hour), 1, host=MANAGER)
    for day in range(12):
        add_visit(world, client.id, "华为", at(24 + day, 10), 2, host=LIN)


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_a_crowded_morning_fits_a_phone_and_says_how_many_more(world: World, locale: str) -> None:
    a_crowded_monday(world, locale)
    text = tick(world, at(23, 8, 30))[MANAGER]
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES
    overdue, today, awaiting, visits = MORE[locale]
    # The day's own visits come first, all five of them.
    assert sum(1 for line in lines if line.startswith("🕘")) == 5
    assert not re.search(visits, text)
    # The backlog goes first: none of its lines is left, its footer counts all thirty of it.
    assert not any(line.startswith("• 11月") or line.startswith("• Mon") for line in lines)
    found = re.search(overdue, lines[-1])
    assert found is not None and int(found[1]) >= 30
    # Then today's own items, then the approvals: each cut part says how many it left out.
    assert re.search(today, text) or re.search(awaiting, text)
    shown_awaiting = sum(1 for line in lines if line.startswith("#"))
    more_awaiting = re.search(awaiting, text)
    assert shown_awaiting + (int(more_awaiting[1]) if more_awaiting else 0) >= 12


def test_the_reception_group_on_a_day_of_many_arrivals_fits_a_phone(world: World) -> None:
    world.clock.current = at(20, 9)
    hire(world)
    client = world.dispatcher.services.clients.create("华为", by=LIN, now=world.clock.now())
    for hour in range(14):
        add_visit(world, client.id, "华为", at(23, 8, 30) + timedelta(minutes=40 * hour), 1, host=LIN)
    world.deliver(world.dispatcher.handle(Event(world.person(ADMIN).user, GROUP, "group",
                                                text="/register_group")))
    text = tick(world, at(23, 8, 30))[GROUP]
    lines = text.splitlines()
    assert len(lines) <= MAX_LINES
    shown = sum(1 for line in lines if line.startswith("🕘"))
    more = re.search(MORE["zh_Hans"][3], lines[-1])
    assert more is not None and shown + int(more[1]) == 14
