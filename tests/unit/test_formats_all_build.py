"""Every reader through one build, in worker processes: a PDF and a traditional-script web page give
the rows of their plain-text twins, cite their derived texts, and PDF rows say their page (issue 14)."""
from __future__ import annotations

import sys
from pathlib import Path

import opencc
import pytest

from planlib.build.pipeline import build
from planlib.build.provenance import provenance_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
sys.path.insert(0, str(FIXTURES))
import make_pdf  # noqa: E402

KEY = ["indicator_id", "year", "kind", "value", "unit", "comparator"]


def _rows(t, county):
    part = t[t["county"] == county]
    return sorted(tuple(str(v) for v in row) for row in part[KEY].itertuples(index=False))


@pytest.mark.slow
def test_pdf_and_traditional_web_page_build_like_their_texts(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plain.txt").write_text(make_pdf.plan_text(), encoding="utf-8")
    make_pdf.write_plan_pdf(raw / "paper.pdf")
    web = (FIXTURES / "formats" / "plan.html").read_text(encoding="utf-8")
    (raw / "webs.html").write_text(web, encoding="utf-8")
    (raw / "webt.html").write_text(opencc.OpenCC("s2t").convert(web), encoding="utf-8")
    out = tmp_path / "out"
    tables = build(raw, out, jobs=2)
    t = tables["targets"]
    assert _rows(t, "paper") == _rows(t, "plain") and len(_rows(t, "plain")) > 20
    assert _rows(t, "webt") == _rows(t, "webs") and len(_rows(t, "webs")) > 20
    assert sorted(p.name for p in (out / "text").iterdir()) == ["paper.txt", "webs.txt", "webt.txt"]
    pdf = t[t["county"] == "paper"]
    assert set(pdf["text_file"]) == {str(out / "text" / "paper.txt")}
    assert pdf["page"].notna().all() and pdf["page"].max() >= 2  # the plan runs over pages
    trad = t[t["county"] == "webt"]
    assert trad["quote"].str.contains("學|育|規劃|專任|經費").any()  # quotes in the page's own characters
    assert "学前" not in "".join(trad["quote"])
    assert (out / "text" / "webt.txt").read_text(encoding="utf-8").count("學") > 0  # the text as read
    assert provenance_problems(t, root="/") == []
