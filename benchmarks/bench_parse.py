"""Parse throughput (MB/s of plan text, one core) over the five plans and a generated corpus.

Run with `make bench`. Prints figures; asserts nothing (benchmarks are not tests).
"""
from __future__ import annotations

import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from planlib.paths import RAW_DIR
from planlib.build.pipeline import parse_plan
from planlib.synth import LAYOUTS, make_plan


def throughput(paths: list[Path]) -> tuple[float, float, int]:
    size = sum(p.stat().st_size for p in paths)
    t0 = time.perf_counter()
    for p in paths:
        parse_plan(p)
    dt = time.perf_counter() - t0
    return size / dt / 1e6, dt, size


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    real = sorted(RAW_DIR.glob("*.txt"))
    parse_plan(real[0])  # import and load dictionaries once, as any process does
    mbs, dt, size = throughput(real)
    print(f"five plans: {size / 1e6:.3f} MB in {dt:.3f} s = {mbs:.2f} MB/s")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i in range(n):
            p = Path(d) / f"synth{i:04d}.txt"
            p.write_text(make_plan(i).text, encoding="utf-8")
            paths.append(p)
        mbs, dt, size = throughput(paths)
        print(f"generated corpus: {n} plans, {size / 1e6:.3f} MB in {dt:.3f} s = {mbs:.2f} MB/s "
              f"(each file read and parsed from scratch; {len(LAYOUTS)} table layouts, 5–60 paragraphs)")


if __name__ == "__main__":
    main()
