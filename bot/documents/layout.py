"""A printable document as plain data: a title, then sections of labelled fields, tables and text.

The arrangement form, the itinerary and the memo are built as a ``Document`` in one language;
``pdf.render`` and ``xlsx.render`` lay any of them out on A4. Every string is final, plain text
(not Telegram HTML): ``plain`` turns a translated message back into it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.i18n import Translator

# Marks on the paper form: "√" for yes, "×" for no (打「√」/打「×」), "—" for nothing given.
YES, NO, NONE = "√", "×", "—"


@dataclass(frozen=True)
class Field:
    """A label and its value; a wide field takes a whole row, others go two to a row."""

    label: str
    value: str
    wide: bool = False


@dataclass(frozen=True)
class Grid:
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Table:
    """Columns with relative widths, and rows of the same length."""

    columns: tuple[str, ...]
    widths: tuple[int, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Text:
    lines: tuple[str, ...]


Block = Grid | Table | Text


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """One document in one language; ``signatures`` are the labels of blank boxes to sign on paper,
    ``left_out`` the note a PDF ends with when it had to leave out characters its font lacks (emoji)."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    locale: str
    footer: str = ""
    signatures: tuple[str, ...] = ()
    left_out: str = ""


def plain(t: Translator, key: str, /, **params: object) -> str:
    """A message as plain text: the translator escapes parameters for Telegram, paper needs none."""
    return html.unescape(t(key, **params))


def mark(value: bool) -> str:
    return YES if value else NO


def pair_rows(fields: tuple[Field, ...]) -> list[tuple[Field, ...]]:
    """Rows of the grid: each wide field alone, the others two by two in their order."""
    rows: list[tuple[Field, ...]] = []
    waiting: Field | None = None
    for field in fields:
        if field.wide:
            if waiting is not None:
                rows.append((waiting,))
                waiting = None
            rows.append((field,))
        elif waiting is None:
            waiting = field
        else:
            rows.append((waiting, field))
            waiting = None
    if waiting is not None:
        rows.append((waiting,))
    return rows
