"""Any ``Document`` as one XLSX sheet laid out like the paper form: bordered grid, A4, fit to width.

The sheet is a grid of twelve equal columns; a form row puts its label over two of them and its
value over four, a table spreads its columns by their relative widths. Excel does not grow merged
rows to fit wrapped text, so each row's height is set from the longest text it holds.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.documents.layout import Document, Grid, Table, Text, pair_rows

COLUMNS = 12
COLUMN_WIDTH = 7.5  # characters of the default font; twelve of them fill A4 portrait
POINTS_PER_LINE = 15
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
SHADE = PatternFill("solid", fgColor="EBEBEB")
WRAP = Alignment(wrap_text=True, vertical="center")
NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?")
SHEET_NAME_MAX = 31
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: " " for c in "[]:*?/\\"})


def render(document: Document) -> bytes:
    """The document as XLSX bytes."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = sheet_name(document.title)
    for column in range(1, COLUMNS + 1):
        sheet.column_dimensions[get_column_letter(column)].width = COLUMN_WIDTH
    writer = _Writer(sheet)
    writer.title(document.title, document.subtitle)
    for section in document.sections:
        if section.heading:
            writer.heading(section.heading)
        for block in section.blocks:
            if isinstance(block, Grid):
                writer.grid(block)
            elif isinstance(block, Table):
                writer.table(block)
            else:
                writer.text(block)
    if document.signatures:
        writer.signatures(document.signatures)
    _print_setup(sheet, writer.row - 1, document.footer)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _print_setup(sheet: Worksheet, last_row: int, footer: str) -> None:
    sheet.print_area = f"A1:{get_column_letter(COLUMNS)}{last_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_PORTRAIT
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = f"{footer}    &P/&N"
    sheet.oddFooter.center.size = 8


def sheet_name(title: str) -> str:
    """The title as Excel allows a sheet name: 31 characters, cut at a word if it must be cut."""
    name = title.translate(FORBIDDEN_IN_SHEET_NAMES).strip()
    if len(name) <= SHEET_NAME_MAX:
        return name
    cut = name[:SHEET_NAME_MAX + 1].rsplit(" ", 1)[0]
    return cut if " " in name[:SHEET_NAME_MAX + 1] else name[:SHEET_NAME_MAX]


def display_width(text: str) -> int:
    """How many narrow columns ``text`` fills: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def lines_needed(text: str, width_chars: float) -> int:
    return sum(max(1, math.ceil(display_width(part) / max(width_chars, 1))) for part in text.split("\n"))


class _Writer:
    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.row = 1

    def title(self, title: str, subtitle: str) -> None:
        self._merged(1, COLUMNS, title, font=Font(size=16, bold=True),
                     alignment=Alignment(horizontal="center", vertical="center"), border=False)
        self.sheet.row_dimensions[self.row].height = 30
        self.row += 1
        if subtitle:
            centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
            grey = Font(size=9, color="505050")
            self._merged(1, COLUMNS, subtitle, font=grey, alignment=centred, border=False)
            self.row += 1
        self.row += 1

    def heading(self, text: str) -> None:
        self._merged(1, COLUMNS, text, font=Font(size=12, bold=True), border=False)
        self.sheet.row_dimensions[self.row].height = 20
        self.row += 1

    def grid(self, grid: Grid) -> None:
        for pair in pair_rows(grid.fields):
            spans = [(2, 4), (2, 4)] if len(pair) == 2 else [(2, 10)]
            cells: list[tuple[int, str, bool]] = []
            for field, (label_span, value_span) in zip(pair, spans, strict=False):
                cells += [(label_span, field.label, True), (value_span, field.value, False)]
            self._row(cells)
        self.row += 1

    def table(self, table: Table) -> None:
        spans = _spread(table.widths)
        self._row([(span, column, True) for span, column in zip(spans, table.columns, strict=True)])
        for values in table.rows:
            self._row([(span, value, False) for span, value in zip(spans, values, strict=True)])
        self.row += 1

    def text(self, block: Text) -> None:
        for line in block.lines:
            self._merged(1, COLUMNS, line, alignment=WRAP, border=False)
            self.sheet.row_dimensions[self.row].height = POINTS_PER_LINE * lines_needed(
                line, COLUMNS * COLUMN_WIDTH)
            self.row += 1
        self.row += 1

    def signatures(self, labels: Sequence[str]) -> None:
        for start in range(0, len(labels), 2):
            boxes = [cell for label in labels[start:start + 2] for cell in ((2, label, True), (4, "", False))]
            self._row(boxes, at_least=2)

    def _row(self, cells: list[tuple[int, str, bool]], at_least: int = 1) -> None:
        """One bordered row of (columns spanned, text, is a label) cells."""
        column, lines = 1, at_least
        for span, text, is_label in cells:
            self._merged(column, column + span - 1, text, alignment=WRAP,
                         fill=SHADE if is_label else None)
            lines = max(lines, lines_needed(text, span * COLUMN_WIDTH - 1))
            column += span
        self.sheet.row_dimensions[self.row].height = POINTS_PER_LINE * lines + 4
        self.row += 1

    def _merged(self, first: int, last: int, text: str, *, font: Font | None = None,
                alignment: Alignment | None = None, fill: PatternFill | None = None,
                border: bool = True) -> None:
        sheet, row = self.sheet, self.row
        cell = sheet.cell(row=row, column=first)
        if NUMBER.fullmatch(text):  # counts and amounts stay numbers, so the sheet can add them up
            cell.value = float(text.replace(",", ""))
            cell.number_format = "#,##0.##" if "." in text else "#,##0"
        else:
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", text)
            cell.data_type = "s"  # typed text is never a formula, even when it starts with "="
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        if fill is not None:
            cell.fill = fill
        if border:
            for column in range(first, last + 1):
                sheet.cell(row=row, column=column).border = BOX
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _spread(widths: Sequence[int]) -> list[int]:
    """Relative column widths as whole grid columns adding up to COLUMNS (each at least one)."""
    total = sum(widths)
    spans = [max(1, round(width * COLUMNS / total)) for width in widths]
    while sum(spans) > COLUMNS:
        spans[spans.index(max(spans))] -= 1
    while sum(spans) < COLUMNS:
        spans[spans.index(max(spans))] += 1
    return spans
