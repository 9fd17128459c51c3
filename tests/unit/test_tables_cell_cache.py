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


def test_a_header_cell_takes_the_first_role_that_lists_it():
    """The header look-ups give the role the word lists give, tried in order: a change word
    anywhere in a cell of up to 14 characters, else the first role listing the cell."""
    from planlib.extract.tablecells import HEADER_ROLES, _classification, _squash, table_words

    header = table_words()["header"]

    def by_lists(sq):
        for role in HEADER_ROLES:
            if sq in header[role] or (role == "change" and len(sq) <= 14 and any(f in sq for f in header[role])):
                return role
        return None

    cells = [w for role in HEADER_ROLES for w in header[role]]
    cells += [a + b for a in cells[::3] for b in ("", "（%）", "值", "情况说明说明说明说明说明")]
    cells += [w + "增长" for w in cells[::5]] + ["备注", "序号", "类别", "指标名称", "单位"]
    checked = 0
    for cell in cells:
        kind, head, _ = _classification(cell)
        expected = by_lists(_squash(cell))
        if kind == "head" and head[0] in HEADER_ROLES:
            assert head[0] == expected, cell
            checked += 1
        elif kind not in ("attr", "missing") and (kind != "head" or head[0] not in ("year", "fyp")):
            assert expected is None, cell
    assert checked > 50


def test_a_form_listed_under_two_roles_belongs_to_the_first():
    from planlib.extract.tablecells import _first_role

    assert _first_role({"unit": ["单位", "计量"], "note": ["计量", "备注"]}) == {"单位": "unit", "计量": "unit", "备注": "note"}
