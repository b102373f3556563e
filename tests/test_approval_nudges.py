"""An approver's answer moves the visit's reminders as an edit does (``VisitService.record_decision``):
the department head's approval closes the arrangement form's item, so nobody is told the day before
to submit a form that was approved; a visit changed and sent back after it has the item again (the
form must go in again)."""

from __future__ import annotations

from tests.support.chat import World, at
from tests.visit_chat import company, new_visit

FORM_ZH = "填写《客户接待安排表》并呈部门负责人"
FORM_EN = "Submit the reception arrangement form to the department head"


def test_an_approved_form_is_not_asked_for_the_day_before_and_one_sent_back_is(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)  # #1 and #2 on Thursday at 10:00: the form's item is due on Wednesday at 10:00
    new_visit(host, room="302")
    world.flush_outbox()
    manager.press("Approve", message=manager.messages[-2]).press("Approve", message=manager.messages[-1])
    host.send("/visit 2").press("修改").press("✏️ 会议室").send("303").press("保存")  # a new round
    world.flush_outbox()
    manager.press("Send back", message=manager.last).send("Six guests: a larger room, please.")
    world.flush_outbox()
    told_host, told_manager = len(host.messages), len(manager.messages)
    at(world, "2026-11-25 10:00")
    world.tick()
    first, second = (next(m.text for m in host.messages[told_host:] if f"#{n}" in m.text) for n in (1, 2))
    assert "确认会议室、展厅" in first and FORM_ZH not in first  # the day's other item still comes
    assert FORM_ZH in second
    assert [m.text for m in manager.messages[told_manager:] if FORM_EN in m.text and "#1" in m.text] == []
    host.send("/visit 1").press("检查清单")
    assert FORM_ZH not in host.last.text  # off the checklist: the card says who approved it
