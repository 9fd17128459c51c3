"""Writing and reading finished tables: CSV (UTF-8 with BOM, for Excel) and Parquet side by side."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import schema


#: Excel's limits on a worksheet (https://support.microsoft.com/office/excel-specifications-and-limits).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767


#: Rows pandas turns into text at a time when writing a CSV (few enough to keep memory flat).
CSV_CHUNK_ROWS = 10_000


def write_table(df: pd.DataFrame, name: str, out_dir: Path, csv: bool = True) -> list[Path]:
    """Validate ``df`` against its schema and write ``name.parquet`` (and ``name.csv``) reproducibly."""
    if name in schema.TABLES:
        df = schema.validate(schema.conform(df, name), name)
    written = []
    if csv:
        csv_path = out_dir / f"{name}.csv"
        write_csv(df, csv_path)
        written.append(csv_path)
    pq_path = out_dir / f"{name}.parquet"
    # no pandas index metadata, fixed compression: byte-identical output for identical frames
    df.to_parquet(pq_path, index=False, compression="zstd", engine="pyarrow")
    return written + [pq_path]


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """The bytes of ``df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\\n")``, ≈15% less CPU.

    The BOM is written once (utf-8-sig's encoder is Python code, run for every row), and pandas turns
    rows into text 10,000 at a time (its default chunk, 100,000 cells, is ≈3,300 rows of a 30-column
    table, each chunk paying a fixed cost).
    """
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        df.to_csv(fh, index=False, lineterminator="\n", chunksize=CSV_CHUNK_ROWS)


def excel_problem(df: pd.DataFrame) -> str | None:
    """Why ``df`` does not fit one Excel worksheet (header row included), or None if it does.

    >>> excel_problem(pd.DataFrame({"a": ["x" * 40_000]}))
    'a cell of column a holds 40,000 characters, over the 32,767 Excel allows'
    >>> excel_problem(pd.DataFrame({"a": [1, 2]})) is None
    True
    """
    if len(df) + 1 > EXCEL_MAX_ROWS:
        return f"{len(df):,} rows and a header, over the {EXCEL_MAX_ROWS:,} rows Excel allows"
    if df.shape[1] > EXCEL_MAX_COLUMNS:
        return f"{df.shape[1]:,} columns, over the {EXCEL_MAX_COLUMNS:,} Excel allows"
    for col in df.columns:
        if df[col].dtype == object or pd.api.types.is_string_dtype(df[col]):
            longest = df[col].dropna().astype(str).str.len().max()
            if pd.notna(longest) and longest > EXCEL_MAX_CELL_CHARS:
                return (f"a cell of column {col} holds {int(longest):,} characters, over the "
                        f"{EXCEL_MAX_CELL_CHARS:,} Excel allows")
    return None


#: Below this many cells (rows × columns) comparison.xlsx is written in the build's own process:
#: starting a process would cost about what writing it there takes (≈3 µs a cell with XlsxWriter).
EXCEL_BACKGROUND_CELLS = 200_000


def _write_excel_here(df: pd.DataFrame, path: str) -> float:
    """Run in the background process: write the workbook; its CPU seconds (that process's own)."""
    import time

    from .comparison import write_excel

    start = time.process_time()
    write_excel(df, Path(path))
    return time.process_time() - start


class BackgroundExcel:
    """comparison.xlsx written by a process of its own while the build writes the other tables.

    XlsxWriter is pure Python (it holds the GIL), so a thread would not run beside pandas' CSV
    writer; a process does, on the core the parse workers no longer use. :meth:`wait` returns when
    the file is written or raises what the process raised; :meth:`stop` ends the process (after
    an error elsewhere), so that nothing writes into the folder once it is removed.
    """

    def __init__(self, df: pd.DataFrame, path: Path):
        from concurrent.futures import ProcessPoolExecutor

        from .parallel import _pool_context, _worker_init

        self.path = Path(path)
        self._executor = ProcessPoolExecutor(max_workers=1, mp_context=_pool_context(), initializer=_worker_init)
        self._future = self._executor.submit(_write_excel_here, df, str(path))

    def wait(self) -> float:
        """Block until written; the writing process's CPU seconds."""
        from concurrent.futures.process import BrokenProcessPool

        from ..errors import PlanlibError

        try:
            cpu = self._future.result()
        except BrokenProcessPool:
            raise PlanlibError(f"{self.path.name}: the process writing it ended before it was written "
                               "(out of memory?)") from None
        self._executor.shutdown(wait=True)
        return cpu

    def stop(self) -> None:
        """End the writing process and wait for it to be gone."""
        from .parallel import _stop

        _stop(self._executor)


def read_table(name: str, processed_dir: Path) -> pd.DataFrame:
    """Read one table, preferring Parquet (keeps dtypes), falling back to the CSV."""
    pq_path = processed_dir / f"{name}.parquet"
    if pq_path.exists():
        df = pd.read_parquet(pq_path)
    else:
        csv_path = processed_dir / f"{name}.csv"
        df = pd.read_csv(csv_path, encoding="utf-8-sig", dtype=str, keep_default_na=False, na_values=[""])
    if name in schema.TABLES:
        df = schema.conform(df, name)
    return df
