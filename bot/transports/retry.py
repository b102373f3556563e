"""Start-up calls that must wait for the Bot API rather than give up when it is briefly away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# The exit code when the platform refuses the bot's credentials: the same as a bad setting, so that
# systemd's ``RestartPreventExitStatus=2`` (README) stops restarting a bot that cannot start until
# someone sets a valid token, rather than restarting it forever.
CREDENTIALS_REFUSED = 2


def credentials_refused(platform: str, error: Exception) -> int:
    """Says in one line, without a traceback, that ``platform`` refused the credentials."""
    log.error("%s refused the bot's credentials (%s): revoked or mistyped? Set valid ones and start again",
              platform, error)
    return CREDENTIALS_REFUSED


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
