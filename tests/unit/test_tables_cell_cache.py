"""Cells are classified once per line per plan; callers still get cells of their own to relabel."""
from pathlib import Path

from planlib.extract.tables import cells_of
from planlib.read.text import PlanText


def plan_of(text: str, name: str = "fixture") -> PlanText:
    lines = tuple(text.split("\n"))
    return PlanText(path=Path(f"{name}.txt"), text=text, encoding="utf-8", sha256="", n_bytes=len(text.encode()),
                    lines=lines)


def described(cells):
    return [(c.line, c.start, c.end, c.text, c.kind, c.head, c.qty) for c in cells]


def test_a_second_read_gives_new_cells_unchanged_by_edits_to_the_first():
    plan = plan_of("指标 2020年 2025年\n在校学生数（人） 2035 40000\n")
    first = cells_of(plan, 1, 2)
    assert [c.kind for c in first] == ["head", "head", "head", "text", "head", "num"]
    first[4].kind = "num"  # the row reader relabels a bare 2035 in a value position
    second = cells_of(plan, 1, 2)
    assert second[4].kind == "head" and second[4] is not first[4]
    assert described(second[:4]) == described(first[:4])


def test_overlapping_windows_give_the_same_cells_for_shared_lines():
    plan = plan_of("指标\n2020年\n2025年\n毛入园率（%）\n90.1\n95\n预期性\n")
    whole = described(cells_of(plan, 1, 7))
    assert described(cells_of(plan, 3, 5)) == whole[2:5]
    assert described(cells_of(plan, 1, 7)) == whole


def test_each_plan_is_read_from_its_own_lines():
    a = plan_of("指标 2020年 2025年\n", "a")
    b = plan_of("属性 约束性 —\n", "b")
    assert [c.kind for c in cells_of(a, 1, 1)] == ["head", "head", "head"]
    assert [c.kind for c in cells_of(b, 1, 1)] == ["head", "attr", "missing"]
    assert [c.text for c in cells_of(a, 1, 1)] == ["指标", "2020年", "2025年"]
