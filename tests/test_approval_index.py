"""The visits awaiting an approval are read from the visit index, which follows every write of a
visit and is kept across a clean stop: the approver's digest and the reminders read no visit to find
them, an answer takes the visit off at once, and a restart keeps both right. The reminders go out
a visit at a time, between which the core serves whoever types."""

from __future__ import annotations

from datetime import timedelta

from bot.core.slices import Budget, Pieces
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



def test_the_reminders_go_a_visit_a_slice(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    new_visit(host, room="302")
    world.flush_outbox()
    at(world, "2026-11-25 10:00")
    services = world.dispatcher.services
    run = Pieces(services.approval_reminders.pieces(world.clock.now()))
    batches = []
    for _ in range(3):
        with services.db.unit():
            batches.append(run.step(Budget(0)))  # no time to spare: the least a slice may do
    assert [([m.chat_id for m in b.messages], b.more) for b in batches] == [
        ([manager.id, host.id], True), ([manager.id, host.id], True), ([], False)]
    assert ["#1" in b.messages[0].text for b in batches[:2]] == [True, False]
