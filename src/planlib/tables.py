"""Rebuild indicator tables that were flattened when copied from web pages or PDFs.

The layouts seen: one cell per line with blank lines between cells; TAB-led cells whose
wrapped text continues on the next line without a TAB; unit cells (``%``) between a row
label and its values; ``其中`` sub-rows, sometimes with parent and sub-row values
interleaved column by column; 属性 cells (约束性/预期性) with or without a header cell;
and one row per line with space-separated cells (PDF text). Years and columns are read
from each table's header, never assumed.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .datafiles import package_yaml
from .numbers import Quantity, parse_cell, unit_scale
from .periods import Period, fyp_ordinal, fyp_years, plan_period
from .text import PlanText

MAX_CELL_CHARS = 40  # a longer line is running text, which ends a table
SENTENCE_END = re.compile(r"[。；;！？]")
YEAR_HEADER = re.compile(r"^[（(“\"]?((?:19|20)\d\d)\s*年?(?:底|末|年底|年末)?(?:[（(][^）)]*[）)])?[)）”\"]?$")
FYP_ONLY = re.compile(r"^[“\"]?(十[一二三四五六]?|九)五[”\"]?(时期|期间|期末)?$")
LABEL_UNIT = re.compile(r"[（(]\s*([^（）()]{1,6}?)\s*(?:[）)]|$)")
SPLIT_CELLS = re.compile(r"[ \t\u3000|｜]+")  # spaces, TABs and the pipes of text or Markdown tables
CELL = re.compile(r"[^ \t\u3000|｜]+")
RULE_CELL = re.compile(r"^:?-{3,}:?$")  # a Markdown header rule (|---|---|)


@lru_cache(maxsize=1)
def table_words() -> dict:
    return package_yaml("table_words.yml")


_SQUASHED = re.compile(r"[\s“”\"'‘’（）()【】\[\]]")
YEAR_WORDLESS = re.compile(r"((?:19|20)\d\d)年?")


def _squash(text: str) -> str:
    return _SQUASHED.sub("", text)


@lru_cache(maxsize=1)
def _cell_words() -> dict:
    """:func:`table_words` as sets and tuples: the per-cell tests run thousands of times per plan."""
    words = table_words()
    return {
        "attribute": tuple((attr, frozenset(forms)) for attr, forms in words["attribute"].items()),
        "missing": frozenset(words["missing_cells"]),
        "header": tuple((role, frozenset(words["header"][role]), tuple(words["header"][role]))
                        for role in ("change", "attribute", "unit", "note", "index", "label")),
        "unit_cells": frozenset(words["unit_cells"]),
        "year_words": tuple(words["year_words"]),
    }


@dataclass
class Cell:
    line: int  # 1-based line number
    start: int  # offset of the cell's first character in its line
    end: int
    text: str  # cell text; wrapped continuations joined
    kind: str = "text"  # text | num | unit | attr | empty | head
    qty: Quantity | None = None
    head: tuple[str, int | None] | None = None  # header class and year, for head cells


@dataclass
class Column:
    role: str  # year | change | attribute | unit | label | note
    year: int | None = None
    text: str = ""  # the header cell as written (a 十三五累计 column tells planlib.meaning the basis)


@dataclass
class Table:
    table_id: str
    title: str
    title_line: int | None
    header_lines: tuple[int, int]
    columns: list[Column]
    first_line: int
    last_line: int = 0


@dataclass
class TableResult:
    """What :func:`extract_tables` found in one plan."""

    tables: list[Table] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # targets rows (schema.TARGETS keys)
    findings: list[dict] = field(default_factory=list)  # checks rows about the source
    consumed_lines: set[int] = field(default_factory=set)


# --- cells -------------------------------------------------------------------------------------

def is_cell_line(line: str) -> bool:
    """A short line without sentence punctuation: a table cell (or a heading)."""
    s = line.strip()
    return bool(s) and len(s) <= MAX_CELL_CHARS and not SENTENCE_END.search(s)


MAYBE_NUMBER = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千两]")
FYP_END = re.compile(r"^(十[一二三四五六]?|九)五(?:时期|期)?(?:末|期末|末期)$")


def header_year(text: str) -> int | None:
    """The year a header cell names: 2020年, 2020, 2025年目标值, 基期（2020年）, 2020年底, “十三五”末.

    >>> [header_year(t) for t in ("2020年", "2025", "2025年（目标）", "基期(2020年)", "“十三五”末", "2020年和2025年", "指标")]
    [2020, 2025, 2025, 2020, 2020, None, None]
    """
    sq = _squash(text)
    if not sq or len(sq) > 16:
        return None
    if sq.isdigit():
        return int(sq) if len(sq) == 4 and YEAR_HEADER.match(sq) else None
    m = FYP_END.match(sq)
    if m:  # the end of a named plan period
        n = fyp_ordinal(m.group(1) + "五")
        return fyp_years(n)[1] if n else None
    for word in _cell_words()["year_words"]:
        if word in sq:
            sq = sq.replace(word, "")
    m = YEAR_WORDLESS.fullmatch(sq)
    return int(m.group(1)) if m else None


def _classification(text: str) -> tuple[str, tuple[str, int | None] | None, Quantity | None]:
    """(kind, head, qty) of a cell's text; a pure function of the text, so it can be cached."""
    words = _cell_words()
    sq = _squash(text)
    if not sq:
        return "empty", None, None
    for attr, forms in words["attribute"]:
        if sq in forms:
            return "attr", (attr, None), None
    if sq in words["missing"] or text.strip() in words["missing"]:
        return "missing", None, None
    year = header_year(text)
    if year is not None:
        # a bare 2035 may be a value; the table decides by position
        return "head", ("year", year), parse_cell(text) if sq.isdigit() else None
    for role, forms, ordered in words["header"]:
        if sq in forms or (role == "change" and len(sq) <= 14 and any(f in sq for f in ordered)):
            return "head", (role, None), None
    if FYP_ONLY.match(sq):
        return "head", ("fyp", None), None
    if sq in words["unit_cells"]:
        return "unit", None, None
    q = parse_cell(text) if MAYBE_NUMBER.search(text) else None
    if q is not None and q.role in ("quantity", "year"):
        return "num", None, q
    return "text", None, None


def cells_of(plan: PlanText, first: int, last: int) -> list[Cell]:
    """Cells of lines ``first..last`` (1-based, inclusive), joining TAB-less continuation lines."""
    lines = plan.lines
    nonblank = [lines[i - 1] for i in range(first, last + 1) if lines[i - 1].strip()]
    tab_mode = sum(1 for ln in nonblank if ln.startswith("\t")) >= max(2, len(nonblank) // 2)
    cache = _plan_cache(plan)
    cells: list[Cell] = []
    for no in range(first, last + 1):
        raw = lines[no - 1]
        if not raw.strip():
            if tab_mode and "\t" in raw:
                cells.append(Cell(no, raw.index("\t"), raw.index("\t"), "", kind="empty"))
            continue
        if tab_mode and not raw.startswith(("\t", " ", "\u3000")) and cells and cells[-1].kind in ("text", "head") \
                and cells[-1].line < no and not YEAR_HEADER.match(raw.strip()):
            prev = _classify_join(cells[-1], raw.strip(), cache)
            cells[-1] = prev
            continue
        line_cells = cache.lines.get(no)
        if line_cells is None:
            line_cells = cache.lines[no] = _line_cells(raw, cache)
        # fresh Cell objects: the row reader may relabel a cell (a year header read as a value)
        cells.extend(Cell(no, start, end, text, kind, qty, head) for start, end, text, kind, head, qty in line_cells)
    return cells


def _line_cells(raw: str, cache: _PlanCells) -> tuple:
    """(start, end, text, kind, head, qty) of each cell of one line."""
    out = []
    for m in CELL.finditer(raw):
        text = m.group(0)
        if not RULE_CELL.match(text):
            out.append((m.start(), m.end(), text, *_cached_classification(text, cache)))
    return tuple(out)


def _cached_classification(text: str, cache: _PlanCells):
    found = cache.texts.get(text)
    if found is None:
        found = cache.texts[text] = _classification(text)
    return found


def _classify_join(cell: Cell, more: str, cache: _PlanCells) -> Cell:
    joined = Cell(cell.line, cell.start, cell.end, cell.text + more)
    joined.kind, joined.head, joined.qty = _cached_classification(joined.text, cache)
    return joined


#: Classified cells of the plan read last, by line number and by cell text. School and
#: indicator tables both read cells, and header search reads overlapping windows of lines:
#: each line is split and classified once per plan. Keyed by identity (PlanText is immutable).
@dataclass
class _PlanCells:
    lines: dict[int, tuple] = field(default_factory=dict)  # line number -> (start, end, text, kind, head, qty) per cell
    texts: dict[str, tuple] = field(default_factory=dict)  # cell text -> (kind, head, qty)


_last_plan: tuple[PlanText | None, _PlanCells] = (None, _PlanCells())


def _plan_cache(plan: PlanText) -> _PlanCells:
    global _last_plan
    owner, cache = _last_plan
    if owner is not plan:
        cache = _PlanCells()
        _last_plan = (plan, cache)
    return cache


# --- headers -----------------------------------------------------------------------------------

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


def _has_year_token(line: str) -> bool:
    """YEAR_TOKEN.search, after a substring test for the literals every match holds (the regex
    has no literal prefix, so ``re`` tries it at every character)."""
    return ("19" in line or "20" in line or "五" in line) and YEAR_TOKEN.search(line) is not None


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

def extract_tables(plan: PlanText, period: Period | None = None, skip: Collection[int] = ()) -> TableResult:
    """All indicator tables of ``plan`` as targets rows, with findings about the source.

    ``skip``: lines already read as other tables (school-by-school tables).
    """
    from .tablerows import rows_for_table  # noqa: PLC0415  (kept apart: row semantics)

    period = period or plan_period(plan.text)
    result = TableResult()
    for k, (first, last, head_cells) in enumerate(find_headers(plan, skip), start=1):
        columns = _header_columns(head_cells)
        title, title_line = _title_before(plan, first)
        table = Table(f"t{k}", title, title_line, (first, last), columns, first)
        body = _body_cells(plan, last + 1)
        rows, findings, used_last = rows_for_table(plan, table, body, period)
        table.last_line = used_last
        result.tables.append(table)
        result.rows.extend(rows)
        result.findings.extend(findings)
        start = title_line or first
        result.consumed_lines.update(range(start, used_last + 1))
    return result


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


def scale_of(unit_raw: str) -> tuple[Decimal, str]:
    """Scale and normalised unit of a label unit; unknown units keep scale 1."""
    try:
        return unit_scale(unit_raw)
    except (KeyError, ValueError):
        return Decimal(1), unit_raw


def label_unit(label: str) -> str:
    """The unit in a row label's brackets: 在校学生数（万人） -> 万人; 毛入园率(% -> %.

    >>> label_unit("在校学生数（万人）"), label_unit("学前教育毛入园率(%"), label_unit("其中：普通小学")
    ('万人', '%', '')
    """
    m = None
    for m in LABEL_UNIT.finditer(label):
        pass
    if not m:
        return ""
    unit = m.group(1).strip()
    return unit if unit in table_words()["unit_cells"] else ""
