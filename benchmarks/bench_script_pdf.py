"""Throughput per format (MB/s of the original file, one core): text-layer PDF and traditional-script text.

Run with `make bench`. Prints figures; asserts nothing (benchmarks are not tests).

* PDF: a real plan's paragraphs laid out as a PDF (tests/fixtures/make_pdf.py: running header, page
  numbers, justified text, CJK TrueType font), then read (planlib.read.pdf.read_pdf: pdfplumber) and
  parsed from its body text; reported as MB/s of the PDF and pages per second, reading alone and
  reading plus parsing.
* Traditional script: the five plans rendered in traditional script by OpenCC (s2t saved as UTF-8,
  s2tw as Big5), parsed from scratch (decoding, detection, t2s conversion, matching, quotes restored),
  beside the same five plans in simplified script.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import opencc

from planlib.build.pipeline import parse_plan
from planlib.paths import PROJECT_ROOT, RAW_DIR
from planlib.read.pdf import pdf_text, read_pdf

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "fixtures"))
import make_pdf  # noqa: E402
from bench_parse import throughput  # noqa: E402  (benchmarks/ is on the path when run as a script)


def bench_pdf(d: Path, plan: Path) -> None:
    paragraphs = [ln.strip() for ln in plan.read_text(encoding="utf-8").split("\n") if ln.strip()]
    pdf = make_pdf.write_text_pdf(d / f"{plan.stem}.pdf", paragraphs)
    size = pdf.stat().st_size
    t0 = time.perf_counter()
    lines = read_pdf(pdf)
    t_read = time.perf_counter() - t0
    pages = max(ln.page for ln in lines)
    body = d / f"{plan.stem}pdf.txt"
    body.write_text(pdf_text(lines).text, encoding="utf-8")
    t1 = time.perf_counter()
    rows = len(parse_plan(body).targets)
    t_parse = time.perf_counter() - t1
    print(f"PDF ({plan.name} laid out, {pages} pages, {size / 1e6:.3f} MB): read {t_read:.2f} s = "
          f"{size / t_read / 1e6:.3f} MB/s, {pages / t_read:.1f} pages/s; read + parse {t_read + t_parse:.2f} s = "
          f"{size / (t_read + t_parse) / 1e6:.3f} MB/s ({rows} rows)")


def bench_traditional(d: Path) -> None:
    s2t, s2tw = opencc.OpenCC("s2t"), opencc.OpenCC("s2tw")
    real = sorted(RAW_DIR.glob("*.txt"))
    parse_plan(real[0])  # imports and dictionaries loaded once, as any process does
    utf8, big5, replaced = [], [], 0
    for p in real:
        text = p.read_text(encoding="utf-8")
        (d / f"{p.stem}t.txt").write_text(s2t.convert(text), encoding="utf-8")
        utf8.append(d / f"{p.stem}t.txt")
        taiwan = s2tw.convert(text)  # Taiwan standard characters (為, 群): what Big5 holds
        raw = taiwan.encode("big5", errors="replace")
        replaced += sum(1 for ch in taiwan if not _in_big5(ch))
        (d / f"{p.stem}b.txt").write_bytes(raw)
        big5.append(d / f"{p.stem}b.txt")
    for label, paths in (("simplified (the five plans)", real), ("traditional (OpenCC s2t), UTF-8", utf8),
                         (f"traditional (s2tw), Big5 ({replaced} characters Big5 lacks, such as U+2002, as ?)", big5)):
        mbs, dt, size = throughput(paths)
        print(f"text, {label}: {size / 1e6:.3f} MB in {dt:.2f} s CPU = {mbs:.2f} MB/s")


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
        return True
    except UnicodeEncodeError:
        return False


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        bench_traditional(Path(d))
        bench_pdf(Path(d), RAW_DIR / (sys.argv[1] if len(sys.argv) > 1 else "chengkou.txt"))


if __name__ == "__main__":
    main()
