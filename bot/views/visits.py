"""The visit card, and the notices the team gets when a visit is added, changed or cancelled."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from bot.core.callbacks import read_number
from bot.core.context import Context, keyboard
from bot.core.events import Button, Keyboard
from bot.documents.buttons import document_buttons
from bot.documents.form import MEAL_KEYS
from bot.domain.nudges import NudgeState
from bot.domain.our_side import executive_names, named_colleagues
from bot.domain.programme import span
from bot.domain.visits import Lodging, Travel, Visit, VisitStatus
from bot.i18n import N_
from bot.views import approval
from bot.views.visit_buttons import ChecklistButton, VisitButton, open_button

TRAVEL_KEYS = {"flight": N_("visit.travel.flight"), "train": N_("visit.travel.train"),
               "car": N_("visit.travel.car")}
PAYER_KEYS = {"guest": N_("visit.payer.guest"), "company": N_("visit.payer.company")}
# Met at the airport (接机) for a flight, at the station (接站) for a train.
def card(ctx: Context, visit: Visit) -> tuple[str, Keyboard]:
    """Everything about a visit on one screen, with the actions this person may take."""
    t = ctx.t
    policy = ctx.services.policy
    lines = [t("visit.card.title", number=visit.id, client=visit.client_name,
               cls=t(policy.class_(visit.class_id).name_key))]
    if visit.status is VisitStatus.CANCELLED:
        lines.append(t("visit.card.cancelled", reason=visit.cancel_reason))
    lines.append(t("visit.card.when", arrival=ctx.format_time(visit.arrival),
                   departure=ctx.format_time(visit.departure)))
    lines += _people(ctx, visit)
    lines += approval.card_lines(ctx, visit)
    lines += _logistics(ctx, visit)
    lines += [t("visit.card.note", when=ctx.format_time(n.at), text=n.text) for n in visit.notes]
    return "\n".join(lines), _buttons(ctx, visit)


def _people(ctx: Context, visit: Visit) -> list[str]:
    t = ctx.t
    lines = []
    if visit.visitors:
        # Plain text: the translator escapes parameters, so user text is escaped exactly once.
        names = [f"{v.name} {v.title}".strip() + (t("visit.card.lead_mark") if v.lead else "")
                 for v in visit.visitors]
        listed = t.join(names, style="series")
        lines.append(t.plural("visit.card.visitors", len(visit.visitors), names=listed))
        phones = _phones(ctx, visit)
        if phones:
            lines.append(t("visit.card.phones", phones=phones))
    if visit.background:
        lines.append(t("visit.card.background", text=visit.background))
    if visit.purposes:
        labels = {p.id: t(p.key) for p in ctx.services.policy.purposes}
        purposes = t.join((labels.get(p) or p for p in visit.purposes), style="series")
        lines.append(t("visit.card.purposes", purposes=purposes))
    team = [_name(ctx, member) for member in visit.team]
    team += named_colleagues(visit)
    lines.append(t("visit.card.host", host=_name(ctx, visit.host), team=t.join(team, style="series") or "—"))
    policy = ctx.services.policy
    if visit.executives:
        leaders = t.join(executive_names(ctx.t, policy, visit), style="series")
        lines.append(t("visit.card.executives", names=leaders))
    elif policy.class_(visit.class_id).executives_required:
        lines.append(t("visit.executives_missing", cls=t(policy.class_(visit.class_id).name_key)))
    return lines


def _dietary(ctx: Context, visit: Visit) -> str:
    """The note for the whole table, then each visitor's own needs: "都不喝酒；张伟 不吃辣"."""
    contacts = {c.id: c for c in ctx.services.clients.contacts(visit.client_id)}
    own = [f"{v.name} {contacts[v.contact_id].dietary}" for v in visit.visitors
           if v.contact_id in contacts and contacts[v.contact_id].dietary]
    group = visit.meals.dietary if visit.meals else ""
    return ctx.t.join((part for part in (group, *own) if part), style="notes")


def _phones(ctx: Context, visit: Visit) -> str:
    """The visitors' numbers, for whoever meets them: "张伟 138 0013 8000、David Lee +65 9123 4567"."""
    contacts = {c.id: c for c in ctx.services.clients.contacts(visit.client_id)}
    return ctx.t.join((f"{v.name} {contacts[v.contact_id].phone}" for v in visit.visitors
                       if v.contact_id in contacts and contacts[v.contact_id].phone), style="series")


def _logistics(ctx: Context, visit: Visit) -> list[str]:
    t = ctx.t
    lines = []
    travel = visit.travel
    if travel is not None:
        lines.append(_travel(ctx, travel))
        driver = _name(ctx, travel.driver) if travel.driver is not None else travel.driver_name
        who = " · ".join(part for part in (driver, travel.car) if part)
        if travel.pickup and who:
            lines.append(t("visit.card.driver", who=who))
    if visit.room or visit.projector:
        projector = t("visit.extra.projector") if visit.projector else ""
        lines.append(t("visit.card.room", room=visit.room or "—", projector=projector))
    lines += [t("visit.card.tour", tour=_when(ctx, slot.day, slot.start, slot.end, slot.text))
              for slot in visit.tours]
    if visit.tour:
        lines.append(t("visit.card.tour", tour=t.join(visit.tour, style="notes")))
    lines += [t("visit.card.agenda", item=_when(ctx, slot.day, slot.start, slot.end, slot.text))
              for slot in visit.agenda]
    if visit.lodging is not None:
        lines.append(_lodging(ctx, visit, visit.lodging))
    if visit.meals is not None:
        lines.append(t("visit.card.meals", count=visit.meals.count, dietary=_dietary(ctx, visit) or "—"))
    lines += [t("visit.card.meal", meal=_when(ctx, m.day, m.at, None, " ".join(
        part for part in (t(MEAL_KEYS[m.kind]), m.place) if part))) for m in visit.meal_plan]
    if visit.banner:
        lines.append(t("visit.card.banner", text=visit.banner))
    return lines


def _lodging(ctx: Context, visit: Visit, lodging: Lodging) -> str:
    """"🏨 住宿：香格里拉酒店（客户自理），入住：张伟、李娜": who stays, as the form lists them (every
    visitor when the stay does not say)."""
    t = ctx.t
    payer = t(PAYER_KEYS.get(lodging.payer, "visit.payer.guest"))
    guests = t.join(lodging.guests or (v.name for v in visit.visitors), style="series")
    if not guests:
        return t("visit.card.lodging", hotel=lodging.hotel, payer=payer)
    return t("visit.card.lodging_guests", hotel=lodging.hotel, payer=payer, guests=guests)


def _when(ctx: Context, day: date, start: time | None, end: time | None, text: str) -> str:
    """"12月3日 周四 14:00–15:30 生产车间" for a line of the programme."""
    moment = datetime.combine(day, time(12), tzinfo=ctx.services.settings.tz)
    return " ".join(part for part in (ctx.format_date(moment), span(start, end), text) if part)


def _travel(ctx: Context, travel: Travel) -> str:
    """🚩 ✈️ 飞机 CA1234 浦东机场，抵达 12月3日 周四 08:15，需接机: what is not known is left out."""
    t = ctx.t
    what = " ".join(part for part in (t(TRAVEL_KEYS.get(travel.mode, "visit.travel.car")), travel.number,
                                      travel.place) if part)
    line = t("visit.card.trip", what=what)
    if travel.arrives_at is not None:
        line += t("visit.card.trip_arrives", arrives=ctx.format_time(travel.arrives_at))
    if travel.pickup:
        met = N_("visit.card.pickup_flight") if travel.meets_at_airport else N_("visit.card.pickup_train")
        line += t(met)
    return line


def _buttons(ctx: Context, visit: Visit) -> Keyboard:
    if ctx.staff is None or not ctx.services.visits.can_tick(ctx.staff, visit):
        return ()
    nudges = [n for n in ctx.services.nudges.for_visit(visit.id) if n.state is not NudgeState.CANCELLED]
    done = sum(n.state is NudgeState.DONE for n in nudges)
    checklist = [Button(ctx.t("visit.button.checklist", done=done, total=len(nudges)),
                        ChecklistButton(visit.id).pack())] if nudges else []
    answer = approval.buttons(ctx, visit)  # for whoever may approve it now
    if not ctx.services.visits.can_change(ctx.staff, visit):
        return keyboard(answer, checklist)  # the office, the reception desk: their items, not the visit
    documents = document_buttons(ctx, visit)
    if visit.status is not VisitStatus.PLANNED:
        return keyboard(checklist, documents)
    return keyboard(
        answer,
        checklist,
        [Button(ctx.t("visit.button.edit"), VisitButton("edit", visit.id).pack()),
         Button(ctx.t("visit.button.reschedule"), VisitButton("move", visit.id).pack())],
        [Button(ctx.t("visit.button.note"), VisitButton("note", visit.id).pack()),
         Button(ctx.t("visit.button.cancel"), VisitButton("cancel", visit.id).pack())],
        documents,
    )


def _name(ctx: Context, user_id: int) -> str:
    staff = ctx.services.access.person(user_id)
    return staff.name if staff else str(user_id)


def show_saved(ctx: Context, visit: Visit, planned: int, *, edited: bool) -> None:
    """After Save: the card, its number, and how many reminders were planned."""
    text, buttons = card(ctx, visit)
    key = N_("visit.saved_edited") if edited else N_("visit.saved_new")
    footer = ctx.t(key, number=visit.id) + "\n" + ctx.t.plural("visit.planned", planned)
    ctx.show(text + "\n\n" + footer, buttons)


def show_already_saved(ctx: Context, number: int) -> None:
    """A button of a form card pressed after the form was saved as visit ``number`` (a crash lost the
    reply, and the card still offers Save): the card becomes the visit's, saying so; no second visit."""
    visit = visible_visit(ctx, number)
    if visit is None:
        return
    already = ctx.t("visit.already_saved", number=number)
    ctx.toast(already)
    text, buttons = card(ctx, visit)
    ctx.show(text + "\n\n" + already, buttons)


def notify_team(ctx: Context, visit: Visit, key: str, reason: str = "", *, also: Iterable[int] = (),
                was: datetime | None = None) -> None:
    """Tells everyone on the visit, and ``also`` others (who hold its items), but the person acting,
    each once and in their own language.

    ``key`` is one of the ``visit.notify_*`` messages, marked with N_ where it is chosen; ``was``
    is the arrival before a reschedule.
    """
    actor = ctx.event.user.id
    author = ctx.staff.name if ctx.staff else ""
    for user_id in dict.fromkeys((*visit.people, *also)):
        staff = ctx.services.access.person(user_id)
        if user_id == actor or staff is None or not staff.active:
            continue
        t = ctx.translator_for(staff)
        text = t(key, author=author, number=visit.id, client=visit.client_name,
                 when=ctx.format_time(visit.arrival, t), reason=reason,
                 was=ctx.format_time(was, t) if was is not None else "")
        ctx.push(user_id, text, keyboard([open_button(t, visit.id)]))


def visit_number(ctx: Context, usage: str) -> int | None:
    """The visit number typed after a command ("/visit 12", "/visit #12"), read strictly ("/visit ²"
    is none); when there is none, says ``usage`` (which names the command) and returns None."""
    typed = ctx.args[0].removeprefix("#") if ctx.args else ""
    number = read_number(typed)
    if number is None:
        ctx.reply(usage)
    return number


def visible_visit(ctx: Context, number: int) -> Visit | None:
    """The visit if this person may see it; else says "no visit #n" (the same whether it is missing
    or not theirs, so numbers reveal nothing) and returns None."""
    visit = ctx.services.visits.get(number)
    if visit is None or ctx.staff is None or not ctx.services.visits.can_see(ctx.staff, visit):
        message = ctx.t("visit.not_found", number=number)
        ctx.toast(message, alert=True) if ctx.event.is_callback else ctx.reply(message)
        return None
    return visit
