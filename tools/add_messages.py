"""Adds or updates messages in the three catalogues at once.

Usage: ``python tools/add_messages.py messages.json`` where the file maps a key to its three texts,
``{"key": ["简体", "繁體", "English"]}``, or, for a message with plural forms,
``{"key": {"zh_Hans": ["…"], "zh_Hant": ["…"], "en": ["one", "other"]}}`` (the plural msgid is
``key + ".plural"``). Several people may run it at once: the catalogues are locked while written.
"""

import fcntl
import io
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALES = ("zh_Hans", "zh_Hant", "en")
ROOT = Path(__file__).resolve().parent.parent / "locales"


def _path(locale: str) -> Path:
    return ROOT / locale / "LC_MESSAGES" / "messages.po"


def _load(locale: str) -> Catalog:
    with _path(locale).open("rb") as f:
        return read_po(f, locale=locale)


def _save(locale: str, catalog: Catalog) -> None:
    for message in catalog:
        message.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=False)
    # Header fields that change on every write, or say nothing, only make noise in diffs.
    noise = (b'"PO-Revision-Date', b'"Last-Translator', b'"Report-Msgid-Bugs-To', b"#, fuzzy")
    lines = [line for line in buffer.getvalue().splitlines(keepends=True) if not line.startswith(noise)]
    _path(locale).write_bytes(b"".join(lines))


def add(entries: dict[str, object]) -> None:
    with (ROOT / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for index, locale in enumerate(LOCALES):
            catalog = _load(locale)
            for key, texts in entries.items():
                if isinstance(texts, dict):
                    forms = texts[locale]
                    if key in catalog:
                        del catalog[key]
                    catalog.add((key, key + ".plural"), tuple(forms))
                else:
                    assert isinstance(texts, list) and len(texts) == 3, key
                    if key in catalog:
                        del catalog[key]
                    catalog.add(key, texts[index])
            _save(locale, catalog)


if __name__ == "__main__":
    add(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
