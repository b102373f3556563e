"""Approval of the arrangement form, through the core: the host's department head approves or sends
it back with a comment, a class-A visit also needs the executive the policy names, and the card and
the printed form show where it stands — each person reading their own language."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.documents_support import documents
from tests.support.chat import World
from tests.test_documents import fields
from tests.visit_chat import company, new_visit, reschedule


def test_the_department_head_approves_and_the_card_and_form_say_who_and_when(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    assert "⏳ 待部门负责人审批：Maria Chen" in host.last.text
    world.flush_outbox()
    request = manager.last
    assert "林晓 asks you to approve the arrangement of visit #1: 华为" in request.text
    manager.press("Approve", message=request)
    assert "✅ Department head: approved by Maria Chen, Mon 23 Nov 09:00" in manager.last.text
    world.flush_outbox()
    assert host.last.text == "✅ Maria Chen（部门负责人）已批准来访 #1（华为）。"
    host.send("/visit 1")
    assert "✅ 部门负责人：Maria Chen 已于 11月23日 周一 09:00 批准" in host.last.text
    assert "待部门负责人审批" not in host.last.text
    xlsx = next(f for f in documents(host, "/form 1") if f.filename.endswith(".xlsx"))
    form = fields(load_workbook(io.BytesIO(xlsx.content)).active)  # type: ignore[arg-type]
    assert form["审批"] == "部门负责人：Maria Chen 批准，2026年11月23日 周一 09:00"
    manager.press_data("apv:ok:1:manager")  # the request's button pressed again: nothing more happens
    assert world.toasts[-1] == "This visit no longer awaits that answer."
    host.press("检查清单")
    assert "审核" not in host.last.text  # the review is no item of the host's checklist


def test_changing_an_approved_visit_asks_again_and_a_reschedule_does_not(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    manager.press("Approve")
    reschedule(host, 1, "周五上午10点", "周五下午4点")
    assert "✅ 部门负责人：Maria Chen 已于" in host.send("/visit 1").last.text
    host.press("修改").press("✏️ 会议室").send("302").press("保存")
    assert "⏳ 待部门负责人审批：Maria Chen" in host.messages[-1].text
    world.flush_outbox()
    assert "asks you to approve the arrangement of visit #1" in manager.last.text


def test_send_back_asks_for_a_comment_tells_the_host_and_a_corrected_save_asks_again(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    manager.press("Send back")
    assert "What should the host change?" in manager.last.text
    manager.send("Please book a larger room: they are six.")
    assert "Visit #1 went back to 林晓 with your comment." in manager.last.text
    world.flush_outbox()
    told = host.last
    assert "Maria Chen（部门负责人）退回了来访 #1（华为）" in told.text
    assert "Please book a larger room: they are six." in told.text
    host.send("/visit 1")
    assert "↩️ 部门负责人：Maria Chen 于 11月23日 周一 09:00 退回：Please book a larger room" in host.last.text
    asked = len(manager.messages)
    host.press("✏️ 修改", message=told).press("✏️ 会议室").send("3楼大会议室").press("保存")
    assert "⏳ 待部门负责人审批：Maria Chen" in host.last.text
    assert len(manager.messages) == asked + 1 and "asks you to approve" in manager.last.text
    manager.press("Approve")
    world.flush_outbox()
    assert "已批准来访 #1" in host.last.text


def test_a_class_a_visit_also_needs_the_executive_the_policy_names(world: World) -> None:
    people = company(world)
    host, manager, executive = people["林晓"], people["Maria Chen"], people["趙總"]
    new_visit(host, cls="A类")
    world.flush_outbox()
    assert not executive.messages  # the department head answers first
    executive.press_data("apv:ok:1:executive")
    assert world.toasts[-1] == "這個來訪已不再等待這項審批。"
    manager.press("Approve")
    world.flush_outbox()
    assert "⏳ 接下来等待总裁/董事长确认。" in host.last.text
    assert "還需總裁/董事長確認" in executive.last.text and "已由 Maria Chen 批准" in executive.last.text
    executive.press("批准")
    world.flush_outbox()
    assert host.last.text == "✅ 趙總（总裁/董事长）已批准来访 #1（华为）。"
    host.send("/visit 1")
    assert "✅ 部门负责人：Maria Chen 已于" in host.last.text
    assert "✅ 总裁/董事长：趙總 已于" in host.last.text


def test_with_nobody_to_approve_the_host_is_told_and_an_admin_may_approve(world: World) -> None:
    admin = world.person(1, "Admin", language_code="zh-hans").send("/start")  # alone in the company
    world.dispatcher.services.clients.create("华为", by=1, now=world.clock.now())
    new_visit(admin)
    assert "还没有人可以审批" in admin.last.text
    assert list(world.chats) == [admin.id]  # nobody else was asked
    admin.press("✅ 批准")
    assert "✅ 部门负责人：Admin 已于" in admin.last.text


def test_only_the_approvers_may_answer(world: World) -> None:
    people = company(world)
    new_visit(people["林晓"])
    colleague = people["王五"]
    people["林晓"].press_data("apv:ok:1:manager")  # the host approving their own visit
    assert world.toasts[-1] == "只有这个来访的审批人可以审批。"
    colleague.press_data("apv:back:1:manager")
    assert world.toasts[-1] == "There is no visit #1 that you can see."


def test_a_visit_sent_back_for_its_time_is_submitted_again_by_rescheduling_it(world: World) -> None:
    people = company(world)
    host, manager = people["林晓"], people["Maria Chen"]
    new_visit(host)
    world.flush_outbox()
    manager.press("Send back").send("Thursday is full: please move it to Friday.")
    world.flush_outbox()
    assert "修改或改期后即重新提交审批。" in host.last.text
    reschedule(host, 1, "周五上午10点", "周五下午4点")
    assert "⏳ 待部门负责人审批：Maria Chen" in host.messages[-2].text  # the card, before the draft
    world.flush_outbox()
    assert "asks you to approve the arrangement of visit #1: 华为, Class C (ordinary), Fri 27 Nov 10:00" in (
        manager.last.text)
