"""From the form's answers to a saved visit (and back, to edit one), and how answers read on the card."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from bot.core.context import Context
from bot.domain.approval import resubmitted
from bot.domain.clashes import CAR, DRIVER, Booking, pickup_bookings, room_booking
from bot.domain.clients import Client, Contact
from bot.domain.policy import BudgetItem
from bot.domain.visits import Attendee, Meals, Travel, Visit, Visitor
from bot.flows import visit_options as opt
from bot.flows import visit_programme as prog
from bot.flows import visitor_details as details
from bot.flows.model import Answers, Step
from bot.i18n import N_, Translator, country_names, escape
from bot.views import approval, clashes
from bot.views.visits import notify_team, show_saved

# Budget steps and the policy's budget item each is checked against.
BUDGET_STEPS: dict[str, BudgetItem] = {"meal_budget": "meal", "gift_budget": "gift"}


def save(ctx: Context, answers: Answers) -> int:
    """Stores the visit (new, or the one being edited), then shows its card and tells the team;
    returns its number."""
    assert ctx.staff is not None
    client = _client(ctx, answers)
    editing = ctx.services.visits.get(int(answers["visit_id"])) if "visit_id" in answers else None
    visit = _visit(ctx, answers, client, editing)
    if editing is None:
        saved, planned = ctx.services.visits.create(visit)
    else:
        saved, planned = ctx.services.visits.update(resubmitted(editing, visit))
        _forget_removed(ctx, editing, saved)
    show_saved(ctx, saved, planned, edited=editing is not None)
    notify_team(ctx, saved, N_("visit.notify_edited") if editing else N_("visit.notify_added"))
    approval.ask(ctx, editing, saved)
    clashes.warn(ctx, saved)
    return saved.id


def _client(ctx: Context, answers: Answers) -> Client:
    assert ctx.staff is not None
    chosen = answers["client"]
    if isinstance(chosen, dict):
        return ctx.services.clients.create(
            chosen["new"], country=opt.country_of(answers),
            industry=answers.get("industry", ""), default_class=answers["cls"],
            by=ctx.staff.user_id, now=ctx.now)
    client = ctx.services.clients.get(int(chosen))
    assert client is not None, "a client chosen from the search exists"
    return client


def _visitors(ctx: Context, answers: Answers, client: Client, editing: Visit | None) -> tuple[Visitor, ...]:
    """The visitors answered, each a contact of the client: a known one, or one made from what was
    typed (marked ``added``, also when a saved visit is edited again). Each person once."""
    lead = int(answers.get("lead", 0))
    clients = ctx.services.clients
    known = {f"c{c.id}": c for c in clients.contacts(client.id)}
    before = {v.contact_id: v for v in editing.visitors} if editing is not None else {}
    visitors: dict[int, Visitor] = {}
    for index, item in enumerate(answers.get("visitors", [])):
        contact, added = known.get(item), False
        if contact is None:
            if opt.CONTACT_ID.fullmatch(item):  # a contact deleted since the form was opened
                continue
            name, title = opt.split_visitor(item)
            added = clients.contact_named(client.id, name) is None
            contact = clients.find_or_add_contact(client.id, name, title)
        previous = before.get(contact.id)
        added = added or (previous is not None and previous.added)
        if contact.id not in visitors:
            visitors[contact.id] = Visitor(contact.id, contact.name, contact.title, lead=index == lead,
                                           added=added)
    return tuple(visitors.values())


def _forget_removed(ctx: Context, before: Visit, after: Visit) -> None:
    """Contacts this visit's own entries made for people since taken off it are deleted, unless
    another visit has them or someone has told more about them: a mistyped visitor must not stay
    a client contact and get greetings."""
    kept = {visitor.contact_id for visitor in after.visitors}
    for visitor in before.visitors:
        if not visitor.added or visitor.contact_id in kept:
            continue
        if not ctx.services.visits.with_contact(after.client_id, visitor.contact_id):
            ctx.services.clients.forget_bare_contact(visitor.contact_id)


def _team(ctx: Context, answers: Answers) -> tuple[int, ...]:
    team = []
    for item in answers.get("team", []):
        staff = ctx.services.access.person(int(item)) if item.isdigit() else opt.staff_by_name(ctx, item)
        if staff is not None and staff.user_id not in team:
            team.append(staff.user_id)
    return tuple(team)


def _attendees(ctx: Context, answers: Answers) -> tuple[Attendee, ...]:
    """Ours by name: colleagues not on the bot from the team step (赵刚 经理), and the executives
    typed with their title (赵刚 总经理), linked to the colleague when one of that name is on the bot."""
    attendees = []
    for item in answers.get("team", []):
        typed = opt.outsider(item) if not item.isdigit() and opt.staff_by_name(ctx, item) is None else None
        if typed is not None:
            attendees.append(Attendee(*typed))
    for item in answers.get("executives", []):
        named = opt.named_executive(ctx, item)
        if named is not None:
            staff = opt.staff_by_name(ctx, named[0])
            attendees.append(Attendee(*named, user_id=staff.user_id if staff else None))
    return tuple(attendees)


def _visit(ctx: Context, answers: Answers, client: Client, editing: Visit | None) -> Visit:
    assert ctx.staff is not None
    arrival, departure = opt.parse_when(answers["arrival"]), opt.parse_when(answers["departure"])
    extras = set(answers.get("extras", []))
    visitors = _visitors(ctx, answers, client, editing)
    group_diet = details.apply(ctx, answers, visitors)
    fields: dict[str, Any] = {
        "client_id": client.id, "client_name": client.name, "class_id": answers["cls"],
        "arrival": arrival, "departure": departure, "visitors": visitors,
        "purposes": tuple(answers.get("purposes", [])), "team": _team(ctx, answers),
        "executives": tuple(opt.executive_ids(ctx, answers.get("executives", []))),
        "attendees": _attendees(ctx, answers), "travel": _travel(ctx, answers),
        "room": answers.get("room", ""), "projector": "projector" in extras,
        "background": answers.get("background", ""),
        **prog.fields(ctx, answers, visitors),
        "meals": Meals(int(answers["meals"]), dietary=group_diet)
        if answers.get("meals") else None,
        "gifts": "gifts" if "gifts" in extras else "", "photo": "photo" in extras,
        "name_cards": "name_cards" in extras,
        "banner": banner_text(ctx, client, visitors) if "banner" in extras else "",
        "budget": tuple((item, float(answers[step]))
                        for step, item in BUDGET_STEPS.items() if step in answers),
    }
    if editing is not None:
        return replace(editing, **fields)
    return Visit(id=0, host=ctx.staff.user_id, created_at=ctx.now, created_by=ctx.staff.user_id, **fields)


def _travel(ctx: Context, answers: Answers) -> Travel | None:
    mode = answers.get("travel")
    if mode is None:
        return None
    arrives = answers.get("travel_arrives")
    driver, driver_name = _driver(ctx, str(answers.get("driver", "")))
    return Travel(mode, answers.get("travel_number", ""), answers.get("travel_place", ""),
                  opt.parse_when(arrives) if arrives else None, bool(answers.get("pickup", False)),
                  driver=driver, driver_name=driver_name, car=answers.get("car", ""))


def _driver(ctx: Context, answer: str) -> tuple[int | None, str]:
    """A colleague on the bot (pressed, or typed by name) gets the pickup's reminders; anyone else
    is kept as typed ("刘师傅 13900001111") and the host passes the reminders on."""
    if not answer:
        return None, ""
    staff = ctx.services.access.person(int(answer)) if answer.isdigit() else opt.staff_by_name(ctx, answer)
    return (staff.user_id, "") if staff is not None else (None, answer)


def banner_text(ctx: Context, client: Client, visitors: tuple[Visitor, ...]) -> str:
    """The welcome line of the handbook, 「欢迎***莅临**公司考察指导工作」, drafted from the names."""
    lead = next((v for v in visitors if v.lead), visitors[0] if visitors else None)
    contacts = ctx.services.clients.contacts(client.id)
    contact = next((c for c in contacts if lead is not None and c.id == lead.contact_id), None)
    guest = ctx.services.clients.greeting_name(contact, ctx.t.locale) if contact else client.name
    company = ctx.services.company.name()
    if company:
        return ctx.t("visit.banner_text_to", guest=guest, client=client.name, company=company)
    return ctx.t("visit.banner_text", guest=guest, client=client.name)


def answers_of(visit: Visit, contacts: Mapping[int, Contact], tz: tzinfo, t: Translator) -> Answers:
    """A saved visit as the form's answers, to open its review card for editing (what is typed
    back, in ``t``'s language)."""
    extras = [name for name, on in (("projector", visit.projector), ("banner", bool(visit.banner)),
                                    ("name_cards", visit.name_cards), ("photo", visit.photo),
                                    ("gifts", bool(visit.gifts))) if on]
    answers: Answers = {
        "visit_id": visit.id, "client": str(visit.client_id),
        "visitors": [f"c{v.contact_id}" if v.contact_id in contacts else v.name for v in visit.visitors],
        "cls": visit.class_id, "purposes": list(visit.purposes), "arrival": visit.arrival.isoformat(),
        "departure": visit.departure.isoformat(),
        "team": [str(member) for member in visit.team] + [
            f"{a.name} {a.title}" for a in visit.attendees if not a.role and a.user_id is None],
        "executives": _executives_answer(visit), "extras": extras, "lodging": visit.lodging is not None,
        "meals": visit.meals.count if visit.meals else 0,
    }
    lead = next((i for i, v in enumerate(visit.visitors) if v.lead), None)
    if lead is not None and len(visit.visitors) > 1:
        answers["lead"] = str(lead)
    if visit.room:
        answers["room"] = visit.room
    if visit.background:
        answers["background"] = visit.background
    answers |= details.answers_of(visit, contacts, t)
    answers |= prog.answers_of(visit, tz)
    if visit.travel is not None:
        answers |= _travel_answers(visit.travel)
    if visit.lodging is not None:
        answers |= {"hotel": visit.lodging.hotel, "payer": visit.lodging.payer}
    for step, item in BUDGET_STEPS.items():
        amount = dict(visit.budget).get(item)
        if amount is not None:
            answers[step] = int(amount) if float(amount).is_integer() else amount
    return answers


def _executives_answer(visit: Visit) -> list[str]:
    """The roles ticked, a role filled by someone named as that person ("赵刚 总经理")."""
    named = {a.role: f"{a.name} {a.title}" for a in visit.attendees if a.role}
    return [named.get(role, role) for role in visit.executives]


def _travel_answers(travel: Travel) -> Answers:
    answers: Answers = {"travel": travel.mode, "pickup": travel.pickup}
    if travel.driver is not None or travel.driver_name:
        answers["driver"] = str(travel.driver) if travel.driver is not None else travel.driver_name
    if travel.car:
        answers["car"] = travel.car
    if travel.number:
        answers["travel_number"] = travel.number
    if travel.place:
        answers["travel_place"] = travel.place
    if travel.arrives_at is not None:
        answers["travel_arrives"] = travel.arrives_at.isoformat()
    return answers


def describe(ctx: Context, step: Step, value: Any, answers: Answers) -> str:
    """Answers that need names or a warning on the review card; "" leaves the rest to the engine."""
    if step.id == "client":
        if isinstance(value, dict):
            return ctx.t("visit.client_is_new", name=value["new"])
        client = ctx.services.clients.get(int(value))
        return escape(client.name) if client else ""
    if step.id == "country":  # as typed ("jp", "法國"), by its name in the reader's language: 日本, 法国
        return escape(country_names(ctx.t.locale).get(opt.country_of(answers), str(value)))
    if step.id == "visitors":
        names = opt.visitor_names(ctx, answers)
        return ctx.t.join((escape(name) for name in names), style="series")
    if step.id == "lead":
        names = opt.visitor_names(ctx, answers)
        return escape(names[int(value)]) if int(value) < len(names) else ""
    if step.id in ("driver", "car"):
        shown = escape(_staff_name(ctx, value) if step.id == "driver" else value)
        note = _clash_note(ctx, step, _pickup(ctx, DRIVER if step.id == "driver" else CAR, answers), answers)
        return "\n".join(part for part in (shown, note) if part)
    if step.id == "team":
        team = ctx.t.join((escape(_staff_name(ctx, item)) for item in value), style="series")
        return team or ctx.t("flow.none")
    if step.id == "executives":
        return _executives(ctx, value, answers)
    if step.id in details.FIELDS:
        return details.describe(ctx, step.id, value, answers)
    if step.id in ("tour", "agenda", "meal_plan", "stay", "room_rate"):
        return prog.describe(ctx, step.id, value, answers)
    if step.id in BUDGET_STEPS:
        return _budget(ctx, BUDGET_STEPS[step.id], value, answers)
    if step.id == "room":
        return _room(ctx, step, value, answers)
    return ""


def _staff_name(ctx: Context, item: str) -> str:
    staff = ctx.services.access.person(int(item)) if item.isdigit() else opt.staff_by_name(ctx, item)
    return staff.name if staff else item


def _executives(ctx: Context, value: list[str], answers: Answers) -> str:
    policy = ctx.services.policy
    names = ctx.t.join((ctx.t(policy.executives[e].key) if e in policy.executives else escape(e)
                        for e in value), style="series")
    if not names:
        return ctx.t("flow.none")
    needed = policy.notice_days(opt.executive_ids(ctx, value))
    days_left = (opt.parse_when(answers["arrival"]) - ctx.now).days if "arrival" in answers else needed
    if days_left < needed:
        return names + "\n" + ctx.t("visit.notice_short", days=needed)
    return names


def _budget(ctx: Context, item: BudgetItem, value: float, answers: Answers) -> str:
    policy, cls = ctx.services.policy, answers.get("cls", "C")
    shown = ctx.t("visit.per_person", amount=_amount(value))
    if policy.over_budget(cls, item, Decimal(str(value))):
        approvers = ctx.t.join(ctx.t(key) for key in policy.approvers_for(cls, item))
        limit = policy.limit(cls, item)
        return shown + "\n" + ctx.t("visit.over_budget", limit=_amount(limit), approvers=approvers)
    return shown


def _room(ctx: Context, step: Step, value: str, answers: Answers) -> str:
    """The room, and a warning when another visit has it at an overlapping time."""
    if "arrival" not in answers or "departure" not in answers:
        return ""
    booking = room_booking(value, opt.parse_when(answers["arrival"]), opt.parse_when(answers["departure"]))
    note = _clash_note(ctx, step, [booking] if booking else [], answers)
    return f"{escape(value)}\n{note}" if note else ""


def _pickup(ctx: Context, what: str, answers: Answers) -> list[Booking]:
    """The pickup's driver on the bot or its car (``what``), as the answers so far have them."""
    if "arrival" not in answers:
        return []
    held = pickup_bookings(_travel(ctx, answers), opt.parse_when(answers["arrival"]))
    return [booking for booking in held if booking.what == what]


def _clash_note(ctx: Context, step: Step, mine: list[Booking], answers: Answers) -> str:
    """What another visit holds of ``mine`` at an overlapping time, and the button that changes it."""
    found = ctx.services.visits.clashes_of(mine, own=int(answers.get("visit_id", 0)))
    if not found:
        return ""
    return "\n".join([*clashes.lines(ctx, found), ctx.t("clash.review_hint", label=ctx.t(step.label))])


def _amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def warnings(ctx: Context, answers: Answers) -> list[str]:
    """What the review card warns of beyond single answers: a class that needs an executive with none."""
    found = []
    cls = answers.get("cls")
    policy = ctx.services.policy
    if cls is not None and policy.class_(cls).executives_required and not opt.executive_ids(
            ctx, answers.get("executives", [])):
        found.append(ctx.t("visit.executives_missing", cls=ctx.t(policy.class_(cls).name_key)))
    return found + prog.warnings(ctx, answers)

