"""The arrangement form (客户接待安排表) of a visit, in the fields and order of the handbook's paper form.

It is filled at least a day before the visit and handed to the department head in three copies;
the approval boxes at the bottom stay blank for signatures. The form is internal: it carries the
budget and the reception class, which the itinerary for the client never shows.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from bot.documents.layout import NONE, Document, Field, Grid, Section, Table, Text, mark
from bot.documents.sources import Sources
from bot.domain.policy import BudgetItem
from bot.domain.programme import span
from bot.domain.visits import Slot, Travel, Visit, VisitStatus
from bot.i18n import N_

TRAVEL_KEYS = {"flight": N_("doc.travel.flight"), "train": N_("doc.travel.train"),
               "car": N_("doc.travel.car"), "other": N_("doc.travel.other")}
PAYER_KEYS = {"guest": N_("doc.payer.guest"), "company": N_("doc.payer.company")}
STATUS_KEYS = {VisitStatus.PLANNED: N_("doc.status.planned"), VisitStatus.DONE: N_("doc.status.done"),
               VisitStatus.CANCELLED: N_("doc.status.cancelled")}
MEAL_KEYS = {"breakfast": N_("visit.meal.breakfast"), "lunch": N_("visit.meal.lunch"),
             "dinner": N_("visit.meal.dinner"), "meal": N_("visit.meal.meal")}
OTHER_ITEM = N_("doc.budget.other")
BUDGET_KEYS: dict[str, str] = {"meal": N_("doc.budget.meal"), "escort_meal": N_("doc.budget.escort_meal"),
                               "gift": N_("doc.budget.gift"), "hotel": N_("doc.budget.hotel")}


def arrangement_form(visit: Visit, src: Sources) -> Document:
    """The whole form in ``src``'s language."""
    t = src.t
    subtitle = t("doc.form.subtitle", number=visit.id, cls=t(src.policy.class_(visit.class_id).name_key),
                    date=src.date(src.now))
    if visit.status is VisitStatus.CANCELLED:
        subtitle += "\n" + t("doc.form.cancelled", reason=visit.cancel_reason or NONE)
    sections = (
        Section(t("doc.form.s.basic"), (_basic(visit, src),)),
        Section(t("doc.form.s.visitors"), (_visitors(visit, src),)),
        Section(t("doc.form.s.schedule"), (_schedule(visit, src), *_programme(visit, src))),
        Section(t("doc.form.s.budget"), _budget(visit, src)),
        Section(t("doc.form.s.other"), (_other(visit, src),)),
    )
    return Document(t("doc.form.title"), subtitle, sections, src.locale,
                    footer=t("doc.form.footer", number=visit.id, client=visit.client_name),
                    signatures=(t("doc.form.sign.filled_by"), t("doc.form.sign.date"),
                                t("doc.form.sign.approved_by"), t("doc.form.sign.date")))


def _basic(visit: Visit, src: Sources) -> Grid:
    t = src.t
    ours = [src.name(user_id) for user_id in visit.people]
    ours += [f"{a.name} {a.title}".strip() for a in visit.attendees if not a.role and a.user_id is None]
    executives = src.policy.executives
    holders = {a.role: a.name for a in visit.attendees if a.role}
    leaders = [" ".join(part for part in (t(executives[e].key), holders.get(e, "")) if part)
               for e in visit.executives if e in executives]
    labels = {p.id: t(p.key) for p in src.policy.purposes}
    return Grid((
        Field(t("doc.form.host"), src.name(visit.host)),
        # 出席人数: everyone of ours at the talks, the executives who must attend included.
        Field(t("doc.form.our_count"), str(len(ours) + len(leaders))),
        Field(t("doc.form.our_people"), ", ".join(ours), wide=True),
        Field(t("doc.form.executives"), ", ".join(leaders) or NONE, wide=True),
        Field(t("doc.form.client"), visit.client_name),
        Field(t("doc.form.visitor_count"), str(len(visit.visitors))),
        Field(t("doc.form.background"), "\n".join(part for part in (visit.background, _background(src))
                                                    if part and part != NONE) or NONE, wide=True),
        Field(t("doc.form.purposes"), ", ".join(labels.get(p) or p for p in visit.purposes) or NONE,
              wide=True),
    ))


def _background(src: Sources) -> str:
    client = src.client
    if client is None:
        return NONE
    parts = [part for part in (client.industry, src.country(client.country), client.notes) if part]
    return "; ".join(parts) or NONE


def _visitors(visit: Visit, src: Sources) -> Table | Text:
    t = src.t
    if not visit.visitors:
        return Text((NONE,))
    rows = []
    for number, visitor in enumerate(visit.visitors, 1):
        contact = src.contacts.get(visitor.contact_id)
        name = visitor.name + (t("doc.form.lead_mark") if visitor.lead else "")
        nationality = language = phone = dietary = ""
        if contact is not None:
            language = t(f"lang.name.{contact.language}") if contact.language else ""
            nationality, phone, dietary = contact.nationality, contact.phone, contact.dietary
        # Unless said otherwise, a visitor is of the client's country.
        nationality = nationality or (src.country(src.client.country) if src.client else "")
        rows.append((str(number), name, visitor.title or NONE, nationality or NONE, language or NONE,
                     phone or NONE, dietary or NONE))
    columns = (t("doc.form.col.number"), t("doc.form.col.name"), t("doc.form.col.title"),
               t("doc.form.col.nationality"), t("doc.form.col.language"), t("doc.form.col.phone"),
               t("doc.form.col.dietary"))
    return Table(columns, (2, 5, 5, 4, 4, 5, 5), tuple(rows))


def _schedule(visit: Visit, src: Sources) -> Grid:
    t = src.t
    fields = [Field(t("doc.form.arrival"), src.time(visit.arrival)),
              Field(t("doc.form.departure"), src.time(visit.departure))]
    travel = visit.travel
    if travel is not None:
        fields += [
            Field(t("doc.form.travel"), t(TRAVEL_KEYS.get(travel.mode, "doc.travel.other"))),
            Field(t("doc.form.travel_number"), travel.number or NONE),
            Field(t("doc.form.travel_place"), travel.place or NONE),
            Field(t("doc.form.travel_arrives"), src.time(travel.arrives_at) if travel.arrives_at else NONE),
            Field(t(pickup_key(travel)), mark(travel.pickup)),
            Field(t("doc.form.driver"), driver_of(travel, src) or NONE),
            Field(t("doc.form.car"), travel.car or NONE),
        ]
    projector = mark(visit.projector)
    if visit.projector:
        projector += " " + t("doc.form.projector_from", time=src.clock(visit.arrival))
    fields += [Field(t("doc.form.room"), visit.room or NONE),
               Field(t("doc.form.projector"), projector),
               Field(t("doc.form.tour"), _tours(visit, src), wide=True)]
    lodging = visit.lodging
    if lodging is not None:
        fields += [
            Field(t("doc.form.hotel"), lodging.hotel),
            Field(t("doc.form.payer"), t(PAYER_KEYS.get(lodging.payer, "doc.payer.guest"))),
            Field(t("doc.form.check_in"), src.date(lodging.check_in)),
            Field(t("doc.form.check_out"), src.date(lodging.check_out)),
            Field(t("doc.form.rooms"), str(lodging.rooms) if lodging.rooms else NONE),
            Field(t("doc.form.room_rate", currency=src.policy.budget.currency),
                  money(lodging.rate) if lodging.rate is not None else NONE),
            Field(t("doc.form.guests"), lodging.guests or ", ".join(v.name for v in visit.visitors) or NONE,
                  wide=True),
        ]
    else:
        fields.append(Field(t("doc.form.lodging"), mark(False), wide=True))
    meals = visit.meals
    if meals is not None:
        when = meals.when or (t("doc.form.meal_see_table") if visit.meal_plan else t("doc.form.meal_open"))
        fields += [Field(t("doc.form.meal_count"), str(meals.count)),
                   Field(t("doc.form.meal_when"), when),
                   Field(t("doc.form.dietary"), meals.dietary or _see_table(visit, src), wide=True)]
    else:
        fields.append(Field(t("doc.form.meals"), mark(False), wide=True))
    return Grid(tuple(fields))


def _tours(visit: Visit, src: Sources) -> str:
    """Each tour on a line with its day and time; places not fixed yet with the one-hour rule."""
    lines = [slot_line(slot, src) for slot in visit.tours]
    if visit.tour:
        lines.append(src.t("doc.form.tour_pending", places=visit.tour))
    return "\n".join(lines) or src.t("doc.form.tour_open")


def slot_line(slot: Slot, src: Sources) -> str:
    """"12月3日 周四 14:00–15:30 生产车间"."""
    return " ".join(part for part in (src.day(noon(slot.day, src)), span(slot.start, slot.end), slot.text)
                    if part)


def _programme(visit: Visit, src: Sources) -> tuple[Table | Text, ...]:
    """The day-by-day agenda and the meals, as captioned tables under the arrangements."""
    t = src.t
    tables: list[Table | Text] = []
    if visit.agenda:
        rows = tuple((src.day(noon(s.day, src)), span(s.start, s.end) or NONE, s.text or NONE)
                     for s in visit.agenda)
        tables.append(Text((t("doc.form.agenda"),)))
        tables.append(Table((t("doc.form.col.day"), t("doc.form.col.time"), t("doc.form.col.agenda")),
                            (3, 2, 8), rows))
    if visit.meal_plan:
        covers = visit.meals.count if visit.meals else 0
        usual = dict(visit.budget).get("meal")  # the standard asked for the meals without their own
        standards = [m.per_person if m.per_person is not None else usual for m in visit.meal_plan]
        meals = tuple((src.day(noon(m.day, src)), t(MEAL_KEYS[m.kind]), span(m.at, None) or NONE,
                       m.place or NONE, str(m.count or covers) if m.count or covers else NONE,
                       money(standard) if standard is not None else NONE)
                      for m, standard in zip(visit.meal_plan, standards, strict=True))
        tables.append(Text((t("doc.form.meal_plan"),)))
        tables.append(Table((t("doc.form.col.day"), t("doc.form.col.meal"), t("doc.form.col.time"),
                             t("doc.form.col.place"), t("doc.form.col.covers"),
                             t("doc.form.col.standard", currency=src.policy.budget.currency)),
                            (3, 2, 2, 4, 2, 3), meals))
    return tuple(tables)


def noon(day: date, src: Sources) -> datetime:
    """A day as a moment to format (its noon, in the company zone)."""
    return datetime.combine(day, time(12), tzinfo=src.tz)


def _see_table(visit: Visit, src: Sources) -> str:
    """Where dietary needs are when only single visitors have some: the visitors' table."""
    diets = [c.dietary for v in visit.visitors if (c := src.contacts.get(v.contact_id)) is not None]
    return src.t("doc.form.dietary_see_table") if any(diets) else NONE


def _budget(visit: Visit, src: Sources) -> tuple[Table | Text, ...]:
    """Per item: the class standard, the estimate, the head count, the subtotal, who must approve.
    Meals listed one by one are a line each, at their own standard; lodging we pay is a line too."""
    t = src.t
    policy = src.policy
    note = Text((t("doc.form.budget_note"),))
    guests = len(visit.visitors) or 1
    rows: list[tuple[str, ...]] = []
    total = 0.0
    for label, item, amount, persons in _expense_lines(visit, src, guests):
        standard, approval = NONE, ""
        if item in BUDGET_KEYS:
            budget_item: BudgetItem = item  # type: ignore[assignment]
            standard = money(policy.limit(visit.class_id, budget_item))
            approval = _approval(visit, src, budget_item, amount)
        subtotal = amount * persons
        total += subtotal
        rows.append((label, standard, money(amount), str(persons), money(subtotal), approval or NONE))
    if not rows:
        return (Text((NONE,)), note)
    rows.append((t("doc.form.total"), "", "", "", money(total), ""))
    currency = policy.budget.currency
    columns = (t("doc.form.col.item"), t("doc.form.col.standard", currency=currency),
               t("doc.form.col.estimate", currency=currency), t("doc.form.col.persons"),
               t("doc.form.col.subtotal", currency=currency), t("doc.form.col.approval"))
    return (Table(columns, (3, 3, 3, 2, 3, 4), tuple(rows)), note)


def _expense_lines(visit: Visit, src: Sources, guests: int) -> list[tuple[str, str, float, int]]:
    """(label, budget item, amount per person or room-night, how many) for each line of the estimate."""
    t = src.t
    lines = []
    budget = dict(visit.budget)
    covers = visit.meals.count if visit.meals and visit.meals.count else guests
    for meal in visit.meal_plan:
        amount = meal.per_person if meal.per_person is not None else budget.get("meal")
        if amount is not None:
            label = f"{t(MEAL_KEYS[meal.kind])} {src.day(noon(meal.day, src))}"
            lines.append((label, "meal", amount, meal.count or covers))
    for item, amount in visit.budget:
        if item == "meal" and visit.meal_plan:
            continue  # priced meal by meal above
        # Meals are priced per cover: as many as were booked (our people at the table included).
        persons = covers if item == "meal" else guests
        lines.append((t(BUDGET_KEYS.get(item, OTHER_ITEM)), item, amount, persons))
    lodging = visit.lodging
    if lodging is not None and lodging.payer == "company" and lodging.rate is not None:
        rooms = lodging.rooms or 1
        label = t("doc.form.hotel_line", rooms=rooms, nights=lodging.nights)
        lines.append((label, "hotel", lodging.rate, rooms * lodging.nights))
    return lines


def _approval(visit: Visit, src: Sources, item: BudgetItem, amount: float) -> str:
    """Who must approve a line: the approvers when over the class standard; lodging we pay always
    needs the one the policy names (the sales VP), whatever it costs."""
    t, policy = src.t, src.policy
    if policy.over_budget(visit.class_id, item, Decimal(str(amount))):
        approvers = ", ".join(t(key) for key in policy.approvers_for(visit.class_id, item))
        return t("doc.form.over_budget", approvers=approvers)
    if item == "hotel":
        return t("doc.form.approval_by", approvers=t(policy.budget.lodging_approver))
    return ""


def _other(visit: Visit, src: Sources) -> Grid:
    t = src.t
    fields = [
        Field(t("doc.form.gifts"), visit.gifts or mark(False)),
        Field(t("doc.form.photo"), mark(visit.photo)),
        Field(t("doc.form.banner"), visit.banner or mark(False), wide=True),
        Field(t("doc.form.name_cards"), mark(visit.name_cards)),
        Field(t("doc.form.status"), t(STATUS_KEYS[visit.status])),
    ]
    notes = "\n".join(f"{src.time(note.at)} {src.name(note.by)}: {note.text}" for note in visit.notes)
    fields.append(Field(t("doc.form.notes"), notes or NONE, wide=True))
    return Grid(tuple(fields))


def pickup_key(travel: Travel) -> str:
    return N_("doc.form.pickup_flight") if travel.meets_at_airport else N_("doc.form.pickup_train")


def driver_of(travel: Travel, src: Sources) -> str:
    """Who drives or meets the guests: the colleague on the bot, or the driver as typed; "" if nobody."""
    return src.name(travel.driver) if travel.driver is not None else travel.driver_name


def money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
