"""Clashes, through the core: a meeting room another visit has at an overlapping time is named on
the review card and after saving, with a button straight to the room question; a driver already
out for another pickup is named when a visit is moved onto it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.visits import Travel, Visit, Visitor
from tests.support.chat import World
from tests.visit_chat import HOST, OFFICE, company, new_visit

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    created = World(tmp_path / "data")
    yield created
    created.db.close()


def test_a_room_taken_at_an_overlapping_time_is_named_and_can_be_changed(world: World) -> None:
    host = company(world)["林晓"]
    new_visit(host, room="3楼大会议室")  # Thursday 10:00-16:00
    new_visit(host, arrival="周四下午2点", departure="周四下午5点", room="3楼 大会议室", save=False)
    review = host.last.text
    assert "⚠️ 会议室「3楼大会议室」此时已被来访 #1（华为，11月26日 周四 10:00–16:00）占用。" in review
    assert "点击「✏️ 会议室」可更换。" in review
    host.press("保存")
    warning = host.last
    assert warning.text == "⚠️ 会议室「3楼大会议室」此时已被来访 #1（华为，11月26日 周四 10:00–16:00）占用。"
    host.press("✏️ 更换会议室", message=warning)
    assert "会议室？" in host.last.text  # the room question of visit #2, at once
    host.send("5楼小会议室").press("保存")
    assert "⚠️" not in host.last.text and "5楼小会议室" in host.last.text
    new_visit(host, arrival="周四下午4点", departure="周四下午6点", room="3楼大会议室", save=False)
    assert "占用" not in host.last.text  # free again as visit #1 leaves at 16:00


def test_moving_a_visit_onto_its_drivers_other_pickup_is_named(world: World) -> None:
    manager = company(world)["Maria Chen"]  # a department head may move any visit; reads English
    services = world.dispatcher.services
    now = world.clock.now()
    zhang = services.clients.add_contact(1, "张伟", title="总经理")

    def picked_up(day: int, room: str) -> None:
        arrival = datetime(2026, 11, day, 10, 0, tzinfo=SHANGHAI)
        services.visits.create(Visit(
            0, 1, "华为", "C", arrival, arrival.replace(hour=16), HOST, now, HOST, room=room,
            visitors=(Visitor(zhang.id, "张伟", "总经理", lead=True),),
            travel=Travel("flight", "CA1234", "浦东机场", arrival.replace(hour=8, minute=15), pickup=True,
                          driver=OFFICE)))

    picked_up(26, "301")  # Thursday: 周敏 leaves for the airport at 06:45, back at 10:00
    picked_up(27, "302")  # Friday, another room
    manager.send("/visit 2").press("Reschedule")
    manager.send("Thursday 10:30").press("Correct").send("Thursday 4pm").press("Correct").press("Save")
    warning = manager.last
    assert warning.text == "⚠️ 周敏 is driving for visit #1 (华为) then: pickup Thu 26 Nov 06:45–10:00."
    reschedule_free = manager.send("/visit 2").press("Reschedule")
    reschedule_free.send("Thursday 2pm").press("Correct").send("Thursday 4pm").press("Correct").press("Save")
    assert "driving" not in manager.last.text  # the flight now lands at 12:15: the driver leaves at 10:45
