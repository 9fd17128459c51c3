"""Unseen layouts (issue 10's acceptance): small invented plans of each layout kind the issue names,
with numbers expected by hand in tests/fixtures/layouts_oos/expected.csv (see the README there).

The bar is the issue's: at least 24 of every 26 expected numbers found with the right year. The
figures for every field are printed by `make bench` (benchmarks/bench_layouts_oos.py).
"""
from __future__ import annotations

import math

from fixtures.layouts_oos.score import HERE, describe, load_expected, score  # tests/ is on sys.path
from planlib.extract.dictionary import load_indicators
from planlib.paths import RAW_DIR
from planlib.read.numbers import find_quantities
from planlib.schema import COMPARATORS, KINDS, LEVELS


def test_expected_rows_stand_on_the_fixture_text():
    """Each expected number is on its line, in the phrase given, with allowed kinds, levels and ids."""
    ids = set(load_indicators())
    rows = load_expected()
    assert len(rows) >= 26
    for r in rows:
        line = (HERE / r["file"]).read_text(encoding="utf-8").split("\n")[r["line"] - 1]
        assert r["phrase"] in line, r
        assert r["kind"] in KINDS and r["comparator"] in COMPARATORS and r["level"] in LEVELS + ("",), r
        assert r["indicator_id"] in ids or (r["indicator_id"] == "" and r["label"]), r
        values = [float(q.value) for q in find_quantities(r["phrase"], roles={"quantity"})]
        assert any(math.isclose(v, r["value"]) for v in values) or math.isclose(float(r["phrase"]), r["value"]), r


def test_the_fixtures_are_not_copied_from_the_plans():
    """Out of sample: no line of a fixture (beyond headings of a few characters) occurs in a real plan."""
    plans = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in RAW_DIR.glob("*.txt"))
    for path in HERE.glob("*.txt"):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if len(line.strip()) >= 16:
                assert line.strip() not in plans, f"{path.name}:{n} is copied from a plan"


def test_unseen_layouts_found_with_the_right_year():
    """≥ 24 of 26 (the same share of however many are expected) found with the right year."""
    res = score()
    need = math.ceil(res["expected"] * 24 / 26)
    assert res["right_year"] >= need, (
        f"{res['right_year']} of {res['expected']} found with the right year, need {need}:\n  "
        + "\n  ".join(describe(res, only_misses=True)))
