"""A plan's result holds its rows as compact Arrow tables that become the same pandas frames as before.

The worker no longer conforms each plan's rows with pandas: :func:`planlib.schema.rows_to_arrow` types
them and :func:`planlib.schema.frame_from_arrow` conforms the corpus once. These tests hold that to
the old way (``schema.conform`` of each plan's ``pd.DataFrame``, then ``pd.concat``), value for value
and dtype for dtype, including rows that pandas would type differently from plan to plan.
"""
from __future__ import annotations

import math
import pickle
import warnings

import pandas as pd
import pyarrow as pa
import pytest

from planlib import schema
from planlib.build import cache as cache_mod
from planlib.build import pipeline
from planlib.build.cache import PlanCache
from planlib.errors import SchemaError
from planlib.paths import RAW_DIR


def _old_way(plans: list[list[dict]], table: str) -> pd.DataFrame:
    """What a build made of these rows before: one conformed frame per plan, concatenated, conformed again."""
    frames = []
    for rows in plans:
        public = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
        frames.append(schema.conform(pd.DataFrame(public) if public else schema.empty_frame(table), table))
    return schema.conform(pd.concat(frames, ignore_index=True), table)


def _new_way(plans: list[list[dict]], table: str) -> pd.DataFrame:
    return schema.frame_from_arrow([schema.rows_to_arrow(rows, table) for rows in plans], table)


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]


def _school(line: int, **kw) -> dict:
    row = {"county": "p01", "school": f"第{line}小学", "state": "current", "source_file": "data/raw/p01.txt",
           "text_file": "data/raw/p01.txt", "line": line}
    row.update(kw)
    return row


def test_rows_of_a_real_plan_become_the_frames_the_old_way_made():
    parsed = pipeline.parse_plan(RAW_DIR / "wuxi.txt")  # a plan with school tables
    for table, rows in (("targets", parsed.targets), ("schools", parsed.schools)):
        assert rows, table
        _same(_new_way([rows], table), _old_way([rows], table))
        _same(_new_way([rows], table), parsed.frame(table))


def test_missing_keys_none_nan_and_working_columns():
    plans = [[_school(1, year=2025, classes=12.0, _section="一"),
              _school(2, capacity=float("nan"), table_title=None),
              _school(3, year=None, classes=3)],
             [],  # a plan without school tables
             [_school(4, page=2)]]
    got = _new_way(plans, "schools")
    _same(got, _old_way(plans, "schools"))
    assert got["capacity"].isna().all() and got["table_title"].isna().all()  # NaN is missing, as in conform
    assert list(got["line"]) == [1, 2, 3, 4]  # plans in the order given


def test_values_pandas_types_per_plan_keep_that_plans_typing():
    """An int in a string column, a float year, a bool measure: conformed within their plan, as before."""
    plans = [[_school(1, table_title=5), _school(2, table_title=7)],  # ints only: "5"
             [_school(3, table_title=5), _school(4)],  # an int and a missing key: pandas makes 5.0 of it
             [_school(5, year=2025.0, classes=True)]]
    got = _new_way(plans, "schools")
    _same(got, _old_way(plans, "schools"))
    assert list(got["table_title"].iloc[:3]) == ["5", "7", "5.0"]


def test_an_unknown_column_is_refused_and_empty_rows_are_typed():
    with pytest.raises(SchemaError, match="not in the schema: \\['colour'\\]"):
        schema.rows_to_arrow([_school(1, colour="red")], "schools")
    empty = schema.rows_to_arrow([], "schools")
    assert empty.num_rows == 0 and empty.schema == schema.arrow_schema("schools")
    _same(schema.frame_from_arrow([], "schools"), schema.conform(schema.empty_frame("schools"), "schools"))


def test_internal_columns_are_there_when_some_plan_has_them():
    key = {"source_file": "data/raw/p01.txt", "char_start": 0}
    a = pipeline._internal_table([{**key, "line": 1, "_row_line": 3}, {**key, "line": 2}])
    b = pipeline._internal_table([{**key, "line": 5, "_section": "二"}])
    internal = pipeline._internal_frame([a, pipeline._internal_table([]), b])
    assert set(internal.columns) == {"source_file", "line", "char_start", "_row_line", "_section"}
    assert list(internal["line"]) == [1, 2, 5]
    rows = internal["_row_line"].tolist()
    assert rows[0] == 3 and math.isnan(rows[1]) and math.isnan(rows[2])  # numbers, NaN where none (as before)
    assert internal["_section"].iloc[2] == "二" and internal["_section"].isna().iloc[:2].all()
    assert pipeline._internal_frame([pipeline._internal_table([])]).empty


def test_a_derived_text_is_cited_on_every_row():
    rows = schema.rows_to_arrow([_school(1), _school(2)], "schools")
    cited = pipeline._with_text_file(rows, "data/processed/text/p01.txt")
    assert cited.schema == rows.schema
    assert cited.column("text_file").to_pylist() == ["data/processed/text/p01.txt"] * 2


def test_a_result_round_trips_through_pickle_and_the_cache(tmp_path, monkeypatch):
    path = RAW_DIR / "wuxi.txt"
    result = pipeline.plan_result(path)
    assert isinstance(result.targets, pa.Table) and result.targets.schema == schema.arrow_schema("targets")
    back = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert back.targets.equals(result.targets) and back.internal.equals(result.internal)

    cache = PlanCache(tmp_path / "cache")
    key = cache.key(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cache.put(key, result)
        got = cache.get(key, path)
    assert got.targets.equals(result.targets) and got.schools.equals(result.schools)
    assert got.findings == result.findings and got.meta == result.meta
    pd.testing.assert_frame_equal(got.term_counts.frame(), result.term_counts.frame())
    assert len(got.term_counts) > 0

    monkeypatch.setattr(cache_mod, "CODEC", "zlib")  # an entry written where pyarrow has no zstd reads back too
    cache.put(key, result)
    monkeypatch.undo()
    assert cache._entry(key).read_bytes()[len(cache_mod.MAGIC) + 32:][:4] == b"zlib"
    assert cache.get(key, path).targets.equals(result.targets)
