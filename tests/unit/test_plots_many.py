"""Comparisons of many places (a province's worth): ranked thin rows, small multiples, notes that
summarise while the figure's CSV keeps every value's file and line (issue 11, item 5)."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.patches import Rectangle

from planlib.report import fonts, plots

N = plots.MANY_PLACES + 3


@pytest.fixture(scope="module", autouse=True)
def style():
    fonts.use_style()


@pytest.fixture(scope="module")
def many(fixture_tables):
    """The synthetic place 'alpha' copied N times with values scaled apart, as N plans of one layout."""
    t = fixture_tables
    base = t["targets"][t["targets"]["county"] == "alpha"]
    plan = t["plans"][t["plans"]["county"] == "alpha"].iloc[0].to_dict()
    targets, plans = [], []
    for i in range(N):
        slug = f"p{i:02d}"
        targets.append(base.assign(county=slug, source_file=f"data/raw/{slug}.txt",
                                   value=base["value"].astype(float) * (1 - i / 200)))
        plans.append({**plan, "county": slug, "name_zh": f"某{i:02d}县", "name_en": f"Place {i:02d}"})
    return {"targets": pd.concat(targets, ignore_index=True), "plans": pd.DataFrame(plans),
            "indicators": t["indicators"], "counties": [f"p{i:02d}" for i in reversed(range(N))]}


def _note(fig) -> str:
    return " ".join(x.get_text() for x in fig.texts).replace("\n", " ")


def test_a_caption_of_many_plans_counts_them_and_points_to_the_csv():
    rows = pd.DataFrame({"source_file": [f"data/raw/p{i:02d}.txt" for i in range(N)], "line": range(N)})
    for lang in ("zh", "en"):
        text = plots.caption(rows, lang)
        assert str(N) in text and "CSV" in text and "p00.txt" not in text
    few = rows.head(plots.MANY_PLACES)
    assert "p00.txt: 0" in plots.caption(few, "en")


def test_many_places_share_one_row_order_ranked_by_the_first_panel_and_every_value_keeps_its_line(many):
    fig = plots.compare_rates(many["targets"], many["indicators"], many["counties"], plans=many["plans"], lang="en")
    data = plots.figure_data(fig)
    assert set(data["county"]) == set(many["counties"])
    assert data["line"].astype(str).str.isdigit().all() and data["source_file"].str.endswith(".txt").all()
    names = dict(zip(many["plans"]["name_en"], many["plans"]["county"]))
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert len(axes) == data["panel"].nunique() >= 2
    order = [names[t.get_text().split(" (")[0]] for t in axes[0].get_yticklabels()]
    assert sorted(order) == sorted(many["counties"])  # each place named once, at the left
    assert all(not ax.get_yticklabels() for ax in axes[1:])
    panels = list(dict.fromkeys(data["panel"]))
    first = data[(data["panel"] == panels[0]) & (data["series"] == "target")].set_index("county")["value"]
    shown = [first[c] for c in order if c in first.index]
    assert shown == sorted(shown, reverse=True)  # highest target of the first panel first
    for ax, panel in zip(axes, panels):  # every panel's dots sit on their own place's row
        targets = data[(data["panel"] == panel) & (data["series"] == "target")]
        drawn = {(round(float(x), 6), int(round(y))) for c in ax.collections for x, y in c.get_offsets()}
        for county, value in zip(targets["county"], targets["value"]):
            assert (round(float(value), 6), order.index(county)) in drawn, (panel, county)
    assert "ranked" in _note(fig) and "no value labels" in _note(fig)


def test_a_long_ranked_column_carries_no_value_labels_and_a_short_one_keeps_them(many):
    fig = plots.compare_growth(many["targets"], many["indicators"], many["counties"], plans=many["plans"], lang="en")
    assert not [t for ax in fig.axes for t in ax.texts]
    assert "no value labels" in _note(fig) and "CSV" in _note(fig)
    few = plots.compare_growth(many["targets"], many["indicators"], many["counties"][:3], plans=many["plans"],
                               lang="en")
    assert [t for ax in few.axes for t in ax.texts] and "no value labels" not in _note(few)


def test_settled_layout_puts_the_axes_where_savefig_did_and_draws_the_same_png(many):
    import io

    kwargs = {"plans": many["plans"], "lang": "en"}
    three = many["counties"][:3]
    plain = plots.compare_rates(many["targets"], many["indicators"], three, **kwargs)
    png = io.BytesIO()
    plain.savefig(png, format="png", dpi=150, metadata={"Software": None})
    settled = plots.settle_layout(plots.compare_rates(many["targets"], many["indicators"], three, **kwargs))
    assert settled.get_layout_engine() is None  # savefig has nothing left to lay out (no dry draw)
    for a, b in zip(settled.axes, plain.axes):  # (the solver's last bits may differ: 1e-16 of the figure)
        assert a.get_position().bounds == pytest.approx(b.get_position().bounds, abs=1e-12)
    again = io.BytesIO()
    settled.savefig(again, format="png", dpi=150, metadata={"Software": None})
    assert again.getvalue() == png.getvalue()


def test_many_places_get_thin_rows(many):
    fig = plots.compare_rates(many["targets"], many["indicators"], many["counties"], plans=many["plans"])
    rows = plots.figure_data(fig).groupby("panel")["county"].nunique().max()
    panels = len([ax for ax in fig.axes if ax.get_visible()])
    grid_rows = -(-panels // 2)
    assert fig.get_figheight() <= 1.6 + grid_rows * (plots.ROW_IN_MANY * rows + 1.1) + 0.01
    few = plots.compare_rates(many["targets"], many["indicators"], many["counties"][:3], plans=many["plans"])
    assert few.get_figheight() / 3 > fig.get_figheight() / N  # a few places keep their roomy rows


def test_growth_of_many_places_is_a_panel_per_level_not_a_forest_of_bars(many):
    growth = plots.growth_table(many["targets"], many["indicators"], many["counties"], plans=many["plans"])
    assert len(growth) > 0
    fig = plots.compare_growth(many["targets"], many["indicators"], many["counties"], plans=many["plans"])
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == growth["level"].nunique()
    assert not [p for ax in visible for p in ax.patches if isinstance(p, Rectangle) and p.get_height() > 0
                and p.get_width() < 0.5]  # no grouped bars
    names = dict(zip(many["plans"]["name_zh"], many["plans"]["county"]))
    order = [names[t.get_text().split("（")[0]] for t in visible[0].get_yticklabels()]  # named once, at the left
    assert sorted(order) == sorted(growth["county"].unique()) and not any(ax.get_yticklabels() for ax in visible[1:])
    for i, ax in enumerate(visible):  # a column per level; each place's growth on its own row
        level = next(lv for lv in growth["level"].unique() if plots.level_label(lv, "zh") == ax.get_title())
        part = growth[growth["level"] == level].drop_duplicates("county").set_index("county")["growth_pct"]
        drawn = {(round(float(x), 6), int(round(y))) for c in ax.collections for x, y in c.get_offsets()}
        assert {(round(float(v), 6), order.index(c)) for c, v in part.items()} <= drawn
        if i == 0:  # ranked by the first level: the top row has its largest growth
            shown = [part[c] for c in order if c in part.index]
            assert shown == sorted(shown, reverse=True)


def test_funding_of_many_places_shares_the_rows_too(many):
    fig = plots.compare_funding(many["targets"], many["indicators"], many["counties"], plans=many["plans"], lang="en")
    visible = [ax for ax in fig.axes if ax.get_visible()]
    if len(visible) < 2:
        pytest.skip("the fixture states fewer than two funding measures alike")
    assert len(visible[0].get_yticklabels()) >= plots.MANY_PLACES and not any(ax.get_yticklabels() for ax in visible[1:])
    assert len({ax.get_ylim() for ax in visible}) == 1  # the same rows in every column
    data = plots.figure_data(fig)
    assert data["line"].astype(str).str.len().gt(0).all() and "no value labels" in _note(fig)


def test_findings_of_many_places_are_counted_not_listed():
    checks = pd.DataFrame({"check": ["cross_source_conflict", "sum_mismatch"], "source_file": ["a.txt", "b.txt"],
                           "lines": ["3;9", "4"]})
    for compact in (False, True):
        findings = plots._Findings(checks, "en", compact=compact)
        fig, (ax,) = plots._figure(1)
        assert findings.mark(ax, 1, 1, "a.txt", "9") == "[1]"
        assert findings.mark(ax, 2, 2, "b.txt", "4") == "[2]"
        note = findings.note()
        if compact:
            assert "2 findings" in note and "cross_source_conflict" in note and "[1]" not in note
            assert not ax.texts  # rings only: a hundred [n] labels would cover the values
        else:
            assert "[1]" in note and "a.txt" in note and len(ax.texts) == 2


def test_a_county_among_many_shows_the_others_as_an_unnamed_strip_that_the_csv_still_lists(many):
    fig = plots.rates(many["targets"], many["indicators"], "p00", plans=many["plans"], lang="en")
    shown = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    assert "Place 01" not in shown and "Place 14" not in shown  # no hundred names beside the dots
    data = plots.figure_data(fig)
    assert set(data["county"]) == set(many["counties"])  # every value plotted is still cited
    three = many["targets"][many["targets"]["county"].isin(["p00", "p01", "p02"])]
    few = plots.rates(three, many["indicators"], "p00", plans=many["plans"], lang="en")
    assert "Place 01" in " ".join(t.get_text() for ax in few.axes for t in ax.texts)  # a few others: named
    assert fig.get_figheight() <= few.get_figheight()  # the strip keeps the figure its usual size
