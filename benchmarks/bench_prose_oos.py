"""Prose extraction measured out of sample: precision and recall on a plan the rules were never fitted to.

tests/fixtures/prose_oos/plan.txt is a synthetic plan in new wording; expected.csv holds the rows a
researcher would record, written by hand before the extractor was run on it (see the README there).
Run with `make bench`. Prints figures and the rows that differ; asserts nothing (no threshold is a test).

- found: a row for the expected number (same line, value and upper value; repeats matched in order).
- exact: found, and year, kind, unit and comparator agree, and the indicator_id where one is expected.
Precision divides by the rows planlib wrote for the fixture, recall by the expected rows.
"""
from __future__ import annotations

import csv
import math
import sys
from collections import Counter
from pathlib import Path

from planlib.build.pipeline import parse_plan

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "prose_oos"
FIELDS = ("year", "kind", "unit", "comparator", "indicator_id")


def _num(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _same(a, b) -> bool:
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        return (a is None or (isinstance(a, float) and math.isnan(a))) == (b is None or (isinstance(b, float) and math.isnan(b)))
    return math.isclose(float(a), float(b), rel_tol=1e-9)


def load_expected(path: Path = FIXTURE / "expected.csv") -> list[dict]:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["line"] = int(r["line"])
        r["value"], r["value_high"], r["year"] = _num(r["value"]), _num(r["value_high"]), _num(r["year"])
    return rows


def extracted(path: Path = FIXTURE / "plan.txt") -> list[dict]:
    frame = parse_plan(path).targets_frame.sort_values(["line", "char_start"])
    rows = []
    for r in frame.to_dict("records"):
        rows.append({k: (None if r[k] is None or (not isinstance(r[k], str) and r[k] != r[k]) else r[k])
                     for k in r} | {"line": int(r["line"])})
    return rows


def _field_differs(field: str, want: dict, got: dict) -> bool:
    if field == "indicator_id" and not want["indicator_id"]:
        return False  # the fixture names an indicator only where it is obvious
    if field == "year":
        return not _same(want["year"], got["year"])
    return (want[field] or "") != (got[field] or "")


def evaluate(expected: list[dict], got: list[dict]) -> dict:
    """Match expected to extracted rows by (line, value, value_high), in order; count fields that differ."""
    pool: dict[tuple, list[dict]] = {}
    for g in got:
        pool.setdefault((g["line"], round(float(g["value"]), 6),
                         None if g["value_high"] is None else round(float(g["value_high"]), 6)), []).append(g)
    missed, wrong, exact = [], [], 0
    differs = Counter()
    for want in expected:
        key = (want["line"], round(want["value"], 6), None if want["value_high"] is None else round(want["value_high"], 6))
        if not pool.get(key):
            missed.append(want)
            continue
        got_row = pool[key].pop(0)
        bad = [f for f in FIELDS if _field_differs(f, want, got_row)]
        differs.update(bad)
        if bad:
            wrong.append((want, got_row, bad))
        else:
            exact += 1
    spurious = [g for rows in pool.values() for g in rows]
    found = len(expected) - len(missed)
    return {"expected": len(expected), "extracted": len(got), "found": found, "exact": exact,
            "missed": missed, "spurious": spurious, "wrong": wrong, "differs": differs}


def main() -> None:
    expected, got = load_expected(), extracted()
    res = evaluate(expected, got)
    n_exp, n_got = res["expected"], res["extracted"]
    print(f"prose out of sample ({FIXTURE.relative_to(FIXTURE.parent.parent.parent)}): "
          f"{n_exp} expected numbers, {n_got} rows extracted")
    for label, hits in (("found (line, value)", res["found"]), ("exact (+ year, kind, unit, comparator, id)", res["exact"])):
        p = hits / n_got if n_got else float("nan")
        r = hits / n_exp
        print(f"  {label:<44} precision {p:.2f} ({hits}/{n_got})  recall {r:.2f} ({hits}/{n_exp})")
    if res["differs"]:
        print("  fields that differ on found rows: " + ", ".join(f"{k} {v}" for k, v in res["differs"].most_common()))
    if "-v" in sys.argv or "--verbose" in sys.argv:
        for w in res["missed"]:
            print(f"  missed   line {w['line']}: {w['value']:g} {w['unit']} ({w['phrase']})")
        for g in res["spurious"]:
            print(f"  spurious line {g['line']}: {g['value']:g} {g['unit']} {g['kind']} {g['year']} {g['quote']!r}")
        for want, g, bad in res["wrong"]:
            diff = "; ".join(f"{f} {g[f]!r} not {want[f]!r}" for f in bad)
            print(f"  differs  line {want['line']}: {want['value']:g} ({want['phrase']}): {diff}")


if __name__ == "__main__":
    main()
