"""Lessons in two languages, years from the plans (issue 12 item 6): read from the lessons' code.

The lessons are run top to bottom with lang = zh and en in tests/integration/test_teaching.py; these fast
checks say why a lesson would not follow its language or would write a year into code.
"""
from __future__ import annotations

import ast
import re

import nbformat
import pandas as pd
import pytest

from planlib.report import plots
from planlib.teach import course

LESSONS = sorted(course.TEACHING_DIR.glob("*.ipynb"))


def _code(path):
    nb = nbformat.read(path, as_version=4)
    return [(c, ast.parse(c.source)) for c in nb.cells if c.cell_type == "code"]


def _plots_calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "plots":
            yield node


def test_there_are_lessons_with_figures():
    assert len(LESSONS) >= 6
    assert sum(1 for p in LESSONS for _, tree in _code(p) for _ in _plots_calls(tree)) >= 4


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_takes_lang_and_passes_it_to_every_figure(path):
    cells = _code(path)
    params = [c for c, _ in cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and re.search(r'^lang = "zh"', params[0].source, re.M), "no lang parameter"
    for _, tree in cells:
        for call in _plots_calls(tree):
            keywords = {k.arg: k.value for k in call.keywords}
            assert isinstance(keywords.get("lang"), ast.Name) and keywords["lang"].id == "lang", \
                f"{path.name}: plots.{call.func.attr}(...) does not follow the lesson's lang"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_code_writes_no_year(path):
    """Base and end years come from the plans table (period_start − 1, period_end), never a literal 2020 or 2025."""
    for cell, tree in _code(path):
        years = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and type(n.value) is int
                 and 1990 <= n.value <= 2100]
        assert not years, f"{path.name} cell {cell.get('id')}: literal year(s) {years}"


_PLANS = pd.DataFrame({"county": ["old", "new"], "name_zh": ["旧县", "新县"], "name_en": ["Old County", "New County"]})


def _texts(fig) -> str:
    out = [fig._suptitle.get_text() if fig._suptitle else ""] + [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_xlabel()] + [t.get_text() for t in ax.get_yticklabels()]
    for legend in fig.legends:
        out += [t.get_text() for t in legend.get_texts()]
    return " | ".join(out)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_instrument_shares_figure_follows_the_language(lang):
    shares = pd.DataFrame({"county": ["old", "old", "new", "new"], "category": ["supply", "demand", "supply", "environment"],
                           "sentences": [6, 2, 3, 1], "share": [0.75, 0.25, 0.75, 0.25]})
    fig = plots.instrument_shares(shares, plans=_PLANS, lang=lang,
                                  categories={"supply": "供给型", "environment": "环境型", "demand": "需求型"})
    text = _texts(fig)
    if lang == "zh":
        assert "供给型" in text and "旧县" in text and "supply" not in text
    else:
        assert "supply" in text and "Old County" in text and "供给型" not in text and "旧县" not in text
    data = plots.figure_data(fig)
    assert sorted(data["value"]) == [0.25, 0.25, 0.75, 0.75]
