"""The debrief after a visit: what came of it, what the client needs, what it cost, how it went.

It feeds three things the handbooks ask for after departure: the tasks of the team review (T+24h),
the meeting memo to the client (T+2 working days) and the reception feedback (rating, comments,
actual spend against the approved budget). A visit has at most one debrief; writing it again
replaces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# The one budget item a debrief records when spend is given as a total rather than item by item.
TOTAL = "total"


class Outcome(StrEnum):
    SIGNED = "signed"
    PROGRESSING = "progressing"
    FOLLOW_UP = "follow_up"
    NO_DEAL = "no_deal"


@dataclass(frozen=True)
class Debrief:
    visit_id: int
    outcome: Outcome
    needs: str
    next_contact: date
    rating: int  # 1-5: how the reception went
    written_by: int
    written_at: datetime
    objections: str = ""
    # Actually spent by budget item (the visit's ``budget`` items, or TOTAL), in the policy currency.
    actual_spend: tuple[tuple[str, float], ...] = ()
    comments: str = ""
    # The memo (会谈备忘录) as sent to the host to forward, and the locale it was written in.
    memo: str = ""
    memo_locale: str = ""

    @property
    def spent(self) -> float | None:
        return sum(amount for _, amount in self.actual_spend) if self.actual_spend else None

