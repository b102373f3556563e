"""Set-up and everyday commands, with nothing but Python 3.11+ installed.

    python3 dev.py run [args]     start the bot (console chat when no token is set)
    python3 dev.py test [args]    ruff, mypy, then pytest (args go to pytest)

The first call makes ``.venv/`` and installs the hash-pinned ``requirements.lock`` into it, then
this project (editable). A stamp of the lock and pyproject.toml makes later calls skip that work
until either file changes. Only the standard library is used here on purpose: this script is what
runs before anything else is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
INPUTS = (ROOT / "requirements.lock", ROOT / "pyproject.toml")


def ensure_environment() -> None:
    """Creates or refreshes the virtual environment when the pinned inputs changed."""
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is needed (this is {}.{}).".format(*sys.version_info[:2]))
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in INPUTS)).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    print("Installing pinned dependencies ...", flush=True)
    subprocess.run([*pip, "--require-hashes", "-r", str(ROOT / "requirements.lock")], check=True)
    subprocess.run([*pip, "--no-deps", "--no-build-isolation", "-e", str(ROOT)], check=True)
    STAMP.write_text(digest)


def run(args: list[str]) -> int:
    return subprocess.call([str(PYTHON), "-m", "bot", *args], cwd=ROOT)


def test(args: list[str]) -> int:
    steps = [
        [str(PYTHON), "-m", "ruff", "check", "."],
        [str(PYTHON), "-m", "mypy"],
        [str(PYTHON), "-m", "pytest", *args],
    ]
    for step in steps:
        print("$", Path(step[0]).name, *step[1:], flush=True)
        code = subprocess.call(step, cwd=ROOT)
        if code != 0:
            return code
    return 0


def main() -> int:
    commands = {"run": run, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    ensure_environment()
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    raise SystemExit(main())
