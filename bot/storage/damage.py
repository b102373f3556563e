"""Damaged files are copied aside before the program stops, so the evidence outlives any repair.

Why: whoever finds the bot refusing to start will restore a backup or edit the data dir by hand;
the damaged files, and what the write-ahead log still held, would be gone with it. The copies go to
``<data_dir>/damaged-<UTC time>/``, keeping their paths inside the data dir (``visits/c000000.json``).
Nothing else is written: the damaged files themselves stay exactly as they were.
"""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

PREFIX = "damaged-"


def set_aside(data_dir: Path, files: Sequence[Path]) -> Path | None:
    """Copies ``files`` (inside ``data_dir``) to a new ``damaged-<time>/`` folder there; returns it,
    or None when there was nothing to copy. A start refused again and again (a service manager
    restarting the bot) finds the same damage: an earlier folder holding the same files is reused."""
    present = [path for path in files if path.is_file()]
    if not present:
        return None
    relative = [path.relative_to(data_dir) for path in present]
    for earlier in sorted(data_dir.glob(f"{PREFIX}*"), reverse=True):
        if all((earlier / rel).is_file() and filecmp.cmp(path, earlier / rel, shallow=False)
               for path, rel in zip(present, relative, strict=True)):
            return earlier
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target, n = data_dir / f"{PREFIX}{stamp}", 1
    while target.exists():
        n += 1
        target = data_dir / f"{PREFIX}{stamp}-{n}"
    target.mkdir(mode=0o700)  # the copies hold client data, like the files they come from
    for path, rel in zip(present, relative, strict=True):
        (target / rel).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The originals stay as they are, so the copies need no fsync to be safe.
        shutil.copy2(path, target / rel)
    return target
