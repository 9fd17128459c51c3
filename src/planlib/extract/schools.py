"""School-by-school tables (classes and capacity per school, now and after adjustment), in long form.

Header cells name the states (现有规模, 调整后规模, optionally split by year columns) and the
measures (班级规模 / 学生容量); rows give a school and two numbers per state. A 合计 row is
checked against the sum of the schools above it and also goes to `targets` (a county total).
"""
from __future__ import annotations

from collections.abc import Collection

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .projects import is_period_header, period_of
from .tablecells import (YEAR_HEADER, _SQUASHED, Cell, _squash, cells_of, finding as _finding, is_cell_line,
                         table_words)
from ..read.document import Document, as_document
from ..read.text import PlanText

YEAR_IN = re.compile(r"((?:19|20)\d\d)")


@dataclass
class SchoolResult:
    rows: list[dict] = field(default_factory=list)  # `schools` rows
    target_rows: list[dict] = field(default_factory=list)  # 合计 rows as `targets`
    findings: list[dict] = field(default_factory=list)
    consumed_lines: set[int] = field(default_factory=set)


def _words():
    return table_words()["schools"]


def _matches(text: str, forms) -> bool:
    return _squash(text).startswith(tuple(forms))  # equal to a form, or a form then more


@lru_cache(maxsize=4)
def _header_start(forms: tuple[str, ...]):
    """The match of "the line, squashed (:func:`_squash`), starts with one of ``forms``" in one
    regex at the line's start: a form's characters with squashed characters around them. A cheap
    test first (most lines fail at their first characters); a form holding a squashed character
    can never start a squashed line and is left out; an empty form starts every line."""
    if "" in forms:
        return lambda line: True
    squashed = _SQUASHED.pattern
    alternatives = [f"{squashed}*".join(re.escape(ch) for ch in form) for form in forms
                    if not _SQUASHED.search(form)]
    return re.compile(f"{squashed}*(?:{'|'.join(alternatives) or '(?!)'})").match


def extract_school_tables(plan: PlanText | Document, skip: Collection[int] = ()) -> SchoolResult:
    """School-by-school tables (classes, capacity per school and state) as schools rows.

    ``skip``: lines never read as a table's header (page chrome a reader marked)."""
    plan = as_document(plan).plan
    result = SchoolResult()
    lines = plan.lines
    no = 1
    k = 0
    header_forms = tuple(_words()["school_header"])
    may_head = _header_start(header_forms)
    while no <= len(lines):
        line = lines[no - 1]
        if no not in skip and may_head(line) and is_cell_line(line) and _matches(line, header_forms):
            end = _block_end(plan, no)
            cells = cells_of(plan, no, end)
            k += 1
            used = _parse_block(plan, cells, _title_before(plan, no), f"s{k}", result)
            if used:
                result.consumed_lines.update(range(no, used + 1))
                no = used + 1
                continue
        no += 1
    return result


def _title_before(plan: PlanText, no: int) -> str:
    """The nearest line above the header that names a table (表3 …), skipping header cells."""
    for j in range(no - 1, max(0, no - 6), -1):
        s = plan.lines[j - 1].strip()
        if s and ("表" in s or s.endswith(("目标", "情况", "一览", "计划"))):
            return s
        if s and not is_cell_line(plan.lines[j - 1]):
            break
    return ""


def _block_end(plan: PlanText, start: int) -> int:
    last, no = start, start
    while no <= len(plan.lines):
        line = plan.lines[no - 1]
        if line.strip():
            if not is_cell_line(line):
                break
            last = no
        no += 1
    return last


def _parse_block(plan: PlanText, cells: list[Cell], title: str, table_id: str, result: SchoolResult) -> int:
    w = _words()
    # header: everything before the first number, minus the first data row's leading cells
    first_num = next((i for i, c in enumerate(cells) if c.kind == "num" and not YEAR_HEADER.match(c.text.strip())), None)
    if first_num is None:
        return 0
    head_end = first_num
    # back off over the first row's own cells: its school name, empty cells and its year cell
    while head_end > 0 and cells[head_end - 1].kind in ("text", "empty", "head"):
        prev = cells[head_end - 1]
        if _is_measure_or_state(prev.text) or (prev.kind == "head" and prev.head[0] != "year"):
            break
        head_end -= 1
        if prev.kind == "head":
            break
    header = cells[:head_end]
    states = []  # (state, year)
    for c in header:
        t = c.text
        if _matches(t, w["current"]):
            m = YEAR_IN.search(t)
            states.append(["current", int(m.group(1)) if m else None])
        elif _matches(t, w["planned"]):
            m = YEAR_IN.search(t)
            states.append(["planned", int(m.group(1)) if m else None])
        elif c.kind == "head" and c.head and c.head[0] == "year" and states:
            if states[-1][0] == "planned" and states[-1][1] is None:
                states[-1][1] = c.head[1]
            else:
                states.append(["planned", c.head[1]])
    measures = []
    for c in header:
        if _matches(c.text, w["classes"]):
            measures.append("classes")
        elif _matches(c.text, w["capacity"]):
            measures.append("capacity")
        if len(measures) == 2:
            break
    if not states or measures != ["classes", "capacity"]:
        return 0
    width = 2 * len(states)
    row_year = None
    # a 建设年限 column: each school's planned state is the end of its own period (2022—2024 -> 2024)
    has_period = any(is_period_header(c.text) for c in header)
    period: tuple[int, int] | None = None
    name: Cell | None = None
    nums: list[Cell] = []
    last_used = header[-1].line if header else cells[0].line
    school_rows: list[list] = []

    def flush():
        nonlocal name, nums, period
        if name is not None and len(nums) == width:
            school_rows.append([name, list(nums), row_year, period])
        name, nums, period = None, [], None

    for i, c in enumerate(cells[head_end:], start=head_end):
        in_row = name is not None and len(nums) < width
        if has_period and name is not None and (not nums or len(nums) == width) and period is None \
                and period_of(c.text):
            period = period_of(c.text)  # the row's period cell, before or after its numbers
            last_used = c.line
        elif c.kind == "head" and c.head and c.head[0] == "year" and not in_row:
            flush()
            row_year = c.head[1]
        elif c.kind in ("num", "head") and in_row and c.qty is not None:
            nums.append(c)
            last_used = c.line
        elif c.kind == "empty" and in_row and (nums or _next_kind(cells, i) in ("num", "empty")):
            nums.append(None)  # an empty cell: no value for this state (a school not yet built)
        elif c.kind in ("text", "head", "unit") and c.text.strip():
            if name is not None and len(nums) < width:
                break  # a text cell inside the numbers: not this layout any more
            nxt = next((d for d in cells[i + 1:] if d.kind != "empty" and not (has_period and period_of(d.text))),
                       None)  # a school's period cell may stand between its name and its numbers
            if nxt is not None and nxt.kind == "num":
                flush()
                name = c
                last_used = c.line
            elif name is not None:
                last_used = c.line  # a note (备注) after a complete row
            else:
                break
        elif c.kind == "empty":
            continue
    flush()
    if not school_rows:
        return 0
    source_file = plan.source_file
    totals = []
    for name_cell, vals, year, span in school_rows:
        is_total = _matches(name_cell.text, w["total"])
        if is_total:
            totals.append((name_cell, vals))
        for s, (state, state_year) in enumerate(states):
            cls, cap = vals[2 * s], vals[2 * s + 1]
            if cls is None and cap is None:
                continue
            yr = state_year if state_year is not None else (year if state == "planned" else None)
            if yr is None and span is not None and state == "planned":
                yr = span[1]
            result.rows.append({
                "county": plan.slug, "table_title": title, "school": name_cell.text.strip(), "year": yr,
                "state": state, "classes": float(cls.qty.value) if cls else None,
                "capacity": float(cap.qty.value) if cap else None,
                "source_file": source_file, "line": (cls or cap).line,
            })
            if is_total:
                for cell, measure in ((cls, "classes"), (cap, "capacity")):
                    if cell is not None:
                        result.target_rows.append(_total_target(plan, source_file, title, table_id, cell, measure, state, yr))
    schools = [(n, v) for n, v, _, _ in school_rows if not _matches(n.text, w["total"])]
    for name_cell, vals in totals:
        for j, cell in enumerate(vals):
            if cell is None:
                continue
            s = sum(v[j].qty.value for _, v in schools if v[j] is not None)
            if s != cell.qty.value:
                state, _ = states[j // 2]
                measure = "classes" if j % 2 == 0 else "capacity"
                result.findings.append(_finding(
                    plan, "error", f"{title or table_id}: {name_cell.text.strip()} {measure} ({state}, column {j + 1}) says "
                    f"{cell.text.strip()} but the {len(schools)} schools above add up to {s}",
                    [cell.line] + [v[j].line for _, v in schools if v[j] is not None], "sum_mismatch"))
    return last_used


def _next_kind(cells: list[Cell], i: int) -> str | None:
    return cells[i + 1].kind if i + 1 < len(cells) else None


def _is_measure_or_state(text: str) -> bool:
    w = _words()
    return any(_matches(text, w[k]) for k in ("classes", "capacity", "current", "planned", "note"))


def _total_target(plan, source_file, title, table_id, cell: Cell, measure: str, state: str, year) -> dict:
    # a county total of a school table; no dictionary id: per-school class counts elsewhere are not comparable
    label = f"{title} 合计 {'班级' if measure == 'classes' else '学生容量'}"
    line = plan.lines[cell.line - 1]
    return {
        "county": plan.slug, "indicator_id": "", "indicator_zh": label,
        "domain": "schools", "level": "", "year": year,
        "kind": "baseline" if state == "current" else "target",
        "value": float(cell.qty.value), "value_high": None, "unit": "个" if measure == "classes" else "人",
        "value_raw": cell.qty.value_raw, "unit_raw": "", "comparator": cell.qty.comparator, "attribute": "",
        "source": "table", "source_file": source_file, "line": cell.line, "char_start": cell.start,
        "char_end": cell.end, "quote": line[cell.start:cell.end], "table_id": table_id,
    }
