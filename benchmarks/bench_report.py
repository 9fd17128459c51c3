"""Time the report batch against a naive loop of the papermill and nbconvert command lines.

Both start cold (new processes, empty output folders) on the same tables and make the same
figures (compared byte for byte) and an executed notebook and HTML page per report. The
naive HTML uses the same template through the nbconvert CLI but without the embedded font
subset, so the naive loop does slightly less work. Prints the figures for the README.

    python benchmarks/bench_report.py [--jobs 2] [--counties a b ...] [--processed DIR] [--batch-only] [--svg]

``--batch-only`` times planlib's batch alone (for a corpus of a hundred places, where the naive loop
would take most of an hour): wall time, reports per second, and CPU seconds of the batch and its kernels.
``--svg`` has the batch save each county figure as SVG too (`planlib report --svg`; the naive loop always does).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from planlib import paths
from planlib.report.batch import COMPARISON, TEMPLATES_DIR, default_counties

BIN = Path(sys.executable).parent


def run_batch(out: Path, counties: list[str], jobs: int, processed: str | None, svg: bool = True) -> float:
    code = ("import sys; from planlib.report.batch import run_reports; "
            f"r = run_reports({counties!r}, jobs={jobs}, out_dir={str(out)!r}, processed_dir={processed!r}, "
            f"progress=False, svg={svg!r}); sys.exit(any(x['status'] != 'ok' for x in r))")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    return time.perf_counter() - start


def run_naive(out: Path, counties: list[str], processed: str | None) -> float:
    common = ["-p", "out_dir", str(out), "-p", "lang", "zh"]
    if processed:
        common += ["-p", "processed_dir", processed]
    notebooks = [(c, "county_report.ipynb", ["-p", "county", c]) for c in counties]
    notebooks.append((COMPARISON, "compare_counties.ipynb", ["-y", f"counties: {counties}"]))
    start = time.perf_counter()
    for name, notebook, params in notebooks:
        folder = out / "reports" / name
        folder.mkdir(parents=True, exist_ok=True)
        executed = folder / "report.ipynb"
        subprocess.run([str(BIN / "papermill"), "--no-progress-bar", str(paths.NOTEBOOKS_DIR / notebook),
                        str(executed), *params, *common], check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        f"--TemplateExporter.extra_template_paths={TEMPLATES_DIR}",
                        "--template", "lab", "--template-file", "report.html.j2",
                        "--output", "report", str(executed)], check=True, capture_output=True)
    return time.perf_counter() - start


def same_outputs(a: Path, b: Path) -> tuple[int, list[str]]:
    """Figures compared byte for byte; every report present in both."""
    figs_a = {p.relative_to(a) for p in (a / "figures").rglob("*") if p.is_file()}
    figs_b = {p.relative_to(b) for p in (b / "figures").rglob("*") if p.is_file()}
    problems = [f"only in one run: {p}" for p in sorted(figs_a ^ figs_b)]
    problems += [f"differs: {p}" for p in sorted(figs_a & figs_b) if (a / p).read_bytes() != (b / p).read_bytes()]
    for run in (a, b):
        for html in (run / "reports").glob("*/report.ipynb"):
            if not html.with_suffix(".html").exists():
                problems.append(f"no HTML: {html}")
    return len(figs_a & figs_b), problems


def _load() -> str:
    """The 1-minute load average ('?' where the system does not tell)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (AttributeError, OSError):
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS", 2)))
    parser.add_argument("--counties", nargs="*", default=None)
    parser.add_argument("--processed", default=None, help="processed tables (default: data/processed)")
    parser.add_argument("--batch-only", action="store_true", help="time planlib's batch only, not the naive loop")
    parser.add_argument("--svg", action="store_true", help="--batch-only: SVG of each county figure too")
    args = parser.parse_args(argv)
    counties = args.counties or default_counties(args.processed)
    with tempfile.TemporaryDirectory(prefix="planlib-bench-") as tmp:
        # both runs read one snapshot of the tables, even if data/processed is rebuilt meanwhile
        snapshot = Path(tmp) / "processed"
        shutil.copytree(paths.resolve(args.processed, paths.PROCESSED_DIR), snapshot)
        batch_out, naive_out = Path(tmp) / "batch", Path(tmp) / "naive"
        if args.batch_only:
            load_before = _load()
            cpu_before = os.times()
            batch = run_batch(batch_out, counties, args.jobs, str(snapshot), svg=args.svg)
            cpu = os.times()
            cpu_s = (cpu.children_user + cpu.children_system) - (cpu_before.children_user + cpu_before.children_system)
            n_html = len(list((batch_out / "reports").glob("*/report.html")))
            print(f"report batch: {len(counties)} places + comparison, --jobs {args.jobs}{' --svg' if args.svg else ''}, "
                  f"{os.cpu_count()} CPUs; "
                  f"load average before {load_before}, after {_load()} (other work inflates wall time, and CPU time less)")
            print(f"  wall {batch:6.1f} s, {n_html / batch:.2f} reports/s, CPU {cpu_s:.1f} s "
                  f"({cpu_s / max(n_html, 1):.2f} s a report); {n_html} HTML pages")
            return 0 if n_html == len(counties) + 1 else 1
        batch = run_batch(batch_out, counties, args.jobs, str(snapshot))
        naive = run_naive(naive_out, counties, str(snapshot))
        n_same, problems = same_outputs(batch_out, naive_out)
    print(f"report batch: {len(counties)} counties + comparison, {os.cpu_count()} CPUs")
    print(f"  planlib report (--jobs {args.jobs}):          {batch:6.1f} s")
    print(f"  naive loop (papermill + nbconvert CLI): {naive:6.1f} s")
    print(f"  speed-up: {naive / batch:.1f}x; {n_same} figure files identical in both runs")
    for p in problems:
        print(f"  PROBLEM: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
