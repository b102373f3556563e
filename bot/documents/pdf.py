"""Any ``Document`` as an A4 PDF in Noto Sans CJK, laid out like a paper form, ready to print.

Characters the font lacks (emoji people type into notes, "🚩 🚗 自驾") are left out rather than printed
as empty boxes, with the spaces around them, and the document ends with a note saying so; there is
no colour emoji font to ship that fpdf2 could draw. After writing, any glyph fpdf2 still reports
missing is a bug and raises ``MissingGlyphs``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager

from fpdf import FPDF
from fpdf.enums import Align, TableBordersLayout, VAlign, XPos, YPos
from fpdf.fonts import FontFace, TTFFont
from fpdf.table import Table as PdfTable

from bot.documents.fonts import FONT_PATH, face_index
from bot.documents.layout import Block, Document, Grid, Table, Text, pair_rows

log = logging.getLogger(__name__)

FAMILY = "noto"
WIDTH = 180  # mm between the margins of A4 (210 - 2 * 15)
LABEL, VALUE = 34, 56  # a grid row: label, value, label, value
SHADE = (235, 235, 235)
LINE = 6.5  # mm per line of 10 pt text
KEEP_WITH_HEADING = 28  # mm: a section heading never ends a page alone


class MissingGlyphs(RuntimeError):
    """The PDF would show empty boxes: a character reached the page that the font cannot draw."""


class _Page(FPDF):
    footer_text = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.set_text_color(110)
        self.cell(0, 6, f"{self.footer_text}    {self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render(document: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _Page(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.add_font(FAMILY, fname=str(FONT_PATH), collection_font_number=face_index(document.locale))
    # The subset's glyphs lie inside the whole font's bounding box, so keep that box rather than
    # measure every glyph again when the subset is written: it halves the time a PDF takes.
    _font(pdf).ttfont.recalcBBoxes = False
    pdf.set_title(document.title)
    writer = _Writer(pdf)
    pdf.footer_text = writer.clean(document.footer)
    pdf.add_page()
    writer.heading(document.title, document.subtitle)
    for section in document.sections:
        if section.heading:
            writer.section(section.heading)
        for block in section.blocks:
            writer.block(block)
    if document.signatures:
        writer.signatures(document.signatures)
    if writer.dropped and document.left_out:
        writer.note(document.left_out)
    content = bytes(pdf.output())
    missing = _font(pdf).missing_glyphs
    if missing:
        raise MissingGlyphs("".join(chr(code) for code in missing))
    return content


def _gap(match: re.Match[str]) -> str:
    """What a left-out run becomes: one space where it stood between words with spaces, else none."""
    text, start, end = match.string, match.start(), match.end()
    inside = start > 0 and text[start - 1] != "\n" and end < len(text) and text[end] != "\n"
    return " " if inside and match.group(0) != match.group(0).strip(" \u3000") else ""


def _font(pdf: FPDF) -> TTFFont:
    font = pdf.fonts[FAMILY]
    assert isinstance(font, TTFFont)
    return font


class _Writer:
    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf
        self.cmap = _font(pdf).cmap
        self.dropped: set[str] = set()

    def clean(self, text: str) -> str:
        """``text`` without the characters the font cannot draw (logged once per document), and
        without the spaces they leave: "🚩 🚗 自驾" is "自驾", "到了 👍🏻 好" is "到了 好"."""
        lost = {char for char in text if char not in "\n\t" and ord(char) not in self.cmap}
        if not lost:
            return text
        if not lost <= self.dropped:
            log.info("left out of a PDF, not in the font: %r", "".join(sorted(lost)))
            self.dropped |= lost
        run = re.compile(rf"([ \u3000]*)(?:[{re.escape(''.join(lost))}]+[ \u3000]*)+")
        return run.sub(_gap, text)

    def heading(self, title: str, subtitle: str) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, size=20)
        pdf.cell(0, 12, self.clean(title), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            pdf.set_font(FAMILY, size=9)
            pdf.set_text_color(80)
            pdf.multi_cell(0, 5, self.clean(subtitle), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0)
        pdf.ln(3)
        pdf.set_font(FAMILY, size=10)

    def section(self, heading: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(KEEP_WITH_HEADING):
            pdf.add_page()
        pdf.ln(2)
        pdf.set_font(FAMILY, size=12)
        pdf.cell(0, 8, self.clean(heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FAMILY, size=10)

    def block(self, block: Block) -> None:
        if isinstance(block, Grid):
            self.grid(block)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.text(block)
        self.pdf.ln(2)

    def grid(self, grid: Grid) -> None:
        label_style = FontFace(fill_color=SHADE)
        with self._table((LABEL, VALUE, LABEL, VALUE)) as table:
            for pair in pair_rows(grid.fields):
                row = table.row()
                for field in pair:
                    row.cell(self.clean(field.label), style=label_style)
                    row.cell(self.clean(field.value), colspan=3 if len(pair) == 1 else 1)

    def table(self, block: Table) -> None:
        with self._table(block.widths, headings=True) as table:
            row = table.row()
            for column in block.columns:
                row.cell(self.clean(column))
            for values in block.rows:
                row = table.row()
                for value in values:
                    row.cell(self.clean(value))

    def text(self, block: Text) -> None:
        for line in block.lines:
            self.pdf.multi_cell(0, LINE, self.clean(line) or " ", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def note(self, text: str) -> None:
        """A small grey line at the end of the document."""
        pdf = self.pdf
        pdf.ln(3)
        pdf.set_font(FAMILY, size=8)
        pdf.set_text_color(110)
        pdf.multi_cell(0, 5, self.clean(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        pdf.set_font(FAMILY, size=10)

    def signatures(self, labels: Iterable[str]) -> None:
        """Blank boxes for signatures and dates, as the department head approves the form on paper."""
        pdf = self.pdf
        if pdf.will_page_break(30):
            pdf.add_page()
        pdf.ln(4)
        label_style = FontFace(fill_color=SHADE)
        names = list(labels)
        with self._table((LABEL, VALUE, LABEL, VALUE), line_height=LINE * 2) as table:
            for start in range(0, len(names), 2):
                row = table.row()
                for label in names[start:start + 2]:
                    row.cell(self.clean(label), style=label_style)
                    row.cell("")

    def _table(self, widths: Iterable[int], line_height: float = LINE,
               headings: bool = False) -> AbstractContextManager[PdfTable]:
        """A bordered table; with ``headings`` its first row is shaded and repeats on a new page."""
        return self.pdf.table(
            col_widths=tuple(widths), width=WIDTH, first_row_as_headings=headings, line_height=line_height,
            headings_style=FontFace(emphasis="", fill_color=SHADE), text_align=Align.L,
            borders_layout=TableBordersLayout.ALL, v_align=VAlign.M, padding=(1, 1.5),
        )
