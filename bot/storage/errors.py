"""The one error type of the storage layer, in its own module so every storage module can raise it."""


class DatabaseError(Exception):
    """The database cannot be used as it is on disk.

    Raised for data the program must not guess about: a file that is not valid JSON or not shaped like
    a TinyDB database, a schema version newer than this code, a missing ``meta.json`` next to data, or a
    data directory already locked by another process. The message always names the file concerned, so
    an operator can inspect it; the file itself is never modified or "repaired".
    """
