"""Fixtures: a fresh bot world, or a bare database, on real files in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage import Database
from tests.support.chat import MONDAY_9AM, World


@pytest.fixture
def admin_ids() -> frozenset[int]:
    """The configured admins of ``world``; a test module that needs more overrides this fixture."""
    return frozenset({1})


@pytest.fixture
def world(tmp_path: Path, admin_ids: frozenset[int]) -> Iterator[World]:
    """A bot speaking zh_Hans by default, on Monday 09:00 in Shanghai, whose admins are ``admin_ids``."""
    created = World(tmp_path / "data", admin_ids=admin_ids)
    created.clock.current = MONDAY_9AM
    yield created
    created.db.close()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    """The database alone, open in ``data_dir``, for the tests of storage and of one repository."""
    database = Database.open(data_dir)
    yield database
    database.close()
