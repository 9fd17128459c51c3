"""Parse time on long input: number-dense lines of 1, 2 and 5 MB and a 20 MB file (MB/s, one core).

Time proportional to size means MB/s stays about flat from 1 to 5 MB. CPU time is printed beside
wall time: on a shared machine it is the steadier figure. Run with `make bench`.
Prints figures; asserts nothing (benchmarks are not tests).
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

TITLE = "某县教育事业发展“十四五”规划（2021—2025年）\n"
#: One clause of counts and rates, repeated without a line break: every number is read as prose.
DENSE = "小学在校生1234人，初中毛入学率98.5%；"


def timed(text: str) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, bytes, rows) of parse_plan on ``text`` written to a file."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "long.txt"
        path.write_text(text, encoding="utf-8")
        size = path.stat().st_size
        t0, c0 = time.perf_counter(), time.process_time()
        parsed = parse_plan(path)
        return time.perf_counter() - t0, time.process_time() - c0, size, len(parsed.targets)


def dense_line(mb: float) -> str:
    return TITLE + DENSE * int(mb * 1e6 / len(DENSE.encode("utf-8"))) + "\n"


def big_file(mb: float) -> str:
    """The five plans one after another, repeated: real lines, tables and headings."""
    base = "".join(p.read_text(encoding="utf-8") for p in sorted(RAW_DIR.glob("*.txt")))
    return base * max(1, round(mb * 1e6 / len(base.encode("utf-8"))))


def main() -> None:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    sizes = [float(a) for a in sys.argv[1:]] or [1, 2, 5]
    timed(dense_line(0.01))  # imports and word lists loaded once, as in any process
    for mb in sizes:
        report(f"dense line {mb:g} MB", *timed(dense_line(mb)))
    report("file of the five plans repeated, 20 MB", *timed(big_file(20)))


def report(what: str, wall: float, cpu: float, size: int, rows: int) -> None:
    print(f"{what}: {wall:.2f} s = {size / 1e6 / wall:.2f} MB/s (CPU {cpu:.2f} s = {size / 1e6 / cpu:.2f} MB/s; "
          f"{size / 1e6:.1f} MB, {rows} rows)", flush=True)


if __name__ == "__main__":
    main()
