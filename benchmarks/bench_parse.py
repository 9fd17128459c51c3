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


def five_plans_once() -> None:
    """One pass over the five plans after a warm-up parse (run in a fresh process: caches start empty)."""
    real = sorted(RAW_DIR.glob("*.txt"))
    parse_plan(real[0])  # import and load dictionaries once, as any process does
    mbs, dt, size = throughput(real)
    print(f"{mbs} {dt} {size}")


def main() -> None:
    import statistics
    import subprocess

    from planlib.synth import write_corpus

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    # the five plans are one pass of ≈0.1 s that includes each text's first use of the dictionaries' caches:
    # single runs vary by ±15%, so five fresh processes, median and range
    runs = []
    for _ in range(5):
        out = subprocess.run([sys.executable, __file__, "--five-once"], capture_output=True, text=True, check=True)
        runs.append([float(x) for x in out.stdout.split()])
    rates = sorted(r[0] for r in runs)
    print(f"five plans: {runs[0][2] / 1e6:.3f} MB, median {statistics.median(rates):.2f} MB/s CPU "
          f"(range {rates[0]:.2f}–{rates[-1]:.2f} over 5 fresh processes; one pass each after a warm-up parse)")
    wall: list[float] = []
    with tempfile.TemporaryDirectory() as d:
        # plans of a realistic size (≈82 KB each: the five with other names and numbers, layouts kept), each
        # parsed once: the per-core rate of a corpus build's workers
        files = sorted(p for p in write_corpus(RAW_DIR, Path(d) / "raw", 200) if p.suffix == ".txt")
        parse_plan(files[0])
        mbs, dt, size = throughput(files, wall)
        print(f"write_corpus plans: {len(files)} plans, {size / 1e6:.3f} MB in {dt:.3f} s CPU = {mbs:.2f} MB/s "
              f"({dt / len(files) * 1000:.1f} ms CPU a plan; wall {wall[-1]:.3f} s)")
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000  # small made-up plans (make_plan): per-plan overhead
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
    if sys.argv[1:] == ["--five-once"]:
        five_plans_once()
    else:
        main()
