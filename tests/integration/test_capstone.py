"""The capstone: the memo template runs top to bottom for its two places, and the worked example's citations hold.

Tables are built from data/raw into a temporary folder, as in test_teaching.py.
"""
from __future__ import annotations

import re

import nbformat
import pytest

from planlib import paths
from planlib.build.pipeline import build
from planlib.teach import course

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    build(paths.RAW_DIR, out)
    return out


def run(path, processed, tmp_path):
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters={"processed_dir": str(processed)},
                               kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return nb, printed


CAPSTONE = sorted((course.TEACHING_DIR / "capstone").glob("*.ipynb"))


def test_there_is_a_capstone_with_a_rubric():
    assert {p.name for p in CAPSTONE} == {"memo_template.ipynb", "example_memo.ipynb"}
    assert (course.TEACHING_DIR / "capstone" / "rubric.md").exists()


@pytest.mark.parametrize("path", CAPSTONE, ids=lambda p: p.stem)
def test_capstone_runs_and_the_worked_example_cites_lines_that_hold_its_numbers(path, processed, tmp_path):
    """The template runs top to bottom for its two places; the worked memo's every (place.txt:line) holds the number
    written before it (the self-check cell prints how many citations have a problem)."""
    nb, printed = run(path, processed, tmp_path)
    m = re.search(r"(\d+) 处引用 · citations, (\d+) 处有问题", printed)
    assert m, printed[-500:]
    if path.stem == "example_memo":
        assert int(m.group(1)) >= 20 and int(m.group(2)) == 0, printed[-2000:]
