"""Figures from tidy tables: each function takes frames and returns a matplotlib Figure (no I/O, no parsing).

Every figure carries its own caption (the source lines it drew on), so a figure copied
out of a report can still be cited. Which indicators go where follows the indicator
dictionary (domain, level, unit), never a list of ids, so a new plan needs no code change.
Call :func:`planlib.fonts.setup_fonts` (or ``use_style``) before drawing.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib
import pandas as pd
from matplotlib.figure import Figure  # Figure objects, not pyplot: no global state, no backend needed
from matplotlib.ticker import FuncFormatter

from .schema import LEVELS

RATE_UNITS = ("%",)
PALETTE = ("#1f5a99", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b")
OTHERS_COLOR = "#9aa5b1"
NATIONAL_COLOR = "#c0392b"
WIDTH_IN = 8.0

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
           "target": "目标", "others": "其他地区", "persons": "人数（人）", "growth": "2020→2025 增长（%）",
           "enrollment": "各学段在校生（在园）人数", "rates": "主要入学率：基期 → 目标",
           "teachers": "教师队伍目标", "funding": "教育经费", "schools": "学校建设（按学段）",
           "compare_rates": "主要比率：各地基期 → 目标", "compare_growth": "在校生规模增长（2020→2025，%）",
           "year": "年", "no_year": "未注明年份", "pct": "比例（%）", "value": "数值"},
    "en": {"no_data": "No data in this plan", "source": "Source", "national": "National 14th FYP target",
           "baseline": "baseline", "target": "target", "others": "other places", "persons": "Persons",
           "growth": "Growth 2020→2025 (%)", "enrollment": "Enrolment by level", "rates": "Key rates: baseline → target",
           "teachers": "Teacher targets", "funding": "Education funding", "schools": "School construction by level",
           "compare_rates": "Key rates by place: baseline → target",
           "compare_growth": "Enrolment growth 2020→2025 (%)", "year": "", "no_year": "no year stated", "pct": "Share (%)", "value": "Value"},
}
UNIT_LABELS = {
    "zh": {"人": "人", "名": "人", "所": "所", "个": "个", "元": "元", "亿元": "亿元", "万元": "万元", "%": "%"},
    "en": {"人": "persons", "名": "persons", "所": "schools", "个": "units", "元": "yuan", "亿元": "100 million yuan",
           "万元": "10,000 yuan", "%": "%", "年": "years", "人次": "person-times", "班": "classes",
           "平方米": "m²", "m2": "m²", "pp": "percentage points", "岁": "years of age", "台": "units", "间": "rooms"},
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
    parts = []
    for source_file, group in rows.dropna(subset=["line"]).groupby("source_file", sort=True):
        lines = sorted({int(x) for x in group["line"]})
        parts.append(f"{Path(str(source_file)).name}: {', '.join(str(x) for x in lines)}")
    sep = "：" if lang == "zh" else ": "
    return f"{_t(lang, 'source')}{sep}{'; '.join(parts)}"


# ---------------------------------------------------------------------------------------------
# selecting rows


def _labelled(targets: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Targets with a name (both languages), the dictionary's unit and one level per row."""
    ind = indicators[["indicator_id", "indicator_zh", "label_en", "unit", "level"]].rename(
        columns={"indicator_zh": "name_zh", "unit": "ind_unit", "level": "ind_level"})
    rows = targets[targets["indicator_id"].notna() & targets["kind"].isin(["baseline", "target"])]
    rows = rows.merge(ind, on="indicator_id", how="inner")
    rows["unit"] = rows["unit"].fillna(rows["ind_unit"]).fillna("")
    rows["level"] = rows["level"].fillna(rows["ind_level"]).fillna("")
    # a number may be stated twice (indicator table and prose): keep the table's, then the first line
    rows = rows.assign(_pref=(rows["source"] != "table").astype(int))
    rows = rows.sort_values(["county", "indicator_id", "level", "kind", "year", "_pref", "line"], na_position="last")
    rows = rows.drop_duplicates(["county", "indicator_id", "level", "kind", "year", "unit"]).drop(columns="_pref")
    return rows.reset_index(drop=True)


def _name(row, lang: str, with_level: bool = False) -> str:
    name = row["label_en"] if lang == "en" else row["name_zh"]
    if with_level and row["level"] and row["level"] != row["ind_level"]:
        name = f"{name} · {level_label(row['level'], lang)}"
    return str(name)


def _place(plans: pd.DataFrame | None, county: str, lang: str) -> str:
    if plans is not None and not plans.empty:
        hit = plans[plans["county"] == county]
        if not hit.empty:
            value = hit.iloc[0]["name_en" if lang == "en" else "name_zh"]
            if isinstance(value, str) and value:
                return value
    return county


def _level_order(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def _endpoints(rows: pd.DataFrame) -> pd.DataFrame:
    """One line per (county, indicator, level): latest baseline and latest target, with the lines cited."""
    out = []
    for key, group in rows.groupby(["county", "indicator_id", "level"], sort=False):
        base = group[group["kind"] == "baseline"].sort_values("year", na_position="first")
        targ = group[group["kind"] == "target"].sort_values("year", na_position="first")
        out.append({
            "county": key[0], "indicator_id": key[1], "level": key[2],
            "name_zh": group.iloc[0]["name_zh"], "label_en": group.iloc[0]["label_en"],
            "ind_level": group.iloc[0]["ind_level"], "unit": group.iloc[0]["unit"],
            "baseline": float(base.iloc[-1]["value"]) if len(base) else None,
            "baseline_year": base.iloc[-1]["year"] if len(base) else None,
            "target": float(targ.iloc[-1]["value"]) if len(targ) else None,
            "target_year": targ.iloc[-1]["year"] if len(targ) else None,
        })
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------------
# figure scaffolding


def _figure(n_panels: int = 1, height: float = 4.5, *, ncols: int | None = None) -> tuple[Figure, list]:
    ncols = ncols or n_panels
    nrows = -(-n_panels // ncols)
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel().tolist()
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def _finish(fig: Figure, title: str, note: str) -> Figure:
    """Title on top; the note (sources) wrapped along the bottom, inside the image."""
    fig.suptitle(title, fontsize=13)
    wrapped = wrap_note(note, columns=int(fig.get_figwidth() * 17))
    if wrapped:
        n_lines = wrapped.count("\n") + 1
        height = fig.get_figheight()
        margin = min(0.45, (0.18 * n_lines + 0.15) / height)
        fig.get_layout_engine().set(rect=(0, margin, 1, 1 - margin))
        fig.text(0.01, 0.01, wrapped, fontsize=7, color="#444444", ha="left", va="bottom")
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


def no_data_figure(title: str, lang: str = "zh", note: str = "") -> Figure:
    """A figure that says plainly that the plan gives nothing to draw."""
    fig, (ax,) = _figure(1, height=2.5)
    ax.set_axis_off()
    ax.text(0.5, 0.5, _t(lang, "no_data"), ha="center", va="center", fontsize=14, color="#666666",
            transform=ax.transAxes)
    return _finish(fig, title, note)


def _thousands(x, _pos=None) -> str:
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:g}"


def _scaled_amounts(values: pd.Series, unit: str, lang: str) -> tuple[pd.Series, str]:
    """Yuan shown in 亿元 or 万元 so axes stay readable."""
    if unit == "元" and values.abs().max() >= 1e8:
        return values / 1e8, UNIT_LABELS[lang]["亿元"]
    if unit == "元" and values.abs().max() >= 1e4:
        return values / 1e4, UNIT_LABELS[lang]["万元"]
    return values, UNIT_LABELS.get(lang, UNIT_LABELS["zh"]).get(unit, unit)


def _bar_panel(ax, rows: pd.DataFrame, lang: str, unit: str) -> None:
    """Horizontal bars per indicator (and level), one bar per year and kind."""
    rows = rows.copy()
    rows["label"] = [_name(r, lang, with_level=True) for _, r in rows.iterrows()]
    rows["series"] = [f"{_t(lang, 'no_year') if pd.isna(y) else str(int(y)) + _t(lang, 'year')} {_t(lang, k)}".strip()
                      for y, k in zip(rows["year"], rows["kind"])]
    rows["value_shown"], unit_label = _scaled_amounts(rows["value"].astype(float), unit, lang)
    rows = rows.sort_values(["year", "kind", "line"], na_position="last")
    # the same indicator stated twice (e.g. two levels of recognition): number the repeats, never overdraw
    repeat = rows.groupby(["label", "series"]).cumcount()
    rows["label"] = [lab if k == 0 else f"{lab} ({k + 1})" for lab, k in zip(rows["label"], repeat)]
    labels = list(dict.fromkeys(rows.sort_values(["level"], key=lambda s: s.map(_level_order))["label"]))
    series = list(dict.fromkeys(rows["series"]))
    height = 0.8 / max(1, len(series))
    for i, name in enumerate(series):
        part = rows[rows["series"] == name]
        ys = [labels.index(lab) + (i - (len(series) - 1) / 2) * height for lab in part["label"]]
        hatch = "//" if (part["kind"] == "target").all() else None
        ax.barh(ys, part["value_shown"], height=height * 0.95, color=PALETTE[i % len(PALETTE)], hatch=hatch,
                edgecolor="white", label=name)
        for y, v in zip(ys, part["value_shown"]):
            ax.text(v, y, f" {_thousands(v)}", va="center", fontsize=7)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit_label)
    positive = rows["value_shown"][rows["value_shown"] > 0]
    if len(positive) > 1 and positive.max() / positive.min() > 200:  # 5 beside 94,500: log scale keeps both visible
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.margins(x=0.15)
    ax.legend(fontsize=7, loc="best")


def _dumbbell_panel(ax, ends: pd.DataFrame, lang: str, *, focus: str | None = None,
                    national: pd.DataFrame | None = None, places: dict[str, str] | None = None,
                    label_by: str = "indicator") -> list[str]:
    """Baseline → target per row; the focus place in colour, the others grey and smaller.

    Returns the national sources drawn, for the figure note.
    """
    places = places or {}
    if label_by == "indicator":
        keys = list(dict.fromkeys(zip(ends["indicator_id"], ends["level"])))
        labels = [_name(ends[(ends["indicator_id"] == i) & (ends["level"] == lv)].iloc[0], lang, True) for i, lv in keys]
        groups = [ends[(ends["indicator_id"] == i) & (ends["level"] == lv)] for i, lv in keys]
    else:  # one row per place
        keys = list(dict.fromkeys(ends["county"]))
        labels = [places.get(c, c) for c in keys]
        groups = [ends[ends["county"] == c] for c in keys]
    cited: list[str] = []
    drew_national = False
    for y, group in enumerate(groups):
        others = group[group["county"] != focus] if focus else group.iloc[0:0]
        mine = group[group["county"] == focus] if focus else group
        for k, (_, r) in enumerate(others.iterrows()):
            dy = 0.12 + 0.28 * k / max(1, len(others))
            _dumbbell(ax, y + dy, r, color=OTHERS_COLOR, size=18, lw=1)
            x = r["target"] if r["target"] is not None and pd.notna(r["target"]) else r["baseline"]
            ax.text(x, y + dy, f" {places.get(r['county'], r['county'])}", fontsize=6, color="#555555", va="center")
        for _, r in mine.iterrows():
            _dumbbell(ax, y, r, color=PALETTE[0], size=55, lw=2.5, annotate=True)
        if national is not None and not national.empty and label_by == "indicator":
            hit = national[national["indicator_id"] == group.iloc[0]["indicator_id"]]
            if not hit.empty:
                nat = hit.iloc[0]
                ax.plot([nat["value"]] * 2, [y - 0.4, y + 0.45], color=NATIONAL_COLOR, ls="--", lw=1.2,
                        label=None if drew_national else _t(lang, "national"))
                drew_national = True
                cited.append(str(nat["source"]))
    if national is not None and not national.empty and label_by == "place" and len(ends):
        hit = national[national["indicator_id"] == ends.iloc[0]["indicator_id"]]
        if not hit.empty:
            ax.axvline(hit.iloc[0]["value"], color=NATIONAL_COLOR, ls="--", lw=1.2, label=_t(lang, "national"))
            cited.append(str(hit.iloc[0]["source"]))
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(len(labels) - 0.4, -0.6)
    ax.margins(x=0.12)
    ax.scatter([], [], s=40, facecolor="white", edgecolor=PALETTE[0], label=_t(lang, "baseline"))
    ax.scatter([], [], s=40, color=PALETTE[0], label=_t(lang, "target"))
    if focus and len(ends[ends["county"] != focus]):
        ax.scatter([], [], s=18, color=OTHERS_COLOR, label=_t(lang, "others"))
    ax.legend(fontsize=7, loc="best")
    return list(dict.fromkeys(cited))


def _dumbbell(ax, y, r, *, color, size, lw, annotate=False) -> None:
    b, t = r["baseline"], r["target"]
    has_b = b is not None and pd.notna(b)
    has_t = t is not None and pd.notna(t)
    if has_b and has_t:
        ax.annotate("", xy=(t, y), xytext=(b, y), arrowprops={"arrowstyle": "-|>", "color": color, "lw": lw,
                                                               "shrinkA": 4, "shrinkB": 4})
    if has_b:
        ax.scatter([b], [y], s=size, facecolor="white", edgecolor=color, zorder=3, linewidths=1.5)
        if annotate:
            ax.text(b, y - 0.22, f"{b:g}", ha="center", fontsize=7, color=color)
    if has_t:
        ax.scatter([t], [y], s=size, color=color, zorder=3)
        if annotate:
            ax.text(t, y - 0.22, f"{t:g}", ha="center", fontsize=7, color=color)


def _county_rows(targets, indicators, county, domain) -> pd.DataFrame:
    rows = _labelled(targets[targets["county"] == county], indicators)
    return rows[rows["domain"] == domain]


def _title(lang: str, key: str, place: str) -> str:
    return f"{place}：{_t(lang, key)}" if lang == "zh" else f"{place}: {_t(lang, key)}"


# ---------------------------------------------------------------------------------------------
# county figures


def enrollment_by_level(targets: pd.DataFrame, indicators: pd.DataFrame, county: str, *,
                        plans: pd.DataFrame | None = None, lang: str = "zh") -> Figure:
    """Headcounts by level (preschool ... vocational) for every year the plan gives, baseline and target."""
    rows = _county_rows(targets, indicators, county, "enrollment")
    rows = rows[~rows["unit"].isin(RATE_UNITS) & rows["year"].notna()]
    title = _title(lang, "enrollment", _place(plans, county, lang))
    if rows.empty:
        return no_data_figure(title, lang)
    levels = sorted(rows["level"].unique(), key=_level_order)
    years = sorted(int(y) for y in rows["year"].unique())
    fig, (ax,) = _figure(1, height=4.8)
    width = 0.8 / len(years)
    for i, year in enumerate(years):
        part = rows[rows["year"] == year].groupby("level", as_index=False).agg(
            value=("value", "first"), kind=("kind", "first"))
        xs = [levels.index(lv) + (i - (len(years) - 1) / 2) * width for lv in part["level"]]
        is_target = (part["kind"] == "target").all()
        ax.bar(xs, part["value"].astype(float), width=width * 0.95, color=PALETTE[i % len(PALETTE)],
               hatch="//" if is_target else None, edgecolor="white",
               label=f"{year}{_t(lang, 'year')}{'（' + _t(lang, 'target') + '）' if is_target and lang == 'zh' else ' (target)' if is_target else ''}")
    ax.set_xticks(range(len(levels)), [level_label(lv, lang) for lv in levels])
    ax.set_ylabel(_t(lang, "persons"))
    ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.legend(fontsize=8)
    return _finish(fig, title, caption(rows, lang))


def rates(targets: pd.DataFrame, indicators: pd.DataFrame, county: str, *,
          plans: pd.DataFrame | None = None, national: pd.DataFrame | None = None, lang: str = "zh") -> Figure:
    """Enrolment rates baseline → target for this place, the other places beside it, national targets as lines."""
    rows = _labelled(targets, indicators)
    rows = rows[(rows["domain"] == "enrollment") & rows["unit"].isin(RATE_UNITS)]
    mine = rows[rows["county"] == county]
    title = _title(lang, "rates", _place(plans, county, lang))
    if mine.empty:
        return no_data_figure(title, lang)
    keys = set(zip(mine["indicator_id"], mine["level"]))
    shown = rows[[k in keys for k in zip(rows["indicator_id"], rows["level"])]]
    ends = _endpoints(shown)
    ends = ends.assign(_order=[(_level_order(lv), ind) for ind, lv in zip(ends["indicator_id"], ends["level"])])
    ends = ends.sort_values("_order", kind="stable").drop(columns="_order")
    places = {c: _place(plans, c, lang) for c in ends["county"].unique()}
    fig, (ax,) = _figure(1, height=1.2 + 0.9 * len(keys))
    cited = _dumbbell_panel(ax, ends, lang, focus=county, national=national, places=places)
    ax.set_xlabel(_t(lang, "pct"))
    note = caption(shown, lang)
    if cited:
        note += ("。" if lang == "zh" else ". ") + _t(lang, "national") + ("：" if lang == "zh" else ": ") + "; ".join(cited)
    return _finish(fig, title, note)


def _domain_figure(targets, indicators, county, domain, key, *, plans, lang) -> Figure:
    """Shares as a dumbbell panel, every other unit as its own bar panel."""
    rows = _county_rows(targets, indicators, county, domain)
    title = _title(lang, key, _place(plans, county, lang))
    if rows.empty:
        return no_data_figure(title, lang)
    shares = rows[rows["unit"].isin(RATE_UNITS)]
    # one panel per unit as shown (人 and 名 are both persons)
    shown_unit = UNIT_LABELS.get(lang, UNIT_LABELS["zh"])
    rows = rows.assign(unit=[u if u in RATE_UNITS or u == "元" else shown_unit.get(u, u) for u in rows["unit"]])
    units = [u for u in dict.fromkeys(rows["unit"]) if u not in RATE_UNITS]
    n_panels = (1 if len(shares) else 0) + len(units)
    n_rows_each = [len(set(zip(shares["indicator_id"], shares["level"])))] if len(shares) else []
    n_rows_each += [len(set(zip(rows[rows["unit"] == u]["indicator_id"], rows[rows["unit"] == u]["level"]))) for u in units]
    fig, axes = _figure(n_panels, height=1.5 + 0.55 * sum(n_rows_each) + 0.6 * n_panels, ncols=1)
    fig.get_layout_engine().set(h_pad=0.15)
    panels = iter(axes)
    if len(shares):
        ax = next(panels)
        _dumbbell_panel(ax, _endpoints(shares), lang, focus=county)
        ax.set_xlabel(_t(lang, "pct"))
    for unit in units:
        _bar_panel(next(panels), rows[rows["unit"] == unit], lang, unit)
    return _finish(fig, title, caption(rows, lang))


def teachers(targets, indicators, county, *, plans=None, lang="zh") -> Figure:
    """Teacher targets: key teachers, studios (counts) and qualification / dual-qualified shares."""
    return _domain_figure(targets, indicators, county, "teachers", "teachers", plans=plans, lang=lang)


def funding(targets, indicators, county, *, plans=None, lang="zh") -> Figure:
    """Education spending as a budget share, and amounts invested or paid in aid (yuan)."""
    return _domain_figure(targets, indicators, county, "funding", "funding", plans=plans, lang=lang)


def schools(targets, indicators, county, *, plans=None, lang="zh") -> Figure:
    """Schools and places to be built, by level."""
    return _domain_figure(targets, indicators, county, "schools", "schools", plans=plans, lang=lang)


#: The county report's figures, in report order: file stem -> function.
COUNTY_FIGURES = {
    "enrollment": enrollment_by_level,
    "rates": rates,
    "teachers": teachers,
    "funding": funding,
    "schools": schools,
}


# ---------------------------------------------------------------------------------------------
# comparison figures (rates and growth only: the places differ in scale)


def compare_rates(targets, indicators, counties: Sequence[str], *, indicator_ids: Iterable[str] | None = None,
                  plans=None, national=None, lang="zh", max_panels: int = 8) -> Figure:
    """One panel per rate indicator: every place's baseline → target, national target as a line.

    Without ``indicator_ids``: the rates at least two places give, most widely given first, at most ``max_panels``.
    """
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[rows["unit"].isin(RATE_UNITS)]
    if indicator_ids:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
    else:
        reach = rows.groupby(["indicator_id", "level"])["county"].nunique()
        reach = reach[reach >= min(2, len(counties))]
        ranked = sorted(reach.index, key=lambda k: (-reach[k], _level_order(k[1]), k[0]))[:max_panels]
        rows = rows[[k in set(ranked) for k in zip(rows["indicator_id"], rows["level"])]]
    title = _t(lang, "compare_rates")
    if rows.empty:
        return no_data_figure(title, lang)
    keys = sorted(set(zip(rows["indicator_id"], rows["level"], rows["domain"])),
                  key=lambda k: (k[2] != "enrollment", _level_order(k[1]), k[0]))
    places = {c: _place(plans, c, lang) for c in counties}
    ncols = 2 if len(keys) > 1 else 1
    nrows = -(-len(keys) // ncols)
    fig, axes = _figure(len(keys), height=1.0 + nrows * (0.45 * len(counties) + 1.0), ncols=ncols)
    cited: list[str] = []
    for ax, (ind, level, _domain) in zip(axes, keys):
        part = rows[(rows["indicator_id"] == ind) & (rows["level"] == level)]
        ends = _endpoints(part)
        ends = ends.set_index("county").reindex([c for c in counties if c in set(ends["county"])]).reset_index()
        cited += _dumbbell_panel(ax, ends, lang, national=national, places=places, label_by="place")
        ax.set_title(_name(part.iloc[0], lang, True), fontsize=9)
        ax.tick_params(labelsize=8)
        ax.get_legend().remove() if ax.get_legend() else None
    note = caption(rows, lang)
    cited = list(dict.fromkeys(cited))
    if cited:
        note += ("。" if lang == "zh" else ". ") + _t(lang, "national") + ("：" if lang == "zh" else ": ") + "; ".join(cited)
    return _finish(fig, title, note)


def growth_table(targets, indicators, counties: Sequence[str], start: int = 2020, end: int = 2025) -> pd.DataFrame:
    """Enrolment growth start → end in % per place and level, with the rows it rests on."""
    rows = _labelled(targets[targets["county"].isin(counties)], indicators)
    rows = rows[(rows["domain"] == "enrollment") & ~rows["unit"].isin(RATE_UNITS) & rows["year"].isin([start, end])]
    out = []
    for (county, ind, level), group in rows.groupby(["county", "indicator_id", "level"]):
        first = group[group["year"] == start]
        last = group[group["year"] == end]
        if first.empty or last.empty or float(first.iloc[0]["value"]) == 0:
            continue
        v0, v1 = float(first.iloc[0]["value"]), float(last.iloc[0]["value"])
        out.append({"county": county, "indicator_id": ind, "level": level, "start": v0, "end": v1,
                    "growth_pct": (v1 - v0) / v0 * 100, "source_file": first.iloc[0]["source_file"],
                    "lines": f"{int(first.iloc[0]['line'])};{int(last.iloc[0]['line'])}"})
    return pd.DataFrame(out, columns=["county", "indicator_id", "level", "start", "end", "growth_pct",
                                      "source_file", "lines"])


def compare_growth(targets, indicators, counties: Sequence[str], *, plans=None, lang="zh",
                   start: int = 2020, end: int = 2025) -> Figure:
    """Growth of enrolment by level, start → end in %, one bar per place."""
    growth = growth_table(targets, indicators, counties, start, end)
    title = _t(lang, "compare_growth")
    if growth.empty:
        return no_data_figure(title, lang)
    levels = sorted(growth["level"].unique(), key=_level_order)
    present = [c for c in counties if c in set(growth["county"])]
    fig, (ax,) = _figure(1, height=4.8)
    width = 0.8 / len(present)
    for i, county in enumerate(present):
        part = growth[growth["county"] == county].drop_duplicates("level")
        xs = [levels.index(lv) + (i - (len(present) - 1) / 2) * width for lv in part["level"]]
        ax.bar(xs, part["growth_pct"], width=width * 0.95, color=PALETTE[i % len(PALETTE)],
               label=_place(plans, county, lang))
    ax.axhline(0, color="#333333", lw=0.8)
    ax.set_xticks(range(len(levels)), [level_label(lv, lang) for lv in levels])
    ax.set_ylabel(_t(lang, "growth").replace("2020", str(start)).replace("2025", str(end)))
    ax.legend(fontsize=8)
    lines = growth.assign(line=growth["lines"].str.split(";")).explode("line")
    return _finish(fig, title, caption(lines, lang))


# ---------------------------------------------------------------------------------------------
# saving


def save_figure(fig: Figure, path_without_ext: str | Path, dpi: int = 150) -> list[Path]:
    """Write ``<path>.png`` and ``<path>.svg`` with fixed metadata: the same data gives the same bytes."""
    base = Path(path_without_ext)
    base.parent.mkdir(parents=True, exist_ok=True)
    png, svg = base.with_suffix(".png"), base.with_suffix(".svg")
    with matplotlib.rc_context({"svg.hashsalt": "planlib", "svg.fonttype": "path"}):
        fig.savefig(png, dpi=dpi, metadata={"Software": None})
        fig.savefig(svg, metadata={"Date": None, "Creator": None})
    svg.write_text(_stable_svg_ids(svg.read_text(encoding="utf-8")), encoding="utf-8")
    return [png, svg]


def _stable_svg_ids(text: str) -> str:
    """Number clip-path ids by first use: matplotlib hashes float bounds whose last digits can vary between runs.

    >>> _stable_svg_ids('<clipPath id="pa1b2c3d4e5"/><g clip-path="url(#pa1b2c3d4e5)"/>')
    '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>'
    """
    ids: dict[str, str] = {}
    for match in re.finditer(r"\b(p[0-9a-f]{10})\b", text):
        ids.setdefault(match.group(1), f"clip{len(ids) + 1}")
    return re.sub(r"\b(p[0-9a-f]{10})\b", lambda m: ids[m.group(1)], text) if ids else text
