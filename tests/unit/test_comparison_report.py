"""The Comparison report object on the synthetic tables: figures with their data, sources shown escaped."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.report import plots
from planlib.report.batch import Comparison, CountyReport

pytestmark = pytest.mark.filterwarnings("ignore::planlib.build.pipeline.StaleTablesWarning")  # the fixtures have no manifest


@pytest.fixture(scope="module")
def comparison(fixture_processed_dir, tmp_path_factory):
    return Comparison(processed_dir=fixture_processed_dir, out_dir=tmp_path_factory.mktemp("out"))


@pytest.mark.parametrize("key", ["enrollment", "rates", "growth", "teachers", "funding"])
def test_each_comparison_figure_is_saved_with_its_data(comparison, key):
    comparison.figure(key, show=False)
    folder = comparison.figures_dir
    for ext in ("png", "svg", "csv"):
        assert (folder / f"{key}.{ext}").stat().st_size > 100
    data = pd.read_csv(folder / f"{key}.csv", encoding="utf-8-sig", dtype=str)
    assert len(data) and data["source_file"].notna().all() and data["line"].notna().all()
    assert set(data["county"]) <= {"alpha", "beta", "gamma"}


def test_growth_data_holds_only_point_basis_headcounts(comparison):
    comparison.figure("growth", show=False)
    data = pd.read_csv(comparison.figures_dir / "growth.csv", encoding="utf-8-sig", dtype=str)
    ind = comparison.tables["indicators"].set_index("indicator_id")
    assert set(ind.loc[data["indicator_id"], "unit"]) == {"人"}
    assert set(data["series"]) == {"growth_pct"}


def test_county_figures_get_their_csv_too(fixture_processed_dir, tmp_path):
    report = CountyReport("alpha", processed_dir=fixture_processed_dir, out_dir=tmp_path)
    report.figure("enrollment", show=False)
    assert (tmp_path / "figures" / "alpha" / "enrollment.csv").exists()


def test_sources_under_a_figure_escape_the_plan_text(comparison):
    data = pd.DataFrame([{"figure": "x", "panel": "", "county": "alpha", "place": "甲县", "admin_level": "county",
                          "indicator_id": "preschool_ger", "level": "preschool", "series": "target", "year": 2025,
                          "span_start": None, "span_end": None, "value": 92.0, "unit": "%", "comparator": ">=",
                          "basis": "point", "measure_type": "rate", "source_file": "data/raw/alpha.txt", "line": "16",
                          "quote": "<script>alert(1)</script>达到92%", "finding": ""}], columns=plots.DATA_COLUMNS)
    page = comparison._sources_html(data)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "alpha.txt:16" in page and "≥92" in page
