"""Crash-safe embedded storage: TinyDB tables, one JSON file per collection, atomic writes.

Everything here is synchronous and must be used from ONE worker thread; see ``bot.storage.database``.
"""

from bot.storage.atomic import AtomicJSONStorage
from bot.storage.database import Database
from bot.storage.errors import DatabaseError
from bot.storage.migrations import CURRENT_SCHEMA_VERSION, MIGRATIONS, Migration

__all__ = [
    "CURRENT_SCHEMA_VERSION",
    "MIGRATIONS",
    "AtomicJSONStorage",
    "Database",
    "DatabaseError",
    "Migration",
]
