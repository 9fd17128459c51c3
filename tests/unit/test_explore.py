"""The explorer driven headless: set widget values, check the rows, the table and the image change."""
from __future__ import annotations

from pathlib import Path

import pytest

from planlib.teach.explore import Explorer, explorer
from planlib.build.pipeline import load_tables

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "processed"


@pytest.fixture(scope="module")
def tables():
    return load_tables(FIXTURES, warn_stale=False)


def test_starts_with_all_places_and_a_drawable_indicator(tables):
    ex = Explorer(tables)
    assert set(ex.places.value) == set(tables["targets"]["county"])
    assert ex.indicator.value  # one indicator chosen, not "all"
    assert len(ex.rows) and (ex.rows["indicator_id"] == ex.indicator.value).all()
    assert ex.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_choices_change_rows_table_and_figure(tables):
    ex = Explorer(tables)
    before_png, before_html = ex.image.value, ex.table.value
    one = sorted(ex.places.options)[0]
    ex.places.value = (one,)
    assert set(ex.rows["county"]) <= {one} and len(ex.rows)
    ex.domain.value = "teachers"
    assert (ex.rows["domain"] == "teachers").all()
    assert ex.indicator.value in set(tables["targets"].query("domain == 'teachers'")["indicator_id"])
    assert ex.image.value != before_png and ex.table.value != before_html


def test_source_table_cites_file_line_and_quote(tables):
    ex = Explorer(tables)
    table = ex.source_table
    assert list(table.columns[:2]) == ["cited", "county"] and "quote" in table
    targets = tables["targets"]
    for r in table.itertuples():
        name, line = r.cited.split(":")
        hit = targets[(targets["source_file"].str.endswith(name)) & (targets["line"] == int(line))]
        assert r.quote in set(hit["quote"])
    assert table["quote"].iloc[0] in ex.table.value


def test_all_indicators_lists_rows_but_draws_no_mixed_chart(tables):
    ex = Explorer(tables)
    ex.indicator.value = ""
    assert ex.rows["indicator_id"].nunique() > 1
    assert not ex.figure.axes[0].lines  # nothing plotted: units would be mixed


def test_explorer_returns_a_displayable_widget(tables):
    import ipywidgets

    w = explorer(tables)
    assert isinstance(w, ipywidgets.Widget) and isinstance(w.explorer, Explorer)
