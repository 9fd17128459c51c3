"""Figures that do not mislead (issue 9, item 5): each case the issue lists, on small inline tables.

Each test failed on the figures as they were: years of schooling in the enrolment chart and growth,
five-year totals drawn as 2020 baselines, floors drawn as cuts, a stock and a flow on one axis,
an unlabelled log scale, a 0.6-point change across a whole axis, colliding labels, unexplained markers.
"""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.collections import LineCollection
from matplotlib.patches import FancyArrowPatch, Rectangle

from planlib.report import fonts, plots


def _segments(ax) -> list[tuple[set, bool]]:
    """Every baseline → target segment drawn on ``ax``: (its two x values, dotted?), from lines and collections."""
    out = [(set(ln.get_xdata()), ln.get_linestyle() == ":") for ln in ax.lines if len(ln.get_xdata()) == 2]
    for coll in ax.collections:
        if isinstance(coll, LineCollection):
            styles = coll.get_linestyle()
            for k, seg in enumerate(coll.get_segments()):
                offset, dashes = styles[k % len(styles)]
                out.append(({float(x) for x in seg[:, 0]}, bool(dashes)))
    return out

IND = pd.DataFrame([
    # id, zh, en, domain, level, unit, measure type
    ("primary_enrollment", "小学在校生", "Primary pupils", "enrollment", "primary", "人", "stock"),
    ("mean_years_schooling", "人均受教育年限", "Mean years of schooling", "enrollment", "all", "年", "other"),
    ("preschool_ger", "学前三年毛入园率", "Pre-primary GER", "enrollment", "preschool", "%", "rate"),
    ("inclusive_share", "普惠率", "Inclusive share", "enrollment", "preschool", "%", "rate"),
    ("edu_investment", "教育投入", "Education investment", "funding", "", "元", "money"),
    ("student_aid", "学生资助金额", "Student aid", "funding", "", "元", "money"),
    ("budget_share", "教育支出占比", "Education share of budget", "funding", "all", "%", "rate"),
    ("studios", "名师工作室数", "Master-teacher studios", "teachers", "", "个", "stock"),
    ("key_teachers", "骨干教师数", "Key teachers", "teachers", "", "人", "stock"),
], columns=["indicator_id", "indicator_zh", "label_en", "domain", "level", "unit", "measure_type"]).assign(aliases_zh="")

PLANS = pd.DataFrame({
    "county": ["a", "b", "c"], "name_zh": ["甲县", "乙市", "丙县"], "name_en": ["A County", "B City", "C County"],
    "admin_level": ["county", "prefecture-level city", "county"], "period_start": [2021] * 3, "period_end": [2025] * 3,
})


def _r(county, ind, year, kind, value, line, *, comparator="=", basis="point", span=(None, None), measure=None,
       unit=None, level=None):
    meta = IND.set_index("indicator_id").loc[ind]
    return {"county": county, "indicator_id": ind, "indicator_zh": meta["indicator_zh"], "domain": meta["domain"],
            "level": meta["level"] if level is None else level, "year": year, "kind": kind, "value": float(value),
            "unit": unit or meta["unit"], "comparator": comparator, "source": "prose",
            "source_file": f"data/raw/{county}.txt", "line": line, "char_start": 0, "quote": f"{meta['indicator_zh']}{value:g}",
            "basis": basis, "span_start": span[0], "span_end": span[1], "measure_type": measure or meta["measure_type"]}


@pytest.fixture(scope="module", autouse=True)
def style():
    fonts.use_style()


def _texts(fig) -> str:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts + ax.get_xticklabels() + ax.get_yticklabels()]
        out += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        legend = ax.get_legend()
        if legend:
            out += [t.get_text() for t in legend.get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return " ".join(out)


def _bar_axes(fig) -> list[set[float]]:
    """The bar lengths drawn on each axis."""
    return [{round(p.get_width() if abs(p.get_width()) > 0 and p.get_height() < 1 else p.get_height(), 6)
             for p in ax.patches if isinstance(p, Rectangle) and p.get_width() * p.get_height() != 0}
            for ax in fig.axes]


def test_years_of_schooling_never_in_the_enrollment_chart_or_growth():
    t = pd.DataFrame([
        _r("a", "primary_enrollment", 2020, "baseline", 64000, 1), _r("a", "primary_enrollment", 2025, "target", 63000, 2),
        _r("a", "mean_years_schooling", 2020, "baseline", 8.51, 3), _r("a", "mean_years_schooling", 2025, "target", 10.4, 4),
    ])
    fig = plots.enrollment_by_level(t, IND, "a", plans=PLANS)
    assert plots.level_label("all") not in [x.get_text() for x in fig.axes[0].get_xticklabels()]
    assert set(plots.figure_data(fig)["indicator_id"]) == {"primary_enrollment"}
    growth = plots.growth_table(t, IND, ["a"], plans=PLANS)
    assert list(growth["indicator_id"]) == ["primary_enrollment"]
    fig = plots.compare_growth(t, IND, ["a"], plans=PLANS)
    assert set(plots.figure_data(fig)["indicator_id"]) == {"primary_enrollment"}
    assert [x.get_text() for x in fig.axes[0].get_xticklabels()] == [plots.level_label("primary")]


def test_a_cumulative_total_is_never_drawn_as_a_baseline():
    t = pd.DataFrame([
        _r("a", "student_aid", 2020, "baseline", 2.87e8, 5, basis="cumulative", span=(2016, 2020)),
        _r("a", "student_aid", 2021, "baseline", 0.5e8, 6),
    ])
    fig = plots.funding(t, IND, "a", plans=PLANS)
    text = _texts(fig)
    assert "2016–2020 累计" in text
    # the five-year total and the one-year amount are on different axes
    assert sum(bool(lengths) for lengths in _bar_axes(fig)) == 2
    assert {2.87} in _bar_axes(fig)  # 亿元
    assert "2020年 基期" not in text


def test_cumulative_investment_is_compared_annualised_and_a_single_place_is_not_a_comparison():
    t = pd.DataFrame([
        _r("a", "edu_investment", 2020, "baseline", 3.4e9, 40, basis="cumulative", span=(2016, 2020)),
        _r("b", "budget_share", 2020, "baseline", 19.4, 1), _r("b", "budget_share", 2025, "target", 20, 2, comparator=">"),
        _r("c", "budget_share", 2020, "baseline", 21.9, 1), _r("c", "budget_share", 2025, "target", 22, 2),
    ])
    fig = plots.compare_funding(t, IND, ["a", "b", "c"], plans=PLANS)
    data = plots.figure_data(fig)
    annual = data[data["series"] == "annual_mean"]
    assert annual["value"].tolist() == [pytest.approx(3.4e9 / 5)]
    assert annual["line"].tolist() == ["40"]
    text = _texts(fig)
    assert "仅甲县（县）给出" in text and "亿元/年" in text
    assert not (data["series"] == "baseline").any() or set(data[data["series"] == "baseline"]["indicator_id"]) == {"budget_share"}


def test_a_floor_below_the_baseline_is_not_drawn_as_a_cut():
    # 在园幼儿普惠率 100% → 保持95%以上 was drawn as a backward arrow
    t = pd.DataFrame([_r("a", "inclusive_share", 2020, "baseline", 100, 1),
                      _r("a", "inclusive_share", 2025, "target", 95, 2, comparator=">=")])
    fig = plots.rates(t, IND, "a", plans=PLANS)
    ax = fig.axes[0]
    assert not [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert any(dotted and xs == {100.0, 95.0} for xs, dotted in _segments(ax))
    assert "≥95" in _texts(fig) and plots.TEXT["zh"]["floor"][2:] in _texts(fig)


def test_comparators_are_drawn_in_the_comparison():
    t = pd.DataFrame([
        _r("a", "preschool_ger", 2020, "baseline", 85.1, 1), _r("a", "preschool_ger", 2025, "target", 93, 2, comparator=">="),
        _r("b", "preschool_ger", 2020, "baseline", 90.3, 1), _r("b", "preschool_ger", 2025, "target", 93, 2),
    ])
    fig = plots.compare_rates(t, IND, ["a", "b"], plans=PLANS)
    markers = {c.get_paths()[0].vertices.shape for ax in fig.axes for c in ax.collections}
    assert len(markers) >= 2  # a triangle (floor) beside circles
    text = _texts(fig)
    assert "≥93" in text and plots.TEXT["zh"]["floor"][2:] in text
    assert plots.TEXT["zh"]["baseline"] in text and plots.TEXT["zh"]["target"] in text  # hollow / filled explained


def test_a_stock_and_a_flow_never_share_an_axis():
    # 名师工作室 102 (in place) → 3 (to be created) was one bar pair on one axis
    t = pd.DataFrame([_r("a", "studios", 2020, "baseline", 102, 1),
                      _r("a", "studios", 2025, "target", 3, 2, measure="flow", basis="cumulative", span=(2021, 2025))])
    fig = plots.teachers(t, IND, "a", plans=PLANS)
    lengths = _bar_axes(fig)
    assert not any({102.0, 3.0} <= s for s in lengths)
    assert sum(bool(s & {102.0, 3.0}) for s in lengths) == 2
    # and the comparison sets a stock beside a stock only
    t2 = pd.concat([t, pd.DataFrame([_r("b", "studios", 2025, "target", 10, 3, measure="flow", basis="cumulative",
                                        span=(2021, 2025))])])
    fig = plots.compare_teachers(t2, IND, ["a", "b"], plans=PLANS)
    data = plots.figure_data(fig)
    assert set(data["measure_type"]) == {"flow"} and set(data["value"]) == {3.0, 10.0}


def test_two_flows_are_not_joined_as_a_change_of_level():
    t = pd.DataFrame([_r("a", "key_teachers", 2020, "baseline", 190, 1, measure="flow"),
                      _r("a", "key_teachers", 2025, "target", 50, 2, measure="flow"),
                      _r("b", "key_teachers", 2025, "target", 60, 2, measure="flow")])
    fig = plots.compare_teachers(t, IND, ["a", "b"], plans=PLANS)
    assert not [xs for ax in fig.axes for xs, _ in _segments(ax) if xs == {190, 50}]
    # the control: two stocks with the same values are joined, and the helper sees the segment
    stocks = t.assign(measure_type="stock")
    fig = plots.compare_teachers(stocks, IND, ["a", "b"], plans=PLANS)
    assert [xs for ax in fig.axes for xs, _ in _segments(ax) if xs == {190, 50}]


def test_a_log_scale_is_said_on_the_axis():
    t = pd.DataFrame([_r("a", "primary_enrollment", 2020, "baseline", 915000, 1),
                      _r("b", "primary_enrollment", 2020, "baseline", 18429, 1),
                      _r("b", "primary_enrollment", 2025, "target", 14957, 2)])
    fig = plots.compare_enrollment(t, IND, ["a", "b"], plans=PLANS)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and "对数刻度" in ax.get_xlabel()
    t = pd.DataFrame([_r("a", "key_teachers", 2025, "target", 5, 1), _r("a", "studios", 2025, "target", 9, 2, unit="人"),
                      _r("a", "key_teachers", 2020, "baseline", 94500, 3, level="primary")])
    fig = plots.teachers(t, IND, "a", plans=PLANS, lang="en")
    logs = [ax for ax in fig.axes if ax.get_xscale() == "log"]
    assert logs and all("log scale" in ax.get_xlabel() for ax in logs)


def test_a_small_change_is_not_blown_up_across_the_axis():
    t = pd.DataFrame([_r("a", "budget_share", 2020, "baseline", 19.4, 1),
                      _r("a", "budget_share", 2025, "target", 20, 2, comparator=">")])
    for fig in (plots.funding(t, IND, "a", plans=PLANS),
                plots.compare_funding(t, IND, ["a"], plans=PLANS)):
        lo, hi = fig.axes[0].get_xlim()
        assert hi - lo >= 10


def test_value_labels_do_not_collide():
    # a wide axis (another rate at 60) puts 98.99 and 98.5 a few pixels apart
    t = pd.DataFrame([_r("a", "preschool_ger", 2020, "baseline", 98.99, 1),
                      _r("a", "preschool_ger", 2025, "target", 98.5, 2),
                      _r("a", "inclusive_share", 2020, "baseline", 60, 3),
                      _r("a", "inclusive_share", 2025, "target", 70, 4)])
    fig = plots.rates(t, IND, "a", plans=PLANS)
    fig.canvas.draw()
    ax = fig.axes[0]
    labels = [x for x in ax.texts if x.get_text() in ("98.99", "98.5")]
    assert len(labels) == 2
    a, b = (x.get_window_extent() for x in labels)
    assert not a.overlaps(b)


def test_places_compared_carry_their_admin_level():
    t = pd.DataFrame([_r("a", "preschool_ger", 2025, "target", 95, 1), _r("b", "preschool_ger", 2025, "target", 93, 1)])
    for lang, word in (("zh", "地级市"), ("en", "prefecture-level city")):
        fig = plots.compare_rates(t, IND, ["a", "b"], plans=PLANS, lang=lang)
        assert word in " ".join(x.get_text() for x in fig.axes[0].get_yticklabels())


def test_english_figures_carry_no_chinese_but_the_quoted_file_names():
    t = pd.DataFrame([_r("a", "preschool_ger", 2020, "baseline", 85.1, 1), _r("a", "preschool_ger", 2025, "target", 93, 2),
                      _r("b", "preschool_ger", 2025, "target", 95, 1)])
    fig = plots.compare_rates(t, IND, ["a", "b"], plans=PLANS, lang="en")
    text = _texts(fig)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_every_figure_is_written_with_its_data_and_source_lines(tmp_path):
    t = pd.DataFrame([
        _r("a", "primary_enrollment", 2020, "baseline", 1000, 11), _r("a", "primary_enrollment", 2025, "target", 900, 12),
        _r("b", "primary_enrollment", 2020, "baseline", 500, 21), _r("b", "primary_enrollment", 2025, "target", 550, 22),
    ])
    fig = plots.compare_growth(t, IND, ["a", "b"], plans=PLANS)
    files = plots.save_figure(fig, tmp_path / "growth")
    assert [p.suffix for p in files] == [".png", ".svg", ".csv"]
    data = pd.read_csv(tmp_path / "growth.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(data["line"]) == ["11;12", "21;22"]
    assert set(data["source_file"]) == {"data/raw/a.txt", "data/raw/b.txt"}
    fig = plots.enrollment_by_level(t, IND, "a", plans=PLANS)
    plots.save_figure(fig, tmp_path / "a_enrollment")
    data = pd.read_csv(tmp_path / "a_enrollment.csv", encoding="utf-8-sig", dtype=str)
    assert sorted(data["line"]) == ["11", "12"] and set(data["source_file"]) == {"data/raw/a.txt"}


def test_a_finding_that_touches_a_plotted_value_is_marked_with_a_footnote():
    t = pd.DataFrame([_r("a", "primary_enrollment", 2020, "baseline", 1000, 11),
                      _r("a", "primary_enrollment", 2025, "target", 900, 12),
                      _r("b", "primary_enrollment", 2020, "baseline", 500, 21),
                      _r("b", "primary_enrollment", 2025, "target", 550, 22)])
    checks = pd.DataFrame([{"county": "a", "check": "sum_mismatch", "severity": "warning", "indicator_id": "",
                            "year": 2020, "message": "m", "lines": "11;40", "source_file": "data/raw/a.txt"}])
    fig = plots.compare_enrollment(t, IND, ["a", "b"], plans=PLANS, checks=checks)
    text = _texts(fig)
    assert "[1]" in text and "sum_mismatch" in text and "a.txt 行 11, 40" in text
    data = plots.figure_data(fig)
    assert data[data["line"] == "11"]["finding"].tolist() == ["[1] sum_mismatch"]
    assert (data[data["line"] != "11"]["finding"] == "").all()


def test_a_past_five_year_total_is_not_set_beside_a_future_one():
    # 十三五 培育骨干教师190名 (2016–2020) beside 五年内拟培育骨干教师7000人 (2021–2025): not a like measure
    t = pd.DataFrame([
        _r("a", "key_teachers", 2020, "baseline", 190, 1, measure="designation", basis="cumulative", span=(2016, 2020)),
        _r("b", "key_teachers", 2025, "target", 7000, 2, measure="designation", basis="cumulative", span=(2021, 2025)),
    ])
    fig = plots.compare_teachers(t, IND, ["a", "b"], plans=PLANS)
    assert plots.figure_data(fig).empty and plots.TEXT["zh"]["not_shared"] in _texts(fig)
    t.loc[1, ["year", "kind", "span_start", "span_end", "value"]] = [2020, "baseline", 2016, 2020, 300]
    fig = plots.compare_teachers(t, IND, ["a", "b"], plans=PLANS)
    assert sorted(plots.figure_data(fig)["value"]) == [190.0, 300.0]


def test_amounts_two_places_state_alike_are_compared_and_a_years_amount_is_not_among_them():
    t = pd.DataFrame([
        _r("a", "student_aid", 2020, "baseline", 1.61e8, 48, basis="cumulative", span=(2016, 2020)),
        _r("b", "student_aid", 2020, "baseline", 2.87e8, 25, basis="cumulative", span=(2016, 2020)),
        _r("c", "student_aid", 2020, "baseline", 0.5e8, 7),  # one year's amount: another measure
    ])
    fig = plots.compare_funding(t, IND, ["a", "b", "c"], plans=PLANS)
    data = plots.figure_data(fig)
    assert sorted(data["value"]) == [1.61e8, 2.87e8] and set(data["basis"]) == {"cumulative"}
    assert "累计（2016–2020）" in _texts(fig) and {2.87, 1.61} <= set().union(*_bar_axes(fig))


def test_figure_data_writes_years_as_whole_numbers():
    """A figure's CSV is cited and re-plotted: 2016, not 2016.0; a value that is no whole year is kept as it is."""
    import matplotlib.figure

    from planlib.report.plots import figure_data

    fig = matplotlib.figure.Figure()
    fig.planlib_data = pd.DataFrame({"year": [2020.0, None], "span_start": [2016.0, None], "value": [1.5, 2.0]})
    text = figure_data(fig).to_csv(index=False, lineterminator="\n")
    assert text.splitlines()[1] == "2020,2016,1.5"
    fig.planlib_data = pd.DataFrame({"year": ["2016–2020"], "value": [1.0]})
    assert figure_data(fig)["year"].tolist() == ["2016–2020"]
