"""Every teaching notebook runs top to bottom, in both languages: solutions pass their checks, exercise
versions skip them.

Tables are built from data/raw into a temporary folder once per test worker, so the run
does not depend on (or disturb) data/processed. One test per notebook and language keeps pytest -n fast.
"""
from __future__ import annotations

import nbformat
import pytest

from planlib.teach import course
from planlib import paths
from planlib.build.pipeline import build

pytestmark = pytest.mark.slow

SOURCES = sorted(course.TEACHING_DIR.glob("*.ipynb"))
EXERCISES = sorted((course.TEACHING_DIR / course.EXERCISES_DIRNAME).glob("*.ipynb"))
NOT_ANSWERED = "尚未作答"
LANGS = ("zh", "en")


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    out = tmp_path_factory.mktemp("processed")
    build(paths.RAW_DIR, out)
    return out


def run(path, processed, tmp_path, lang="zh"):
    import papermill

    out = tmp_path / path.name
    papermill.execute_notebook(str(path), str(out), parameters={"processed_dir": str(processed), "lang": lang},
                               kernel_name="python3", cwd=str(tmp_path), progress_bar=False)
    nb = nbformat.read(out, as_version=4)
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return nb, printed


def test_there_is_a_course():
    assert len(SOURCES) >= 6 and [p.name for p in EXERCISES] == [p.name for p in SOURCES]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_solution_version_passes_its_checks(path, lang, processed, tmp_path):
    nb, printed = run(path, processed, tmp_path, lang)
    n_checks = sum(course.CHECK_TAG in c.metadata.get("tags", []) for c in nb.cells)
    assert n_checks >= 1
    assert NOT_ANSWERED not in printed
    assert printed.count("✓") == n_checks


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_exercise_version_runs_with_checks_skipped(path, lang, processed, tmp_path):
    nb, printed = run(path, processed, tmp_path, lang)
    n_checks = sum(course.CHECK_TAG in c.metadata.get("tags", []) for c in nb.cells)
    assert printed.count(NOT_ANSWERED) == n_checks and "✓" not in printed


@pytest.mark.parametrize("lang", LANGS)
def test_explore_notebook_runs_and_shows_a_static_chart_before_the_widgets(lang, processed, tmp_path):
    nb, _ = run(paths.NOTEBOOKS_DIR / "explore.ipynb", processed, tmp_path, lang)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    widget = [i for i, o in enumerate(outputs) if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    static = [i for i, o in enumerate(outputs) if 'src="data:image/png;base64,' in o.get("data", {}).get("text/html", "")]
    assert widget and static and static[0] < widget[0]  # a kernel-less copy of the notebook still shows a chart
    assert "<table" in outputs[static[0]]["data"]["text/html"]
