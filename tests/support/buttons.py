"""Finding a button by its visible label, as a person does, in the chat simulator and the fake Feishu."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar


class Labelled(Protocol):
    @property
    def label(self) -> str: ...


B = TypeVar("B", bound=Labelled)


def by_label(rows: Sequence[Sequence[B]], label: str, where: str) -> B:
    """The first button whose label contains ``label``; otherwise an AssertionError that lists the
    buttons ``where`` has."""
    for row in rows:
        for button in row:
            if label in button.label:
                return button
    labels = [b.label for row in rows for b in row]
    raise AssertionError(f"no button {label!r} on {where}; buttons: {labels}")
