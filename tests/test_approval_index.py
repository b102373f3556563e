"""The visits awaiting an approval are read from the visit index, which follows every write of a
visit and is kept across a clean stop: the approver's digest and the reminders read no visit to find
them, an answer takes the visit off at once, and a restart keeps both right."""

from __future__ import annotations

from datetime import timedelta

from tests.support.chat import World, at
from tests.test_approval_reminders import digests, remind
from tests.test_kept_indexes import decoded_chunks
from tests.visit_chat import company, new_visit

DAY = timedelta(days=1)
LINE = "#1 华为 · arriving Thu 26 Nov 10:00"


def test_the_digest_finds_the_waiting_visits_without_reading_any(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)  # Monday 09:00, for Thursday at 10:00
    world.flush_outbox()
    world.restart()  # the index kept at the stop is read back, no visit decoded
    assert LINE in digests(world, "2026-11-24 08:30")[manager.id]
    assert decoded_chunks(world, "visits") == 0
    assert remind(world, "2026-11-24 10:00") == 0  # not due yet: still no visit read
    assert decoded_chunks(world, "visits") == 0
    assert remind(world, "2026-11-25 10:00") == 2  # due: the approver and the host
    assert "Still awaiting your approval" in manager.last.text


def test_an_answer_takes_the_visit_off_the_waiting_list_and_a_restart_keeps_it_off(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    at(world, "2026-11-24 08:00")
    approval = world.dispatcher.services.approval
    assert [(w.number, w.step) for w in approval.waiting(world.clock.now(), world.clock.now() + 7 * DAY)] \
        == [(1, "manager")]
    manager.press("Send back", message=manager.last).send("Six guests: a larger room, please.")
    assert approval.waiting(world.clock.now(), world.clock.now() + 7 * DAY) == []
    world.restart()
    assert LINE not in digests(world, "2026-11-24 08:30").get(manager.id, "")
    world.flush_outbox()
    assert remind(world, "2026-11-25 10:00") == 0  # sent back: nobody is reminded

