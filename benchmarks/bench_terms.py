"""Word segmentation for the `terms` table: jieba against alternatives on a generated corpus.

For each segmenter: MB/s over the lines text analysis reads (planlib.teach.textmine.analysed_lines)
and the share of lines cut exactly as jieba cuts them (HMM on, the policy user dictionary). The
alternatives: jieba with HMM off; rjieba (jieba-rs, the same dictionary; policy terms added the
same way), HMM on and off, when it is installed.

    python benchmarks/bench_terms.py [N]      # N generated plans (default 100)

Prints figures; asserts nothing.
"""
from __future__ import annotations

import sys
import tempfile
import time

from planlib.paths import RAW_DIR
from planlib.synth import write_corpus
from planlib.read.text import read_plan
from planlib.teach import textmine


def segmenters() -> dict:
    tok = textmine.tokenizer()
    out = {"jieba (HMM on: the course's cuts)": lambda s: tok.lcut(s),
           "jieba, HMM off": lambda s: tok.lcut(s, HMM=False)}
    try:
        import rjieba
    except ImportError:
        print("rjieba not installed: skipped")
        return out
    rj = rjieba.Jieba()
    for term, freq, tag in textmine.user_terms():
        rj.add_word(term, freq, tag)
    out["rjieba, HMM on"] = lambda s: rj.cut(s, True)
    out["rjieba, HMM off"] = lambda s: rj.cut(s, False)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as d:
        paths = write_corpus(RAW_DIR, d, n)
        t0 = time.perf_counter()
        lines = [line for p in paths for _, line in textmine.analysed_lines(read_plan(p))]
        print(f"{n} plans: {len(lines)} analysed lines, {sum(len(x.encode()) for x in lines) / 1e6:.1f} MB; "
              f"finding them (tables read again) took {time.perf_counter() - t0:.1f} s")
    mb = sum(len(x.encode()) for x in lines) / 1e6
    reference = None
    for name, cut in segmenters().items():
        cut("预热")
        t0 = time.process_time()
        cuts = [cut(x) for x in lines]
        dt = time.process_time() - t0
        if reference is None:
            reference = cuts
        same = sum(a == b for a, b in zip(cuts, reference)) / len(lines)
        print(f"{name:<36} {dt:7.2f} s CPU = {mb / dt:5.2f} MB/s; lines cut as jieba cuts them: {same:.1%}")


if __name__ == "__main__":
    main()
