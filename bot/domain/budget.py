"""A visit's entertainment budget as the arrangement form prices it, in one place.

The form asks a standard per person for each item (meals, gifts...). What is approved, and what a
debrief's actual spend (always a total) is compared with, is each item's standard times the people
it is for: meals the covers booked (our people at the table included), anything else the visitors.
The form, the debrief and the quarterly review all read the figures from here, so a total is never
set against a per-person figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.visits import Visit
from bot.i18n import N_

# How each budget item is named on the form, the debrief card and the review.
ITEM_KEYS: dict[str, str] = {"meal": N_("doc.budget.meal"), "escort_meal": N_("doc.budget.escort_meal"),
                             "gift": N_("doc.budget.gift"), "hotel": N_("doc.budget.hotel")}
OTHER_ITEM = N_("doc.budget.other")


@dataclass(frozen=True)
class BudgetLine:
    item: str  # a policy budget item (meal, escort_meal, gift, hotel) or another line
    per_person: float
    persons: int

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
    covers = visit.meals.count if visit.meals is not None and visit.meals.count else guests
    return tuple(BudgetLine(item, amount, covers if item == "meal" else guests)
                 for item, amount in visit.budget)


def estimate(visit: Visit) -> float | None:
    """The approved total: every line's standard per person times its people; None without a budget."""
    lines = budget_lines(visit)
    return sum(line.total for line in lines) if lines else None
