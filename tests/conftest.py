"""Shared fixtures: keep generic and small."""
from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def fixture_processed_dir() -> Path:
    """Synthetic processed tables (three made-up places: alpha, beta, gamma); see make_fixtures.py."""
    return FIXTURES / "processed"


@pytest.fixture(scope="session")
def fixture_tables(fixture_processed_dir) -> dict:
    """The synthetic tables read back through planlib.build.io, conformed to the schema."""
    from planlib.build.io import read_table

    names = ("targets", "indicators", "plans", "schools", "checks")
    return {name: read_table(name, fixture_processed_dir) for name in names}
