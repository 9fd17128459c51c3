"""Reading a plan published as a PDF with a text layer: lines in reading order, tables as cells, furniture marked.

pdfplumber (on pdfminer.six) gives the characters with their positions and finds tables from
their ruled lines; this module only decides what a plan reader needs on top of that:

* **Paragraphs.** A PDF breaks running text into visual lines. A line that reaches the right
  margin (within :data:`FULL_SLACK` characters) and is followed by a line that starts at the left
  margin (not indented) and not like a heading (二、 （三） 2. 专栏) continues into it: the two are
  joined, also across a page break. The right margin is the furthest line end of the body, if at
  least :data:`MIN_FULL_LINES` lines reach it. That joins numbers a wrap split (``95`` / ``%以上``,
  ``1`` / ``2.5万``, ``1.2`` / ``万个``), and a sentence that a wrap split between its label and its
  number. A heading, a short last line, or a line followed by an indented one ends its paragraph.
* **Tables** from ruled lines (pdfplumber's lines strategy), expanded to a full grid: the
  distinct cell edges give the rows and columns, each cell's text (its lines joined) is one
  :class:`PdfLine` with its ``(table, row, col)`` at its top-left grid position, in row order,
  as the flattened web copies give one cell per line. An empty cell gives no line. A table
  continues from the previous page when it is the first thing on its page after the page's
  furniture, the previous page ended with a table, both have the same number of columns, and
  its first row is not a header of its own (a row whose every cell is filled with words, no
  number); a first row that repeats the table's header row is dropped. A table not ruled on all
  sides (a 三线表 with horizontal rules only) is not found as one: its rows come out as text lines
  with a space between cells, the layout the flattened-table reader reads (not tested here).
* **Reading order** is top to bottom on each page: one text column, as plans are set. A page set in
  two columns would interleave them (not handled).
* **Furniture.** A page's margin lines are its first and last :data:`MARGIN_LINES` items (a table
  counts as one), wherever the page puts them: margins differ (Word's 2.54 cm, the 公文 format's
  37 mm with the page number 7 mm under the text block). A margin line whose text, digits ignored,
  recurs on most pages (more than half, at least two) is a running header or footer; a margin line
  that is a page number saying so (“— 2 —”, “- 2 -”, “第2页”, “第 2 页 共 9 页”) is one on any page, a
  bare number (“2”, “2/9”) only where such numbers count the pages (number minus page index the same
  on most pages): a table's last cell, 9000, can be a page's last line too. They are returned marked,
  never dropped.

Refused with :class:`~planlib.errors.PlanFileError` naming the file: a file over
:data:`MAX_PDF_BYTES`, one that is not a readable PDF (broken, truncated), one that needs a
password, more than :data:`MAX_PAGES` pages (counted from the page tree before any page is
read), text over :data:`~planlib.read.text.MAX_PLAN_BYTES` (counted page by page as the
characters are read), a page with more than :data:`MAX_PAGE_EDGES` ruling lines, a page whose
characters have no Unicode mapping (:data:`MAX_CID_SHARE`), and a PDF with no text layer (a scan:
OCR is not done) or with pages that are images only.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanFileError
from .text import MAX_PLAN_BYTES

#: A plan is 20–150 pages; the thickest government compilations reach about 1,000. Past 2,000 pages
#: a file is no plan, and reading it would take too long (pdfplumber read 4 pages of dense Chinese
#: text a second on a loaded 2-core machine, benchmarks/bench_formats.py: 2,000 pages is about 8
#: minutes), so it is refused before any page is read.
MAX_PAGES = 2_000
#: A text-layer plan of 150 pages with a few scanned seals and photos is under 30 MB; 100 MB leaves room
#: for one full of photographs. (The cap bounds the compressed size only: pdfminer decodes a content
#: stream whole, so a stream that inflates a thousandfold is not bounded by it.)
MAX_PDF_BYTES = 100_000_000
#: Ruling lines on one page: a dense indicator table has a few hundred; pdfplumber's table finder
#: intersects every pair, so a page drawn with tens of thousands of lines (a chart, a hostile file)
#: is refused rather than left to run for minutes.
MAX_PAGE_EDGES = 20_000
#: Margin lines: the first and the last this many items of a page, where running headers, footers and
#: page numbers sit.
MARGIN_LINES = 2
#: A gap between two characters of more than this share of their size is a space (pdfplumber's
#: x_tolerance_ratio). Justified Chinese text spreads a line's characters by under 1/30 em each (a
#: line of 37 characters taking up less than one character of slack); a space left as a gap, not drawn,
#: is about 1/4 em.
SPACE_RATIO = 0.15
#: A page with no text whose images cover this share of it is a scanned page.
SCAN_COVER = 0.5
#: The right margin (the furthest line end) counts only if at least this many lines reach it (within a
#: character): wrapped paragraphs run up against it; a page of short lines has none, and nothing is joined.
MIN_FULL_LINES = 2
#: A line is full when it ends within this many characters of the right margin: a line breaks where
#: the next character does not fit, so up to one wide character (plus rounding) is left over.
FULL_SLACK = 1.5
#: Characters pdfminer could not map to Unicode come out as ``(cid:123)``: a font without a ToUnicode
#: map. Past this share of a page's characters the text layer is unreadable (the labels would be lost).
MAX_CID_SHARE = 0.02

FURNITURE_KINDS = ("running_header", "running_footer", "page_number")

#: Page numbers that say so (“— 2 —”, “- 2 -”, “第2页”, “第 2 页 共 9 页”): one on any page.
_PAGE_NUMBER = re.compile(r"^[\s\u3000]*(?:[—–\-－─]+[\s\u3000]*\d{1,4}[\s\u3000]*[—–\-－─]+"
                          r"|第[\s\u3000]*\d{1,4}[\s\u3000]*页(?:[\s\u3000]*[，,]?[\s\u3000]*共[\s\u3000]*\d{1,4}[\s\u3000]*页)?)"
                          r"[\s\u3000]*$")
#: A bare number (“2”, “2/9”): a page number only where it counts the pages (see _mark_furniture), since
#: a table cell such as 9000 can also be a page's last line.
_BARE_PAGE_NUMBER = re.compile(r"^[\s\u3000]*(\d{1,4})(?:[\s\u3000]*/[\s\u3000]*\d{1,4})?[\s\u3000]*$")
_DIGITS = re.compile(r"\d+")
_DECIMAL_START = re.compile(r"[\s\u3000]*\d+[.．]\d")
_WORD = re.compile(r"[^\W\d_]")  # a letter or a Chinese character: a recurring line of numbers alone is none
_CJK_OR_DIGIT = re.compile(r"[^A-Za-z]")
_NUMERIC_CELL = re.compile(r"[<>≤≥＜＞]?\s*\d[\d.,，．%％]*\s*$")


@dataclass(frozen=True)
class PdfLine:
    """One line of a PDF as planlib reads it.

    ``page`` is 1-based (the page a paragraph starts on). ``furniture`` is None for plan text, else one
    of :data:`FURNITURE_KINDS`. ``cell`` is None outside tables, else ``(table, row, col)``: the table
    counted from 1 in the document, row and column from 0 in its full grid (row 0 the first row, often
    the header).
    """

    text: str
    page: int
    furniture: str | None = None
    cell: tuple[int, int, int] | None = None


def is_page_number(text: str) -> bool:
    """Whether a margin line is a page number that says so (a bare number must also count the pages).

    >>> [is_page_number(s) for s in ("— 2 —", "- 12 -", "第2页", "第 3 页 共 9 页", "7", "2025年")]
    [True, True, True, True, False, False]
    """
    return bool(_PAGE_NUMBER.match(text))


def join_wrapped(first: str, second: str) -> str:
    """Two visual lines of one paragraph as one line: no space between Chinese or digits, one between words.

    >>> join_wrapped("高中阶段毛入学率达到95", "%以上。"), join_wrapped("新增学位1.2", "万个"), join_wrapped("Plan", "text")
    ('高中阶段毛入学率达到95%以上。', '新增学位1.2万个', 'Plan text')
    """
    if first and second and first[-1].isascii() and first[-1].isalpha() and second[0].isascii() and second[0].isalpha():
        return first + " " + second
    return first + second


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Text:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    zone: str | None = None  # 'top' or 'bottom' when one of its page's margin lines
    furniture: str | None = None


@dataclass
class _Table:
    cells: dict[tuple[int, int], str]  # (row, col) -> text, full grid positions
    n_rows: int
    n_cols: int
    top: float


def read_pdf(path: str | Path) -> list[PdfLine]:
    """The lines of a text-layer PDF in reading order (see the module docstring); PlanFileError if unusable."""
    path = Path(path)
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise PlanFileError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if size > MAX_PDF_BYTES:
        raise PlanFileError(path, f"the PDF is {size / 1e6:.1f} MB, over the {MAX_PDF_BYTES / 1e6:g} MB limit for a plan")
    pages = _read_pages(path)
    _mark_furniture(pages)
    return _lines(pages)


def _open(path: Path):
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # pdfplumber wraps every pdfminer error; the cause tells which
        raise PlanFileError(path, _why_unreadable(exc)) from exc


def _why_unreadable(exc: BaseException) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = exc
    while cause is not None:
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            return ("the PDF is encrypted and needs a password to be read; save an unprotected copy "
                    "(or the text) and add that")
        cause = cause.__cause__ or (cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None)
    return f"is not a readable PDF (broken or truncated: {type(exc).__name__}: {str(exc)[:200]})"


def _page_count(pdf, path: Path) -> int:
    """Pages as the document's page tree counts them, before pdfplumber lists them."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"])
        return int(count)
    except Exception as exc:
        raise PlanFileError(path, f"is not a readable PDF (no page count: {type(exc).__name__})") from exc


def _read_pages(path: Path) -> list[list]:
    """Per page, its text lines and tables in reading order (top to bottom)."""
    pdf = _open(path)
    try:
        count = _page_count(pdf, path)
        if count > MAX_PAGES:
            raise PlanFileError(path, f"the PDF has {count:,} pages, over the {MAX_PAGES:,}-page limit for a plan; "
                                "it is not read")
        out, text_bytes, scanned, any_text = [], 0, [], False
        try:
            for number, page in enumerate(pdf.pages, 1):
                if number > MAX_PAGES:
                    raise PlanFileError(path, f"the PDF has more than {MAX_PAGES:,} pages; it is not read")
                chars = page.chars
                text_bytes += sum(len(c["text"].encode("utf-8")) for c in chars)
                if text_bytes > MAX_PLAN_BYTES:
                    raise PlanFileError(path, f"the PDF's text passes {MAX_PLAN_BYTES / 1e6:g} MB by page {number}, "
                                        "over the limit for a plan text; it is not read")
                if not any(c["text"].strip() for c in chars):
                    if _image_cover(page) >= SCAN_COVER:
                        scanned.append(number)
                    out.append([])
                    continue
                any_text = True
                cids = sum(1 for c in chars if c["text"].startswith("(cid:"))
                if cids > MAX_CID_SHARE * len(chars):
                    raise PlanFileError(path, f"page {number}: {cids} of {len(chars)} characters have no Unicode "
                                        "mapping in their font (shown as (cid:N)); the text layer cannot be read, "
                                        "and OCR is not done")
                if len(page.edges) > MAX_PAGE_EDGES:
                    raise PlanFileError(path, f"page {number} has {len(page.edges):,} ruling lines, over the "
                                        f"{MAX_PAGE_EDGES:,} a table page has; it is not read")
                out.append(_page_items(page))
                page.flush_cache()
        except PlanFileError:
            raise
        except Exception as exc:
            raise PlanFileError(path, _why_unreadable(exc)) from exc
        if not any_text:
            raise PlanFileError(path, "has no text layer; OCR is not done (it looks scanned: "
                                f"{len(scanned)} of {count} pages are images only). Get a PDF with text, or the text")
        if scanned:
            raise PlanFileError(path, f"page(s) {', '.join(map(str, scanned))} have no text layer (images only: "
                                "scanned); OCR is not done, and their text would be missing")
        return out
    finally:
        pdf.close()


def _image_cover(page) -> float:
    area = float(page.width * page.height) or 1.0
    return sum(max(0.0, (min(i["x1"], page.width) - max(i["x0"], 0))) * max(0.0, (min(i["bottom"], page.height)
               - max(i["top"], 0))) for i in page.images) / area


def _page_items(page) -> list:
    tables = [t for t in page.find_tables() if t.cells]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    body = page.filter(outside) if boxes else page
    items: list = []
    for ln in body.extract_text_lines(return_chars=True, x_tolerance_ratio=SPACE_RATIO):
        sizes = sorted(c["size"] for c in ln["chars"]) or [10.0]
        items.append(_Text(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"], sizes[len(sizes) // 2]))
    for t in tables:
        items.append(_grid(page, t))
    items.sort(key=lambda it: it.top)
    return items


def _grid(page, table) -> _Table:
    """The table as a full grid: rows and columns from the distinct cell edges; each cell at its top-left."""
    xs = sorted({round(c[0], 1) for c in table.cells} | {round(c[2], 1) for c in table.cells})
    ys = sorted({round(c[1], 1) for c in table.cells} | {round(c[3], 1) for c in table.cells})
    cells: dict[tuple[int, int], str] = {}
    for x0, top, x1, bottom in table.cells:
        row, col = ys.index(round(top, 1)), xs.index(round(x0, 1))
        text = page.crop((x0, top, x1, bottom)).extract_text(x_tolerance_ratio=SPACE_RATIO)
        lines = [s.strip() for s in text.split("\n") if s.strip()]
        joined = ""
        for s in lines:
            joined = join_wrapped(joined, s) if joined else s
        cells[(row, col)] = joined
    return _Table(cells, len(ys) - 1, len(xs) - 1, table.bbox[1])


# --- furniture -----------------------------------------------------------------------------


def _mark_furniture(pages: list[list]) -> None:
    """Mark running headers/footers and page numbers among the margin lines (see the module docstring)."""
    for items in pages:
        for i, it in enumerate(items):
            if isinstance(it, _Text):
                it.zone = "top" if i < MARGIN_LINES else "bottom" if i >= len(items) - MARGIN_LINES else None
    margins = [[it for it in items if isinstance(it, _Text) and it.zone] for items in pages]
    seen: dict[str, set[int]] = {}
    for n, texts in enumerate(margins):
        for it in texts:
            seen.setdefault(_recurring_key(it.text), set()).add(n)
    n_pages = sum(1 for items in pages if items)
    offsets: dict[int, set[int]] = {}  # bare number minus page index -> pages where it stands
    for n, texts in enumerate(margins):
        for it in texts:
            m = _BARE_PAGE_NUMBER.match(it.text)
            if m:
                offsets.setdefault(int(m.group(1)) - n, set()).add(n)
    counting = {off for off, where in offsets.items() if len(where) >= 2 and len(where) > n_pages / 2}
    for n, texts in enumerate(margins):
        for it in texts:
            pages_with_it = len(seen[_recurring_key(it.text)])
            bare = _BARE_PAGE_NUMBER.match(it.text)
            if _PAGE_NUMBER.match(it.text) or (bare and int(bare.group(1)) - n in counting):
                it.furniture = "page_number"
            elif pages_with_it >= 2 and pages_with_it > n_pages / 2 and _WORD.search(it.text):
                it.furniture = "running_header" if it.zone == "top" else "running_footer"


def _recurring_key(text: str) -> str:
    """A margin line's text with spaces dropped and digits as #: “公报 2022年第3期” recurs as 公报#年第#期."""
    return _DIGITS.sub("#", "".join(text.split()))


# --- paragraphs and output -------------------------------------------------------------------


def _lines(pages: list[list]) -> list[PdfLine]:
    body = [it for items in pages for it in items if isinstance(it, _Text) and it.furniture is None]
    left = min((it.x0 for it in body), default=0.0)
    right = max((it.x1 for it in body), default=0.0)
    if sum(1 for it in body if it.x1 >= right - it.size) < MIN_FULL_LINES:
        right = float("inf")  # no margin that lines run up against: no paragraph was wrapped
    out: list[PdfLine] = []
    open_text: list = [None, 0, None]  # the paragraph being joined: text, page, last visual line
    table_no = 0
    last_table: tuple[_Table, int, int] | None = None  # (table, its number, rows so far) if the page ended on it

    held: list[PdfLine] = []  # furniture met inside a paragraph or table that may go on: it follows them

    def flush():
        if open_text[0] is not None:
            out.append(PdfLine(open_text[0], open_text[1]))
        out.extend(held)
        held.clear()
        open_text[0] = open_text[2] = None

    for page_no, items in enumerate(pages, 1):
        first_body = True
        for it in items:
            if isinstance(it, _Text) and it.furniture:
                going_on = open_text[0] is not None or last_table is not None
                (held if going_on else out).append(PdfLine(it.text, page_no, it.furniture))
                continue
            if isinstance(it, _Text):
                prev = open_text[2]
                if prev is not None and prev.x1 >= right - FULL_SLACK * prev.size and it.x0 <= left + it.size / 2 \
                        and not _starts_heading(it.text):
                    open_text[0] = join_wrapped(open_text[0], it.text)
                    open_text[2] = it
                else:
                    flush()
                    open_text[:] = [it.text, page_no, it]
                last_table = None
                first_body = False
                continue
            table = it
            header = [table.cells.get((0, c), "") for c in range(table.n_cols)]
            if first_body and last_table is not None and last_table[0].n_cols == table.n_cols \
                    and not (_is_header(header) and header != _row(last_table[0], 0)):
                _, number, offset = last_table
                skip = 1 if header == _row(last_table[0], 0) else 0
            else:
                flush()
                table_no += 1
                number, offset, skip = table_no, 0, 0
            for (row, col), text in sorted(table.cells.items()):
                if row >= skip and text:
                    out.append(PdfLine(text, page_no, None, (number, offset + row - skip, col)))
            base = last_table[0] if last_table is not None and number == last_table[1] else table
            last_table = (base, number, offset + table.n_rows - skip)
            first_body = False
    flush()
    return out


def _starts_heading(text: str) -> bool:
    """A line that begins like a heading (二、 （三） 2. 专栏 第三章) starts a paragraph, even after a full line;
    ``1.2万人`` is a number, not item 1.

    >>> _starts_heading("二、主要目标"), _starts_heading("1.2万人以上。"), _starts_heading("5%以上。")
    (True, False, False)
    """
    from .document import match_heading

    return match_heading(text) is not None and not _DECIMAL_START.match(text)


def _row(table: _Table, row: int) -> list[str]:
    return [table.cells.get((row, c), "") for c in range(table.n_cols)]


def _is_header(row: list[str]) -> bool:
    """A header row: every cell filled, none a number (2020年 is a heading, 93.5 a value)."""
    return all(row) and not any(_NUMERIC_CELL.match(c) for c in row)


@dataclass(frozen=True)
class PdfText:
    """A PDF's body as plan text, one :class:`PdfLine` per line, and its furniture kept apart.

    ``text`` is what planlib matches and cites (line ``n`` is ``body[n - 1]``, as ``sed -n`` counts);
    ``pages[n - 1]`` and ``cells[n - 1]`` give each line's page and table cell. Furniture stays out of
    the text: a page number that fell between two rows of a table split over pages would otherwise be
    read as one of its cells (the flattened-table reader cannot tell “— 1 —” from a value).
    """

    body: tuple[PdfLine, ...]
    furniture: tuple[PdfLine, ...]

    @property
    def text(self) -> str:
        return "".join(ln.text + "\n" for ln in self.body)

    @property
    def pages(self) -> list[int]:
        return [ln.page for ln in self.body]

    @property
    def cells(self) -> list[tuple[int, int, int] | None]:
        return [ln.cell for ln in self.body]


def pdf_text(lines: list[PdfLine]) -> PdfText:
    """Split :func:`read_pdf`'s lines into the body text and the furniture (see :class:`PdfText`).

    >>> t = pdf_text([PdfLine("— 1 —", 1, "page_number"), PdfLine("新建幼儿园6所。", 1)])
    >>> t.text, [ln.text for ln in t.furniture]
    ('新建幼儿园6所。\\n', ['— 1 —'])
    """
    return PdfText(tuple(ln for ln in lines if not ln.furniture),
                   tuple(ln for ln in lines if ln.furniture))
