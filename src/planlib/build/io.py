"""Writing and reading finished tables: CSV (UTF-8 with BOM, for Excel) and Parquet side by side."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import schema


#: Excel's limits on a worksheet (https://support.microsoft.com/office/excel-specifications-and-limits).
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
EXCEL_MAX_CELL_CHARS = 32_767


#: Rows joined into text at a time when writing a CSV (few enough to keep memory flat).
CSV_CHUNK_ROWS = 10_000


def write_table(df: pd.DataFrame, name: str, out_dir: Path, csv: bool = True, validated: bool = False) -> list[Path]:
    """Validate ``df`` against its schema and write ``name.parquet`` (and ``name.csv``) reproducibly.

    ``validated``: the caller passes a frame :func:`planlib.schema.validate` has approved and nothing has
    changed since (a build's tables, validated where they are made); only its columns and dtypes are
    checked again, not every value and key.
    """
    if name in schema.TABLES:
        if validated:
            check_columns(df, name)
        else:
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


def check_columns(df: pd.DataFrame, name: str) -> None:
    """Raise SchemaError unless ``df`` has exactly the schema's columns, in order, in its dtypes (no value is read)."""
    from ..errors import SchemaError

    if not schema.has_shape(df, name):
        expected = [(c.name, c.dtype) for c in schema.TABLES[name]["columns"]]
        found = [(str(c), str(t)) for c, t in df.dtypes.items()]
        raise SchemaError(f"table {name!r} is not as validated: columns and dtypes {found} != schema {expected}")


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """The bytes of ``df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\\n")``, several times faster.

    Each column is turned into text as whole arrays (:func:`csv_column_text`), :data:`CSV_CHUNK_ROWS`
    rows at a time (memory stays flat), and the rows are joined by Arrow, not one by one through
    Python's csv writer. A frame with a column of a dtype this does not reproduce (dates, categoricals,
    objects …), a single column (the csv module quotes a row's only field when empty) or no rows goes
    to pandas (:func:`pandas_csv`).
    """
    if not _csv_vectorised(df):
        pandas_csv(df, path)
        return
    import pyarrow.compute as pc

    with open(path, "wb") as fh:
        fh.write(b"\xef\xbb\xbf")
        fh.write(_csv_header(df).encode("utf-8"))
        for start in range(0, len(df), CSV_CHUNK_ROWS):
            columns = _csv_columns(df.iloc[start:start + CSV_CHUNK_ROWS])
            columns[-1] = pc.binary_join_element_wise(columns[-1], _text("\n"), _text(""))  # each row ends a line
            fh.write(_text_bytes(pc.binary_join_element_wise(*columns, _text(","))))


def pandas_csv(df: pd.DataFrame, path: Path) -> None:
    """``df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\\n")`` by pandas (the BOM written once)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\ufeff")
        df.to_csv(fh, index=False, lineterminator="\n", chunksize=CSV_CHUNK_ROWS)


#: The characters for which Python's csv writer (QUOTE_MINIMAL, as pandas calls it, with "\n" ending
#: a line) puts a field in quotes: the delimiter, the quote character and the line terminator's.
CSV_QUOTED_CHARS = ',"\n'


def _text(value: str) -> pa.Scalar:
    return pa.scalar(value, pa.large_string())


def _csv_header(df: pd.DataFrame) -> str:
    import csv
    import io as _io

    buf = _io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([str(c) for c in df.columns])
    return buf.getvalue()


def _csv_vectorised(df: pd.DataFrame) -> bool:
    """Whether :func:`write_csv` formats ``df`` itself (every column's dtype one :func:`csv_column_text` handles)."""
    if df.shape[1] < 2 or len(df) == 0 or isinstance(df.columns, pd.MultiIndex) or not df.columns.is_unique:
        return False
    return all(_csv_kind(t) for t in df.dtypes)


def _csv_kind(dtype) -> bool:
    return (isinstance(dtype, pd.StringDtype) or pd.api.types.is_integer_dtype(dtype)
            or pd.api.types.is_float_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))


def _csv_columns(df: pd.DataFrame) -> list[pa.Array] | None:
    """Every column's CSV fields (large_string, no nulls), or None if pandas must write this frame."""
    if not _csv_vectorised(df):
        return None
    return [csv_column_text(df[name]) for name in df.columns]


def csv_column_text(s: pd.Series) -> pa.Array | None:
    """The fields pandas' ``to_csv`` writes for ``s`` (quoted where the csv writer quotes), or None for a dtype not handled.

    Missing values are empty fields. Text as it is, quoted (quotes doubled) where it holds a comma,
    a quote or a line break; integers in decimal; floats as Python's repr ("1.0", "1e-07", "nan" for a
    NaN that a Float64 column holds as a value); booleans True/False.
    """
    import pyarrow.compute as pc

    dtype = s.dtype
    missing = s.isna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.StringDtype):
        text = pc.cast(pa.array(s.array, from_pandas=True), pa.large_string())
        if _holds_any(text, CSV_QUOTED_CHARS):  # most columns hold none: one pass over their bytes
            quote = pc.match_substring_regex(text, f"[{CSV_QUOTED_CHARS}]")
            quoted = pc.binary_join_element_wise(_text('"'), pc.replace_substring(text, '"', '""'), _text('"'),
                                                 _text(""))
            text = pc.if_else(quote, quoted, text)
    elif pd.api.types.is_integer_dtype(dtype):
        text = pc.cast(pa.array(s, from_pandas=True), pa.large_string())  # any width, signed or not
    elif pd.api.types.is_float_dtype(dtype):
        text = _float_text(s.to_numpy(dtype="float64", na_value=np.nan), missing)
    elif pd.api.types.is_bool_dtype(dtype):
        values = pa.array(s.to_numpy(dtype=bool, na_value=False))
        text = pc.if_else(values, _text("True"), _text("False"))
    else:
        return None
    if missing.any():
        text = pc.if_else(pa.array(missing), _text(""), text)
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


#: Below this magnitude a float that is a whole number prints as the integer and ".0" (repr switches
#: to an exponent at 1e16).
_WHOLE_FLOAT_LIMIT = 1e16


def _float_text(values: np.ndarray, missing: np.ndarray) -> pa.Array:
    """``repr`` of each float (as pandas writes them), whole numbers by Arrow, the rest by Python."""
    import pyarrow.compute as pc

    with np.errstate(invalid="ignore"):
        whole = (np.trunc(values) == values) & (np.abs(values) < _WHOLE_FLOAT_LIMIT)
    whole &= ~missing & ~((values == 0) & np.signbit(values))  # -0.0 prints its sign: Python's repr
    ints = pc.cast(pa.array(np.where(whole, values, 0).astype("int64")), pa.large_string())
    text = pc.binary_join_element_wise(ints, _text(".0"), _text(""))
    rest = ~whole & ~missing
    if rest.any():
        idx = np.flatnonzero(rest)
        reprs = np.empty(len(values), dtype=object)
        reprs[:] = ""
        reprs[idx] = [repr(v) for v in values[idx].tolist()]
        text = pc.if_else(pa.array(rest), pa.array(reprs, pa.large_string()), text)
    return text


def _holds_any(text: pa.Array | pa.ChunkedArray, chars: str) -> bool:
    """Whether any value of a string array holds one of the ASCII ``chars`` (a byte no other UTF-8 character uses)."""
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    wanted = np.frombuffer(chars.encode("ascii"), dtype=np.uint8)
    for chunk in chunks:
        if len(chunk) and chunk.buffers()[2] is not None:
            data = np.frombuffer(_text_bytes(chunk), dtype=np.uint8)
            if any((data == b).any() for b in wanted):
                return True
    return False


def _text_bytes(rows: pa.Array) -> memoryview:
    """The UTF-8 bytes of a string array's values, end to end (no nulls): the rows of a CSV."""
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64 if pa.types.is_large_string(rows.type) else np.int32)
    first, last = int(offsets[rows.offset]), int(offsets[rows.offset + len(rows)])
    return memoryview(rows.buffers()[2])[first:last]


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
#: starting a process would cost about what writing it there takes (≈3 µs a cell with XlsxWriter cell by
#: cell; column-wise, :mod:`planlib.build.xlsx_rows`, ≈0.6 µs: this threshold was not measured again since).
EXCEL_BACKGROUND_CELLS = 200_000


def _write_excel_here(df: pd.DataFrame, path: str | None) -> tuple[float, bytes | None]:
    """Run in the background process: write the workbook at ``path``, or (None) in a temporary folder of
    this process and return its bytes; and this process's CPU seconds."""
    import os
    import shutil
    import signal
    import tempfile
    import time

    from .comparison import write_excel

    start = time.process_time()
    if path is not None:
        write_excel(df, Path(path))
        return time.process_time() - start, None
    tmp = tempfile.mkdtemp(prefix=f"planlib-xlsx-{os.getpid()}-")  # the pid: whose folder it is

    def ended(signum, frame):  # BackgroundExcel.stop: leave no temporary folder behind
        shutil.rmtree(tmp, ignore_errors=True)
        os._exit(1)

    previous = signal.signal(signal.SIGTERM, ended)
    try:
        write_excel(df, Path(tmp) / "comparison.xlsx")
        data = (Path(tmp) / "comparison.xlsx").read_bytes()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)
    return time.process_time() - start, data


class BackgroundExcel:
    """comparison.xlsx written by a process of its own while the build does other work.

    XlsxWriter is pure Python (it holds the GIL), so a thread would not run beside the build's own
    steps; a process does, on the core the parse workers no longer use. Given a ``path``, the process
    writes the file there; without one (started before the output folder exists, as soon as the
    comparison table is final), it writes in a temporary folder of its own and :meth:`wait` saves the
    bytes where it is told. :meth:`wait` raises what the process raised; :meth:`stop` ends the process
    (after an error elsewhere), so that nothing writes into the folder once it is removed.
    """

    def __init__(self, df: pd.DataFrame, path: Path | None = None):
        from concurrent.futures import ProcessPoolExecutor

        from .parallel import _pool_context, _worker_init

        self.path = None if path is None else Path(path)
        self._done = False
        self._executor = ProcessPoolExecutor(max_workers=1, mp_context=_pool_context(), initializer=_worker_init)
        self._future = self._executor.submit(_write_excel_here, df, None if path is None else str(path))

    def wait(self, path: Path | None = None) -> float:
        """Block until written (saved at ``path`` if the process wrote it in a folder of its own); the
        writing process's CPU seconds."""
        from concurrent.futures.process import BrokenProcessPool

        from ..errors import PlanlibError

        path = self.path if path is None else Path(path)
        try:
            cpu, data = self._future.result()
        except BrokenProcessPool:
            raise PlanlibError(f"{path.name if path else 'comparison.xlsx'}: the process writing it ended before "
                               "it was written (out of memory?)") from None
        self._executor.shutdown(wait=True)
        self._done = True
        if data is not None:
            if path is None:
                raise ValueError("BackgroundExcel.wait: where to save the workbook (path) is not known")
            path.write_bytes(data)
        return cpu

    def stop(self) -> None:
        """End the writing process and wait for it to be gone (nothing to do once :meth:`wait` returned)."""
        from .parallel import _stop

        if not self._done:
            _stop(self._executor)
            self._done = True


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
