"""The clock is injected everywhere so that tests never sleep and time is always zone-aware."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current instant, always timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock (UTC; convert to the company zone where a person reads it)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that moves only when told; for tests and for the console's scripted runs."""

    current: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 1, 0, tzinfo=UTC))

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta
