"""A visit's entertainment budget as the arrangement form prices it, in one place.

The form asks a standard per person for each item (meals, gifts...). What is approved, and what a
debrief's actual spend (always a total) is compared with, is each item's standard times the people
it is for: meals the covers booked (our people at the table included), anything else the visitors.
Meals listed one by one are a line each, at their own standard (the meals' standard where they have
none) and covers; a stay we pay is a line of room-nights at its rate. The form, the debrief and the
quarterly review all read the figures from here, so a total is never set against a per-person figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.visits import Lodging, Meal, Visit
from bot.i18n import N_

# How each budget item is named on the form, the debrief card and the review.
ITEM_KEYS: dict[str, str] = {"meal": N_("doc.budget.meal"), "escort_meal": N_("doc.budget.escort_meal"),
                             "gift": N_("doc.budget.gift"), "hotel": N_("doc.budget.hotel")}
OTHER_ITEM = N_("doc.budget.other")


@dataclass(frozen=True)
class BudgetLine:
    item: str  # a policy budget item (meal, escort_meal, gift, hotel) or another line
    per_person: float  # for a stay: per room and night
    persons: int  # for a stay: room-nights
    meal: Meal | None = None  # a meal listed on its own, which names the line
    lodging: Lodging | None = None  # the stay we pay, priced by room-night

    @property
    def total(self) -> float:
        return self.per_person * self.persons

    @property
    def key(self) -> str:
        """The message key of the item's name."""
        return ITEM_KEYS.get(self.item, OTHER_ITEM)


def budget_lines(visit: Visit) -> tuple[BudgetLine, ...]:
    """Each budget item of the visit with the people it is priced for."""
    guests = len(visit.visitors) or 1
    # Meals are priced per cover: as many as were booked (our people at the table included).
    covers = visit.meals.count if visit.meals is not None and visit.meals.count else guests
    standard = dict(visit.budget).get("meal")  # the standard asked for the meals without their own
    lines = [BudgetLine("meal", amount, meal.count or covers, meal=meal)
             for meal in visit.meal_plan
             if (amount := meal.per_person if meal.per_person is not None else standard) is not None]
    lines += [BudgetLine(item, amount, covers if item == "meal" else guests)
              for item, amount in visit.budget
              if not (item == "meal" and visit.meal_plan)]  # priced meal by meal above
    lodging = visit.lodging
    if lodging is not None and lodging.payer == "company" and lodging.rate is not None:
        room_nights = (lodging.rooms or 1) * lodging.nights
        lines.append(BudgetLine("hotel", lodging.rate, room_nights, lodging=lodging))
    return tuple(lines)


def estimate(visit: Visit) -> float | None:
    """The approved total: every line's standard per person times its people; None without a budget."""
    lines = budget_lines(visit)
    return sum(line.total for line in lines) if lines else None
