"""planlib.teach.checks and the capstone helpers on small inline tables: evidence is read in every written form,
a conflict's scope is decided from its passages, like is set only beside like, and the course renders escaped."""
from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from planlib.teach import checks, course


def test_evidence_lines_reads_every_form_and_refuses_the_rest():
    assert checks.evidence_lines(["a.txt:3", "data/raw/b.txt:4", ("c", 5), 6], county="a") == \
        {("a", 3), ("b", 4), ("c", 5), ("a", 6)}
    for bad in ([], "a.txt:3", [True], ["line three"], [3.0]):
        with pytest.raises(checks.WrongAnswer):
            checks.evidence_lines(bad, county="a")
    with pytest.raises(checks.WrongAnswer, match="file.txt:line"):
        checks.evidence_lines([3])  # a bare number needs the question's plan


def _raw(tmp_path, lines):
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    (raw / "demo.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def _rows(lines, quotes, source="prose", level=""):
    return pd.DataFrame({"county": "demo", "line": lines, "quote": quotes, "source": source, "level": level,
                         "basis": "point", "span_start": pd.array([pd.NA] * len(lines), dtype="Int64"),
                         "span_end": pd.array([pd.NA] * len(lines), dtype="Int64"),
                         "char_start": [0] * len(lines)})


def test_a_conflict_between_passages_of_different_school_levels_is_two_scopes(tmp_path):
    raw = _raw(tmp_path, ["改建义务教育阶段学校实验室,新建创客实验室27间。", "推进普通高中基地建设,新建创客实验室8间。"])
    rows = _rows([1, 2], ["27间", "8间"])
    rows["char_start"] = [raw.joinpath("demo.txt").read_text().splitlines()[i].index(q) for i, q in enumerate(["27", "8间"])]
    assert checks.scope_of_conflict(rows, raw) == "two_scopes"


def test_the_same_sentence_with_two_numbers_is_one_scope(tmp_path):
    raw = _raw(tmp_path, ["到2025年,培育市级骨干教师50人。", "到2025年,培育市级骨干教师60人。"])
    rows = _rows([1, 2], ["50人", "60人"])
    rows["char_start"] = [14, 14]
    assert checks.scope_of_conflict(rows, raw) == "same_scope"


def test_different_bases_are_two_scopes_whatever_the_words(tmp_path):
    raw = _raw(tmp_path, ["投入34亿元。", "投入8亿元。"])
    rows = _rows([1, 2], ["34亿元", "8亿元"])
    rows["basis"] = ["cumulative", "point"]
    assert checks.scope_of_conflict(rows, raw) == "two_scopes"


def test_a_place_answer_refuses_a_list_of_every_place():
    with pytest.raises(checks.WrongAnswer):
        checks._one_place(["a", "b"], {"a", "b"})
    with pytest.raises(checks.WrongAnswer):
        checks._one_place("", {"a", "b"})
    assert checks._one_place("a", {"a", "b"}) == "a"


def _targets():
    base = {"indicator_zh": "x", "domain": "enrollment", "level": "preschool", "span_start": pd.NA, "span_end": pd.NA,
            "source": "table", "source_file": "data/raw/a.txt"}
    rows = [
        dict(base, county="a", indicator_id="ger", year=2025, kind="target", basis="point", unit="%", measure_type="rate", value=95.0, line=3),
        dict(base, county="b", indicator_id="ger", year=2025, kind="target", basis="point", unit="%", measure_type="rate", value=90.0, line=7),
        dict(base, county="a", indicator_id="money", year=2020, kind="baseline", basis="cumulative", unit="元", measure_type="money", value=9.0, line=4),
        dict(base, county="b", indicator_id="money", year=2020, kind="baseline", basis="point", unit="元", measure_type="money", value=2.0, line=8),
    ]
    t = pd.DataFrame(rows)
    return t.astype({"span_start": "Int64", "span_end": "Int64", "year": "Int64"})


def test_like_with_like_pairs_one_measure_and_leaves_different_bases_out():
    pairs = course.like_with_like(_targets(), "a", "b")
    assert pairs["indicator_id"].tolist() == ["ger"]  # money: a five-year total never beside one year's figure
    assert (pairs["value_a"].iloc[0], pairs["cited_b"].iloc[0]) == (95.0, "a.txt:7")


def test_comparable_means_both_places_one_basis_and_not_a_size():
    t = _targets()
    assert checks._comparable(t[t["indicator_id"] == "ger"], ["a", "b"])
    assert not checks._comparable(t[t["indicator_id"] == "money"], ["a", "b"])
    assert not checks._comparable(t[(t["indicator_id"] == "ger") & (t["county"] == "a")], ["a", "b"])


def test_render_writes_an_escaped_index_and_sanitised_pages(tmp_path):
    from planlib.teach import render

    teaching = tmp_path / "teaching"
    (teaching / "exercises").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 第1课 <script>alert(1)</script>"), nbformat.v4.new_code_cell("1")]
    out_cell = nb.cells[1]
    out_cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<b>ok</b><script>alert(2)</script>"})]
    nbformat.write(nb, teaching / "01_demo.ipynb")
    out = render.render(tmp_path / "html", execute=False, teaching_dir=teaching)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)" in index and "<script>alert" not in index
    page = (out / "01_demo.html").read_text(encoding="utf-8")
    assert "<script>alert(2)" not in page and "<script>alert(1)" not in page  # shown as text, never run
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(ValueError, match="not a course rendering"):
        render.render(tmp_path / "mine", execute=False, teaching_dir=teaching)
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_finding_rows_are_the_two_numbers_the_message_sets_against_each_other():
    """A finding names its indicator (school_labs) and each line's value: rows of the same id with other values on
    those lines (a second kind of lab) are not part of it."""
    finding = pd.Series({"county": "demo", "check": "cross_source_conflict", "severity": "warning",
                         "indicator_id": "labs", "year": 2025, "lines": "5;7",
                         "message": "新建创客实验室 2025 (target) differs: prose line 5: 27间; prose line 7: 8间"})
    targets = pd.DataFrame({"county": "demo", "indicator_id": "labs", "year": 2025, "kind": "target",
                            "indicator_zh": ["探究实验室", "新建创客实验室", "探究实验室", "新建创客实验室"],
                            "line": [5, 5, 7, 7], "value_raw": ["60", "27", "38", "8"], "domain": "schools"})
    rows = course.finding_rows(finding, targets)
    assert rows["value_raw"].tolist() == ["27", "8"]
    found, same = course.conflict_finding(pd.DataFrame([finding]), targets, "schools")
    assert same["line"].tolist() == [5, 7]
    with pytest.raises(LookupError):
        course.conflict_finding(pd.DataFrame([finding]), targets, "teachers")


@pytest.mark.slow
def test_render_runs_the_notebooks_it_renders(tmp_path):
    """``render`` executes lessons (a kernel per notebook) but leaves exercise versions unanswered as committed."""
    from planlib.teach import render

    teaching = tmp_path / "teaching"
    (teaching / "exercises").mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T"), nbformat.v4.new_code_cell("print(\"rendered-\" + \"ok\")")]
    nbformat.write(nb, teaching / "01_x.ipynb")
    nbformat.write(nb, teaching / "exercises" / "01_x.ipynb")
    out = render.render(tmp_path / "html", teaching_dir=teaching)
    assert "rendered-ok" in (out / "01_x.html").read_text(encoding="utf-8")
    assert "rendered-ok" not in (out / "exercise-01_x.html").read_text(encoding="utf-8")
