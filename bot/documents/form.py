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
from bot.domain.approval import ApprovalState, approvals, role_keys, standing
from bot.domain.budget import ITEM_KEYS, BudgetLine, budget_lines
from bot.domain.our_side import executive_names, named_colleagues
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
# What /new stores as the gifts when "Gifts" is ticked among the extras, with nothing said about them.
GIFTS_TICKED = "gifts"


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
                                t("doc.form.sign.approved_by"), t("doc.form.sign.date")),
                    left_out=t("doc.left_out"))


def _basic(visit: Visit, src: Sources) -> Grid:
    t = src.t
    ours = [src.name(user_id) for user_id in visit.people]
    ours += named_colleagues(visit)
    leaders = executive_names(t, src.policy, visit)
    labels = {p.id: t(p.key) for p in src.policy.purposes}
    return Grid((
        Field(t("doc.form.host"), src.name(visit.host)),
        # 出席人数: everyone of ours at the talks, the executives who must attend included.
        Field(t("doc.form.our_count"), str(len(ours) + len(leaders))),
        Field(t("doc.form.our_people"), src.join(ours, style="series"), wide=True),
        Field(t("doc.form.executives"), src.join(leaders, style="series") or NONE, wide=True),
        Field(t("doc.form.client"), visit.client_name),
        Field(t("doc.form.visitor_count"), str(len(visit.visitors))),
        Field(t("doc.form.background"), "\n".join(part for part in (visit.background, _background(src))
                                                    if part and part != NONE) or NONE, wide=True),
        Field(t("doc.form.purposes"),
              src.join((labels.get(p) or p for p in visit.purposes), style="series") or NONE, wide=True),
    ))


def _background(src: Sources) -> str:
    client = src.client
    if client is None:
        return NONE
    parts = [part for part in (client.industry, src.country(client.country), client.notes) if part]
    return src.join(parts, style="notes") or NONE


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
            Field(t("doc.form.guests"), src.join(lodging.guests or (v.name for v in visit.visitors),
                                                 style="series") or NONE, wide=True),
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
        lines.append(src.t("doc.form.tour_pending", places=src.join(visit.tour, style="notes")))
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
    lines = budget_lines(visit)
    if not lines:
        return (Text((NONE,)), note)
    rows, total = [], 0.0
    for line in lines:
        standard, approval = NONE, ""
        if line.item in ITEM_KEYS:
            budget_item: BudgetItem = line.item  # type: ignore[assignment]
            standard = money(policy.limit(visit.class_id, budget_item))
            approval = _line_approval(visit, src, budget_item, line.per_person)
        total += line.total
        rows.append((_line_label(line, src), standard, money(line.per_person), str(line.persons),
                     money(line.total), approval or NONE))
    rows.append((t("doc.form.total"), "", "", "", money(total), ""))
    currency = policy.budget.currency
    columns = (t("doc.form.col.item"), t("doc.form.col.standard", currency=currency),
               t("doc.form.col.estimate", currency=currency), t("doc.form.col.persons"),
               t("doc.form.col.subtotal", currency=currency), t("doc.form.col.approval"))
    return (Table(columns, (3, 3, 3, 2, 3, 4), tuple(rows)), note)


def _line_label(line: BudgetLine, src: Sources) -> str:
    """A meal listed on its own by its kind and day, the stay by its rooms and nights, else the item."""
    t = src.t
    if line.meal is not None:
        return f"{t(MEAL_KEYS[line.meal.kind])} {src.day(noon(line.meal.day, src))}"
    if line.lodging is not None:
        return t("doc.form.hotel_line", rooms=line.lodging.rooms or 1, nights=line.lodging.nights)
    return t(line.key)


def _line_approval(visit: Visit, src: Sources, item: BudgetItem, amount: float) -> str:
    """Who must approve a line: the approvers when over the class standard; lodging we pay always
    needs the one the policy names (the sales VP), whatever it costs."""
    t, policy = src.t, src.policy
    if policy.over_budget(visit.class_id, item, Decimal(str(amount))):
        approvers = src.join(t(key) for key in policy.approvers_for(visit.class_id, item))
        return t("doc.form.over_budget", approvers=approvers)
    if item == "hotel":
        return t("doc.form.approval_by", approvers=t(policy.budget.lodging_approver))
    return ""


def _other(visit: Visit, src: Sources) -> Grid:
    t = src.t
    fields = [
        Field(t("doc.form.gifts"), _gifts(visit)),
        Field(t("doc.form.photo"), mark(visit.photo)),
        Field(t("doc.form.banner"), visit.banner or mark(False), wide=True),
        Field(t("doc.form.name_cards"), mark(visit.name_cards)),
        Field(t("doc.form.status"), t(STATUS_KEYS[visit.status])),
        Field(t("doc.form.approval"), _approval(visit, src), wide=True),
    ]
    notes = "\n".join(f"{src.time(note.at)} {src.name(note.by)}: {note.text}" for note in visit.notes)
    fields.append(Field(t("doc.form.notes"), notes or NONE, wide=True))
    return Grid(tuple(fields))


def pickup_key(travel: Travel) -> str:
    return N_("doc.form.pickup_flight") if travel.meets_at_airport else N_("doc.form.pickup_train")


def driver_of(travel: Travel, src: Sources) -> str:
    """Who drives or meets the guests: the colleague on the bot, or the driver as typed; "" if nobody."""
    return src.name(travel.driver) if travel.driver is not None else travel.driver_name


def _gifts(visit: Visit) -> str:
    """What the gifts are, as typed; the form's tick box (stored as its id, "gifts") prints as a tick."""
    if visit.gifts == GIFTS_TICKED:
        return mark(True)
    return visit.gifts or mark(False)


def _approval(visit: Visit, src: Sources) -> str:
    """Who approved the form and when, then whom it waits for or who sent it back and why."""
    t, policy = src.t, src.policy

    def role(step: str) -> str:
        return src.join((t(key) for key in role_keys(visit, policy, step)), style="or")

    lines = [t("doc.form.approval.approved", role=role(d.step), name=src.name(d.by), when=src.time(d.at))
             for d in approvals(visit, policy)]
    now = standing(visit, policy)
    if now.state is ApprovalState.SENT_BACK and now.sent_back is not None:
        back = now.sent_back
        lines.append(t("doc.form.approval.sent_back", role=role(back.step), name=src.name(back.by),
                       when=src.time(back.at), comment=back.comment))
    elif now.state is ApprovalState.PENDING and now.step is not None and visit.status is VisitStatus.PLANNED:
        lines.append(t("doc.form.approval.pending", role=role(now.step)))
    return "\n".join(lines) or NONE


def money(amount: float) -> str:
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"
