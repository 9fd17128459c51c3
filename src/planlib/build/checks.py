"""Data-quality findings about the sources themselves: a researcher must see them, not have them averaged away.

Kinds: parts that do not add up to their total; a change column that disagrees with its own
columns; two tables, or a table and the prose, giving different values for the same
indicator and year; a unit label contradicting its values (found while reading tables); a
value outside the dictionary's plausible range; numbers the dictionary cannot name; a project whose
construction period (建设年限) ends after the plan's (found while reading project tables,
:mod:`planlib.extract.projects`).
Tolerance: half a unit in the last printed digit of each number involved.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import numpy as np
import pandas as pd

from .. import schema
from ..datafiles import package_yaml
from .rows import as_mask, column_lists, records


@lru_cache(maxsize=1)
def check_rules() -> dict:
    return package_yaml("checks.yml")


def half_unit(value_raw: str, scale: float = 1.0) -> float:
    """Half a unit in the last printed digit, in the normalised unit.

    >>> half_unit("9.90"), half_unit("1.2353", 10000), half_unit("96")
    (0.005, 0.5, 0.5)
    """
    digits = "".join(ch for ch in str(value_raw) if ch.isdigit() or ch == ".")
    try:
        exp = Decimal(digits).as_tuple().exponent if digits else 0
    except InvalidOperation:
        exp = 0
    return float(Decimal(5) * Decimal(10) ** (exp - 1)) * scale


def _scale(row) -> float:
    return _scale_of(row["value_raw"], row["value"])


@lru_cache(maxsize=65536)
def _scale_of(value_raw, value) -> float:
    try:
        raw = float(Decimal("".join(ch for ch in value_raw if ch.isdigit() or ch == ".")))
        return abs(value) / raw if raw else 1.0
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return 1.0


def _tol(row) -> float:
    return _tol_of(row["value_raw"], row["value"])


@lru_cache(maxsize=65536)
def _tol_of(value_raw, value) -> float:
    return half_unit(value_raw, _scale_of(value_raw, value))


def _finding(county, check, severity, message, lines, source_file, indicator_id="", year=None) -> dict:
    return {"county": county, "check": check, "severity": severity, "indicator_id": indicator_id or "",
            "year": year, "message": message, "lines": ";".join(str(int(n)) for n in sorted(set(lines))),
            "source_file": source_file}


def _fmt(v: float) -> str:
    return f"{v:,.4f}".rstrip("0").rstrip(".")


#: The columns of a row the checks below read (each check reads a few; one list keeps them in step).
ROW_COLUMNS = ("county", "source_file", "table_id", "indicator_id", "indicator_zh", "level", "year", "kind",
               "value", "value_raw", "unit", "unit_raw", "comparator", "line", "char_start", "domain")


def _records(t: pd.DataFrame, mask, extra: tuple[str, ...] = ()) -> list[dict]:
    """The rows of ``t`` where ``mask`` holds (missing counts as false), NA as None: the columns the checks
    read only, taken column by column (``to_dict("records")`` of the whole table boxes every cell)."""
    return records(t, [c for c in (*ROW_COLUMNS, *extra) if c in t.columns], mask)


def _none_last(key: tuple) -> tuple:
    """A group key that sorts like pandas' groupby(sort=True, dropna=False): missing values last."""
    return tuple((v is None, v if v is not None else 0) for v in key)


def _grouped(rows: list[dict], keys: list[str], dropna: bool = True) -> list[tuple[tuple, list[dict]]]:
    """Rows grouped by ``keys`` in key order (each group keeps the rows' order): one pass, no pandas per group."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        k = tuple(r[c] for c in keys)
        if dropna and None in k:
            continue
        groups.setdefault(k, []).append(r)
    if any(None in k for k in groups):
        return sorted(groups.items(), key=lambda kv: _none_last(kv[0]))
    return sorted(groups.items(), key=lambda kv: kv[0])  # no key missing: the same order, without the wrapping


def _by_year(rows: list[dict]) -> list[dict]:
    """Rows sorted by year as pandas' sort_values("year") sorts them (numpy's quicksort, not stable)."""
    order = np.argsort(np.array([r["year"] for r in rows], dtype=np.int64), kind="quicksort")
    return [rows[i] for i in order]


def change_mismatches(t: pd.DataFrame) -> list[dict]:
    """A table's change column against its own first and last year columns (same table row)."""
    out = []
    keys = ["source_file", "table_id", "_row_line"]
    rows = _records(t, _change_rows(t, keys), ("_row_line",))
    for (_, table_id, row_line), g in _grouped(rows, keys):
        changes = [r for r in g if r["kind"] == "change"]
        levels = _by_year([r for r in g if r["kind"] is not None and r["kind"] != "change" and r["year"] is not None])
        if not changes or len(levels) < 2:
            continue
        first, last = levels[0], levels[-1]
        for ch in changes:
            computed = last["value"] - first["value"]
            tol = _tol(ch) + _tol(first) + _tol(last)
            diff = ch["value"] - computed
            if abs(diff) <= tol:
                continue
            bound = last["comparator"]
            if bound in (">", ">=") and diff > 0 or bound in ("<", "<=") and diff < 0:
                severity, note = "warning", f" (the end value is a bound, {bound}{last['value_raw']}, so this may be intended)"
            else:
                severity, note = "error", ""
            out.append(_finding(
                ch["county"], "change_mismatch", severity,
                f"{table_id} {ch['indicator_zh']}: change column says {ch['value_raw']} but "
                f"{last['value_raw']} ({int(last['year'])}) − {first['value_raw']} ({int(first['year'])}) = "
                f"{_fmt(computed / _scale(ch))}{note}",
                [first["line"], last["line"], ch["line"]], ch["source_file"], ch["indicator_id"], ch["year"]))
    return out


def _change_rows(t: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Table rows (grouped by ``keys``) that have a change column and two years beside it, found for the whole
    table at once: :func:`change_mismatches` reads only these (any other group gives nothing)."""
    kind = t["kind"]
    is_change = as_mask(kind == "change")
    is_level = as_mask(kind.notna() & (kind != "change") & t["year"].notna())
    groups = _group_ids(t, keys, (t["source"] == "table") & t["_row_line"].notna())
    n_change, n_level = _per_group(groups, is_change), _per_group(groups, is_level)
    return (groups >= 0) & (n_change[groups] > 0) & (n_level[groups] >= 2)


def _levels_mask(t: pd.DataFrame) -> np.ndarray:
    """Named levels (not changes) with a year: what the sum and cross-source checks compare."""
    return as_mask((t["kind"] != "change") & t["year"].notna() & (t["indicator_id"] != ""))


def _levels(t: pd.DataFrame, mask=None, extra: tuple[str, ...] = ()) -> list[dict]:
    """The rows of :func:`_levels_mask` (and of ``mask``, when given) as records."""
    keep = _levels_mask(t) if mask is None else _levels_mask(t) & as_mask(mask)
    return _records(t, keep, extra)


def _sum_ids() -> set[str]:
    """Every indicator a sum rule names (its total or a part)."""
    return {i for rule in check_rules()["sums"] for i in (rule["total"], *rule["parts"])}


def sum_mismatches(t: pd.DataFrame) -> list[dict]:
    """Totals against the sum of their parts (by the identities in checks.yml).

    Only rows of indicators a rule names are read: the others never enter a rule's test, and a group
    without them gives nothing.
    """
    out = []
    group_cols = ["county", "source_file", "table_id", "year", "kind"]
    rows = _levels(t, t["indicator_id"].isin(_sum_ids()))
    for keys, g in _grouped(rows, group_cols, dropna=False):
        by_id: dict[str, list[dict]] = {}
        for r in g:
            by_id.setdefault(r["indicator_id"], []).append(r)
        for rule in check_rules()["sums"]:
            total, parts = rule["total"], rule["parts"]
            if total not in by_id or not all(p in by_id for p in parts):
                continue
            if any(len(by_id[i]) != 1 for i in [total, *parts]):
                continue  # ambiguous (several numbers for one indicator); cross-source check covers it
            trow = by_id[total][0]
            prows = [by_id[p][0] for p in parts]
            if "range" in {trow["comparator"], *(p["comparator"] for p in prows)}:
                continue
            s = sum(p["value"] for p in prows)
            tol = _tol(trow) + sum(_tol(p) for p in prows)
            if abs(s - trow["value"]) > tol:
                county, source_file, table_id, year, _kind = keys
                where = table_id if table_id else "prose"
                out.append(_finding(
                    county, "sum_mismatch", "error",
                    f"{where} {int(year)}: {trow['indicator_zh']} {_fmt(trow['value'])} but "
                    + " + ".join(f"{p['indicator_zh']} {_fmt(p['value'])}" for p in prows) + f" = {_fmt(s)}",
                    [trow["line"], *(p["line"] for p in prows)], source_file, total, year))
    return out


class _Row(dict):
    """A row read by attribute too (a.value), as the pair loop below reads it."""

    __getattr__ = dict.__getitem__


def cross_source_conflicts(t: pd.DataFrame) -> list[dict]:
    """The same indicator, year and kind stated with different values in different places.

    Places are tables (each its own) and prose lines. Two tables, or a table and the prose,
    must agree; two prose lines are compared only when they word the measure identically
    (project lists give per-item numbers, such as classes per school, that are not aggregates).
    """
    out = []
    keys = ["county", "source_file", "indicator_id", "year", "kind"]
    for (county, source_file, ind, year, kind), g in _grouped(
            _levels(t, _may_conflict(t, keys), ("section_path",)), keys):
        if len(g) < 2:
            continue
        g = [_Row(r, place=r["table_id"] if r["table_id"] else f"prose line {int(r['line'])}") for r in g]
        exact = [r for r in g if r["comparator"] == "="]
        rows = exact
        involved, with_table = {}, False
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a.place == b.place or abs(a.value - b.value) <= _tol(a) + _tol(b):
                    continue
                if a.level and b.level and a.level != b.level:
                    continue  # the same measure at two education levels (staff of high schools vs colleges)
                both_prose = not a.table_id and not b.table_id
                if both_prose and (a.indicator_zh != b.indicator_zh or _same_section(a, b)):
                    continue  # items of one list or box, or differently worded measures
                with_table = with_table or not both_prose
                involved[(a.line, a.char_start)] = a
                involved[(b.line, b.char_start)] = b
        if involved:
            shown = sorted(involved.values(), key=lambda r: (r.line, r.char_start))
            desc = "; ".join(f"{r.place if r.table_id else 'prose'} line {int(r.line)}: {r.value_raw}{r.unit_raw or ''}"
                             for r in shown)
            note = "" if with_table else " (two passages word it identically; check they mean the same scope)"
            out.append(_finding(county, "cross_source_conflict", "error" if with_table else "warning",
                                f"{shown[0].indicator_zh} {int(year)} ({kind}) differs: {desc}{note}",
                                [r.line for r in shown], source_file, ind, year))
            continue
        # an exact value that breaks a bound stated elsewhere
        for b in (r for r in g if r["comparator"] in (">", ">=", "<", "<=")):
            for e in exact:
                if e["place"] == b["place"] or (not e["table_id"] and not b["table_id"] and e["indicator_zh"] != b["indicator_zh"]):
                    continue
                ok = {">": e["value"] > b["value"] - _tol(b), ">=": e["value"] >= b["value"] - _tol(b),
                      "<": e["value"] < b["value"] + _tol(b), "<=": e["value"] <= b["value"] + _tol(b)}[b["comparator"]]
                if not ok:
                    out.append(_finding(county, "cross_source_conflict", "warning",
                                        f"{b['indicator_zh']} {int(year)}: {e['place']} says {e['value_raw']} "
                                        f"but {b['place']} says {b['comparator']}{b['value_raw']}",
                                        [e["line"], b["line"]], source_file, ind, year))
    return out


def _group_ids(t: pd.DataFrame, keys: list[str], mask) -> np.ndarray:
    """A number per group of ``keys`` for the rows where ``mask`` holds and no key is missing; -1 elsewhere."""
    ids = np.full(len(t), -1, dtype=np.int64)
    keep = as_mask(mask) & as_mask(t[keys].notna().all(axis=1))
    if keep.any():
        ids[keep] = t.loc[keep, keys].groupby(keys, sort=False).ngroup().to_numpy()
    return ids


def _per_group(ids: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """How many rows of each group (numbered by :func:`_group_ids`) have ``flags``; one slot more, for -1."""
    inside = ids >= 0
    return np.bincount(ids[inside], weights=flags[inside], minlength=int(ids.max(initial=-1)) + 2)


def _may_conflict(t: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """The level rows of the groups (by ``keys``) :func:`cross_source_conflicts` can report, found for the whole
    table at once: two exact values that are not all the same (a missing one counts as different), or an exact
    value and a bound. Any other group compares values that agree, and says nothing.
    """
    groups = _group_ids(t, keys, _levels_mask(t))
    comparator = t["comparator"]
    exact = as_mask(comparator == "=")
    bound = as_mask(comparator.isin([">", ">=", "<", "<="]))
    value = t["value"].to_numpy(dtype=float, na_value=np.nan)
    inside = (groups >= 0) & exact
    size = int(groups.max(initial=-1)) + 2
    high, low = np.full(size, -np.inf), np.full(size, np.inf)
    with np.errstate(invalid="ignore"):
        np.maximum.at(high, groups[inside], value[inside])  # NaN propagates: such a group stays in
        np.minimum.at(low, groups[inside], value[inside])
    n_exact, n_bound = _per_group(groups, exact), _per_group(groups, bound)
    differ = ~(high == low)  # NaN compares unequal
    wanted = (n_exact >= 2) & differ | (n_exact >= 1) & (n_bound >= 1)
    return (groups >= 0) & wanted[groups]


def _same_section(a, b) -> bool:
    sa, sb = getattr(a, "section_path", None), getattr(b, "section_path", None)
    return isinstance(sa, str) and sa == sb and sa != ""


def _plausible(ids: pd.Series, kinds: pd.Series, values: pd.Series) -> np.ndarray:
    """:func:`planlib.extract.dictionary.plausible` of every row at once (named rows; the dictionary's ranges)."""
    from ..extract.dictionary import load_indicators, plausible

    indicators = load_indicators()
    unknown = ~ids.isin(list(indicators)) | ~kinds.isin(list(schema.KINDS))
    if unknown.any():  # the error plausible() raises for it
        i = int(np.flatnonzero(as_mask(unknown))[0])
        plausible(ids.iloc[i], kinds.iloc[i], values.iloc[i])
    bounds = pd.DataFrame([(i, ind.min_value, ind.max_value, ind.max_abs_change) for i, ind in indicators.items()],
                          columns=["id", "lo", "hi", "abs"]).set_index("id").astype(float)
    b = bounds.reindex(ids.to_numpy(dtype=object))
    lo, hi, most = (b[c].to_numpy() for c in ("lo", "hi", "abs"))
    v = values.to_numpy(dtype=float, na_value=np.nan)
    finite = np.isfinite(v)
    with np.errstate(invalid="ignore"):
        level_ok = (np.isnan(lo) | (v >= lo)) & (np.isnan(hi) | (v <= hi))
        change_ok = np.isnan(most) | (np.abs(v) <= most)
    return finite & np.where(kinds.to_numpy(dtype=object) == "change", change_ok, level_ok)


def out_of_range(t: pd.DataFrame) -> list[dict]:
    """Named numbers outside the dictionary's plausible range (the ranges tested on the whole column at once)."""
    out = []
    named = as_mask(t["indicator_id"] != "")
    ok = np.ones(len(t), dtype=bool)
    if named.any():
        ok[named] = _plausible(t.loc[named, "indicator_id"], t.loc[named, "kind"], t.loc[named, "value"])
    for r in _records(t, named & ~ok):
        out.append(_finding(r["county"], "out_of_range", "warning",
                            f"{r['indicator_zh']} {r['kind']} {r['value_raw']}{r['unit_raw'] or ''} "
                            f"(= {_fmt(r['value'])} {r['unit'] or ''}) is outside the plausible range for {r['indicator_id']}",
                            [r["line"]], r["source_file"], r["indicator_id"], r["year"]))
    return out


def unnamed_numbers(t: pd.DataFrame) -> list[dict]:
    """In-domain numbers the dictionary cannot name: kept in targets, counted here."""
    out = []
    groups: dict[tuple, list[tuple]] = {}
    for county, source_file, domain, line in zip(*column_lists(t, ["county", "source_file", "domain", "line"],
                                                               t["indicator_id"] == "")):
        if county is not None and source_file is not None:
            groups.setdefault((county, source_file), []).append((domain, line))
    for (county, source_file), g in sorted(groups.items(), key=lambda kv: kv[0]):  # no key is missing here
        domains = Counter(d for d, _ in g if d is not None)
        by_domain = ", ".join(f"{d} {n}" for d, n in sorted(domains.items()))
        out.append(_finding(county, "unnamed_indicator", "info",
                            f"{len(g)} numbers in the four domains have no indicator_id ({by_domain}); "
                            "they are in targets with an empty indicator_id", [n for _, n in g], source_file))
    return out


#: The cross-row checks, in the order their findings enter the `checks` table. Each looks at the rows of one
#: source file at a time, so a plan's findings can be kept (a build's cache) and merged with others'.
CROSS_ROW = ("change_mismatch", "sum_mismatch", "cross_source_conflict", "out_of_range", "unnamed_indicator")


def cross_row_findings(t: pd.DataFrame) -> dict[str, list[dict]]:
    """The findings of each :data:`CROSS_ROW` check on the rows ``t`` (prepared by :func:`run_checks`)."""
    return {"change_mismatch": change_mismatches(t), "sum_mismatch": sum_mismatches(t),
            "cross_source_conflict": cross_source_conflicts(t), "out_of_range": out_of_range(t),
            "unnamed_indicator": unnamed_numbers(t)}


def _by_place(f: dict) -> tuple:
    """county (missing last), then source_file: how the grouped checks order their groups across plans."""
    return (f["county"] is None, f["county"] or "", f["source_file"])


def merge_findings(parts: list[dict[str, list[dict]]], plan_order: dict[str, int]) -> list[dict]:
    """The findings of several plans' :func:`cross_row_findings` in the order one run over all their rows gives.

    Each check orders its groups by keys that start with the place (county, source file), or, for
    :func:`out_of_range`, by row, and the rows come plan by plan (``plan_order``: source_file -> position);
    within a plan the order is the plan's own. So a stable sort of the plans' findings by that key is the
    order of one run over the whole table.
    """
    out = []
    for check in CROSS_ROW:
        found = [f for part in parts for f in part.get(check, ())]
        if check == "change_mismatch":
            found.sort(key=lambda f: f["source_file"])
        elif check == "out_of_range":
            found.sort(key=lambda f: plan_order[f["source_file"]])
        else:
            found.sort(key=_by_place)
        out += found
    return out


def run_checks(targets: pd.DataFrame, internal: pd.DataFrame | None, findings: list[dict],
               known: dict[str, dict[str, list[dict]]] | None = None,
               found: dict[str, dict[str, list[dict]]] | None = None) -> pd.DataFrame:
    """All findings as the `checks` table: those found while reading plus the cross-row checks.

    ``known``: source_file -> that plan's :func:`cross_row_findings`, kept from an earlier build, for
    plans whose rows are the same: their rows are not checked again. ``found``, when given, receives
    source_file -> :func:`cross_row_findings` of each plan checked here (for the next build).
    """
    key = ["source_file", "line", "char_start"]
    plan_order = {f: i for i, f in enumerate(pd.unique(targets["source_file"].to_numpy(dtype=object)))}
    if known:
        fresh = as_mask(~targets["source_file"].isin(list(known)))
        targets = targets[fresh]
        if internal is not None and not internal.empty:
            internal = internal[as_mask(~internal["source_file"].isin(list(known)))]
    t = targets.assign(table_id=targets["table_id"].fillna(""), indicator_id=targets["indicator_id"].fillna(""))
    cols = [c for c in ("_row_line", "_parent_line", "_section")
            if internal is not None and not internal.empty and c in internal.columns]
    keyed = targets[key].merge(internal[[*key, *cols]], on=key, how="left") if cols else None  # left: targets' order
    for col in ("_row_line", "_parent_line", "_section"):
        t[col] = keyed[col].to_numpy() if col in cols else pd.NA  # one row per target: the key is unique
    t["section_path"] = t["_section"]  # namedtuples (itertuples) cannot carry a leading underscore
    checked = cross_row_findings(t)
    del t, keyed
    per_plan: dict[str, dict[str, list[dict]]] = {f: {} for f in pd.unique(targets["source_file"].to_numpy(dtype=object))}
    for check, rows in checked.items():
        for f in rows:
            per_plan[f["source_file"]].setdefault(check, []).append(f)
    if found is not None:
        found.update(per_plan)
    rows = list(findings) + merge_findings([*per_plan.values(), *(known or {}).values()], plan_order)
    df = pd.DataFrame(rows) if rows else schema.empty_frame("checks")
    df = schema.conform(df, "checks")
    order = {"error": 0, "warning": 1, "info": 2}
    df = df.assign(_o=df["severity"].map(order)).sort_values(
        ["county", "_o", "check", "lines", "message"], kind="stable").drop(columns="_o")
    return df.reset_index(drop=True)
