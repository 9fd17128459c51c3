"""Rebuild indicator tables that were flattened when copied from web pages or PDFs.

The layouts seen: one cell per line with blank lines between cells; TAB-led cells whose
wrapped text continues on the next line without a TAB; unit cells (``%``) between a row
label and its values; ``其中`` sub-rows, sometimes with parent and sub-row values
interleaved column by column, or listed before all the values (a parent whose values are all in
its sub-rows: 义务教育标准班额比例 / 其中：小学 / 初中 / then 2020 and 2025 of each); sub-rows that
only name a level (小学: the parent's measure at that level) or a part of the place (城区/农村); 属性 cells (约束性/预期性) with or without a header cell;
and one row per line with space-separated cells (PDF text). Years and columns are read
from each table's header, never assumed.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from ..read.document import Document, GridCell, TableGrid, as_document
from ..read.numbers import parse_cell
from ..read.periods import Period
from .tablecells import (  # noqa: F401  (cells, words and units: re-exported under their old home)
    CELL, FYP_END, FYP_ONLY, LABEL_UNIT, MAX_CELL_CHARS, MAYBE_NUMBER, RULE_CELL, SENTENCE_END, SPLIT_CELLS,
    YEAR_HEADER, YEAR_WORDLESS, Cell, Column, Table, _classification, _squash, cells_of, header_year,
    is_cell_line, label_unit, scale_of, table_words)
from .tablerows import rows_for_table
from ..read.text import PlanText



@dataclass
class TableResult:
    """What :func:`extract_tables` found in one plan."""

    tables: list[Table] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # targets rows (schema.TARGETS keys)
    findings: list[dict] = field(default_factory=list)  # checks rows about the source
    consumed_lines: set[int] = field(default_factory=set)


def _header_columns(cells: list[Cell]) -> list[Column]:
    cols: list[Column] = []
    pending_fyp = False
    for c in cells:
        role, year = c.head if c.head else ("label", None)
        if role == "fyp":
            pending_fyp = True
            continue
        if pending_fyp and role != "change":
            cols.append(Column("change"))  # “十三五” alone heads the change column
        pending_fyp = False
        cols.append(Column(role, year, c.text))
    if pending_fyp:
        cols.append(Column("change"))
    years = [c.year for c in cols if c.role == "year"]
    for c in cols:
        if c.role == "change":
            c.year = max(years) if years else None
    return cols


def find_headers(plan: PlanText, skip: Collection[int] = ()) -> list[tuple[int, int, list[Cell]]]:
    """Header blocks: runs of short cells holding two or more year columns (line range, cells)."""
    found = []
    lines = plan.lines
    n = len(lines)
    done_until = 0
    for cand in range(1, n + 1):
        # cheap test first: a line that is, or contains, a year heading (2020年, 2025)
        if cand <= done_until or cand in skip or not _has_year_token(lines[cand - 1]) \
                or not is_cell_line(lines[cand - 1]) and not _is_row_line(lines[cand - 1]):
            continue
        first = _window_start(lines, cand, skip)
        last = _window_end(lines, cand)
        cells = cells_of(plan, first, last)
        for i in range(len(cells)):
            if cells[i].line > cand:
                break
            head_run = _leading_header(cells[i:])
            if head_run:
                found.append((head_run[0].line, head_run[-1].line, head_run))
                done_until = head_run[-1].line
                break
    return found


YEAR_TOKEN = re.compile(r"(?:^|[\s（(“\"])(?:19|20)\d\d(?:年|\s|$|[)）”\"])|五[”\"]?(?:时期|期)?末")
#: YEAR_TOKEN split for speed: a year opening the line, or a match that starts at one of a few
#: characters (one class first lets ``re`` skip to them; YEAR_TOKEN's alternation is tried at
#: every character). A test checks the two agree.
_YEAR_AT_START = re.compile(r"(?:19|20)\d\d(?:年|\s|$|[)）”\"])")
_YEAR_INSIDE = re.compile(r"[\s（(“\"五](?:(?<=[\s（(“\"])(?:19|20)\d\d(?:年|\s|$|[)）”\"])|(?<=五)[”\"]?(?:时期|期)?末)")


def _has_year_token(line: str) -> bool:
    """Whether YEAR_TOKEN.search finds one, after a substring test for the literals every match
    holds."""
    return ("19" in line or "20" in line or "五" in line) and (
        _YEAR_AT_START.match(line) is not None or _YEAR_INSIDE.search(line) is not None)


def _window_start(lines, cand: int, skip, back: int = 8) -> int:
    """Up to ``back`` cell lines above ``cand``: where a header's label cells may begin."""
    first, seen, j = cand, 0, cand - 1
    while j >= 1 and seen < back and j not in skip:
        if lines[j - 1].strip():
            if not is_cell_line(lines[j - 1]):
                break
            seen += 1
            first = j
        j -= 1
    return first


def _window_end(lines, cand: int, ahead: int = 16) -> int:
    last, seen, j = cand, 0, cand + 1
    while j <= len(lines) and seen < ahead:
        if lines[j - 1].strip():
            if not is_cell_line(lines[j - 1]):
                break
            seen += 1
            last = j
        j += 1
    return last


def _leading_header(cells: list[Cell]) -> list[Cell] | None:
    """The header run at the start of ``cells``: label/year/change/attribute cells, ≥2 years."""
    run: list[Cell] = []
    for c in cells:
        if c.kind == "head" or (c.kind == "empty" and run):
            run.append(c)
            continue
        break
    run = [c for c in run if c.kind == "head"]
    years = [c for c in run if c.head and c.head[0] == "year"]
    if len(years) >= 2 and run and run[0].head and run[0].head[0] in ("label", "index", "year"):
        return run
    return None


# --- rows --------------------------------------------------------------------------------------

def extract_tables(plan: PlanText | Document, period: Period | None = None,
                   skip: Collection[int] = ()) -> TableResult:
    """All indicator tables of ``plan`` as targets rows, with findings about the source.

    ``skip``: lines already read as other tables (school-by-school tables). Each table is
    also added to the document's ``tables`` as a grid (:class:`planlib.read.document.TableGrid`).
    """
    doc = as_document(plan)
    plan = doc.plan
    period = period or doc.period
    result = TableResult()
    for k, (first, last, head_cells) in enumerate(find_headers(plan, skip), start=1):
        columns = _header_columns(head_cells)
        title, title_line = _title_before(plan, first)
        table = Table(f"t{k}", title, title_line, (first, last), columns, first)
        body = _body_cells(plan, last + 1)
        grid_rows: list = []
        rows, findings, used_last = rows_for_table(plan, table, body, period, grid=grid_rows)
        table.last_line = used_last
        doc.tables.append(_grid(table, head_cells, grid_rows))
        result.tables.append(table)
        result.rows.extend(rows)
        result.findings.extend(findings)
        start = title_line or first
        result.consumed_lines.update(range(start, used_last + 1))
    return result


def _grid(table: Table, head_cells: list[Cell], grid_rows: list) -> TableGrid:
    """The table as a grid: row 0 its header cells, then one row per row read.

    Columns: 0 the label (earlier label cells of the same row, such as a section cell, are
    kept in it, joined), 1 the unit, then one per value column (a year or a change, in the
    header's order), then the attribute (约束性/预期性), then any index or note column. A header
    cell sits in the column it heads (a lone “十三五” heads the change column after it).
    """
    grid = TableGrid(table.table_id, table.title, table.first_line, table.last_line)
    n_values = sum(1 for c in table.columns if c.role in ("year", "change"))
    value_col, extra, pending_fyp = 2, 3 + n_values, False
    for c in head_cells:
        role = c.head[0] if c.head else "label"
        if role in ("year", "change", "fyp"):
            if role == "change" and pending_fyp:
                col = value_col - 1  # “十三五” above 累计增长: one column
            else:
                col, value_col = value_col, value_col + 1
            pending_fyp = role == "fyp"
        else:
            pending_fyp = False
            if role == "label":
                col = 0
            elif role == "unit":
                col = 1
            elif role == "attribute":
                col = 2 + n_values
            else:
                col, extra = extra, extra + 1
        grid.cells.append(GridCell(0, col, c.text, c.line, c.start, c.end, header=True, role="header"))
    for row, (labels, unit_cell, nums, attr) in enumerate(grid_rows, 1):
        if labels:
            first = labels[0]
            grid.cells.append(GridCell(row, 0, " ".join(c.text for c in labels), first.line, first.start,
                                       labels[-1].end if labels[-1].line == first.line else first.end,
                                       role="label"))
        if unit_cell is not None:
            grid.cells.append(GridCell(row, 1, unit_cell.text, unit_cell.line, unit_cell.start, unit_cell.end,
                                       role="unit"))
        for k, c in enumerate(nums):
            if c is not None:
                grid.cells.append(GridCell(row, 2 + k, c.text, c.line, c.start, c.end, role="value"))
        if attr is not None:
            grid.cells.append(GridCell(row, 2 + n_values, attr.text, attr.line, attr.start, attr.end,
                                       role="attribute"))
    return grid


def _title_before(plan: PlanText, first: int) -> tuple[str, int | None]:
    words = table_words()["title_words"]
    for no in range(first - 1, max(0, first - 6), -1):
        s = plan.lines[no - 1].strip()
        if not s:
            continue
        if len(s) <= 60 and any(w in s for w in words):
            return s, no
        if not is_cell_line(plan.lines[no - 1]):
            break
    return "", None


def _body_cells(plan: PlanText, start: int) -> list[Cell]:
    """Cells from ``start`` until running text (a long line or a sentence) begins."""
    no, last = start, start - 1
    n = len(plan.lines)
    while no <= n:
        line = plan.lines[no - 1]
        if line.strip():
            if not is_cell_line(line) and not _is_row_line(line):
                break
            last = no
        no += 1
    return cells_of(plan, start, last) if last >= start else []


def _is_row_line(line: str) -> bool:
    """A space-separated table row (PDF text): a short label followed by numeric cells."""
    parts = [p for p in SPLIT_CELLS.split(line.strip()) if p]
    if len(parts) < 3 or len(line.strip()) > 120 or SENTENCE_END.search(line):
        return False
    nums = sum(1 for p in parts if parse_cell(p) is not None)
    return nums >= 2
