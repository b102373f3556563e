"""The meeting memo (会谈备忘录) the host forwards to the client within two working days.

It is written in the client's language, from the debrief: who met, what the client needs, what was
agreed with whom and by when, and when we are in touch next. Objections, spend and the rating are
internal and never appear in it. The text is Telegram HTML; every piece of user text goes in as a
translator parameter, which escapes it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import N_, Translator, escape

# Said when the notes are in another language than the memo: they are quoted as typed, never
# translated, and the reader should know why a line of Chinese stands in an English memo.
AS_WRITTEN = {"zh": N_("memo.as_written.zh"), "en": N_("memo.as_written.en")}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class MemoItem:
    """An agreed open item, ready to print: the owner's name and the due date already formatted."""

    text: str
    owner: str
    due: str


@dataclass(frozen=True)
class MemoFacts:
    """What the memo says, with dates already formatted in the memo's language."""

    client: str
    day: str
    attendees: Sequence[str]
    needs: str
    items: Sequence[MemoItem]
    next_contact: str
    company: str = ""  # ours, as an admin set it; "" says 我方 / our


def written_in(facts: MemoFacts) -> str | None:
    """The language the debrief's notes were typed in, as their script tells: "zh" when any is in
    Chinese characters, "en" when they are in Latin letters only, None when there is nothing to tell."""
    typed = facts.needs + "\n".join(item.text for item in facts.items)
    if _CJK.search(typed):
        return "zh"
    return "en" if _LATIN.search(typed) else None


def as_written(locale: str, facts: MemoFacts) -> str | None:
    """The key of "Notes below as written, in Chinese." when the notes are not in the language of a
    memo in ``locale``; None when they are (Simplified and Traditional Chinese count as one)."""
    written = written_in(facts)
    memo_language = "zh" if locale.startswith("zh") else "en"
    return AS_WRITTEN[written] if written is not None and written != memo_language else None


def render_memo(t: Translator, facts: MemoFacts) -> str:
    """The memo in ``t``'s language, as one message ready to forward."""
    title = t("memo.title")
    attendees = t.join(facts.attendees, style="series")
    lines = [f"<b>{title}</b>", "",
             t("memo.client", client=facts.client),
             t("memo.date", date=facts.day),
             (t("memo.attendees_of", company=facts.company, names=attendees) if facts.company
              else t("memo.attendees", names=attendees)), ""]
    note = as_written(t.locale, facts)
    if note is not None:
        lines += [t(note), ""]
    lines += [t("memo.needs"), escape(facts.needs)]
    if facts.items:
        lines += ["", t("memo.items")]
        lines += [t("memo.item", number=number, text=item.text, owner=item.owner, due=item.due)
                  for number, item in enumerate(facts.items, 1)]
    lines += ["", t("memo.next_contact", date=facts.next_contact), "", t("memo.closing")]
    return "\n".join(lines)
