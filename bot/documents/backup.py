"""Backups: the whole database as one zip, on demand (/backup) and as a nightly copy in the data dir.

An archive holds the data dir's files as they are, whatever the storage's layout (``meta.json``,
``<collection>.json`` files or chunk folders, the archive of old records, the company's ``*.toml``
overrides), so restoring is unzipping it into an empty data dir. It must be
made on the core's worker thread, the one thread that writes: every write there has reached the disk
before the next starts, so the files read in between are consistent with each other.

Nightly copies go to ``<data dir>/backups/backup-<date>.zip`` (a directory, so never taken for a
collection); the newest ``BOT_BACKUP_KEEP`` are kept.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.storage import Database
from bot.storage.atomic import fsync_directory, is_temp_file, replace_file

if TYPE_CHECKING:
    from bot.bootstrap import Services

BACKUP_DIR = "backups"
# Nightly copies are made from this hour on (company time), when nobody is working.
NIGHTLY_HOUR = 3
_NIGHTLY = re.compile(r"backup-(\d{8})\.zip")


def archive(db: Database, made_at: datetime) -> bytes:
    """A zip of every data file and the company's overrides; call it on the core thread only."""
    db.checkpoint()  # the files then hold every write, and the log in the zip is empty
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.comment = f"reception bot backup {made_at.isoformat()} schema {db.schema_version}".encode()
        for path in _files(db.data_dir):
            zipped.writestr(path.relative_to(db.data_dir).as_posix(), path.read_bytes())
    return out.getvalue()


def restore(content: bytes, data_dir: Path) -> list[str]:
    """Unpacks an archive into an empty (or new) data dir; returns the file names written.

    The README's restore is ``unzip``; this is the same for tests and scripts, refusing to mix a
    backup into existing data.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    if any(data_dir.iterdir()):
        raise FileExistsError(f"{data_dir} is not empty; restore into an empty data dir")
    with zipfile.ZipFile(io.BytesIO(content)) as zipped:
        names = [name for name in zipped.namelist() if _safe(name)]
        for name in names:
            target = data_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zipped.read(name))
    return names


def take_nightly(services: Services) -> Path | None:
    """What the scheduler runs (hourly, on the core thread): today's copy once it is past 03:00."""
    now = services.clock.now().astimezone(services.settings.tz)
    if now.hour < NIGHTLY_HOUR:
        return None
    return nightly(services.db, now, services.settings.bot_backup_keep)


def nightly(db: Database, now: datetime, keep: int) -> Path | None:
    """Today's copy in ``backups/`` unless there is one; older copies beyond ``keep`` are deleted.

    Returns the new file, or None when today's copy exists already or ``keep`` is 0 (no copies).
    """
    if keep <= 0:
        return None
    folder = db.data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"backup-{now:%Y%m%d}.zip"
    if target.exists():
        return None
    replace_file(target, archive(db, now))
    for old in nightly_copies(db.data_dir)[keep:]:
        old.unlink()
    fsync_directory(folder)
    return target


def nightly_copies(data_dir: Path) -> list[Path]:
    """The nightly copies, newest first."""
    folder = data_dir / BACKUP_DIR
    if not folder.is_dir():
        return []
    copies = [path for path in folder.iterdir() if _NIGHTLY.fullmatch(path.name)]
    return sorted(copies, key=lambda path: path.name, reverse=True)


def _files(data_dir: Path) -> list[Path]:
    """Every file of the database, whatever its layout (one file per collection, chunk folders, the
    archive): all of the data dir but the lock, temporary files and the nightly copies."""
    found = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if not path.is_file() or relative.parts[0] == BACKUP_DIR or is_temp_file(path):
            continue
        if any(part.startswith(".") for part in relative.parts):
            continue  # hidden: the lock, a write check, an editor's swap file
        found.append(path)
    return found


def _safe(name: str) -> bool:
    """A member that stays inside the data dir and is not a nightly copy or a hidden file."""
    parts = name.split("/")
    return (not name.startswith("/") and ".." not in parts and parts[0] != BACKUP_DIR
            and not any(part.startswith(".") for part in parts) and not name.endswith("/"))
