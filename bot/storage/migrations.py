"""Schema versions of the data directory and the ordered steps between them.

``meta.json`` records the version the data is at. ``Database.open`` runs, in order, every migration
whose ``from_version`` is at or above it, and stamps ``to_version`` in ``meta.json`` after each one, so
a migration interrupted by a crash runs again at the next start: write migrations so that running one
twice is harmless (for example "set field if missing", not "increment"). A migration that touches
several collections is not atomic across them, for the same reason.

To change the schema: append ``Migration(N, N + 1, fn)`` to ``MIGRATIONS``. A data directory at a
version newer than the last ``to_version`` is refused, so an old build never misreads new data.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from tinydb.table import Document

from bot.storage.chunked import CHUNKED

if TYPE_CHECKING:
    from bot.storage.database import Database


@dataclass(frozen=True)
class Migration:
    """One step: turns data at ``from_version`` into data at ``to_version`` by calling ``apply(db)``."""

    from_version: int
    to_version: int
    apply: Callable[[Database], None]
    description: str = ""


def _initial_schema(db: Database) -> None:
    """Version 1, the first schema: collections are created on first write, so there is nothing to do.

    It exists so that a new data directory goes through the same path as every later upgrade.
    """


def _split_big_collections(db: Database) -> None:
    """Version 2: the collections that grow with the years move from one file to chunk files
    (``bot.storage.chunked``), so that a write no longer rewrites the whole history."""
    for name in sorted(CHUNKED):
        db.split_collection(name)


def _split_relationship_records(db: Database) -> None:
    """Version 3: the relationship sweep's records (a reminder per client, a digest per person and
    day) grow too; in one file each, the first sweep at 25,000 visits took 28 s of rewriting them."""
    for name in ("relationship_reminders", "greeting_digests"):
        db.split_collection(name)


def _record_layout(db: Database) -> None:
    """Version 4: ``meta.json`` lists the collection files, each chunked collection's chunk files and
    its next id, so a missing file stops the start rather than read as an empty collection whose ids
    are handed out again (see ``bot.storage.database``). An emptied chunk now keeps its file; before,
    it was deleted, so a chunk already missing cannot be told from one emptied: the layout is what
    the data dir holds now. Also the version, so an earlier build (which deletes emptied chunks
    without a word to ``meta.json``) does not open the data dir again."""
    db.record_layout()


# What schema 5 reads and writes (``bot.repositories.identities`` owns the new table): a migration
# stays as it was written, whatever the code does later.
_BASE = 2**52
_OLD_KINDS = {"user": "person", "group": "group", "p2p": "p2p"}


def _identities(db: Database) -> None:
    """Version 5: a person is one staff record with an identity per platform (``telegram:<id>``,
    ``feishu:<open_id>``). The Feishu transport's ``feishu_ids`` rows become rows of ``identities``
    under the same numbers (so every person and group keeps its id, and visits, nudges and the rest
    need no rewrite), and each staff record lists its identities: ``telegram:<user_id>`` for a
    Telegram id, its open_id for a Feishu number. One unit, one durable write; run again after a
    crash, it finds the rows it copied and the staff records it set and leaves them be."""
    old, new, staff = db.table("feishu_ids"), db.table("identities"), db.table("staff")
    with db.unit():
        copied = {doc.doc_id for doc in new.all()}
        private: dict[str, Document] = {}  # the last row of each private chat, as it was read
        rows = []
        for doc in old.all():
            kind = _OLD_KINDS[str(doc["kind"])]
            key = f"feishu:{doc['key']}"
            if kind == "p2p":
                private[key] = Document({"kind": kind, "key": key, "id": int(doc["user"])}, doc.doc_id)
                continue
            number = _BASE + doc.doc_id
            row = {"kind": kind, "key": key, "id": number if kind == "person" else -number}
            if kind == "person":
                row["name"] = str(doc.get("name") or "")
            rows.append(Document(row, doc.doc_id))
        missing = [row for row in (*rows, *private.values()) if row.doc_id not in copied]
        if missing:
            new.insert_multiple(missing)
        feishu = {int(doc["id"]): str(doc["key"]) for doc in new.all() if doc["kind"] == "person"}
        for doc in staff.all():
            if "identities" in doc:
                continue
            user_id = doc.doc_id  # staff are stored under their id
            if 0 < user_id < _BASE:
                names = [f"telegram:{user_id}"]
            else:
                names = [feishu[user_id]] if user_id in feishu else []
            staff.update({"identities": names}, doc_ids=[doc.doc_id])
        if len(old):
            old.truncate()


def _lodging_guests(db: Database) -> None:
    """Version 6: a visit's hotel guests are a list of names, no longer one string the form joined
    with ", " ("David Lee, 张伟"), which each reader printed as it was, an ASCII comma in Chinese
    text and all. That string is split where the form joined it, in one update (one write); run
    again after a crash, it finds lists and leaves them be."""
    visits = db.table("visits")
    old = [doc.doc_id for doc in visits.all() if isinstance((doc.get("lodging") or {}).get("guests"), str)]
    if old:
        with db.unit():
            visits.update(_split_guests, doc_ids=old)


def _split_guests(doc: MutableMapping[str, Any]) -> None:
    lodging = doc["lodging"]
    names = [name.strip() for name in str(lodging["guests"]).split(", ") if name.strip()]
    doc["lodging"] = {**lodging, "guests": names}


# Where schema 7 splits a tour's places: where /new joined them ("; " at first, then the typist's own
# semicolon, "；" in Chinese) and the line breaks it read them from.
_PLACE_BREAKS = re.compile(r"[\n;；]")


def _tour_places(db: Database) -> None:
    """Version 7: the places of a tour not fixed yet are a list, no longer one string joined with the
    semicolon of whoever typed them, which an English reader saw as "生产车间；研发中心". Split as the
    guests were (schema 6): one update, one write; run again after a crash, it finds lists."""
    visits = db.table("visits")
    old = [doc.doc_id for doc in visits.all() if isinstance(doc.get("tour"), str)]
    if old:
        with db.unit():
            visits.update(_split_places, doc_ids=old)


def _split_places(doc: MutableMapping[str, Any]) -> None:
    doc["tour"] = [place.strip() for place in _PLACE_BREAKS.split(str(doc["tour"])) if place.strip()]


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(0, 1, _initial_schema, "initial schema"),
    Migration(1, 2, _split_big_collections, "big collections in chunk files"),
    Migration(2, 3, _split_relationship_records, "relationship records in chunk files"),
    Migration(3, 4, _record_layout, "meta.json lists the data files and the next ids"),
    Migration(4, 5, _identities, "a person's identities per platform"),
    Migration(5, 6, _lodging_guests, "a visit's hotel guests as a list of names"),
    Migration(6, 7, _tour_places, "the places of a tour not fixed yet as a list"),
)

CURRENT_SCHEMA_VERSION: Final[int] = MIGRATIONS[-1].to_version


def target_version(migrations: Sequence[Migration]) -> int:
    """The version ``migrations`` lead to, after checking they form one chain starting at 0.

    A broken chain is a programming error (``ValueError``), not a problem with the data.
    """
    version = 0
    for migration in migrations:
        if migration.from_version != version or migration.to_version <= migration.from_version:
            raise ValueError(
                f"migrations must form a chain from version 0 upwards; at version {version} found "
                f"{migration.from_version} -> {migration.to_version}"
            )
        version = migration.to_version
    return version
