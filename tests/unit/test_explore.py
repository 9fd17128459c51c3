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
    one = sorted(tables["targets"]["county"].unique())[0]
    ex.places.value = (one,)
    assert set(ex.rows["county"]) <= {one} and len(ex.rows)
    ex.domain.value = "teachers"
    assert (ex.rows["domain"] == "teachers").all()
    assert ex.indicator.value in set(tables["targets"].query("domain == 'teachers'")["indicator_id"])
    assert ex.image.value != before_png and ex.table.value != before_html


def test_source_table_cites_file_line_and_quote(tables):
    ex = Explorer(tables)
    table = ex.source_table
    assert list(table.columns[:2]) == ["cited", "place"] and "quote" in table
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


# ---------------------------------------------------------------------------------------------
# what the chart shows (issue 12 item 7), on small inline tables

import pandas as pd  # noqa: E402

from planlib.teach import explore  # noqa: E402

PLANS = pd.DataFrame({"county": ["a", "b"], "name_zh": ["甲县", "乙市"], "name_en": ["A County", "B City"],
                      "period_start": [2021, 2021], "period_end": [2025, 2025]})
INDICATORS = pd.DataFrame({"indicator_id": ["invest", "key_teachers"], "indicator_zh": ["教育投入", "骨干教师"],
                           "label_en": ["Education investment", "Key teachers"]})


def _row(county, ind, domain, year, kind, value, unit, line, *, source="prose", level="", quote=None, basis="point"):
    return {"county": county, "indicator_id": ind, "indicator_zh": ind, "domain": domain, "level": level,
            "year": year, "kind": kind, "value": float(value), "unit": unit, "source": source, "basis": basis,
            "source_file": f"data/raw/{county}.txt", "line": line, "char_start": 0, "quote": quote or f"{value:g}{unit}"}


def _tables(rows):
    return {"targets": pd.DataFrame(rows), "indicators": INDICATORS, "plans": PLANS}


def _ax(fig):
    return fig.axes[0]


def test_one_year_is_one_labelled_category_not_a_two_century_axis():
    rows = pd.DataFrame([_row("a", "invest", "funding", 2020, "baseline", 3.4e9, "元", 5)])
    ax = _ax(explore.chart(rows, plans=PLANS))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020"]
    lo, hi = ax.get_xlim()
    assert hi - lo <= 1.0 and ax.xaxis.get_offset_text().get_text() == ""
    assert explore.year_axis([2020, 2025]) == ({2020: 0.0, 2025: 1.0}, True)
    many = list(range(2015, 2026))
    assert explore.year_axis(many) == ({y: float(y) for y in many}, False)  # real spacing when there are many


def test_money_is_shown_in_one_scale_that_the_axis_names():
    rows = pd.DataFrame([_row("a", "invest", "funding", 2020, "baseline", 3.4e9, "元", 5),
                         _row("b", "invest", "funding", 2020, "baseline", 5.0e6, "元", 7)])
    ax = _ax(explore.chart(rows, plans=PLANS))
    assert ax.get_ylabel() == "亿元"
    drawn = sorted(round(float(y), 6) for line in ax.get_lines() for y in line.get_ydata())
    assert drawn == [0.05, 34.0]  # both in 亿元: one scale for the chart, never 亿 for one place and 万 for another
    assert _ax(explore.chart(rows, plans=PLANS, lang="en")).get_ylabel() == "100 million yuan"
    assert explore.money_scale([9000.0], "元") == (1.0, "元")
    assert explore.money_scale([2.5e4], "元") == (1e4, "万元")


def test_persons_stated_as_ren_and_ming_are_one_series():
    rows = pd.DataFrame([_row("a", "key_teachers", "teachers", 2020, "baseline", 300, "人", 3),
                         _row("a", "key_teachers", "teachers", 2025, "target", 500, "名", 9)])
    points = explore.chart_points(rows)
    assert set(points["unit_shown"]) == {"人"} and len(points) == 2
    ax = _ax(explore.chart(rows, plans=PLANS))
    assert len(ax.get_lines()) == 1 and ax.get_ylabel() == "人"
    assert list(ax.get_lines()[0].get_ydata()) == [300.0, 500.0]


def test_legend_shows_place_names_from_the_plans_table():
    rows = pd.DataFrame([_row("a", "key_teachers", "teachers", 2020, "baseline", 300, "人", 3),
                         _row("b", "key_teachers", "teachers", 2020, "baseline", 200, "人", 4)])
    for lang, names in (("zh", {"甲县", "乙市"}), ("en", {"A County", "B City"})):
        legend = " ".join(t.get_text() for t in _ax(explore.chart(rows, plans=PLANS, lang=lang)).get_legend().get_texts())
        assert all(n in legend for n in names) and "a ·" not in legend and legend.split()[0] != "a"
    assert explore.place_names(PLANS, ["a", "zz"], "zh") == {"a": "甲县", "zz": "zz"}  # a slug only when no name


def test_an_empty_selection_says_why():
    rows = [_row("a", "key_teachers", "teachers", 2020, "baseline", 300, "人", 3),
            _row("a", "key_teachers", "teachers", None, "change", 20, "人", 4)]
    ex = Explorer(_tables(rows))
    ex.places.value = ()
    assert ex.message == explore.WORDS["zh"]["no_places"] and ex.message in ex.status.value
    assert ex.message in " ".join(t.get_text() for t in _ax(ex.figure).texts)
    ex.places.value = ("a",)
    ex.domain.value = "teachers"
    assert ex.message == "" and len(_ax(ex.figure).get_lines()) == 1
    ex.indicator.value = ""
    assert ex.message == explore.WORDS["zh"]["choose"]
    undated = pd.DataFrame([rows[1]])
    assert explore.empty_message(undated, ["a"], "teachers", "key_teachers", "en") == explore.WORDS["en"]["no_dated"]
    assert "funding" in explore.empty_message(undated.iloc[0:0], ["a"], "funding", None, "en")


def test_static_fallback_is_an_html_chart_and_table_with_plan_text_escaped():
    hostile = "<script>alert(1)</script>骨干教师300人"
    ex = Explorer(_tables([_row("a", "key_teachers", "teachers", 2020, "baseline", 300, "人", 3, quote=hostile)]))
    page = ex.static_html()
    assert page.count('src="data:image/png;base64,') == 1 and "<table" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "甲县" in page  # the place's name in the table, not only its slug


def test_explorer_in_english_labels_its_widgets_and_chart():
    ex = Explorer(_tables([_row("a", "key_teachers", "teachers", 2020, "baseline", 300, "人", 3)]), lang="en")
    assert ("A County", "a") in ex.places.options and ex.indicator.options[1][0].startswith("Key teachers")
    assert _ax(ex.figure).get_xlabel() == "Year"
    with pytest.raises(ValueError):
        Explorer(_tables([]), lang="fr")


def test_two_different_values_of_one_key_are_both_drawn_apart():
    """助学金 and 免学费 of one level, one year: two series (numbered), nothing dropped, no line joining them."""
    rows = pd.DataFrame([_row("a", "invest", "funding", 2020, "baseline", 3.3e7, "元", 70, level="vocational"),
                         _row("a", "invest", "funding", 2020, "baseline", 2.31e8, "元", 70, level="vocational"),
                         _row("a", "invest", "funding", 2020, "baseline", 2.31e8, "元", 12, level="vocational",
                              source="table")])  # the table restating a prose number: drawn once
    points = explore.chart_points(rows)
    assert sorted(points["value"]) == [3.3e7, 2.31e8] and sorted(points["repeat"]) == [0, 1]
    ax = _ax(explore.chart(rows, plans=PLANS))
    assert sorted(round(float(line.get_ydata()[0]), 2) for line in ax.get_lines()) == [0.33, 2.31]
    assert all(len(line.get_ydata()) == 1 for line in ax.get_lines())
