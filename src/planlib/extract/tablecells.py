"""Cells of flattened tables: how a line splits into cells and what each cell is.

The bottom of table reading (no rows, no targets): :mod:`planlib.extract.tables` finds headers and
windows of cells, :mod:`planlib.extract.tablerows` turns cells into rows, and :mod:`planlib.extract.schools`
reads school-by-school tables; all three take their cells from here, so no module of them
imports another in a circle.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from ..datafiles import package_yaml
from ..read.numbers import Quantity, parse_cell, unit_scale
from ..read.patterns import FYP_ORDINAL
from ..read.periods import fyp_ordinal, fyp_years
from ..read.text import PlanText


MAX_CELL_CHARS = 40  # a longer line is running text, which ends a table
SENTENCE_END = re.compile(r"[。；;！？]")
YEAR_HEADER = re.compile(r"^[（(“\"]?((?:19|20)\d\d)\s*年?(?:底|末|年底|年末)?(?:[（(][^）)]*[）)])?[)）”\"]?$")
FYP_ONLY = re.compile(rf"^[“\"]?({FYP_ORDINAL})五[”\"]?(时期|期间|期末)?$")
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
        # a header cell's role, in two look-ups: a change word in a short cell (a change form is a
        # substring of it), else the first role of HEADER_ROLES after "change" that lists the cell
        "change_forms": frozenset(words["header"]["change"]),
        "change_search": re.compile("|".join(map(re.escape, words["header"]["change"])) or "(?!)").search,
        "header_role": _first_role({role: words["header"][role] for role in HEADER_ROLES[1:]}),
        "unit_cells": frozenset(words["unit_cells"]),
        "year_words": tuple(words["year_words"]),
    }


#: Header cell roles in the order a cell is tested against them (the first that lists it wins).
HEADER_ROLES = ("change", "attribute", "unit", "note", "index", "label")


def _first_role(forms_by_role: dict) -> dict[str, str]:
    """form -> the first role (in order) that lists it."""
    out: dict[str, str] = {}
    for role, forms in forms_by_role.items():
        for form in forms:
            out.setdefault(form, role)
    return out


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
    text: str = ""  # the header cell as written (a 十三五累计 column tells planlib.extract.meaning the basis)


@dataclass
class Table:
    table_id: str
    title: str
    title_line: int | None
    header_lines: tuple[int, int]
    columns: list[Column]
    first_line: int
    last_line: int = 0

# --- cells -------------------------------------------------------------------------------------

def is_cell_line(line: str) -> bool:
    """A short line without sentence punctuation: a table cell (or a heading)."""
    s = line.strip()
    return bool(s) and len(s) <= MAX_CELL_CHARS and not SENTENCE_END.search(s)


MAYBE_NUMBER = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千两]")
FYP_END = re.compile(rf"^({FYP_ORDINAL})五(?:时期|期)?(?:末|期末|末期)$")


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


@lru_cache(maxsize=16384)
def _classification(text: str) -> tuple[str, tuple[str, int | None] | None, Quantity | None]:
    """(kind, head, qty) of a cell's text; a pure function of the text (and the once-loaded word
    lists), so it is remembered across plans too: header, unit and attribute cells recur in every
    plan. The tuple and its Quantity are immutable; every Cell is made fresh from them."""
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
    if sq in words["change_forms"] or (len(sq) <= 14 and words["change_search"](sq)):
        return "head", ("change", None), None
    role = words["header_role"].get(sq)
    if role is not None:
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


def finding(plan: PlanText, severity: str, message: str, lines, check: str) -> dict:
    """A checks row about the source (a table that does not add up, a unit that contradicts its values)."""
    return {"county": plan.slug, "check": check, "severity": severity, "indicator_id": "", "year": None,
            "message": message, "lines": ";".join(str(n) for n in sorted(set(lines))), "source_file": plan.source_file}
