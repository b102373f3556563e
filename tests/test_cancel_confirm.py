"""Cancel pressed by mistake in a long form, then ignored: a later Cancel asks again, as the first did."""

from __future__ import annotations

from pathlib import Path

from tests.support.chat import World


def test_a_cancel_left_unanswered_does_not_confirm_a_later_one(tmp_path: Path) -> None:
    world = World(tmp_path / "data")
    try:
        host = world.person(1, "Lin", language_code="en").send("/start")
        host.send("/new").send("Huawei").press("New client: Huawei").press("China").send("Telecom")
        host.press("✖ Cancel")
        assert host.last.text == "You have given 3 answers. Discard them?"
        host.send("Anna Schmidt").press("✔ Done")  # went on without answering
        host.press("✖ Cancel")
        assert host.last.text == "You have given 4 answers. Discard them?"
        assert world.dispatcher.services.flows.active(host.id) is not None
        host.send("/cancel")  # right after: confirms
        assert host.last.text == "Cancelled; nothing was saved."
    finally:
        world.db.close()
