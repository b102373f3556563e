"""The meeting minutes (客户会谈纪要) of a visit, from its debrief: an internal record, not the memo.

The handbook has the host file them within two working days, in three copies: the marketing office
keeps one, the sales VP and the department manager read the others. So unlike the memo (for the
client) they keep the objections and the outcome, and leave boxes for the manager's signature.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.documents.layout import NONE, Document, Field, Grid, Section, Table, Text
from bot.documents.sources import Sources
from bot.domain.debriefs import Debrief, Outcome
from bot.domain.tasks import Task
from bot.domain.visits import Visit
from bot.i18n import N_

OUTCOME_KEYS = {Outcome.SIGNED: N_("debrief.outcome.signed"),
                Outcome.PROGRESSING: N_("debrief.outcome.progressing"),
                Outcome.FOLLOW_UP: N_("debrief.outcome.follow_up"),
                Outcome.NO_DEAL: N_("debrief.outcome.no_deal")}


def minutes(visit: Visit, debrief: Debrief, tasks: Sequence[Task], src: Sources) -> Document:
    """The minutes in ``src``'s language (the reader's: they stay in the company)."""
    t = src.t
    labels = {p.id: t(p.key) for p in src.policy.purposes}
    executives = src.policy.executives
    named = {a.role for a in visit.attendees if a.role}
    # Everyone of ours by name, then the executives who must attend and were not named.
    ours = [src.name(user_id) for user_id in visit.people] + list(visit.named_attendees)
    ours += [t(executives[e].key) for e in visit.executives if e in executives and e not in named]
    theirs = src.join((f"{v.name} {v.title}".strip() for v in visit.visitors), style="series")
    purposes = src.join((labels.get(p) or p for p in visit.purposes), style="series")
    heading = Grid((
        Field(t("doc.min.client"), visit.client_name),
        Field(t("doc.min.place"), visit.room or NONE),
        Field(t("doc.min.when"), _when(visit, src), wide=True),
        Field(t("doc.min.their_side"), theirs or NONE, wide=True),
        Field(t("doc.min.our_side"), src.join(ours, style="series") or NONE, wide=True),
        Field(t("doc.min.purposes"), purposes or NONE, wide=True),
        Field(t("doc.min.recorder"), src.name(debrief.written_by)),
        Field(t("doc.min.written"), src.date(debrief.written_at)),
    ))
    items: Table | Text = Text((t("doc.min.no_items"),))
    if tasks:
        items = Table((t("doc.min.col.number"), t("doc.min.col.item"), t("doc.min.col.owner"),
                       t("doc.min.col.due")), (1, 8, 3, 4),
                      tuple((str(n), task.text, src.name(task.owner), src.date(task.due))
                            for n, task in enumerate(tasks, 1)))
    result = Grid((Field(t("doc.min.outcome"), t(OUTCOME_KEYS[debrief.outcome])),
                   Field(t("doc.min.next_contact"), src.date(src.noon(debrief.next_contact)))))
    sections = (
        Section("", (heading,)),
        Section(t("doc.min.s.needs"), (Text(tuple(debrief.needs.splitlines()) or (NONE,)),)),
        Section(t("doc.min.s.objections"), (Text(tuple(debrief.objections.splitlines()) or (NONE,)),)),
        Section(t("doc.min.s.items"), (items,)),
        Section(t("doc.min.s.result"), (result,)),
        Section("", (Text((t("doc.min.distribution"),)),)),
    )
    subtitle = t("doc.min.subtitle", number=visit.id, date=src.date(visit.arrival))
    return Document(t("doc.min.title"), subtitle, sections, src.locale,
                    footer=t("doc.min.footer", number=visit.id, client=visit.client_name),
                    signatures=(t("doc.min.sign.recorder"), t("doc.form.sign.date"),
                                t("doc.min.sign.manager"), t("doc.form.sign.date")))


def _when(visit: Visit, src: Sources) -> str:
    same_day = visit.arrival.astimezone(src.tz).date() == visit.departure.astimezone(src.tz).date()
    end = src.clock(visit.departure) if same_day else src.time(visit.departure)
    return f"{src.time(visit.arrival)} – {end}"
