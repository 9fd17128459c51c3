"""The build's write stage on finished tables: CPU and wall seconds per table and format.

Reads the tables of a built output folder (e.g. a 500-plan build), optionally repeats every table
``--times`` times (5.6 ≈ a 2,800-plan corpus from a 500-plan one), then times, per table: schema
conform + validate, the CSV write, the Parquet write; and comparison.xlsx; then the whole write
step as ``pipeline.build`` runs it (:func:`planlib.build.pipeline.write_outputs`) with ``jobs`` 1 and 2,
whose wall times show what writing comparison.xlsx in a process of its own gains. CPU seconds are this process's (time.process_time, all threads)
plus its finished children, plus the CPU seconds the background xlsx process reports (it is a child of
the forkserver, not of this process); a machine shared with other work does not inflate them.

    python benchmarks/bench_write.py /work/ref/out500                 # the 500-plan tables
    python benchmarks/bench_write.py /work/ref/out500 --times 5.6     # ≈ 2,800 plans

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import inspect
import math
import resource
import tempfile
import time
import warnings
from pathlib import Path

import pandas as pd


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Timer:
    def __enter__(self):
        self.c0, self.t0 = _cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = _cpu() - self.c0, time.perf_counter() - self.t0


#: Columns a copy renames (``_2``, ``_3`` …), so that every table's key stays unique as in a bigger corpus.
RENAMED = ("county", "source_file", "indicator_id")


def repeated(df: pd.DataFrame, times: float) -> pd.DataFrame:
    """``df`` repeated ``times`` times (the last copy cut short), in order; each copy's places renamed."""
    if times == 1:
        return df
    whole = math.floor(times)
    rest = round((times - whole) * len(df))
    parts = []
    for k in range(whole + (1 if rest else 0)):
        part = df if k < whole else df.iloc[:rest]
        if k:
            part = part.assign(**{c: part[c] + f"_{k + 1}" for c in RENAMED if c in part.columns})
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def main() -> None:
    from planlib import schema
    from planlib.build import io, pipeline
    from planlib.build.comparison import write_excel
    from planlib.build.pipeline import load_tables

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path, help="a built output folder (its Parquet tables are read)")
    ap.add_argument("--times", type=float, default=1.0, help="repeat every table this many times")
    ap.add_argument("--skip-parts", action="store_true", help="time only the whole write step")
    args = ap.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tables = {name: repeated(df, args.times) for name, df in load_tables(args.folder, warn_stale=False).items()}
    print(f"tables of {args.folder} × {args.times}: "
          + ", ".join(f"{name} {len(df):,}" for name, df in tables.items()))
    with tempfile.TemporaryDirectory(prefix="planlib-bench-write-") as tmp:
        out = Path(tmp)
        if not args.skip_parts:
            print(f"{'table':>16} {'rows':>9} | {'conform':>8} {'CSV':>7} {'Parquet':>8}   (CPU s)")
            total = {"conform": 0.0, "csv": 0.0, "parquet": 0.0}
            for name, df in tables.items():
                with Timer() as t_conform:
                    if name in schema.TABLES:
                        df = schema.validate(schema.conform(df, name), name)
                with Timer() as t_csv:
                    if hasattr(io, "write_csv"):
                        io.write_csv(df, out / f"{name}.csv")
                    else:  # before write_csv
                        df.to_csv(out / f"{name}.csv", index=False, encoding="utf-8-sig", lineterminator="\n")
                with Timer() as t_pq:
                    df.to_parquet(out / f"{name}.parquet", index=False, compression="zstd", engine="pyarrow")
                total["conform"] += t_conform.cpu
                total["csv"] += t_csv.cpu
                total["parquet"] += t_pq.cpu
                print(f"{name:>16} {len(df):>9,} | {t_conform.cpu:>8.2f} {t_csv.cpu:>7.2f} {t_pq.cpu:>8.2f}")
            print(f"{'all':>16} {'':>9} | {total['conform']:>8.2f} {total['csv']:>7.2f} {total['parquet']:>8.2f}")
            if "comparison" in tables:
                with Timer() as t_x:
                    write_excel(tables["comparison"], out / "comparison.xlsx")
                print(f"comparison.xlsx: {t_x.cpu:.2f} s CPU, {t_x.wall:.2f} s wall, "
                      f"{(out / 'comparison.xlsx').stat().st_size / 1e6:.1f} MB; peak RSS so far "
                      f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        write_outputs = getattr(pipeline, "write_outputs", None)
        validated = {}  # as pipeline.build calls it: the tables validated where they were made
        if write_outputs is not None and "validated" in inspect.signature(write_outputs).parameters:
            tables = {name: schema.validate(schema.conform(df, name), name) if name in schema.TABLES else df
                      for name, df in tables.items()}
            validated = {"validated": True}
        for jobs in (1, 2):
            whole = out / f"whole-{jobs}"
            whole.mkdir()
            with Timer() as t_all:
                if write_outputs is not None:
                    child = write_outputs(tables, whole, jobs=jobs, **validated)
                else:  # before write_outputs: the loop pipeline.build ran
                    child = 0.0
                    for name, df in tables.items():
                        io.write_table(df, name, whole)
                    if io.excel_problem(tables["comparison"]) is None:
                        write_excel(tables["comparison"], whole / "comparison.xlsx")
            print(f"whole write step, jobs={jobs}: {t_all.cpu + child:.2f} s CPU ({t_all.cpu:.2f} this process, "
                  f"{child:.2f} the process writing comparison.xlsx), {t_all.wall:.2f} s wall")

if __name__ == "__main__":
    main()
