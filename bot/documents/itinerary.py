"""The itinerary (商务考察行程安排表) the client's team lead gets the day before arrival.

Written in the lead contact's language. It is for the client, so it leaves out everything internal
to us: the reception class, the budget, notes, and the other guests' dietary details beyond the
one line the meals carry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from bot.documents.form import MEAL_KEYS, TRAVEL_KEYS, driver_of, noon
from bot.documents.layout import NONE, Document, Field, Grid, Section, Table, Text
from bot.documents.sources import Sources
from bot.domain.clients import greeting_name
from bot.domain.our_side import executive_names, named_colleagues
from bot.domain.programme import meal_order, span
from bot.domain.times_in_text import Stated, stated_when
from bot.domain.visits import Slot, Visit
from bot.i18n import N_

PART_KEYS = {"early_morning": N_("doc.itin.part.early_morning"), "morning": N_("doc.itin.part.morning"),
             "noon": N_("doc.itin.part.noon"), "afternoon": N_("doc.itin.part.afternoon"),
             "evening": N_("doc.itin.part.evening"), "night": N_("doc.itin.part.night")}


@dataclass(frozen=True)
class _Entry:
    at: datetime
    when: str
    what: str
    where: str = ""
    note: str = ""


def itinerary(visit: Visit, src: Sources) -> Document:
    """The programme of the visit, addressed to its lead visitor, in ``src``'s language."""
    t = src.t
    lead = visit.lead
    to = greeting_name(lead.name, lead.title, src.locale) if lead is not None else visit.client_name
    heading = Grid((
        Field(t("doc.itin.to"), to),
        Field(t("doc.itin.client"), visit.client_name),
        Field(t("doc.itin.dates"), _dates(visit, src)),
        Field(t("doc.itin.visitor_count"), str(len(visit.visitors))),
    ))
    programme = Table((t("doc.itin.col.when"), t("doc.itin.col.what"), t("doc.itin.col.where"),
                       t("doc.itin.col.note")), (3, 5, 4, 4),
                      tuple((e.when, e.what, e.where or NONE, e.note or NONE) for e in _entries(visit, src)))
    sections = [
        Section(t("doc.itin.s.programme"), (programme,)),
        Section(t("doc.itin.s.delegation"), (_delegation(visit, src),)),
        Section(src.ours(N_("doc.itin.s.hosts"), N_("doc.itin.s.hosts_at")), (_hosts(visit, src),)),
    ]
    if visit.lodging is not None or visit.meals is not None:
        sections.append(Section(t("doc.itin.s.practical"), (_practical(visit, src),)))
    phone = src.phones.get(visit.host)
    contact = (t("doc.itin.contact_phone", host=src.name(visit.host), phone=phone) if phone
               else t("doc.itin.contact", host=src.name(visit.host)))
    sections.append(Section(t("doc.itin.s.contact"), (Text((contact, t("doc.itin.closing"))),)))
    return Document(t("doc.itin.title"), src.ours(N_("doc.itin.welcome"), N_("doc.itin.welcome_to"),
                                                   client=visit.client_name),
                    (Section("", (heading,)), *sections), src.locale,
                    footer=t("doc.itin.footer", client=visit.client_name), left_out=t("doc.left_out"))


def _dates(visit: Visit, src: Sources) -> str:
    first, last = src.date(visit.arrival), src.date(visit.departure)
    return first if first == last else f"{first} – {last}"


def _entries(visit: Visit, src: Sources) -> list[_Entry]:
    """Everything that happens, in time order: tours, agenda items and meals at their day and time;
    a tour or meals typed as free text where their text puts them."""
    t = src.t
    entries = []
    travel = visit.travel
    if travel is not None and travel.arrives_at is not None and travel.mode in ("flight", "train"):
        meet = driver_of(travel, src) or src.name(visit.host)
        met_at = N_("doc.itin.met_at_airport") if travel.meets_at_airport else N_("doc.itin.met_at_station")
        met = t(met_at, name=meet)
        entries.append(_Entry(travel.arrives_at, src.day_time(travel.arrives_at),
                              t("doc.itin.arrive_by", mode=t(TRAVEL_KEYS[travel.mode]), number=travel.number),
                              travel.place, met if travel.pickup else ""))
    lodging = visit.lodging
    # The visit form stores the stay as the visit's own times unless someone gave the hotel's:
    # only a stay that really starts or ends apart from the visit is a line of the programme.
    if lodging is not None and lodging.check_in != visit.arrival:
        entries.append(_Entry(lodging.check_in, src.day_time(lodging.check_in), t("doc.itin.check_in"),
                              lodging.hotel))
    if lodging is not None and lodging.check_out != visit.departure:
        entries.append(_Entry(lodging.check_out, src.day_time(lodging.check_out), t("doc.itin.check_out"),
                              lodging.hotel))
    entries.append(_Entry(visit.arrival, src.day_time(visit.arrival),
                          src.ours(N_("doc.itin.meeting"), N_("doc.itin.meeting_at")), visit.room,
                          t("doc.itin.received_by", name=src.name(visit.host))))
    later = visit.arrival.replace(microsecond=1)  # after the meeting, before anything timed later
    entries += [_slot(slot, src, later, t("doc.itin.tour"), slot.text) for slot in visit.tours]
    entries += [_slot(slot, src, later, slot.text) for slot in visit.agenda]
    if visit.tour:
        places = src.join(visit.tour, style="notes")
        entries.append(_planned(visit, src, places, t("doc.itin.tour"), where=places))
    for meal in visit.meal_plan:
        at = datetime.combine(meal.day, meal_order(meal)[1], tzinfo=src.tz)
        when = " ".join(part for part in (src.day(at), span(meal.at, None)) if part)
        # What is not fixed yet is said to be still to be confirmed, as for meals typed as free text.
        where, note = meal.place or t("doc.itin.place_tbc"), "" if meal.at else t("doc.itin.time_tbc")
        entries.append(_Entry(max(at, later), when, t(MEAL_KEYS[meal.kind]), where, note))
    meals = visit.meals
    if meals is not None and not visit.meal_plan:
        # Meals typed as free text have no place yet: the client is told it is still to be confirmed.
        entries.append(_planned(visit, src, meals.when, t("doc.itin.meal"), where=t("doc.itin.place_tbc"),
                                note=meals.when))
    entries.append(_Entry(visit.departure, src.day_time(visit.departure),
                          src.ours(N_("doc.itin.departure"), N_("doc.itin.departure_from"))))
    return sorted(entries, key=lambda entry: entry.at)


def _slot(slot: Slot, src: Sources, later: datetime, what: str, where: str = "") -> _Entry:
    """A tour or agenda item at its day and time; one with no time opens its day (after the arrival)."""
    at = datetime.combine(slot.day, slot.start or time(0), tzinfo=src.tz)
    when = " ".join(part for part in (src.day(noon(slot.day, src)), span(slot.start, slot.end)) if part)
    return _Entry(max(at, later), when, what, where)


def _planned(visit: Visit, src: Sources, text: str, what: str, *, where: str, note: str = "") -> _Entry:
    """A row typed as free text (the tour, the meals), on the day and at the time its text says.

    Nothing said: after the meeting, dated with the visit's day, or its days when there are several
    (never one of them it does not know), and the time is said to be still to be confirmed."""
    stated = stated_when(text, typed_at=visit.created_at, tz=src.tz, start=visit.arrival,
                         end=visit.departure) if text else None
    if stated is None:
        after_meeting = visit.arrival.replace(microsecond=1)
        return _Entry(after_meeting, _days(visit, src), what, where, note or src.t("doc.itin.time_tbc"))
    return _Entry(stated.sort_key(src.tz), _when(stated, src), what, where, note)


def _when(stated: Stated, src: Sources) -> str:
    if stated.at is not None:
        return src.day_time(stated.at)
    day = src.day(noon(stated.day, src))
    if stated.part is None:
        return day
    return src.t("doc.itin.day_part", day=day, part=src.t(PART_KEYS[stated.part]))


def _days(visit: Visit, src: Sources) -> str:
    first, last = src.day(visit.arrival), src.day(visit.departure)
    return first if first == last else f"{first} – {last}"


def _delegation(visit: Visit, src: Sources) -> Table | Text:
    t = src.t
    if not visit.visitors:
        return Text((NONE,))
    lead_mark = t("doc.itin.lead_mark")
    rows = tuple((v.name + (lead_mark if v.lead else ""), v.title or NONE) for v in visit.visitors)
    return Table((t("doc.itin.col.name"), t("doc.itin.col.title")), (1, 1), rows)


def _hosts(visit: Visit, src: Sources) -> Grid:
    t = src.t
    leaders = executive_names(t, src.policy, visit)
    team = [src.name(member) for member in visit.team if member != visit.host]
    team += named_colleagues(visit)
    host = " ".join(part for part in (src.name(visit.host), src.phones.get(visit.host, "")) if part)
    fields = [Field(t("doc.itin.host"), host),
              Field(t("doc.itin.team"), src.join(team, style="series") or NONE)]
    if leaders:
        fields.append(Field(t("doc.itin.executives"), src.join(leaders, style="series"), wide=True))
    return Grid(tuple(fields))


def _practical(visit: Visit, src: Sources) -> Grid:
    t = src.t
    fields = []
    lodging = visit.lodging
    if lodging is not None:
        paid = t(N_("doc.itin.paid_by_guest"))
        if lodging.payer == "company":
            paid = src.ours(N_("doc.itin.paid_by_us"), N_("doc.itin.paid_by_named"))
        fields += [Field(t("doc.itin.hotel"), lodging.hotel),
                   Field(t("doc.itin.hotel_paid"), paid),
                   Field(t("doc.itin.check_in_day"), src.date(lodging.check_in)),
                   Field(t("doc.itin.check_out_day"), src.date(lodging.check_out))]
    meals = visit.meals
    if meals is not None:
        fields.append(Field(t("doc.itin.dietary"), meals.dietary or NONE, wide=True))
    return Grid(tuple(fields))
