"""The error types of the storage layer, in their own module so every storage module can raise them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import orjson


class DatabaseError(Exception):
    """The database cannot be used as it is on disk.

    Raised for data the program must not guess about: a file that is not valid JSON or not shaped like
    a TinyDB database, a schema version newer than this code, a missing ``meta.json`` next to data, or a
    data directory already locked by another process. The message always names the file concerned, so
    an operator can inspect it; the file itself is never modified or "repaired".
    """


class DamagedData(DatabaseError):
    """A data file is damaged or missing: what it held cannot be read as it was written.

    ``files`` are the files concerned that exist (the damaged ones, or what says a missing one should
    be there). Whoever stops on this copies them aside first (``bot.storage.damage``) and writes
    nothing else, so the data directory stays as the damage left it; ``kept`` is then where the copies
    are, and the message says so.
    """

    def __init__(self, message: str, files: Sequence[Path] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.files = tuple(files)
        self.kept: Path | None = None

    def __str__(self) -> str:
        if self.kept is None:
            return self.message
        return f"{self.message}; nothing was changed, the damaged files were copied to {self.kept}/"


def decoded_json(raw: bytes, path: Path, what: str) -> Any:
    """``raw``, the bytes of ``path``, decoded; else ``DamagedData``: "<what> <path> is not valid JSON"."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise DamagedData(f"{what} {path} is not valid JSON ({exc})", [path]) from exc


def json_object(raw: bytes, path: Path, what: str, shape: str) -> dict[str, Any]:
    """``raw`` decoded as a JSON object (``decoded_json``); anything else is "<what> <path> is not
    <shape>"."""
    decoded = decoded_json(raw, path, what)
    if not isinstance(decoded, dict):
        raise DamagedData(f"{what} {path} is not {shape}", [path])
    return decoded
