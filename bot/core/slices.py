"""Scheduled work done in slices of the core's time, so nobody typing waits long behind it.

The core runs one thing at a time (``bot.core.runner``). A job that held it for seconds (the
morning digests of 2,000 people, the catch-up after downtime, the nightly backup) made whoever
typed meanwhile wait as long. Such a job now does its work a slice at a time: each slice is one turn
of the core (and one durable write of what it decided), ending once it has used ``SLICE_SECONDS``;
an update that arrived meanwhile is handled before the next slice. What the slices share (today's
visits, everyone's open items) is read once, in the first slices, and kept by the job between
them rather than read again.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.core.events import Send

# A slice stops taking on more work once it has run this long; it ends a little after, and its
# write (one record of the log, one fdatasync) comes on top.
SLICE_SECONDS = 0.03


class Budget:
    """The core's time one slice may use; ``Budget(None)``: unlimited (tests, tools, the console)."""

    def __init__(self, seconds: float | None = SLICE_SECONDS) -> None:
        self._end = None if seconds is None else time.perf_counter() + seconds

    def left(self) -> bool:
        """Whether the slice may take on more work."""
        return self._end is None or time.perf_counter() < self._end


UNLIMITED = Budget(None)


@dataclass(frozen=True)
class Batch:
    """What one slice of a producer decided to push, and whether it has more to do."""

    messages: Sequence[Send]
    more: bool = False


class Pieces:
    """A producer written as a generator of small pieces of work, each giving the messages it
    decided (and having recorded them), run a slice at a time: as many pieces as the slice's budget
    allows, at least one."""

    def __init__(self, pieces: Iterator[Sequence[Send]]) -> None:
        self._pieces = pieces

    def step(self, budget: Budget) -> Batch:
        messages: list[Send] = []
        worked = False
        while budget.left() or not worked:
            worked = True
            try:
                messages += next(self._pieces)
            except StopIteration:
                return Batch(messages)
        return Batch(messages, more=True)
