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

from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pandas as pd

from .. import schema
from ..datafiles import package_yaml


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
    try:
        raw = float(Decimal("".join(ch for ch in row["value_raw"] if ch.isdigit() or ch == ".")))
        return abs(row["value"]) / raw if raw else 1.0
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return 1.0


def _tol(row) -> float:
    return half_unit(row["value_raw"], _scale(row))


def _finding(county, check, severity, message, lines, source_file, indicator_id="", year=None) -> dict:
    return {"county": county, "check": check, "severity": severity, "indicator_id": indicator_id or "",
            "year": year, "message": message, "lines": ";".join(str(int(n)) for n in sorted(set(lines))),
            "source_file": source_file}


def _fmt(v: float) -> str:
    return f"{v:,.4f}".rstrip("0").rstrip(".")


def change_mismatches(t: pd.DataFrame) -> list[dict]:
    """A table's change column against its own first and last year columns (same table row)."""
    out = []
    rows = t[(t["source"] == "table") & t["_row_line"].notna()]
    for (_, table_id, row_line), g in rows.groupby(["source_file", "table_id", "_row_line"], sort=True):
        changes = g[g["kind"] == "change"]
        levels = g[g["kind"] != "change"].dropna(subset=["year"]).sort_values("year")
        if changes.empty or len(levels) < 2:
            continue
        first, last = levels.iloc[0], levels.iloc[-1]
        for _, ch in changes.iterrows():
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


def sum_mismatches(t: pd.DataFrame) -> list[dict]:
    """Totals against the sum of their parts (by the identities in checks.yml)."""
    out = []
    levels = t[(t["kind"] != "change") & t["year"].notna() & (t["indicator_id"] != "")]
    group_cols = ["county", "source_file", "table_id", "year", "kind"]
    for keys, g in levels.groupby(group_cols, sort=True, dropna=False):
        by_id = {i: r for i, r in g.groupby("indicator_id")}
        for rule in check_rules()["sums"]:
            total, parts = rule["total"], rule["parts"]
            if total not in by_id or not all(p in by_id for p in parts):
                continue
            if any(len(by_id[i]) != 1 for i in [total, *parts]):
                continue  # ambiguous (several numbers for one indicator); cross-source check covers it
            trow = by_id[total].iloc[0]
            prows = [by_id[p].iloc[0] for p in parts]
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


def cross_source_conflicts(t: pd.DataFrame) -> list[dict]:
    """The same indicator, year and kind stated with different values in different places.

    Places are tables (each its own) and prose lines. Two tables, or a table and the prose,
    must agree; two prose lines are compared only when they word the measure identically
    (project lists give per-item numbers, such as classes per school, that are not aggregates).
    """
    out = []
    levels = t[(t["kind"] != "change") & t["year"].notna() & (t["indicator_id"] != "")]
    for (county, source_file, ind, year, kind), g in levels.groupby(
            ["county", "source_file", "indicator_id", "year", "kind"], sort=True):
        if len(g) < 2:
            continue
        g = g.assign(place=[tid if tid else f"prose line {int(ln)}" for tid, ln in zip(g["table_id"], g["line"])])
        exact = g[g["comparator"] == "="]
        rows = list(exact.itertuples(index=False))
        involved, with_table = {}, False
        for i, a in enumerate(rows):
            for b in rows[i + 1:]:
                if a.place == b.place or abs(a.value - b.value) <= _tol(a._asdict()) + _tol(b._asdict()):
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
        for _, b in g[g["comparator"].isin([">", ">=", "<", "<="])].iterrows():
            for _, e in exact.iterrows():
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


def _same_section(a, b) -> bool:
    sa, sb = getattr(a, "section_path", None), getattr(b, "section_path", None)
    return isinstance(sa, str) and sa == sb and sa != ""


def out_of_range(t: pd.DataFrame) -> list[dict]:
    from ..extract.dictionary import plausible

    out = []
    named = t[t["indicator_id"] != ""]
    for _, r in named.iterrows():
        if not plausible(r["indicator_id"], r["kind"], float(r["value"])):
            out.append(_finding(r["county"], "out_of_range", "warning",
                                f"{r['indicator_zh']} {r['kind']} {r['value_raw']}{r['unit_raw'] or ''} "
                                f"(= {_fmt(r['value'])} {r['unit'] or ''}) is outside the plausible range for {r['indicator_id']}",
                                [r["line"]], r["source_file"], r["indicator_id"], r["year"]))
    return out


def unnamed_numbers(t: pd.DataFrame) -> list[dict]:
    """In-domain numbers the dictionary cannot name: kept in targets, counted here."""
    out = []
    unnamed = t[t["indicator_id"] == ""]
    for (county, source_file), g in unnamed.groupby(["county", "source_file"], sort=True):
        by_domain = ", ".join(f"{d} {n}" for d, n in g["domain"].value_counts().sort_index().items())
        out.append(_finding(county, "unnamed_indicator", "info",
                            f"{len(g)} numbers in the four domains have no indicator_id ({by_domain}); "
                            "they are in targets with an empty indicator_id", g["line"].tolist(), source_file))
    return out


def run_checks(targets: pd.DataFrame, internal: pd.DataFrame | None, findings: list[dict]) -> pd.DataFrame:
    """All findings as the `checks` table: those found while reading plus the cross-row checks."""
    t = targets.copy()
    for col in ("_row_line", "_parent_line", "_section"):
        if internal is not None and not internal.empty and col in internal.columns:
            keyed = internal[["source_file", "line", "char_start", col]]
            t = t.merge(keyed, on=["source_file", "line", "char_start"], how="left")
        else:
            t[col] = pd.NA
    t["section_path"] = t["_section"]  # namedtuples (itertuples) cannot carry a leading underscore
    t["table_id"] = t["table_id"].fillna("")
    t["indicator_id"] = t["indicator_id"].fillna("")
    rows = list(findings)
    rows += change_mismatches(t)
    rows += sum_mismatches(t)
    rows += cross_source_conflicts(t)
    rows += out_of_range(t)
    rows += unnamed_numbers(t)
    df = pd.DataFrame(rows) if rows else schema.empty_frame("checks")
    df = schema.conform(df, "checks")
    order = {"error": 0, "warning": 1, "info": 2}
    df = df.assign(_o=df["severity"].map(order)).sort_values(
        ["county", "_o", "check", "lines", "message"], kind="stable").drop(columns="_o")
    return df.reset_index(drop=True)
