"""/form, /itinerary, /memo, /calendar and the card's document buttons, through the core.

Each document comes from a full visit (pickup, lodging, meals, executives, budget, notes) and is read
back the way its reader would: the XLSX cells with openpyxl, the PDF text with pdfium, the .ics with
icalendar.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pypdfium2 as pdfium
import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.events import SendDocument
from bot.domain.visits import Visit
from tests.documents_support import (
    DRIVER,
    HOST,
    MANAGER,
    OUTSIDER,
    SHANGHAI,
    WANG,
    add_debrief,
    add_full_visit,
    add_staff,
    documents,
)
from tests.support.chat import World


@pytest.fixture(autouse=True)
def _staff(world: World) -> None:
    add_staff(world)


def pdf_text(content: bytes) -> str:
    """The PDF's text as pdfium reads it, without spaces or line breaks (cells wrap anywhere)."""
    pdf = pdfium.PdfDocument(content)
    text = "".join(pdf[index].get_textpage().get_text_range() for index in range(len(pdf)))
    return "".join(text.split())


def has(text: str, *fragments: str) -> bool:
    return all("".join(fragment.split()) in text for fragment in fragments)


def fields(sheet: Worksheet) -> dict[str, object]:
    """Each shaded label of the form with the value in the cell after it."""
    found: dict[str, object] = {}
    for row in sheet.iter_rows():
        values = [cell.value for cell in row if cell.value is not None]
        for label, value in zip(values[::2], values[1::2], strict=False):
            found.setdefault(str(label), value)
    return found


def row_of(sheet: Worksheet, first: object) -> list[object]:
    for row in sheet.iter_rows():
        values = [cell.value for cell in row if cell.value is not None]
        if values and values[0] == first:
            return values
    raise AssertionError(f"no row starts with {first!r}")


def test_the_form_in_chinese_as_pdf_and_xlsx(world: World) -> None:
    add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="zh-hans")
    pdf_file, xlsx_file = documents(host, "/form 1")
    assert (pdf_file.filename, xlsx_file.filename) == ("visit-1-form.pdf", "visit-1-form.xlsx")
    assert pdf_file.caption.startswith("📄 客户接待安排表 · 来访 #1 华为技术有限公司")

    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert sheet is not None and sheet["A1"].value == "客户接待安排表"
    form = fields(sheet)
    assert form["接待人员"] == "林晓" and form["出席人数"] == 3 and form["我方出席人员"] == "林晓、王五"
    assert form["须出席的公司领导"] == "总经理" and form["到访人数"] == 2
    assert form["客户背景"] == "通信设备；中国" and form["来访目的"] == "了解生产体系、商务洽谈"
    assert form["到达公司"] == "2026年12月3日 周四 10:00" and form["离开公司"] == "2026年12月3日 周四 16:30"
    assert (form["交通方式"], form["航班/车次"], form["机场/车站"]) == ("航班", "CA1234", "浦东机场 T2")
    assert form["抵达时间"] == "2026年12月3日 周四 08:15"
    assert (form["接机"], form["接送人员"], form["车辆"]) == ("√", "赵师傅", "—")
    assert (form["会议室"], form["投影仪/电脑"]) == ("3楼 301 会议室", "√ 10:00 起")
    assert (form["入住酒店"], form["结算方式"]) == ("浦东香格里拉大酒店", "我司承担")
    assert form["入住人员"] == "David Lee、张伟"
    assert (form["入住日期"], form["离开日期"]) == ("2026年12月2日 周三", "2026年12月4日 周五")
    assert (form["订餐份数"], form["用餐时间"], form["忌口"]) == (6, "12:00 午餐", "一位不吃猪肉，一位不吃辣")
    assert (form["横幅/欢迎牌"], form["合影"], form["姓名牌"]) == ("欢迎华为技术有限公司莅临指导", "√", "√")
    assert form["备注"] == "2026年11月30日 周一 10:00 林晓: 客户想看新产线 <A型>"
    lead = [1, "David Lee（领队）", "Purchasing Director", "Singapore", "English", "+65 9123 4567", "no pork"]
    assert row_of(sheet, 1) == lead
    # Of the client's country unless said otherwise.
    assert row_of(sheet, 2) == [2, "张伟", "总经理", "中国", "简体中文", "—", "不吃辣"]
    # Class A allows 150 a head for meals: 160 needs the approvers the policy names.
    # Six covers booked at 160 each (our people at the table included), over the class standard.
    assert row_of(sheet, "用餐") == ["用餐", 150, 160, 6, 960, "超标，需部门负责人和总经理审批"]
    assert row_of(sheet, "合计") == ["合计", 1160]

    text = pdf_text(pdf_file.content)
    assert has(text, "客户接待安排表", "来访编号 #1", "A类（特别重要）", "浦东香格里拉大酒店", "赵师傅",
               "超标，需部门负责人和总经理审批", "客户想看新产线 <A型>", "部门负责人审批", "机密")


def test_the_form_in_english_for_an_english_reader(world: World) -> None:
    add_full_visit(world)
    manager = world.person(MANAGER, "Maria", language_code="en")
    pdf_file, xlsx_file = documents(manager, "/form #1")
    form = fields(load_workbook(io.BytesIO(xlsx_file.content)).active)  # type: ignore[arg-type]
    assert form["Host"] == "林晓" and form["Client background"] == "通信设备; China"
    assert form["Arrives at the company"] == "Thu 3 Dec 2026 10:00"
    assert form["Paid by"] == "Paid by our company" and form["Airport pickup"] == "√"
    assert has(pdf_text(pdf_file.content), "Client Reception Arrangement Form", "Purpose of the visit",
               "See the production system", "Over the standard", "Approved (department head)")


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "礼品"), ("zh-hant", "禮品"), ("en", "Gifts")])
def test_gifts_ticked_in_the_form_print_as_a_tick(world: World, language: str, label: str) -> None:
    add_full_visit(world, gifts="gifts")  # what /new stores when Gifts is ticked among the extras
    pdf_file, xlsx_file = documents(world.person(HOST, "林晓", language_code=language), "/form 1")
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert sheet is not None
    rows = [[cell.value for cell in row if cell.value is not None] for row in sheet.iter_rows()]
    assert [label, "√"] in [row[:2] for row in rows]  # the budget's 礼品 row comes first
    assert "gifts" not in pdf_text(pdf_file.content)


def test_the_itinerary_is_in_the_lead_contacts_language_and_keeps_internal_things_out(world: World) -> None:
    add_full_visit(world, lead_language="en")
    host = world.person(HOST, "林晓", language_code="zh-hans")
    [itinerary] = documents(host, "/itinerary 1")
    assert itinerary.filename == "visit-1-itinerary.pdf"
    assert itinerary.caption == "🧭 商务考察行程安排表（English），请在到达前一天发给客户领队 David Lee。"
    text = pdf_text(itinerary.content)
    assert has(text, "Business Visit Itinerary", "David Lee (Purchasing Director)", "Thu 3 Dec 08:15",
               "Arrival (Flight CA1234)", "浦东机场 T2", "赵师傅 meets you at the airport", "Hotel check-in",
               "Hosted by 林晓",
               "生产线与质检中心", "Departure from our company", "General manager", "Paid by us",
               "please contact 林晓")
    # In time order: the flight lands before the meeting, the hotel check-out comes last.
    assert text.index("08:15") < text.index("10:00") < text.index("16:30") < text.index("Hotelcheck-out")
    for internal in ("CNY", "160", "ClassA", "客户想看新产线", "Confidential"):
        assert internal not in text


def test_an_itinerary_for_a_traditional_chinese_lead(world: World) -> None:
    add_full_visit(world, lead_language="zh_Hant")
    [itinerary] = documents(world.person(HOST, "林晓", language_code="en"), "/itinerary 1")
    assert has(pdf_text(itinerary.content), "商務考察行程安排表", "到達公司，歡迎與會談",
               "12月3日 週四 10:00", "考察日期2026年12月3日 週四")


def test_an_itinerary_for_next_year_shows_the_year_on_its_lines(world: World) -> None:
    add_full_visit(world, arrival=datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI), lodging=None, travel=None,
                   departure=datetime(2027, 1, 5, 16, 0, tzinfo=SHANGHAI))
    [itinerary] = documents(world.person(HOST, "林晓", language_code="zh-hans"), "/itinerary 1")
    assert has(pdf_text(itinerary.content), "Tue 5 Jan 2027 10:00", "Tue 5 Jan 2027 16:00")


def test_the_memo_before_and_without_a_debrief(world: World) -> None:
    add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="zh-hans")
    assert documents(host, "/memo 1") == []
    assert host.last.text.startswith("来访 #1（12月3日 周四 10:00）还没有进行")

    world.clock.current = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    assert documents(host, "/memo 1") == []
    assert host.last.text == "来访 #1（华为技术有限公司）还没有复盘；写好复盘后就有会谈备忘录了。"
    host.press("写复盘")
    assert host.last.text == "1/8 这次来访的结果如何？"


def test_the_memo_as_pdf_in_the_memo_language_and_as_the_message(world: World) -> None:
    visit = add_full_visit(world)
    world.clock.current = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    add_debrief(world, visit)
    host = world.person(HOST, "林晓", language_code="zh-hans")
    [memo] = documents(host, "/memo 1")
    assert memo.filename == "visit-1-memo.pdf"
    assert memo.caption.startswith("📝 会谈备忘录 · 来访 #1（English）")
    text = pdf_text(memo.content)
    assert has(text, "Meeting memo", "Notes below as written, in Chinese.", "华为技术有限公司",
               "Thu 3 Dec 2026", "David Lee Purchasing Director",
               "林晓, 王五", "需要一套样品和正式报价", "发送报价单", "王五", "Mon 7 Dec 2026",
               "Wed 9 Dec 2026")
    assert "价格偏高" not in text and "999" not in text  # objections and spend stay internal
    assert host.last.text == "会谈备忘录"  # the message to forward follows the file


def test_only_people_who_see_the_card_get_its_documents(world: World) -> None:
    add_full_visit(world)
    outsider = world.person(OUTSIDER, "钱七", language_code="zh-hans")
    for command in ("/form 1", "/itinerary 1", "/memo 1", "/calendar 1", "/form 7"):
        assert documents(outsider, command) == []
        assert outsider.last.text.startswith("没有您可以查看的来访 #")
    assert documents(outsider, data="doc:form:1") == []
    assert world.toasts[-1] == "没有您可以查看的来访 #1。"

    stranger = world.person(99, "Eve", language_code="en")
    assert documents(stranger, "/form 1") == [] and documents(stranger, data="doc:ics:1") == []
    assert "华为" not in stranger.sees_text()

    assert len(documents(world.person(WANG, "王五"), "/form 1")) == 2  # on the team
    assert len(documents(world.person(MANAGER, "Maria", language_code="en"), "/itinerary 1")) == 1


def test_a_command_without_a_number_says_how(world: World) -> None:
    host = world.person(HOST, "林晓", language_code="en")
    assert documents(host, "/itinerary") == []
    assert host.last.text == "Please add the visit number, e.g. /itinerary 12"


def test_the_visit_card_carries_one_row_of_document_buttons(world: World) -> None:
    add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="en")
    host.send("/visit 1")
    card = host.last
    assert [b.label for b in card.buttons[-1]] == ["📄 Form", "🧭 Itinerary", "🗓 Calendar"]
    assert [d.filename for d in documents(host, data=card.button("Form").data)] == [
        "visit-1-form.pdf", "visit-1-form.xlsx"]
    itinerary = documents(host, data=card.button("Itinerary").data)
    assert [d.filename for d in itinerary] == ["visit-1-itinerary.pdf"]
    assert [d.filename for d in documents(host, data=card.button("Calendar").data)] == ["visit-1.ics"]

    world.clock.current = datetime(2026, 12, 3, 11, 0, tzinfo=SHANGHAI)  # the visit has begun
    host.send("/visit 1")
    assert [b.label for b in host.last.buttons[-1]] == ["📄 Form", "📝 Memo", "🗓 Calendar"]


def _events(document: SendDocument) -> list[Calendar]:
    return Calendar.from_ical(document.content).walk("VEVENT")  # type: ignore[no-any-return]


def test_a_visit_as_an_ics_file_keeps_its_uid_when_it_moves(world: World) -> None:
    visit = add_full_visit(world)
    host = world.person(HOST, "林晓", language_code="zh-hans")
    [first] = documents(host, "/calendar 1")
    [event] = _events(first)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert start == datetime(2026, 12, 3, 10, 0, tzinfo=SHANGHAI) and start.utcoffset() == timedelta(hours=8)
    assert end == datetime(2026, 12, 3, 8, 30, tzinfo=UTC)
    assert str(event["location"]) == "3楼 301 会议室"
    description = str(event["description"])
    assert "领队：David Lee Purchasing Director" in description and "接待：林晓；团队：王五" in description
    assert "接机：CA1234 浦东机场 T2" in description
    assert b"BEGIN:VTIMEZONE" in first.content and b"TZID:Asia/Shanghai" in first.content

    world.clock.current += timedelta(hours=2)
    services = world.dispatcher.services
    services.visits.reschedule(visit, visit.arrival + timedelta(days=1), visit.departure + timedelta(days=1))
    [moved] = _events(documents(host, "/calendar 1")[0])
    assert moved["uid"] == event["uid"] and moved["sequence"] > event["sequence"]
    assert moved.decoded("dtstart") == datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI)

    services.visits.cancel(services.visits.get(1), "客户改期")  # type: ignore[arg-type]
    [cancelled] = _events(documents(host, "/calendar 1")[0])
    assert cancelled["uid"] == event["uid"] and str(cancelled["status"]) == "CANCELLED"


def test_the_calendar_feed_holds_only_my_upcoming_visits(world: World) -> None:
    host = world.person(HOST, "林晓", language_code="en")
    assert documents(host, "/calendar") == []
    assert host.last.text == "You have no upcoming visits, so there is no calendar file to send."

    add_full_visit(world)
    services = world.dispatcher.services
    mine_later, _ = services.visits.create(_copy(services.visits.get(1), days=7))
    services.visits.create(_copy(services.visits.get(1), days=2, host=DRIVER, team=()))  # not mine
    services.visits.create(_copy(services.visits.get(1), days=-10))  # over
    called_off, _ = services.visits.create(_copy(services.visits.get(1), days=3))
    services.visits.cancel(called_off, "客户改期")
    [feed] = documents(host, "/calendar")
    assert feed.filename == "my-visits.ics"
    assert feed.caption.startswith("🗓 2 upcoming visits")
    events = _events(feed)
    assert [(str(e["summary"]), str(e["status"])) for e in events] == [
        ("Visit: 华为技术有限公司 (#1)", "CONFIRMED"),
        (f"Visit: 华为技术有限公司 (#{called_off.id})", "CANCELLED"),  # a calendar that has it drops it
        (f"Visit: 华为技术有限公司 (#{mine_later.id})", "CONFIRMED")]
    assert len({str(e["uid"]) for e in events}) == 3
    assert Calendar.from_ical(feed.content)["x-wr-calname"] == "My client visits"


def _copy(visit: Visit | None, days: int, **changes: object) -> Visit:
    """The same visit ``days`` later (earlier if negative), without the flight and the hotel."""
    assert visit is not None
    shift = timedelta(days=days)
    return replace(visit, arrival=visit.arrival + shift, departure=visit.departure + shift, travel=None,
                   lodging=None, **changes)
