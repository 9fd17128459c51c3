"""The wide comparison table researchers retype today: one row per county and indicator.

Derived from `targets` only: the latest stated baseline, the latest target, the stated
change, comparators and the source lines of each. Table rows are preferred to prose.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .rows import as_mask

COLUMNS = ["county", "indicator_id", "indicator_zh", "domain", "level", "unit",
           "baseline_year", "baseline", "baseline_comparator", "baseline_line",
           "target_year", "target", "target_comparator", "target_line",
           "change", "change_unit", "change_comparator", "change_line",
           "growth_pct", "growth_start_year", "growth_end_year", "source_file", "source_lines"]


KEY = ["county", "indicator_id"]
INT_COLUMNS = ("baseline_year", "target_year", "baseline_line", "target_line", "change_line",
               "growth_start_year", "growth_end_year")
FLOAT_COLUMNS = ("baseline", "target", "change", "growth_pct")


def _pick(rows: pd.DataFrame) -> pd.DataFrame:
    """Per county and indicator, the row to show: the latest year first (missing years last), then a
    table's number before the prose, then the first line; on a tie, the first in the table's order.

    One stable sort of the whole table and the first row of each group (no pandas call per group).
    """
    year, line = rows["year"], rows["line"]
    order = pd.DataFrame({
        "year_missing": year.isna().to_numpy(dtype=bool), "year": -year.fillna(0).to_numpy(dtype="int64"),
        "not_table": (rows["source"].fillna("") != "table").to_numpy(dtype=bool),
        "line_missing": line.isna().to_numpy(dtype=bool), "line": line.fillna(0).to_numpy(dtype="int64"),
        "position": np.arange(len(rows))})
    picked = rows.iloc[order.sort_values(list(order.columns), kind="stable").index]
    return picked[~picked.duplicated(KEY).to_numpy(dtype=bool)]


def comparison_table(targets: pd.DataFrame, derived: pd.DataFrame | None = None) -> pd.DataFrame:
    """Wide table from tidy targets; ``growth_pct`` from the `derived` table (point-basis headcounts only).

    One source for one number: growth is computed once, in :mod:`planlib.build.derived`, and looked up here
    by county, indicator and level; a row without a derived growth (a rate, an amount, a flow) has none.
    Whole-table operations: each kind's chosen row per county and indicator by one sort, then merges.
    """
    from .derived import growth_for_comparison

    if derived is None:
        raise TypeError("comparison_table needs the derived table (planlib.build.derived.derived_tables)")
    cols = ["county", "indicator_id", "indicator_zh", "domain", "level", "unit", "year", "kind", "value",
            "comparator", "line", "source", "source_file"]
    named = targets.loc[as_mask((targets["indicator_id"].fillna("") != "") & targets["county"].notna()), cols]
    named = named.reset_index(drop=True)
    kind = named["kind"]
    picks = {"target": _pick(named[as_mask((kind == "target") & named["year"].notna())]),
             "baseline": _pick(named[as_mask((kind == "baseline") & named["year"].notna())]),
             "change": _pick(named[as_mask(kind == "change")])}
    # the row a place's indicator is described by: its target, else its baseline, else its change
    first = pd.concat(list(picks.values()), ignore_index=True)
    first = first[~first.duplicated(KEY).to_numpy(dtype=bool)].sort_values(KEY, kind="stable", ignore_index=True)
    df = first[[*KEY, "indicator_zh", "domain", "level", "unit", "source_file"]]
    for name, r in picks.items():
        keep = ["value", "comparator", "line", *(("year",) if name != "change" else ("unit",))]
        r = r[[*KEY, *keep]].rename(columns={"value": name, "comparator": f"{name}_comparator",
                                             "line": f"{name}_line", "year": f"{name}_year", "unit": "change_unit"})
        df = df.merge(r, on=KEY, how="left", sort=False)
    growth = growth_for_comparison(derived)
    growth = growth.assign(level=growth["level"].fillna(""))
    growth = growth[~growth.duplicated(["county", "indicator_id", "level"], keep="last").to_numpy(dtype=bool)]
    growth = growth.rename(columns={"level": "_level", "span_start": "growth_start_year", "span_end": "growth_end_year"})
    df = df.assign(_level=df["level"].fillna("")).merge(growth, on=[*KEY, "_level"], how="left", sort=False)
    df["growth_pct"] = np.round(pd.to_numeric(df["growth_pct"]).astype("Float64"), 4)
    lines = []
    for name in ("baseline", "target", "change"):
        lines.append(df[f"{name}_line"].astype("Int64").to_numpy(dtype=object, na_value=None).tolist())
    df["source_lines"] = [";".join(str(n) for n in row if n is not None) for row in zip(*lines)]
    df = df[COLUMNS].copy()
    for c in INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    for c in FLOAT_COLUMNS:
        df[c] = pd.to_numeric(df[c]).astype("Float64")
    for c in set(COLUMNS) - set(INT_COLUMNS) - set(FLOAT_COLUMNS):
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


def write_excel(df: pd.DataFrame, path: Path, *, fast: bool = True) -> None:
    """comparison.xlsx: one sheet, a header row, then the rows; missing values are empty cells.

    XlsxWriter (``constant_memory``) writes the header and the last row; the rows between are built
    column by column (:func:`planlib.build.xlsx_rows.row_xml`, in XlsxWriter's own cell XML) and put into
    its sheet, the zip rebuilt member by member as XlsxWriter wrote it: the file's bytes are those of
    writing every cell with XlsxWriter (``fast=False``, also the path for any value ``row_xml`` does not
    reproduce), several times faster. Text is always written as text (never taken for a formula or a
    link), numbers as numbers. Reproducible: fixed document dates, and XlsxWriter's fixed zip
    timestamps. Raises ValueError, writing nothing, for a table past Excel's limits
    (:func:`planlib.build.io.excel_problem`), which XlsxWriter would cut short.
    """
    from .io import excel_problem
    from .xlsx_rows import row_xml

    problem = excel_problem(df)
    if problem is not None:
        raise ValueError(f"{Path(path).name}: {problem}")
    built = row_xml(df) if fast else None
    if built is None:
        _write_cells(df, Path(path))
        return
    middle, last = built
    if last < 0 or len(middle) == 0:
        _write_cells(df.iloc[[last]] if last >= 0 else df.iloc[:0], Path(path), first_row=last + 1)
        return
    _write_spliced(df, Path(path), middle, last)


def _write_cells(df: pd.DataFrame, path: Path, first_row: int = 1) -> None:
    """XlsxWriter cell by cell: the header, then ``df``'s rows from sheet row ``first_row`` (0-based) on."""
    import datetime

    import xlsxwriter

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
        for i, row in enumerate(zip(*(values for _, values in columns)), start=first_row):
            for j, value in enumerate(row):
                if value is not None:
                    write[j](i, j, value)


def _write_spliced(df: pd.DataFrame, path: Path, middle, last: int) -> None:
    """XlsxWriter writes the header and row ``last`` (so its dimension and every other member are its
    own); ``middle`` (the rows between) goes before that row in the sheet; the zip is written again with
    each member's name, date, attributes and compression as XlsxWriter's ``ZipFile.write`` gave them,
    the sheet fed to the compressor in 8 KiB pieces as XlsxWriter copies it (the tests compare bytes)."""
    import tempfile
    import zipfile

    # beside the workbook, not in the system's temporary folder: whatever removes an unfinished output
    # (a failed build's folder, the background writer's own on SIGTERM) removes this with it
    with tempfile.TemporaryDirectory(prefix=".planlib-xlsx-small-", dir=path.parent) as tmp:
        small = Path(tmp) / "small.xlsx"
        _write_cells(df.iloc[[last]], small, first_row=last + 1)
        with zipfile.ZipFile(small) as src:
            members = [(info, src.read(info)) for info in src.infolist()]
    sheets = [k for k, (info, _) in enumerate(members) if info.filename.startswith("xl/worksheets/sheet")]
    if len(sheets) != 1:
        raise RuntimeError(f"{path.name}: expected one worksheet in XlsxWriter's workbook, found {len(sheets)}")
    info, sheet = members[sheets[0]]
    at = sheet.rfind(b'<row r="%d">' % (last + 2))
    if at < 0:
        raise RuntimeError(f"{path.name}: row {last + 2} not found in XlsxWriter's sheet")
    members[sheets[0]] = (info, [sheet[:at], middle, sheet[at:]])
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as out:
        for info, data in members:
            pieces = [memoryview(piece) for piece in (data if isinstance(data, list) else [data])]
            new = zipfile.ZipInfo(info.filename, info.date_time)
            new.compress_type = info.compress_type
            new.external_attr = info.external_attr
            new.file_size = sum(piece.nbytes for piece in pieces)
            with out.open(new, "w") as dest:
                for piece in pieces:  # zlib's stream does not depend on how its input is cut
                    for k in range(0, piece.nbytes, 8192):
                        dest.write(piece[k: k + 8192])
