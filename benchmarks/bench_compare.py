"""CPU of the comparison report's figures: draw (with its layout) and save (PNG, SVG, CSV), per figure.

    python benchmarks/bench_compare.py [--processed DIR] [--lang zh|en] [--out DIR]

The figures are made as the comparison notebook makes them (``Comparison._draw``, then ``save_figure``),
for every place in the tables. Seconds are CPU time of this process (time.process_time), so other work
on a shared machine does not inflate them much; the wall time is printed beside. Prints; asserts nothing.
"""
from __future__ import annotations

import argparse
import tempfile
import time

import matplotlib

matplotlib.use("agg")

from planlib.report import plots  # noqa: E402
from planlib.report.batch import Comparison  # noqa: E402

FIGURES = ("enrollment", "rates", "growth", "teachers", "funding")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--processed", default=None, help="folder of the processed tables (default: the project's)")
    ap.add_argument("--lang", default="zh", choices=("zh", "en"))
    ap.add_argument("--out", default=None, help="root for figures/ (default: a temporary folder)")
    args = ap.parse_args()
    out = args.out or tempfile.mkdtemp(prefix="bench-compare-")
    t0, w0 = time.process_time(), time.perf_counter()
    report = Comparison([], [], args.processed, out, args.lang)
    print(f"{len(report.counties)} places; tables and style {time.process_time() - t0:.2f} s CPU")
    total = time.process_time() - t0
    for key in FIGURES:
        t = time.process_time()
        fig = report._draw(key)
        drawn = time.process_time() - t
        t = time.process_time()
        plots.save_figure(fig, report.figures_dir / key)
        saved = time.process_time() - t
        total += drawn + saved
        w, h = fig.get_size_inches()
        print(f"{key:11s} draw+layout {drawn:5.2f} s  save {saved:5.2f} s  ({w:.0f} x {h:.1f} in, "
              f"{len(plots.figure_data(fig))} values)")
    print(f"comparison figures: {total:.2f} s CPU, {time.perf_counter() - w0:.1f} s wall; written under {out}")


if __name__ == "__main__":
    main()
