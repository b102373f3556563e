"""After the visit: the meeting minutes (客户会谈纪要) from the debrief, filed in the company, and the
reception feedback form (客户接待信息反馈表) for the client, as a page and as a message."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.domain.visits import Attendee
from tests.documents_support import HOST, add_debrief, add_full_visit, add_staff, documents
from tests.support.chat import World
from tests.test_documents import has, pdf_text

AFTER = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)  # the day after the visit


@pytest.fixture(autouse=True)
def _staff(world: World) -> None:
    add_staff(world)


def test_the_minutes_keep_what_the_memo_leaves_out_and_wait_for_the_debrief(world: World) -> None:
    visit = add_full_visit(world, attendees=(Attendee("赵刚", "总经理", role="general_manager"),))
    host = world.person(HOST, "林晓", language_code="zh-hans")
    assert documents(host, "/minutes 1") == []
    assert host.last.text.startswith("来访 #1（12月3日 周四 10:00）还没有进行")
    world.clock.current = AFTER
    assert documents(host, "/minutes 1") == []
    assert host.last.text == "来访 #1（华为技术有限公司）还没有复盘；写好复盘后就有会谈纪要了。"
    assert "写复盘" in host.last.buttons[0][0].label

    add_debrief(world, visit)
    [minutes] = documents(host, "/minutes 1")
    assert minutes.filename == "visit-1-minutes.pdf"
    assert minutes.caption.startswith("📋 客户会谈纪要 · 来访 #1 华为技术有限公司：一式三份")
    text = pdf_text(minutes.content)
    assert has(text, "客户会谈纪要", "来访编号 #1", "3楼 301 会议室",
               "David Lee Purchasing Director、张伟 总经理",
               "林晓、王五、赵刚 总经理", "了解生产体系、商务洽谈", "需要一套样品和正式报价",
               "价格偏高", "发送报价单", "2026年12月7日", "推进中", "2026年12月9日", "市场部存档",
               "部门经理审阅", "机密")
    [english] = documents(world.person(10, "林晓", language_code="en"), "/minutes 1")
    assert has(pdf_text(english.content), "Client Meeting Minutes", "The client's objections", "Progressing")


def test_the_feedback_form_asks_about_what_the_visit_had_in_the_leads_language(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hant")
    host = world.person(HOST, "林晓", language_code="en")
    [form] = documents(host, "/feedback 1")
    assert form.filename == "visit-1-feedback.pdf"
    assert form.caption.startswith("🗒 Reception feedback form · Visit #1 (繁體中文)")
    text = pdf_text(form.content)
    assert has(text, "客戶接待資訊回饋表", "David Lee (Purchasing Director)", "很滿意", "不滿意",
               "接機/接站與用車", "參觀安排", "用餐", "住宿", "總體評價", "意見和建議", "□")
    for internal in ("160", "A類", "價格偏高"):
        assert internal not in text
    message = host.last.text
    assert message.startswith("David Lee (Purchasing Director)，您好！\n為了把接待工作做得更好")
    assert "1. 行程安排：很滿意 / 滿意 / 一般 / 不滿意" in message
    assert "8. 總體評價：" in message and "9. 還有什麼意見或建議？" in message


def test_a_simple_visit_is_asked_only_about_what_it_had(world: World) -> None:
    visit = add_full_visit(world)
    services = world.dispatcher.services
    services.visits.update(replace(visit, travel=None, lodging=None, meals=None, tour=()))
    documents(world.person(HOST, "林晓", language_code="en"), "/feedback 1")
    message = world.person(HOST).last.text
    assert "4. Overall: Very good / Good / Fair / Poor" in message
    assert "Pickup" not in message and "hotel" not in message and "Meals" not in message


def test_the_saved_debrief_offers_the_minutes_and_the_feedback_form(world: World) -> None:
    add_full_visit(world)
    world.clock.current = AFTER
    host = world.person(HOST, "林晓", language_code="zh-hans")
    host.send("/debrief 1").press("推进中").send("需要一套样品").press("跳过").press("跳过").send("下周三")
    host.press("跳过").press("★★★★★").press("跳过").press("保存")
    saved = next(m for m in host.messages if any("会谈纪要" in b.label for row in m.buttons for b in row))
    [minutes] = documents(host, data=saved.button("会谈纪要").data)
    assert has(pdf_text(minutes.content), "客户会谈纪要", "需要一套样品")
    [feedback] = documents(host, data=saved.button("反馈表").data)
    assert feedback.filename == "visit-1-feedback.pdf"


def test_visits_and_staff_stored_before_these_fields_still_load_and_print(world: World) -> None:
    """A data dir written by the previous version: no programme, attendees, driver name, rooms, phone."""
    visit = add_full_visit(world)
    services = world.dispatcher.services
    table, staff_table = services.db.table("visits"), services.db.table("staff")

    def visit_as_before(doc: MutableMapping[str, Any]) -> None:
        for name in ("attendees", "tours", "agenda", "meal_plan", "background"):
            del doc[name]
        for part, names in (("travel", ("driver_name", "car")), ("lodging", ("rooms", "rate"))):
            for name in names:
                del doc[part][name]

    def staff_as_before(doc: MutableMapping[str, Any]) -> None:
        del doc["phone"], doc["phone_asked"]

    with services.db.unit():
        table.update(visit_as_before, doc_ids=[visit.id])
        staff_table.update(staff_as_before, doc_ids=[HOST])
    assert "tours" not in table.get(doc_id=visit.id) and "phone" not in staff_table.get(doc_id=HOST)
    world.restart()
    services = world.dispatcher.services
    loaded = services.visits.get(visit.id)
    assert loaded is not None and loaded.tours == () and loaded.travel is not None
    assert loaded.travel.car == "" and loaded.lodging is not None and loaded.lodging.rate is None
    host = world.person(HOST, "林晓", language_code="zh-hans")
    assert len(documents(host, "/form 1")) == 2 and len(documents(host, "/itinerary 1")) == 1

