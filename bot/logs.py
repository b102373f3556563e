"""How the bot logs: one line a record on stderr (the journal under systemd), the token masked.

Every Bot API URL holds the bot's token (``/bot<token>/getUpdates``), and whoever has the token
owns the bot. An HTTP client's request log (httpx writes one line a call at INFO), an error that
quotes a URL, or a framework's own message (python-telegram-bot: "The token `…` was rejected")
would hand it to whoever reads the journal. So the one handler masks the finished text of every
record, from any library: message, arguments and traceback alike. Uncaught exceptions and warnings,
which Python would print past the handler, are sent through it too.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from types import TracebackType

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# A Telegram bot token: the bot's numeric id, a colon, then its secret (35 characters today).
TOKEN_SHAPE = re.compile(r"(\d+):[A-Za-z0-9_-]{30,}")
MASK = "***"
# They log every request with its URL at INFO (httpx, python-telegram-bot's client) or below, and
# APScheduler two lines for every run of every job (a dozen lines every 20 seconds): only their
# warnings and errors are kept, so the journal shows what the bot did and what went wrong.
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler")

log = logging.getLogger("bot")


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks the secret of each given token and of anything shaped like one.

    Only the secret is masked (``123456789:***``): the bot's id is public and tells the operator
    which bot spoke."""

    def __init__(self, fmt: str, tokens: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        # A token with no colon is masked whole; the secret alone also hides it when quoted
        # around an encoded colon (``%3A``).
        self._secrets = [secret for token in tokens if (secret := token.partition(":")[2] or token)]

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        return TOKEN_SHAPE.sub(rf"\1:{MASK}", text)


def configure_logging(token: str | None) -> None:
    """INFO and above to stderr, through the redacting formatter; the HTTP clients' request lines
    and the scheduler's job runs left out; uncaught exceptions and warnings logged rather than printed."""
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(FORMAT, [token] if token else []))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread


def _log_uncaught(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
    log.critical("stopped by an unexpected error", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(hook: threading.ExceptHookArgs) -> None:
    if issubclass(hook.exc_type, SystemExit):  # a thread asked to end, as Python's own hook sees it
        return
    name = hook.thread.name if hook.thread is not None else "a thread"
    log.critical("%s stopped by an unexpected error", name, exc_info=hook.exc_value)
