"""write_table's CSV: the same bytes as pandas' to_csv(encoding="utf-8-sig"), written faster (each
column formatted once, rows joined by Arrow; pandas for other dtypes), whatever the chunk boundaries."""
from __future__ import annotations

import csv
import io as pyio
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib import schema
from planlib.build import io
from planlib.build.pipeline import load_tables
from planlib.paths import PROCESSED_DIR


def reference_csv(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, encoding="utf-8-sig", lineterminator="\n").encode("utf-8-sig")


FRAMES = {
    "mixed": pd.DataFrame({
        "text": pd.array(["某县", 'say "hi"', "a,b", "line\nbreak", "", None, " pad "], dtype="string"),
        "n": pd.array([1, None, 3, 4, 5, 6, -7], dtype="Int64"),
        "x": pd.array([0.1, 4281000000.0, None, 1e-7, 1e20, 12.3457, -0.0], dtype="Float64"),
        "plain": [1.5, float("nan"), 3.0, 2.25, 1e20, 7.0, 0.5],
        "obj": ["a", None, "3", "b", "c", "d", "e"],
    }),
    "empty": pd.DataFrame({"a": pd.array([], dtype="string"), "b": pd.array([], dtype="Int64")}),
    "one column": pd.DataFrame({"a": ["", "x", None]}),
}


@pytest.mark.parametrize("chunk", [1, 3, 10_000])
@pytest.mark.parametrize("name", list(FRAMES))
def test_csv_bytes_are_pandas_utf8_sig_bytes(tmp_path, monkeypatch, name, chunk):
    monkeypatch.setattr(io, "CSV_CHUNK_ROWS", chunk)
    df = FRAMES[name]
    io.write_table(df, "not_a_schema_table", tmp_path)
    assert (tmp_path / "not_a_schema_table.csv").read_bytes() == reference_csv(df)


# --- the vectorised writer (io.write_csv's own formatting) against pandas' to_csv -----------------------------

def test_the_quoted_characters_are_those_pythons_csv_writer_quotes():
    """Every character the csv writer (as pandas calls it) puts in quotes, and no other."""
    buf = pyio.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    quoted = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        buf.seek(0)
        buf.truncate()
        writer.writerow([f"a{ch}b", "x"])
        if buf.getvalue() != f"a{ch}b,x\n":
            quoted.append(ch)
    assert sorted(quoted) == sorted(io.CSV_QUOTED_CHARS)


#: Text that hits the quoting rules often: delimiters, quotes, line ends, spaces, CJK, emoji.
TEXT = st.text(alphabet=st.sampled_from(list(',"\n\r \t\'ab;，某县“”😀\\')) | st.characters(exclude_categories=("Cs",)),
               max_size=12)
FLOATS = st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from(
    [0.0, -0.0, 1.0, -1.0, 0.1, 1e15, 1e16, -1e16, 9999999999999998.0, 1e-5, 1e-4, 123.456, 2.5e-308, 5e-324])
INTS = st.integers(min_value=-(2**63), max_value=2**63 - 1)


@st.composite
def columns(draw, n):
    """A column of ``n`` rows in one of the dtypes the schema uses, or numpy's, with missing values."""
    kind = draw(st.sampled_from(["string", "string[python]", "Int64", "Float64", "float64", "int64", "uint64",
                                 "UInt8", "bool", "boolean"]))
    missing = st.none()
    if kind in ("string", "string[python]"):
        values = draw(st.lists(TEXT | missing, min_size=n, max_size=n))
        return pd.array(values, dtype=kind)
    if kind == "Int64":
        return pd.array(draw(st.lists(INTS | missing, min_size=n, max_size=n)), dtype="Int64")
    if kind == "Float64":
        values = draw(st.lists(FLOATS | missing, min_size=n, max_size=n))
        data = np.array([0.0 if v is None else v for v in values])
        # NaN held as a value (not missing) is kept as pandas keeps it: written "nan"
        return pd.arrays.FloatingArray(data, np.array([v is None for v in values]))
    if kind == "float64":
        return np.array(draw(st.lists(FLOATS, min_size=n, max_size=n)), dtype="float64")
    if kind == "int64":
        return np.array(draw(st.lists(INTS, min_size=n, max_size=n)), dtype="int64")
    if kind == "uint64":
        return np.array(draw(st.lists(st.integers(0, 2**64 - 1), min_size=n, max_size=n)), dtype="uint64")
    if kind == "UInt8":
        return pd.array(draw(st.lists(st.integers(0, 255) | missing, min_size=n, max_size=n)), dtype="UInt8")
    if kind == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return pd.array(draw(st.lists(st.booleans() | missing, min_size=n, max_size=n)), dtype="boolean")


@st.composite
def frames(draw):
    n = draw(st.integers(min_value=1, max_value=12))
    width = draw(st.integers(min_value=2, max_value=5))
    names = draw(st.lists(TEXT.filter(bool), min_size=width, max_size=width, unique=True))
    return pd.DataFrame({name: draw(columns(n)) for name in names})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(df=frames(), chunk=st.sampled_from([1, 2, 10_000]))
def test_the_vectorised_csv_is_pandas_to_csv_for_every_dtype(tmp_path_factory, df, chunk):
    assert io._csv_columns(df) is not None  # the frame is written by the vectorised path, not by pandas
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    old, io.CSV_CHUNK_ROWS = io.CSV_CHUNK_ROWS, chunk
    try:
        io.write_csv(df, path)
    finally:
        io.CSV_CHUNK_ROWS = old
    assert path.read_bytes() == reference_csv(df)


@pytest.mark.parametrize("column", [
    pd.Series(["a", None, 3], dtype=object),
    pd.Series(pd.Categorical(["x", "y", None])),
    pd.Series(pd.to_datetime(["2021-01-02 00:00", None, "2022-03-04 05:06"])),
])
def test_other_dtypes_are_written_by_pandas(tmp_path, column):
    df = pd.DataFrame({"c": column, "n": [1, 2, 3]})
    assert io._csv_columns(df) is None
    io.write_csv(df, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes() == reference_csv(df)


@pytest.fixture(scope="module")
def five_plans():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_tables(PROCESSED_DIR, warn_stale=False)


def test_the_five_plans_tables_take_the_vectorised_path_and_keep_their_bytes(five_plans, tmp_path):
    for name, df in five_plans.items():
        if name in schema.TABLES:
            df = schema.validate(schema.conform(df, name), name)
        assert io._csv_columns(df) is not None, name
        io.write_csv(df, tmp_path / f"{name}.csv")
        assert (tmp_path / f"{name}.csv").read_bytes() == (PROCESSED_DIR / f"{name}.csv").read_bytes(), name
        assert (tmp_path / f"{name}.csv").read_bytes() == reference_csv(df), name
