"""The cross-row checks look at one plan at a time, so a build keeps each plan's findings in its cache
(ChecksMemo) and a rebuild checks only the plans that changed or that a correction touches: the
`checks` table, rows and order, is the one a run over every row gives."""
from __future__ import annotations

import pandas as pd
import pytest

from planlib import schema
from planlib.build import cache as cache_mod
from planlib.build import checks
from planlib.build.parallel import collect_results
from planlib.build.pipeline import _internal_frame, _sorted_rows, assemble_tables
from planlib.paths import RAW_DIR
from planlib.synth import write_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """Six generated plans (every number changed, so restatements disagree), parsed."""
    tmp = tmp_path_factory.mktemp("memo")
    files = write_corpus(RAW_DIR, tmp / "raw", 6, seed=11)
    results = collect_results(files, jobs=1)
    return {"raw": tmp / "raw", "results": results,
            "targets": schema.frame_from_arrow([r.targets for r in results], "targets"),
            "internal": _internal_frame([r.internal for r in results]),
            "findings": [f for r in results for f in r.findings]}


def test_known_plans_findings_merge_into_the_order_of_one_run_over_all_rows(corpus):
    t, internal, findings = corpus["targets"], corpus["internal"], corpus["findings"]
    whole = checks.run_checks(t, internal, findings)
    assert whole["check"].nunique() >= 4  # the corpus gives findings of several kinds to put in order
    found = {}
    assert checks.run_checks(t, internal, findings, found=found).equals(whole)
    files = list(found)
    assert len(files) == 6
    for known_files in (files[::2], files[1:], files):  # some plans, all but one, every plan known
        known = {f: found[f] for f in known_files}
        again = {}
        got = checks.run_checks(t, internal, findings, known=known, found=again)
        pd.testing.assert_frame_equal(got, whole, check_exact=True)
        assert set(again) == set(files) - set(known_files)  # only the others were checked


def _checked_files(monkeypatch) -> list[set]:
    seen: list[set] = []
    real = checks.cross_row_findings

    def recording(t):
        seen.append(set(t["source_file"]))
        return real(t)

    monkeypatch.setattr(checks, "cross_row_findings", recording)
    return seen


def test_a_cached_assembly_checks_only_changed_or_corrected_plans(corpus, tmp_path, monkeypatch):
    results, raw = corpus["results"], corpus["raw"]
    plain = assemble_tables(results, raw, corrections_file=None)
    seen = _checked_files(monkeypatch)
    cache = tmp_path / "cache"
    first = assemble_tables(results, raw, corrections_file=None, cache_dir=cache)
    second = assemble_tables(results, raw, corrections_file=None, cache_dir=cache)
    assert len(seen[0]) == 6 and seen[1:] == [set()]  # the second checks no plan again
    for name in plain:
        pd.testing.assert_frame_equal(first[name], plain[name], check_exact=True)
        pd.testing.assert_frame_equal(second[name], plain[name], check_exact=True)

    # a correction changes one plan's rows: that plan is checked again, from its corrected rows
    row = corpus["targets"].iloc[3]
    corrections = tmp_path / "corrections.csv"
    corrections.write_text("source_file,line,value_raw,value,year,indicator_id,kind,drop,reason\n"
                           f"{row['source_file']},{row['line']},{row['value_raw']},,,,,yes,test\n", encoding="utf-8")
    seen.clear()
    corrected = assemble_tables(results, raw, corrections_file=corrections, cache_dir=cache)
    assert seen == [{row["source_file"]}]
    monkeypatch.undo()
    fresh = assemble_tables(results, raw, corrections_file=corrections)
    pd.testing.assert_frame_equal(corrected["checks"], fresh["checks"], check_exact=True)


def test_a_damaged_checks_memo_is_taken_as_empty(corpus, tmp_path, monkeypatch):
    results, raw = corpus["results"], corpus["raw"]
    cache = tmp_path / "cache"
    plain = assemble_tables(results, raw, corrections_file=None, cache_dir=cache)
    memo = cache / cache_mod.CHECKS_MEMO
    data = bytearray(memo.read_bytes())
    data[-5] ^= 0xFF
    memo.write_bytes(bytes(data))
    assert cache_mod.ChecksMemo(cache).plans == {}
    seen = _checked_files(monkeypatch)
    again = assemble_tables(results, raw, corrections_file=None, cache_dir=cache)
    assert len(seen[0]) == 6
    pd.testing.assert_frame_equal(again["checks"], plain["checks"], check_exact=True)
    assert cache_mod.ChecksMemo(cache).plans  # written again, whole


def test_sorted_rows_is_the_stable_sort_by_file_line_and_place(corpus):
    t = corpus["targets"]
    keys = ["source_file", "line", "char_start"]
    for frame in (t, t.iloc[::-1], t.sort_values(keys, kind="stable"), t.iloc[:0]):
        want = frame.sort_values(keys, kind="stable")
        got = _sorted_rows(frame)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert list(got.index) == list(want.index)
