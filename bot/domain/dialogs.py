"""Where a person is in a flow; stored with the data so a restart resumes at the same step."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Dialog:
    """One person's open flow. ``step`` None means the review card is showing."""

    user_id: int
    flow: str
    # Changes with every new dialog, so buttons of an older one are recognised as expired.
    token: str
    started_at: datetime
    step: str | None
    answers: dict[str, Any] = field(default_factory=dict)
    # Step ids in the order they were asked, for Back.
    history: list[str] = field(default_factory=list)
    # True while one step is edited from the review card: answering returns to the card.
    editing: bool = False
    # Half-finished answers: a date waiting for its time, a reading waiting for "yes", ticks so far.
    pending: dict[str, Any] = field(default_factory=dict)
    confirming_cancel: bool = False
    # Another form asked for while this one has answers ("flow", "answers", "at_review"): opened
    # if the person agrees to discard this one (``FlowEngine.start``).
    replacing: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """The named state, e.g. ``new_visit:arrival`` or ``new_visit:review``."""
        return f"{self.flow}:{self.step or 'review'}"


@dataclass(frozen=True)
class SavedForm:
    """A form whose Save was recorded: its token (which its card's buttons carry), its flow and the
    number of what it saved (a visit)."""

    token: str
    flow: str
    record: int


@dataclass(frozen=True)
class SavedForms:
    """The forms a person saved last, newest last. A crash can lose the reply to a Save after the
    save itself was written: the card then still shows its Save button, and pressing it finds the
    visit here instead of saying the form expired (and the visit being typed in twice)."""

    user_id: int
    forms: tuple[SavedForm, ...] = ()
