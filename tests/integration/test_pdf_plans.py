"""A real plan laid out as a PDF (tests/fixtures/make_pdf.py) reads back to the rows of its text.

The plan's lines become paragraphs (each visual line one string, as word processors write) on A4
pages with a running header and “— N —” page numbers; its flattened indicator table, one cell per
line, runs over page breaks, so a cell can be a page's last line (the case that made a bare 9000
look like a page number). All five plans were checked this way on 2026-11-26 (173 pages; every row,
quote included, equal); this test keeps the smallest, to stay quick.
"""
import sys

import pandas as pd

from planlib.build.pipeline import parse_plan
from planlib.paths import PROJECT_ROOT, RAW_DIR
from planlib.read.pdf import pdf_text, read_pdf

sys.path.insert(0, str(PROJECT_ROOT / "tests" / "fixtures"))
import make_pdf  # noqa: E402

KEY = ["indicator_id", "year", "kind", "value", "unit", "comparator", "source", "quote"]


def test_a_plan_as_pdf_gives_the_rows_of_its_text(tmp_path):
    src = RAW_DIR / "taixing.txt"
    paragraphs = [ln.strip() for ln in src.read_text(encoding="utf-8").split("\n") if ln.strip()]
    lines = read_pdf(make_pdf.write_text_pdf(tmp_path / "plan.pdf", paragraphs))
    (tmp_path / "frompdf.txt").write_text(pdf_text(lines).text, encoding="utf-8")
    (tmp_path / "plain.txt").write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
    from_pdf = parse_plan(tmp_path / "frompdf.txt").targets_frame
    plain = parse_plan(tmp_path / "plain.txt").targets_frame
    assert len(plain) > 40 and max(ln.page for ln in lines) > 5
    rows = lambda df: sorted(map(repr, df[KEY].astype(object).where(df[KEY].notna(), None).itertuples(index=False)))  # noqa: E731
    assert rows(from_pdf) == rows(plain)
    assert {ln.furniture for ln in lines if ln.furniture} == {"running_header", "page_number"}
    assert pd.Series([ln.text for ln in lines if ln.furniture == "page_number"]).str.match(r"— \d+ —$").all()
