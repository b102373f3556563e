"""``python -m tests.e2e.shifted_bot``: the bot exactly as ``python -m bot`` starts it, except that its
clock reads the real time moved by ``E2E_CLOCK_OFFSET`` seconds and runs on from there. For tests only:
the end-to-end tests start the bot on a Monday at 01:00 or on 31 December at 23:58 whatever the hour
of the test run. Production code never reads the offset; the clock reaches the core through the
parameter every test already uses, ``bootstrap.build(settings, clock, db)``.

The scheduler keeps the real time: it only decides when the senders look again (every 20 seconds),
and they ask the injected clock what is due.
"""

from __future__ import annotations

import os
import runpy
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot import bootstrap
from bot.clock import Clock
from bot.core.dispatcher import Dispatcher
from bot.flows.model import Flow
from bot.settings import Settings
from bot.storage import Database

OFFSET_VARIABLE = "E2E_CLOCK_OFFSET"


@dataclass(frozen=True)
class ShiftedClock:
    """The real clock moved by ``offset``: set to a chosen moment, it then runs on in real time."""

    offset: timedelta = timedelta(0)

    @classmethod
    def reading(cls, moment: datetime | None) -> ShiftedClock:
        """A clock that reads ``moment`` now (None: the real time)."""
        if moment is None:
            return cls()
        if moment.tzinfo is None:
            raise ValueError("ShiftedClock needs a timezone-aware moment")
        return cls(moment - datetime.now(UTC))

    @property
    def shifted(self) -> bool:
        return self.offset != timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def main() -> None:
    """Runs the bot's own entry with every build getting the shifted clock unless given another."""
    shifted = ShiftedClock(timedelta(seconds=float(os.environ[OFFSET_VARIABLE])))
    build = bootstrap.build

    def build_shifted(settings: Settings, clock: Clock | None = None, db: Database | None = None,
                      flows: dict[str, Flow] | None = None) -> Dispatcher:
        return build(settings, clock or shifted, db, flows)

    bootstrap.build = build_shifted  # bot.app looks it up at call time, after this
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
