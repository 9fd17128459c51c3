"""comparison.xlsx (planlib.build.comparison.write_excel): reproducible bytes, the cells of the table
read back as written (numbers as numbers, missing as empty, text as text), Excel's limits kept."""
import datetime
import math
import zipfile

import openpyxl
import pandas as pd
import pytest

from planlib.build import io
from planlib.build.comparison import write_excel
from planlib.paths import PROCESSED_DIR


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "county": pd.array(["某县", " spaced ", "", None, "=SUM(A1)"], dtype="string"),
        "comparator": pd.array(["=", ">=", "http://example.org", "a\tb\nc", None], dtype="string"),
        "year": pd.array([2020, None, 2025, 0, -3], dtype="Int64"),
        "value": pd.array([4281000000.0, 0.1, None, 12.3457, 1e-7], dtype="Float64"),
        "plain": [1.5, float("nan"), 3.0, 2.25, 1e20],
    })


def read_back(path) -> list[tuple]:
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["comparison"]
    return [tuple(row) for row in book["comparison"].iter_rows(values_only=True)]


def expected_cells(df: pd.DataFrame) -> list[tuple]:
    """What a reader sees: the header, then each value; NA and "" as empty cells."""
    rows = [tuple(df.columns)]
    for rec in df.astype(object).itertuples(index=False):
        rows.append(tuple(None if (v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) or v == "")
                          else v for v in rec))
    return rows


def assert_same_cells(got: list[tuple], want: list[tuple]) -> None:
    assert len(got) == len(want)
    for g_row, w_row in zip(got, want):
        assert len(g_row) == len(w_row)
        for g, w in zip(g_row, w_row):
            if w is None:
                assert g is None
            elif isinstance(w, str):
                assert isinstance(g, str) and g == w
            else:  # a number stays a number (a whole float may read back as an int)
                assert isinstance(g, (int, float)) and not isinstance(g, bool) and g == w


def test_cells_read_back_as_the_table_holds_them(tmp_path):
    df = frame()
    write_excel(df, tmp_path / "comparison.xlsx")
    assert_same_cells(read_back(tmp_path / "comparison.xlsx"), expected_cells(df))


def test_the_five_plans_comparison_reads_back_cell_for_cell(tmp_path):
    df = pd.read_parquet(PROCESSED_DIR / "comparison.parquet")
    write_excel(df, tmp_path / "comparison.xlsx")
    assert_same_cells(read_back(tmp_path / "comparison.xlsx"), expected_cells(df))


def test_the_same_table_gives_the_same_bytes_with_no_date_of_today(tmp_path):
    df = frame()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_excel(df, tmp_path / "a" / "comparison.xlsx")
    write_excel(df.copy(), tmp_path / "b" / "comparison.xlsx")
    first = (tmp_path / "a" / "comparison.xlsx").read_bytes()
    assert first == (tmp_path / "b" / "comparison.xlsx").read_bytes()
    this_year = datetime.date.today().year
    with zipfile.ZipFile(tmp_path / "a" / "comparison.xlsx") as z:
        assert all(info.date_time[0] != this_year for info in z.infolist())
        core = z.read("docProps/core.xml").decode()
    assert str(this_year) not in core and "2021-01-01T00:00:00Z" in core


def test_infinity_is_written_as_text_as_pandas_wrote_it(tmp_path):
    df = pd.DataFrame({"growth_pct": pd.array([float("inf"), None, -float("inf"), 1.5], dtype="Float64")})
    write_excel(df, tmp_path / "c.xlsx")
    assert read_back(tmp_path / "c.xlsx") == [("growth_pct",), ("inf",), (None,), ("-inf",), (1.5,)]


def test_a_cell_at_excels_limit_is_written_whole_and_one_past_it_is_refused(tmp_path):
    at_limit = pd.DataFrame({"a": ["x" * io.EXCEL_MAX_CELL_CHARS]})
    write_excel(at_limit, tmp_path / "ok.xlsx")
    assert read_back(tmp_path / "ok.xlsx")[1][0] == "x" * io.EXCEL_MAX_CELL_CHARS
    past = pd.DataFrame({"a": ["x" * (io.EXCEL_MAX_CELL_CHARS + 1)]})
    with pytest.raises(ValueError, match="32,768 characters"):
        write_excel(past, tmp_path / "past.xlsx")
    assert not (tmp_path / "past.xlsx").exists()


def test_too_many_rows_are_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "EXCEL_MAX_ROWS", 3)
    with pytest.raises(ValueError, match="rows"):
        write_excel(pd.DataFrame({"a": [1, 2, 3]}), tmp_path / "rows.xlsx")
    assert not (tmp_path / "rows.xlsx").exists()
