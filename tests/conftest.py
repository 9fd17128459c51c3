"""Shared fixtures: keep generic and small."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Speed is measured in benchmarks, never in tests: no per-example deadline (Hypothesis' default of
# 200 ms failed a property test on a loaded machine, 272 ms, with nothing wrong in the code).
settings.register_profile("planlib", deadline=None)
settings.load_profile("planlib")

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
