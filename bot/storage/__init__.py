"""Crash-safe embedded storage: TinyDB tables in JSON files (big collections in chunks), an archive
for history read on demand, atomic writes.

Everything here is synchronous and must be used from ONE worker thread; see ``bot.storage.database``.
"""

from bot.storage.archive import Archive
from bot.storage.atomic import AtomicJSONStorage
from bot.storage.database import Database, damaged_document, kept_index, on_rollback, rebuilt_on_failure
from bot.storage.errors import DamagedData, DatabaseError
from bot.storage.migrations import CURRENT_SCHEMA_VERSION, MIGRATIONS, Migration

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "MIGRATIONS",
    "Archive",
    "AtomicJSONStorage",
    "DamagedData",
    "Database",
    "DatabaseError",
    "Migration",
    "damaged_document",
    "kept_index",
    "on_rollback",
    "rebuilt_on_failure",
]
