"""Figures from tidy tables: each function takes frames and returns a matplotlib Figure (no I/O, no parsing).

Every figure carries its own caption (the source lines it drew on), so a figure copied
out of a report can still be cited. Which indicators go where follows the indicator
dictionary (domain, level, unit), never a list of ids, so a new plan needs no code change.
Call :func:`planlib.report.fonts.setup_fonts` (or ``use_style``) before drawing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure  # Figure objects, not pyplot: no global state, no backend needed
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ..schema import LEVELS

RATE_UNITS = ("%",)
PALETTE = ("#1f5a99", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b")
OTHERS_COLOR = "#9aa5b1"
NATIONAL_COLOR = "#c0392b"
WIDTH_IN = 8.0
#: Past this many places a comparison is drawn ranked and compact (one thin row per place, sorted by
#: value, like a ranked dot plot); its sources and findings are summarised in the note and listed in
#: full, value by value, in the figure's CSV. A dozen rows is about what one reads place by place.
MANY_PLACES = 12
ROW_IN, ROW_IN_MANY = 0.42, 0.17  # height of a place's row (inches), few places / many
NAME_COLUMNS = 32  #: an indicator's name beside its row wraps past this width (a Chinese character is two)

LEVEL_LABELS = {
    "zh": {"preschool": "学前教育", "primary": "小学", "junior": "初中", "compulsory": "义务教育",
           "senior_secondary": "高中阶段", "general_high": "普通高中", "vocational": "中等职业教育",
           "higher": "高等教育", "special": "特殊教育", "lifelong": "终身教育", "all": "合计", "": "未分学段"},
    "en": {"preschool": "Pre-primary", "primary": "Primary", "junior": "Lower secondary",
           "compulsory": "Compulsory (1-9)", "senior_secondary": "Upper secondary", "general_high": "General upper sec.",
           "vocational": "Vocational upper sec.", "higher": "Tertiary", "special": "Special education",
           "lifelong": "Lifelong learning", "all": "All levels", "": "Level not given"},
}
TEXT = {
    "zh": {"no_data": "本规划无此类数据", "source": "来源", "national": "全国“十四五”目标", "baseline": "基期",
           "target": "目标", "others": "其他地区", "persons": "人数（人）", "growth": "{span} 增长（%）",
           "enrollment": "各学段在校生（在园）人数", "rates": "主要入学率：基期 → 目标",
           "teachers": "教师队伍目标", "funding": "教育经费", "schools": "学校建设（按学段）",
           "compare_rates": "主要比率：各地基期 → 目标", "compare_growth_span": "在校生规模增长（{span}，%）",
           "period": "{start}–{end}年规划", "base_year": "基期 {year}年", "end_year": "目标 {year}年",
           "base_end": "基期→目标年",
           "year": "年", "no_year": "未注明年份", "pct": "比例（%）", "value": "数值",
           "log": "（对数刻度）", "floor": "▶ 目标为下限（≥ 以上）", "ceiling": "◀ 目标为上限（≤ 以内）",
           "approx": "◆ 约数（约、近、左右）", "cumulative": "累计", "annual": "每年", "per_unit": "单位量",
           "keep": "┈ 保持在下限以上（非削减）", "finding": "数据质量发现", "lines": "行",
           "compare_enrollment": "在校生规模：各地基期 → 目标（按学段）", "compare_teachers": "教师队伍：各地可比指标",
           "compare_funding": "教育经费：各地可比指标", "not_shared": "没有两地及以上以相同口径给出的指标",
           "only_one": "仅{place}给出（单地数值，非比较）", "growth_floor": "▲ 目标为下限：增长至少如此",
           "growth_ceiling": "▼ 目标为上限：增长至多如此", "annual_mean": "累计投入年均（{span}）",
           "per_pupil": "生均投入（{span}年均 ÷ {year}年在校生）", "per_year": "亿元/年", "yuan_per_pupil": "元/人/年",
           "national_gap": "全国目标", "as_stated": "原文口径"},
    "en": {"no_data": "No data in this plan", "source": "Source", "national": "National 14th FYP target",
           "baseline": "baseline", "target": "target", "others": "other places", "persons": "Persons",
           "growth": "Growth {span} (%)", "enrollment": "Enrolment by level", "rates": "Key rates: baseline → target",
           "teachers": "Teacher targets", "funding": "Education funding", "schools": "School construction by level",
           "compare_rates": "Key rates by place: baseline → target",
           "compare_growth_span": "Enrolment growth {span} (%)", "period": "plan {start}–{end}",
           "base_year": "baseline {year}", "end_year": "target {year}", "base_end": "base year → end year", "year": "", "no_year": "no year stated",
           "pct": "Share (%)", "value": "Value",
           "log": " (log scale)", "floor": "▶ target is a floor (≥, at least)", "ceiling": "◀ target is a ceiling (≤, at most)",
           "approx": "◆ approximate (about, nearly)", "cumulative": "cumulative", "annual": "per year", "per_unit": "per unit",
           "keep": "┈ kept above a floor (not a cut)", "finding": "Data-quality finding", "lines": "lines",
           "compare_enrollment": "Enrolment by level and place: baseline → target",
           "compare_teachers": "Teachers: measures places state alike", "compare_funding": "Education funding: comparable measures",
           "not_shared": "No measure is stated alike by two or more places",
           "only_one": "only {place} states this (one place's figure, not a comparison)",
           "growth_floor": "▲ target is a floor: growth at least this", "growth_ceiling": "▼ target is a ceiling: growth at most this",
           "annual_mean": "Cumulative investment, yearly mean ({span})",
           "per_pupil": "Per pupil ({span} yearly mean ÷ pupils in {year})", "per_year": "100 million yuan a year",
           "yuan_per_pupil": "yuan per pupil a year", "national_gap": "national target",
           "as_stated": "As the plans word them"},
}
#: Words for comparisons of many places (past MANY_PLACES), where notes summarise and the CSV lists.
TEXT["zh"].update(
    sources_many="{n} 份规划的原文行；每个数值的文件、行与原文见图旁的 CSV（source_file、line、quote 列）",
    findings_many="红圈标出的数值涉及 {n} 条发现（{kinds}）；每个数值的发现见图旁 CSV 的 finding 列",
    ranked="各地按目标值排序（无目标值者按基期值）",
    ranked_growth="每行一地，各学段同一行序：按第一个学段的增长排序（该学段无值的地区随后，按下一学段排序）",
    unlabelled="逾 {n} 行的分图不逐点标注数值：读横轴，或见 CSV 的 value 列",
    ranked_rows="每行一地，各分图同一行序：按第一个分图的目标值排序（无目标值者按基期值；该图无值的地区随后，按下一分图排序）")
TEXT["en"].update(
    sources_many="lines of {n} plans; the file, line and quote of every value are in the CSV beside the figure "
                 "(columns source_file, line, quote)",
    findings_many="the values ringed in red touch {n} findings ({kinds}); each value's findings are in the CSV "
                  "beside the figure (column finding)",
    ranked="places ranked by target (by baseline where no target is stated)",
    ranked_growth="one row per place, the same rows for every level: ranked by the first level's growth (places "
                  "that level lacks follow, ranked by the next)",
    unlabelled="panels of more than {n} rows carry no value labels: read the axis, or the CSV's value column",
    ranked_rows="one row per place, the same rows in every panel: ranked by the first panel's target (by baseline "
                "where no target is stated; places that panel lacks follow, ranked by the next panel)")
UNIT_LABELS = {
    "zh": {"人": "人", "名": "人", "所": "所", "个": "个", "元": "元", "亿元": "亿元", "万元": "万元", "%": "%"},
    "en": {"人": "persons", "名": "persons", "所": "schools", "个": "units", "元": "yuan", "亿元": "100 million yuan",
           "万元": "10,000 yuan", "%": "%", "年": "years", "人次": "person-times", "班": "classes",
           "平方米": "m²", "m2": "m²", "pp": "percentage points", "岁": "years of age", "台": "units", "间": "rooms",
           "倍": "times"},
}


def _t(lang: str, key: str) -> str:
    return TEXT.get(lang, TEXT["zh"])[key]


def level_label(level: str | None, lang: str = "zh") -> str:
    """Display name of an education level.

    >>> level_label("junior"), level_label("junior", "en")
    ('初中', 'Lower secondary')
    """
    level = "" if level is None or pd.isna(level) else str(level)
    return LEVEL_LABELS.get(lang, LEVEL_LABELS["zh"]).get(level, level)


def caption(rows: pd.DataFrame, lang: str = "zh") -> str:
    """Source lines behind a figure, one group per file: '来源：some_county.txt: 181, 189'.

    >>> caption(pd.DataFrame({"source_file": ["data/raw/a.txt", "data/raw/a.txt", "data/raw/b.txt"], "line": [9, 3, 9]}), "en")
    'Source: a.txt: 3, 9; b.txt: 9'
    """
    if rows is None or rows.empty:
        return ""
    sep = "：" if lang == "zh" else ": "
    files = rows.dropna(subset=["line"])["source_file"].nunique()
    if files > MANY_PLACES:  # a hundred plans' line numbers are no note: the CSV beside the figure has them
        return f"{_t(lang, 'source')}{sep}" + _t(lang, "sources_many").format(n=files)
    parts = []
    for source_file, group in rows.dropna(subset=["line"]).groupby("source_file", sort=True):
        lines = sorted({int(x) for x in group["line"]})
        parts.append(f"{Path(str(source_file)).name}: {', '.join(str(x) for x in lines)}")
    return f"{_t(lang, 'source')}{sep}{'; '.join(parts)}"


def _admin_levels() -> dict:
    """Admin levels in each language, from the reports' word list (one vocabulary for figures and pages)."""
    from ..datafiles import package_yaml

    words = package_yaml("report_labels.yml")
    return {lang: words[lang]["admin_levels"] for lang in ("zh", "en")}


ADMIN_LEVELS = _admin_levels()
MEASURE_LABELS = {
    "zh": {"stock": "存量", "flow": "新增（流量）", "designation": "称号认定", "rate": "比率", "money": "金额", "other": "其他"},
    "en": {"stock": "stock", "flow": "flow (new, added)", "designation": "designation", "rate": "rate", "money": "money",
           "other": "other"},
}
CHECK_LABELS = {
    "zh": {"sum_mismatch": "分项之和不符", "change_mismatch": "增减列与数值不符", "cross_source_conflict": "两处数值不一",
           "unit_magnitude": "单位与数量级不符", "out_of_range": "数值不合常理", "unnamed_indicator": "未识别指标",
           "correction_applied": "已按更正表修改", "beyond_plan_period": "项目建设期超出规划期"},
    "en": {"sum_mismatch": "parts do not add up", "change_mismatch": "change column disagrees",
           "cross_source_conflict": "two places in the text disagree", "unit_magnitude": "unit contradicts magnitude",
           "out_of_range": "implausible value", "unnamed_indicator": "unnamed number", "correction_applied": "correction applied",
           "beyond_plan_period": "project ends after the plan"},
}


def unit_aliases() -> dict[str, str]:
    """Each unit of ``data/unit_aliases.yml`` mapped to its group's name: {'人': '人', '名': '人'}.

    >>> unit_aliases()["名"]
    '人'
    """
    from ..datafiles import package_yaml

    groups = package_yaml("unit_aliases.yml").get("same_unit", {})
    return {str(u): str(name) for name, units in groups.items() for u in units}


#: headcount units (人 and 名 are both persons), from data/unit_aliases.yml
PERSON_UNITS = tuple(u for u, name in unit_aliases().items() if name == "人")
FLOOR, CEILING = (">=", ">"), ("<=", "<")
#: columns of every figure's data file (figures/<place>/<name>.csv), one row per plotted value
DATA_COLUMNS = ["figure", "panel", "county", "place", "admin_level", "indicator_id", "level", "series", "year",
                "span_start", "span_end", "value", "unit", "comparator", "basis", "measure_type", "source_file", "line",
                "quote", "finding"]


def _sep(lang: str) -> str:
    return "：" if lang == "zh" else ": "


# ---------------------------------------------------------------------------------------------
# selecting rows


def _labelled(targets: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Targets with a name (both languages), the dictionary's unit, one level per row, basis and measure type."""
    from ..build.derived import with_meaning

    ind = indicators[["indicator_id", "indicator_zh", "label_en", "unit", "level"]].rename(
        columns={"indicator_zh": "name_zh", "unit": "ind_unit", "level": "ind_level"})
    rows = targets[targets["indicator_id"].notna() & targets["kind"].isin(["baseline", "target"])]
    rows = with_meaning(rows, indicators)
    rows = rows.merge(ind, on="indicator_id", how="inner")
    rows["unit"] = rows["unit"].fillna(rows["ind_unit"]).fillna("")
    rows["level"] = rows["level"].fillna(rows["ind_level"]).fillna("")
    # a number may be stated twice (indicator table and prose): keep the table's, then the first line
    rows = rows.assign(_pref=(rows["source"] != "table").astype(int))
    rows = rows.sort_values(["county", "indicator_id", "level", "kind", "year", "_pref", "line"], na_position="last")
    rows = rows.drop_duplicates(["county", "indicator_id", "level", "kind", "year", "unit", "basis"]).drop(columns="_pref")
    return rows.reset_index(drop=True)


def _records(frame: pd.DataFrame, columns: Iterable[str] | None = None) -> list[dict]:
    """``frame.to_dict("records")``, column by column: the same values (Python scalars, None where missing)
    without boxing every cell of an Arrow-backed frame through ``itertuples``, which cost more than drawing them.

    >>> _records(pd.DataFrame({"a": pd.array([1, None], dtype="Int64"), "b": pd.array(["x", None], dtype="string")}))
    [{'a': 1, 'b': 'x'}, {'a': None, 'b': None}]

    ``columns``: only these (those the frame has), for a caller that reads a few of many.
    """
    columns = list(frame.columns) if columns is None else [c for c in columns if c in frame.columns]
    if not columns:
        return [{} for _ in range(len(frame))]
    # as to_dict: a missing value of a nullable (extension) column is None; a numpy float column keeps its NaN
    values = [frame[c].to_numpy(dtype=object, na_value=None).tolist()
              if isinstance(frame[c].dtype, pd.api.extensions.ExtensionDtype) else frame[c].tolist() for c in columns]
    return [dict(zip(columns, row)) for row in zip(*values)]


def _isna(value) -> bool:
    """True for None, NaN or pd.NA (a scalar)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _name(row, lang: str, with_level: bool = False) -> str:
    name = row["label_en"] if lang == "en" else row["name_zh"]
    if with_level and row["level"] and row["level"] != row["ind_level"]:
        name = f"{name} · {level_label(row['level'], lang)}"
    return str(name)


#: The plans table as records by county, built once per table: a figure of a hundred places asks for
#: names, levels and periods thousands of times, and a boolean filter per question cost more than the drawing.
_PLANS_SEEN: list = [None, {}]  # [the plans frame (held, so its identity stays its own), {county: record}]


def _plan_record(plans: pd.DataFrame | None, county: str) -> dict:
    if plans is None or plans.empty:
        return {}
    if _PLANS_SEEN[0] is not plans:
        _PLANS_SEEN[:] = [plans, {}]
        for record in _records(plans):
            _PLANS_SEEN[1].setdefault(record["county"], record)  # the first row, as a filter's iloc[0]
    return _PLANS_SEEN[1].get(county, {})


def _place(plans: pd.DataFrame | None, county: str, lang: str, with_admin: bool = False) -> str:
    """A place's name; with ``with_admin`` its administrative level too (某市（地级市）): places differ in kind."""
    name, admin = county, ""
    record = _plan_record(plans, county)
    if record:
        value = record.get("name_en" if lang == "en" else "name_zh")
        if isinstance(value, str) and value:
            name = value
        level = record.get("admin_level")
        if isinstance(level, str) and level:
            admin = ADMIN_LEVELS.get(lang, ADMIN_LEVELS["zh"]).get(level, level)
    if with_admin and admin:
        return f"{name}（{admin}）" if lang == "zh" else f"{name} ({admin})"
    return name


def _admin(plans, county) -> str:
    value = _plan_record(plans, county).get("admin_level", "")
    return value if isinstance(value, str) else ""


def _level_order(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _period(plans, county) -> tuple[int | None, int | None]:
    """Base year (the year before the period starts) and end year of the plan's own period."""
    record = _plan_record(plans, county)
    start, end = record.get("period_start"), record.get("period_end")
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return None, None
    return int(start) - 1, int(end)


_ENDPOINT_KEYS = ["county", "indicator_id", "level"]


def _last_of_kind(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Per (county, indicator, level): the row of ``kind`` with the latest year, then the latest line."""
    part = rows[rows["kind"] == kind]
    # a stable sort keeps the table's order among equal (year, line), as a sort within each group did
    part = part.sort_values(["year", "line"], na_position="first", kind="stable")
    part = part.sort_values("_group", kind="stable")
    return part.groupby("_group", sort=False).tail(1).set_index("_group")


def period_span(plans: pd.DataFrame | None, counties: Iterable[str], arrow: str = "→") -> str:
    """Each plan's own base year → end year (base = period start − 1), joined with '/' where places differ.

    '' when no plan states its period. No year is a constant: a 十三五 plan gives '2015→2020'.

    >>> plans = pd.DataFrame({"county": ["a", "b"], "period_start": [2021, 2016], "period_end": [2025, 2020]})
    >>> period_span(plans, ["a"]), period_span(plans, ["a", "b"])
    ('2020→2025', '2015→2020/2020→2025')
    """
    spans = {_period(plans, c) for c in counties}
    return "/".join(f"{b}{arrow}{e}" for b, e in sorted(x for x in spans if x[0] is not None))


def _national_for(national: pd.DataFrame | None, plans: pd.DataFrame | None, counties: Iterable[str]):
    """National targets that apply to these plans: those for the end year every plan shares.

    A 十三五 plan (ends 2020) is never drawn against the national 十四五 (2025) targets; places whose end years
    differ get no national line. Without plans or periods the targets are kept as given.
    """
    if national is None or national.empty or plans is None or "year" not in national.columns:
        return national
    ends = {_period(plans, c)[1] for c in counties}
    ends.discard(None)
    if not ends:
        return national
    if len(ends) > 1:
        return national.iloc[0:0]
    return national[national["year"] == ends.pop()]


def place_labels(plans: pd.DataFrame | None, counties: Iterable[str], lang: str = "zh") -> dict[str, str]:
    """Each place's name with its admin level; where the places' periods differ, its own base → end years too
    ('旧县（县）2015→2020'), since each is drawn at its own years.

    >>> plans = pd.DataFrame({"county": ["a", "b"], "name_zh": ["甲县", "乙县"], "name_en": ["A", "B"],
    ...                       "period_start": [2021, 2016], "period_end": [2025, 2020]})
    >>> place_labels(plans, ["a", "b"], "en")
    {'a': 'A 2020→2025', 'b': 'B 2015→2020'}
    >>> place_labels(plans, ["a"], "en")
    {'a': 'A'}
    """
    counties = list(counties)
    labels = {c: _place(plans, c, lang, with_admin=True) for c in counties}
    periods = {c: _period(plans, c) for c in counties}
    if len({p for p in periods.values() if p[0] is not None}) > 1:
        labels = {c: f"{name} {periods[c][0]}→{periods[c][1]}" if periods[c][0] is not None else name
                  for c, name in labels.items()}
    return labels


def period_label(plans: pd.DataFrame | None, county: str, lang: str = "zh") -> str:
    """'2016–2020年规划' / 'plan 2016–2020' from the plans table ('' without a period), for figure titles."""
    base, end = _period(plans, county)
    return "" if base is None else _t(lang, "period").format(start=base + 1, end=end)


def _endpoints(rows: pd.DataFrame, plans: pd.DataFrame | None = None) -> pd.DataFrame:
    """One line per (county, indicator, level): baseline and target with comparators and cited lines.

    With ``plans``: for a level at a date (point basis), the plan's own base year (period_start − 1) and end
    year; else, and for totals over a span, the latest of each. Callers pass rows of one basis only.
    Whole-table operations: a hundred places are as quick as five.
    """
    columns = ["county", "indicator_id", "level", "name_zh", "label_en", "ind_level", "unit", "measure_type",
               "basis", "source_file", *[f"{k}{c}" for k in ("baseline", "target")
                                         for c in ("", "_year", "_comparator", "_line", "_quote")]]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    rows = rows.dropna(subset=_ENDPOINT_KEYS).reset_index(drop=True)  # as a groupby leaves out missing keys
    if rows.empty:
        return pd.DataFrame(columns=columns)
    group = rows.groupby(_ENDPOINT_KEYS, sort=False).ngroup()  # numbered in the order first seen
    rows = rows.assign(_group=group)
    first = rows.drop_duplicates("_group").set_index("_group")
    periods = [_period(plans, c) for c in first["county"]]
    base_year = pd.Series([p[0] for p in periods], index=first.index, dtype="float")
    end_year = pd.Series([p[1] for p in periods], index=first.index, dtype="float")
    basis = rows["basis"] if "basis" in rows.columns else pd.Series("point", index=rows.index)
    all_point = (basis != "point").groupby(rows["_group"]).sum() == 0
    restrict = (all_point & base_year.notna()).reindex(rows["_group"]).to_numpy()
    wanted = np.where(rows["kind"] == "baseline", base_year.reindex(rows["_group"]).to_numpy(),
                      end_year.reindex(rows["_group"]).to_numpy())
    keep = ~restrict | (rows["year"].astype(float).to_numpy() == wanted)
    kept = rows[keep]
    base, targ = _last_of_kind(kept, "baseline"), _last_of_kind(kept, "target")
    groups = first.index[first.index.isin(base.index) | first.index.isin(targ.index)]
    out = pd.DataFrame({
        "county": first.loc[groups, "county"].to_numpy(), "indicator_id": first.loc[groups, "indicator_id"].to_numpy(),
        "level": first.loc[groups, "level"].to_numpy(), "name_zh": first.loc[groups, "name_zh"].to_numpy(),
        "label_en": first.loc[groups, "label_en"].to_numpy(), "ind_level": first.loc[groups, "ind_level"].to_numpy(),
        "unit": first.loc[groups, "unit"].to_numpy(),
        "measure_type": first.loc[groups, "measure_type"].to_numpy() if "measure_type" in first else "",
        "basis": first.loc[groups, "basis"].to_numpy() if "basis" in first else "point",
        "source_file": first.loc[groups, "source_file"].to_numpy()}, index=groups)
    for name, picked in (("baseline", base), ("target", targ)):
        there = groups.isin(picked.index)
        hit = picked.reindex(groups)
        out[name] = [float(v) if ok else None for v, ok in zip(hit["value"], there)]
        out[f"{name}_year"] = [v if ok else None for v, ok in zip(hit["year"], there)]
        out[f"{name}_comparator"] = [v if ok else None for v, ok in zip(hit["comparator"], there)]
        out[f"{name}_line"] = [int(v) if ok else None for v, ok in zip(hit["line"], there)]
        quotes = hit["quote"] if "quote" in hit.columns else pd.Series("", index=hit.index)
        out[f"{name}_quote"] = [v if ok else "" for v, ok in zip(quotes, there)]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the data written beside a figure, and findings marked on it


def _attach(fig: Figure, data: list[dict] | pd.DataFrame, findings: "_Findings | None" = None) -> Figure:
    """Keep the plotted values (with their source lines and the findings marked on them) on the figure:
    :func:`save_figure` writes them as CSV."""
    frame = pd.DataFrame(data)
    for col in DATA_COLUMNS:
        if col not in frame.columns:
            frame[col] = pd.NA
    if findings is not None and len(frame):
        frame["finding"] = [findings.labels(f.split(";")[0], line) for f, line in
                            zip(frame["source_file"].astype(str), frame["line"].astype(str))]
    fig.planlib_data = frame[DATA_COLUMNS].reset_index(drop=True)
    return fig


def figure_data(fig: Figure) -> pd.DataFrame:
    """The values a figure plots, one row each with source_file and line (empty frame for a 'no data' figure)."""
    data = getattr(fig, "planlib_data", None)
    if data is None:
        return pd.DataFrame(columns=DATA_COLUMNS)
    data = data.copy()
    for col in ("year", "span_start", "span_end"):  # years stay whole numbers in the CSV (not 2016.0)
        if col in data.columns:
            try:
                data[col] = pd.to_numeric(data[col]).astype("Int64")
            except (ValueError, TypeError):  # not all whole years: written as they are, never blanked
                pass
    return data


def _value_rows(ends: pd.DataFrame, figure: str, panel: str, plans, lang) -> list[dict]:
    """Data rows (baseline and target) for dumbbell endpoints."""
    out = []
    for r in _records(ends):  # records, not iterrows: a Series per row cost more than the row
        for kind in ("baseline", "target"):
            if r[kind] is None or pd.isna(r[kind]):
                continue
            out.append({"figure": figure, "panel": panel, "county": r["county"],
                        "place": _place(plans, r["county"], lang), "admin_level": _admin(plans, r["county"]),
                        "indicator_id": r["indicator_id"], "level": r["level"], "series": kind,
                        "year": r[f"{kind}_year"], "value": r[kind], "unit": r["unit"],
                        "comparator": r[f"{kind}_comparator"], "basis": r.get("basis", "point"),
                        "measure_type": r.get("measure_type", ""), "source_file": r["source_file"],
                        "line": str(int(r[f"{kind}_line"])), "quote": r.get(f"{kind}_quote", "")})
    return out


class _Findings:
    """Findings from the checks table that touch plotted values: a red ring and [n] on the figure, a footnote below."""

    def __init__(self, checks: pd.DataFrame | None, lang: str, compact: bool = False):
        self.lang = lang
        self.compact = compact  # many places: rings only, the note counts them (each is in the CSV)
        self.by_line: dict[tuple[str, int], list[int]] = {}
        self.rows: list[dict] = []
        self.used: list[int] = []
        self._rings: dict[int, object] = {}  # compact: id(axes) -> the one collection of its rings
        if checks is None or checks.empty:
            return
        for i, c in enumerate(_records(checks[checks["check"] != "unnamed_indicator"])):
            self.rows.append(c)
            for part in str(c["lines"]).split(";"):
                if part.strip().isdigit():
                    self.by_line.setdefault((str(c["source_file"]), int(part)), []).append(i)

    def hits(self, source_file, lines) -> list[int]:
        found: list[int] = []
        for line in str(lines or "").split(";"):
            if line.strip().isdigit():
                found += self.by_line.get((str(source_file), int(line)), [])
        return sorted(set(found))

    def mark(self, ax, x, y, source_file, lines) -> str:
        """Ring the value at (x, y) if a finding touches its lines; return the finding numbers ('' if none)."""
        hits = self.hits(source_file, lines)
        if not hits:
            return ""
        numbers = []
        for i in hits:
            if i not in self.used:
                self.used.append(i)
            numbers.append(self.used.index(i) + 1)
        label = "".join(f"[{n}]" for n in numbers)
        if self.compact:  # rings alike on top of everything: one collection per panel, not one per ring
            rings = self._rings.get(id(ax))
            if rings is None or rings.axes is not ax:
                self._rings[id(ax)] = ax.scatter([x], [y], s=40, facecolor="none", edgecolor=NATIONAL_COLOR,
                                                 linewidths=0.8, zorder=4)
            else:
                rings.set_offsets(np.vstack([rings.get_offsets(), [[x, y]]]))
                ax.update_datalim([(x, y)])
            return label
        ax.scatter([x], [y], s=160, facecolor="none", edgecolor=NATIONAL_COLOR, linewidths=1.2, zorder=4)
        ax.annotate(label, (x, y), xytext=(0, 7), textcoords="offset points", ha="center", va="bottom",
                    fontsize=7, color=NATIONAL_COLOR)
        return label

    def labels(self, source_file, lines) -> str:
        """'[1] sum_mismatch; [2] …' for the findings marked on a value ('' if none)."""
        return "; ".join(f"[{self.used.index(i) + 1}] {self.rows[i]['check']}" for i in self.hits(source_file, lines)
                         if i in self.used)

    def note(self) -> str:
        if not self.used:
            return ""
        labels = CHECK_LABELS.get(self.lang, CHECK_LABELS["zh"])
        if self.compact:
            kinds = sorted({str(self.rows[i]["check"]) for i in self.used})
            return f"{_t(self.lang, 'finding')}{_sep(self.lang)}" + _t(self.lang, "findings_many").format(
                n=len(self.used), kinds=", ".join(f"{labels.get(k, k)} ({k})" for k in kinds))
        # grouped by kind of finding, each kind named once and a file where it changes: a plan with twenty
        # findings of three kinds got a paragraph of fine print repeating both (and half its drawing time)
        groups: dict[str, list[tuple[int, dict]]] = {}
        for n, i in enumerate(self.used, start=1):
            groups.setdefault(str(self.rows[i]["check"]), []).append((n, self.rows[i]))
        parts = []
        for check, found in groups.items():
            items, last_file = [], None
            for n, c in found:
                lines = ", ".join(p for p in str(c["lines"]).split(";") if p)
                name = Path(str(c["source_file"])).name
                items.append(f"[{n}] {name + ' ' if name != last_file else ''}{_t(self.lang, 'lines')} {lines}")
                last_file = name
            parts.append(f"{labels.get(check, check)} ({check}): " + "; ".join(items))
        return f"{_t(self.lang, 'finding')}{_sep(self.lang)}" + " | ".join(parts)


def _comparison_findings(checks: pd.DataFrame | None, lang: str, counties: Sequence[str]) -> "_Findings | None":
    """The findings to mark on a comparison of ``counties``: rings only, counted in the note, past MANY_PLACES."""
    return _Findings(checks, lang, compact=len(counties) > MANY_PLACES) if checks is not None else None


def _join_notes(*notes: str) -> str:
    return "\n".join(n for n in notes if n)


# ---------------------------------------------------------------------------------------------
# figure scaffolding


def _figure(n_panels: int = 1, height: float = 4.5, *, ncols: int | None = None,
            stacked: Sequence[float] | None = None) -> tuple[Figure, list]:
    """A figure of ``n_panels`` axes, laid out by matplotlib's constrained layout when :func:`_finish` is called.

    ``stacked``: one column whose axes are these heights (inches), placed by :func:`_stack_layout` instead:
    the figure's height follows from its panels, so a panel of eight rows is taller than one of one.
    """
    if stacked is not None:
        fig = Figure(figsize=(WIDTH_IN, height))
        axes = [fig.add_subplot(len(stacked), 1, i + 1) for i in range(len(stacked))]
        fig.planlib_stack = [float(h) for h in stacked]
        return fig, axes
    ncols = ncols or n_panels
    nrows = -(-n_panels // ncols)
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


#: inches: a bar or dumbbell row in a stacked figure, the least height of a panel, the space between panels
STACK_ROW_IN, STACK_MIN_IN, STACK_GAP_IN = 0.3, 0.55, 0.12
_PT = 1 / 72  # inches in a point


def _text_size(renderer, text, dpi: float) -> tuple[float, float]:
    """Width and height (inches) of a Text artist as drawn (lines, rotation), or zeros when it shows nothing."""
    if not text.get_text() or not text.get_visible():
        return 0.0, 0.0
    box = text.get_window_extent(renderer)
    return box.width / dpi, box.height / dpi


def _axis_extents(ax, renderer, dpi: float) -> dict[str, float]:
    """Inches an axes needs outside its box on each side: tick labels, axis labels, title, a legend set outside.

    Measures only those strings (matplotlib caches their metrics per renderer: see :func:`_measuring_renderer`);
    the constrained layout measured every artist of the figure twice, a fifth of a county report's time.
    """
    out = {"left": 0.0, "right": 0.0, "top": 0.0, "bottom": 0.0, "rows": 0.0, "left_ticks": 0.0, "bottom_ticks": 0.0}
    for axis, side in ((ax.yaxis, "left"), (ax.xaxis, "bottom")):
        ticks = axis.get_major_ticks()
        tick = ticks[0] if ticks else None
        shown = tick is not None and tick.label1.get_visible()
        extent = 0.0
        if shown:
            labels = [t for t in axis.get_majorticklabels() if t.get_text()]
            sizes = [_text_size(renderer, t, dpi) for t in labels]
            lines = max((t.get_text().count("\n") + 1 for t in labels), default=1)
            if side == "left" and lines > 1:  # names wrapped onto several lines: rows tall enough to hold them
                out["rows"] = len(labels) * (lines * 0.19 + 0.1)
            if sizes:
                extent = max(w for w, _ in sizes) if side == "left" else max(h for _, h in sizes)
            extent += (tick.get_tick_padding() + tick.get_pad()) * _PT
        out[f"{side}_ticks"] = extent
        label = axis.label
        if label.get_text():
            w, h = _text_size(renderer, label, dpi)
            extent += (w if side == "left" else h) + axis.labelpad * _PT
        out[side] = extent
    # the left and right titles have no public getter but their text; a matplotlib without them measures the centre's
    titles = [ax.title] + [t for t in (getattr(ax, "_left_title", None), getattr(ax, "_right_title", None)) if t]
    title = max((_text_size(renderer, t, dpi)[1] for t in titles), default=0.0)
    out["top"] = title + matplotlib.rcParams["axes.titlepad"] * _PT if title else 0.05
    legend = ax.get_legend()
    if legend is not None:
        box = legend.get_bbox_to_anchor().transformed(ax.transAxes.inverted())
        if box.x0 > 1.0:  # set beside the panel: the figure makes room on the right
            out["right"] = legend.get_window_extent(renderer).width / dpi + 0.05
        elif box.y0 >= 1.0:  # set above the panel, beside its title
            out["top"] = max(out["top"], legend.get_window_extent(renderer).height / dpi + 0.04)
    return out


def _pin_labels(ax, extents: dict, width_in: float, height_in: float) -> None:
    """Put the axis labels beside the tick labels measured: where matplotlib's automatic placement would, without
    it measuring every tick label again at each draw. (A panel's title is set with ``y=1.0`` for the same reason:
    placed automatically, it measures the whole y axis.)"""
    for axis, ticks, size in ((ax.xaxis, extents["bottom_ticks"], height_in), (ax.yaxis, extents["left_ticks"], width_in)):
        if axis.label.get_text():
            axis.set_label_coords(*((0.5, -(ticks + axis.labelpad * _PT) / size) if axis is ax.xaxis
                                    else (-(ticks + axis.labelpad * _PT) / size, 0.5)))


_MEASURING: dict = {}  #: dpi -> a renderer kept only to measure text, so a batch measures each string once


def _measuring_renderer(dpi: float):
    """A small Agg renderer that lives as long as the process: matplotlib caches text metrics per renderer, and a
    hundred reports measure the same tick numbers, units and indicator names again and again."""
    from matplotlib.backends.backend_agg import RendererAgg

    if dpi not in _MEASURING:
        _MEASURING[dpi] = RendererAgg(1, 1, dpi)
    return _MEASURING[dpi]


def _stack_layout(fig: Figure, title, note_in: float) -> None:
    """Place a stacked figure's axes at fixed inches, one measuring pass: title, panels, then ``note_in`` at the foot.

    Every panel's box starts at the same x (the widest tick labels decide), each is as tall as
    ``fig.planlib_stack`` says, and the figure is as tall as its parts.
    """
    dpi = 150.0  # the PNG's resolution: text is measured as it will be drawn
    shown = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        renderer = _measuring_renderer(dpi)
        axes = [ax for ax in fig.axes if ax.get_visible()]
        extents = [_axis_extents(ax, renderer, dpi) for ax in axes]
        title_in = _text_size(renderer, title, dpi)[1] + 0.2 if title is not None else 0.1
    finally:
        fig.set_dpi(shown)
    width = fig.get_figwidth()
    left = max([0.35] + [e["left"] + 0.08 for e in extents])
    right = max([0.25] + [e["right"] + 0.08 for e in extents])
    heights = [max(h, e["rows"]) for h, e in zip(fig.planlib_stack, extents)]
    tops = []
    y = title_in
    for e, h in zip(extents, heights):
        y += e["top"]
        tops.append(y)
        y += h + e["bottom"] + STACK_GAP_IN
    total = y + note_in + 0.05
    fig.set_size_inches(width, total)
    axes_width = max(0.1 * width, width - left - right)
    for ax, e, top, h in zip(axes, extents, tops, heights):
        ax.set_position([left / width, 1 - (top + h) / total, axes_width / width, h / total])
        _pin_labels(ax, e, axes_width, h)
    if title is not None:
        title.set_y(1 - 0.1 / total)
        title.set_verticalalignment("top")


def _finish(fig: Figure, title: str, note: str, legend: list | None = None) -> Figure:
    """Title on top; a figure-wide legend (``legend`` handles) and the note (sources, findings) along the bottom."""
    suptitle = fig.suptitle(title, fontsize=13)
    wrapped = "\n".join(wrap_note(part, columns=int(fig.get_figwidth() * 17)) for part in note.split("\n") if part)
    if getattr(fig, "planlib_stack", None) is not None:
        note_in = 0.18 * (wrapped.count("\n") + 1) + 0.15 if wrapped else 0.0
        ncols = min(5, len(legend)) if legend else 0
        legend_in = 0.25 * -(-len(legend) // ncols) + 0.1 if legend else 0.0
        _stack_layout(fig, suptitle, note_in + legend_in)
        height = fig.get_figheight()
        if legend:
            fig.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, (note_in + 0.05) / height),
                       ncols=ncols, fontsize=7, frameon=False)
        if wrapped:  # plan text is untrusted: no mathtext from a '$' in a quote
            fig.text(0.01, 0.05 / height, wrapped, fontsize=7, color="#444444", ha="left", va="bottom",
                     usetex=False, parse_math=False)
        return fig
    height = fig.get_figheight()
    margin = (0.18 * (wrapped.count("\n") + 1) + 0.15) / height if wrapped else 0.0
    legend_h = 0.0
    if legend:
        ncols = min(5, len(legend))
        legend_h = (0.25 * -(-len(legend) // ncols) + 0.1) / height
        fig.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, margin), ncols=ncols, fontsize=7,
                   frameon=False)
    if wrapped or legend:
        bottom = min(0.5, margin + legend_h)
        fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    if wrapped:  # plan text is untrusted: no mathtext from a '$' in a quote
        fig.text(0.01, 0.01, wrapped, fontsize=7, color="#444444", ha="left", va="bottom", usetex=False,
                 parse_math=False)
    return fig


def wrap_note(note: str, columns: int = 136) -> str:
    """Wrap at spaces counting a CJK character as two columns (textwrap counts it as one).

    >>> wrap_note("来源：a.txt: 1, 2, 3", columns=14)
    '来源：a.txt:\\n1, 2, 3'
    """
    lines, current, width = [], "", 0
    for word in note.split(" "):
        w = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in word)
        if current and width + 1 + w > columns:
            lines.append(current)
            current, width = word, w
        else:
            current, width = (f"{current} {word}" if current else word), width + (1 if current else 0) + w
    if current:
        lines.append(current)
    return "\n".join(lines)


def wrap_title(text: str, columns: int) -> str:
    """:func:`wrap_note` for a narrow panel's title: a word wider than the panel (a Chinese name has no
    spaces) is cut at the panel's width.

    >>> wrap_title("普通小学在校学生数 · 存量", 8)
    '普通小学\\n在校学生\\n数 ·\\n存量'
    """
    words = []
    for word in text.split(" "):
        piece, width = "", 0
        for ch in word:
            w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            if piece and width + w > columns:
                words.append(piece)
                piece, width = "", 0
            piece, width = piece + ch, width + w
        words.append(piece)
    return wrap_note(" ".join(words), columns=columns)


def no_data_figure(title: str, lang: str = "zh", note: str = "", message: str | None = None) -> Figure:
    """A figure that says plainly that there is nothing to draw (and why, with ``message``)."""
    fig, (ax,) = _figure(1, stacked=[1.2])
    ax.set_axis_off()
    ax.text(0.5, 0.5, message or _t(lang, "no_data"), ha="center", va="center", fontsize=14, color="#666666",
            transform=ax.transAxes)
    _finish(fig, title, note)
    return _attach(fig, [])


def _num(x: float) -> str:
    """A value label: thousands separated for counts, as stated for rates.

    >>> _num(122600.0), _num(98.99), _num(0.6)
    ('122,600', '98.99', '0.6')
    """
    return f"{x:,.0f}" if abs(x) >= 1000 and float(x).is_integer() else f"{x:g}"


def _bar_label(x: float) -> str:
    """A bar's value: thousands separated, at most two decimals (0.848102 亿元 → 0.85).

    >>> _bar_label(0.848102), _bar_label(42.81), _bar_label(111900.0), _bar_label(3.0)
    ('0.85', '42.81', '111,900', '3')
    """
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def _thousands(x, _pos=None) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:g}"


def _scaled_amounts(values: pd.Series, unit: str, lang: str) -> tuple[pd.Series, str]:
    """Yuan shown in 亿元 or 万元 so axes stay readable; the unit goes on the axis."""
    if unit == "元" and values.abs().max() >= 1e8:
        return values / 1e8, UNIT_LABELS[lang]["亿元"]
    if unit == "元" and values.abs().max() >= 1e4:
        return values / 1e4, UNIT_LABELS[lang]["万元"]
    return values, UNIT_LABELS.get(lang, UNIT_LABELS["zh"]).get(unit, unit)


def _cmp_prefix(comparator) -> str:
    """'≥' for a floor, '≤' for a ceiling, '约' / '~' for approx, '' otherwise."""
    return {">=": "≥", ">": ">", "<=": "≤", "<": "<", "approx": "~"}.get(comparator if isinstance(comparator, str) else "", "")


def _log_if_needed(ax, values, axis: str, label: str, lang: str, ratio: float = 200) -> str:
    """A log scale when values span more than ``ratio``× (5 beside 94,500), always said on the axis."""
    given = [v for v in values if v is not None and pd.notna(v)]
    positive = [v for v in given if v > 0]
    # a zero or a negative value cannot sit on a log axis: stay linear rather than drop it
    if len(positive) > 1 and len(positive) == len(given) and max(positive) / min(positive) > ratio:
        (ax.set_xscale if axis == "x" else ax.set_yscale)("log")
        label += _t(lang, "log")
    (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)
    return label


def _min_span(ax, span: float, lower: float | None = 0.0) -> None:
    """Widen a rate axis to at least ``span`` points, so a 0.6-point change is not blown up across the panel."""
    lo, hi = ax.get_xlim()
    if hi - lo >= span:
        return
    mid = (lo + hi) / 2
    lo, hi = mid - span / 2, mid + span / 2
    if lower is not None and lo < lower:
        lo, hi = lower, lower + span
    ax.set_xlim(lo, hi)


def _one_year(years) -> int | None:
    """The single year a set of endpoints is at (None if none or several): a legend may then name it."""
    found = {int(y) for y in years if y is not None and pd.notna(y)}
    return found.pop() if len(found) == 1 else None


def _comparator_legend(ax, comparators, lang: str, *, dumbbell: bool = True, extra: list | None = None,
                       loc: str = "best", fig: Figure | None = None, years: tuple = (None, None)) -> list:
    """Legend of what the markers mean: hollow = baseline, filled = target, ▶/◀ floors and ceilings, ◆ approx.

    ``years``: the baseline's and the target's year when every endpoint drawn is at one ('基期 2015年').
    With ``fig``: the handles are returned for a figure-wide legend (:func:`_finish`), not drawn on ``ax``.
    """
    from matplotlib.lines import Line2D

    handles = list(extra or [])
    if dumbbell:
        base = _t(lang, "baseline") if years[0] is None else _t(lang, "base_year").format(year=years[0])
        end = _t(lang, "target") if years[1] is None else _t(lang, "end_year").format(year=years[1])
        handles += [Line2D([], [], ls="", marker="o", markerfacecolor="white", markeredgecolor=PALETTE[0],
                           label=base),
                    Line2D([], [], ls="", marker="o", color=PALETTE[0], label=end)]
    shown = set(c for c in comparators if isinstance(c, str))
    if shown & set(FLOOR):
        handles.append(Line2D([], [], ls="", marker=">", color=PALETTE[0], label=_t(lang, "floor")[2:]))
    if shown & set(CEILING):
        handles.append(Line2D([], [], ls="", marker="<", color=PALETTE[0], label=_t(lang, "ceiling")[2:]))
    if "approx" in shown:
        handles.append(Line2D([], [], ls="", marker="D", color=PALETTE[0], label=_t(lang, "approx")[2:]))
    if handles and fig is None:  # beside the panel, never over a value
        ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return handles


def _target_marker(comparator) -> str:
    if comparator in FLOOR:
        return ">"
    if comparator in CEILING:
        return "<"
    if comparator == "approx":
        return "D"
    return "o"


def _bar_panel(ax, rows: pd.DataFrame, lang: str, unit: str, findings: _Findings | None = None) -> str:
    """Horizontal bars per indicator (and level), one bar per year and kind; cumulative totals labelled as such."""
    rows = rows.copy()
    rows["label"] = [_name(r, lang, with_level=True) for r in _records(rows[["label_en", "name_zh", "level", "ind_level"]])]
    series = []
    for y, k, basis, s0, s1 in zip(rows["year"], rows["kind"], rows["basis"], rows["span_start"], rows["span_end"]):
        if basis == "cumulative":  # a five-year total is never a year's baseline
            span = f"{int(s0)}–{int(s1)}" if pd.notna(s0) and pd.notna(s1) else ""
            series.append(f"{span} {_t(lang, 'cumulative')}".strip())
        elif basis == "annual":
            series.append(f"{_t(lang, 'annual')} {_t(lang, k)}")
        else:
            when = _t(lang, "no_year") if pd.isna(y) else f"{int(y)}{_t(lang, 'year')}"
            series.append(f"{when} {_t(lang, k)}".strip())
    rows["series"] = series
    rows["value_shown"], unit_label = _scaled_amounts(rows["value"].astype(float), unit, lang)
    rows = rows.sort_values(["year", "kind", "line"], na_position="last")
    # the same indicator stated twice (e.g. two levels of recognition): number the repeats, never overdraw
    repeat = rows.groupby(["label", "series"]).cumcount()
    rows["label"] = [lab if k == 0 else f"{lab} ({k + 1})" for lab, k in zip(rows["label"], repeat)]
    labels = list(dict.fromkeys(rows.sort_values(["level"], key=lambda s: s.map(_level_order), kind="stable")["label"]))
    names = list(dict.fromkeys(rows["series"]))
    height = 0.8 / max(1, len(names))
    for i, name in enumerate(names):
        part = rows[rows["series"] == name]
        ys = [labels.index(lab) + (i - (len(names) - 1) / 2) * height for lab in part["label"]]
        hatch = "//" if (part["kind"] == "target").all() else None
        ax.barh(ys, part["value_shown"], height=height * 0.95, color=PALETTE[i % len(PALETTE)], hatch=hatch,
                edgecolor="white", label=name)
        for y, v, c, r in zip(ys, part["value_shown"], part["comparator"],
                              _records(part, ("value", "value_high", "source_file", "line"))):
            label = _bar_label(v)
            if c == "range" and pd.notna(r.get("value_high")) and float(r["value"]):
                label += "–" + _bar_label(v * float(r["value_high"]) / float(r["value"]))  # 3,000–5,000 as stated
            ax.text(v, y, f"{'   ' if c in FLOOR + CEILING else ' '}{_cmp_prefix(c)}{label}", va="center", fontsize=7)
            if c in FLOOR + CEILING:
                ax.plot([v], [y], marker=_target_marker(c), color="#333333", ms=5, ls="")
            if findings is not None:
                findings.mark(ax, v, y, r["source_file"], r["line"])
    ax.set_yticks(range(len(labels)), [wrap_title(lab, NAME_COLUMNS) for lab in labels])
    ax.invert_yaxis()
    label = _log_if_needed(ax, list(rows["value_shown"]), "x", unit_label, lang)
    if ax.get_xscale() == "linear":  # five ticks at most: 160,000 and its neighbours fit side by side
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.margins(x=0.15)
    # above the panel, right of its title: never over a bar, and no search for the emptiest corner
    ax.legend(fontsize=7, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=min(3, len(names)), frameon=False,
              borderaxespad=0.1, handlelength=1.6, columnspacing=1.0)
    return label


def _dumbbell_panel(ax, ends: pd.DataFrame, lang: str, *, focus: str | None = None,
                    national: pd.DataFrame | None = None, places: dict[str, str] | None = None,
                    label_by: str = "indicator", findings: _Findings | None = None, legend: bool = True,
                    compact: bool = False) -> list[str]:
    """Baseline (hollow) → target (filled; ▶ floor, ◀ ceiling, ◆ approx) per row; the focus place in colour.

    ``compact``: thin rows for many places (small markers and labels). Returns the national sources drawn,
    for the figure note.
    """
    places = places or {}
    # rows as records, grouped in order of first appearance (as groupby(sort=False)): a hundred places make
    # hundreds of groups, and a DataFrame per group cost more than drawing it
    records = _records(ends)
    keys = ("indicator_id", "level") if label_by == "indicator" else ("county",)
    positions: dict[tuple, list[int]] = {}
    for i, rec in enumerate(records):
        positions.setdefault(tuple(None if _isna(rec[k]) else rec[k] for k in keys), []).append(i)
    groups = list(positions.values())
    if label_by == "indicator":
        labels = [wrap_title(_name(records[g[0]], lang, True), NAME_COLUMNS) for g in groups]
    else:  # one row per place
        labels = [places.get(records[g[0]]["county"], records[g[0]]["county"]) for g in groups]
    cited: list[str] = []
    drew_national = False
    mine_rows: list[tuple[int, dict]] = []  # (row, endpoints) of the places drawn in colour, drawn together
    for y, where in enumerate(groups):
        if focus:
            group = ends.iloc[where]
            others = group[group["county"] != focus]
            mine = [records[i] for i in where if records[i]["county"] == focus]
        else:
            group, others, mine = None, ends.iloc[0:0], [records[i] for i in where]
        if len(others) > MANY_PLACES:  # a province's others: one strip of values, unnamed (the CSV names them)
            stated = others["target"].astype(float).fillna(others["baseline"].astype(float)).dropna()
            ax.scatter(stated, [y + 0.35] * len(stated), s=10, color=OTHERS_COLOR, alpha=0.5, linewidths=0,
                       zorder=2)
            others = others.iloc[0:0]
        for k, (_, r) in enumerate(others.iterrows() if len(others) else ()):  # (an empty iterrows costs a copy)
            dy = 0.16 + 0.55 * k / max(1, len(others))  # one name per line: never stacked on each other
            _dumbbell(ax, y + dy, r, color=OTHERS_COLOR, size=18, lw=1)
            x = r["target"] if r["target"] is not None and pd.notna(r["target"]) else r["baseline"]
            ax.text(x, y + dy, f" {places.get(r['county'], r['county'])}", fontsize=6, color="#555555", va="center")
        mine_rows.extend((y, r) for r in mine)
        if national is not None and not national.empty and label_by == "indicator":
            hit = national[national["indicator_id"] == records[where[0]]["indicator_id"]]
            if not hit.empty:
                nat = hit.iloc[0]
                bottom = y + (0.8 if len(others) else 0.45)
                ax.plot([nat["value"]] * 2, [y - 0.3, bottom], color=NATIONAL_COLOR, ls="--", lw=1.2,
                        label=None if drew_national else _t(lang, "national"))
                ax.text(nat["value"], y - 0.32, f"{_cmp_prefix(nat['comparator'])}{nat['value']:g}", fontsize=6,
                        color=NATIONAL_COLOR, ha="center", va="bottom")
                drew_national = True
                cited.append(str(nat["source"]))
    if mine_rows:
        # a ranked column of a hundred places is read off the axis: two labels a row would be most of the ink
        # (and of the drawing time); a short panel keeps them
        _dumbbells(ax, [y for y, _ in mine_rows], [r for _, r in mine_rows], color=PALETTE[0],
                   size=14 if compact else 55, lw=1.2 if compact else 2.5,
                   annotate=not compact or len(groups) <= MANY_PLACES, findings=findings,
                   fontsize=5 if compact else 7)
    if label_by == "place" and len(ends):
        cited += _national_line(ax, national, ends.iloc[0]["indicator_id"], lang, lw=1.2)
    ax.set_yticks(range(len(labels)), labels)
    if compact:
        _thin_rows(ax, len(labels))
    ax.set_ylim(len(labels) - (0.15 if focus else 0.4), -0.6)
    ax.margins(x=0.15)
    if legend:
        from matplotlib.lines import Line2D

        extra = []
        if drew_national:
            extra.append(Line2D([], [], color=NATIONAL_COLOR, ls="--", label=_t(lang, "national")))
        if focus and len(ends[ends["county"] != focus]):
            extra.append(Line2D([], [], ls="", marker="o", color=OTHERS_COLOR, ms=4, label=_t(lang, "others")))
        mine = ends[ends["county"] == focus] if focus else ends
        years = (_one_year(mine["baseline_year"]), _one_year(mine["target_year"])) if len(mine) else (None, None)
        _comparator_legend(ax, list(ends["target_comparator"]), lang, extra=extra, years=years)
    return list(dict.fromkeys(cited))


def _national_line(ax, national: pd.DataFrame | None, indicator_id, lang: str, lw: float = 1.0) -> list[str]:
    """The national target for ``indicator_id`` as a dashed vertical line across a panel of places, labelled with
    its comparator; returns its source for the figure note ([] when there is none)."""
    if national is None or national.empty:
        return []
    hit = national[national["indicator_id"] == indicator_id]
    if hit.empty:
        return []
    nat = hit.iloc[0]
    ax.axvline(nat["value"], color=NATIONAL_COLOR, ls="--", lw=lw,
               label=f"{_t(lang, 'national')} {_cmp_prefix(nat['comparator'])}{nat['value']:g}")
    return [str(nat["source"])]


def _thin_rows(ax, n: int) -> None:
    """The y axis of a ranked column of many places: small names, no tick marks, and the rows' guide lines
    drawn as one collection (a gridline per tick is an artist per place, drawn again for PNG and SVG).

    Panel titles are set at ``y=1.0``: left to place itself, a title measures every tick label of its axes.
    """
    ax.tick_params(axis="y", labelsize=5.5, length=0, left=False)
    ax.yaxis.set_label_coords(-0.01, 0.5)  # no y label here: not placed by measuring every name at each draw
    ax.grid(False, axis="y")
    if n:
        ax.hlines(range(n), 0, 1, transform=ax.get_yaxis_transform(), colors=matplotlib.rcParams["grid.color"],
                  linewidths=0.3, zorder=0.5)


def _ranked_note(lang: str, key: str, unlabelled: bool) -> str:
    """'places ranked by …', and when a panel was drawn without value labels, where its values are read."""
    if not unlabelled:
        return _t(lang, key)
    return _t(lang, key) + ("；" if lang == "zh" else "; ") + _t(lang, "unlabelled").format(n=MANY_PLACES)


def _dumbbell(ax, y, r, *, color, size, lw, annotate=False, findings: _Findings | None = None,
              fontsize: float = 7) -> None:
    """One baseline → target pair (see :func:`_dumbbells`)."""
    _dumbbells(ax, [y], [r], color=color, size=size, lw=lw, annotate=annotate, findings=findings, fontsize=fontsize)


def _dumbbells(ax, ys, rows, *, color, size, lw, annotate=False, findings: _Findings | None = None,
               fontsize: float = 7) -> None:
    """Baseline → target pairs at heights ``ys``. A floor kept below the baseline (100 → 保持95%以上) is no cut: dotted.

    Only a stock or a rate is joined: two flows (recruited in 2016–2020, to recruit by 2025) are not a change of level.
    Markers of a kind are drawn in one call each: a hundred places cost one scatter, not a hundred.
    """
    from matplotlib.collections import LineCollection

    solid, dotted, hollow, filled = [], [], [], {}
    for y, r in zip(ys, rows):
        b, t = r["baseline"], r["target"]
        has_b = b is not None and pd.notna(b)
        has_t = t is not None and pd.notna(t)
        comparator = r.get("target_comparator")
        joined = r.get("measure_type", "stock") in ("stock", "rate") or (r.get("unit") in RATE_UNITS)
        if has_b and has_t and b != t and joined:
            # a plain segment: hollow (baseline) and filled (target) markers say the direction, and an arrowhead
            # between two close values would cover their labels
            kept = (comparator in FLOOR and t < b) or (comparator in CEILING and t > b)
            (dotted if kept else solid).append([(b, y), (t, y)])
        # labels point away from each other (baseline on its far side, target on its own): no collisions
        b_left = not has_t or b <= t if has_b else True
        same = has_b and has_t and b == t
        if has_b:
            hollow.append((b, y))
            if annotate and not same:
                ax.annotate(f"{_cmp_prefix(r.get('baseline_comparator'))}{_num(b)}", (b, y),
                            xytext=(-7 if b_left else 7, 0), textcoords="offset points",
                            ha="right" if b_left else "left", va="center", fontsize=fontsize, color=color)
            if findings is not None:
                findings.mark(ax, b, y, r["source_file"], r.get("baseline_line"))
        if has_t:
            filled.setdefault(_target_marker(comparator), []).append((t, y, comparator in FLOOR + CEILING))
            if annotate:
                ax.annotate(f"{_cmp_prefix(comparator)}{_num(t)}", (t, y), xytext=(7 if b_left else -7, 0),
                            textcoords="offset points", ha="left" if b_left else "right", va="center",
                            fontsize=fontsize, color=color)
            if findings is not None:
                findings.mark(ax, t, y, r["source_file"], r.get("target_line"))
    if solid:
        ax.add_collection(LineCollection(solid, colors=color, linewidths=lw, zorder=2), autolim=True)
    if dotted:
        ax.add_collection(LineCollection(dotted, colors=color, linewidths=max(1.0, lw * 0.5), linestyles=":",
                                         zorder=2), autolim=True)
    if hollow:
        xs, hs = zip(*hollow)
        ax.scatter(xs, hs, s=size, facecolor="white", edgecolor=color, zorder=3, linewidths=1.5)
    for marker, points in filled.items():
        xs, hs, bounded = zip(*points)
        ax.scatter(xs, hs, s=[size * (1.3 if x else 1) for x in bounded], color=color, zorder=3, marker=marker)


#: [targets, indicators, county, that county's labelled rows]: a county report draws four figures from the same
#: frames, and labelling (a merge, a sort, the meaning of every row) cost more than some of the figures
_COUNTY_SEEN: list = [None, None, None, None]


def _county_rows(targets, indicators, county, domain) -> pd.DataFrame:
    seen = _COUNTY_SEEN
    if not (seen[0] is targets and seen[1] is indicators and seen[2] == county):
        seen[:] = [targets, indicators, county, _labelled(targets[targets["county"] == county], indicators)]
    rows = seen[3]
    return rows[rows["domain"] == domain]


def _title(lang: str, key: str, place: str, period: str = "") -> str:
    """'某县：教师队伍目标（2021–2025年规划）' / 'A County: Teacher targets (plan 2021–2025)'."""
    title = f"{place}：{_t(lang, key)}" if lang == "zh" else f"{place}: {_t(lang, key)}"
    if period:
        title += f"（{period}）" if lang == "zh" else f" ({period})"
    return title


_ROW_DATA_COLUMNS = ("unit", "county", "indicator_id", "level", "kind", "year", "span_start", "span_end", "value",
                     "comparator", "basis", "measure_type", "source_file", "line", "quote")


def _rows_data(rows: pd.DataFrame, figure: str, plans, lang, panel: str = "") -> list[dict]:
    """Data rows for plotted target rows (one per value)."""
    out = []
    for r in _records(rows, _ROW_DATA_COLUMNS):
        out.append({"figure": figure, "panel": panel or r.get("unit", ""), "county": r["county"],
                    "place": _place(plans, r["county"], lang), "admin_level": _admin(plans, r["county"]),
                    "indicator_id": r["indicator_id"], "level": r["level"], "series": r["kind"], "year": r["year"],
                    "span_start": r.get("span_start"), "span_end": r.get("span_end"), "value": r["value"],
                    "unit": r["unit"], "comparator": r["comparator"], "basis": r.get("basis", "point"),
                    "measure_type": r.get("measure_type", ""), "source_file": r["source_file"],
                    "line": str(int(r["line"])), "quote": r.get("quote", "")})
    return out


def _is_headcount(rows: pd.DataFrame) -> pd.Series:
    """Point-basis stocks counted in persons: what an enrolment chart and a growth rate may hold."""
    return (rows["basis"] == "point") & (rows["measure_type"] == "stock") & rows["unit"].isin(PERSON_UNITS)


# ---------------------------------------------------------------------------------------------
# county figures


def enrollment_by_level(targets: pd.DataFrame, indicators: pd.DataFrame, county: str, *,
                        plans: pd.DataFrame | None = None, lang: str = "zh", checks: pd.DataFrame | None = None) -> Figure:
    """Headcounts by level (preschool ... vocational) for every year the plan gives, baseline and target.

    Only point-basis headcounts: years of schooling (年) or a rate never sit on a headcount axis.
    """
    rows = _county_rows(targets, indicators, county, "enrollment")
    rows = rows[_is_headcount(rows) & rows["year"].notna()]
    title = _title(lang, "enrollment", _place(plans, county, lang), period_label(plans, county, lang))
    if rows.empty:
        return no_data_figure(title, lang)
    findings = _Findings(None if checks is None else checks[checks["county"] == county], lang)
    levels = sorted(rows["level"].unique(), key=_level_order)
    years = sorted(int(y) for y in rows["year"].unique())
    fig, (ax,) = _figure(1, stacked=[3.2])
    width = 0.8 / len(years)
    comparators = []
    for i, year in enumerate(years):
        part = rows[rows["year"] == year].sort_values("line", kind="stable").drop_duplicates("level")
        xs = [levels.index(lv) + (i - (len(years) - 1) / 2) * width for lv in part["level"]]
        is_target = (part["kind"] == "target").all()
        ax.bar(xs, part["value"].astype(float), width=width * 0.95, color=PALETTE[i % len(PALETTE)],
               hatch="//" if is_target else None, edgecolor="white",
               label=f"{year}{_t(lang, 'year')}{'（' + _t(lang, 'target') + '）' if is_target and lang == 'zh' else ' (target)' if is_target else ''}")
        for x, (_, r) in zip(xs, part.iterrows()):
            if r["comparator"] in FLOOR + CEILING:
                ax.plot([x], [float(r["value"])], marker="^" if r["comparator"] in FLOOR else "v", color="#333333",
                        ms=6, ls="")
                comparators.append(r["comparator"])
            findings.mark(ax, x, float(r["value"]), r["source_file"], r["line"])
    ax.set_xticks(range(len(levels)), [level_label(lv, lang) for lv in levels])
    ax.set_ylabel(_t(lang, "persons"))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    handles, _ = ax.get_legend_handles_labels()
    _floor_handles(handles, comparators, lang, vertical=True)
    ax.legend(handles=handles, fontsize=8)
    _finish(fig, title, _join_notes(caption(rows, lang), findings.note()))
    return _attach(fig, _rows_data(rows, "enrollment", plans, lang), findings)


def _floor_handles(handles: list, comparators, lang: str, vertical: bool) -> None:
    from matplotlib.lines import Line2D

    if set(comparators) & set(FLOOR):
        handles.append(Line2D([], [], ls="", marker="^" if vertical else ">", color="#333333",
                              label=_t(lang, "growth_floor" if vertical else "floor")[2:] if vertical else _t(lang, "floor")[2:]))
    if set(comparators) & set(CEILING):
        handles.append(Line2D([], [], ls="", marker="v" if vertical else "<", color="#333333",
                              label=_t(lang, "growth_ceiling")[2:] if vertical else _t(lang, "ceiling")[2:]))


def rates(targets: pd.DataFrame, indicators: pd.DataFrame, county: str, *,
          plans: pd.DataFrame | None = None, national: pd.DataFrame | None = None, lang: str = "zh",
          checks: pd.DataFrame | None = None) -> Figure:
    """Enrolment rates baseline → target for this place, the other places beside it, national targets as lines."""
    # only the indicators this place states can be drawn: labelling the other places' rows of the rest (a
    # hundred places' targets) cost more than the figure; _labelled works row by row, so the rows kept are the same
    stated = targets.loc[targets["county"] == county, "indicator_id"].dropna().unique()
    rows = _labelled(targets[targets["indicator_id"].isin(stated)], indicators)
    rows = rows[(rows["domain"] == "enrollment") & rows["unit"].isin(RATE_UNITS) & (rows["basis"] == "point")]
    mine = rows[rows["county"] == county]
    title = _title(lang, "rates", _place(plans, county, lang), period_label(plans, county, lang))
    if mine.empty:
        return no_data_figure(title, lang)
    keys = set(zip(mine["indicator_id"], mine["level"]))
    shown = rows[[k in keys for k in zip(rows["indicator_id"], rows["level"])]]
    ends = _endpoints(shown)
    ends = ends.assign(_order=[(_level_order(lv), ind) for ind, lv in zip(ends["indicator_id"], ends["level"])])
    ends = ends.sort_values("_order", kind="stable").drop(columns="_order")
    places = place_labels(plans, ends["county"].unique(), lang)
    findings = _Findings(None if checks is None else checks[checks["county"] == county], lang)
    per_row = ends[ends["county"] != county].groupby(["indicator_id", "level"]).size()
    n_others = int(per_row.max()) if len(per_row) else 0
    n_others = 1 if n_others > MANY_PLACES else n_others  # many others share one strip (see _dumbbell_panel)
    fig, (ax,) = _figure(1, stacked=[max(STACK_MIN_IN, 0.2 + (0.4 + 0.2 * n_others) * len(keys))])
    cited = _dumbbell_panel(ax, ends, lang, focus=county, national=_national_for(national, plans, [county]),
                            places=places, findings=findings)
    ax.set_xlabel(_t(lang, "pct"))
    _min_span(ax, 10)
    note = _with_national_sources(caption(shown, lang), cited, lang)
    _finish(fig, title, _join_notes(note, findings.note()))
    return _attach(fig, _value_rows(ends, "rates", "", plans, lang), findings)


def _panel_key(row) -> tuple:
    """Numbers that may share an axis: same measure type, basis and unit as shown (人 and 名 are both persons)."""
    unit = "人" if row["unit"] in PERSON_UNITS else row["unit"]
    return (row["measure_type"], row["basis"], unit)


def _domain_figure(targets, indicators, county, domain, key, *, plans, lang, checks=None) -> Figure:
    """Shares as a dumbbell panel; every other (measure type, basis, unit) as its own bar panel.

    So a stock never shares an axis with a flow, a designation never with schools built, and a
    five-year total never with a year's amount.
    """
    rows = _county_rows(targets, indicators, county, domain)
    title = _title(lang, key, _place(plans, county, lang), period_label(plans, county, lang))
    if rows.empty:
        return no_data_figure(title, lang)
    findings = _Findings(None if checks is None else checks[checks["county"] == county], lang)
    point_rates = rows["unit"].isin(RATE_UNITS) & (rows["basis"] == "point")
    shares = rows[point_rates]
    rest = rows[~point_rates]
    row_keys = [_panel_key(r) for r in _records(rest[["measure_type", "basis", "unit"]])]  # once, not per panel
    panel_keys = sorted(set(row_keys), key=lambda k: (str(k[0]), str(k[1]), str(k[2])))
    n_panels = (1 if len(shares) else 0) + len(panel_keys)
    n_rows_each = [len(set(zip(shares["indicator_id"], shares["level"])))] if len(shares) else []
    n_rows_each += [len(set(zip(g["indicator_id"], g["level"]))) for k in panel_keys
                    for g in [rest[[rk == k for rk in row_keys]]]]
    fig, axes = _figure(n_panels, stacked=[max(STACK_MIN_IN, 0.25 + STACK_ROW_IN * n) for n in n_rows_each])
    panels = iter(axes)
    data = []
    if len(shares):
        ax = next(panels)
        ends = _endpoints(shares)
        _dumbbell_panel(ax, ends, lang, focus=county, findings=findings)
        ax.set_xlabel(_t(lang, "pct"))
        _min_span(ax, 10)
        data += _value_rows(ends, key, "rates", plans, lang)
    measure = MEASURE_LABELS.get(lang, MEASURE_LABELS["zh"])
    for k in panel_keys:
        ax = next(panels)
        part = rest[[rk == k for rk in row_keys]]
        _bar_panel(ax, part, lang, k[2], findings)
        tags = [measure.get(k[0], k[0])] if k[0] != "other" else []
        if k[1] in ("cumulative", "annual", "per_unit"):
            tags.append(_t(lang, k[1]))
        if tags:
            ax.set_title(" · ".join(tags), fontsize=9, loc="left", y=1.0)  # y given: not placed by measuring
        data += _rows_data(part, key, plans, lang, panel=f"{k[0]}|{k[1]}|{k[2]}")
    _finish(fig, title, _join_notes(caption(rows, lang), findings.note()))
    return _attach(fig, data, findings)


def teachers(targets, indicators, county, *, plans=None, lang="zh", checks=None) -> Figure:
    """Teacher targets: counts (stocks apart from flows and designations) and qualification / dual-qualified shares."""
    return _domain_figure(targets, indicators, county, "teachers", "teachers", plans=plans, lang=lang, checks=checks)


def funding(targets, indicators, county, *, plans=None, lang="zh", checks=None) -> Figure:
    """Education spending as a budget share, and amounts (a year's apart from cumulative totals), in 亿元 or 万元."""
    return _domain_figure(targets, indicators, county, "funding", "funding", plans=plans, lang=lang, checks=checks)


def schools(targets, indicators, county, *, plans=None, lang="zh", checks=None) -> Figure:
    """Schools and places to be built, by level (designations apart from schools built)."""
    return _domain_figure(targets, indicators, county, "schools", "schools", plans=plans, lang=lang, checks=checks)


#: The county report's figures, in report order: file stem -> function.
COUNTY_FIGURES = {
    "enrollment": enrollment_by_level,
    "rates": rates,
    "teachers": teachers,
    "funding": funding,
    "schools": schools,
}


# ---------------------------------------------------------------------------------------------
# comparison figures: like measures only (same indicator, level, basis, unit and measure type)


def _span_key(basis, start, end) -> str:
    """'' for a level at a date; '2016–2020' for a total or yearly figure over a span (a past total is not a target)."""
    if basis == "point" or pd.isna(start) or pd.isna(end):
        return ""
    return f"{int(start)}–{int(end)}"


def _with_key_columns(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.assign(_unit=["人" if u in PERSON_UNITS else u for u in rows["unit"]],
                       _span=[_span_key(b, a, e) for b, a, e in zip(rows["basis"], rows["span_start"], rows["span_end"])])


def _shared(rows: pd.DataFrame, counties: Sequence[str], minimum: int = 2) -> list[tuple]:
    """(indicator, level, basis, unit, measure type) stated by at least ``minimum`` places, most widely given first."""
    if rows.empty:
        return []
    rows = _with_key_columns(rows)
    keys = ["indicator_id", "level", "basis", "_unit", "measure_type", "_span"]
    reach = rows.groupby(keys)["county"].nunique()
    reach = reach[reach >= min(minimum, max(1, len(counties)))]
    return sorted(reach.index, key=lambda k: (-reach[k], _level_order(k[1]), k[0]))


def _ranked(ends: pd.DataFrame) -> pd.DataFrame:
    """Places ordered by target, highest first (by baseline where no target is stated; ties by slug)."""
    return ends.assign(_key=_end_value(ends)).sort_values(["_key", "county"], ascending=[False, True],
                                             na_position="last").drop(columns="_key").reset_index(drop=True)


def _place_order(ends: pd.DataFrame, counties: Sequence[str], many: bool) -> pd.DataFrame:
    """The rows of one panel in the order drawn: as the places were given, or ranked when there are many."""
    if many:
        return _ranked(ends)
    return ends.set_index("county").reindex([c for c in counties if c in set(ends["county"])]).reset_index()


def _compare_panels(rows, keys, counties, *, plans, lang, national, findings, figure, title, note_extra="",
                    ncols=2, span_for_rates=10) -> Figure:
    """One dumbbell panel per shared measure, one row per place (with its admin level)."""
    national = _national_for(national, plans, counties)
    places = place_labels(plans, counties, lang)
    many = len(counties) > MANY_PLACES
    ncols = ncols if len(keys) > 1 else 1
    nrows = -(-len(keys) // ncols)
    keyed = _with_key_columns(rows)
    parts = [rows[(keyed["indicator_id"] == ind) & (keyed["level"] == level) & (keyed["basis"] == basis)
                  & (keyed["measure_type"] == mtype) & (keyed["_unit"] == unit) & (keyed["_span"] == span)]
             for ind, level, basis, unit, mtype, span in keys]
    if many:
        return _compare_rows(parts, keys, counties, plans=plans, lang=lang, national=national, places=places,
                             findings=findings, figure=figure, title=title, note_extra=note_extra,
                             span_for_rates=span_for_rates)
    n_rows = max([part["county"].nunique() for part in parts] + [1])  # the tallest panel sets the rows' height
    fig, axes = _figure(len(keys), height=1.6 + nrows * (ROW_IN * n_rows + 1.1), ncols=ncols)
    cited, data, comparators = [], [], []
    for ax, key, part in zip(axes, keys, parts):
        ind, level, basis, unit, mtype, span = key
        ends = _endpoints(part, plans)
        if ends.empty:
            ax.set_visible(False)
            continue
        ends = _place_order(ends, counties, many=False)
        cited += _dumbbell_panel(ax, ends, lang, national=national, places=places, label_by="place",
                                 findings=findings, legend=False)
        comparators += list(ends["target_comparator"])
        # a long English name would run into the next panel: wrapped to the panel's width
        ax.set_title(wrap_note(_panel_tags(part, key, lang), columns=int(WIDTH_IN / ncols * 8)), fontsize=9, y=1.0)
        ax.tick_params(labelsize=8)
        ax.margins(x=0.3)  # room for the value labels beside the outermost markers
        _value_axis(ax, ends, unit, lang, span_for_rates, fontsize=8, ticks=4)
        ax.legend(fontsize=6, loc="lower right") if ax.get_legend_handles_labels()[0] else None
        data += _value_rows(ends, figure, f"{ind}|{level}|{basis}|{unit}|{span}", plans, lang)
    handles = _comparator_legend(axes[0], comparators, lang, fig=fig)
    note = _values_note(data, cited, lang)
    _finish(fig, title, _join_notes(note, note_extra, findings.note() if findings else ""), legend=handles)
    return _attach(fig, data, findings)


def _value_axis(ax, ends: pd.DataFrame, unit: str, lang: str, span_for_rates, *, fontsize: float, ticks: int,
                rate_ticks: int | None = None) -> None:
    """A comparison panel's value axis: rates in % over at least ``span_for_rates`` points; other units
    labelled, in thousands, on a log scale when a city stands beside counties (``ticks`` on a linear one)."""
    unit_label = _t(lang, "pct") if unit in RATE_UNITS else UNIT_LABELS.get(lang, UNIT_LABELS["zh"]).get(unit, unit)
    if unit in RATE_UNITS:
        ax.set_xlabel(unit_label, fontsize=fontsize)
        _min_span(ax, span_for_rates)
        if rate_ticks is not None:
            ax.xaxis.set_major_locator(MaxNLocator(rate_ticks))
    else:
        values = list(ends["baseline"].dropna()) + list(ends["target"].dropna())
        _log_if_needed(ax, values, "x", unit_label, lang, ratio=10)  # a city beside counties
        ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
        if ax.get_xscale() == "linear":
            ax.xaxis.set_major_locator(MaxNLocator(ticks))
        ax.xaxis.label.set_fontsize(fontsize)


def _values_note(data: list[dict], cited: list[str], lang: str) -> str:
    """A comparison figure's note: the lines its values come from, then the national targets' sources."""
    used = pd.DataFrame(data)
    note = caption(used.assign(line=used["line"].astype(int)) if len(used) else used, lang)
    return _with_national_sources(note, list(dict.fromkeys(cited)), lang)


def _with_national_sources(note: str, cited: list[str], lang: str) -> str:
    """``note`` followed by the sources of the national targets drawn (none: as it is)."""
    if not cited:
        return note
    return note + ("。" if lang == "zh" else ". ") + _t(lang, "national") + _sep(lang) + "; ".join(cited)


def _panel_tags(part: pd.DataFrame, key: tuple, lang: str) -> str:
    """A panel's title: the measure's name, its measure type, its basis and span ('… · 存量 · 累计（2016–2020）')."""
    _ind, _level, basis, _unit, mtype, _span = key
    measure = MEASURE_LABELS.get(lang, MEASURE_LABELS["zh"])
    tags = [_name(part.iloc[0], lang, True)]
    if mtype not in ("rate", "other"):
        tags.append(measure.get(mtype, mtype))
    if basis in ("cumulative", "annual", "per_unit"):
        spans = sorted({f"{int(a)}–{int(b)}" for a, b in zip(part["span_start"], part["span_end"])
                        if pd.notna(a) and pd.notna(b)})
        tags.append(_t(lang, basis) + (f"（{', '.join(spans)}）" if lang == "zh" and spans
                                       else f" ({', '.join(spans)})" if spans else ""))
    return " · ".join(tags)


def _end_value(ends: pd.DataFrame) -> pd.Series:
    """The value a place is ranked by in a dumbbell panel: its target, else its baseline."""
    return ends["target"].astype(float).fillna(ends["baseline"].astype(float))


def _shared_order(panels: list[pd.DataFrame], value=_end_value) -> list[str]:
    """One row order for every panel of a figure: ranked by the first panel's ``value`` (by default the target,
    else the baseline), highest first; places the first panel lacks follow, ranked by the next panel, and so on."""
    keyed = []
    for i, ends in enumerate(panels):
        if len(ends):
            keyed.append(pd.DataFrame({"county": ends["county"].to_numpy(), "_panel": i,
                                       "_value": value(ends).astype(float).to_numpy()}))
    if not keyed:
        return []
    order = pd.concat(keyed, ignore_index=True).sort_values(["_panel", "_value", "county"],
                                                            ascending=[True, False, True], na_position="last")
    return list(dict.fromkeys(order["county"]))


def _compare_rows(parts, keys, counties, *, plans, lang, national, places, findings, figure, title, note_extra,
                  span_for_rates) -> Figure:
    """Many places: the measures side by side as columns, one row per place shared by all of them, the names
    once at the left (a hundred names per panel were most of the figure and of its drawing time).

    Rows are ranked by the first column (see :func:`_shared_order`), so a place reads across on one line; the
    CSV keeps each panel's rows ranked by its own values, every value with its file and line.
    """
    ends_of = [_ranked(_endpoints(part, plans)) for part in parts]
    shown = [(key, part, ends) for key, part, ends in zip(keys, parts, ends_of) if not ends.empty]
    order = _shared_order([ends for _, _, ends in shown])
    row_of = {c: i for i, c in enumerate(order)}
    n = max(len(order), 1)
    fig = Figure(figsize=(WIDTH_IN, 2.4 + ROW_IN_MANY * n), layout="constrained")
    axes = fig.subplots(1, max(len(shown), 1), squeeze=False).ravel().tolist()
    ncols = max(len(shown), 1)
    cited, data, comparators = [], [], []
    for i, (ax, (key, part, ends)) in enumerate(zip(axes, shown)):
        ind, level, basis, unit, mtype, span = key
        ys = [row_of[c] for c in ends["county"]]
        _dumbbells(ax, ys, _records(ends), color=PALETTE[0], size=10, lw=1.0, findings=findings)
        comparators += list(ends["target_comparator"])
        cited += _national_line(ax, national, ind, lang)
        if i == 0:
            ax.set_yticks(range(len(order)), [places.get(c, c) for c in order])
        else:
            ax.set_yticks([])
        _thin_rows(ax, len(order))
        ax.set_ylim(n - 0.4, -0.6)
        ax.set_title(wrap_title(_panel_tags(part, key, lang), columns=max(8, int(WIDTH_IN / ncols * 15))),
                     fontsize=6.5, y=1.0)
        ax.tick_params(axis="x", labelsize=6)
        ax.margins(x=0.1)
        _value_axis(ax, ends, unit, lang, span_for_rates, fontsize=7, ticks=3, rate_ticks=3)
        ax.tick_params(axis="x", labelrotation=40)  # narrow columns: '400,000' beside '800,000' would collide
        for label in ax.get_xticklabels(which="both"):
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=5, loc="lower right")
        data += _value_rows(ends, figure, f"{ind}|{level}|{basis}|{unit}|{span}", plans, lang)
    handles = _comparator_legend(axes[0], comparators, lang, fig=fig)
    note = _values_note(data, cited, lang)
    note = _join_notes(_t(lang, "ranked_rows") + ("；" if lang == "zh" else "; ")
                       + _t(lang, "unlabelled").format(n=MANY_PLACES), note)
    _finish(fig, title, _join_notes(note, note_extra, findings.note() if findings else ""), legend=handles)
    return _attach(fig, data, findings)


def compare_rates(targets, indicators, counties: Sequence[str], *, indicator_ids: Iterable[str] | None = None,
                  plans=None, national=None, lang="zh", max_panels: int = 8, domain: str | None = None,
                  checks=None) -> Figure:
    """One panel per rate: every place's baseline → target at the plan's base and end years, national target as a line.

    Without ``indicator_ids``: the rates at least two places give, most widely given first, at most ``max_panels``.
    """
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[rows["unit"].isin(RATE_UNITS) & (rows["basis"] == "point")]
    if domain:
        rows = rows[rows["domain"] == domain]
    if indicator_ids:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
        keys = _shared(rows, counties, minimum=1)
    else:
        keys = _shared(rows, counties)
    keys = sorted(keys[:max_panels], key=lambda k: (_level_order(k[1]), k[0]))
    title = _t(lang, "compare_rates")
    if not keys:
        return no_data_figure(title, lang)
    findings = _comparison_findings(checks, lang, counties)
    return _compare_panels(rows, keys, list(counties), plans=plans, lang=lang, national=national, findings=findings,
                           figure="rates", title=title)


def compare_enrollment(targets, indicators, counties: Sequence[str], *, plans=None, lang="zh", checks=None,
                       max_panels: int = 8) -> Figure:
    """Headcounts by level, place beside place (point-basis stocks in persons only), baseline → target."""
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[(rows["domain"] == "enrollment") & _is_headcount(rows)]
    keys = sorted(_shared(rows, counties)[:max_panels], key=lambda k: (_level_order(k[1]), k[0]))
    title = _t(lang, "compare_enrollment")
    if not keys:
        return no_data_figure(title, lang, message=_t(lang, "not_shared"))
    findings = _comparison_findings(checks, lang, counties)
    return _compare_panels(rows, keys, list(counties), plans=plans, lang=lang, national=None, findings=findings,
                           figure="enrollment", title=title)


def compare_teachers(targets, indicators, counties: Sequence[str], *, plans=None, lang="zh", checks=None,
                     national=None, max_panels: int = 8) -> Figure:
    """Teacher measures two or more places state alike (same indicator, level, basis, unit, measure type)."""
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[rows["domain"] == "teachers"]
    keys = _shared(rows, counties)[:max_panels]
    keys = sorted(keys, key=lambda k: (k[4] != "rate", str(k[4]), _level_order(k[1]), k[0]))
    title = _t(lang, "compare_teachers")
    if not keys:
        return no_data_figure(title, lang, message=_t(lang, "not_shared"))
    findings = _comparison_findings(checks, lang, counties)
    return _compare_panels(rows, keys, list(counties), plans=plans, lang=lang, national=national, findings=findings,
                           figure="teachers", title=title)


def single_place_measures(targets, indicators, counties: Sequence[str], domain: str) -> pd.DataFrame:
    """Measures of ``domain`` only one place states (shown as that place's figure, never compared)."""
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[rows["domain"] == domain]
    if rows.empty:
        return rows
    rows = _with_key_columns(rows)
    keys = ["indicator_id", "level", "basis", "_unit", "measure_type", "_span"]
    reach = rows.groupby(keys)["county"].transform("nunique")
    return rows[reach == 1].drop(columns=["_unit", "_span"])


def _derived(targets, indicators, plans, derived) -> pd.DataFrame:
    if derived is not None:
        return derived
    from ..build.derived import derived_tables

    return derived_tables(targets, indicators, plans)[0]


def _quote_index(targets) -> dict:
    """(source_file, line) -> [(indicator_id, quote), ...] in table order: one pass, not a filter per derived row."""
    index: dict = {}
    if targets is None or targets.empty:
        return index
    for f, line, ind, quote in zip(targets["source_file"].tolist(), targets["line"].tolist(),
                                   targets["indicator_id"].tolist(), targets["quote"].tolist()):
        if line is not None and not pd.isna(line):
            index.setdefault((f, int(line)), []).append((ind, quote))
    return index


def _input_quotes(r, inputs, quotes: dict) -> str:
    """The plan's own words behind a derived number (so '全市基础教育投入' shows that a total is basic education's).

    ``quotes``: :func:`_quote_index` of the targets. The row of the same indicator on an input line, else the line's first.
    """
    found = []
    for f, line in inputs:
        if not line.isdigit():
            continue
        hit = quotes.get((f, int(line)))
        if hit:
            same = [q for ind, q in hit if ind == r["indicator_id"]]
            found.append(str(same[0] if same else hit[0][1]))
    return " | ".join(dict.fromkeys(found))


def _derived_rows(d: pd.DataFrame, figure: str, panel: str, plans, lang, targets=None) -> list[dict]:
    out = []
    quotes = _quote_index(targets)
    for _, r in d.iterrows():
        inputs = [p.rsplit(":", 1) for p in str(r["inputs"]).split(";") if ":" in p]
        files = list(dict.fromkeys(f for f, _ in inputs))
        words = _input_quotes(r, inputs, quotes)
        out.append({"figure": figure, "panel": panel, "county": r["county"], "place": _place(plans, r["county"], lang),
                    "admin_level": _admin(plans, r["county"]), "indicator_id": r["indicator_id"], "level": r["level"],
                    "series": r["derived_id"], "year": r["year"], "span_start": r["span_start"],
                    "span_end": r["span_end"], "value": r["value"], "unit": r["unit"], "comparator": r["comparator"],
                    "basis": "derived", "measure_type": "", "source_file": ";".join(files),
                    "line": ";".join(line for _, line in inputs),
                    "quote": r["method"] + (f" ← {words}" if words else "")})
    return out


def growth_table(targets, indicators, counties: Sequence[str], *, plans=None, derived=None) -> pd.DataFrame:
    """Enrolment growth in % per place and level, from the `derived` table (point-basis headcounts only)."""
    from ..build.derived import GROWTH

    d = _derived(targets, indicators, plans, derived)
    ind = indicators.set_index("indicator_id")
    d = d[(d["derived_id"] == GROWTH) & d["county"].isin(counties)]
    d = d[[ind["domain"].get(i) == "enrollment" for i in d["indicator_id"]]]
    # (file, line, indicator, year) -> the first such row's value: one pass over targets, not a lookup per row
    values: dict = {}
    for key, v in zip(zip(targets["source_file"].tolist(), targets["line"].tolist(), targets["indicator_id"].tolist(),
                          targets["year"].tolist()), targets["value"].tolist()):
        if not any(x is None or pd.isna(x) for x in key):
            values.setdefault((key[0], int(key[1]), key[2], key[3]), v)
    out = []
    for _, r in d.iterrows():
        (f0, l0), (f1, l1) = [p.rsplit(":", 1) for p in str(r["inputs"]).split(";")[:2]]

        def value(f, line, year, r=r):
            if year is None or pd.isna(year) or r["indicator_id"] is None or pd.isna(r["indicator_id"]):
                return None
            v = values.get((f, int(line), r["indicator_id"], year))
            return None if v is None else float(v)

        out.append({"county": r["county"], "indicator_id": r["indicator_id"], "level": r["level"],
                    "start_year": r["span_start"], "end_year": r["span_end"],
                    "start": value(f0, l0, r["span_start"]), "end": value(f1, l1, r["span_end"]),
                    "growth_pct": r["value"], "comparator": r["comparator"], "source_file": f0, "lines": f"{l0};{l1}"})
    return pd.DataFrame(out, columns=["county", "indicator_id", "level", "start_year", "end_year", "start", "end",
                                      "growth_pct", "comparator", "source_file", "lines"])


def _growth_bars(growth, levels, present, plans, lang, findings, spans) -> tuple[Figure, list]:
    """A few places: one bar per place in each level's group, every bar labelled."""
    fig, (ax,) = _figure(1, height=5.0)
    width = 0.8 / len(present)
    comparators = []
    for i, county in enumerate(present):
        part = growth[growth["county"] == county].drop_duplicates("level")
        xs = [levels.index(lv) + (i - (len(present) - 1) / 2) * width for lv in part["level"]]
        ax.bar(xs, part["growth_pct"], width=width * 0.95, color=PALETTE[i % len(PALETTE)],
               label=place_labels(plans, present, lang)[county])
        for x, (_, r) in zip(xs, part.iterrows()):
            v = float(r["growth_pct"])
            # a label on every bar (a 0 % bar is otherwise invisible, and reads as missing), clear of the
            # floor marker and of a finding's [n]
            flagged = findings is not None and findings.hits(r["source_file"], r["lines"])
            gap = 2 + (6 if r["comparator"] in FLOOR + CEILING else 0) + (16 if flagged else 0)
            ax.annotate(f"{v:+.0f}" if round(v) != 0 else "0", (x, v), xytext=(0, gap if v >= 0 else -gap),
                        textcoords="offset points", ha="center", va="bottom" if v >= 0 else "top", fontsize=6,
                        color="#333333")
            if r["comparator"] in FLOOR + CEILING:
                ax.plot([x], [v], marker="^" if r["comparator"] in FLOOR else "v", color="#333333", ms=6, ls="")
                comparators.append(r["comparator"])
            if findings is not None:
                findings.mark(ax, x, v, r["source_file"], r["lines"])
    ax.axhline(0, color="#333333", lw=0.8)
    ax.margins(y=0.12)
    ax.set_xticks(range(len(levels)), [level_label(lv, lang) for lv in levels])
    ax.set_ylabel(_t(lang, "growth").format(span=spans))
    handles, _ = ax.get_legend_handles_labels()
    _floor_handles(handles, comparators, lang, vertical=True)
    return fig, handles


def _growth_ranked(growth, levels, plans, lang, findings, spans) -> tuple[Figure, list]:
    """Many places: a column per level (small multiples) sharing one row per place, ranked by the first level's
    growth (see :func:`_shared_order`); the names once at the left, values read off the axis (and in the CSV)."""
    from matplotlib.collections import LineCollection

    # each level's rows visited ranked by its own growth, as the findings are numbered in that order
    parts = [growth[growth["level"] == level].drop_duplicates("county").sort_values(
        ["growth_pct", "county"], ascending=[False, True]) for level in levels]
    order = _shared_order(parts, value=lambda part: part["growth_pct"])
    row_of = {c: i for i, c in enumerate(order)}
    n = max(len(order), 1)
    fig = Figure(figsize=(WIDTH_IN, 2.2 + ROW_IN_MANY * n), layout="constrained")
    axes = fig.subplots(1, max(len(levels), 1), squeeze=False).ravel().tolist()
    names = place_labels(plans, growth["county"].unique(), lang)
    comparators = []
    for i, (ax, level, part) in enumerate(zip(axes, levels, parts)):
        ax.axvline(0, color="#333333", lw=0.8)
        # stems and markers of a kind drawn in one call each (hundreds of rows: one artist apiece cost seconds)
        stems, points = [], {}
        for r in _records(part):
            v, y = float(r["growth_pct"]), row_of[r["county"]]
            stems.append([(0, y), (v, y)])
            points.setdefault(_target_marker(r["comparator"]), []).append((v, y))
            comparators.append(r["comparator"])
            if findings is not None:
                findings.mark(ax, v, y, r["source_file"], r["lines"])
        if stems:
            ax.add_collection(LineCollection(stems, colors=PALETTE[0], linewidths=0.6, alpha=0.5, zorder=2,
                                             capstyle="projecting"), autolim=True)
        for marker, xy in points.items():
            xs, hs = zip(*xy)
            ax.scatter(xs, hs, s=12, color=PALETTE[0], marker=marker, zorder=3)
        if i == 0:
            ax.set_yticks(range(len(order)), [names[c] for c in order])
        else:
            ax.set_yticks([])
        _thin_rows(ax, len(order))
        ax.tick_params(axis="x", labelsize=6)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.set_ylim(n - 0.4, -0.6)
        ax.margins(x=0.15)
        ax.set_title(wrap_title(level_label(level, lang), columns=max(8, int(WIDTH_IN / len(axes) * 15))),
                     fontsize=7, y=1.0)
        ax.set_xlabel("%", fontsize=7)
    handles = _comparator_legend(axes[0], comparators, lang, fig=fig, dumbbell=False)
    fig.planlib_unlabelled = True
    fig.planlib_axis_note = _t(lang, "growth").format(span=spans)
    return fig, handles


def compare_growth(targets, indicators, counties: Sequence[str], *, plans=None, lang="zh", derived=None,
                   checks=None) -> Figure:
    """Growth of enrolment by level, the plan's base year → end year in %, one bar per place (from `derived`)."""
    growth = growth_table(targets, indicators, counties, plans=plans, derived=derived)
    if growth.empty:  # the title still names the plans' own years
        return no_data_figure(_t(lang, "compare_growth_span").format(
            span=period_span(plans, counties) or _t(lang, "base_end")), lang)
    findings = _comparison_findings(checks, lang, counties)
    levels = sorted(growth["level"].unique(), key=_level_order)
    present = [c for c in counties if c in set(growth["county"])]
    spans = "/".join(sorted({f"{int(a)}→{int(b)}" for a, b in zip(growth["start_year"], growth["end_year"])}))
    if len(counties) > MANY_PLACES:
        fig, handles = _growth_ranked(growth, levels, plans, lang, findings, spans)
    else:
        fig, handles = _growth_bars(growth, levels, present, plans, lang, findings, spans)
    lines = growth.assign(line=growth["lines"].str.split(";")).explode("line")
    ranked = (_ranked_note(lang, "ranked_growth", getattr(fig, "planlib_unlabelled", False))
              + ("；" if lang == "zh" else "; ") + fig.planlib_axis_note if len(counties) > MANY_PLACES else "")
    _finish(fig, _t(lang, "compare_growth_span").format(span=spans),
            _join_notes(ranked, caption(lines, lang), findings.note() if findings else ""), legend=handles)
    d = _derived(targets, indicators, plans, derived)
    d = d[(d["derived_id"] == "growth_pct") & d["county"].isin(present)]
    d = d.merge(growth[["county", "indicator_id", "level"]], on=["county", "indicator_id", "level"])
    return _attach(fig, _derived_rows(d, "growth", "growth_pct", plans, lang, targets), findings)


def compare_funding(targets, indicators, counties: Sequence[str], *, plans=None, lang="zh", derived=None,
                    checks=None, national=None) -> Figure:
    """Funding measures places state alike: budget shares (dumbbells), and the derived yearly mean of a
    cumulative total and money per pupil (bars in 亿元/年 and 元/人/年). A measure only one place has is
    titled as that place's figure, not as a comparison."""
    from ..build.derived import ANNUAL_MEAN, PER_PUPIL

    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[(rows["domain"] == "funding") & rows["unit"].isin(RATE_UNITS) & (rows["basis"] == "point")]
    rate_keys = sorted(_shared(rows, counties), key=lambda k: (_level_order(k[1]), k[0]))[:4]
    d = _derived(targets, indicators, plans, derived)
    d = d[d["county"].isin(counties) & d["derived_id"].isin([ANNUAL_MEAN, PER_PUPIL])]
    d = d[d["unit"].isin(["元/年", "元/人/年", "元/人"])]
    money_panels = [(k, g) for k, g in d.groupby(["derived_id", "indicator_id", "unit"], sort=True)]
    # amounts two or more places state alike (学生资助 2016–2020 累计), not already shown as a yearly mean
    amounts = _labelled(targets[targets["county"].isin(counties)], indicators)
    amounts = amounts[(amounts["domain"] == "funding") & (amounts["measure_type"] == "money") & (amounts["unit"] == "元")
                      & amounts["basis"].isin(["point", "cumulative"])
                      & ~(amounts["indicator_id"].isin(set(d["indicator_id"])) & (amounts["basis"] == "cumulative"))]
    for key in _shared(amounts, counties)[:3]:
        ind, level, basis, unit, _mtype, span = key
        keyed = _with_key_columns(amounts)
        part = amounts[(keyed["indicator_id"] == ind) & (keyed["level"] == level) & (keyed["basis"] == basis)
                       & (keyed["_span"] == span)]
        picked = part.assign(_prose=(part["source"] != "table").astype(int)).sort_values(
            ["county", "year", "_prose", "line"], ascending=[True, False, True, True]).drop_duplicates("county")
        g = pd.DataFrame({"county": picked["county"], "derived_id": "stated", "indicator_id": ind, "level": level,
                          "year": picked["year"], "span_start": picked["span_start"], "span_end": picked["span_end"],
                          "value": picked["value"].astype(float), "unit": "元", "comparator": picked["comparator"],
                          "method": "", "inputs": [f"{f}:{int(ln)}" for f, ln in zip(picked["source_file"], picked["line"])],
                          "_basis": basis})
        money_panels.append((("stated", ind, basis), g))
    title = _t(lang, "compare_funding")
    if not rate_keys and not money_panels:
        return no_data_figure(title, lang, message=_t(lang, "not_shared"))
    findings = _comparison_findings(checks, lang, counties)
    n = len(rate_keys) + len(money_panels)
    many = len(counties) > MANY_PLACES
    # each panel as tall as its own rows: a measure five places give is not drawn a hundred rows high
    heights = [rows[(rows["indicator_id"] == k[0]) & (rows["level"] == k[1])]["county"].nunique() for k in rate_keys]
    heights += [g["county"].nunique() for _, g in money_panels]
    row_in = ROW_IN_MANY if many else 0.4
    rate_parts = [rows[(rows["indicator_id"] == k[0]) & (rows["level"] == k[1])] for k in rate_keys]
    rate_ends = [_place_order(_endpoints(part, plans), counties, many) for part in rate_parts]
    if many:  # the measures side by side, one row per place shared by all (see _compare_rows)
        money_sorted = [g.sort_values(["value", "county"], ascending=[False, True]) for _, g in money_panels]
        order = _shared_order(rate_ends + money_sorted, value=lambda f: _end_value(f) if "target" in f else f["value"])
        row_of = {c: i for i, c in enumerate(order)}
        fig = Figure(figsize=(WIDTH_IN, 2.8 + ROW_IN_MANY * max(len(order), 1)), layout="constrained")
        axes = fig.subplots(1, n, squeeze=False).ravel().tolist()
    else:
        order, row_of = [], {}
        fig = Figure(figsize=(WIDTH_IN, 1.8 + sum(row_in * max(h, 1) + 1.1 for h in heights)), layout="constrained")
        axes = fig.subplots(n, 1, squeeze=False,
                            height_ratios=[row_in * max(h, 1) + 1.1 for h in heights]).ravel().tolist()
    title_size = 6.5 if many else 9
    wrap = (lambda text: "\n".join(wrap_title(t, max(8, int(WIDTH_IN / n * 15))) for t in text.split("\n"))) \
        if many else (lambda text: text)

    def place_rows(ax, first: bool) -> None:
        """Many places: the shared rows, named on the first column only."""
        if first:
            ax.set_yticks(range(len(order)), [places.get(c, c) for c in order])
        else:
            ax.set_yticks([])
        _thin_rows(ax, len(order))
        ax.set_ylim(max(len(order), 1) - 0.4, -0.6)
        ax.tick_params(axis="x", labelsize=6, labelrotation=40)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("right")
            label.set_rotation_mode("anchor")

    national = _national_for(national, plans, counties)
    places = place_labels(plans, counties, lang)
    data, comparators, cited = [], [], []
    unlabelled = many
    measure_axes = iter(axes)
    for key, part, ends in zip(rate_keys, rate_parts, rate_ends):
        ax = next(measure_axes)
        ind, level, basis, unit, mtype, _span = key
        if many:
            _dumbbells(ax, [row_of[c] for c in ends["county"]], _records(ends), color=PALETTE[0], size=10,
                       lw=1.0, findings=findings)
            cited += _national_line(ax, national, ind, lang)
            place_rows(ax, ax is axes[0])
            ax.xaxis.set_major_locator(MaxNLocator(3))
        else:
            cited += _dumbbell_panel(ax, ends, lang, places=places, label_by="place", national=national,
                                     findings=findings, legend=False, compact=many)
        comparators += list(ends["target_comparator"])
        ax.set_title(wrap(_name(part.iloc[0], lang, True)), fontsize=title_size, y=1.0)
        ax.set_xlabel(_t(lang, "pct"), fontsize=7 if many else 8)
        _min_span(ax, 10)
        data += _value_rows(ends, "funding", f"{ind}|{level}|{basis}|{unit}", plans, lang)
    name_of = dict(zip(indicators["indicator_id"], indicators["label_en" if lang == "en" else "indicator_zh"]))
    for (derived_id, ind, unit), g in money_panels:
        ax = next(measure_axes)
        if many:
            g = g.sort_values(["value", "county"], ascending=[False, True]).reset_index(drop=True)
        else:
            g = g.set_index("county").reindex([c for c in counties if c in set(g["county"])]).reset_index()
        span = "/".join(sorted({f"{int(a)}–{int(b)}" for a, b in zip(g["span_start"], g["span_end"])
                                if pd.notna(a) and pd.notna(b)}))
        if derived_id == "stated":
            values, unit_label = _scaled_amounts(g["value"].astype(float), "元", lang)
            basis = g.iloc[0]["_basis"]
            panel_title = (f"{_t(lang, 'cumulative')}（{span}）" if lang == "zh" else f"{_t(lang, 'cumulative')} ({span})") \
                if basis == "cumulative" else "/".join(sorted({f"{int(y)}{_t(lang, 'year')}" for y in g["year"].dropna()}))
        elif derived_id == ANNUAL_MEAN:
            values, unit_label = g["value"] / 1e8, _t(lang, "per_year")
            panel_title = _t(lang, "annual_mean").format(span=span)
        else:
            values, unit_label = g["value"].astype(float), _t(lang, "yuan_per_pupil") if unit != "元/人" else "元/人"
            years = "/".join(sorted({str(int(y)) for y in g["year"].dropna()}))
            panel_title = _t(lang, "per_pupil").format(span=span or years, year=years)
        panel_title = f"{name_of.get(ind, ind)}\n{panel_title}"
        if len(g) == 1:
            only = _t(lang, "only_one").format(place=places.get(g.iloc[0]["county"], g.iloc[0]["county"]))
            panel_title += f"\n{only}"
        ys = [row_of[c] for c in g["county"]] if many else list(range(len(g)))
        ax.barh(ys, values, color=PALETTE[1], height=0.6)
        labelled = not many  # many places: read off the axis (each value in the CSV)
        for y, v, c, (_, r) in zip(ys, values, g["comparator"], g.iterrows()):
            if labelled:
                ax.text(v, y, f" {_cmp_prefix(c)}{_bar_label(v)}", va="center", fontsize=5 if many else 7)
            comparators.append(c)
            if findings is not None:
                first = str(r["inputs"]).split(";")[0].rsplit(":", 1)
                findings.mark(ax, v, y, first[0], ";".join(p.rsplit(":", 1)[1] for p in str(r["inputs"]).split(";")))
        if many:
            place_rows(ax, ax is axes[0])
            ax.xaxis.set_major_locator(MaxNLocator(3))
        else:
            ax.set_yticks(ys, [places.get(c, c) for c in g["county"]])
            ax.set_ylim(len(ys) - 0.4, -0.6)
        ax.set_xlim(0, max(values) * (1.1 if many else 1.3) if len(values) else 1)
        ax.set_xlabel(unit_label, fontsize=7 if many else 8)
        ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
        ax.set_title(wrap(panel_title), fontsize=title_size, y=1.0)
        rows_here = _derived_rows(g, "funding", f"{derived_id}|{ind}|{unit}", plans, lang, targets)
        if derived_id == "stated":  # an amount as stated: its own basis, its words as the quote
            for row in rows_here:
                row.update(basis=g.iloc[0]["_basis"], series="baseline", quote=row["quote"].replace(" ← ", "", 1))
        data += rows_here
    handles = _comparator_legend(axes[0], comparators, lang, fig=fig, dumbbell=bool(rate_keys))
    used = pd.DataFrame(data)
    lines = used.assign(line=used["line"].str.split(";"), source_file=used["source_file"].str.split(";").str[0])
    lines = lines.explode("line")
    lines = lines[lines["line"].str.isdigit()].assign(line=lambda x: x["line"].astype(int))
    note = _with_national_sources(caption(lines, lang), list(dict.fromkeys(cited)), lang)
    # each amount in the plan's own words: what a total covers (全市基础教育投入 vs 累计教育投入) is read there
    words = [f"{_place(plans, r['county'], lang)}“{r['quote'].split(' ← ', 1)[1]}”" for r in data
             if r.get("basis") == "derived" and " ← " in str(r.get("quote"))]
    words += [f"{_place(plans, r['county'], lang)}“{r['quote']}”" for r in data
              if str(r.get("panel", "")).startswith("stated|") and r.get("quote")]
    if words and not many:  # many places: each amount's words are in the CSV's quote column
        note = _join_notes(note, _t(lang, "as_stated") + _sep(lang) + "; ".join(dict.fromkeys(words)))
    if many:
        note = _join_notes(_ranked_note(lang, "ranked_rows", unlabelled), note)
    _finish(fig, title, _join_notes(note, findings.note() if findings else ""), legend=handles)
    return _attach(fig, data, findings)


INSTRUMENT_WORDS = {"zh": {"title": "政策工具：各地句子占比", "share": "句子占比（%）", "source": "按句计（每句每类只计一次），各地的（句，类）对数"},
                    "en": {"title": "Policy instruments: share of sentences by place", "share": "Share of sentences (%)",
                           "source": "counted by sentence, once per instrument; (sentence, instrument) pairs per place",
                           "supply": "supply",
                           "environment": "environment", "demand": "demand"}}


def instrument_shares(shares: pd.DataFrame, *, plans: pd.DataFrame | None = None, lang: str = "zh",
                      categories: dict[str, str] | None = None) -> Figure:
    """Stacked bars of policy-instrument shares per place (``textmine.instrument_shares``: county, category,
    sentences, share), place names from ``plans``, category names in ``lang`` (Chinese from the dictionary)."""
    words = INSTRUMENT_WORDS.get(lang, INSTRUMENT_WORDS["zh"])
    if shares is None or shares.empty:
        return no_data_figure(words["title"], lang)
    names = categories or {}
    order = list(dict.fromkeys([c for c in names if c in set(shares["category"])] + sorted(set(shares["category"]))))
    places = sorted(shares["county"].unique())
    fig, (ax,) = _figure(1, height=1.6 + 0.45 * len(places))
    left = [0.0] * len(places)
    for i, cat in enumerate(order):
        part = shares[shares["category"] == cat].set_index("county")
        values = [100 * float(part["share"].get(c, 0.0)) for c in places]
        label = words.get(cat, cat) if lang == "en" else names.get(cat, cat)
        ax.barh(range(len(places)), values, left=left, color=PALETTE[i % len(PALETTE)], label=label, height=0.6)
        for y, (x0, v) in enumerate(zip(left, values)):
            if v >= 6:
                ax.text(x0 + v / 2, y, f"{v:.0f}", ha="center", va="center", fontsize=7, color="white")
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(range(len(places)), [_place(plans, c, lang) for c in places])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(words["share"])
    handles, _ = ax.get_legend_handles_labels()
    n = shares.groupby("county")["sentences"].sum()
    note = ("；" if lang == "zh" else "; ").join(f"{_place(plans, c, lang)} {int(n[c])}" for c in places)
    _finish(fig, words["title"], f"{words['source']}{_sep(lang)}{note}", legend=handles)
    return _attach(fig, [{"figure": "instruments", "panel": r["category"], "county": r["county"],
                          "place": _place(plans, r["county"], lang), "series": r["category"],
                          "value": float(r["share"]), "unit": "share", "basis": "sentences"}
                         for _, r in shares.iterrows()])


#: The comparison's figures, in report order: file stem -> function.
COMPARISON_FIGURES = {
    "enrollment": compare_enrollment,
    "rates": compare_rates,
    "growth": compare_growth,
    "teachers": compare_teachers,
    "funding": compare_funding,
}


# ---------------------------------------------------------------------------------------------
# saving


def settle_layout(fig: Figure, dpi: int = 150) -> Figure:
    """Work out a figure's constrained layout now, at the resolution its PNG is saved at, and keep it.

    ``savefig`` then draws each format once: with a layout engine set it first draws the whole figure
    without output, for the PNG and again for the SVG, and a figure of a hundred places' names is mostly
    text, measured on every pass. Run once, the layout puts the axes where savefig's first pass did (its
    later passes left them there). Call it when the figure is complete: it is not laid out again.
    """
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        return fig
    shown = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        engine.execute(fig)
    finally:
        fig.set_dpi(shown)
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    return fig


#: zlib level of the PNGs: 3 compresses a figure's flat colours as well as the default 6 in half the time
PNG_COMPRESS_LEVEL = 3


def png_bytes(fig: Figure, dpi: int = 150) -> bytes:
    """The figure drawn once by Agg at ``dpi`` (its layout engine, if any, run in that draw) as PNG bytes.

    Written by Pillow rather than ``savefig``: without an alpha channel when every pixel is opaque (a quarter
    less to compress) and at :data:`PNG_COMPRESS_LEVEL`; no metadata but the resolution, so the same figure
    gives the same bytes. Encoding was an eighth of a county report's time.
    """
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    shown = fig.get_dpi()
    fig.set_dpi(dpi)
    try:
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        rgba = np.asarray(canvas.buffer_rgba())
    finally:
        fig.set_dpi(shown)
    image = Image.fromarray(np.ascontiguousarray(rgba[..., :3]) if (rgba[..., 3] == 255).all() else rgba)
    buf = io.BytesIO()
    image.save(buf, format="png", compress_level=PNG_COMPRESS_LEVEL, dpi=(dpi, dpi))
    return buf.getvalue()


def save_figure(fig: Figure, path_without_ext: str | Path, dpi: int = 150, svg: bool = True) -> list[Path]:
    """Write ``<path>.png``, ``<path>.svg`` (if ``svg``) and ``<path>.csv`` (the plotted values with their source lines).

    Fixed metadata: the same data gives the same bytes. A figure with a layout engine (constrained: several
    passes over every label) is laid out once, in the PNG's one draw, and the SVG reuses it; a stacked county
    figure was placed when it was finished (:func:`_stack_layout`). The SVG
    draws every glyph as a path, a third of a county report's CPU: a batch asks for it only when wanted,
    and without it an SVG left by an earlier run is removed (it would show older data than the PNG).
    """
    base = Path(path_without_ext)
    base.parent.mkdir(parents=True, exist_ok=True)
    png, svg_path, csv = base.with_suffix(".png"), base.with_suffix(".svg"), base.with_suffix(".csv")
    engine = fig.get_layout_engine()
    png.write_bytes(png_bytes(fig, dpi))
    with matplotlib.rc_context({"svg.hashsalt": "planlib", "svg.fonttype": "path"}):
        if svg:
            if engine is not None:
                fig.set_layout_engine("none")  # keep the axes where the PNG's layout put them
            try:
                fig.savefig(svg_path, metadata={"Date": None, "Creator": None})
            finally:
                if engine is not None:
                    fig.set_layout_engine(engine)
    if svg:
        svg_path.write_text(_stable_svg_ids(svg_path.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        svg_path.unlink(missing_ok=True)
    figure_data(fig).to_csv(csv, index=False, encoding="utf-8-sig", lineterminator="\n")
    return [png, svg_path, csv] if svg else [png, csv]


def _stable_svg_ids(text: str) -> str:
    """Number clip-path ids by first use: matplotlib hashes float bounds whose last digits can vary between runs.

    >>> _stable_svg_ids('<clipPath id="pa1b2c3d4e5"/><g clip-path="url(#pa1b2c3d4e5)"/>')
    '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>'
    """
    ids: dict[str, str] = {}
    for match in re.finditer(r"\b(p[0-9a-f]{10})\b", text):
        ids.setdefault(match.group(1), f"clip{len(ids) + 1}")
    return re.sub(r"\b(p[0-9a-f]{10})\b", lambda m: ids[m.group(1)], text) if ids else text
