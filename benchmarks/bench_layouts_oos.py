"""Unseen layouts (tests/fixtures/layouts_oos): how many hand-expected numbers planlib finds, with
the right year, and with year, kind, comparator, level and indicator_id all right.

Run with `make bench` (-v lists every number). Prints figures; the bar itself is a test
(tests/unit/test_layouts_oos.py).
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fixtures.layouts_oos.score import describe, score  # noqa: E402


def main() -> None:
    res = score()
    n = res["expected"]
    print(f"layouts out of sample (tests/fixtures/layouts_oos): {n} expected numbers")
    print(f"  found (file, line, value)             {res['found']}/{n}")
    print(f"  found with the right year             {res['right_year']}/{n}  (bar: 24 of 26)")
    print(f"  exact (+ kind, comparator, level, id) {res['exact']}/{n}")
    differs = Counter(f for _, row, d in res["results"] if row is not None for f in d)
    if differs:
        print("  fields that differ on found rows: " + ", ".join(f"{k} {v}" for k, v in differs.most_common()))
    by_file = Counter(w["file"] for w, row, d in res["results"] if row is not None and "year" not in d)
    totals = Counter(w["file"] for w, _, _ in res["results"])
    print("  right year by fixture: " + ", ".join(f"{f} {by_file[f]}/{t}" for f, t in sorted(totals.items())))
    verbose = "-v" in sys.argv or "--verbose" in sys.argv
    for line in describe(res, only_misses=False):
        if verbose or not line.startswith("ok"):
            print("  " + line)


if __name__ == "__main__":
    main()
