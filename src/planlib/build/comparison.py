"""The wide comparison table researchers retype today: one row per county and indicator.

Derived from `targets` only: the latest stated baseline, the latest target, the stated
change, comparators and the source lines of each. Table rows are preferred to prose.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
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


#: The date written into comparison.xlsx (created and modified): rebuilding gives the same bytes.
EXCEL_DATE = (2021, 1, 1)


def excel_columns(df: pd.DataFrame) -> list[tuple[str, list]]:
    """Each column of ``df`` as (kind, values), missing values and "" None: kind "number", "bool", "string",
    or "mixed" for a number column holding inf, which Excel cannot hold (written as the text "inf",
    as pandas writes it).

    >>> excel_columns(pd.DataFrame({"n": pd.array([2020, None], dtype="Int64"), "s": ["=", ""]}))
    [('number', [2020, None]), ('string', ['=', None])]
    """
    out = []
    for col in df.columns:
        s = df[col]
        values = s.to_numpy(dtype=object, na_value=None).tolist()
        if pd.api.types.is_bool_dtype(s.dtype):
            out.append(("bool", values))
        elif pd.api.types.is_numeric_dtype(s.dtype):
            if np.isinf(s.to_numpy(dtype=float, na_value=np.nan)).any():
                values = [v if v is None or np.isfinite(v) else ("inf" if v > 0 else "-inf") for v in values]
                out.append(("mixed", values))
            else:
                out.append(("number", values))
        else:
            values = [v if v is None or isinstance(v, str) else str(v) for v in values]
            out.append(("string", [v or None for v in values]))  # "" is an empty cell, as openpyxl wrote it
    return out


def write_excel(df: pd.DataFrame, path: Path) -> None:
    """comparison.xlsx: one sheet, a header row, then the rows; missing values are empty cells.

    XlsxWriter row by row (``constant_memory``: each row goes to disk as it is done, so memory stays
    flat; several times faster than openpyxl through pandas). Text is always written as text (never
    taken for a formula or a link), numbers as numbers. Reproducible: fixed document dates, and
    XlsxWriter's fixed zip timestamps. Raises ValueError, writing nothing, for a table past Excel's
    limits (:func:`planlib.build.io.excel_problem`), which XlsxWriter would cut short.
    """
    import datetime

    import xlsxwriter

    from .io import excel_problem

    problem = excel_problem(df)
    if problem is not None:
        raise ValueError(f"{Path(path).name}: {problem}")

    with xlsxwriter.Workbook(str(path), {"constant_memory": True}) as book:
        book.set_properties({"author": "planlib", "created": datetime.datetime(*EXCEL_DATE)})
        sheet = book.add_worksheet("comparison")
        text, number = sheet.write_string, sheet.write_number

        def mixed(row: int, col: int, value) -> None:
            (text if isinstance(value, str) else number)(row, col, value)

        writers = {"number": number, "string": text, "bool": sheet.write_boolean, "mixed": mixed}
        for j, name in enumerate(df.columns):
            text(0, j, str(name))
        columns = excel_columns(df)
        write = [writers[kind] for kind, _ in columns]
        for i, row in enumerate(zip(*(values for _, values in columns)), start=1):
            for j, value in enumerate(row):
                if value is not None:
                    write[j](i, j, value)
