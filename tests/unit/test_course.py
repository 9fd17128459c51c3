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
