"""After-visit items left undone escalate to the host's manager, once each, in one message.

The handbook gives the host two working days after a departure for the follow-up, the memo, the
minutes and the feedback form. A nudge for one of those that was sent and is still not Done a
working day after it was due goes to the host's manager (``AccessService.manager_of``), grouped per
manager so a manager reads one list, not a message per item. It is checked a few times an hour, on
working days outside quiet hours; escalations are recorded before they go into the outbox
(``bot.core.outbox``), which sends them at most once. Items of visits archived
(settled two months ago) are history and not escalated.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from bot.core.events import Keyboard, Send
from bot.domain.nudges import Nudge, NudgeState
from bot.domain.staff import Staff
from bot.domain.visits import Visit
from bot.i18n import Translator
from bot.repositories.protocols import DoneOnce

if TYPE_CHECKING:
    from bot.bootstrap import Services

# Timeline items whose neglect a manager must hear about (see bot/defaults/policy.toml).
ESCALATED_ITEMS = frozenset({"follow_up", "memo", "minutes", "feedback"})
# Working days an item may stay undone after it was due before it escalates.
GRACE_WORKING_DAYS = 1
# Items due longer ago than this are history, not news: they are not escalated any more.
HORIZON = timedelta(days=30)


class EscalationText(Protocol):
    """How a manager's list reads (``bot.views.escalations.render``, handed down in
    ``Services.escalation_text``)."""

    def __call__(self, t: Translator, tz: tzinfo, items: Sequence[tuple[Staff, Visit, Nudge]], this_year: int,
                 /) -> tuple[str, Keyboard]: ...


@dataclass(frozen=True)
class Escalation:
    """A manager's list to send, and the nudges it escalates."""

    message: Send
    nudge_ids: tuple[str, ...]


class EscalationService:
    def __init__(self, services: Services, records: DoneOnce) -> None:
        """``records`` holds each nudge id escalated."""
        self.services = services
        self.records = records

    def due_messages(self, now: datetime) -> list[Escalation]:
        """One message per manager listing their people's overdue items, recorded as escalated."""
        services = self.services
        local = now.astimezone(services.settings.tz)
        quiet = services.policy.schedule.is_quiet(local.time())
        if quiet or not services.calendar.is_working_day(local.date()):
            return []
        # Only the escalated kinds are decoded (their item is in the id): sent ones of the live tier.
        candidates = services.nudges.nudges.open_by(now, lambda nudge_id: nudge_id.rsplit(":", 1)[-1]
                                                    in ESCALATED_ITEMS)
        overdue = [n for n in candidates if n.state is NudgeState.SENT and self._overdue(n, now)]
        by_manager: dict[int, list[tuple[Staff, Visit, Nudge]]] = defaultdict(list)
        managers: dict[int, Staff] = {}
        for nudge in sorted(overdue, key=lambda n: n.due):
            visit = services.visits.get(nudge.visit_id)
            host = services.access.staff.get(visit.host) if visit is not None else None
            if visit is None or host is None:
                continue
            for manager in services.access.manager_of(host):
                if manager.reachable:
                    managers[manager.user_id] = manager
                    by_manager[manager.user_id].append((host, visit, nudge))
        messages = []
        for manager_id, items in by_manager.items():
            nudge_ids = tuple(n.id for _, _, n in items)
            self.records.record([(i,) for i in nudge_ids], [manager_id], now)
            manager = managers[manager_id]
            text, buttons = self.services.escalation_text(self._translator(manager),
                                                          self.services.settings.tz, items, local.year)
            messages.append(Escalation(Send(manager.user_id, text, buttons), nudge_ids))
        return messages

    def _overdue(self, nudge: Nudge, now: datetime) -> bool:
        if nudge.item not in ESCALATED_ITEMS or self.records.done((nudge.id,)):
            return False
        tz = self.services.settings.tz
        due = nudge.due.astimezone(tz)
        deadline_day = self.services.calendar.add_working_days(due.date(), GRACE_WORKING_DAYS)
        deadline = datetime.combine(deadline_day, due.timetz())
        return deadline <= now and now - nudge.due <= HORIZON

    def _translator(self, person: Staff) -> Translator:
        i18n = self.services.i18n
        return i18n.get(person.locale) if person.locale else i18n.for_language_code(person.language_code)
