"""Fixtures: a fresh bot world on a real database in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.chat import World


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """A bot whose only configured admin is user 1, speaking zh_Hans by default."""
    created = World(tmp_path / "data")
    yield created
    created.db.close()
