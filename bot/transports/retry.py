"""Start-up calls that must wait for the Bot API rather than give up when it is briefly away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


async def until_reachable(call: Callable[[], Awaitable[T]], retryable: tuple[type[Exception], ...],
                          first_pause: float = 1.0, longest_pause: float = 30.0) -> T:
    """Repeats ``call`` with growing pauses while it fails with a network-type error."""
    pause = first_pause
    while True:
        try:
            return await call()
        except retryable as error:
            log.warning("Bot API not reachable (%s); retrying in %.0fs", error, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, longest_pause)
