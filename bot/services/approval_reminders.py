"""A visit still awaiting an approver's answer close to its arrival: the approver is reminded once,
and the host is told it is still pending.

The request went out when the visit was saved (``bot.views.approval.ask``); an approver who has not
answered by the policy's lead before the arrival (``approval.remind_before``: a working day, as the
handbook has the form before the department head a day ahead), and not sooner than
``approval.remind_after`` the request, gets one reminder with the Approve and Send back buttons.
Like the visit's nudges (``NudgeSender.first_moment``), it waits out quiet hours and days off unless
the visit is that day or close. Each (visit, step) is recorded in the write that queues it
(``bot.core.outbox``), so it goes once; a visit answered, sent back or cancelled meanwhile is not
reminded of.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Protocol

from bot.core.events import Keyboard, Send
from bot.domain.approval import reminder_due
from bot.domain.staff import Staff
from bot.i18n import Translator
from bot.repositories.protocols import DoneOnce
from bot.services.approval import Awaiting, Pending
from bot.services.dispatch import NudgeSender

if TYPE_CHECKING:
    from bot.bootstrap import Services

# How far ahead visits are looked at: the policy's lead is a working day or a few, which a long
# holiday (the Spring Festival's week off) stretches to a fortnight at most.
SCAN_AHEAD = timedelta(days=30)


class ApprovalReminderText(Protocol):
    """How the reminder and the host's note read (``bot.views.approval.ReminderView``, handed down by
    bootstrap): this service decides who hears what, when."""

    def reminder(self, t: Translator, tz: tzinfo, waiting: Awaiting,
                 now: datetime) -> tuple[str, Keyboard]: ...

    def still_pending(self, t: Translator, tz: tzinfo, waiting: Awaiting, approvers: list[Staff],
                      now: datetime) -> tuple[str, Keyboard]: ...


class ApprovalReminderService:
    def __init__(self, services: Services, records: DoneOnce, text: ApprovalReminderText) -> None:
        """``records`` holds each (visit number, step) reminded of."""
        self.services = services
        self.records = records
        self.text = text

    def due_messages(self, now: datetime) -> list[Send]:
        """The reminders due now and the hosts' notes, recorded as sent; the caller queues them."""
        return [message for piece in self.pieces(now) for message in piece]

    def pieces(self, now: datetime) -> Iterator[list[Send]]:
        """``due_messages`` a visit at a time, each piece recording what it decided, for the
        scheduler's slices (``bot.core.slices.Pieces``). The visits waiting for an answer come from the
        visit index; only those whose reminder is due and not yet sent are decoded."""
        services = self.services
        tz = services.settings.tz
        sender = NudgeSender(services)
        for waiting in services.approval.waiting(now, now + SCAN_AHEAD):
            yield self._remind(waiting, now, tz, sender)

    def _remind(self, pending: Pending, now: datetime, tz: tzinfo, sender: NudgeSender) -> list[Send]:
        services = self.services
        if self.records.done((pending.number, pending.step)):
            return []
        if now < reminder_due(pending.arrival, pending.since, services.policy,
                              services.calendar.add_working_days, tz):
            return []
        visit = services.visits.get(pending.number)
        if visit is None or sender.first_moment(visit, now) > now:
            return []  # quiet hours or a day off, and the visit is not that close
        waiting = Awaiting(visit, pending.step, pending.since)
        approvers = [p for p in services.approval.approvers(visit, waiting.step) if p.active and p.reachable]
        self.records.record([(visit.id, waiting.step)], [p.user_id for p in approvers], now)
        messages: list[Send] = []
        for person in approvers:
            text, buttons = self.text.reminder(self._translator(person), tz, waiting, now)
            messages.append(Send(person.user_id, text, buttons))
        host = services.access.person(visit.host)
        if host is not None and host.active and host.reachable:
            text, buttons = self.text.still_pending(self._translator(host), tz, waiting, approvers, now)
            messages.append(Send(host.user_id, text, buttons))
        return messages

    def _translator(self, person: Staff) -> Translator:
        i18n = self.services.i18n
        return i18n.get(person.locale) if person.locale else i18n.for_language_code(person.language_code)
