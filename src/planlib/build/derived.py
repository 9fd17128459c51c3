"""Comparable measures computed only from the plans' own numbers: the `derived` and `derived_missing` tables.

A place's raw counts cannot be set beside another's (the places differ in scale, and a five-year
total is not a year's figure), but some numbers made from them can: growth in %, change of a rate in
percentage points, the gap to the national target, money per pupil (a cumulative total annualised
first) and pupils per teacher. Each derived number cites the lines it was made from; a number whose
inputs differ in scope (level, year, unit or basis) is not made, and `derived_missing` says why.
Which indicators enter a ratio is data (``data/derived.yml``), never code.
Reads finished `targets`, `indicators` and `plans` frames only (no parsing).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .. import paths
from ..datafiles import package_yaml

from ..schema import DERIVED_IDS
from .rows import as_mask, records

GROWTH, CHANGE_PP, GAP, ANNUAL_MEAN, PER_PUPIL, PUPILS_PER_TEACHER = DERIVED_IDS
PERSON_UNITS = ("人", "名")
RATE_UNITS = ("%",)
ALL_LEVELS = ("", "all")  # a number for every level of a place
NATIONAL_FILE = "src/planlib/data/national_targets.csv"

DERIVED_COLUMNS = ["county", "derived_id", "indicator_id", "level", "year", "span_start", "span_end", "value", "unit",
                   "comparator", "method", "inputs"]
MISSING_COLUMNS = ["county", "derived_id", "indicator_id", "level", "reason"]


@lru_cache(maxsize=1)
def rules() -> dict:
    """data/derived.yml: which indicators are money totals, pupils and teachers for the ratios."""
    return package_yaml("derived.yml")


# ---------------------------------------------------------------------------------------------
# what a number is (basis, span, measure type)


def infer_measure_type(unit: str | None, domain: str | None = "enrollment") -> str:
    """The measure type a unit implies, for tables that do not state one yet.

    Persons count as a stock only among pupils: a teacher count may be a stock (专任教师) or a flow
    (补充教师), which only the dictionary can tell, so it stays ``other``.

    >>> [infer_measure_type(u) for u in ("%", "元", "人", "所", "年")]
    ['rate', 'money', 'stock', 'other', 'other']
    >>> infer_measure_type("人", "teachers")
    'other'
    """
    unit = "" if unit is None or pd.isna(unit) else str(unit)
    if unit in PERSON_UNITS and domain != rules()["pupils_domain"]:
        return "other"
    if unit in RATE_UNITS or unit == "pp":
        return "rate"
    if unit.startswith("元") or unit in ("万元", "亿元"):
        return "money"
    if unit in PERSON_UNITS:
        return "stock"
    return "other"


def with_meaning(targets: pd.DataFrame, indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """Targets with ``basis``, ``span_start``, ``span_end`` and ``measure_type`` filled in.

    The columns come from the extractor; where a table predates them, a number is taken as a
    point (a level at a date) and its measure type from the dictionary, else from its unit.
    """
    out = targets.copy()
    if "basis" not in out.columns:
        out["basis"] = "point"
    out["basis"] = out["basis"].astype("string").fillna("point").replace("", "point")
    for col in ("span_start", "span_end"):
        if col not in out.columns:
            out[col] = pd.NA
        out[col] = pd.to_numeric(out[col]).astype("Int64")
    if "measure_type" not in out.columns:
        out["measure_type"] = pd.NA
    out["measure_type"] = out["measure_type"].astype("string").replace("", pd.NA)
    if indicators is not None and "measure_type" in indicators.columns:
        by_id = dict(zip(indicators["indicator_id"], indicators["measure_type"]))
        out["measure_type"] = out["measure_type"].fillna(out["indicator_id"].map(by_id).astype("string"))
    missing = out["measure_type"].isna()
    out.loc[missing, "measure_type"] = [infer_measure_type(u, d) for u, d in
                                        zip(out.loc[missing, "unit"], out.loc[missing, "domain"])]
    return out


# ---------------------------------------------------------------------------------------------
# helpers


def combine(end: str, base: str) -> str:
    """Comparator of ``end − base`` (or ``end ÷ base``) from the comparators of its two inputs.

    A floor on the end value stays a floor; a floor on the base (the divisor or subtrahend) becomes a ceiling.

    >>> combine(">=", "="), combine("=", ">"), combine("=", "="), combine("approx", "=")
    ('>=', '<', '=', 'approx')
    """
    end = end if isinstance(end, str) and end else "="
    base = base if isinstance(base, str) and base else "="
    flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
    if base == "=":
        return end if end in (">=", ">", "<=", "<", "=") else "approx"
    if end == "=" and base in flip:
        return flip[base]
    if end == "=" == base:
        return "="
    if {end, base} <= {">=", ">"} or {end, base} <= {"<=", "<"}:
        return "approx"  # both open the same way: the difference is not bounded
    if end in (">=", ">") and base in ("<=", "<"):
        return ">=" if ">=" in (end, flip[base]) and ">" not in (end, flip[base]) else ">"
    if end in ("<=", "<") and base in (">=", ">"):
        return "<=" if "<=" in (end, flip[base]) and "<" not in (end, flip[base]) else "<"
    return "approx"


def _file(r) -> str:
    """The text a row's line is in: its text_file (the derived text of a web page or Word file), else source_file."""
    text_file = r.get("text_file") if hasattr(r, "get") else None
    return str(text_file) if isinstance(text_file, str) and text_file else str(r["source_file"])


def cite(rows) -> str:
    """``file:line`` of each input row (the line's file: its text_file), ';'-joined, in the order given.

    >>> cite([{"source_file": "data/raw/a.txt", "line": 7}, {"source_file": "data/raw/a.txt", "line": 3}])
    'data/raw/a.txt:7;data/raw/a.txt:3'
    """
    return ";".join(f"{_file(r)}:{int(r['line'])}" for r in rows)


def _pick(rows: list[dict]) -> dict | None:
    """One row of several stating the same thing: an indicator table's first, then the first line."""
    if not rows:
        return None
    return min(rows, key=lambda r: (r["source"] != "table", r["line"] is None, r["line"] or 0,
                                    r["char_start"] is None, r["char_start"] or 0))


#: The columns of a targets row the measures below read (``text_file`` too where the table has it).
ROW_COLUMNS = ("county", "indicator_id", "level", "domain", "year", "kind", "basis", "span_start", "span_end",
               "value", "unit", "measure_type", "comparator", "source", "source_file", "text_file", "line",
               "char_start")


def _records(df: pd.DataFrame, mask=None, columns=None) -> list[dict]:
    """The rows of ``df`` (where ``mask`` holds) as dicts, missing values as None: only the columns read
    here, taken column by column (``to_dict("records")`` of the whole table boxes every cell)."""
    wanted = df.columns if columns is None else [c for c in columns if c in df.columns]
    return records(df, wanted, mask)


def _group(rows: list[dict], *keys: str) -> list[tuple[tuple, list[dict]]]:
    """Rows grouped by ``keys`` in key order, as pandas' groupby(sort=True) gives them (missing keys dropped)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        k = tuple(r[c] for c in keys)
        if all(v is not None for v in k):
            groups.setdefault(k, []).append(r)
    return sorted(groups.items(), key=lambda kv: kv[0])


def _scope(level) -> str:
    level = "" if level is None or pd.isna(level) else str(level)
    return "all" if level in ALL_LEVELS else level


def _period(plans: pd.DataFrame | None, county: str) -> tuple[int | None, int | None]:
    """Base year (the year before the period starts) and end year of the plan's own period."""
    if plans is None or plans.empty or "period_start" not in plans.columns:
        return None, None
    hit = plans[plans["county"] == county]
    if hit.empty or pd.isna(hit.iloc[0]["period_start"]) or pd.isna(hit.iloc[0]["period_end"]):
        return None, None
    return int(hit.iloc[0]["period_start"]) - 1, int(hit.iloc[0]["period_end"])


def _split(df: pd.DataFrame, mask=None) -> dict[str, list[dict]]:
    """County -> its rows (where ``mask`` holds) as records, in the table's order (what
    ``df[df["county"] == county]`` gives, in one pass)."""
    out: dict[str, list[dict]] = {}
    for r in _records(df, mask, ROW_COLUMNS):
        if r["county"] is not None:
            out.setdefault(r["county"], []).append(r)
    return out


def _periods(plans: pd.DataFrame | None) -> dict:
    """County -> :func:`_period` for every county in ``plans`` (the first row of a county, as _period reads it)."""
    if plans is None or plans.empty or "period_start" not in plans.columns:
        return {}
    out = {}
    for county, start, end in zip(plans["county"], plans["period_start"], plans["period_end"]):
        if county in out:
            continue
        out[county] = (None, None) if pd.isna(start) or pd.isna(end) else (int(start) - 1, int(end))
    return out


def read_national(indicators: pd.DataFrame | None = None) -> pd.DataFrame:
    """National 十四五 targets with the CSV line of each (header = line 1); ids filled from the dictionary's names."""
    nat = pd.read_csv(paths.PACKAGE_DATA / "national_targets.csv", dtype=str, keep_default_na=False)
    nat["value"] = pd.to_numeric(nat["value"])
    nat["year"] = pd.to_numeric(nat["year"]).astype("Int64")
    nat["line"] = range(2, len(nat) + 2)
    if indicators is not None and len(indicators):
        names: dict[str, str] = {}
        for _, row in indicators.iterrows():
            for alias in [row["indicator_zh"], *str(row.get("aliases_zh") or "").split(";")]:
                if isinstance(alias, str) and alias.strip():
                    names.setdefault(alias.strip(), row["indicator_id"])
        nat["indicator_id"] = [i or names.get(zh, "") for i, zh in zip(nat["indicator_id"], nat["indicator_zh"])]
    return nat[nat["indicator_id"] != ""].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# the table


class _Out:
    def __init__(self):
        self.rows: list[dict] = []
        self.missing: list[dict] = []

    def add(self, county, derived_id, indicator_id, level, value, unit, comparator, method, inputs, *,
            year=None, span=(None, None)):
        self.rows.append({"county": county, "derived_id": derived_id, "indicator_id": indicator_id, "level": level,
                          "year": year, "span_start": span[0], "span_end": span[1], "value": round(float(value), 6),
                          "unit": unit, "comparator": comparator, "method": method, "inputs": inputs})

    def miss(self, county, derived_id, indicator_id, level, reason):
        self.missing.append({"county": county, "derived_id": derived_id, "indicator_id": indicator_id,
                             "level": level, "reason": reason})


def derived_tables(targets: pd.DataFrame, indicators: pd.DataFrame, plans: pd.DataFrame | None,
                   national: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `derived` and `derived_missing` frames (not yet conformed to the schema)."""
    t = with_meaning(targets, indicators)
    t = t.assign(level=t["level"].fillna(""))
    named = as_mask(t["indicator_id"].fillna("") != "")
    if national is None:
        national = read_national(indicators)
    out = _Out()
    counties = sorted(set(t.loc[named, "county"].unique())  # each county once (not a Python object per row)
                      | (set(plans["county"]) if plans is not None and len(plans) else set()))
    # each county's rows taken once, as plain records (a mask per county would read the whole table per
    # county, quadratic; a pandas call per county and indicator costs milliseconds)
    used, unnamed_used = _read_rows(t, national)
    by_county, unnamed_by_county = _split(t, named & used), _split(t, ~named & unnamed_used)
    periods = _periods(plans)
    nat_rows = _records(national) if national is not None else []
    for county in counties:
        mine = by_county.get(county, [])
        base_year, end_year = periods.get(county, (None, None))
        _changes(out, mine, county, base_year, end_year)
        _gaps(out, mine, county, end_year, nat_rows)
        _money(out, mine, county, unnamed_by_county.get(county, []))
        _per_teacher(out, mine, county)
    derived = pd.DataFrame(out.rows, columns=DERIVED_COLUMNS)
    missing = pd.DataFrame(out.missing, columns=MISSING_COLUMNS)
    derived = derived.sort_values(["county", "derived_id", "indicator_id", "level"], kind="stable")
    missing = missing.sort_values(["county", "derived_id", "indicator_id", "level"], kind="stable")
    return derived.reset_index(drop=True), missing.reset_index(drop=True)


def _read_rows(t: pd.DataFrame, national: pd.DataFrame | None) -> tuple[np.ndarray, np.ndarray]:
    """The rows a measure below can read, for the whole table at once: named rows, and rows without an
    indicator. Only these are turned into records; the measures filter them again as before, so a row
    left out here is one none of them would have looked at.
    """
    r = rules()
    basis, kind, unit = t["basis"], t["kind"], t["unit"]
    measure, ind = t["measure_type"], t["indicator_id"]
    point, persons = basis == "point", unit.isin(PERSON_UNITS)
    changes = point & kind.isin(["baseline", "target"]) & (
        (measure == "stock") & persons | (measure == "rate") & unit.isin(RATE_UNITS))  # _changes
    pupils = point & (measure == "stock") & persons & (t["domain"] == r["pupils_domain"])  # _pupils
    teachers = point & (measure == "stock") & persons & ind.isin(r["teachers"])  # _per_teacher
    national_ids = [] if national is None else list(national["indicator_id"])
    named = changes | pupils | teachers | ind.isin(national_ids) | ind.isin(r["money_totals"])  # + _gaps, _money
    unnamed = point & persons & (t["domain"] == r["pupils_domain"])  # the loose pupil counts _money names
    return as_mask(named), as_mask(unnamed)


def _changes(out: _Out, mine: list[dict], county: str, base_year, end_year) -> None:
    """Growth in % of point-basis headcounts (stocks); change in points of point-basis rates."""
    point = [r for r in mine if r["basis"] == "point" and r["kind"] in ("baseline", "target")]
    heads = [r for r in point if r["measure_type"] == "stock" and r["unit"] in PERSON_UNITS]
    rates = [r for r in point if r["measure_type"] == "rate" and r["unit"] in RATE_UNITS]
    for rows, derived_id in ((heads, GROWTH), (rates, CHANGE_PP)):
        for (ind, level), g in _group(rows, "indicator_id", "level"):
            if base_year is None:
                out.miss(county, derived_id, ind, level, "the plan states no period (plans.period_start/period_end)")
                continue
            base = _pick([r for r in g if r["year"] == base_year])
            end = _pick([r for r in g if r["year"] == end_year])
            if base is None or end is None:
                lacking = " and ".join(str(y) for y, r in ((base_year, base), (end_year, end)) if r is None)
                out.miss(county, derived_id, ind, level, f"no value for {lacking} (the plan's base and end years)")
                continue
            if base["comparator"] == "range" or end["comparator"] == "range":
                out.miss(county, derived_id, ind, level, "an input is a range, not one number")
                continue
            v0, v1 = float(base["value"]), float(end["value"])
            comparator = combine(end["comparator"], base["comparator"])
            if derived_id == GROWTH:
                if v0 == 0:
                    out.miss(county, derived_id, ind, level, f"the {base_year} value is 0: growth in % is undefined")
                    continue
                value, unit = (v1 - v0) / v0 * 100, "%"
                method = f"({end_year} value − {base_year} value) ÷ {base_year} value × 100"
            else:
                value, unit = v1 - v0, "pp"
                method = f"{end_year} rate − {base_year} rate, in percentage points"
            out.add(county, derived_id, ind, level, value, unit, comparator, method, cite([base, end]),
                    span=(base_year, end_year))


def _gaps(out: _Out, mine: list[dict], county: str, end_year, national: list[dict]) -> None:
    """The plan's end-year target minus the national 十四五 target, in the national target's unit."""
    if not national:
        return
    for nat in national:
        ind = nat["indicator_id"]
        same = [r for r in mine if r["indicator_id"] == ind]
        rows = [r for r in same if r["kind"] == "target" and r["basis"] == "point"]
        level = _pick(same)["level"] if same else ""
        if end_year is None:
            out.miss(county, GAP, ind, level, "the plan states no period (plans.period_start/period_end)")
            continue
        if int(nat["year"]) != end_year:
            out.miss(county, GAP, ind, level, f"the national target is for {int(nat['year'])}, the plan ends {end_year}")
            continue
        rows = [r for r in rows if r["year"] == end_year]
        if not rows:
            out.miss(county, GAP, ind, level, f"no {end_year} target stated")
            continue
        row = _pick(rows)
        if row["unit"] != nat["unit"]:
            out.miss(county, GAP, ind, level, f"units differ: plan {row['unit']}, national {nat['unit']}")
            continue
        unit = "pp" if nat["unit"] == "%" else nat["unit"]
        out.add(county, GAP, ind, row["level"], float(row["value"]) - float(nat["value"]), unit,
                combine(row["comparator"], "="),
                f"{end_year} target − national 十四五 target ({nat['comparator']} {nat['value']:g}{nat['unit']})",
                f"{_file(row)}:{int(row['line'])};{NATIONAL_FILE}:{int(nat['line'])}", year=end_year)


def _money(out: _Out, mine: list[dict], county: str, unnamed: list[dict] | None = None) -> None:
    """Money totals annualised (a cumulative total ÷ its years) and divided by the pupils of the same level and year."""
    r = rules()
    pupils = _pupils(mine)
    for ind in r["money_totals"]:
        rows = [x for x in mine if x["indicator_id"] == ind and x["kind"] == "baseline"]
        if not rows:
            out.miss(county, PER_PUPIL, ind, "", "the plan states no such amount")
            continue
        for (level, basis), g in _group(rows, "level", "basis"):
            years = [x["year"] for x in g if x["year"] is not None]
            row = _pick([x for x in g if x["year"] == max(years)] if years else g)  # the latest year
            if row["unit"] != "元":
                out.miss(county, PER_PUPIL, ind, level, f"unit {row['unit']}, not yuan")
                continue
            if basis == "per_unit":
                out.miss(county, PER_PUPIL, ind, level, "already stated per unit")
                continue
            if _scope(level) != "all" and not r.get("per_pupil_by_level", False):
                out.miss(county, PER_PUPIL, ind, level, f"an amount for {level} projects, not a total for all levels")
                continue
            value, year, span, method = float(row["value"]), row["year"], (None, None), ""
            if basis == "cumulative":
                s, e = row["span_start"], row["span_end"]
                if s is None or e is None:
                    out.miss(county, ANNUAL_MEAN, ind, level, "a cumulative total without its span of years")
                    continue
                n_years = int(e) - int(s) + 1
                value, year, span = value / n_years, int(e), (int(s), int(e))
                method = f"cumulative {int(s)}–{int(e)} total ÷ {n_years} years"
                out.add(county, ANNUAL_MEAN, ind, level, value, "元/年", combine(row["comparator"], "="), method,
                        cite([row]), span=span)
            elif basis == "annual" and row["span_end"] is not None:
                year = int(row["span_end"])
            if year is None:
                out.miss(county, PER_PUPIL, ind, level, "the amount has no year")
                continue
            head = _pick([p for p in pupils if _scope(p["level"]) == _scope(level) and p["year"] == int(year)])
            if head is None:
                scope = "all levels" if _scope(level) == "all" else level
                others = [p for p in pupils if p["year"] == int(year)]
                why = (f"no pupil count for {scope} in {int(year)}"
                       + (f" (pupils are stated only by level: {', '.join(sorted(set(p['level'] for p in others)))})"
                          if others else ""))
                # a count the dictionary cannot name (在校学生76293人): said, not used — its scope is unknown
                if unnamed:
                    loose = [u for u in unnamed if u["year"] == int(year) and u["unit"] in PERSON_UNITS
                             and u["domain"] == r["pupils_domain"] and u["basis"] == "point"
                             and _scope(u["level"]) == _scope(level)]
                    if loose:
                        lines = ", ".join(str(int(x)) for x in sorted(set(u["line"] for u in loose)))
                        why += f"; a pupil count on line {lines} has no indicator in the dictionary"
                out.miss(county, PER_PUPIL, ind, level, why)
                continue
            per = value / float(head["value"])
            method = ((method + " ÷ " if method else "amount ÷ ") + f"pupils of the same level in {int(year)}")
            out.add(county, PER_PUPIL, ind, level, per, "元/人" + ("/年" if basis in ("cumulative", "annual") else ""),
                    combine(row["comparator"], head["comparator"]), method, cite([row, head]),
                    year=int(year), span=span)


def _pupils(mine: list[dict]) -> list[dict]:
    """Point-basis stocks in persons of the pupils' domain (data/derived.yml)."""
    domain = rules()["pupils_domain"]
    return [r for r in mine if r["basis"] == "point" and r["measure_type"] == "stock" and r["unit"] in PERSON_UNITS
            and r["domain"] == domain]


def _per_teacher(out: _Out, mine: list[dict], county: str) -> None:
    """Pupils per teacher where both are stated for the same level and year."""
    r = rules()
    teacher_ids = set(r["teachers"])
    teachers = [x for x in mine if x["basis"] == "point" and x["measure_type"] == "stock"
                and x["unit"] in PERSON_UNITS and x["indicator_id"] in teacher_ids]
    pupils = _pupils(mine)
    if not teachers:
        out.miss(county, PUPILS_PER_TEACHER, "", "", "the plan states no count of full-time teachers")
        return
    for (level, year), g in _group(teachers, "level", "year"):
        t_row = _pick(g)
        p_row = _pick([p for p in pupils if _scope(p["level"]) == _scope(level) and p["year"] == year])
        if p_row is None or float(t_row["value"]) == 0:
            out.miss(county, PUPILS_PER_TEACHER, t_row["indicator_id"], level,
                     f"no pupil count for the teachers' level ({_scope(level)}) in {int(year)}")
            continue
        out.add(county, PUPILS_PER_TEACHER, p_row["indicator_id"], level,
                float(p_row["value"]) / float(t_row["value"]), "人/教师",
                combine(p_row["comparator"], t_row["comparator"]),
                f"pupils ÷ full-time teachers, same level, {int(year)}", cite([p_row, t_row]), year=int(year))


def growth_for_comparison(derived: pd.DataFrame) -> pd.DataFrame:
    """county, indicator_id, level, growth_pct, start and end year from `derived` (comparison.csv's growth)."""
    g = derived[derived["derived_id"] == GROWTH]
    return g[["county", "indicator_id", "level", "value", "span_start", "span_end"]].rename(columns={"value": "growth_pct"})


#: Chinese for the methods and reasons this module writes (the tables keep English; reports in Chinese show these)
_ZH = [
    (r"\((\d{4}) value − (\d{4}) value\) ÷ \2 value × 100", r"（\1年值 − \2年值）÷ \2年值 × 100"),
    (r"(\d{4}) rate − (\d{4}) rate, in percentage points", r"\1年比率 − \2年比率（百分点）"),
    (r"(\d{4}) target − national 十四五 target \((.*)\)", r"\1年目标 − 全国“十四五”目标（\2）"),
    (r"cumulative (\d{4})–(\d{4}) total ÷ (\d+) years", r"\1–\2年累计数 ÷ \3年"),
    (r"pupils of the same level in (\d{4})", r"同学段\1年在校生数"),
    (r"^amount ÷ ", "金额 ÷ "),
    (r"pupils ÷ full-time teachers, same level, (\d{4})", r"\1年在校生 ÷ 专任教师（同学段）"),
    (r"the plan states no period \(plans.period_start/period_end\)", "规划未写明规划期"),
    (r"no value for (\d{4}) and (\d{4}) \(the plan's base and end years\)", r"未给出\1年和\2年（规划基期与末年）的数值"),
    (r"no value for (\d{4}) \(the plan's base and end years\)", r"未给出\1年（规划基期或末年）的数值"),
    (r"an input is a range, not one number", "输入为区间而非单一数值"),
    (r"the (\d{4}) value is 0: growth in % is undefined", r"\1年数值为0，增长率无定义"),
    (r"the national target is for (\d{4}), the plan ends (\d{4})", r"全国目标年份为\1年，规划末年为\2年"),
    (r"no (\d{4}) target stated", r"未给出\1年目标"),
    (r"units differ: plan (.*), national (.*)", r"单位不同：规划为\1，全国为\2"),
    (r"the plan states no such amount", "规划未给出此项金额"),
    (r"unit (.*), not yuan", r"单位为\1，不是元"),
    (r"already stated per unit", "原文已是单位量"),
    (r"an amount for (\w+) projects, not a total for all levels", r"为\1学段项目金额，非各学段合计"),
    (r"a cumulative total without its span of years", "累计数未写明起止年份"),
    (r"the amount has no year", "金额无年份"),
    (r"no pupil count for all levels in (\d{4})", r"未给出\1年各学段合计在校生数"),
    (r"no pupil count for (\w+) in (\d{4})", r"未给出\2年\1在校生数"),
    (r"no pupil count for the teachers' level \((\w+)\) in (\d{4})", r"未给出\2年与教师同学段（\1）的在校生数"),
    (r" \(pupils are stated only by level: ([^)]*)\)", r"（仅分学段给出：\1）"),
    (r"; a pupil count on line ([\d, ]+) has no indicator in the dictionary", r"；第\1行的在校生数未被指标词典识别"),
    (r"the plan states no count of full-time teachers", "规划未给出专任教师数"),
]


def in_language(text: str, lang: str = "zh") -> str:
    """A method or reason of these tables in the report's language (the tables themselves are in English).

    >>> in_language("cumulative 2016–2020 total ÷ 5 years ÷ pupils of the same level in 2020")
    '2016–2020年累计数 ÷ 5年 ÷ 同学段2020年在校生数'
    """
    import re

    if lang != "zh" or not isinstance(text, str):
        return text
    for pattern, repl in _ZH:
        text = re.sub(pattern, repl, text)
    return text
