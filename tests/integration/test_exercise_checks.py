"""Every checked exercise of the course refuses blank, trivial and wrong answers, and accepts its solution.

Each solution notebook runs in-process once (its code cells in order, on the committed tables). At every check cell
the solution's answer is taken from the namespace, then the check cell is run again with answers of the kind its
check takes (``planlib.teach.checks.EXERCISES``): ``None`` (the cell says "not answered", the check itself raises),
``""``, ``[]``, ``{}``, every option or every place at once, and wrong answers made from the solution — each must
fail with an AssertionError; the solution must pass. A check that any of these passes is one a student could pass
without doing the exercise.
"""
from __future__ import annotations

import contextlib
import copy
import io
import os
import re

import nbformat
import pytest

from planlib.teach import checks, course

pytestmark = pytest.mark.slow

SOURCES = sorted(course.TEACHING_DIR.glob("*.ipynb"))
CALL = re.compile(r"course\.checks\.(\w+)\((\w+)")


def _run_lesson(path):
    """Run the lesson's code cells in one namespace; yield (check cell, namespace) just before each check cell runs."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    nb = nbformat.read(path, as_version=4)
    ns: dict = {"display": lambda *a, **k: None, "__name__": "__lesson__"}  # the kernel's display(): a no-op here
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if course.CHECK_TAG in cell.metadata.get("tags", []):
            yield cell, ns
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(cell.source, f"{path.name}:{cell.get('id')}", "exec"), ns)


def _checked_cells():
    out = []
    for path in SOURCES:
        for cell, ns in _run_lesson(path):
            m = CALL.search(cell.source)
            assert m, f"{path.name}: check cell {cell.get('id')} does not call course.checks.<exercise>(answer, …)"
            out.append((path.stem, cell, m.group(1), m.group(2), dict(ns)))
    return out


@pytest.fixture(scope="module")
def checked():
    return _checked_cells()


def _run_check(cell, ns, answer_name, value) -> str:
    scope = dict(ns)
    scope[answer_name] = value
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(cell.source, "check", "exec"), scope)
    return out.getvalue()


def _call_with_none(source: str) -> str:
    """The cell's ``course.checks.<name>(answer, …)`` call with the answer replaced by None."""
    import ast

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and ast.unparse(node.func).startswith("course.checks."):
            node.args[0] = ast.Constant(None)
            return ast.unparse(node)
    raise AssertionError(f"no course.checks call in {source}")


def _wrong_answers(kind: str, options, solution, ns) -> list:
    """Answers that must fail: blanks, everything at once, and near misses built from the solution."""
    places = sorted(ns["tables"]["plans"]["county"]) if "tables" in ns else sorted(ns["plan_texts"])
    bad: list = ["", [], {}, set()]
    if kind == "number":
        bad += [solution + max(1.0, abs(solution)) * 0.5, -1, "0"]
    elif kind == "place":
        bad += [places, set(places), next(p for p in places if p != solution)]
    elif kind == "places":
        assert set(solution) != set(places), "the answer is every place: the exercise is trivial"
        bad += [set(places), set(solution) ^ {places[0]}, sorted(solution)[0] if len(solution) > 1 else places]
    elif kind == "term":
        mine = ns["top"][ns["top"]["county"] == ns["county"]].sort_values("rank")
        bad += [list(mine["term"]), mine["term"].iloc[1]]
    elif kind == "cells":
        every_kind = {n: (name, year, ["baseline", "target", "change"]) for n, (name, year, _) in solution.items()}
        n0 = min(solution)
        off_year = {**solution, n0: (solution[n0][0], solution[n0][1] + 1, solution[n0][2])}
        bad += [every_kind, off_year, {n: ("", y, k) for n, (_, y, k) in solution.items()}]
    elif kind == "mapping":
        targets = ns["targets"]
        bad += [{p: sorted(set(int(n) for n in targets.loc[targets["county"] == p, "line"])) for p in places},
                dict(list(solution.items())[1:]) if len(solution) > 1 else {places[0]: [1]},
                {p: lines[:-1] for p, lines in solution.items()}]
    elif kind == "choice":
        ev = list(solution["evidence"])
        stray = 1 if isinstance(ev[0], int) else re.sub(r":\d+$", ":1", ev[0])
        bad += [{"choice": list(options), "evidence": ev}, {"choice": solution["choice"], "evidence": []},
                {"choice": solution["choice"], "evidence": ev[:1]}, {"choice": solution["choice"], "evidence": ev + [stray]},
                solution["choice"]]
        bad += [{"choice": o, "evidence": ev} for o in options if o != solution["choice"]]
    elif kind == "correction":
        bad += [[solution], {**solution, "category": list(checks.CATEGORIES)}, {**solution, "category": "supply"},
                {**solution, "line": 1}]
    else:  # pragma: no cover
        raise AssertionError(f"no wrong answers for kind {kind!r}")
    return bad


def test_every_lesson_has_an_interpretive_exercise(checked):
    kinds = {}
    for lesson, _, fn, _, _ in checked:
        kinds.setdefault(lesson, set()).add(checks.EXERCISES[fn].kind)
    assert set(kinds) == {p.stem for p in SOURCES}
    for lesson, ks in kinds.items():
        assert ks & {"choice", "correction"}, f"{lesson} has no exercise that asks for a judgement"


def test_every_check_is_registered(checked):
    assert checked
    for lesson, cell, fn, answer, _ in checked:
        assert fn in checks.EXERCISES, f"{lesson}: {fn} is not a registered check"
        assert answer.startswith("answer"), cell.source


def test_checks_refuse_blank_trivial_and_wrong_answers_and_pass_the_solution(checked):
    failures = []
    for lesson, cell, fn, answer_name, ns in checked:
        spec = checks.EXERCISES[fn]
        solution = copy.deepcopy(ns[answer_name])
        printed = _run_check(cell, ns, answer_name, solution)
        assert "✓" in printed, f"{lesson} {fn}: the solution does not pass"
        printed = _run_check(cell, ns, answer_name, None)
        assert "尚未作答" in printed and "✓" not in printed, f"{lesson} {fn}: None is not 'not answered'"
        with pytest.raises(AssertionError):
            eval(_call_with_none(cell.source), dict(ns))
        for bad in _wrong_answers(spec.kind, spec.options, solution, ns):
            try:
                out = _run_check(cell, ns, answer_name, bad)
            except AssertionError:
                continue
            except Exception as e:  # a crash is not a clear refusal
                failures.append(f"{lesson} {fn}: {bad!r} raised {type(e).__name__}: {e}")
                continue
            failures.append(f"{lesson} {fn}: {bad!r} passed ({out.strip()})")
    assert not failures, "\n".join(failures)


def test_hints_do_not_hold_the_answer():
    """The exercise version keeps a solution cell's comments as hints: they must not contain its code."""
    for path in SOURCES:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code" and course.SOLUTION_TAG in cell.metadata.get("tags", []):
                code = [line.strip() for line in cell.source.splitlines() if line.strip() and not line.lstrip().startswith("#")]
                hints = " ".join(line for line in cell.source.splitlines() if line.lstrip().startswith("#"))
                for line in code:
                    expr = line.split("=", 1)[-1].strip()
                    assert len(expr) < 12 or expr not in hints, f"{path.name}: a hint gives the answer: {expr}"
