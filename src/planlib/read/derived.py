"""The text planlib derives from a web page, a Word file or a PDF: lines plus what each line was.

Every reader of a non-text format (:mod:`planlib.read.htmlfile`, :mod:`planlib.read.docxfile`, a
PDF reader) returns a :class:`Derived`: the lines of a plain text that the rest of planlib reads
exactly as it reads a ``.txt`` plan (``PlanText`` -> ``Document`` -> extractors), and for each line
a :class:`LineMeta` saying on which page it stood, whether it is page furniture (a menu, a footer,
a visit counter: never a source of numbers) and which table cell it holds. The derived text is
written to ``data/processed/text/<slug>.txt`` so that ``line``, ``char_start`` and ``quote`` of
every row can be checked with ``sed -n '<line>p' <text_file>``.

Tables are written as a full grid, merged cells expanded (a cell spanning three rows is written
in each of them), one cell per line, each line starting with a TAB and an empty cell written as a
TAB alone: the layout the flattened-table reconstruction (:mod:`planlib.extract.tables`) already
reads. A blank line stands before and after each table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: Largest table grid read (rows x columns); a larger one (a hostile rowspan/colspan) is refused.
MAX_GRID_CELLS = 200_000
#: At most this many header rows are folded into one.
MAX_HEADER_ROWS = 3
#: Largest rowspan / colspan honoured; larger values are clipped to the table's size.
MAX_SPAN = 1_000

_WS = re.compile(r"\s+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class LineMeta:
    """What a derived line was in the original: page (PDF), furniture kind, table cell."""

    page: int | None = None
    furniture: str | None = None  # 'nav', 'header', 'footer', 'chrome' … (page chrome: no numbers from it)
    table: str | None = None  # the reader's id of the original table (tbl1, tbl2 … in document order)
    row: int | None = None  # 1-based row of the cell in the original table, merged cells expanded
    col: int | None = None  # 1-based column, likewise
    heading: int | None = None  # a heading's level as the original styled it (Word: Title 0, Heading 1 …; HTML: h1 …)


PLAIN = LineMeta()


@dataclass(frozen=True)
class Derived:
    """Lines derived from an original file, with one :class:`LineMeta` per line."""

    lines: tuple[str, ...]
    meta: tuple[LineMeta, ...]
    format: str  # 'html', 'docx', 'pdf'
    encoding: str  # how the original's text was decoded, as the plans table shows it

    @property
    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)


class Builder:
    """Collects lines and their metadata; cleans each line (no line breaks or control characters)."""

    def __init__(self):
        self.lines: list[str] = []
        self.meta: list[LineMeta] = []
        self.n_tables = 0

    def add(self, text: str, meta: LineMeta = PLAIN) -> None:
        text = clean_line(text)
        if text:
            self.lines.append(text)
            self.meta.append(meta)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")
            self.meta.append(PLAIN)

    def table(self, grid: list[list[tuple[str, object]]], furniture: str | None = None, page: int | None = None) -> None:
        """Write a table grid: rows of (cell text, origin) where ``origin`` identifies a merged cell.

        A row whose cells all come from one cell (a title or section row spanning the table) is
        written once, as one cell. Leading header rows (no number in them; two or three, above a row
        with numbers) are folded into one header row: per column the year heading if one of them is a year, else their distinct texts.
        A text cell spanning columns is written once per row; a number spanning columns or rows is
        written in every slot it covers (it is the value of each).
        """
        self.n_tables += 1
        table_id = f"tbl{self.n_tables}"
        self.blank()
        head: list[int] = []
        numbers = False
        for r, row in enumerate(grid):
            if not row:
                continue
            origins = {id(o) for _, o in row}
            if len(origins) == 1 or len({t for t, _ in row}) == 1:
                continue  # a spanning title/section row: not a header row, decided below
            if any(is_number(t) for t, _ in row if t):
                numbers = True
                break
            head.append(r)
        # folded only above a row of numbers, and only a few rows (a table of text keeps every row)
        folded_head = numbers and 1 < len(head) <= MAX_HEADER_ROWS
        for r, row in enumerate(grid):
            if not row:
                continue
            if len({id(o) for _, o in row}) == 1 or len({t for t, _ in row}) == 1:
                if row[0][0]:  # a title or section row spanning the table: one cell, TAB-led like the others
                    self.lines.append("\t" + clean_cell(row[0][0]))
                    self.meta.append(LineMeta(page, furniture, table_id, r + 1, 1))
                continue
            if folded_head and r in head[:-1]:
                continue
            if folded_head and r == head[-1]:
                texts = []
                for c in range(len(row)):
                    column = []
                    for h in head:
                        t = grid[h][c][0] if c < len(grid[h]) else ""
                        if t and t not in column:
                            column.append(t)
                    years = [t for t in column if _YEAR.search(t)]
                    texts.append(years[-1] if years else "".join(column))
                cells = [(t, object()) for t in texts]
            else:
                cells = row
            previous = None
            for c, (text, origin) in enumerate(cells):
                spanning = origin is previous
                previous = origin
                if spanning and not is_number(text):
                    continue  # a text cell spanning columns: written once
                meta = LineMeta(page, furniture, table_id, r + 1, c + 1)
                self.lines.append("\t" + clean_cell(text))
                self.meta.append(meta)
        self.blank()

    def derived(self, fmt: str, encoding: str) -> Derived:
        lines, meta = list(self.lines), list(self.meta)
        while lines and lines[-1] == "":
            lines.pop()
            meta.pop()
        return Derived(tuple(lines), tuple(meta), fmt, encoding)


def is_number(text: str) -> bool:
    """Whether a cell is one number (a value), not a year heading or a label.

    >>> [is_number(t) for t in ("95%", "＞93.0", "2020年", "在园幼儿数", "")]
    [True, True, False, False, False]
    """
    from .numbers import parse_cell

    q = parse_cell(text)
    return q is not None and q.role == "quantity" and not (_YEAR.fullmatch(text.strip().rstrip("年")))


def clean_line(text: str) -> str:
    """A line of running text: whitespace runs (line breaks included) become one space, ends stripped.

    >>> clean_line("  全县有\\n学校  12所\\u3000 ")
    '全县有 学校 12所'
    """
    return _WS.sub(" ", _CONTROL.sub("", text)).strip()


def clean_cell(text: str) -> str:
    """A table cell: every whitespace removed (the cell reader splits cells at spaces).

    >>> clean_cell(" 2020 年\\n（万人） ")
    '2020年（万人）'
    """
    return _WS.sub("", _CONTROL.sub("", text))


def expand_grid(rows: list[list[tuple[str, int, int, object]]], path) -> list[list[tuple[str, object]]]:
    """Place cells given as (text, rowspan, colspan, origin) per row into a full grid.

    The usual HTML table model: each cell takes the next free column of its row and covers
    rowspan x colspan slots; spans are clipped to :data:`MAX_SPAN` and the table's rows, and a grid
    over :data:`MAX_GRID_CELLS` is refused (a hostile span cannot take memory). Slots no cell covers
    are empty.

    >>> g = expand_grid([[("a", 2, 1, 1), ("b", 1, 2, 2)], [("c", 1, 1, 3), ("d", 1, 1, 4)]], "x")
    >>> [[t for t, _ in row] for row in g]
    [['a', 'b', 'b'], ['a', 'c', 'd']]
    """
    from ..errors import PlanFileError

    n_rows = len(rows)
    taken: dict[tuple[int, int], tuple[str, object]] = {}
    width = 0
    for r, cells in enumerate(rows):
        c = 0
        for text, rowspan, colspan, origin in cells:
            while (r, c) in taken:
                c += 1
            rowspan = max(1, min(rowspan, MAX_SPAN, n_rows - r))
            colspan = max(1, min(colspan, MAX_SPAN))
            if (len(taken) + rowspan * colspan > MAX_GRID_CELLS or (c + colspan) * n_rows > MAX_GRID_CELLS):
                raise PlanFileError(path, f"a table of more than {MAX_GRID_CELLS:,} cells (rowspan/colspan); "
                                    "not a plan's table, so the file is not read")
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.setdefault((r + dr, c + dc), (text, origin))
            c += colspan
            width = max(width, c)
    empty = ("", None)
    grid = []
    for r in range(n_rows):
        row = []
        for c in range(width):
            slot = taken.get((r, c))
            row.append(slot if slot is not None else (empty[0], object()))
        grid.append(row)
    return grid
