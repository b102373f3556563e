"""Callback data for inline buttons: ``prefix:arg:arg``, ids only, within Telegram's 64 bytes."""

from __future__ import annotations

MAX_BYTES = 64
SEPARATOR = ":"


class CallbackTooLong(ValueError):
    """A programming error: the button would be rejected by Telegram."""


def pack(prefix: str, *args: object) -> str:
    """Builds callback data; refuses anything Telegram would reject."""
    data = SEPARATOR.join([prefix, *(str(arg) for arg in args)])
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str) -> tuple[str, list[str]]:
    """Splits callback data into its prefix and arguments."""
    prefix, *args = data.split(SEPARATOR)
    return prefix, args
