"""Project tables with a construction-period column: each project's numbers belong to its own end year.

A 专栏 of major projects (重大项目) or a school-building list often has a column 建设年限 / 建设期限 /
实施年限 (words in data/table_words.yml, ``projects.period_header``) whose cells give each row's period:
``2024—2027``, ``2023``, ``2021-2023年`` (sometimes split over lines: ``2024`` / ``—`` / ``2027``).
The areas, classes, places and investment written in that row are reached at the end of the period, not
at the plan's end: :func:`apply_project_periods` gives them that year, and a period that ends after
the plan's own end is a finding (``beyond_plan_period``), in the style of the other findings.

Three layouts: one cell per line (the period cell after the row's content, or before it — decided by
the content column's header, else by which comes first in the table); one row per line with
space-separated cells; and project items in running text whose clause writes its period
(1.城东学校新建工程：新增学位1800个，建设年限2024—2027年；…): that clause's numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..read.document import Document, as_document, match_heading
from .dictionary import level_named
from ..read.numbers import find_quantities
from ..read.patterns import CHAPTER_STYLES
from ..read.periods import Period, kind_for_year
from ..read.text import PlanText
from .tablecells import MAX_CELL_CHARS, SENTENCE_END, SPLIT_CELLS, _squash, finding, table_words

#: a period cell: 2023, 2024—2027, 2021-2023年, 2024年至2027年, 2022.03-2024.12, 2022年3月—2024年底
_MONTH = r"(?:[.．/]\d{1,2}|年\d{1,2}月(?:底)?|年(?:底|末))?"
PERIOD_CELL = re.compile(rf"^((?:19|20)\d\d){_MONTH}\s*年?(?:\s*[—–\-－~～至到]+\s*((?:19|20)\d\d){_MONTH}\s*年?)?$")
MAX_PERIOD_PIECES = 3  # 2024 / — / 2027 on three lines
NEAR = 10  # years: how far from the plan's period a project's period may lie
MAX_GAP_LINES = 80  # this many lines without a period cell: the table has ended
TABLE_TITLE = re.compile(r"^\s*(?:表|附表)\s*\d")


@dataclass
class ProjectRow:
    """One project of a project table: its period cell and the lines that hold its content."""

    title: str  # the table's title (专栏3 …), '' if none
    name: str  # the project's name as written, '' if none was found
    period_text: str  # the period cell as written (2024—2027)
    period_lines: tuple[int, ...]  # lines of the period cell
    start: int
    end: int
    lines: tuple[int, ...] = field(default_factory=tuple)  # lines of the row's content
    chars: tuple[int, int] | None = None  # a project item in running text: the clause on its line


@lru_cache(maxsize=1)
def _words() -> dict:
    w = table_words()["projects"]
    return {"header": frozenset(_squash(h) for h in w["period_header"]), "endings": tuple(w["name_endings"]),
            "content": tuple(_squash(h) for h in w["content_header"])}


def period_of(text: str, around: Period | None = None) -> tuple[int, int] | None:
    """(start, end) years of a period cell, or None.

    With ``around`` (the plan's period) a period must lie near it (from 10 years before its start to
    10 after its end, at most 10 years long), so that a cell of 2000 (万元) or 2020 (人) is not a period.

    >>> period_of("2024—2027"), period_of("2023"), period_of("2021-2023年"), period_of("2024年至2027年"), period_of("2027—2024")
    ((2024, 2027), (2023, 2023), (2021, 2023), (2024, 2027), None)
    >>> period_of("2022.03-2024.12"), period_of("2022年3月—2024年底"), period_of("2023年"), period_of("12000")
    ((2022, 2024), (2022, 2024), (2023, 2023), None)
    """
    m = PERIOD_CELL.match(_squash(text))
    if not m:
        return None
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else start
    if end < start or (around is not None and (start < around.start - NEAR or end > around.end + NEAR
                                               or end - start > NEAR)):
        return None
    return start, end


def is_period_header(text: str) -> bool:
    """A header cell that heads the construction-period column (table_words.yml ``projects.period_header``).

    >>> is_period_header("建设年限"), is_period_header("建设 年限"), is_period_header("建设内容")
    (True, True, False)
    """
    return _squash(text) in _words()["header"]


_is_header = is_period_header


def _is_content(line: str) -> bool:
    """A line that states quantities (not a bare index number, not a period cell)."""
    s = line.strip()
    if not s or s.isdigit() or period_of(s):
        return False
    return bool(find_quantities(s, roles={"quantity"}))


def _ends_table(line: str) -> bool:
    c = match_heading(line.strip())
    return (c is not None and (c.style in CHAPTER_STYLES or c.style == "box")) or bool(TABLE_TITLE.match(line))


def project_rows(plan: PlanText | Document) -> list[ProjectRow]:
    """Every project row of every table with a construction-period column, in order."""
    doc = as_document(plan)
    plan, around = doc.plan, doc.period
    lines = plan.lines
    rows: list[ProjectRow] = []
    no = 1
    while no <= len(lines):
        head = _header_at(lines, no)
        if head is None:
            no += 1
            continue
        kind, last_head_line = head
        title = _title_before(lines, no)
        if kind == "row":
            found, no = _line_rows(lines, last_head_line + 1, title, around)
        else:
            found, no = _cell_rows(lines, last_head_line + 1, title, around)
        rows.extend(found)
    rows.extend(_inline_rows(lines, around))
    return rows


_CLAUSE_END = re.compile(r"[；;。]")
_ITEM_NUMBER = re.compile(r"^\s*(?:[（(]?\d{1,2}[）)]|\d{1,2}[.．、](?!\d))\s*")


@lru_cache(maxsize=1)
def _inline_pattern() -> re.Pattern:
    """建设年限2024—2027年 / 建设期限：2022-2023年 inside a sentence (header words from table_words.yml)."""
    words = "|".join(map(re.escape, sorted(table_words()["projects"]["period_header"], key=len, reverse=True)))
    year = rf"(?:19|20)\d\d{_MONTH}\s*年?"
    return re.compile(rf"(?:{words})\s*(?:为|是|[：:])?\s*({year}(?:\s*[—–\-－~～至到]+\s*{year})?)")


@lru_cache(maxsize=1)
def _first_words() -> re.Pattern | None:
    """The first two characters of every period header word, one alternation: a line holding none
    of them holds no inline period. None when one is empty (every line holds it); a word holding a
    line end is in no line and left out."""
    words = {w[:2] for w in table_words()["projects"]["period_header"]}
    if "" in words:
        return None
    return re.compile("|".join(map(re.escape, sorted(w for w in words if "\n" not in w))) or "(?!)")


def _lines_with(words: re.Pattern, lines) -> list[int]:
    """The numbers (1-based, ascending) of the lines in which ``words`` (an alternation of words
    that hold no line end) finds something: one search of the text, not one per line."""
    joined = "\n".join(lines)
    found: list[int] = []
    line, pos = 1, 0
    for m in words.finditer(joined):
        line += joined.count("\n", pos, m.start())
        pos = m.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def _inline_rows(lines, around: Period | None) -> list[ProjectRow]:
    """Project items in running text whose clause states their own period: the clause's numbers."""
    rows = []
    words = _first_words()
    for no in range(1, len(lines) + 1) if words is None else _lines_with(words, lines):
        line = lines[no - 1]
        for m in _inline_pattern().finditer(line):
            span = period_of(m.group(1), around)
            if span is None:
                continue
            before = [e.end() for e in _CLAUSE_END.finditer(line, 0, m.start())]
            lo = before[-1] if before else 0
            after = _CLAUSE_END.search(line, m.end())
            hi = after.start() if after else len(line)
            clause = _ITEM_NUMBER.sub("", line[lo:m.start()])
            name = re.split(r"[：:，,]", clause, maxsplit=1)[0].strip() if re.search(r"[：:，,]", clause) else ""
            rows.append(ProjectRow(_title_before(lines, no), name, m.group(1), (no,), span[0], span[1], (no,),
                                   (lo, hi)))
    return rows


def _header_at(lines, no: int) -> tuple[str, int] | None:
    """('row', line) for a header row of space-separated cells, ('cell', last line) for a header cell
    (建设年限, or 建设 / 年限 wrapped over two lines); None if line ``no`` is neither."""
    s = lines[no - 1].strip()
    if not s or len(s) > 120 or SENTENCE_END.search(s):
        return None
    if "年" not in s and "期" not in s and "时" not in s and "周" not in s and "度" not in s:
        return None  # every header word has one of these (a cheap test first)
    parts = [p for p in SPLIT_CELLS.split(s) if p]
    if len(parts) >= 3 and any(_is_header(p) for p in parts):
        return "row", no
    if _is_header(s):
        return "cell", no
    prev = next((j for j in range(no - 1, max(0, no - 3), -1) if lines[j - 1].strip()), None)
    if prev is not None and len(lines[prev - 1].strip()) <= 4 and _is_header(lines[prev - 1].strip() + s):
        return "cell", no  # 建设 / 年限
    return None


def _title_before(lines, no: int) -> str:
    for j in range(no - 1, max(0, no - 30), -1):
        c = match_heading(lines[j - 1].strip())
        if c is not None and c.style == "box" or TABLE_TITLE.match(lines[j - 1]):
            return lines[j - 1].strip()
        if c is not None and c.style in CHAPTER_STYLES:
            break
    return ""


def _line_rows(lines, start: int, title: str, around: Period | None) -> tuple[list[ProjectRow], int]:
    """One row per line: the row's period is the cell that reads as one."""
    rows, no = [], start
    while no <= len(lines):
        s = lines[no - 1].strip()
        if s and (_ends_table(s) or (len(s) > MAX_CELL_CHARS * 3 and SENTENCE_END.search(s[-1:]))):
            break
        cells = [p for p in SPLIT_CELLS.split(s) if p]
        for p in cells:
            span = period_of(p, around)
            if span and len(cells) >= 3:
                name = next((c for c in cells if c.endswith(_words()["endings"])), cells[0] if not cells[0].isdigit() else "")
                rows.append(ProjectRow(title, name, p, (no,), span[0], span[1], (no,)))
                break
        no += 1
    return rows, no


def _cell_rows(lines, start: int, title: str, around: Period | None) -> tuple[list[ProjectRow], int]:
    """One cell per line: period cells split the body into rows."""
    periods: list[tuple[int, int, str, tuple[int, int], tuple[int, ...]]] = []  # first, last, text, span, lines
    content: list[int] = []
    no, last_seen = start, start
    n = len(lines)
    while no <= n:
        s = lines[no - 1].strip()
        if not s:
            no += 1
            continue
        if _ends_table(s) or no - last_seen > MAX_GAP_LINES:
            break
        piece = _period_at(lines, no, around)
        if piece is not None:
            first, last = piece[0], piece[1]
            periods.append(piece)
            last_seen = no = last + 1
            continue
        if _is_content(s):
            content.append(no)
        no += 1
    end_line = no - 1
    if not periods:
        return [], no
    after = _content_column_first(lines, start - 1, periods[0][0])
    if after is None:  # no content header: the first line with numbers tells
        after = bool(content) and content[0] < periods[0][0]  # content first: each period closes its row
    rows = []
    for k, (first, last, text, span, piece_lines) in enumerate(periods):
        if after:
            lo = periods[k - 1][1] + 1 if k else start
            hi = first - 1
        else:
            lo = last + 1
            hi = periods[k + 1][0] - 1 if k + 1 < len(periods) else end_line
        row_content = tuple(c for c in content if lo <= c <= hi)
        anchor = (row_content[0] if row_content else first) if after else first
        floor = max([periods[k - 1][1] if k else start - 1] + [c for c in content if c < anchor])
        name = _name(lines, floor + 1, anchor - 1)
        rows.append(ProjectRow(title, name, text, piece_lines, span[0], span[1], row_content))
    return rows, no


def _content_column_first(lines, header_line: int, first_period: int) -> bool | None:
    """Whether the content column (建设内容) comes before the period column, from the header cells:
    True if a content header stands above the period header, False if below it, None if neither."""
    words = _words()["content"]

    def is_content_head(j: int) -> bool:
        s = _squash(lines[j - 1])
        return bool(s) and len(s) <= 12 and s.startswith(words)

    for j in range(header_line - 1, max(0, header_line - 30), -1):
        if is_content_head(j):
            return True
        if _ends_table(lines[j - 1]):
            break
    if any(is_content_head(j) for j in range(header_line + 1, first_period)):
        return False
    return None


def _period_at(lines, no: int, around: Period | None = None):
    """A period cell starting at line ``no`` (pieces on up to three non-blank lines), or None."""
    pieces, j = [], no
    while j <= len(lines) and len(pieces) < MAX_PERIOD_PIECES:
        s = lines[j - 1].strip()
        if s:
            if len(s) > 14:
                break
            pieces.append((j, s))
        j += 1
    for take in range(len(pieces), 0, -1):
        text = "".join(s for _, s in pieces[:take])
        span = period_of(text, around)
        if span and (take == 1 or pieces[0][1][:4].isdigit()):
            if take > 1 and period_of(pieces[0][1]) and not any(ch in text for ch in "—–-－~～至到"):
                continue
            return pieces[0][0], pieces[take - 1][0], text, span, tuple(j for j, _ in pieces[:take])
    return None


def _name(lines, lo: int, hi: int) -> str:
    """The project's name among the short text cells ``lo..hi``: the longest ending like a name."""
    cands = [lines[j - 1].strip() for j in range(lo, hi + 1)]
    cands = [c for c in cands if c and len(c) <= MAX_CELL_CHARS and not SENTENCE_END.search(c)
             and not any(ch.isdigit() for ch in c) and not _is_header(c)]
    named = [c for c in cands if c.endswith(_words()["endings"])]
    pool = named or cands
    return max(pool, key=len) if pool else ""


def _leaked(p: ProjectRow, r: dict, plan: PlanText) -> bool:
    """A number in a project item's clause whose year its own clause does not write (it came from another
    item's period earlier in the sentence: …建设年限2024—2027年；2.…新增学位270个，建设期限2022-2023年)."""
    if p.chars is None:
        return False
    clause = plan.lines[int(r["line"]) - 1][p.chars[0]:int(r["char_start"])]
    return str(int(r["year"])) not in clause


def apply_project_periods(plan: PlanText | Document, rows: list[dict], period: Period | None) -> list[dict]:
    """Give the numbers of each project row the end year of its period; return the findings.

    A number with no level takes the level the project's name names (…幼儿园建设工程 -> preschool).

    Only numbers dated by default are moved (a target at the plan's end year, or in a project item of
    running text a year its own clause does not write); a number whose own clause names another year,
    a baseline, or a recurring norm keeps what it has.
    """
    doc = as_document(plan)
    plan = doc.plan
    findings = []
    by_line: dict[int, list[dict]] = {}
    for r in rows:
        by_line.setdefault(int(r["line"]), []).append(r)
    plan_end = period.end if period else None
    for p in project_rows(doc):
        moved = []
        level = level_named(p.name) if p.name else ""
        for line in p.lines:
            for r in by_line.get(line, []):
                if p.chars is not None and not p.chars[0] <= int(r["char_start"]) < p.chars[1]:
                    continue  # another item's clause on the same line
                if level and not r.get("level"):
                    r["level"] = level  # 城东第二小学新建工程: its classes and places are primary school ones
                if r["kind"] == "target" and r["year"] is not None and (r["year"] == plan_end or _leaked(p, r, plan)):
                    r["year"] = p.end
                    r["kind"] = kind_for_year(p.end, period)
                    moved.append(r)
        if period is not None and p.end > period.end:
            what = f"{p.title}: " if p.title else ""
            who = f"project {p.name}" if p.name else "a project"
            numbers = (f"; its {len(moved)} number{'s' if len(moved) > 1 else ''} take{'' if len(moved) > 1 else 's'} "
                       f"year {p.end}") if moved else ""
            f = finding(plan, "warning", f"{what}{who} ({p.period_text}, line {p.period_lines[0]}) ends in {p.end}, "
                        f"after the plan's period ({period.start}–{period.end}){numbers}",
                        [*p.period_lines, *(r["line"] for r in moved)], "beyond_plan_period")
            f["year"] = p.end
            findings.append(f)
    return findings
