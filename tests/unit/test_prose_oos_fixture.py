"""The out-of-sample prose fixture is self-consistent: each expected row quotes its line, and its phrase
holds the expected number (the scorer, benchmarks/bench_prose_oos.py, then measures the extractor on it)."""
import csv
import math
from decimal import Decimal

from planlib.extract.dictionary import load_indicators
from planlib.read.numbers import find_quantities
from planlib.paths import PROJECT_ROOT
from planlib.schema import COMPARATORS, KINDS

FIXTURE = PROJECT_ROOT / "tests" / "fixtures" / "prose_oos"


def test_expected_rows_stand_on_the_fixture_text():
    lines = (FIXTURE / "plan.txt").read_text(encoding="utf-8").split("\n")
    with (FIXTURE / "expected.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ids = set(load_indicators())
    assert len(rows) >= 60
    for r in rows:
        assert r["phrase"] in lines[int(r["line"]) - 1], r
        assert r["kind"] in KINDS and r["comparator"] in COMPARATORS, r
        assert r["indicator_id"] == "" or r["indicator_id"] in ids, r
        values = [(q.value, q.value_high) for q in find_quantities(r["phrase"], roles={"quantity"})]
        high = Decimal(r["value_high"]) if r["value_high"] else None
        assert any(math.isclose(v, Decimal(r["value"])) and (h == high if high is not None else True)
                   for v, h in values), (r, values)
