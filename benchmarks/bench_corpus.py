"""Build a generated corpus of N plans and print wall time, plans/s, MB/s, peak RSS and time per stage.

The corpus is made from the plans in data/raw (planlib.synth.write_corpus: other place names,
every number changed, layouts kept) in a temporary folder, then built with planlib's own
build into another temporary folder. Each N is built in a fresh Python process, so its peak RSS
(resource.getrusage: the process itself, and its children such as worker processes) is that
build's alone. The CPU column does not hold the pool's workers (children of multiprocessing's
forkserver, which getrusage does not see): compare wall times on a quiet machine. Stage times come from wrapping planlib's stage functions with timers; a stage run
in worker processes is not seen here and shows as "-" (its time is in the CPU and wall times).
Stage times are CPU seconds (time.process_time), which a machine shared with other work does not inflate.
After the build, one plan is changed and the corpus rebuilt from the cache. ``--reports K`` then runs
`planlib report` for the first K places of the first corpus (and their comparison).

    python benchmarks/bench_corpus.py            # N = 100, 500, 2800
    python benchmarks/bench_corpus.py 100 --profile /tmp/build.prof   # cProfile one build
    python benchmarks/bench_corpus.py 100 500 --reports 100   # and reports for the 100 places

Run with `make bench-corpus` (`make bench-corpus N=100`). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import inspect
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: (stage, module, function): each call of the function is added to its stage's time
STAGES = [
    ("read", "planlib.build.pipeline", "read_any"),
    ("parse", "planlib.build.pipeline", "parse_plan"),
    ("checks", "planlib.build.checks", "run_checks"),
    ("derived", "planlib.build.derived", "derived_tables"),
    ("comparison", "planlib.build.comparison", "comparison_table"),
    ("terms", "planlib.teach.textmine", "count_terms"),  # per plan (in the workers when --jobs > 1)
    ("terms", "planlib.build.pipeline", "terms_from_counts"),
    # the whole write step, plus the CPU of the process that writes comparison.xlsx beside it (--jobs > 1)
    ("write", "planlib.build.pipeline", "write_outputs"),
]
#: the write stage of a planlib without pipeline.write_outputs
OLD_WRITE = [("write", "planlib.build.pipeline", "write_table"), ("write", "planlib.build.comparison", "write_excel")]
DEFAULT_N = (100, 500, 2800)


def _timed(stage: str, fn, spent: dict):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        background = 0.0
        try:
            result = fn(*args, **kwargs)
            if fn.__name__ == "write_outputs" and isinstance(result, float):
                background = result  # a forkserver child's CPU, which getrusage does not see
                spent["background"] = spent.get("background", 0.0) + background
            return result
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.process_time() - t0 + background
    return wrapper


def _cpu() -> float:
    """User + system CPU seconds of this process and its finished children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def one(raw: Path, profile: str | None, jobs: int | None, keep: Path | None = None) -> dict:
    """Build the corpus in ``raw`` in this process (and its workers); the figures as a dict.

    ``keep``: build into this folder and leave it there (for the report run); else a temporary one.
    """
    spent: dict[str, float] = {}
    stages = STAGES if hasattr(importlib.import_module("planlib.build.pipeline"), "write_outputs") else STAGES + OLD_WRITE
    for stage, module, name in stages:
        mod = importlib.import_module(module)
        if hasattr(mod, name):
            setattr(mod, name, _timed(stage, getattr(mod, name), spent))
    from planlib.build import pipeline

    files = sorted(p for p in raw.iterdir() if p.name != "sources.csv")
    size = sum(p.stat().st_size for p in files)
    with tempfile.TemporaryDirectory(prefix="planlib-bench-") as tmp:
        out = keep if keep is not None else Path(tmp) / "out"
        kwargs = {"progress": False}
        if jobs is not None and "jobs" in inspect.signature(pipeline.build).parameters:
            kwargs["jobs"] = jobs
        if "cache_dir" in inspect.signature(pipeline.build).parameters:
            kwargs["cache_dir"] = Path(tmp) / "cache"  # filled by the first build, as `planlib build` does
        prof = None
        if profile:
            import cProfile
            prof = cProfile.Profile()
            prof.enable()
        t0, c0 = time.perf_counter(), _cpu()
        pipeline.build(raw, out, **kwargs)
        # the rebuild below adds to spent: the table shows the first build (background CPU is in its write stage)
        first_build_stages = {k: v for k, v in spent.items() if k != "background"}
        wall, cpu = time.perf_counter() - t0, _cpu() - c0 + spent.pop("background", 0.0)
        if prof is not None:
            prof.disable()
            prof.dump_stats(profile)
        rebuild = rebuild_cpu = None
        if "cache_dir" in kwargs:  # one plan changed: only it is parsed again, the corpus-wide steps rerun
            files[0].write_bytes(files[0].read_bytes() + "\n到2025年，新建幼儿园3所。\n".encode())
            t1, c1 = time.perf_counter(), _cpu()
            pipeline.build(raw, out, **kwargs)
            rebuild, rebuild_cpu = time.perf_counter() - t1, _cpu() - c1 + spent.pop("background", 0.0)
    self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"n": len(files), "mb": size / 1e6, "wall": wall, "cpu": cpu, "rss_self": self_rss, "rss_children": child_rss,
            "stages": first_build_stages, "rebuild": rebuild, "rebuild_cpu": rebuild_cpu}


def _tree_cpu() -> float:
    """CPU seconds of this process's finished children and their reaped descendants."""
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return kids.ru_utime + kids.ru_stime


def _run_child(cmd: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    c0 = _tree_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True)
    return done, _tree_cpu() - c0


def run_reports(processed: Path, slugs: list[str], jobs: int | None) -> dict:
    """`planlib report` for ``slugs`` on the tables in ``processed``: wall, and CPU of the processes it waited for."""
    with tempfile.TemporaryDirectory(prefix="planlib-bench-reports-") as tmp:
        listing = Path(tmp) / "counties.txt"
        listing.write_text("\n".join(slugs) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "planlib", "report", "--processed", str(processed),
               "--counties-from", str(listing), "--out", str(Path(tmp) / "out")]
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        t0 = time.perf_counter()
        done, cpu = _run_child(cmd)
        wall = time.perf_counter() - t0
        made = len(list((Path(tmp) / "out" / "reports").glob("*/report.html")))
    return {"wall": wall, "cpu": cpu, "rc": done.returncode, "html": made, "stderr": done.stderr[-2000:]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="*", type=int, help=f"corpus sizes (default {' '.join(map(str, DEFAULT_N))})")
    ap.add_argument("--profile", help="write a cProfile of the (single) build to this file")
    ap.add_argument("--jobs", type=int, help="passed to build() when it takes jobs")
    ap.add_argument("--reports", type=int, default=0, metavar="K",
                    help="after building the smallest corpus, run `planlib report` for its first K places")
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: build this raw folder in this process
    ap.add_argument("--keep", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(Path(args.one), args.profile, args.jobs, Path(args.keep) if args.keep else None)))
        return
    from planlib.paths import RAW_DIR
    from planlib.synth import write_corpus

    sizes = args.n or list(DEFAULT_N)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    names = ["read", "parse", "checks", "derived", "comparison", "terms", "write"]
    print(f"{'plans':>6} {'MB':>7} {'wall s':>8} {'CPU s':>7} {'plans/s':>8} {'MB/s':>6} {'RSS MB':>7} | "
          + " ".join(f"{s:>10}" for s in names) + f" {'other':>7}")
    for k, n in enumerate(sizes):
        with tempfile.TemporaryDirectory(prefix="planlib-bench-corpus-") as tmp:
            raw = Path(tmp) / "raw"
            write_corpus(RAW_DIR, raw, n)  # generated outside the timed process
            keep = Path(tmp) / "out" if args.reports and k == 0 else None
            cmd = [sys.executable, __file__, str(n), "--one", str(raw)]
            if keep is not None:
                cmd += ["--keep", str(keep)]
            if args.profile:
                cmd += ["--profile", args.profile]
            if args.jobs is not None:
                cmd += ["--jobs", str(args.jobs)]
            done, _ = _run_child(cmd)
            if done.returncode:
                print(f"{n:>6} failed (exit {done.returncode}):\n{done.stderr[-2000:]}", flush=True)
                continue
            r = json.loads(done.stdout.splitlines()[-1])
            st = r["stages"]
            # read happens inside parse: parse is shown without it
            shown = dict(st)
            if "parse" in shown and "read" in shown:
                shown["parse"] -= shown["read"]
            other = r["cpu"] - sum(v for k, v in shown.items())
            rss = max(r["rss_self"], r["rss_children"])
            print(f"{n:>6} {r['mb']:>7.1f} {r['wall']:>8.2f} {r['cpu']:>7.2f} {n / r['wall']:>8.1f} {r['mb'] / r['wall']:>6.2f} {rss:>7.0f} | "
                  + " ".join(f"{shown[s]:>10.2f}" if s in shown else f"{'-':>10}" for s in names) + f" {other:>7.2f}",
                  flush=True)
            if r.get("rebuild") is not None:
                print(f"{'':>6} rebuild after one plan changed (cache): {r['rebuild']:.2f} s wall, {r['rebuild_cpu']:.2f} s CPU "
                      f"= {100 * r['rebuild'] / r['wall']:.0f}% of the full build's wall time", flush=True)
            if keep is not None:
                slugs = sorted(p.stem for p in raw.iterdir() if p.name != "sources.csv")[:args.reports]
                rep = run_reports(keep, slugs, args.jobs)
                status = "ok" if rep["rc"] == 0 else f"exit {rep['rc']}: {rep['stderr']}"
                print(f"{'':>6} reports for {len(slugs)} places + their comparison: {rep['wall']:.1f} s wall, "
                      f"{rep['cpu']:.1f} s CPU (of the processes the command waited for), {rep['html']} HTML pages, {status}", flush=True)
    print("CPU: user + system seconds of the build process and of the xlsx writer process (a forkserver's "
          "workers, which parse the plans, are not counted: compare wall times on a quiet machine). Stage times are CPU seconds of the build "
          "process (a stage run in worker processes shows '-'). RSS: peak resident set of the build process or of "
          "its largest child (ru_maxrss); stage seconds are summed over calls; parse excludes read; "
          "other = CPU − stages (corrections, validation, plans table, ...)")


if __name__ == "__main__":
    main()
