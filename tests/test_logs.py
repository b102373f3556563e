"""The log masks the bot's token wherever a library puts it: a message's arguments, an exception's
text, a traceback, a warning, an error nobody caught."""

from __future__ import annotations

import io
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest

from bot.logs import FORMAT, RedactingFormatter

# The example token of the Bot API's documentation (no bot's): the shape of a real one.
CONFIGURED = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
SECRET = CONFIGURED.partition(":")[2]
MASKED_URL = "https://api.telegram.org/bot123456:***/getUpdates"


@pytest.fixture
def journal() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through the redacting formatter into a string, as the bot's handler does."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(RedactingFormatter(FORMAT, [CONFIGURED]))
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logger.removeHandler(handler)


def test_a_url_in_the_arguments_keeps_the_bot_id_and_loses_the_secret(
        journal: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = journal
    logger.info('HTTP Request: POST %s "HTTP/1.1 200 OK"', f"https://api.telegram.org/bot{CONFIGURED}/getUpdates")
    assert MASKED_URL in out.getvalue()
    assert SECRET not in out.getvalue()


def test_an_exception_quoting_the_token_is_masked_in_its_traceback(
        journal: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = journal
    try:
        raise RuntimeError(f"The token `{CONFIGURED}` was rejected by the server.")
    except RuntimeError:
        logger.exception("could not start")
    assert "RuntimeError: The token `123456:***` was rejected by the server." in out.getvalue()
    assert SECRET not in out.getvalue()


def test_the_configured_token_is_masked_whatever_its_shape_and_encoding() -> None:
    redact = RedactingFormatter(FORMAT, ["42:short-secret"]).redact
    assert redact("/bot42:short-secret/getMe") == "/bot42:***/getMe"
    assert redact("/bot42%3Ashort-secret/getMe") == "/bot42%3A***/getMe"


def test_any_token_shaped_text_is_masked_and_ordinary_text_is_not() -> None:
    redact = RedactingFormatter(FORMAT).redact
    # Made up, and built here so that no token-shaped string is tracked in the repository.
    another_bot = "7012345678:" + "AAFq2Xv9dTe-HJk3LmN0pQr5StUvWxYz_12"
    assert redact(f"sent with {another_bot}") == "sent with 7012345678:***"
    for ordinary in ("arrives 12:30", "callback lk:d:00010101:99991231:0", "visit #12: 华为 3:00",
                     "sha 1:abc"):
        assert redact(ordinary) == ordinary


def test_the_running_bot_logs_requests_quietly_and_masks_warnings_and_uncaught_errors() -> None:
    # In a process of its own: the setup replaces the root handler and Python's exception hooks.
    script = f"""
import logging, threading, warnings
from bot.logs import configure_logging
configure_logging({CONFIGURED!r})
url = "https://api.telegram.org/bot{CONFIGURED}/getUpdates"
logging.getLogger("httpx").info("HTTP Request: POST %s", url)
logging.getLogger("apscheduler.executors.default").info("Running job nudges (trigger: interval)")
logging.getLogger("apscheduler.scheduler").warning("Execution of job nudges skipped: maximum reached")
logging.getLogger("aiohttp.client").error("request to %s failed", url)
warnings.warn("deprecated call to " + url)
def fail() -> None:
    raise ConnectionError("lost " + url)
worker = threading.Thread(target=fail, name="sender")
worker.start()
worker.join()
raise RuntimeError("The token `{CONFIGURED}` was rejected by the server.")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                          check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert SECRET not in output, output
    assert "HTTP Request" not in output  # httpx's one line a call is left out
    assert "Running job" not in output  # the scheduler's lines for every run too, not its warnings
    assert "WARNING apscheduler.scheduler: Execution of job nudges skipped" in output
    assert f"ERROR aiohttp.client: request to {MASKED_URL} failed" in output
    assert f"UserWarning: deprecated call to {MASKED_URL}" in output
    assert "CRITICAL bot: sender stopped by an unexpected error" in output
    assert f"ConnectionError: lost {MASKED_URL}" in output
    assert "CRITICAL bot: stopped by an unexpected error" in output
    assert "RuntimeError: The token `123456:***` was rejected by the server." in output
