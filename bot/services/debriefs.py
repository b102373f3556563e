"""Debriefs and the tasks they create: storing one, re-running one, and whose tasks are open.

Re-running a debrief replaces it, and its items update the tasks the last run made (matched by
text, then by order) instead of adding new ones. Tasks are written before the debrief: if the
process dies in between, the next run finds them by visit and origin, so nothing is duplicated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from bot.domain.clients import Contact
from bot.domain.debriefs import Debrief
from bot.domain.tasks import OpenItem, Task, TaskStatus, reconcile
from bot.domain.visits import Visit
from bot.i18n import LOCALES
from bot.repositories.debriefs import DebriefRepository
from bot.repositories.tasks import TaskRepository

ORIGIN = "debrief"
# The locale the client reads (zh_Hans, zh_Hant, en), or None when unknown: the memo then follows
# the host's locale. The clients service provides it (see ``lead_contact_language``).
MemoLanguage = Callable[[Visit], str | None]


def _unknown(visit: Visit) -> str | None:
    del visit
    return None


def lead_contact_language(contacts: Callable[[int], Iterable[Contact]]) -> MemoLanguage:
    """The language of the visit's lead visitor, looked up among the client's contacts."""

    def language(visit: Visit) -> str | None:
        lead = visit.lead
        if lead is None:
            return None
        return next((c.language for c in contacts(visit.client_id) if c.id == lead.contact_id), None)

    return language


@dataclass(frozen=True)
class Recorded:
    """A saved debrief, its tasks in item order, the open ones whose owners should hear of them
    (new, or changed in what, who or when), and the tasks the re-run dropped."""

    debrief: Debrief
    tasks: list[Task]
    assigned: list[Task]
    dropped: list[Task]


class DebriefService:
    def __init__(self, debriefs: DebriefRepository, tasks: TaskRepository,
                 memo_language: MemoLanguage = _unknown) -> None:
        self.debriefs = debriefs
        self.tasks = tasks
        self.memo_language = memo_language

    def get(self, visit_id: int) -> Debrief | None:
        return self.debriefs.get(visit_id)

    def tasks_of(self, visit_id: int) -> list[Task]:
        """The tasks the visit's debrief made."""
        return self.tasks.for_visit(visit_id, ORIGIN)

    def tasks_for(self, user_id: int) -> list[Task]:
        """Someone's open tasks, the most urgent first."""
        return self.tasks_for_each([user_id])[user_id]

    def tasks_for_each(self, user_ids: Iterable[int]) -> dict[int, list[Task]]:
        """``tasks_for`` of many people at once (read in storage order: /mytasks, the digest)."""
        return self.tasks.open_for_each(user_ids)

    def open_tasks_of(self, visit_ids: set[int]) -> list[Task]:
        """The tasks still open of these visits."""
        return self.tasks.open_of_visits(visit_ids)

    def memo_locale(self, visit: Visit) -> str | None:
        """The client's locale for the memo, if it is known and one we write in."""
        language = self.memo_language(visit)
        return language if language in LOCALES else None

    def record(self, debrief: Debrief, visit: Visit, items: Sequence[OpenItem]) -> Recorded:
        """Stores the debrief (replacing an earlier one) and makes or updates one task per item."""
        paired, dropped = reconcile(self.tasks_of(visit.id), items)
        next_id = self.tasks.next_id()
        saved, assigned = [], []
        for old, item in paired:
            if old is None:
                task = Task(next_id, visit.id, visit.client_id, item.text, item.owner, item.due,
                            debrief.written_at, debrief.written_by, origin=ORIGIN)
                next_id += 1
            else:
                task = replace(old, text=item.text, owner=item.owner, due=item.due)
            if task != old and task.status is TaskStatus.OPEN:
                assigned.append(task)
            saved.append(self.tasks.save(task))
        for task in dropped:
            self.tasks.delete(task.id)
        return Recorded(self.debriefs.save(debrief), saved, assigned, dropped)
