"""The reception feedback form (客户接待信息反馈表): a page for the client to tick, and the same
questions as a short message the host can send instead, both in the client lead's language.

The questions follow what the visit had: meals, lodging, a tour or a pickup are asked about only
when there were any. Nothing internal (class, budget, the debrief) is on it.
"""

from __future__ import annotations

from bot.documents.layout import Document, Field, Grid, Section, Table, Text
from bot.documents.sources import Sources
from bot.domain.clients import greeting_name
from bot.domain.visits import Visit
from bot.i18n import N_, Translator

BOX = "□"
# The scale, best first: a column of boxes each on the page, a choice each in the message.
SCALE = (N_("doc.fb.scale.very_good"), N_("doc.fb.scale.good"), N_("doc.fb.scale.fair"),
         N_("doc.fb.scale.poor"))


def questions(visit: Visit) -> list[str]:
    """The message keys of what the client is asked about, in order."""
    asked = [N_("doc.fb.q.programme"), N_("doc.fb.q.meeting"), N_("doc.fb.q.service")]
    if visit.travel is not None and visit.travel.pickup:
        asked.append(N_("doc.fb.q.pickup"))
    if visit.tours or visit.tour:
        asked.append(N_("doc.fb.q.tour"))
    if visit.meals is not None:
        asked.append(N_("doc.fb.q.meals"))
    if visit.lodging is not None:
        asked.append(N_("doc.fb.q.lodging"))
    return [*asked, N_("doc.fb.q.overall")]


def feedback_form(visit: Visit, src: Sources) -> Document:
    """The page to print or send, in ``src``'s language."""
    t = src.t
    lead = visit.lead
    to = greeting_name(lead.name, lead.title, src.locale) if lead is not None else visit.client_name
    host = " ".join(part for part in (src.name(visit.host), src.phones.get(visit.host, "")) if part)
    heading = Grid((
        Field(t("doc.fb.to"), to),
        Field(t("doc.fb.client"), visit.client_name),
        Field(t("doc.fb.dates"), _dates(visit, src)),
        Field(t("doc.fb.host"), host),
    ))
    scale = tuple(t(key) for key in SCALE)
    ratings = Table((t("doc.fb.col.question"), *scale), (6, 2, 2, 2, 2),
                    tuple((t(key), *(BOX for _ in scale)) for key in questions(visit)))
    sections = (
        Section("", (heading, Text((src.ours(N_("doc.fb.intro"), N_("doc.fb.intro_from")),)))),
        Section(t("doc.fb.s.ratings"), (ratings,)),
        Section(t("doc.fb.s.suggestions"), (Grid((Field(t("doc.fb.suggestions"), "\n\n\n", wide=True),)),)),
        Section("", (Text((t("doc.fb.thanks"),)),)),
    )
    return Document(t("doc.fb.title"), src.ours(N_("doc.fb.subtitle"), N_("doc.fb.subtitle_from")), sections,
                    src.locale, footer=t("doc.fb.footer", client=visit.client_name),
                    signatures=(t("doc.fb.sign.by"), t("doc.form.sign.date")))


def feedback_message(visit: Visit, t: Translator, company: str) -> str:
    """The same questions as a message (Telegram HTML) the host copies to the client: numbered, each
    answered with a word of the scale."""
    lead = visit.lead
    to = greeting_name(lead.name, lead.title, t.locale) if lead is not None else visit.client_name
    scale = " / ".join(t(key) for key in SCALE)
    intro = t("doc.fb.message_intro_from", company=company) if company else t("doc.fb.message_intro")
    asked = questions(visit)
    lines = [t("doc.fb.message_greeting", name=to), intro, ""]
    lines += [t("doc.fb.message_line", number=n, question=t(key), scale=scale)
              for n, key in enumerate(asked, 1)]
    lines += [t("doc.fb.message_suggestions", number=len(asked) + 1), "", t("doc.fb.thanks")]
    return "\n".join(lines)


def _dates(visit: Visit, src: Sources) -> str:
    first, last = src.date(visit.arrival), src.date(visit.departure)
    return first if first == last else f"{first} – {last}"
