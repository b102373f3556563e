"""The arrangement form's item is the host's: the department head hears of a visit awaiting their
approval through the approval's request and reminder, not through the form's item as well."""

from __future__ import annotations

from tests.support.chat import World, at
from tests.test_approval_nudges import FORM_EN, FORM_ZH
from tests.test_approval_reminders import REMINDER, remind
from tests.visit_chat import company, new_visit


def test_the_head_is_reminded_of_the_approval_only_and_the_host_of_the_form(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)  # Thursday at 10:00: the form's item and the approval reminder on Wednesday 10:00
    world.flush_outbox()
    told_host, told_manager = len(host.messages), len(manager.messages)
    at(world, "2026-11-25 10:00")
    world.tick()
    remind(world, "2026-11-25 10:00")
    to_manager = [m.text for m in manager.messages[told_manager:]]
    assert [text for text in to_manager if REMINDER in text] and not [t for t in to_manager if FORM_EN in t]
    assert any(FORM_ZH in m.text for m in host.messages[told_host:])
    assert FORM_EN not in manager.send("/mytasks").last.text
