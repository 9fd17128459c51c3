"""The wide comparison table researchers retype today: one row per county and indicator.

Derived from `targets` only: the latest stated baseline, the latest target, the stated
change, comparators and the source lines of each. Table rows are preferred to prose.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

COLUMNS = ["county", "indicator_id", "indicator_zh", "domain", "level", "unit",
           "baseline_year", "baseline", "baseline_comparator", "baseline_line",
           "target_year", "target", "target_comparator", "target_line",
           "change", "change_unit", "change_comparator", "change_line",
           "growth_pct", "growth_start_year", "growth_end_year", "source_file", "source_lines"]


def _pick(rows: list[dict]) -> dict | None:
    """The latest year first, then a table's number before the prose, then the first line (missing years last)."""
    if not rows:
        return None
    return min(rows, key=lambda r: (r["year"] is None, -(r["year"] or 0), r["source"] != "table",
                                    r["line"] is None, r["line"] or 0))


def comparison_table(targets: pd.DataFrame, derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """Wide table from tidy targets; ``growth_pct`` from the `derived` table (point-basis headcounts only).

    One source for one number: growth is computed once, in :mod:`planlib.build.derived`, and looked up here
    by county, indicator and level; a row without a derived growth (a rate, an amount, a flow) has none.
    The rows are grouped in one pass over the table (no pandas call per county and indicator).
    """
    from .derived import growth_for_comparison

    if derived is None:
        raise TypeError("comparison_table needs the derived table (planlib.build.derived.derived_tables)")
    growth = {(c, i, lv or ""): (v, s, e) for c, i, lv, v, s, e in growth_for_comparison(derived).itertuples(index=False)}
    named = targets[(targets["indicator_id"].fillna("") != "") & targets["county"].notna()]
    cols = ["county", "indicator_id", "indicator_zh", "domain", "level", "unit", "year", "kind", "value",
            "comparator", "line", "source", "source_file"]
    named = named[cols].astype(object)
    groups: dict[tuple, list[dict]] = {}
    for r in named.where(named.notna(), None).to_dict("records"):
        groups.setdefault((r["county"], r["indicator_id"]), []).append(r)
    rows = []
    for (county, ind), g in sorted(groups.items(), key=lambda kv: kv[0]):
        base = _pick([r for r in g if r["kind"] == "baseline" and r["year"] is not None])
        target = _pick([r for r in g if r["kind"] == "target" and r["year"] is not None])
        change = _pick([r for r in g if r["kind"] == "change"])
        first = next((r for r in (target, base, change) if r is not None), None)
        if first is None:
            continue  # only undated norms (每年, 生均): nothing to compare across places
        row = {"county": county, "indicator_id": ind, "indicator_zh": first["indicator_zh"], "domain": first["domain"],
               "level": first["level"], "unit": (target if target is not None else first)["unit"],
               "source_file": first["source_file"]}
        lines = []
        for name, r in (("baseline", base), ("target", target), ("change", change)):
            row[name] = r["value"] if r is not None else pd.NA
            row[f"{name}_comparator"] = r["comparator"] if r is not None else pd.NA
            row[f"{name}_line"] = r["line"] if r is not None else pd.NA
            if name != "change":
                row[f"{name}_year"] = r["year"] if r is not None else pd.NA
            else:
                row["change_unit"] = r["unit"] if r is not None else pd.NA
            if r is not None:
                lines.append(int(r["line"]))
        level = "" if pd.isna(first["level"]) else first["level"]
        value, start, end = growth.get((county, ind, level), (pd.NA, pd.NA, pd.NA))
        row["growth_pct"] = round(value, 4) if pd.notna(value) else pd.NA
        row["growth_start_year"], row["growth_end_year"] = start, end
        row["source_lines"] = ";".join(str(n) for n in lines)
        rows.append(row)
    df = pd.DataFrame(rows, columns=COLUMNS)
    for c in ("baseline_year", "target_year", "baseline_line", "target_line", "change_line",
              "growth_start_year", "growth_end_year"):
        df[c] = df[c].astype("Int64")
    for c in ("baseline", "target", "change", "growth_pct"):
        df[c] = pd.to_numeric(df[c]).astype("Float64")
    for c in set(COLUMNS) - {"baseline_year", "target_year", "baseline_line", "target_line", "change_line",
                             "growth_start_year", "growth_end_year", "baseline", "target", "change", "growth_pct"}:
        df[c] = df[c].astype("string")
    return df


def write_excel(df: pd.DataFrame, path: Path) -> None:
    """comparison.xlsx with fixed dates inside and in the zip, so rebuilding gives the same bytes."""
    import datetime
    import io
    import zipfile

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as xw:
        df.to_excel(xw, index=False, sheet_name="comparison")
        props = xw.book.properties
        props.created = props.modified = datetime.datetime(2021, 1, 1)
        props.creator = "planlib"
    buffer.seek(0)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2021, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-01-01T00:00:00Z", data)
            dst.writestr(fixed, data)
