"""Throughput per format (MB/s of the original file, one core): the five plans as text, as web pages, as Word files.

Run with `make bench`. The web pages and Word files are made here from the five plan texts (every
line a paragraph; the web page with a menu, a breadcrumb and a footer around the article), so the
three formats carry the same text and the figures compare readers, not plans. Each figure is the
whole parse (read, derive the text, extract the rows) and, apart, the reader alone (bytes to
lines). Prints figures; asserts nothing.
"""
from __future__ import annotations

import html
import tempfile
import time
from pathlib import Path

from planlib.build.pipeline import parse_plan
from planlib.paths import RAW_DIR
from planlib.read.formats import read_any
from planlib.read.text import read_plan

CHROME_TOP = ("<div class='header'>某县人民政府网 今日访问量：12345人次</div><div class='nav'><ul><li>首页</li>"
              "<li>政务公开</li><li>互动交流</li></ul></div><div class='position'>您当前的位置：首页 &gt; 政务公开 &gt; "
              "规划计划</div>")
CHROME_FOOT = "<div class='footer'><p>联系电话：023-76543210 网站标识码：5001230045 渝ICP备05003300号-1</p></div>"


def as_html(lines: list[str]) -> bytes:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>规划</title><script>var n=1;</script></head>"
            f"<body>{CHROME_TOP}<div id='zoom' class='content'>{body}</div>{CHROME_FOOT}</body></html>").encode()


def as_docx(lines: list[str], path: Path) -> None:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    d.save(path)


def timed(paths: list[Path], func, repeat: int = 3) -> tuple[float, float, int]:
    size = sum(p.stat().st_size for p in paths)
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for p in paths:
            func(p)
        best = min(best, time.perf_counter() - t0)
    return size / best / 1e6, best, size


def main() -> None:
    real = sorted(RAW_DIR.glob("*.txt"))
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        made: dict[str, list[Path]] = {"text": real, "html": [], "docx": []}
        for p in real:
            lines = list(read_plan(p).lines)
            (folder / f"{p.stem}.html").write_bytes(as_html(lines))
            made["html"].append(folder / f"{p.stem}.html")
            as_docx(lines, folder / f"{p.stem}.docx")
            made["docx"].append(folder / f"{p.stem}.docx")
        for paths in made.values():
            parse_plan(paths[0])  # imports and dictionaries loaded once, as any process does
        print("format  size (MB)  parse (read + extract)      reader alone")
        for fmt, paths in made.items():
            mbs, dt, size = timed(paths, parse_plan)
            rmbs, rdt, _ = timed(paths, read_any)
            print(f"{fmt:<7} {size / 1e6:9.3f}  {dt:.3f} s = {mbs:5.2f} MB/s     {rdt:.3f} s = {rmbs:6.2f} MB/s")
        key = ["county", "indicator_id", "year", "kind", "value", "unit", "comparator"]
        rows = {fmt: sorted(tuple(map(str, r)) for p in paths for r in parse_plan(p).targets_frame[key].itertuples(index=False))
                for fmt, paths in made.items()}
        import collections

        text_rows = collections.Counter(rows["text"])
        differ = {fmt: sum((collections.Counter(rows[fmt]) - text_rows).values()) for fmt in ("html", "docx")}
        print(f"rows: {({fmt: len(r) for fmt, r in rows.items()})}; rows whose (county, indicator, year, kind, value, "
              f"unit, comparator) the text does not have: {differ} (a paragraph per line drops the TABs that lead "
              "one plan's flattened table cells, so a few of its rows lose their label there)")


if __name__ == "__main__":
    main()
