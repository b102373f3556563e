"""Backups: the whole database as one zip, on demand (/backup) and as a nightly copy in the data dir.

An archive holds the data dir's files as they are, whatever the storage's layout (``meta.json``,
``<collection>.json`` files or chunk folders, the archive of old records, the company's ``*.toml``
overrides), so restoring is unzipping it into an empty data dir. Its files are taken on the core
(``take``), which runs one write at a time, so they are consistent with each other; they are
zipped off it, while writes go on.

Nightly copies go to ``<data dir>/backups/backup-<date>.zip`` (a directory, so never taken for a
collection); the newest ``BOT_BACKUP_KEEP`` are kept.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING

from bot.storage import Database
from bot.storage.atomic import TEMP_SUFFIX, fsync_directory, is_temp_file
from bot.storage.database import LOG_FILE

if TYPE_CHECKING:
    from bot.bootstrap import Services

BACKUP_DIR = "backups"
# Nightly copies are made from this hour on (company time), when nobody is working.
NIGHTLY_HOUR = 3
_NIGHTLY = re.compile(r"backup-(\d{8})\.zip")


def take(db: Database, made_at: datetime) -> Taken:
    """On the core thread, for /backup: the database's files as they are now (``_link``); their
    archive is made off the core (``Taken.archive``)."""
    for left in (db.data_dir / BACKUP_DIR).glob(".taken-*"):
        if left not in _taking:  # a crash interrupted an archive of an earlier run
            shutil.rmtree(left)
    folder = _link(db, ".taken-")
    _taking.add(folder)
    comment = f"reception bot backup {made_at.isoformat()} schema {db.schema_version}".encode()
    return Taken(folder, comment)


# The folders of the archives being made by this process (``take``), the others' being leftovers.
_taking: set[Path] = set()


@dataclass(frozen=True)
class Taken:
    """The files of one archive for /backup (linked in ``folder``)."""

    folder: Path
    comment: bytes

    def archive(self, limit: int) -> tuple[int, bytes | None]:
        """Zips the files, then deletes them; any thread. The archive's size in bytes, and the archive
        unless it is larger than ``limit`` (never held in memory then)."""
        try:
            with tempfile.TemporaryFile(dir=self.folder.parent) as out:
                _zip(self.folder, out, self.comment)
                size = out.tell()
                if size > limit:
                    return size, None
                out.seek(0)
                return size, out.read()
        finally:
            _taking.discard(self.folder)
            shutil.rmtree(self.folder, ignore_errors=True)


def on_demand(services: Services, made_at: datetime) -> Taken:
    """/backup's files, taken on the core thread (``take``); zipped off it by ``Taken.archive``."""
    return take(services.db, made_at)


def copies_kept(services: Services) -> int:
    """How many nightly copies the data dir holds."""
    return len(nightly_copies(services.db.data_dir))


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
    """Today's copy once it is past 03:00 (``nightly``), all at once on the calling thread."""
    snapshot = nightly_snapshot(services)
    return None if snapshot is None else snapshot.write()


def nightly_snapshot(services: Services) -> Snapshot | None:
    """What the scheduler runs on the core thread (hourly): the files of today's copy, once it is past
    03:00 and there is none yet; ``Snapshot.write`` then makes the copy off the core."""
    now = services.clock.now().astimezone(services.settings.tz)
    if now.hour < NIGHTLY_HOUR:
        return None
    return snapshot(services.db, now, services.settings.bot_backup_keep)


def nightly(db: Database, now: datetime, keep: int) -> Path | None:
    """Today's copy in ``backups/`` unless there is one; older copies beyond ``keep`` are deleted.

    Returns the new file, or None when today's copy exists already or ``keep`` is 0 (no copies).
    """
    taken = snapshot(db, now, keep)
    return None if taken is None else taken.write()


def snapshot(db: Database, now: datetime, keep: int) -> Snapshot | None:
    """On the core thread: the database's files as they are now, for today's copy (None when it
    exists already or ``keep`` is 0).

    Zipping five years of a company (300 MB) took seconds of the core thread, and everybody waited.
    So the core only brings the files up to date (a checkpoint) and links each into a hidden folder
    (hard links: quick); the copy is zipped from there off the core, while writes go on.
    The links keep the files as they were: every data file is replaced whole (a new file renamed
    over it), never changed in place, except the write-ahead log, which the checkpoint has emptied
    and which the copy holds empty."""
    if keep <= 0:
        return None
    folder = db.data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"backup-{now:%Y%m%d}.zip"
    if target.exists():
        return None
    for left in folder.glob(".snapshot-*"):  # a crash interrupted an earlier copy
        shutil.rmtree(left)
    comment = f"reception bot backup {now.isoformat()} schema {db.schema_version}".encode()
    return Snapshot(_link(db, ".snapshot-"), target, comment, keep)


def _link(db: Database, prefix: str) -> Path:
    """On the core thread: a hidden folder (named from ``prefix``) in ``backups/`` holding the
    database's files as they are now, each linked, so taking them costs a few milliseconds."""
    db.checkpoint()  # the files then hold every write, and the log is empty
    folder = db.data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    taken = Path(tempfile.mkdtemp(dir=folder, prefix=prefix))
    try:
        made = {taken}
        for path in _files(db.data_dir):
            relative = path.relative_to(db.data_dir)
            linked = taken / relative
            if linked.parent not in made:
                linked.parent.mkdir(parents=True, exist_ok=True)
                made.add(linked.parent)
            if relative.name == LOG_FILE:
                linked.write_bytes(b"")  # appended to in place, and empty after the checkpoint
                continue
            try:
                os.link(path, linked)
            except OSError:  # a filesystem without hard links: copied instead, on the core
                shutil.copyfile(path, linked)
    except BaseException:
        shutil.rmtree(taken, ignore_errors=True)
        raise
    return taken


@dataclass(frozen=True)
class Snapshot:
    """The files of one copy (linked in ``folder``), to be zipped into ``target``."""

    folder: Path
    target: Path
    comment: bytes
    keep: int

    def write(self) -> Path:
        """Zips the files into ``target`` (written whole, then renamed: never half a copy), deletes
        the copies beyond ``keep`` and the linked files; any thread. Returns ``target``."""
        try:
            fd, temp_name = tempfile.mkstemp(dir=self.target.parent, prefix=f".{self.target.name}.",
                                             suffix=TEMP_SUFFIX)
            temp = Path(temp_name)
            try:
                with os.fdopen(fd, "wb") as out:
                    _zip(self.folder, out, self.comment)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(temp, self.target)
            except BaseException:
                temp.unlink(missing_ok=True)
                raise
            for old in nightly_copies(self.target.parent.parent)[self.keep:]:
                old.unlink()
            fsync_directory(self.target.parent)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
        return self.target


def _zip(folder: Path, out: IO[bytes], comment: bytes) -> None:
    """The files under ``folder`` zipped into ``out``."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.comment = comment
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            zipped.write(path, path.relative_to(folder).as_posix())


def nightly_copies(data_dir: Path) -> list[Path]:
    """The nightly copies, newest first."""
    folder = data_dir / BACKUP_DIR
    if not folder.is_dir():
        return []
    copies = [path for path in folder.iterdir() if _NIGHTLY.fullmatch(path.name)]
    return sorted(copies, key=lambda path: path.name, reverse=True)


def _files(data_dir: Path) -> list[Path]:
    """Every file of the database, whatever its layout (one file per collection, chunk folders, the
    archive): all of the data dir but the lock, temporary files and the nightly copies. Walked, not
    globbed: the nightly copies' folder (files being zipped there included) is not even entered."""
    found = []
    for root, folders, names in os.walk(data_dir):
        here = Path(root)
        # Hidden ones (the lock, a write check, an editor's swap file) are no data.
        folders[:] = sorted(name for name in folders
                            if not name.startswith(".") and (here != data_dir or name != BACKUP_DIR))
        found += [here / name for name in sorted(names)
                  if not name.startswith(".") and not is_temp_file(here / name)]
    return found


def _safe(name: str) -> bool:
    """A member that stays inside the data dir and is not a nightly copy or a hidden file."""
    parts = name.split("/")
    return (not name.startswith("/") and ".." not in parts and parts[0] != BACKUP_DIR
            and not any(part.startswith(".") for part in parts) and not name.endswith("/"))
