"""make_exercises: solution cells blanked to `answer_… = None`, outputs cleared, every other cell kept."""
from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from planlib.teach import course


def lesson(*cells) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    return nb


def tagged(cell, *tags):
    cell.metadata["tags"] = list(tags)
    return cell


def sample_notebook() -> nbformat.NotebookNode:
    run = nbformat.v4.new_code_cell("x = [3, 1, 2]")
    run.outputs = [nbformat.v4.new_output("stream", text="stale output\n")]
    run.execution_count = 7
    return lesson(
        nbformat.v4.new_markdown_cell("# Lesson"),
        run,
        tagged(nbformat.v4.new_code_cell("# hint: use max()\nhelper = sorted(x)\nanswer_top = helper[-1]"), "solution"),
        tagged(nbformat.v4.new_code_cell("if answer_top is None:\n    print('pending')\nelse:\n    assert answer_top == max(x)"),
               "check"),
        tagged(nbformat.v4.new_markdown_cell("The answer is 3 because ..."), "solution"),
    )


def test_exercise_version_blanks_solutions_and_keeps_the_rest(tmp_path):
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    nbformat.write(sample_notebook(), src / "01_demo.ipynb")
    written = course.make_exercises(src, out)
    assert written == [out / "01_demo.ipynb"]
    ex = nbformat.read(written[0], as_version=4)
    original = sample_notebook()
    solution = next(c for c in ex.cells if "solution" in c.metadata.get("tags", []) and c.cell_type == "code")
    assert solution.source.splitlines() == ["# hint: use max()", "answer_top = None  # 你的答案 · your answer"]
    assert "helper" not in solution.source
    md_solution = [c for c in ex.cells if c.cell_type == "markdown" and "solution" in c.metadata.get("tags", [])]
    assert md_solution and "The answer is 3" not in md_solution[0].source
    # untagged cells and the check are kept word for word; outputs are gone
    kept = [c.source for c in ex.cells if not set(c.metadata.get("tags", [])) & {"solution", "banner"}]
    assert kept == [c.source for c in original.cells if "solution" not in c.metadata.get("tags", [])]
    assert all(c.outputs == [] and c.execution_count is None for c in ex.cells if c.cell_type == "code")
    assert "01_demo.ipynb" in ex.cells[1].source  # the banner names its source


def test_exercise_version_runs_and_check_skips(tmp_path):
    ex = course.exercise_notebook(sample_notebook(), "demo.ipynb")
    namespace: dict = {}
    printed = []
    namespace["print"] = lambda *a: printed.append(a)
    for cell in ex.cells:
        if cell.cell_type == "code":
            exec(cell.source, namespace)
    assert namespace["answer_top"] is None and printed == [("pending",)]


def test_solution_without_a_guarded_check_is_refused(tmp_path):
    nb = lesson(tagged(nbformat.v4.new_code_cell("answer_a = 1"), "solution"),
                tagged(nbformat.v4.new_code_cell("assert answer_a == 1"), "check"))
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(ValueError, match="answer_a"):
        course.make_exercises(tmp_path, tmp_path / "out")


def test_solution_cell_must_name_an_answer():
    with pytest.raises(ValueError):
        course.blank_solution("x = 1")


def test_committed_exercises_match_their_sources(tmp_path):
    sources = sorted(course.TEACHING_DIR.glob("*.ipynb"))
    if not sources:
        pytest.skip("no lessons")
    fresh = course.make_exercises(course.TEACHING_DIR, tmp_path)
    for path in fresh:
        committed = course.TEACHING_DIR / course.EXERCISES_DIRNAME / path.name
        assert committed.exists(), f"{committed} missing: run python -m planlib.course"
        assert nbformat.read(committed, 4) == nbformat.read(path, 4), f"{committed.name} is stale: run python -m planlib.course"


def test_endpoints_latest_baseline_and_target_prefer_the_table():
    t = pd.DataFrame({
        "county": ["a"] * 4, "indicator_id": ["r"] * 4, "indicator_zh": ["率"] * 4, "level": ["x"] * 4,
        "year": [2015, 2020, 2020, 2025], "kind": ["baseline", "baseline", "baseline", "target"],
        "value": [80.0, 90.0, 91.0, 95.0], "unit": ["%"] * 4, "source": ["prose", "prose", "table", "table"],
        "source_file": ["data/raw/a.txt"] * 4, "line": [3, 4, 20, 21], "domain": ["enrollment"] * 4,
    })
    e = course.endpoints(t).iloc[0]
    assert (e["baseline"], e["baseline_year"], e["baseline_cited"]) == (91.0, 2020, "a.txt:20")
    assert (e["target"], e["target_cited"]) == (95.0, "a.txt:21")


def test_teachers_per_100_students_pairs_same_year_and_level():
    indicators = pd.DataFrame({"indicator_id": ["kt", "pe", "je"], "domain": ["teachers", "enrollment", "enrollment"],
                               "unit": ["人", "人", "人"]})
    t = pd.DataFrame({
        "county": ["a", "a", "a", "a"], "indicator_id": ["kt", "pe", "je", "kt"], "indicator_zh": ["骨干"] * 4,
        "level": ["primary", "primary", "junior", "junior"], "year": [2025, 2025, 2020, 2025],
        "kind": ["target"] * 3 + ["target"], "value": [30.0, 2000.0, 900.0, 5.0], "unit": ["人"] * 4,
        "source": ["prose"] * 4, "source_file": ["data/raw/a.txt"] * 4, "line": [1, 2, 3, 4],
    })
    r = course.teachers_per_100_students(t, indicators)
    assert len(r) == 1  # the junior teacher row has no junior student count for 2025
    assert r.iloc[0]["per_100_students"] == pytest.approx(100 * 30 / 2000)
    assert r.iloc[0]["students_cited"] == "a.txt:2"


def _raw(tmp_path, lines):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "demo.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return raw


def test_quote_lines_shows_context_and_marks_the_cited_line(tmp_path):
    """A flattened table cell such as ``97`` means nothing alone: the lines around it name what it is."""
    raw = _raw(tmp_path, ["指标", "高中阶段毛入学率", "95", "97", "预期性", "尾"])
    q = course.quote_lines("demo", "4", raw, context=2)
    assert q["line"].tolist() == [2, 3, 4, 5, 6]
    assert q["cited"].tolist() == [f"demo.txt:{n}" for n in (2, 3, 4, 5, 6)]
    assert q["mark"].tolist() == ["", "", "▶", "", ""]
    assert q.loc[q["line"] == 4, "text"].iloc[0] == "【97】"  # the cited line is bracketed, context is not
    assert q.loc[q["line"] == 2, "text"].iloc[0] == "高中阶段毛入学率"


def test_quote_lines_keeps_long_lines_whole_and_clips_context_at_the_file_ends(tmp_path):
    long = "到2025年，" + "全县" * 60 + "高中阶段毛入学率达到95%。"
    raw = _raw(tmp_path, [long, "b", "c"])
    q = course.quote_lines("demo", [1, 3], raw, context=1)
    assert q["line"].tolist() == [1, 2, 3]  # overlapping windows are merged, no line 0 or 4
    assert q.loc[0, "text"] == f"【{long}】" and q.loc[0, "text"].endswith("95%。】")
    assert q["mark"].tolist() == ["▶", "", "▶"]


def test_quote_lines_highlights_given_numbers_and_html_escapes(tmp_path):
    raw = _raw(tmp_path, ["<b>投入</b> 1.2297 亿元", "x"])
    q = course.quote_lines("demo", [1], raw, context=0, highlight=["1.2297"])
    assert q["text"].tolist() == ["<b>投入</b> 【1.2297】 亿元"]  # the cited line's number, not the whole line
    html = course.quote_html(q)
    assert "<b>" not in html and "&lt;b&gt;" in html and "<mark>1.2297</mark>" in html
    text = course.quote_text(q)
    assert text.splitlines() == ["▶ demo.txt:1  <b>投入</b> 【1.2297】 亿元"]


def test_quote_lines_names_a_line_outside_the_file(tmp_path):
    raw = _raw(tmp_path, ["a"])
    with pytest.raises(ValueError, match="demo.txt.*line 5"):
        course.quote_lines("demo", [5], raw)


def test_quote_lines_brackets_inside_the_indent_and_takes_values_per_line(tmp_path):
    raw = _raw(tmp_path, ["\t95.3", "率由86%提高到95%，巩固率95%", "\t97"])
    q = course.quote_lines("demo", [1, 2, 3], raw, context=0, highlight={2: ["95%"], 3: ["97%"], 1: ["99"]})
    assert q["text"].tolist() == ["\t【95.3】", "率由86%提高到【95%】，巩固率【95%】", "\t【97】"]


def test_finding_values_reads_line_and_value_pairs_of_a_message():
    msg = "高中阶段毛入学率 2020 (baseline) differs: prose line 36: 95%; t1 line 214: 97%"
    assert course.finding_values(msg) == {36: ["95%"], 214: ["97%"]}
    assert course.finding_values("no lines named here") == {}


def test_quote_lines_highlights_whole_numbers_only(tmp_path):
    """A finding's 20 is the 20 of 20名, not the first digits of 2025."""
    raw = _raw(tmp_path, ["到2025年,培育骨干教师50人、学科名师20名,比例1.5%。"])
    q = course.quote_lines("demo", [1], raw, context=0, highlight={1: ["20", "5"]})
    assert q["text"].tolist() == ["到2025年,培育骨干教师50人、学科名师【20】名,比例1.5%。"]
