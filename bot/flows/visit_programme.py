"""The programme steps of the visit form: tours, the day-by-day agenda, each meal, the hotel stay.

Each is typed as lines ("12月3日 14:00-15:30 生产车间", "第二天 午餐 12:00 公司餐厅 6人 150元"), read by
``bot.domain.programme``; the review card shows each line as read, with the class standard's warning
on a meal or a room over it. What is not fixed yet (a tour with no day or time, no meals listed) stays
"tell the departments / the office one hour before", as the handbook says.
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from bot.core.context import Context
from bot.documents.form import MEAL_KEYS
from bot.domain.programme import VisitDays, read_meals, read_slots, read_stay, span
from bot.domain.visits import Lodging, Meal, Slot, Visit, Visitor
from bot.flows import visit_options as opt
from bot.flows.model import Answers, Choice
from bot.i18n import N_, escape

_PROBLEM_KEYS = {"no_day": N_("visit.line_no_day"), "outside": N_("visit.line_outside"),
                 "empty": N_("visit.line_empty"), "bad_time": N_("visit.line_bad_time"),
                 "dollars": N_("visit.line_dollars")}
# When only the day of a hotel stay is said: the hotel's usual hours.
CHECK_IN, CHECK_OUT = time(14), time(12)
_TYPED_KINDS = {"breakfast": "早餐", "lunch": "午餐", "dinner": "晚餐", "meal": ""}


def visit_days(ctx: Context, answers: Answers) -> VisitDays:
    """The visit's days in the company zone, and today, for reading the lines."""
    tz = ctx.services.settings.tz
    today = ctx.now.astimezone(tz).date()
    first = opt.parse_when(answers["arrival"]).astimezone(tz).date() if "arrival" in answers else today
    last = opt.parse_when(answers["departure"]).astimezone(tz).date() if "departure" in answers else first
    return VisitDays(first, max(first, last), today)


def several_days(answers: Answers) -> bool:
    """Whether the visit spans more than one day: then it has a day-by-day agenda."""
    if "arrival" not in answers or "departure" not in answers:
        return False
    return opt.parse_when(answers["departure"]).date() > opt.parse_when(answers["arrival"]).date()


def _problems(ctx: Context, problems: list[tuple[int, str]]) -> str | None:
    if not problems:
        return None
    return "\n".join(ctx.t(_PROBLEM_KEYS[problem], number=number) for number, problem in problems)


# ---- checks ---------------------------------------------------------------------------------


def check_slots(ctx: Context, value: Any, answers: Answers) -> str | None:
    return _problems(ctx, read_slots(str(value), visit_days(ctx, answers))[2])


def check_meals(ctx: Context, value: Any, answers: Answers) -> str | None:
    return _problems(ctx, read_meals(str(value), visit_days(ctx, answers))[1])


def check_stay(ctx: Context, value: Any, answers: Answers) -> str | None:
    days = visit_days(ctx, answers)
    stay = read_stay(str(value), days)
    if stay is None:
        return ctx.t("visit.stay_hint")
    return ctx.t("visit.stay_past") if stay[0] < days.today else None


def guest_choices(ctx: Context, answers: Answers) -> tuple[Choice, ...]:
    return opt.lead_choices(ctx, answers)


# ---- the review card ------------------------------------------------------------------------


def describe(ctx: Context, step_id: str, value: Any, answers: Answers) -> str:
    """Each line as read, so a misread day or time shows before Save; "" for other steps."""
    days = visit_days(ctx, answers)
    if step_id in ("tour", "agenda"):
        slots, loose, _ = read_slots(str(value), days)
        lines = [slot_text(ctx, slot) for slot in slots]
        if loose:
            key = N_("visit.tour_open") if step_id == "tour" else N_("visit.agenda_open")
            lines.append(ctx.t(key, text=ctx.t.join(loose, style="notes")))
        return _listed(lines)
    if step_id == "meal_plan":
        meals, _ = read_meals(str(value), days)
        return _listed([meal_line(ctx, meal, answers) for meal in meals])
    if step_id == "stay":
        stay = read_stay(str(value), days)
        if stay is None:
            return ""
        return ctx.t.plural("visit.stay", (stay[1] - stay[0]).days, check_in=_day(ctx, stay[0]),
                            check_out=_day(ctx, stay[1]))
    if step_id == "room_rate":
        return _room_rate(ctx, float(value), answers)
    return ""


def _listed(lines: list[str]) -> str:
    return "".join("\n  " + line for line in lines)


def slot_text(ctx: Context, slot: Slot) -> str:
    """"12月3日 周四 14:00–15:30 生产车间" (the text escaped for Telegram)."""
    return " ".join(part for part in (_day(ctx, slot.day), span(slot.start, slot.end), escape(slot.text))
                    if part)


def meal_line(ctx: Context, meal: Meal, answers: Answers) -> str:
    """"12月3日 周四 午餐 12:00 公司餐厅 · 6 人 · 150 元/人", and the class standard's warning."""
    count = meal.count or int(answers.get("meals", 0))
    parts = [" ".join(part for part in (_day(ctx, meal.day), ctx.t(MEAL_KEYS[meal.kind]), span(meal.at, None),
                                        escape(meal.place)) if part)]
    if count:
        parts.append(ctx.t.plural("visit.meal_covers", count))
    standard = meal.per_person if meal.per_person is not None else answers.get("meal_budget")
    if standard is not None:
        parts.append(ctx.t("visit.per_person", amount=_amount(float(standard))))
    line = " · ".join(parts)
    cls = answers.get("cls", "C")
    policy = ctx.services.policy
    if standard is not None and policy.over_budget(cls, "meal", Decimal(str(standard))):
        approvers = ctx.t.join(ctx.t(key) for key in policy.approvers_for(cls, "meal"))
        limit = _amount(policy.limit(cls, "meal"))
        line += " " + ctx.t("visit.over_budget", limit=limit, approvers=approvers)
    return line


def _room_rate(ctx: Context, rate: float, answers: Answers) -> str:
    policy, cls = ctx.services.policy, answers.get("cls", "C")
    shown = ctx.t("visit.per_room_night", amount=_amount(rate))
    if answers.get("payer") == "company" and policy.over_budget(cls, "hotel", Decimal(str(rate))):
        approvers = ctx.t.join(ctx.t(key) for key in policy.approvers_for(cls, "hotel"))
        return shown + "\n" + ctx.t("visit.over_hotel_limit", limit=_amount(policy.limit(cls, "hotel")),
                                    approvers=approvers)
    return shown


def warnings(ctx: Context, answers: Answers) -> list[str]:
    """Lodging paid by us needs the approver the policy names (the sales VP), whatever it costs."""
    if answers.get("lodging") and answers.get("payer") == "company":
        return [ctx.t("visit.lodging_approval", approver=ctx.t(ctx.services.policy.budget.lodging_approver))]
    return []


def _day(ctx: Context, day: date) -> str:
    return ctx.format_date(datetime.combine(day, time(12), tzinfo=ctx.services.settings.tz))


def _amount(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


# ---- the saved visit ------------------------------------------------------------------------


def fields(ctx: Context, answers: Answers, visitors: tuple[Visitor, ...]) -> dict[str, Any]:
    """The visit's programme fields from the answers: tours, agenda, meals, lodging."""
    days = visit_days(ctx, answers)
    tours, loose, _ = read_slots(str(answers.get("tour", "")), days)
    agenda = read_slots(str(answers.get("agenda", "")), days)[0] if several_days(answers) else []
    meals = read_meals(str(answers.get("meal_plan", "")), days)[0] if answers.get("meals") else []
    # The places not fixed yet, each as typed: every reader lists them with their own punctuation.
    return {"tours": tuple(tours), "tour": tuple(loose), "agenda": tuple(agenda),
            "meal_plan": tuple(meals), "lodging": _lodging(ctx, answers, visitors, days)}


def _lodging(ctx: Context, answers: Answers, visitors: tuple[Visitor, ...],
             days: VisitDays) -> Lodging | None:
    if not answers.get("lodging"):
        return None
    arrival, departure = opt.parse_when(answers["arrival"]), opt.parse_when(answers["departure"])
    check_in, check_out = arrival, departure
    stay = read_stay(str(answers["stay"]), days) if "stay" in answers else None
    if stay is not None:
        tz = ctx.services.settings.tz
        if stay[0] != days.first:
            check_in = datetime.combine(stay[0], CHECK_IN, tzinfo=tz)
        if stay[1] != days.last:
            check_out = datetime.combine(stay[1], CHECK_OUT, tzinfo=tz)
    chosen = [int(index) for index in answers.get("lodging_guests", []) if index.isdigit()]
    guests = tuple(v.name for index, v in enumerate(visitors) if not chosen or index in chosen)
    rate = answers.get("room_rate")
    return Lodging(answers["hotel"], check_in, check_out, guests, answers.get("payer", "guest"),
                   rooms=int(answers.get("rooms", 0)), rate=float(rate) if rate is not None else None)


def answers_of(visit: Visit, tz: Any) -> Answers:
    """The programme as it would be typed again (read back by the same steps)."""
    answers: Answers = {}
    typed_tours = [_typed_slot(slot) for slot in visit.tours] + list(visit.tour)
    if typed_tours:
        answers["tour"] = "\n".join(typed_tours)
    if visit.agenda:
        answers["agenda"] = "\n".join(_typed_slot(slot) for slot in visit.agenda)
    if visit.meal_plan:
        answers["meal_plan"] = "\n".join(_typed_meal(meal) for meal in visit.meal_plan)
    lodging = visit.lodging
    if lodging is not None:
        check_in, check_out = lodging.check_in.astimezone(tz).date(), lodging.check_out.astimezone(tz).date()
        if check_out > check_in:
            answers["stay"] = f"{check_in.isoformat()} - {check_out.isoformat()}"
        if lodging.rooms:
            answers["rooms"] = lodging.rooms
        if lodging.rate is not None:
            answers["room_rate"] = int(lodging.rate) if lodging.rate.is_integer() else lodging.rate
        chosen = [str(index) for index, v in enumerate(visit.visitors) if v.name in lodging.guests]
        if lodging.guests and len(chosen) < len(visit.visitors):
            answers["lodging_guests"] = chosen
    return answers


def _typed_slot(slot: Slot) -> str:
    return " ".join(part for part in (slot.day.isoformat(), span(slot.start, slot.end).replace("–", "-"),
                                      slot.text) if part)


def _typed_meal(meal: Meal) -> str:
    parts = [meal.day.isoformat(), _TYPED_KINDS.get(meal.kind, ""), span(meal.at, None), meal.place]
    if meal.count:
        parts.append(f"{meal.count}人")
    if meal.per_person is not None:
        parts.append(f"¥{_amount(meal.per_person)}")
    return " ".join(part for part in parts if part)

