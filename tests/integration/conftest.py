"""Fixtures shared by the client-core integration tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.sync_helpers import Accounts


@pytest.fixture
def accounts(tmp_path: Path) -> Iterator[Accounts]:
    """Signed-in client accounts, each with its own cache and settings; closed afterwards."""
    pool = Accounts(tmp_path / "homes")
    yield pool
    pool.close_all()
