"""How a guided conversation is declared: a flow is data, a tuple of steps.

A step says what it asks (a message key), what kind of answer it takes, whether it may be skipped,
when it does not apply, and how an answer is checked beyond its kind. ``bot.flows.engine`` runs
every flow the same way; its docstring has the state diagram.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.core.context import Context

# Answers by step id, as JSON: text and choice ids are strings, multi-choice a list of ids,
# numbers int/float, yes/no a bool, a date-time an ISO string with its offset, a date "1985-03-12"
# or "03-12" without its year.
Answers = dict[str, Any]


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    DATETIME = "datetime"
    # A day with no time, its year optional (a birthday, an anniversary): 1985-03-12, 3月12日, 12 Mar.
    # Stored as ``bot.domain.contact_fields.day_text`` writes it ("1985-03-12", "03-12").
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"
    # Typed text is a query; the matches come back as buttons, plus "new" to create one from it.
    SEARCH = "search"


@dataclass(frozen=True)
class Choice:
    """A button of a choice step. ``label`` is a message key unless ``literal`` (e.g. a client name)."""

    id: str
    label: str
    literal: bool = False
    # Other ways people type this choice: a contact's name alone, or how the host addresses them
    # (林經理 for 林志明, 经理). One alias shared by several choices is asked about, never guessed.
    aliases: tuple[str, ...] = ()


# A check gets the context (the person, services, ``ctx.now``), the parsed answer and the answers so
# far; it returns a specific complaint, already translated (``ctx.t(...)``), which is said before the
# question is asked again, or None when the answer is fine.
Check = Callable[["Context", Any, Answers], str | None]


@dataclass(frozen=True)
class Step:
    id: str
    kind: Kind
    question: str
    label: str
    # Offers Skip (and takes a skip word). On a multi-choice step with boxes ticked, Skip keeps them,
    # as Done would: a person who ticked two executives and then pressed Skip meant "no more".
    optional: bool = False
    choices: tuple[Choice, ...] = ()
    # Choices that depend on earlier answers or stored data (known clients, staff).
    dynamic_choices: Callable[[Context, Answers], tuple[Choice, ...]] | None = None
    skip_if: Callable[[Answers], bool] | None = None
    check: Check | None = None
    minimum: float | None = None
    maximum: float | None = None
    # A multi-choice step may also take typed items that are none of its choices.
    free_text: bool = False
    # More to say under the question, from the policy or the data (e.g. what each class means).
    detail: Callable[[Context, Answers], str] | None = None
    # For a search step: the matches for a query, and the message key of the "create new" button.
    search: Callable[[Context, str], tuple[Choice, ...]] | None = None
    create_label: str = ""
    # For a date-time step: the day a time typed alone falls on ("4pm" as the departure: the arrival's
    # day), instead of its next occurrence.
    day_of: Callable[[Answers], date | None] | None = None
    # For a multi-choice step with free text: how typed text splits into items (default: at commas,
    # semicolons and new lines).
    split: Callable[[str], list[str]] | None = None
    # For a multi-choice step with free text: a complaint about one typed item that is none of the
    # choices (a date typed as a visitor's name), translated; that item is dropped, the others stay.
    # For a search step: about the text typed, which is then not searched (a date as a company).
    check_item: Callable[[Context, str], str | None] | None = None
    # A step that applies but is asked on the way only when this holds (the visitors' phones: with a
    # pickup); otherwise it waits on the review card, where its ✏️ button fills it in. None: asked.
    ask_if: Callable[[Answers], bool] | None = None
    # Later steps whose answers depend on this one's: a changed answer here asks them again (the
    # lead, chosen by position among the visitors, after the visitors change).
    resets: tuple[str, ...] = ()
    # For an optional step whose answer may come later (the flight number): the message key said when
    # "待定" / TBD is typed; the step is then left unanswered, as Skip leaves it.
    undecided: str = ""

    def applies(self, answers: Answers) -> bool:
        return self.skip_if is None or not self.skip_if(answers)

    def asked(self, answers: Answers) -> bool:
        """Whether the walk through the flow asks this step (it applies, and is not left for the card)."""
        return self.applies(answers) and (self.ask_if is None or self.ask_if(answers))


@dataclass(frozen=True)
class Flow:
    name: str
    title: str
    steps: tuple[Step, ...]
    # Stores the result and says what happened; called from the review card's Save button. Returns
    # the number of what it saved (a visit) when the flow can show it again (``saved_again``).
    on_save: Callable[[Context, Answers], int | None]
    # Renders one answer for the review card (with all answers, for context), or returns "" to let
    # the engine's default, which covers every kind, do it.
    describe: Callable[[Context, Step, Any, Answers], str] | None = None
    # What the review card warns of as a whole, translated ("class A with no executive attending").
    warnings: Callable[[Context, Answers], list[str]] | None = None
    initial: Callable[[Context], Answers] = field(default=lambda ctx: {})
    # False for a short flow (a note, a reason) that saves after its last answer, without a card.
    review: bool = True
    # What a button of the card pressed after its Save was recorded says, given what ``on_save``
    # returned: the reply to the Save may have been lost to a crash, and the card still offers Save.
    saved_again: Callable[[Context, int], None] | None = None

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(f"{self.name} has no step {step_id!r}")
