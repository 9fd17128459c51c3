"""comparison.xlsx written column-wise (planlib.build.xlsx_rows) has the bytes of XlsxWriter writing every
cell (write_excel(..., fast=False)); a value the column-wise path does not reproduce takes the per-cell path."""
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planlib.build.comparison import write_excel
from planlib.build.xlsx_rows import column_letters, row_xml
from planlib.paths import PROCESSED_DIR


def both(df: pd.DataFrame, folder: Path) -> tuple[bytes, bytes]:
    """The bytes of the column-wise path and of the per-cell path for ``df``."""
    folder.mkdir(parents=True, exist_ok=True)
    write_excel(df, folder / "fast.xlsx")
    write_excel(df, folder / "cells.xlsx", fast=False)
    return (folder / "fast.xlsx").read_bytes(), (folder / "cells.xlsx").read_bytes()


# no "/" (so no "<r>…</r>" rich string), no "_" (no "_xHHHH_"), no control character but tab and LF
ALPHABET = st.sampled_from(list("aZ0x9 &<>\"'=.\t\n") + ["\xa0", "\u3000", "\u2028", "\x85", "某", "县", "😀", "é"])
TEXT = st.one_of(st.none(), st.just(""), st.text(ALPHABET, max_size=12))
INT = st.one_of(st.none(), st.integers(-2**63, 2**63 - 1), st.integers(-3000, 3000))
FLOAT = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False),
                  st.sampled_from([0.0, -0.0, 1e-7, 5e-324, 1e16, 123456789012345678.0, 0.1 + 0.2, 2020.0, -3.5]))
BOOL = st.one_of(st.none(), st.booleans())


@st.composite
def frames(draw):
    n = draw(st.integers(0, 40))
    rows = st.lists(st.tuples(TEXT, TEXT, INT, FLOAT, FLOAT, BOOL, st.booleans()), min_size=n, max_size=n)
    data = draw(rows)
    cols = list(zip(*data)) if data else [()] * 7
    return pd.DataFrame({
        "county": pd.array(cols[0], dtype="string"),
        "note": pd.Series(cols[1], dtype=object),
        "year": pd.array(cols[2], dtype="Int64"),
        "value": pd.array(cols[3], dtype="Float64"),
        "plain": pd.Series([float("nan") if v is None else v for v in cols[4]], dtype="float64"),
        "flag": pd.array(cols[5], dtype="boolean"),
        "ok": pd.Series(cols[6], dtype=bool),
    })


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(df=frames())
def test_column_wise_bytes_equal_the_per_cell_bytes(df, tmp_path_factory):
    assert row_xml(df) is not None  # the column-wise path is taken
    fast, cells = both(df, tmp_path_factory.mktemp("x"))
    assert fast == cells


def test_the_cell_xml_is_xlsxwriters():
    df = pd.DataFrame({"s": pd.array([" a&b ", None, "<x>"], dtype="string"), "n": pd.array([1, None, 2], dtype="Int64"),
                       "f": [0.1, float("nan"), -0.0], "b": [True, False, True]})
    middle, last = row_xml(df)
    assert last == 2
    assert bytes(middle) == (b'<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a&amp;b </t></is></c>'
                      b'<c r="B2"><v>1</v></c><c r="C2"><v>0.1</v></c><c r="D2" t="b"><v>1</v></c></row>'
                      b'<row r="3"><c r="D3" t="b"><v>0</v></c></row>')


def test_rows_without_a_cell_are_left_out_and_small_tables_match(tmp_path):
    empty_rows = pd.DataFrame({"a": pd.array([None, "x", None, "y", None], dtype="string"),
                               "b": pd.array([None, None, None, 3, None], dtype="Int64")})
    for k, df in enumerate([empty_rows, empty_rows.iloc[:2], empty_rows.iloc[:1], empty_rows.iloc[:0],
                            pd.DataFrame({"only": [1.5]})]):
        assert row_xml(df) is not None
        fast, cells = both(df, tmp_path / str(k))
        assert fast == cells


@pytest.mark.parametrize("value", ["a\x01b", "a\rb", "_x0041_", "x\ufffe", "<r>rich</r>", "é" * 20_000])
def test_a_string_it_does_not_reproduce_takes_the_per_cell_path_with_the_same_bytes(tmp_path, value):
    df = pd.DataFrame({"s": pd.array(["plain", value, " ok"], dtype="string"), "n": [1, 2, 3]})
    assert row_xml(df) is None
    fast, cells = both(df, tmp_path)
    assert fast == cells


def test_infinity_takes_the_per_cell_path(tmp_path):
    df = pd.DataFrame({"g": pd.array([1.5, float("inf"), None], dtype="Float64"), "s": ["a", "b", "c"]})
    assert row_xml(df) is None
    fast, cells = both(df, tmp_path)
    assert fast == cells


def test_an_unknown_dtype_takes_the_per_cell_path(tmp_path):
    df = pd.DataFrame({"when": pd.to_datetime(["2020-01-01", None]), "n": [1, 2]})
    assert row_xml(df) is None
    fast, cells = both(df, tmp_path)
    assert fast == cells


def test_column_letters():
    assert [column_letters(j) for j in (0, 25, 26, 51, 52, 701, 702, 16383)] == \
        ["A", "Z", "AA", "AZ", "BA", "ZZ", "AAA", "XFD"]


def test_the_five_plans_table_gives_the_committed_bytes(tmp_path):
    df = pd.read_parquet(PROCESSED_DIR / "comparison.parquet")
    assert row_xml(df) is not None
    fast, cells = both(df, tmp_path)
    assert fast == cells == (PROCESSED_DIR / "comparison.xlsx").read_bytes()


def test_the_spliced_write_leaves_nothing_behind(tmp_path, monkeypatch):
    """Its small workbook is made beside the output (removed with an unfinished output), not in the
    system's temporary folder, and removed once the workbook is written."""
    import tempfile

    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    out = tmp_path / "out"
    out.mkdir()
    from planlib.build import comparison

    made = []
    cells = comparison._write_cells

    def recorded(df, path, *args, **kwargs):
        made.append(Path(path))
        return cells(df, path, *args, **kwargs)

    monkeypatch.setattr(comparison, "_write_cells", recorded)
    df = pd.read_parquet(PROCESSED_DIR / "comparison.parquet")
    write_excel(df, out / "comparison.xlsx")
    assert len(made) == 1 and made[0].parent.parent == out  # the small workbook, in a folder inside out/
    assert sorted(p.name for p in out.iterdir()) == ["comparison.xlsx"]
    assert list(system_tmp.iterdir()) == []


def test_a_concatenated_table_with_chunked_arrow_columns_gives_the_per_cell_bytes(tmp_path):
    five = pd.read_parquet(PROCESSED_DIR / "comparison.parquet")
    df = pd.concat([five, five.assign(county=five["county"] + "_2")], ignore_index=True)
    assert row_xml(df) is not None
    fast, cells = both(df, tmp_path)
    assert fast == cells


def test_spaces_listed_are_what_str_isspace_matches():
    import sys

    from planlib.build import xlsx_rows

    assert xlsx_rows._SPACES == [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
