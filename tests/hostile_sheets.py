"""Hostile sheets for /import, made small in bytes: what a careless admin or an attacker may send.

An XLSX is written by hand (the few parts openpyxl needs), its sheet's XML streamed into the zip in
pieces, so a sheet that unpacks to hundreds of megabytes is made without holding them: a 400 MB cell
packs into 390 KB, five million blank rows into a few hundred.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator

_CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml"
 ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="xl/workbook.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""
_WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"
 xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Clients" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="worksheets/sheet1.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>
</Relationships>"""
_SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_END = b"</sheetData></worksheet>"
MB = 1024 * 1024


def xlsx(sheet_data: Iterable[bytes]) -> bytes:
    """An .xlsx whose one sheet holds ``sheet_data`` (the XML inside ``<sheetData>``, in pieces)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)):
            archive.writestr(name, part)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START)
            for piece in sheet_data:
                sheet.write(piece)
            sheet.write(_SHEET_END)
    return out.getvalue()


def row(number: int, *texts: str) -> bytes:
    """One row of inline strings, in columns A, B, C..."""
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
                    for i, text in enumerate(texts))
    return f'<row r="{number}">{cells}</row>'.encode()


def _header() -> bytes:
    return row(1, "Client name", "Contact")


def huge_cell(megabytes: int) -> bytes:
    """A client whose name is ``megabytes`` MB long (400: 390 KB packed), then a normal one."""
    def pieces() -> Iterator[bytes]:
        yield _header()
        yield b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
        chunk = b"A" * MB
        for _ in range(megabytes):
            yield chunk
        yield b"</t></is></c></row>"
        yield row(3, "Acme", "Bob")
    return xlsx(pieces())


def blank_rows(count: int) -> bytes:
    """The headers, ``count`` blank rows (each a ``<row/>`` of its own), then one client."""
    def pieces() -> Iterator[bytes]:
        yield _header()
        chunk = b"<row/>" * 100_000
        for _ in range(count // 100_000):
            yield chunk
        yield b"<row/>" * (count % 100_000)
        yield row(count + 2, "Acme", "Bob")  # numbered as if the blank rows had been counted
    return xlsx(pieces())


def far_row(number: int) -> bytes:
    """The headers, then one client in row ``number``: every row in between blank, in no bytes."""
    return xlsx([_header(), row(number, "Acme", "Bob")])


def wide_row(cells: int) -> bytes:
    """The headers, then one row of ``cells`` empty cells."""
    def pieces() -> Iterator[bytes]:
        yield _header()
        yield b'<row r="2">'
        chunk = b"<c/>" * 100_000
        for _ in range(cells // 100_000):
            yield chunk
        yield b"<c/>" * (cells % 100_000)
        yield b"</row>"
    return xlsx(pieces())


def csv_long_name(length: int) -> bytes:
    """A CSV (60 KB at 20,000 characters) with one client of a ``length``-character name among normal
    ones: Chinese characters, each a syllable of its own for the name index."""
    name = ("华为技术有限公司" * (length // 8 + 1))[:length]
    return f"Client name,Contact\nAcme,Bob\n{name},Carol\nGlobex,Dave\n".encode()


def csv_blank_rows(count: int) -> bytes:
    return b"Client name,Contact\n" + b"\n" * count + b"Acme,Bob\n"


def csv_wide_row(cells: int) -> bytes:
    return b"Client name,Contact\nAcme,Bob" + b"," * cells + b"\n"


def csv_open_quote(length: int) -> bytes:
    """A quotation mark never closed: the rest of the file (``length`` characters) is one field."""
    return b'Client name,Contact\nAcme,Bob\n"Globex,Dave\n' + b"x" * length + b"\n"
