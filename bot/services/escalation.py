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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.core.callbacks import pack
from bot.core.context import keyboard
from bot.core.events import Button, Send
from bot.domain.nudges import Nudge, NudgeState
from bot.domain.staff import Staff
from bot.domain.visits import Visit
from bot.repositories.escalations import EscalationRepository

if TYPE_CHECKING:
    from bot.bootstrap import Services

# Timeline items whose neglect a manager must hear about (see bot/defaults/policy.toml).
ESCALATED_ITEMS = frozenset({"follow_up", "memo", "minutes", "feedback"})
# Working days an item may stay undone after it was due before it escalates.
GRACE_WORKING_DAYS = 1
# Items due longer ago than this are history, not news: they are not escalated any more.
HORIZON = timedelta(days=30)
# A manager's list shows this many visits as buttons; the text lists every item.
MAX_BUTTONS = 5


@dataclass(frozen=True)
class Escalation:
    """A manager's list to send, and the nudges it escalates."""

    message: Send
    nudge_ids: tuple[str, ...]


class EscalationService:
    def __init__(self, services: Services, records: EscalationRepository) -> None:
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
            self.records.record(list(nudge_ids), [manager_id], now)
            messages.append(Escalation(self._message(managers[manager_id], items, local.year), nudge_ids))
        return messages

    def _overdue(self, nudge: Nudge, now: datetime) -> bool:
        if nudge.item not in ESCALATED_ITEMS or self.records.escalated(nudge.id):
            return False
        tz = self.services.settings.tz
        due = nudge.due.astimezone(tz)
        deadline_day = self.services.calendar.add_working_days(due.date(), GRACE_WORKING_DAYS)
        deadline = datetime.combine(deadline_day, due.timetz())
        return deadline <= now and now - nudge.due <= HORIZON

    def _message(self, manager: Staff, items: list[tuple[Staff, Visit, Nudge]], this_year: int) -> Send:
        i18n = self.services.i18n
        t = i18n.get(manager.locale) if manager.locale else i18n.for_language_code(manager.language_code)
        lines = [t.plural("escalation.header", len(items)), ""]
        tz = self.services.settings.tz
        for host, visit, nudge in items:
            due = t.format_moment(nudge.due.astimezone(tz), this_year, "format.date")
            lines.append(t("escalation.line", host=host.name, number=visit.id, client=visit.client_name,
                           item=t(nudge.key), due=due))
        visits = list(dict.fromkeys(visit.id for _, visit, _ in items))[:MAX_BUTTONS]
        rows = [[Button(t("escalation.open", number=n), pack("vis", "show", n))] for n in visits]
        return Send(manager.user_id, "\n".join(lines), keyboard(*rows))
