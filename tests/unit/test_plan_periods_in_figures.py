"""Figures take each plan's own period (issue 13 item 4): a 十三五 plan (2016–2020) is labelled 2015 → 2020,
never with a literal 2020 → 2025."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.report import fonts, plots

IND = pd.DataFrame([
    ("primary_enrollment", "小学在校生", "Primary pupils", "enrollment", "primary", "人", "stock"),
    ("preschool_ger", "学前三年毛入园率", "Pre-primary GER", "enrollment", "preschool", "%", "rate"),
    ("key_teachers", "骨干教师数", "Key teachers", "teachers", "", "人", "stock"),
], columns=["indicator_id", "indicator_zh", "label_en", "domain", "level", "unit", "measure_type"]).assign(aliases_zh="")

PLANS = pd.DataFrame({"county": ["old", "new"], "name_zh": ["旧县", "新县"], "name_en": ["Old County", "New County"],
                      "admin_level": ["county", "county"], "period_start": [2016, 2021], "period_end": [2020, 2025]})


def _r(county, ind, year, kind, value, line):
    meta = IND.set_index("indicator_id").loc[ind]
    return {"county": county, "indicator_id": ind, "indicator_zh": meta["indicator_zh"], "domain": meta["domain"],
            "level": meta["level"], "year": year, "kind": kind, "value": float(value), "unit": meta["unit"],
            "comparator": "=", "source": "prose", "source_file": f"data/raw/{county}.txt", "line": line,
            "char_start": 0, "quote": f"{meta['indicator_zh']}{value:g}", "basis": "point", "span_start": None,
            "span_end": None, "measure_type": meta["measure_type"]}


TARGETS = pd.DataFrame([
    _r("old", "primary_enrollment", 2015, "baseline", 50000, 1), _r("old", "primary_enrollment", 2020, "target", 52000, 2),
    _r("old", "preschool_ger", 2015, "baseline", 80.0, 3), _r("old", "preschool_ger", 2020, "target", 85.0, 4),
    _r("old", "key_teachers", 2015, "baseline", 100, 5), _r("old", "key_teachers", 2020, "target", 150, 6),
    _r("new", "primary_enrollment", 2020, "baseline", 60000, 1), _r("new", "primary_enrollment", 2025, "target", 58000, 2),
])


@pytest.fixture(scope="module", autouse=True)
def style():
    fonts.use_style()


def _texts(fig) -> str:
    out = [t.get_text() for t in fig.texts]
    if fig._suptitle is not None:
        out.append(fig._suptitle.get_text())
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts + ax.get_xticklabels() + ax.get_yticklabels()]
        out += [ax.get_xlabel(), ax.get_ylabel(), ax.get_title()]
        if ax.get_legend():
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return " | ".join(out)


def test_period_span_and_label_come_from_the_plans_table():
    assert plots.period_span(PLANS, ["old"]) == "2015→2020"
    assert plots.period_span(PLANS, ["old", "new"]) == "2015→2020/2020→2025"
    assert plots.period_span(PLANS, ["nowhere"]) == ""
    assert plots.period_label(PLANS, "old", "zh") == "2016–2020年规划"
    assert plots.period_label(PLANS, "old", "en") == "plan 2016–2020"
    assert plots.period_label(None, "old") == ""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_2016_2020_plan_is_labelled_with_its_own_years(lang):
    for func in (plots.enrollment_by_level, plots.rates, plots.teachers):
        text = _texts(func(TARGETS, IND, "old", plans=PLANS, lang=lang))
        assert "2016–2020" in text, (func.__name__, text)
        assert "2025" not in text and "2021" not in text, (func.__name__, text)
    rates = _texts(plots.rates(TARGETS, IND, "old", plans=PLANS, lang=lang))
    assert ("基期 2015年" if lang == "zh" else "baseline 2015") in rates
    assert ("目标 2020年" if lang == "zh" else "target 2020") in rates


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_growth_axis_names_each_plans_base_and_end_year(lang):
    text = _texts(plots.compare_growth(TARGETS, IND, ["old"], plans=PLANS, lang=lang))
    assert "2015→2020" in text and "2025" not in text
    both = _texts(plots.compare_growth(TARGETS, IND, ["old", "new"], plans=PLANS, lang=lang))
    assert "2015→2020/2020→2025" in both
    # nothing to draw: the title still gives the plan's own years, not a constant
    empty = _texts(plots.compare_growth(TARGETS.iloc[0:0], IND, ["old"], plans=PLANS, lang=lang))
    assert "2015→2020" in empty and "2025" not in empty


def test_no_year_literal_left_in_the_figure_words():
    for lang in ("zh", "en"):
        for key, words in plots.TEXT[lang].items():
            assert "2020" not in words and "2025" not in words, (lang, key, words)


def test_national_14th_plan_targets_are_not_drawn_against_a_13th_plan():
    national = pd.DataFrame({"indicator_id": ["preschool_ger"], "value": [90.0], "comparator": [">="], "year": [2025],
                             "source": ["national.pdf"]})
    old = _texts(plots.rates(TARGETS, IND, "old", plans=PLANS, national=national))
    assert plots.TEXT["zh"]["national"] not in old and "national.pdf" not in old
    new_targets = pd.concat([TARGETS, pd.DataFrame([_r("new", "preschool_ger", 2020, "baseline", 85.0, 3),
                                                   _r("new", "preschool_ger", 2025, "target", 88.0, 4)])])
    new = _texts(plots.rates(new_targets, IND, "new", plans=PLANS, national=national))
    assert plots.TEXT["zh"]["national"] in new and "national.pdf" in new
    assert plots._national_for(national, PLANS, ["old", "new"]).empty  # places ending in different years



def test_places_of_different_periods_are_labelled_with_their_own_years():
    both = pd.concat([TARGETS, pd.DataFrame([_r("new", "preschool_ger", 2020, "baseline", 85.0, 3),
                                             _r("new", "preschool_ger", 2025, "target", 88.0, 4)])])
    fig = plots.compare_rates(both, IND, ["old", "new"], plans=PLANS, lang="en")
    text = _texts(fig)
    assert "Old County (county) 2015→2020" in text and "New County (county) 2020→2025" in text
    data = plots.figure_data(fig)
    years = {(c, s): int(y) for c, s, y in zip(data["county"], data["series"], data["year"])}
    assert years == {("old", "baseline"): 2015, ("old", "target"): 2020, ("new", "baseline"): 2020,
                     ("new", "target"): 2025}
    growth = _texts(plots.compare_growth(TARGETS, IND, ["old", "new"], plans=PLANS, lang="zh"))
    assert "旧县（县） 2015→2020" in growth and "新县（县） 2020→2025" in growth
    same = _texts(plots.compare_rates(TARGETS, IND, ["old"], plans=PLANS, lang="en", indicator_ids=["preschool_ger"]))
    assert "Old County (county)" in same and "Old County (county) 2015" not in same  # one period: no years repeated
