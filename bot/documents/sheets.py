"""Spreadsheets people send (XLSX, CSV), read row by row within a budget.

A sheet is small in bytes and may still be huge inside: a 390 KB XLSX unpacked to a 400 MB cell
(5.4 GB and ten minutes frozen), five million blank rows took 133 s, and one row of two million
cells 44 s, before anything could be refused. So a sheet is measured before it is read whole, and
refused as soon as it passes any budget (``SheetError("import.error.too_big")``):

- an XLSX is a zip: the unpacked sizes its directory declares are added up first (the zip module
  never unpacks a member beyond its declared size), then every XML part is scanned as it is
  unpacked, counting rows (blank ones too: a row numbered 5,000,000 counts as 5,000,000), cells in a
  row and in all, and elements, and stopping at the first number over its budget (every part, the
  sheets not read too: simpler than finding the first sheet's part as openpyxl does, and a
  workbook that large has no place here). Only then does openpyxl open it, in read-only mode,
  reading the first ``COLUMNS`` columns of each row of the first sheet.
- a CSV is read a row at a time; its rows and cells are counted as they come.

A field longer than a typed answer may be (``MAX_TEXT``) is kept only to one character beyond it,
which is enough for the check to refuse its row, and the characters of all fields kept are counted
against ``CHARACTERS``, so what waits for the admin's confirmation stays small too.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import IO, Final
from xml.parsers import expat

from bot.core.text import MAX_TEXT
from bot.i18n import N_

# Rows read in all, blank ones and the headers included.
ROWS: Final = 21_000
# The columns read of each row (the template has 13).
COLUMNS: Final = 50
# Cells in one row, empty ones included (a cell formatted but empty is one in an XLSX).
ROW_CELLS: Final = 1_000
# Cells in the whole sheet (the 13 columns of the template in 20,000 rows are 260,000).
CELLS: Final = 500_000
# Characters in all the fields kept (a full template of 20,000 rows holds about two million).
CHARACTERS: Final = 3_000_000
# Bytes of an XLSX once unpacked (a full template of 20,000 rows unpacks to about 17 MB).
UNPACKED_BYTES: Final = 64 * 1024 * 1024
# Elements in one XML part of an XLSX (a cell is two to four: the cell, its value, rich text).
ELEMENTS: Final = 4 * CELLS
# Parts of an XLSX (one sheet with its styles and a few pictures is about a dozen).
PARTS: Final = 2_000

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _CELL = f"{_MAIN} row", f"{_MAIN} c"
_CHUNK = 64 * 1024


class SheetError(Exception):
    """The file as a whole cannot be imported; ``key`` is the message that says why."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def too_big() -> SheetError:
    return SheetError(N_("import.error.too_big"), rows=ROWS, cells=CELLS, row_cells=ROW_CELLS,
                      characters=CHARACTERS)


def rows(filename: str, content: bytes) -> Iterator[tuple[int, list[str]]]:
    """The rows of an .xlsx (its first sheet) or .csv file as texts, numbered as the spreadsheet
    numbers them; raises ``SheetError`` for a file it cannot read or one over a budget."""
    cells = characters = 0
    raw = _xlsx_rows(content) if filename.lower().endswith(".xlsx") else _csv_rows(content)
    for count, (number, values) in enumerate(raw, 1):
        if count > ROWS or len(values) > ROW_CELLS:
            raise too_big()
        texts = [text(value) for value in values[:COLUMNS]]
        cells += len(texts) - texts.count("")
        characters += sum(map(len, texts))
        if cells > CELLS or characters > CHARACTERS:
            raise too_big()
        yield number, texts


def text(cell: object) -> str:
    """A cell as text: dates as ISO days, whole numbers without ".0" (phone numbers typed as numbers),
    spaces collapsed; one character beyond ``MAX_TEXT`` at most."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    value = str(cell)
    if len(value) > 4 * MAX_TEXT:  # too long however many spaces it holds; splitting it whole could
        return value[:MAX_TEXT + 1]  # make millions of words
    return " ".join(value.split())[:MAX_TEXT + 1]


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    # openpyxl is loaded when a sheet is first read or made, not by every start of the bot.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _measure(archive)
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError,
            NotImplementedError, RuntimeError, expat.ExpatError) as error:
        raise SheetError(N_("import.error.unreadable")) from error
    try:
        sheet = book.worksheets[0]
        # The rows the sheet holds, not the size it claims: a claim of a million rows would be
        # padded with blank ones.
        sheet.reset_dimensions()
        yield from enumerate(sheet.iter_rows(max_col=COLUMNS, values_only=True), 1)
    finally:
        book.close()


def _measure(archive: zipfile.ZipFile) -> None:
    """Refuses an archive over a budget, reading no more of it than it takes to tell."""
    members = archive.infolist()
    if len(members) > PARTS or sum(member.file_size for member in members) > UNPACKED_BYTES:
        raise too_big()
    for member in members:
        if member.filename.endswith((".xml", ".rels")):
            with archive.open(member) as part:
                _Counter().scan(part)


class _Counter:
    """Counts an XML part's elements, and a worksheet's rows and cells, as it is parsed."""

    def __init__(self) -> None:
        self.elements = self.row = self.cells = self.in_row = 0
        self._parser = expat.ParserCreate(namespace_separator=" ")
        self._parser.StartElementHandler = self._start
        # A sheet never declares a DTD; one could define entities that expand without end.
        self._parser.StartDoctypeDeclHandler = self._doctype

    def scan(self, part: IO[bytes]) -> None:
        while chunk := part.read(_CHUNK):
            self._parser.Parse(chunk, False)
        self._parser.Parse(b"", True)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        self.elements += 1
        if name == _ROW:
            number = attributes.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.in_row = 0
        elif name == _CELL:
            self.in_row += 1
            self.cells += 1
        if self.elements > ELEMENTS or self.row > ROWS or self.in_row > ROW_CELLS or self.cells > CELLS:
            raise too_big()

    def _doctype(self, *declaration: object) -> None:
        raise SheetError(N_("import.error.unreadable"))


def _csv_rows(content: bytes) -> Iterator[tuple[int, Sequence[object]]]:
    # Excel on a Chinese Windows saves CSV in GBK (GB18030 is its superset); everyone else in UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SheetError(N_("import.error.unreadable"))
    if "\0" in decoded:
        raise SheetError(N_("import.error.unreadable"))
    first = decoded[:decoded.find("\n")] if "\n" in decoded else decoded
    delimiter = max((",", ";", "\t", "，"), key=first.count)
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    try:
        yield from enumerate(reader, 1)
    except csv.Error as error:
        # The csv module refuses a field over its own limit (131,072 characters), most often made by
        # a quotation mark left open, which runs on to the end of the file. Its error names no cause
        # but in its words.
        if "field limit" in str(error):
            raise SheetError(N_("import.error.csv_field"), row=reader.line_num, limit=MAX_TEXT) from error
        raise SheetError(N_("import.error.unreadable")) from error
