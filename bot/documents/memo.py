"""The meeting memo (会谈备忘录) as a printable page: the same facts as the message, in the memo's language.

Like the message (``bot.domain.memo``), it says who met, what the client needs, what was agreed with
whom and by when, and when we are in touch next; objections, spend and the rating stay internal.
"""

from __future__ import annotations

from bot.documents.layout import NONE, Document, Field, Grid, Section, Table, Text, plain
from bot.domain.memo import MemoFacts, as_written
from bot.i18n import Translator


def memo_document(translator: Translator, facts: MemoFacts, visitors: str, number: int) -> Document:
    """The memo in ``translator``'s language; ``visitors`` names the client's side, ``number`` the visit."""

    def t(key: str, /, **params: object) -> str:
        return plain(translator, key, **params)

    heading = Grid((
        Field(t("doc.memo.to"), facts.client, wide=True),
        Field(t("doc.memo.date"), facts.day),
        Field(t("doc.memo.next_contact"), facts.next_contact),
        Field(t("doc.memo.their_side"), visitors or NONE, wide=True),
        Field(t("doc.memo.our_side_of", company=facts.company) if facts.company else t("doc.memo.our_side"),
              translator.join(facts.attendees, style="series") or NONE, wide=True),
    ))
    items: Table | Text = Text((t("doc.memo.no_items"),))
    if facts.items:
        items = Table((t("doc.memo.col.number"), t("doc.memo.col.item"), t("doc.memo.col.owner"),
                       t("doc.memo.col.due")), (1, 8, 3, 4),
                      tuple((str(n), i.text, i.owner, i.due) for n, i in enumerate(facts.items, 1)))
    note = as_written(translator.locale, facts)  # "Notes below as written, in Chinese."
    sections = (
        Section("", (heading, *((Text((t(note),)),) if note is not None else ()))),
        Section(t("doc.memo.s.needs"), (Text(tuple(facts.needs.splitlines()) or (NONE,)),)),
        Section(t("doc.memo.s.items"), (items,)),
        Section("", (Text((t("memo.closing"),)),)),
    )
    return Document(t("memo.title"), "", sections, translator.locale,
                    footer=t("doc.memo.footer", client=facts.client, number=number),
                    left_out=t("doc.left_out"))
