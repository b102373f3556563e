"""The meeting memo (会谈备忘录) the host forwards to the client within two working days.

It is written in the client's language, from the debrief: who met, what the client needs, what was
agreed with whom and by when, and when we are in touch next. Objections, spend and the rating are
internal and never appear in it. The text is Telegram HTML; every piece of user text goes in as a
translator parameter, which escapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.i18n import Translator, escape


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


def render_memo(t: Translator, facts: MemoFacts) -> str:
    """The memo in ``t``'s language, as one message ready to forward."""
    title = t("memo.title")
    lines = [f"<b>{title}</b>", "",
             t("memo.client", client=facts.client),
             t("memo.date", date=facts.day),
             (t("memo.attendees_of", company=facts.company, names=", ".join(facts.attendees)) if facts.company
              else t("memo.attendees", names=", ".join(facts.attendees))),
             "", t("memo.needs"), escape(facts.needs)]
    if facts.items:
        lines += ["", t("memo.items")]
        lines += [t("memo.item", number=number, text=item.text, owner=item.owner, due=item.due)
                  for number, item in enumerate(facts.items, 1)]
    lines += ["", t("memo.next_contact", date=facts.next_contact), "", t("memo.closing")]
    return "\n".join(lines)
