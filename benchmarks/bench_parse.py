"""Parse throughput (MB/s of plan text, one core) over the five plans and a generated corpus.

Run with `make bench`. Prints figures; asserts nothing (benchmarks are not tests). MB/s are of CPU
time (time.process_time: this process only), so other work on a shared machine does not lower
them; the wall time is printed beside.
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


def throughput(paths: list[Path], wall: list[float] | None = None) -> tuple[float, float, int]:
    """(MB/s of CPU time, CPU seconds, bytes) of parsing ``paths`` one after the other; the wall
    seconds are appended to ``wall`` if given."""
    size = sum(p.stat().st_size for p in paths)
    t0, w0 = time.process_time(), time.perf_counter()
    for p in paths:
        parse_plan(p)
    dt = time.process_time() - t0
    if wall is not None:
        wall.append(time.perf_counter() - w0)
    return size / dt / 1e6, dt, size


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    real = sorted(RAW_DIR.glob("*.txt"))
    parse_plan(real[0])  # import and load dictionaries once, as any process does
    wall: list[float] = []
    mbs, dt, size = throughput(real, wall)
    print(f"five plans: {size / 1e6:.3f} MB in {dt:.3f} s CPU = {mbs:.2f} MB/s (wall {wall[-1]:.3f} s)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for i in range(n):
            p = Path(d) / f"synth{i:04d}.txt"
            p.write_text(make_plan(i).text, encoding="utf-8")
            paths.append(p)
        mbs, dt, size = throughput(paths, wall)
        print(f"generated corpus: {n} plans, {size / 1e6:.3f} MB in {dt:.3f} s CPU = {mbs:.2f} MB/s "
              f"(wall {wall[-1]:.3f} s; {dt / n * 1000:.1f} ms CPU a plan) "
              f"(each file read and parsed from scratch; {len(LAYOUTS)} table layouts, 5–60 paragraphs)")


if __name__ == "__main__":
    main()
