"""write_table's CSV: the same bytes as pandas' to_csv(encoding="utf-8-sig"), written faster
(the BOM once, rows turned into text in chunks), whatever the chunk boundaries."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.build import io


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
