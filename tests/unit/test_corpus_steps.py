"""The corpus-wide steps (checks, derived, comparison, schema) give what the straightforward row-by-row
way gives, rows and order included: they read only some columns and some rows, column by column, and
sort instead of looping; a reference here does each the plain way (every row as a dict, every group)."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planlib import schema
from planlib.build import checks, comparison, derived, rows
from planlib.build.parallel import collect_results
from planlib.build.pipeline import _internal_frame, assemble_tables
from planlib.extract.dictionary import plausible
from planlib.paths import RAW_DIR
from planlib.synth import write_corpus


def reference_records(df, columns, mask=None):
    """The rows as to_dict("records") gives them: the way the steps read them before."""
    sub = df if mask is None else df[rows.as_mask(mask)]
    sub = sub[list(columns)].astype(object)
    return sub.where(sub.notna(), None).to_dict("records")


def reference_column_lists(df, columns, mask=None):
    recs = reference_records(df, columns, mask)
    return [[r[c] for r in recs] for c in columns]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Six generated plans (every number changed, so restatements disagree) and their finished tables."""
    tmp = tmp_path_factory.mktemp("corpus")
    files = write_corpus(RAW_DIR, tmp / "raw", 6, seed=11)
    results = collect_results(files, jobs=1)
    tables = assemble_tables(results, tmp / "raw", corrections_file=None)
    targets = schema.frame_from_arrow([r.targets for r in results], "targets")  # in file order, as the build
    internal = _internal_frame([r.internal for r in results])
    findings = [f for r in results for f in r.findings]
    return {"tables": tables, "targets": targets, "internal": internal, "findings": findings}


def test_records_equal_to_dict_records_for_every_dtype():
    df = pd.DataFrame({
        "s": pd.array(["a", None, "c", "d"], dtype="string"),
        "i": pd.array([1, None, 3, 4], dtype="Int64"),
        "f": pd.array([1.5, 2.5, None, 0.1], dtype="Float64"),
        "n": [1.0, np.nan, 3.0, 4.0],
        "o": ["x", None, np.nan, pd.NA],
        "k": [1, 2, 3, 4],
    })
    mask = pd.Series(pd.array([True, None, True, True], dtype="boolean"))
    for m in (None, mask, df["s"] != "c"):
        got = rows.records(df, list(df.columns), m)
        want = reference_records(df, list(df.columns), m)
        assert got == want
        assert [[type(v) for v in r.values()] for r in got] == [[type(v) for v in r.values()] for r in want]


def _check_frame(corpus):
    """The frame run_checks hands to each check (targets with the parser's working columns)."""
    seen = {}
    original = checks.change_mismatches

    def grab(t):
        seen["t"] = t
        return original(t)

    checks.change_mismatches = grab
    try:
        checks.run_checks(corpus["targets"], corpus["internal"], [])
    finally:
        checks.change_mismatches = original
    return seen["t"]


def _plain_checks(monkeypatch):
    """The checks read every row, the plain way: no prefilters, every row a dict, plausible() per row."""
    monkeypatch.setattr(checks, "records", reference_records)
    monkeypatch.setattr(checks, "column_lists", reference_column_lists)
    monkeypatch.setattr(checks, "_change_rows", lambda t, keys: rows.as_mask(
        (t["source"] == "table") & t["_row_line"].notna()))
    monkeypatch.setattr(checks, "_sum_ids", _all_ids)
    monkeypatch.setattr(checks, "_may_conflict", lambda t, keys: checks._levels_mask(t))
    monkeypatch.setattr(checks, "_plausible", lambda ids, kinds, values: np.array(
        [plausible(i, k, float(v)) for i, k, v in zip(ids, kinds, values)], dtype=bool))


def _all_ids():
    from planlib.extract.dictionary import load_indicators

    return set(load_indicators())


def test_each_check_gives_the_plain_rows_in_the_plain_order(corpus, monkeypatch):
    t = _check_frame(corpus)
    names = ["change_mismatches", "sum_mismatches", "cross_source_conflicts", "out_of_range", "unnamed_numbers"]
    fast = {name: getattr(checks, name)(t) for name in names}
    fast_table = checks.run_checks(corpus["targets"], corpus["internal"], corpus["findings"])
    _plain_checks(monkeypatch)
    plain = {name: getattr(checks, name)(t) for name in names}
    for name in names:
        assert fast[name] == plain[name], name
    assert all(plain[name] for name in names)  # the generated corpus gives findings of every kind
    pd.testing.assert_frame_equal(
        fast_table, checks.run_checks(corpus["targets"], corpus["internal"], corpus["findings"]), check_exact=True)


def test_cross_source_prefilter_keeps_a_group_whose_values_differ_or_are_bounded(monkeypatch):
    base = {"county": "a", "source_file": "a.txt", "indicator_id": "x", "indicator_zh": "x", "year": 2025,
            "kind": "target", "unit": "%", "unit_raw": "%", "level": None, "domain": "enrollment", "table_id": "",
            "section_path": None}
    t = pd.DataFrame([
        {**base, "value": 90.0, "value_raw": "90", "comparator": "=", "line": 3, "char_start": 0},
        {**base, "value": 95.0, "value_raw": "95", "comparator": ">=", "line": 9, "char_start": 0},  # breaks the bound
        {**base, "indicator_id": "y", "value": 1.0, "value_raw": "1", "comparator": "=", "line": 4, "char_start": 0},
        {**base, "indicator_id": "y", "value": 1.0, "value_raw": "1", "comparator": "=", "line": 5, "char_start": 0},
        {**base, "indicator_id": "z", "value": 1.0, "value_raw": "1", "comparator": "=", "line": 6, "char_start": 0},
        {**base, "indicator_id": "z", "value": 3.0, "value_raw": "3", "comparator": "=", "line": 7, "char_start": 0},
    ]).astype({"value": "Float64", "year": "Int64", "line": "Int64", "char_start": "Int64"})
    keys = ["county", "source_file", "indicator_id", "year", "kind"]
    assert checks._may_conflict(t, keys).tolist() == [True, True, False, False, True, True]
    fast = checks.cross_source_conflicts(t)
    monkeypatch.setattr(checks, "_may_conflict", lambda t, keys: checks._levels_mask(t))
    assert fast == checks.cross_source_conflicts(t) and [f["indicator_id"] for f in fast] == ["x", "z"]


def test_plausible_on_a_column_equals_plausible_per_row():
    from planlib.extract.dictionary import load_indicators

    indicators = load_indicators()
    ids, kinds, values = [], [], []
    for i, ind in list(indicators.items())[:40]:
        for kind in ("baseline", "target", "change"):
            for v in (ind.min_value, ind.max_value, ind.max_abs_change, -1e9, 1e9, 0.0, float("nan"), float("inf")):
                if v is not None:
                    ids.append(i)
                    kinds.append(kind)
                    values.append(float(v) if not (isinstance(v, float) and math.isnan(v)) else None)
                    for eps in (-1e-9, 1e-9):
                        if v is not None and math.isfinite(float(v)):
                            ids.append(i)
                            kinds.append(kind)
                            values.append(float(v) + eps)
    got = checks._plausible(pd.Series(ids, dtype="string"), pd.Series(kinds, dtype="string"),
                            pd.Series(values, dtype="Float64"))
    want = [False if v is None else plausible(i, k, v) for i, k, v in zip(ids, kinds, values)]
    assert got.tolist() == want
    assert any(want) and not all(want)
    with pytest.raises(KeyError, match="unknown indicator"):
        checks._plausible(pd.Series(["no_such_id"], dtype="string"), pd.Series(["target"], dtype="string"),
                          pd.Series([1.0], dtype="Float64"))


def test_derived_reads_the_rows_it_needs_and_gives_the_plain_tables(corpus, monkeypatch):
    tables = corpus["tables"]
    args = (tables["targets"], tables["indicators"], tables["plans"])
    fast = derived.derived_tables(*args)
    monkeypatch.setattr(derived, "records", reference_records)
    monkeypatch.setattr(derived, "_read_rows", lambda t, national: (np.ones(len(t), bool), np.ones(len(t), bool)))
    plain = derived.derived_tables(*args)
    assert len(fast[0]) and len(fast[1])
    for a, b in zip(fast, plain):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def reference_comparison(targets: pd.DataFrame, derived_table: pd.DataFrame) -> pd.DataFrame:
    """The comparison table the plain way: every row a dict, one Python pick per county, indicator and kind."""
    def pick(rs):
        if not rs:
            return None
        return min(rs, key=lambda r: (r["year"] is None, -(r["year"] or 0), r["source"] != "table",
                                      r["line"] is None, r["line"] or 0))

    growth = {(c, i, lv or ""): (v, s, e) for c, i, lv, v, s, e in
              derived.growth_for_comparison(derived_table).itertuples(index=False)}
    named = targets[(targets["indicator_id"].fillna("") != "") & targets["county"].notna()]
    groups: dict = {}
    for r in reference_records(named, list(named.columns)):
        groups.setdefault((r["county"], r["indicator_id"]), []).append(r)
    out = []
    for (county, ind), g in sorted(groups.items()):
        base = pick([r for r in g if r["kind"] == "baseline" and r["year"] is not None])
        target = pick([r for r in g if r["kind"] == "target" and r["year"] is not None])
        change = pick([r for r in g if r["kind"] == "change"])
        first = next((r for r in (target, base, change) if r is not None), None)
        if first is None:
            continue
        row = {"county": county, "indicator_id": ind, "indicator_zh": first["indicator_zh"], "domain": first["domain"],
               "level": first["level"], "unit": (target or first)["unit"], "source_file": first["source_file"]}
        lines = []
        for name, r in (("baseline", base), ("target", target), ("change", change)):
            row[name] = r["value"] if r else pd.NA
            row[f"{name}_comparator"] = r["comparator"] if r else pd.NA
            row[f"{name}_line"] = r["line"] if r else pd.NA
            row["change_unit" if name == "change" else f"{name}_year"] = (
                r["unit" if name == "change" else "year"] if r else pd.NA)
            if r:
                lines.append(str(int(r["line"])))
        value, start, end = growth.get((county, ind, first["level"] or ""), (pd.NA, pd.NA, pd.NA))
        row["growth_pct"] = round(value, 4) if pd.notna(value) else pd.NA
        row["growth_start_year"], row["growth_end_year"] = start, end
        row["source_lines"] = ";".join(lines)
        out.append(row)
    df = pd.DataFrame(out, columns=comparison.COLUMNS)
    for c in comparison.INT_COLUMNS:
        df[c] = df[c].astype("Int64")
    for c in comparison.FLOAT_COLUMNS:
        df[c] = pd.to_numeric(df[c]).astype("Float64")
    for c in set(comparison.COLUMNS) - set(comparison.INT_COLUMNS) - set(comparison.FLOAT_COLUMNS):
        df[c] = df[c].astype("string")
    return df


def test_comparison_equals_the_plain_pick_on_a_corpus(corpus):
    tables = corpus["tables"]
    fast = comparison.comparison_table(tables["targets"], tables["derived"])
    assert len(fast) and fast["growth_pct"].notna().any()
    pd.testing.assert_frame_equal(fast, reference_comparison(tables["targets"], tables["derived"]), check_exact=True)


def test_comparison_ties_missing_years_and_lines_pick_as_the_plain_way():
    row = {"county": "b", "indicator_id": "x", "indicator_zh": "甲", "domain": "enrollment", "level": None,
           "unit": "人", "year": 2025, "kind": "target", "value": 1.0, "comparator": "=", "line": 5,
           "source": "prose", "source_file": "b.txt"}
    rs = [
        {**row, "value": 2.0},                                  # tie with the next: the first in table order wins
        {**row, "value": 3.0},
        {**row, "value": 4.0, "line": None},                    # a missing line sorts last
        {**row, "value": 5.0, "source": "table", "line": 9},    # a table beats the prose
        {**row, "kind": "baseline", "year": 2020, "value": 6.0, "line": 7},
        {**row, "kind": "baseline", "year": 2019, "value": 7.0, "line": 1},  # the latest year wins
        {**row, "kind": "change", "year": None, "value": 8.0, "line": 2},
        {**row, "kind": "change", "year": 2025, "value": 9.0, "line": 3},    # a dated change beats an undated one
        {**row, "county": "a", "kind": "change", "year": None, "value": 1.5, "line": 8, "level": "primary"},
        {**row, "county": "a", "indicator_id": "w", "year": None, "value": 2.5},  # an undated target: no row
        {**row, "county": "a", "indicator_id": "", "value": 3.5},               # unnamed: left out
    ]
    targets = pd.DataFrame(rs).astype({"year": "Int64", "line": "Int64", "value": "Float64"})
    targets = targets.astype({c: "string" for c in targets.columns if targets[c].dtype == object})
    growth = pd.DataFrame({"county": ["b"], "derived_id": ["growth_pct"], "indicator_id": ["x"], "level": [""],
                           "value": pd.array([12.345678], dtype="Float64"),
                           "span_start": pd.array([2020], dtype="Int64"), "span_end": pd.array([2025], dtype="Int64")})
    fast = comparison.comparison_table(targets, growth)
    pd.testing.assert_frame_equal(fast, reference_comparison(targets, growth), check_exact=True)
    assert fast["target"].tolist() == [pd.NA, 5.0] and fast["change"].tolist() == [1.5, 9.0]
    assert fast["growth_pct"].tolist() == [pd.NA, 12.3457]
    empty = comparison.comparison_table(targets.iloc[:0], growth.iloc[:0])
    pd.testing.assert_frame_equal(empty, reference_comparison(targets.iloc[:0], growth.iloc[:0]), check_exact=True)


def test_conform_keeps_typed_columns_and_converts_the_others():
    typed = schema.conform(pd.DataFrame({"county": ["a"], "term": ["词"], "score": [1.5], "count": [2], "rank": [1],
                                         "first_line": [3], "source_file": ["a.txt"]}), "terms")
    again = schema.conform(typed, "terms")
    pd.testing.assert_frame_equal(again, typed, check_exact=True)
    other_storage = typed.assign(term=typed["term"].astype(pd.StringDtype("python")))
    assert schema.conform(other_storage, "terms")["term"].dtype == typed["term"].dtype  # same dtype, not only its name
    schema.validate(again, "terms")
    with pytest.raises(schema.SchemaError, match="values not allowed"):
        schema.validate(schema.conform(pd.DataFrame({"county": ["a"], "check": ["nonsense"], "severity": ["error"],
                                                     "message": ["m"], "lines": ["1"], "source_file": ["a.txt"]}),
                                       "checks"), "checks")
