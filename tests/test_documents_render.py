"""The PDFs and sheets themselves: A4, every character drawn, nothing a user typed can break them."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTCollection
from openpyxl import load_workbook

from bot.documents import pdf, xlsx
from bot.documents.feedback import feedback_form
from bot.documents.fonts import FONT_PATH, face_index
from bot.documents.form import arrangement_form
from bot.documents.itinerary import itinerary
from bot.documents.layout import Document, Field, Grid, Section, Table, Text
from bot.documents.minutes import minutes
from bot.documents.sources import Sources
from bot.domain.visits import Attendee, Meal, Note, Slot, Visit
from tests.documents_support import HOST, add_debrief, add_full_visit, add_staff
from tests.support.chat import World

A4_POINTS = (595, 842)


@pytest.fixture
def visit(world: World) -> Visit:
    add_staff(world)
    return add_full_visit(world)


def sources(world: World, visit: Visit, locale: str) -> Sources:
    services = world.dispatcher.services
    return Sources.of(services, services.i18n.get(locale), visit)


def ink_per_character(content: bytes) -> list[tuple[str, int]]:
    """Each printed character with the number of dark pixels inside its box on the rendered page."""
    scale = 2
    found = []
    document = pdfium.PdfDocument(content)
    for page in document:
        assert tuple(round(size) for size in page.get_size()) == A4_POINTS
        image = page.render(scale=scale).to_pil().convert("L")
        height = page.get_height()
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            if not char.strip():
                continue
            left, bottom, right, top = text.get_charbox(index)
            box = image.crop((int(left * scale), int((height - top) * scale),
                              int(right * scale) + 1, int((height - bottom) * scale) + 1))
            found.append((char, sum(box.histogram()[:200])))
    return found


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_every_character_of_the_form_and_itinerary_is_drawn_from_the_font(
        world: World, visit: Visit, locale: str) -> None:
    cmap = TTCollection(str(FONT_PATH)).fonts[face_index(locale)].getBestCmap()
    for document in (arrangement_form(visit, sources(world, visit, locale)),
                     itinerary(visit, sources(world, visit, locale))):
        printed = ink_per_character(pdf.render(document))
        assert len(printed) > 300
        assert not [char for char, _ in printed if ord(char) not in cmap]
        assert not [char for char, ink in printed if ink == 0], "a character left no mark on the page"


def test_the_first_page_renders_as_a_filled_a4_form(world: World, visit: Visit) -> None:
    content = pdf.render(arrangement_form(visit, sources(world, visit, "zh_Hans")))
    image = pdfium.PdfDocument(content)[0].render(scale=1.5).to_pil()
    assert image.size == (893, 1263)
    dark = sum(image.convert("L").histogram()[:128])
    assert 0.01 < dark / (image.size[0] * image.size[1]) < 0.2  # a filled form, not a blank or a black page


def test_emoji_typed_into_a_note_are_left_out_instead_of_printed_as_boxes(world: World, visit: Visit) -> None:
    noted = replace(visit, notes=(Note(visit.created_at, HOST, "客户很满意👍🏻，带伴手礼🎁"),))
    content = pdf.render(arrangement_form(noted, sources(world, noted, "zh_Hans")))
    text = "".join(pdfium.PdfDocument(content)[1].get_textpage().get_text_range().split())
    assert "客户很满意，带伴手礼" in text


@pytest.mark.parametrize(("locale", "note"), [
    ("zh_Hans", "注：表情符号等无法打印的字符已从本文件中略去。"),
    ("zh_Hant", "註：表情符號等無法列印的字元已從本文件中略去。"),
    ("en", "Note: emoji and other characters that cannot be printed were left out of this document.")])
def test_emoji_leave_no_gaps_and_the_document_says_they_were_left_out(world: World, visit: Visit, locale: str,
                                                                      note: str) -> None:
    src = sources(world, visit, locale)
    for document in (itinerary(visit, src), arrangement_form(visit, src)):
        assert "".join(note.split()) not in "".join(page_text(pdf.render(document)).split())
    toured = replace(visit, tour=("🚗 自驾去工厂👍🏻",))
    text = page_text(pdf.render(itinerary(toured, sources(world, toured, locale))))
    assert "".join(note.split()) in "".join(text.split())
    assert "自驾去工厂" in text


def test_emoji_are_left_out_with_the_spaces_around_them() -> None:
    typed = ("🚩 🚗 自驾去工厂 👍🏻 再回来✈️", "客户很满意👍🏻，带伴手礼🎁", "Great 👍 visit")
    document = Document("标题", "", (Section("", (Text(typed),)),), "zh_Hans", left_out="注：略去了表情。")
    lines = page_text(pdf.render(document)).splitlines()
    assert lines[1:5] == ["自驾去工厂 再回来", "客户很满意，带伴手礼", "Great visit", "注：略去了表情。"]


def page_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_a_glyph_the_font_lacks_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Should anything reach the page unfiltered, the PDF is refused rather than sent with boxes."""
    monkeypatch.setattr(pdf._Writer, "clean", lambda self, text: text)
    document = Document("标题", "", (Section("一", (Grid((Field("备注", "好👍"),)),)),), "zh_Hans")
    with pytest.raises(pdf.MissingGlyphs, match="👍"):
        pdf.render(document)


def test_the_sheet_prints_on_a4_fitted_to_the_page_width(world: World, visit: Visit) -> None:
    formula = replace(visit, notes=(Note(visit.created_at, HOST, "=HYPERLINK(\"http://x\")"),), gifts="=1+1")
    content = xlsx.render(arrangement_form(formula, sources(world, formula, "en")))
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    assert sheet.title == "Client Reception Arrangement"  # Excel allows 31 characters
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.page_setup.orientation == "portrait"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.print_area == f"'{sheet.title}'!$A$1:$L${sheet.max_row}"
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "=1+1" in values and not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    title = sheet["A1"]
    assert title.font.bold and "A1:L1" in {str(r) for r in sheet.merged_cells.ranges}
    host = next(cell for row in sheet.iter_rows() for cell in row if cell.value == "Host")
    assert host.border.left.style == "thin" and host.fill.fgColor.rgb.endswith("EBEBEB")


def test_a_document_without_a_subtitle_prints_its_fields_at_body_size() -> None:
    """The title's large type must not leak into the first table (the memo has no subtitle)."""
    document = Document("会谈备忘录", "", (
        Section("", (Grid((Field("致", "华为"),)),)),
        Section("待办", (Table(("序号", "事项"), (1, 4), (("1", "报价"),)),)),
    ), "zh_Hans")
    text = pdfium.PdfDocument(pdf.render(document))[0].get_textpage()
    heights = {}
    for index in range(text.count_chars()):
        char = text.get_text_range(index, 1)
        if char in "会致序":
            _, bottom, _, top = text.get_charbox(index)
            heights.setdefault(char, top - bottom)
    assert heights["会"] > 1.5 * heights["致"]
    assert abs(heights["致"] - heights["序"]) < 0.1 * heights["序"]


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_a_programme_of_two_days_renders_in_every_language(world: World, visit: Visit, locale: str) -> None:
    """Tours, the agenda, each meal, lodging we pay and a named executive, on the form and itinerary."""
    day = visit.arrival.date()
    full = replace(
        visit, departure=visit.departure + timedelta(days=1),
        tours=(Slot(day, time(14), time(15, 30), "生产车间"),
               Slot(day + timedelta(days=1), time(10), None, "R&D")),
        agenda=(Slot(day + timedelta(days=1), time(9), time(10), "技术交流"),),
        meal_plan=(Meal(day, "lunch", time(12), "公司餐厅", 6, 120.0),
                   Meal(day, "dinner", time(18, 30), "Shangri-La", 8, 300.0)),
        attendees=(Attendee("赵刚", "总经理", role="general_manager"), Attendee("周立", "总工程师")),
        lodging=replace(visit.lodging, rooms=2, rate=1300.0) if visit.lodging else None)
    src = sources(world, full, locale)
    cmap = TTCollection(str(FONT_PATH)).fonts[face_index(locale)].getBestCmap()
    for document in (arrangement_form(full, src), itinerary(full, src)):
        printed = ink_per_character(pdf.render(document))
        assert not [char for char, _ in printed if ord(char) not in cmap]
        assert not [char for char, ink in printed if ink == 0], "a character left no mark on the page"
        text = "".join(char for char, _ in printed)
        assert "生产车间" in text and "技术交流" in text and "Shangri-La" in text and "赵刚" in text
    sheet = load_workbook(io.BytesIO(xlsx.render(arrangement_form(full, src)))).active
    assert sheet is not None and any(cell.value == 5200 for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant", "en"])
def test_the_minutes_and_the_feedback_form_render_in_every_language(
        world: World, visit: Visit, locale: str) -> None:
    world.clock.current = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
    add_debrief(world, visit)
    services = world.dispatcher.services
    debrief = services.debriefs.get(visit.id)
    assert debrief is not None
    src = sources(world, visit, locale)
    cmap = TTCollection(str(FONT_PATH)).fonts[face_index(locale)].getBestCmap()
    tasks = services.debriefs.tasks_of(visit.id)
    for document in (minutes(visit, debrief, tasks, src), feedback_form(visit, src)):
        printed = ink_per_character(pdf.render(document))
        assert len(printed) > 150
        assert not [char for char, _ in printed if ord(char) not in cmap]
        assert not [char for char, ink in printed if ink == 0], "a character left no mark on the page"
    assert "□" in "".join(char for char, _ in ink_per_character(pdf.render(feedback_form(visit, src))))
