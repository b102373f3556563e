"""/form, /itinerary, /memo <n>, /calendar and the document buttons of a visit card.

Each sends a file as a document: the arrangement form (PDF and XLSX, in the reader's
language), the itinerary and the memo (PDF, in the client lead's language), a visit's .ics, and a
feed of the reader's own upcoming visits. Whoever may see the visit card may have its documents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial

from bot.core.context import Context, keyboard
from bot.core.events import RenderDocument, SendDocument
from bot.core.router import Router
from bot.documents import ics
from bot.documents.buttons import DocumentButton, DocumentKind
from bot.documents.feedback import feedback_form, feedback_message
from bot.documents.form import arrangement_form
from bot.documents.itinerary import itinerary
from bot.documents.layout import Document, plain
from bot.documents.memo import memo_document
from bot.documents.minutes import minutes
from bot.documents.sources import Sources
from bot.domain.memo import MemoFacts, MemoItem
from bot.domain.visits import Visit, VisitStatus
from bot.handlers.debrief import start_button
from bot.i18n import N_
from bot.views.visits import visible_visit, visit_number

router = Router()
FEED_DAYS = 366


@router.command("form", menu=N_("cmd.form"))
def form_command(ctx: Context) -> None:
    """Sends the arrangement form of visit <n> as PDF and XLSX."""
    _by_number(ctx, "form", send_form)


@router.command("itinerary", menu=N_("cmd.itinerary"))
def itinerary_command(ctx: Context) -> None:
    """Sends the itinerary of visit <n> for the client's lead."""
    _by_number(ctx, "itinerary", send_itinerary)


@router.command("memo", menu=N_("cmd.memo"))
def memo_command(ctx: Context) -> None:
    """Sends the meeting memo of visit <n>, or offers to write the debrief it comes from."""
    _by_number(ctx, "memo", send_memo)


@router.command("minutes", menu=N_("cmd.minutes"))
def minutes_command(ctx: Context) -> None:
    """Sends the meeting minutes of visit <n>, or offers to write the debrief they come from."""
    _by_number(ctx, "minutes", send_minutes)


@router.command("feedback", menu=N_("cmd.feedback"))
def feedback_command(ctx: Context) -> None:
    """Sends the feedback form of visit <n> for the client, and its questions as a message."""
    _by_number(ctx, "feedback", send_feedback)


@router.command("calendar", menu=N_("cmd.calendar"))
def calendar_command(ctx: Context) -> None:
    """Sends one .ics with this person's upcoming visits; /calendar <n> sends one visit's."""
    if ctx.args:
        _by_number(ctx, "calendar", send_ics)
        return
    assert ctx.staff is not None
    upcoming = _upcoming(ctx, ctx.staff.user_id)
    planned = [visit for visit in upcoming if visit.status is VisitStatus.PLANNED]
    if not planned:
        ctx.reply(ctx.t("doc.feed.none"))
        return
    bot = ctx.services.bot_username
    events = [ics.visit_event(visit, Sources.of(ctx.services, ctx.t, visit), bot) for visit in upcoming]
    content = ics.calendar_file(events, plain(ctx.t, N_("doc.ics.feed_name")))
    _document(ctx, "my-visits.ics", content, ctx.t.plural("doc.caption.feed", len(planned)))


def _upcoming(ctx: Context, user_id: int) -> list[Visit]:
    """The person's visits not yet over, by arrival; cancelled ones too, so that importing the feed
    again marks them cancelled in a calendar that still has them."""
    end = ctx.now + timedelta(days=FEED_DAYS)
    return ctx.services.visits.not_over(user_id, ctx.now, end)


@router.callback(DocumentButton.prefix)
def document_button(ctx: Context) -> None:
    """The card's buttons: 📄 Form, 🧭 Itinerary, 📝 Memo, 🗓 Calendar."""
    button = DocumentButton.from_args(ctx.args)
    visit = visible_visit(ctx, button.visit)
    if visit is not None:
        _SENDERS[button.document](ctx, visit)


def send_form(ctx: Context, visit: Visit) -> None:
    """The arrangement form in the reader's language: the PDF to print, the XLSX to edit."""
    document = arrangement_form(visit, Sources.of(ctx.services, ctx.t, visit))
    caption = ctx.t("doc.caption.form", number=visit.id, client=visit.client_name)
    _made_later(ctx, f"visit-{visit.id}-form.pdf", partial(_pdf, document), caption)
    _made_later(ctx, f"visit-{visit.id}-form.xlsx", partial(_xlsx, document),
                ctx.t("doc.caption.form_xlsx"))


def send_itinerary(ctx: Context, visit: Visit) -> None:
    """The itinerary in the lead contact's language (else the reader's, who forwards it)."""
    if visit.status is VisitStatus.CANCELLED:
        ctx.reply(ctx.t("doc.itin.cancelled", number=visit.id))
        return
    locale = ctx.services.debriefs.memo_locale(visit)
    t = ctx.services.i18n.get(locale) if locale is not None else ctx.t
    document = itinerary(visit, Sources.of(ctx.services, t, visit))
    lead = visit.lead
    caption = ctx.t("doc.caption.itinerary", language=ctx.t(f"lang.name.{t.locale}"),
                    lead=lead.name if lead is not None else visit.client_name)
    _made_later(ctx, f"visit-{visit.id}-itinerary.pdf", partial(_pdf, document), caption)
    me = ctx.staff
    if (me is not None and me.user_id == visit.host and not me.phone and not me.phone_asked
            and ctx.services.flows.active(me.user_id) is None):
        ctx.services.flows.start(ctx, "my_phone", {"visit_id": visit.id})


def send_memo(ctx: Context, visit: Visit) -> None:
    """The memo as a PDF and as the message to forward; without a debrief, says so and offers it."""
    services = ctx.services
    debrief = services.debriefs.get(visit.id)
    if debrief is None:
        if ctx.now < visit.arrival or visit.status is VisitStatus.CANCELLED:
            ctx.reply(ctx.t("doc.memo.not_yet", number=visit.id, arrival=ctx.format_time(visit.arrival)))
        else:
            ctx.reply(ctx.t("doc.memo.none", number=visit.id, client=visit.client_name),
                      keyboard([start_button(ctx.t, visit.id)]))
        return
    t = services.i18n.get(debrief.memo_locale) if debrief.memo_locale else ctx.t
    tasks = services.debriefs.tasks_of(visit.id)
    src = Sources.of(services, t, visit, others=[task.owner for task in tasks])
    items = [MemoItem(task.text, src.name(task.owner), src.date(task.due)) for task in tasks]
    facts = MemoFacts(
        client=visit.client_name, day=src.date(visit.arrival),
        attendees=[*(src.name(u) for u in visit.people), *visit.named_attendees],
        needs=debrief.needs, items=items, next_contact=src.date(_noon(src, debrief.next_contact)),
        company=src.company)
    visitors = t.join((f"{v.name} {v.title}".strip() for v in visit.visitors), style="series")
    caption = ctx.t("doc.caption.memo", number=visit.id, language=ctx.t(f"lang.name.{t.locale}"))
    document = memo_document(t, facts, visitors, visit.id)
    _made_later(ctx, f"visit-{visit.id}-memo.pdf", partial(_pdf, document), caption)
    if debrief.memo:
        ctx.reply(debrief.memo)


def send_minutes(ctx: Context, visit: Visit) -> None:
    """The minutes in the reader's language (they stay in the company); without a debrief, says so."""
    services = ctx.services
    debrief = services.debriefs.get(visit.id)
    if debrief is None:
        _no_debrief_yet(ctx, visit)
        return
    tasks = services.debriefs.tasks_of(visit.id)
    src = Sources.of(services, ctx.t, visit, others=[task.owner for task in tasks] + [debrief.written_by])
    document = minutes(visit, debrief, tasks, src)
    caption = ctx.t("doc.caption.minutes", number=visit.id, client=visit.client_name)
    _made_later(ctx, f"visit-{visit.id}-minutes.pdf", partial(_pdf, document), caption)


def send_feedback(ctx: Context, visit: Visit) -> None:
    """The feedback form in the lead contact's language, and its questions as a message to copy."""
    if visit.status is VisitStatus.CANCELLED:
        ctx.reply(ctx.t("doc.fb.cancelled", number=visit.id))
        return
    locale = ctx.services.debriefs.memo_locale(visit)
    t = ctx.services.i18n.get(locale) if locale is not None else ctx.t
    src = Sources.of(ctx.services, t, visit)
    caption = ctx.t("doc.caption.feedback", language=ctx.t(f"lang.name.{t.locale}"), number=visit.id)
    _made_later(ctx, f"visit-{visit.id}-feedback.pdf", partial(_pdf, feedback_form(visit, src)), caption)
    ctx.reply(feedback_message(visit, t, src.company))


def _no_debrief_yet(ctx: Context, visit: Visit) -> None:
    """Before the visit: not yet; after it: the debrief comes first, and a button opens it."""
    if ctx.now < visit.arrival or visit.status is VisitStatus.CANCELLED:
        ctx.reply(ctx.t("doc.min.not_yet", number=visit.id, arrival=ctx.format_time(visit.arrival)))
    else:
        ctx.reply(ctx.t("doc.min.none", number=visit.id, client=visit.client_name),
                  keyboard([start_button(ctx.t, visit.id)]))


def send_ics(ctx: Context, visit: Visit) -> None:
    """One visit as a calendar file; importing it again after a change updates the same event."""
    event = ics.visit_event(visit, Sources.of(ctx.services, ctx.t, visit), ctx.services.bot_username)
    content = ics.calendar_file([event], plain(ctx.t, N_("doc.ics.summary"), client=visit.client_name,
                                                number=visit.id))
    _document(ctx, f"visit-{visit.id}.ics", content, ctx.t("doc.caption.ics", number=visit.id))


_SENDERS: dict[DocumentKind, Callable[[Context, Visit], None]] = {
    "form": send_form, "itin": send_itinerary, "memo": send_memo, "ics": send_ics, "min": send_minutes,
    "fb": send_feedback}


def _by_number(ctx: Context, command: str, sender: Callable[[Context, Visit], None]) -> None:
    visit_id = visit_number(ctx, ctx.t("doc.usage", example=f"/{command} 12"))
    visit = visible_visit(ctx, visit_id) if visit_id is not None else None
    if visit is not None:
        sender(ctx, visit)



def _document(ctx: Context, filename: str, content: bytes, caption: str) -> None:
    ctx.actions.append(SendDocument(ctx.event.chat_id, filename, content, caption))


def _pdf(document: Document) -> bytes:
    # fpdf2 and fontTools (35 MB resident) are loaded with the first PDF, not by every start.
    from bot.documents import pdf

    return pdf.render(document)


def _xlsx(document: Document) -> bytes:
    from bot.documents import xlsx  # openpyxl, likewise

    return xlsx.render(document)


def _made_later(ctx: Context, filename: str, render: Callable[[], bytes], caption: str) -> None:
    """A PDF or sheet made off the core thread (about a second for a PDF): see ``RenderDocument``."""
    ctx.actions.append(RenderDocument(ctx.event.chat_id, filename, render, caption,
                                      if_failed=ctx.t("error.generic")))


def _noon(src: Sources, day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=src.tz)
