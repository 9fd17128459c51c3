"""The `derived` table: comparable measures from the plans' own numbers, and why the others are missing."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib import derived, schema
from planlib.build.comparison import comparison_table

INDICATORS = pd.DataFrame([
    ("primary_enrollment", "小学在校生", "enrollment", "primary", "人", "stock"),
    ("total_enrollment", "在校生", "enrollment", "all", "人", "stock"),
    ("mean_years_schooling", "人均受教育年限", "enrollment", "all", "年", "other"),
    ("preschool_ger", "学前三年毛入园率", "enrollment", "preschool", "%", "rate"),
    ("edu_investment", "教育投入", "funding", "", "元", "money"),
    ("fulltime_teachers", "专任教师数", "teachers", "", "人", "stock"),
    ("teachers_recruited", "补充教师数", "teachers", "", "人", "flow"),
], columns=["indicator_id", "indicator_zh", "domain", "level", "unit", "measure_type"]).assign(aliases_zh="")

PLANS = pd.DataFrame({"county": ["a", "b"], "period_start": [2021, 2016], "period_end": [2025, 2020]})


def _row(county, ind, year, kind, value, line, *, level=None, basis="point", comparator="=", span=(None, None),
         unit=None, source="table"):
    meta = INDICATORS.set_index("indicator_id").loc[ind]
    return {"county": county, "indicator_id": ind, "indicator_zh": meta["indicator_zh"], "domain": meta["domain"],
            "level": meta["level"] if level is None else level, "year": year, "kind": kind, "value": value,
            "unit": unit or meta["unit"], "comparator": comparator, "source": source,
            "source_file": f"data/raw/{county}.txt", "line": line, "char_start": 0, "basis": basis,
            "span_start": span[0], "span_end": span[1], "measure_type": meta["measure_type"]}


def _tables(rows):
    targets = pd.DataFrame(rows)
    d, m = derived.derived_tables(targets, INDICATORS, PLANS)
    return targets, schema.validate(schema.conform(d, "derived"), "derived"), \
        schema.validate(schema.conform(m, "derived_missing"), "derived_missing")


def _one(d, derived_id, ind):
    hit = d[(d["derived_id"] == derived_id) & (d["indicator_id"] == ind)]
    assert len(hit) == 1, hit
    return hit.iloc[0]


def test_growth_uses_the_plans_own_base_and_end_years():
    # plan b runs 2016-2020: its growth is 2015 -> 2020, not the literal 2020 -> 2025
    _, d, _ = _tables([
        _row("a", "primary_enrollment", 2020, "baseline", 1000, 10),
        _row("a", "primary_enrollment", 2025, "target", 900, 11),
        _row("b", "primary_enrollment", 2015, "baseline", 400, 5),
        _row("b", "primary_enrollment", 2020, "baseline", 500, 6),
        _row("b", "primary_enrollment", 2025, "target", 9999, 7),
    ])
    a = d[(d["county"] == "a") & (d["derived_id"] == "growth_pct")].iloc[0]
    b = d[(d["county"] == "b") & (d["derived_id"] == "growth_pct")].iloc[0]
    assert a["value"] == pytest.approx(-10.0) and (a["span_start"], a["span_end"]) == (2020, 2025)
    assert b["value"] == pytest.approx(25.0) and (b["span_start"], b["span_end"]) == (2015, 2020)
    assert a["inputs"] == "data/raw/a.txt:10;data/raw/a.txt:11"


def test_growth_only_for_point_basis_headcounts():
    # years of schooling (unit 年) and a flow (teachers recruited) never get a growth; a cumulative count neither
    _, d, m = _tables([
        _row("a", "mean_years_schooling", 2020, "baseline", 8.5, 1),
        _row("a", "mean_years_schooling", 2025, "target", 10.4, 2),
        _row("a", "teachers_recruited", 2020, "baseline", 900, 3, basis="cumulative", span=(2016, 2020)),
        _row("a", "teachers_recruited", 2025, "target", 300, 4),
        _row("a", "primary_enrollment", 2020, "baseline", 100, 5),
        _row("a", "primary_enrollment", 2025, "target", 90, 6),
    ])
    assert set(d[d["derived_id"] == "growth_pct"]["indicator_id"]) == {"primary_enrollment"}


def test_comparison_csv_takes_its_growth_from_derived():
    # today's comparison computed (10.4 - 8.5) / 8.5 for years of schooling: +22 % 'growth'
    targets, d, _ = _tables([
        _row("a", "mean_years_schooling", 2020, "baseline", 8.5, 1),
        _row("a", "mean_years_schooling", 2025, "target", 10.4, 2),
        _row("a", "primary_enrollment", 2020, "baseline", 100, 5),
        _row("a", "primary_enrollment", 2025, "target", 90, 6),
    ])
    comp = comparison_table(targets, d).set_index("indicator_id")
    assert pd.isna(comp.loc["mean_years_schooling", "growth_pct"])
    assert comp.loc["primary_enrollment", "growth_pct"] == pytest.approx(-10.0)
    assert comp.loc["primary_enrollment", "growth_start_year"] == 2020


def test_rates_change_in_points_and_gap_to_the_national_target():
    _, d, _ = _tables([
        _row("a", "preschool_ger", 2020, "baseline", 85.1, 1),
        _row("a", "preschool_ger", 2025, "target", 93, 2, comparator=">="),
    ])
    change = _one(d, "change_pp", "preschool_ger")
    assert change["value"] == pytest.approx(7.9) and change["unit"] == "pp" and change["comparator"] == ">="
    gap = _one(d, "gap_to_national", "preschool_ger")  # national: 学前教育毛入园率 >= 90 in 2025
    assert gap["value"] == pytest.approx(3.0) and gap["year"] == 2025
    assert gap["inputs"].startswith("data/raw/a.txt:2;") and "national_targets.csv:" in gap["inputs"]


def test_cumulative_money_is_annualised_before_it_is_divided_by_pupils():
    _, d, _ = _tables([
        _row("a", "edu_investment", 2020, "baseline", 3.4e9, 40, basis="cumulative", span=(2016, 2020), level=""),
        _row("a", "total_enrollment", 2020, "baseline", 43_000, 41),
    ])
    annual = _one(d, "annual_mean", "edu_investment")
    assert annual["value"] == pytest.approx(3.4e9 / 5) and annual["unit"] == "元/年"
    per = _one(d, "per_pupil", "edu_investment")
    assert per["value"] == pytest.approx(3.4e9 / 5 / 43_000)
    assert per["unit"] == "元/人/年" and "÷ 5 years" in per["method"]
    assert per["inputs"] == "data/raw/a.txt:40;data/raw/a.txt:41"


def test_no_ratio_from_inputs_of_another_scope():
    # the money is for all levels, the pupils only primary; and the 2019 pupils are another year
    _, d, m = _tables([
        _row("a", "edu_investment", 2020, "baseline", 1e8, 1, level=""),
        _row("a", "primary_enrollment", 2020, "baseline", 1000, 2),
        _row("a", "total_enrollment", 2019, "baseline", 5000, 3),
    ])
    assert not (d["derived_id"] == "per_pupil").any()
    reason = m[(m["derived_id"] == "per_pupil") & (m["indicator_id"] == "edu_investment")]["reason"].iloc[0]
    assert "no pupil count for all levels in 2020" in reason and "primary" in reason


def test_pupils_per_teacher_when_both_are_given_for_the_same_scope():
    _, d, m = _tables([
        _row("a", "fulltime_teachers", 2020, "baseline", 500, 1, level="all"),
        _row("a", "total_enrollment", 2020, "baseline", 8000, 2),
        _row("b", "fulltime_teachers", 2020, "baseline", 500, 1, level="all"),
        _row("b", "primary_enrollment", 2020, "baseline", 8000, 2),
    ])
    ratio = d[d["derived_id"] == "pupils_per_teacher"]
    assert list(ratio["county"]) == ["a"] and ratio.iloc[0]["value"] == pytest.approx(16.0)
    assert (m[m["county"] == "b"]["derived_id"] == "pupils_per_teacher").any()


def test_missing_says_why():
    _, d, m = _tables([
        _row("a", "primary_enrollment", 2020, "baseline", 0, 1),
        _row("a", "primary_enrollment", 2025, "target", 90, 2),
        _row("b", "preschool_ger", 2015, "baseline", 80, 1),
    ])
    reasons = dict(zip(zip(m["county"], m["derived_id"], m["indicator_id"]), m["reason"]))
    assert "0" in reasons[("a", "growth_pct", "primary_enrollment")]
    assert "2020" in reasons[("b", "change_pp", "preschool_ger")]  # plan b's end year has no value
    assert reasons[("a", "pupils_per_teacher", "")]


def test_tables_built_before_basis_existed_still_derive():
    rows = [_row("a", "primary_enrollment", 2020, "baseline", 100, 1), _row("a", "primary_enrollment", 2025, "target", 110, 2)]
    old = pd.DataFrame(rows).drop(columns=["basis", "span_start", "span_end", "measure_type"])
    d, _ = derived.derived_tables(old, INDICATORS.drop(columns="measure_type"), PLANS)
    assert d[d["derived_id"] == "growth_pct"]["value"].tolist() == [pytest.approx(10.0)]


def test_an_unnamed_pupil_count_is_named_in_the_reason_not_used():
    # 在校学生76293人 without an indicator: its scope is unknown, so no ratio, but the reader is told where it is
    unnamed = dict(_row("a", "total_enrollment", 2020, "baseline", 76293, 23), indicator_id="")
    _, d, m = _tables([_row("a", "edu_investment", 2020, "baseline", 6e9, 25, level="", basis="cumulative",
                            span=(2016, 2020)), unnamed])
    assert not (d["derived_id"] == "per_pupil").any()
    reason = m[(m["derived_id"] == "per_pupil") & (m["indicator_id"] == "edu_investment")]["reason"].iloc[0]
    assert "line 23 has no indicator" in reason
