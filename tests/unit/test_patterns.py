"""Each pattern lives in one place, and planlib's modules import each other without a cycle."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import planlib
from planlib.extract import meaning, prose, sections, tables
from planlib.read import numbers, patterns, periods
from planlib.extract.dictionary import is_excluded_context

SRC = Path(planlib.__file__).parent


def test_the_shared_patterns_are_the_same_objects():
    assert periods.FYP is patterns.FYP and periods.PERIOD_SPAN is patterns.PERIOD_SPAN
    assert prose.LEADER is patterns.LEADER and prose.FYP_NAME is patterns.FYP
    assert numbers._CN_DIGITS is patterns.CN_DIGITS and numbers._ZEROS is patterns.ZEROS
    assert sections.cn_to_int is patterns.cn_ordinal


@pytest.mark.parametrize("text", ["一、指导思想……12", "一、指导思想 ........ 12", "目录。。。。3", "一、总则····5",
                                  "第一章 总则．．．．1", "二、任务⋯⋯9"])
def test_every_leader_reads_alike_everywhere(text):
    assert patterns.has_leader(text) and patterns.LEADER.search(text)
    assert sections.is_leader_line(text)
    assert is_excluded_context(text)  # the dictionary's exclusion uses the same pattern


@pytest.mark.parametrize("text, year", [("“九五”末", 2000), ("十三五末", 2020), ("“十四五”期末", 2025)])
def test_five_year_plan_words_cover_nine_to_sixteen(text, year):
    assert tables.header_year(text) == year


@pytest.mark.parametrize("word, n", [("五", 5), ("十二", 12), ("两", 2), ("二十", 20), ("3", 3), ("年", None)])
def test_numerals_in_meaning_use_the_one_table(word, n):
    assert meaning._cn_int(word) == n


def _module_imports() -> dict[str, set[str]]:
    """planlib module -> planlib modules it imports at module level (lazy imports inside functions left out)."""
    graph: dict[str, set[str]] = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(p for p in parts if p != "__init__")
        package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
        deps = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level:
                base = list(package[: len(package) - (node.level - 1)])
                module = base + (node.module.split(".") if node.module else [])
                deps.add(".".join(module))  # the module, or the package the names come from
                deps.update(".".join(module + [a.name]) for a in node.names)  # names that are modules
        graph[name] = {d for d in deps if d}
    return graph


def test_no_import_cycle():
    graph = _module_imports()
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if dep not in graph:
                continue  # a name imported from a package's __init__, not a module
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep, stack + [dep])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert "extract.tablerows" in graph["extract.tables"]  # the graph was read
    assert "read.numbers" in graph["extract.prose"]
    assert cycles == []


@pytest.mark.parametrize("old, new", [("text", "read.text"), ("prose", "extract.prose"), ("sections", "extract.sections"),
                                      ("outdir", "build.outdir"), ("textmine", "teach.textmine"),
                                      ("pipeline", "build.pipeline"), ("plots", "report.plots"), ("fonts", "report.fonts")])
def test_former_flat_module_names_import_the_same_module(old, new):
    import importlib

    assert importlib.import_module(f"planlib.{old}") is importlib.import_module(f"planlib.{new}")
    assert getattr(planlib, old) is importlib.import_module(f"planlib.{new}")


def test_python_m_planlib_course_still_runs(tmp_path):
    import subprocess
    import sys

    from planlib import course
    from planlib.teach import course as teach_course

    assert course.make_exercises is teach_course.make_exercises
    (tmp_path / "src").mkdir()
    r = subprocess.run([sys.executable, "-m", "planlib.course", str(tmp_path / "src"), str(tmp_path / "out")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_the_report_folder_finds_the_former_report_modules_names():
    from planlib.report import batch, run_reports

    assert run_reports is batch.run_reports
    assert batch.TEMPLATES_DIR.is_dir()
