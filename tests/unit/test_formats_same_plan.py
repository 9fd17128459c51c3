"""Done-when of issue 14 for web pages and Word: one invented plan, three formats, the same numbers.

tests/fixtures/formats holds the plan as a plain text (its table flattened as a web page's table is
when copied: one cell per line, a merged cell once) and as a web page written by hand (rowspan and
colspan, and page chrome full of numbers: visit counters, phone numbers, site codes, a sidebar with
education numbers); the Word file is made from plan_body.py with python-docx (merged cells merged).
"""
from __future__ import annotations

import collections
import sys
from pathlib import Path

import pytest

from planlib.build.pipeline import parse_plan
from planlib.build.provenance import provenance_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
sys.path.insert(0, str(FIXTURES))
import plan_body  # noqa: E402

KEY = ["indicator_id", "year", "kind", "value", "unit", "comparator"]


def rows(frame) -> collections.Counter:
    return collections.Counter(tuple(str(v) for v in r) for r in frame[KEY].itertuples(index=False))


@pytest.fixture(scope="module")
def parsed(tmp_path_factory):
    d = tmp_path_factory.mktemp("same")
    (d / "plain.txt").write_bytes((FIXTURES / "plan.txt").read_bytes())
    (d / "web.html").write_bytes((FIXTURES / "plan.html").read_bytes())
    plan_body.write_docx(d / "word.docx")
    return {name: parse_plan(d / name, text_dir=d / "text") for name in ("plain.txt", "web.html", "word.docx")}


def test_the_plain_text_gives_about_thirty_numbers_from_table_and_prose(parsed):
    t = parsed["plain.txt"].targets_frame
    assert len(t) == 30 and set(t["source"]) == {"table", "prose"} and (t["source"] == "table").sum() == 12


@pytest.mark.parametrize("name", ["web.html", "word.docx"])
def test_same_numbers_as_the_plain_text(parsed, name):
    assert rows(parsed[name].targets_frame) == rows(parsed["plain.txt"].targets_frame)


@pytest.mark.parametrize("name", ["web.html", "word.docx"])
def test_every_row_stands_on_its_line_of_the_derived_text(parsed, name, tmp_path):
    p = parsed[name]
    text_file = Path(p.plan.text_file)
    text_file.parent.mkdir(parents=True, exist_ok=True)
    text_file.write_text(p.plan.text, encoding="utf-8")
    frame = p.targets_frame
    assert set(frame["text_file"]) == {p.plan.text_file} and set(frame["source_file"]) == {p.plan.source_file}
    assert provenance_problems(frame, root="/") == []
    lines = text_file.read_text(encoding="utf-8").split("\n")
    assert all(r.quote in lines[r.line - 1] for r in frame.itertuples())


def test_plain_text_rows_name_the_file_itself_and_no_table_cell(parsed):
    t = parsed["plain.txt"].targets_frame
    assert (t["text_file"] == t["source_file"]).all()
    assert t[["page", "table_row", "table_col"]].isna().all().all()


def test_a_correction_names_the_line_of_the_derived_text(parsed, tmp_path):
    """corrections.csv keys a web page's number by the line of its text_file (or the original's name)."""
    import pandas as pd

    from planlib.build.corrections import apply_corrections, read_corrections

    frame = parsed["web.html"].targets_frame
    row = frame[frame["value_raw"] == "5600"].iloc[0]
    for named in (row["text_file"], row["source_file"]):
        path = tmp_path / "corrections.csv"
        pd.DataFrame([{"source_file": named, "line": int(row["line"]), "value_raw": "5600", "value": "5700",
                       "reason": "typo in the web page"}]).to_csv(path, index=False)
        fixed, findings = apply_corrections(frame, read_corrections(path))
        assert fixed.loc[fixed["line"] == row["line"], "value"].tolist() == [5700.0]
        assert findings[0]["source_file"] == row["source_file"] and findings[0]["lines"] == str(row["line"])
