"""What one plan's result costs: to make (in a worker), to ship (pickle), to cache, and to fold in the driver.

For the first N plans of a raw folder (default: N generated plans in a temporary folder) it prints, per
plan, the CPU seconds of planlib.build.pipeline.plan_result and of its parts (parse_plan, term
counts, the rest: the result's tables), the pickled size of a result, the CPU of making its cache entry (in the worker, which sends
those bytes), of decoding it and writing it (in the driver: PlanCache.put given the entry), of PlanCache.get and an entry's size on disk; then the CPU of the
corpus-wide assembly from those results (pipeline.assemble_tables: concatenation, corrections,
checks, derived, comparison, schema) and the memory the results hold (Python heap by tracemalloc, plus Arrow's
allocations).
CPU seconds (time.process_time) are not inflated by other work on a shared machine.

    python benchmarks/bench_results.py 100                      # 100 generated plans
    python benchmarks/bench_results.py 200 --raw /some/raw      # the first 200 plans of a folder

Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import pickle
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path


def _timed(fn, spent: list):
    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent.append(time.process_time() - t0)
    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=100, help="plans (default 100)")
    ap.add_argument("--raw", type=Path, help="a raw folder to take the first N plans from (default: generate N)")
    args = ap.parse_args()

    from planlib.build import cache as cache_mod
    from planlib.build import pipeline
    from planlib.paths import RAW_DIR
    from planlib.synth import write_corpus
    from planlib.teach import textmine

    with tempfile.TemporaryDirectory(prefix="planlib-bench-results-") as tmp:
        raw = args.raw
        if raw is None:
            raw = Path(tmp) / "raw"
            write_corpus(RAW_DIR, raw, args.n)
        files = pipeline.plan_files(raw)[: args.n]
        parse_s: list[float] = []
        terms_s: list[float] = []
        pipeline.parse_plan = _timed(pipeline.parse_plan, parse_s)
        textmine.count_terms = _timed(textmine.count_terms, terms_s)  # plan_result imports it at call time
        results, total_s, sizes = [], [], []
        for path in files:
            t0 = time.process_time()
            r = pipeline.plan_result(path)
            total_s.append(time.process_time() - t0)
            sizes.append(len(pickle.dumps(r, protocol=pickle.HIGHEST_PROTOCOL)))
            results.append(r)
        cache = cache_mod.PlanCache(Path(tmp) / "cache")
        put_s, get_s, entry, encode_s, decode_s = [], [], [], [], []
        encode = getattr(cache_mod, "encode_entry", None)  # a worker's entry, which the driver writes as it is
        for path, r in zip(files, results):
            key = cache.key(path)
            data = None
            if encode is not None:
                t0 = time.process_time()
                data = encode(r)
                encode_s.append(time.process_time() - t0)
                t0 = time.process_time()
                cache_mod.decode_entry(data, check=False)
                decode_s.append(time.process_time() - t0)
            t0 = time.process_time()
            cache.put(key, r) if data is None else cache.put(key, r, data)
            put_s.append(time.process_time() - t0)
            entry.append(cache._entry(key).stat().st_size)
            t0 = time.process_time()
            back = cache.get(key, path)
            get_s.append(time.process_time() - t0)
            assert back is not None
        del back
        results.clear()
        import pyarrow as pa

        arrow0 = pa.total_allocated_bytes()
        tracemalloc.start()
        held = [cache.get(cache.key(p), p) for p in files]  # as the driver holds them
        heap = tracemalloc.get_traced_memory()[0] + pa.total_allocated_bytes() - arrow0
        tracemalloc.stop()
        t0 = time.process_time()
        pipeline.assemble_tables(held, raw, None)
        assemble = time.process_time() - t0

    n = len(files)
    ms = lambda xs: 1000 * statistics.mean(xs)  # noqa: E731
    rest = [t - p - m for t, p, m in zip(total_s, parse_s, terms_s)]
    print(f"{n} plans from {args.raw or 'a generated corpus'}; CPU ms a plan (mean)")
    print(f"  plan_result {ms(total_s):7.1f}  = parse_plan {ms(parse_s):.1f} + term counts {ms(terms_s):.1f}"
          f" + result tables {ms(rest):.1f}")
    print(f"  pickled result {statistics.mean(sizes) / 1024:7.1f} KB a plan (mean), {max(sizes) / 1024:.1f} KB largest")
    if encode_s:
        print(f"  entry made in the worker {ms(encode_s):7.2f} ms; in the driver: decoded {ms(decode_s):.2f} ms, "
              f"written to the cache {ms(put_s):.2f} ms")
    print(f"  cache put {ms(put_s):7.2f} ms, get {ms(get_s):.2f} ms, entry {statistics.mean(entry) / 1024:.1f} KB a plan")
    print(f"  results held in the driver: {heap / 2**20:.1f} MB (Python heap + Arrow) ({heap / n / 1024:.1f} KB a plan)")
    print(f"  assemble_tables: {assemble:.2f} s CPU for {n} plans ({1000 * assemble / n:.1f} ms a plan)")


if __name__ == "__main__":
    main()
