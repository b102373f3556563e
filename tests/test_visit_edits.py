"""Changing a saved visit, as a host does from a phone: the times of a reschedule, the list of
visitors (which replaces, never appends, and forgets the contacts a mistaken entry made), and a
visitor typed by how the host addresses them (林經理) rather than by name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.visits import Visit, Visitor
from tests.support.chat import Person, World

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # Monday 7 December, 09:00 in Shanghai


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    created = World(tmp_path / "data")
    created.clock.current = MONDAY_9AM
    yield created
    created.db.close()


def host_of(world: World, language_code: str = "zh-hans") -> Person:
    return world.person(1, "Lin", language_code=language_code).send("/start")


def saved_visit(world: World, *names: tuple[str, str]) -> Visit:
    """Tuesday's visit of 华为 with these visitors, as contacts of the client."""
    services = world.dispatcher.services
    client = services.clients.create("华为", by=1, now=world.clock.now())
    contacts = [services.clients.add_contact(client.id, name, title=title) for name, title in names]
    visit = Visit(0, client.id, client.name, "C", arrival=datetime(2026, 12, 8, 10, 0, tzinfo=SHANGHAI),
                  departure=datetime(2026, 12, 8, 16, 0, tzinfo=SHANGHAI), host=1,
                  created_at=world.clock.now(), created_by=1,
                  visitors=tuple(Visitor(c.id, c.name, c.title, lead=i == 0) for i, c in enumerate(contacts)))
    saved, _ = services.visits.create(visit)
    return saved


def test_a_bare_departure_time_after_a_reschedule_is_on_the_new_day(world: World) -> None:
    host = host_of(world)
    saved_visit(world, ("张伟", "总经理"))
    host.send("/visit 1").press("改期")
    host.send("12月9日 09:30").press("对")
    host.send("11:30")
    assert host.last.text == "我理解为：12月9日 周三 11:30 — 对吗？"
    host.press("对").press("保存")
    visit = world.dispatcher.services.visits.get(1)
    assert visit is not None
    assert visit.departure == datetime(2026, 12, 9, 11, 30, tzinfo=SHANGHAI)
