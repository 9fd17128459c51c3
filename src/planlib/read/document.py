"""One plan, read once: lines, heading tree, period, paragraphs, tables and furniture.

Every extractor reads a :class:`Document` instead of parsing the text again. Its shape
follows the document models of Docling (``DoclingDocument``) and unstructured: one model
that every reader fills, items with labels (heading, paragraph, table, furniture),
furniture kept apart from the body, and provenance on every item (here: the line as
``sed -n 'Np'`` counts it, and character offsets in it).

What is computed, each at most once per document (cached properties):

* :attr:`Document.period` — the plan period (:func:`planlib.read.periods.plan_period`);
* :attr:`Document.furniture` — lines that are page chrome, not plan text: a table of
  contents (dot leaders, or the block after a 目录 line), breadcrumbs (首页>政务公开>…),
  document bars (索引号 / 发文字号 …), page tools (【打印】【字体】, 无障碍 繁体版 …);
* :attr:`Document.front_matter` — the transmittal notice (关于印发…的通知, addressees, issuer, number,
  date) and the plan's title lines before the first heading, and the notice's title repeated as a page
  header (labels 'notice', 'title'; data/furniture.yml ``front_matter``);
* :attr:`Document.headings` — the heading tree (:class:`Heading`: 第X部分/章/节, 一、,
  （一）, 1., （1）, 专栏, run-in headings such as ``（一）发展基础。全市有…`` with their text);
* :attr:`Document.outline` — the per-line review/plan context and education level read
  from the same heading candidates (see :func:`outline` for why it is a second view);
* :attr:`Document.paragraphs`, and :attr:`Document.tables` (grids that
  :func:`planlib.extract.tables.extract_tables` fills from its reconstruction of flattened tables).

The heading candidates of every line are found in one pass (:func:`scan_headings`), with
the styles of :data:`planlib.read.patterns.HEADING_STYLES`; nothing else matches heading styles.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from .patterns import (CHAPTER_STYLES, HEADING_START, HEADING_STYLES, ITEM_STYLES, LEADER, LEADER_RUNS,
                       NUMBERING, SPACES_PATTERN, cn_ordinal, first_chars)
from .periods import Period, plan_period
from .text import PlanText

#: Longest title kept; a run-on first sentence longer than this is cut with an ellipsis.
TITLE_MAX = 60


# --- heading candidates ----------------------------------------------------------------

@dataclass(slots=True)
class Candidate:
    """A line that begins like a heading, before any decision whether it is one."""

    line: int  # 1-based
    style: str
    numeral: str
    sep: str
    tight: bool  # no space inside the numbering (（一）, not （ 一 ）)
    title_start: int  # offset in the line right after the numbering and its separator
    rest: str  # the line after the numbering, stripped


def _style_first_chars() -> list[str | None]:
    """For each of HEADING_STYLES, the characters its numbering can start with after the leading
    spaces, or None when not known (the style is then tried at every line)."""
    lead = "^" + SPACES_PATTERN
    return [first_chars(re._parser.parse(p.pattern[len(lead):]).data) if p.pattern.startswith(lead) else None
            for _, p in HEADING_STYLES]


_STYLE_FIRSTS = _style_first_chars()
_STYLES_AT: dict[str, tuple] = {}


def _styles_for(ch: str) -> tuple:
    """The heading styles, in order, whose numbering can start with ``ch`` (remembered per character;
    HEADING_START lets only a few kinds of character through). A line matches the same style as
    when every style is tried: the others cannot match it."""
    styles = _STYLES_AT.get(ch)
    if styles is None:
        styles = _STYLES_AT[ch] = tuple(
            sp for sp, first in zip(HEADING_STYLES, _STYLE_FIRSTS)
            if first is None or re.fullmatch(f"[{first}]", ch) is not None)
    return styles


def match_heading(line: str, number: int = 0) -> Candidate | None:
    """The heading style ``line`` begins with, if any.

    >>> c = match_heading("（一）发展基础。全市有学校12所")
    >>> c.style, c.numeral, c.rest
    ('cn_paren', '一', '发展基础。全市有学校12所')
    >>> match_heading("全市有学校12所") is None
    True
    """
    if not HEADING_START.match(line):
        return None
    for style, pattern in _styles_for(line[len(line) - len(line.lstrip())]):  # the first character after spaces
        m = pattern.match(line)
        if m:
            inner = m.group("inner")
            return Candidate(number, style, m.group("num"), m.group("sep"),
                             inner == "" or inner == m.group("num"), m.start("gap"), m.group("rest").strip())
    return None


def scan_headings(lines: list[str]) -> list[Candidate]:
    """Every line that begins like a heading, in order (the one pass over the heading styles)."""
    found = []
    for n, line in enumerate(lines, 1):
        c = match_heading(line, n)
        if c is not None:
            found.append(c)
    return found


# --- furniture ---------------------------------------------------------------------------

_TOC_TITLE = re.compile(r"^[\s\u3000]*目[\s\u3000]*录[\s\u3000]*$")
_PAGE_NUMBER = re.compile(r"[\s\u3000.…·]\d{1,3}\s*$")


_SPACES = re.compile(r"[\s\u3000]+")


@lru_cache(maxsize=1)
def furniture_words() -> dict:
    """The word lists of data/furniture.yml, compiled for :func:`chrome_kind`."""
    from ..datafiles import package_yaml

    raw = package_yaml("furniture.yml")
    return {
        "root": re.compile("|".join(map(re.escape, raw["breadcrumb_roots"]))),
        "breadcrumb": re.compile("(?:" + "|".join(map(re.escape, raw["breadcrumb_roots"])) + r")[\s\u3000]*["
                                 + re.escape("".join(raw["breadcrumb_separators"])) + "]"),
        "fields": tuple(raw["document_bar_fields"]),
        "field_starts": frozenset(f[0] for f in raw["document_bar_fields"]),
        "tools": frozenset(raw["page_tools"]),
        "tool_starts": frozenset(t[0] for t in raw["page_tools"]),
        "tool_split": re.compile(r"[\s\u3000【】\[\]|｜:：]+"),
        "max_chars": int(raw["max_chars"]),
    }


def leader_lines(lines: list[str]) -> set[int]:
    """Line numbers holding dot leaders, from one search of the whole text (a leader never spans a line end)."""
    joined = "\n".join(lines)
    found, line, pos = set(), 1, 0
    if not any(run in joined for run in LEADER_RUNS):
        return found  # the shortest run each leader needs is absent: no search
    for m in LEADER.finditer(joined):
        line += joined.count("\n", pos, m.start())
        pos = m.start()
        found.add(line)
    return found


def toc_lines(lines: list[str], leaders: set[int] | None = None) -> set[int]:
    """Line numbers (1-based) that belong to a table of contents.

    Lines with dot leaders, and the block after a 目录 line up to its last leader or
    page-numbered entry (a line the heading tree would read as a heading, ending in a page number).
    ``leaders``: the lines with leaders, when the caller has them.
    """
    toc = set(leader_lines(lines) if leaders is None else leaders)
    if not any("录" in line for line in lines):
        return toc
    for start, line in enumerate(lines, 1):
        if not _TOC_TITLE.match(line):
            continue
        last = start
        for n in range(start + 1, len(lines) + 1):
            text = lines[n - 1].strip()
            if not text or n in toc:
                last = n if n in toc else last
                continue
            c = match_heading(text)
            if c is not None and _tree_reads(c) and _PAGE_NUMBER.search(text):
                last = n
                continue
            if len(text) <= 30 and "。" not in text:
                continue  # a wrapped entry or a title line: decided by what follows
            break
        toc.update(range(start, last + 1))
    return toc


def chrome_kind(line: str) -> str | None:
    """'breadcrumb', 'document_bar' or 'page_tools' when ``line`` is page chrome, else None.

    >>> [chrome_kind(s) for s in ("您当前的位置:首页>政务公开>政策文件", "【打印】", "[ 索引号 ]1150/2021-00272 [ 发文字号 ]某府发〔2021〕1号",
    ...                           "全市有学校12所。")]
    ['breadcrumb', 'page_tools', 'document_bar', None]
    """
    w = furniture_words()
    if len(line) > w["max_chars"] and len(line.strip()) > w["max_chars"]:
        return None  # running text (the length test first: a plan's long lines are most of its text)
    if w["root"].search(line) and w["breadcrumb"].search(line):
        return "breadcrumb"
    head = line.lstrip(" \t\u3000[【")
    if not head:
        return None
    if head[0] in w["field_starts"] and _SPACES.sub("", head[:40]).startswith(w["fields"]):
        return "document_bar"  # 索引号, or 索 引 号 spaced to fill a column
    if head[0] in w["tool_starts"]:
        tokens = [t for t in w["tool_split"].split(line) if t]
        if all(t in w["tools"] for t in tokens):
            return "page_tools"
    return None


def chrome_lines(lines: list[str]) -> dict[int, str]:
    """Line number -> :func:`chrome_kind` for every line that is page chrome.

    The same answers as asking each line, faster: a breadcrumb's root is found by one search of
    the whole text, and only lines that begin with a field's or a tool's first character are
    looked at more closely.
    """
    w = furniture_words()
    found: dict[int, str] = {}
    joined = "\n".join(lines)
    line, pos = 1, 0
    for m in w["root"].finditer(joined):
        line += joined.count("\n", pos, m.start())
        pos = m.start()
        if line not in found:
            kind = chrome_kind(lines[line - 1])
            if kind:
                found[line] = kind
    starts = w["field_starts"] | w["tool_starts"]
    for n, text in enumerate(lines, 1):
        if text and n not in found:
            head = text.lstrip(" \t\u3000[【")
            if head and head[0] in starts:
                kind = chrome_kind(text)
                if kind:
                    found[n] = kind
    return found


@lru_cache(maxsize=1)
def front_matter_words() -> dict:
    """The ``front_matter`` patterns of data/furniture.yml, compiled for :func:`front_matter_kind`."""
    from ..datafiles import package_yaml

    raw = package_yaml("furniture.yml")["front_matter"]
    return {
        "notice": re.compile("|".join(f"(?:{p})" for p in raw["notice"])),
        "issuer": tuple(raw["issuer_endings"]),
        "issuer_max": int(raw["issuer_max_chars"]),
        "title_words": tuple(raw["title_words"]),
        "title_not": frozenset(raw["title_not_chars"]),
        "title_max": int(raw["title_max_chars"]),
        "period": re.compile(raw["period_line"]),
        "running_header": re.compile(raw["running_header"]),
    }


def front_matter_kind(line: str) -> str | None:
    """'notice' or 'title' when ``line``, read before the plan's first heading, is its wrapper or title.

    >>> [front_matter_kind(s) for s in ("关于印发甲县教育事业发展“十四五”规划的通知", "各乡镇人民政府、街道办事处:",
    ...     "甲县人民政府", "2021年12月3日", "甲县教育事业发展“十四五”规划", "（2021—2025年）",
    ...     "为推动教育发展，根据《纲要》，制定本规划。")]
    ['notice', 'notice', 'notice', 'notice', 'title', 'title', None]
    """
    w = front_matter_words()
    s = _SPACES.sub("", line)
    if not s:
        return None
    if w["notice"].search(s):
        return "notice"
    if len(s) <= w["issuer_max"] and s.endswith(w["issuer"]):
        return "notice"
    if w["period"].match(s):
        return "title"
    if len(s) <= w["title_max"] and not (set(s) & w["title_not"]) and any(t in s for t in w["title_words"]):
        return "title"
    return None


def front_matter_lines(lines: list[str], body_start: int, skip=()) -> dict[int, str]:
    """Line number -> :func:`front_matter_kind` for the lines before ``body_start`` (the first heading),
    and the notice's title repeated alone on a line further on (a running page header: 'notice').

    Lines in ``skip`` (furniture already labelled) are left to their label.
    """
    found = {}
    header = front_matter_words()["running_header"]
    for n in range(1, len(lines) + 1):
        if n in skip:
            continue
        if n < body_start:
            kind = front_matter_kind(lines[n - 1])
        else:
            kind = "notice" if "关于印发" in lines[n - 1] and header.match(_SPACES.sub("", lines[n - 1])) else None
        if kind:
            found[n] = kind
    return found


# --- the heading tree ----------------------------------------------------------------------

@dataclass(slots=True)
class Heading:
    """A heading of the tree: label ``section_header`` in Docling's terms, with its level."""

    line: int
    style: str
    number: int
    numbering: str
    title: str
    text: str = ""  # what a run-in heading's line says after its title (全市有…); '' for a heading alone
    level: int = 0
    parent: int | None = None  # index into Document.headings
    line_end: int = 0
    path: str = ""

    @property
    def run_in(self) -> bool:
        """A heading that runs into its paragraph on the same line (（一）发展基础。全市有…)."""
        return bool(self.text)


_TITLE_END = re.compile(r"[。；;]")
_SPACE_RUN = re.compile(r"[\s\u3000]+")


def _title_and_text(rest: str) -> tuple[str, str]:
    parts = _TITLE_END.split(rest, maxsplit=1)
    title = parts[0].strip().rstrip("：:，,")
    title = _SPACE_RUN.sub(" ", title)
    text = parts[1].strip() if len(parts) > 1 else ""
    return (title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"), text


_HAS_TEXT = re.compile(r"[\u4e00-\u9fffA-Za-z]")


def _tree_reads(c: Candidate) -> bool:
    """Whether the heading tree reads candidate ``c``: 一、 (not 一.), a numbered item only with text."""
    if c.style == "cn_dun" and c.sep != "、":
        return False
    return not (c.style in ITEM_STYLES and not _HAS_TEXT.search(c.rest))


def _tree_candidates(candidates: list[Candidate], furniture: dict[int, str]) -> list[Heading]:
    """The candidates the tree considers: outside a table of contents, 一、 (not 一.), items with text."""
    found = []
    for c in candidates:
        if furniture.get(c.line) == "toc" or not _tree_reads(c):
            continue
        title, text = _title_and_text(c.rest)
        found.append(Heading(c.line, c.style, cn_ordinal(c.numeral), NUMBERING[c.style].format(c.numeral),
                             title, text))
    return found


def _style_ranks(candidates: list[Heading]) -> dict[str, int]:
    """Level of each style: the order in which styles first appear with number 1."""
    ranks: dict[str, int] = {}
    for h in candidates:
        if h.style != "box" and h.number == 1 and h.style not in ranks:
            ranks[h.style] = len(ranks) + 1
    return ranks


def resolve_tree(candidates: list[Heading], n_lines: int) -> list[Heading]:
    """Keep headings that start or continue a list; give each a level, a parent, an end and a path.

    A style's level is its rank in the order the styles first appear (numbered 1) in the
    document, never a fixed constant: which style sits above which differs between plans.
    A heading is accepted only if it starts its list (number 1) or continues it (previous
    number + 1 under the same parent). A 专栏 box hangs under the nearest enclosing
    chapter-like heading at its level + 1; arabic items that restart at 1 right after a box
    are the box's items; an item that instead continues the enclosing list closes the box.
    ``line_end`` is the line before the next heading of the same or a higher level.
    """
    ranks = _style_ranks(candidates)
    accepted: list[Heading] = []
    stack: list[int] = []  # indices into accepted, outermost first
    last_number: dict[tuple[int | None, str, bool], int] = {}

    def fits(parent: int | None, style: str, number: int, in_box: bool) -> bool:
        previous = last_number.get((parent, style, in_box))
        return number == 1 if previous is None else number == previous + 1

    for h in candidates:
        if h.style == "box":
            chain = [i for i in stack if accepted[i].style not in ITEM_STYLES and accepted[i].style != "box"]
            h.parent = chain[-1] if chain else None
            h.level = accepted[h.parent].level + 1 if chain else 1
            stack = chain + [len(accepted)]
            accepted.append(h)
            continue
        if h.style not in ranks:
            continue
        box = next((i for i in reversed(stack) if accepted[i].style == "box"), None)
        placed = False
        if box is not None and h.style in ITEM_STYLES and fits(box, h.style, h.number, True):
            h.level, h.parent, in_box = accepted[box].level + 1, box, True
            placed = True
        if not placed:
            level = ranks[h.style]
            chain = [i for i in stack if accepted[i].level < level and accepted[i].style != "box"]
            parent = chain[-1] if chain else None
            if not fits(parent, h.style, h.number, False):
                continue
            h.level, h.parent, in_box = level, parent, False
        last_number[(h.parent, h.style, in_box)] = h.number
        stack = [i for i in stack if accepted[i].level < h.level] + [len(accepted)]
        accepted.append(h)
    _ends_and_paths(accepted, n_lines)
    return accepted


def _ends_and_paths(headings: list[Heading], n_lines: int) -> None:
    """Each heading's last line (one pass from the end with a stack of later headings) and path."""
    later: list[Heading] = []
    for i in range(len(headings) - 1, -1, -1):
        h = headings[i]
        while later and later[-1].level > h.level:
            later.pop()
        h.line_end = later[-1].line - 1 if later else n_lines
        later.append(h)
    for h in headings:
        h.path = (headings[h.parent].path + "/" if h.parent is not None else "") + h.numbering


# --- the outline view ------------------------------------------------------------------------

#: 2.学前教育快速发展。: a numbered item that is a short title alone on its line (the text after the numbering).
_ITEM_TITLE = re.compile(r"[\s\u3000]*([^，,；;：:。\d]{2,24})。?[\s\u3000]*$")
#: 专栏3：… : the outline's reading of a box line (its numerals are those of a box number).
_BOX_TITLE = re.compile(r"^[\s\u3000]*专栏[\s\u3000]*[0-9一二三四五六七八九十]+[\s\u3000:：、.．]*(.*)$")
#: The Chinese ordinal characters the outline reads in a chapter-like numbering.
_OUTLINE_NUMERAL = frozenset("一二三四五六七八九十百零〇两")
OUTLINE_ITEM_RANK = len(CHAPTER_STYLES)  # numbered items and boxes: below every chapter-like style
#: The title of a run-in heading: a short phrase with no digit and no comma, ended by 。；：.
_RUN_IN_TITLE = re.compile(r"([^，,；;：:。\d]{2,16})[。；;：:]")


def outline_marks(lines: list[str], candidates: list[Candidate],
                  leaders: set[int] | None = None,
                  run_in: dict[int, str] | None = None) -> list[tuple[int, int, str]]:
    """(line, rank, title) of each heading the outline reads, in order.

    The outline ranks chapter-like styles in the fixed order of
    :data:`planlib.read.patterns.CHAPTER_STYLES` and reads only a short line (up to 40
    characters, no 。, no leader) with a tight numbering as such a heading; any other
    line is an item (rank :data:`OUTLINE_ITEM_RANK`) when it is a short numbered title
    alone (2.学前教育快速发展) or a 专栏 box. ``leaders``: the lines with dot leaders, when known.
    ``run_in``, when given, is filled with line -> title of each chapter-like heading that runs
    into its paragraph (（一）发展基础。全市有…: the short title before the first 。；：).
    """
    if leaders is None:
        leaders = leader_lines(lines)
    marks = []
    for c in candidates:
        line = lines[c.line - 1]
        if (c.style in CHAPTER_STYLES and c.tight and set(c.numeral) <= _OUTLINE_NUMERAL
                and len(line.strip()) <= 40 and "。" not in line and c.line not in leaders):
            marks.append((c.line, CHAPTER_STYLES.index(c.style), line[c.title_start:]))
        elif (run_in is not None and c.style in CHAPTER_STYLES and c.tight
              and set(c.numeral) <= _OUTLINE_NUMERAL and c.line not in leaders):
            title = _RUN_IN_TITLE.match(c.rest)
            if title:
                run_in[c.line] = title.group(1)
        elif c.style in ITEM_STYLES and c.tight:
            m = _ITEM_TITLE.match(line, c.title_start)
            if m:
                marks.append((c.line, OUTLINE_ITEM_RANK, m.group(1)))
        elif c.style == "box":
            m = _BOX_TITLE.match(line)
            if m:
                marks.append((c.line, OUTLINE_ITEM_RANK, m.group(1)))
    return marks


@lru_cache(maxsize=1)
def _context_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The words that make a heading a review (发展基础 …) or a plan (主要任务 …), from data/prose_rules.yml."""
    from ..datafiles import package_yaml

    words = package_yaml("prose_rules.yml")
    return tuple(words["review_headings"]), tuple(words["plan_headings"]), tuple(words["review_markers"])


#: The clause marks that end the opening of a paragraph, in which an inline review marker counts.
_OPENING_ENDS = "，,；;：:。！？"


@lru_cache(maxsize=1)
def _review_opening() -> re.Pattern:
    """One pattern for "a review marker lies in the opening": characters that end no opening, then a
    marker. A marker holding a clause mark can never lie in an opening and is left out; an empty
    marker lies in every opening."""
    markers = [m for m in _context_words()[2] if not any(c in _OPENING_ENDS for c in m)]
    if "" in markers:
        return re.compile("")
    if not markers:
        return re.compile("(?!)")
    alternatives = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
    return re.compile(f"[^{_OPENING_ENDS}]*?(?:{alternatives})")


@lru_cache(maxsize=1)
def _review_markers() -> re.Pattern | None:
    """The review markers that can lie in an opening (no clause mark, no line end in them), one
    alternation; None when one is empty (every line opens a review)."""
    markers = [m for m in _context_words()[2] if not any(c in _OPENING_ENDS + "\n" for c in m)]
    if "" in markers:
        return None
    return re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)) or "(?!)")


_OPENING_END = re.compile(f"[{_OPENING_ENDS}]")


def review_opening_lines(lines: list[str]) -> set[int]:
    """The numbers (1-based) of the lines that open a review (:func:`opens_a_review` of each line),
    from one search of the text for the markers: a line opens a review when no clause mark stands
    between its start and a marker in it. (If the first marker of a line has one before it, so
    has every later one.) ``lines`` hold no line end, as a PlanText's.

    >>> sorted(review_opening_lines(["“十三五”以来，全市有学校12所。", "到2025年，巩固“十三五”以来的成果。", "发展基础"]))
    [1, 3]
    """
    pattern = _review_markers()
    if pattern is None:
        return set(range(1, len(lines) + 1))
    joined = "\n".join(lines)
    found, line, pos = set(), 1, 0
    for m in pattern.finditer(joined):
        at = m.start()
        line += joined.count("\n", pos, at)
        pos = at
        if line not in found and _OPENING_END.search(joined, joined.rfind("\n", 0, at) + 1, at) is None:
            found.add(line)
    return found


def opens_a_review(line: str, start: int = 0) -> bool:
    """Whether the paragraph in ``line`` (from ``start``) opens with an inline review marker.

    The same as ``any(m in opening for m in markers)``, where the opening is the text from ``start`` up
    to the first of ``_OPENING_ENDS``, in one match (every line of a plan is asked).

    >>> opens_a_review("“十三五”以来，全市有学校12所。"), opens_a_review("到2025年，巩固“十三五”以来的成果。")
    (True, False)
    """
    return _review_opening().match(line, start) is not None


@dataclass
class Outline:
    """Per line (index 0 = line 1): the review/plan context and the education level its headings give."""

    contexts: list[str | None]
    levels: list[str]


def outline(lines: list[str], candidates: list[Candidate], leaders: set[int] | None = None) -> Outline:
    """The outline view of the heading candidates, for prose.

    Why a second view next to the tree: the two readings of headings that planlib had
    (prose.py ranked styles in a fixed order; sections.py ranks them by first appearance
    and checks that numbers continue) disagree on some lines, and the targets table
    depends on the fixed-rank reading (each number's review/plan context and level),
    the checks on the tree (:func:`planlib.build.pipeline.innermost_sections`). Both now read
    the same candidates from :func:`scan_headings`; the outline keeps its own rules so
    that no table changes. Unifying them is a change of output and belongs to the
    accuracy issue.

    Contexts: the innermost chapter-like heading naming a review (发展基础 …) or a plan
    (主要任务 …) decides; items and boxes keep their section's. A run-in heading whose title
    names a review (（一）发展基础。全市有…) opens a review up to its next sibling; a paragraph
    whose opening clause holds an inline review marker (“十三五”以来，…) is a review itself
    (both word lists: data/prose_rules.yml). Levels: the innermost standalone heading (items
    and boxes included) that names an education level.
    """
    from ..extract import dictionary

    review, plan, _ = _context_words()
    run_in: dict[int, str] = {}
    by_line = {n: (rank, title) for n, rank, title in outline_marks(lines, candidates, leaders, run_in)}
    run_in_rank = {c.line: CHAPTER_STYLES.index(c.style) for c in candidates if c.line in run_in}
    ctx_stack: list[tuple[int, str | None]] = []
    lv_stack: list[tuple[int, str]] = []
    n_lines = len(lines)
    contexts: list[str | None] = [None] * n_lines
    levels: list[str] = [""] * n_lines
    context, level = None, ""
    done = 0  # lines 1..done are filled; a line between two headings has the context of the first
    for n in sorted(by_line.keys() | run_in.keys()):
        contexts[done:n - 1] = [context] * (n - 1 - done)
        levels[done:n - 1] = [level] * (n - 1 - done)
        mark = by_line.get(n)
        if mark is not None:
            rank, title = mark
            if rank < OUTLINE_ITEM_RANK:
                ctx = ("review" if any(w in title for w in review)
                       else "plan" if any(w in title for w in plan) else None)
                ctx_stack = [s for s in ctx_stack if s[0] < rank] + [(rank, ctx)]
                context = next((c for _, c in reversed(ctx_stack) if c), None)
            lv_stack = [s for s in lv_stack if s[0] < rank] + [(rank, dictionary.level_named(title))]
            level = next((lv for _, lv in reversed(lv_stack) if lv), "")
        else:  # a run-in heading: a review title opens a review until its next sibling
            rank = run_in_rank[n]
            ctx = "review" if any(w in run_in[n] for w in review) else None
            ctx_stack = [s for s in ctx_stack if s[0] < rank] + [(rank, ctx)]
            context = next((c for _, c in reversed(ctx_stack) if c), None)
        contexts[n - 1], levels[n - 1] = context, level
        done = n
    contexts[done:] = [context] * (n_lines - done)
    levels[done:] = [level] * (n_lines - done)
    for n in review_opening_lines(lines):
        contexts[n - 1] = "review"  # “十三五”以来，… / 发展基础：… opening a paragraph: this line only
    return Outline(contexts, levels)


# --- paragraphs and tables ------------------------------------------------------------------

@dataclass(frozen=True)
class Paragraph:
    """A line of running text (label ``paragraph``); a run-in heading's text starts at ``start``."""

    line: int
    start: int
    text: str


@dataclass
class GridCell:
    """One cell of a table grid, with where it came from."""

    row: int
    col: int
    text: str
    line: int
    start: int
    end: int
    header: bool = False
    role: str = ""  # label | unit | value | attribute | header


@dataclass
class TableGrid:
    """A table rebuilt from flattened text as a grid (label ``table``).

    Row 0 holds the header cells (``header_rows`` = 1); each later row is one row as the
    reconstruction read it: its label cells, unit, one cell per value column, attribute.
    Spans are not recorded (the flattened text does not show them).
    """

    table_id: str
    title: str
    first_line: int
    last_line: int = 0
    header_rows: int = 1
    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return 1 + max((c.row for c in self.cells), default=0)

    @property
    def lines(self) -> list[int]:
        """The lines the table's cells came from."""
        return sorted({c.line for c in self.cells})


# --- the document ----------------------------------------------------------------------

class Document:
    """A plan read once; every extractor reads this (see the module docstring)."""

    def __init__(self, plan: PlanText):
        self.plan = plan
        self.tables: list[TableGrid] = []  # filled by planlib.extract.tables.extract_tables
        #: the lines read as tables (both table readers' lines and the grids), once a parse has read them:
        #: text analysis leaves them out without reading the tables again (planlib.teach.textmine.table_lines)
        self.table_lines: frozenset[int] | None = None

    # the text, as PlanText holds it
    @property
    def lines(self) -> list[str]:
        return self.plan.lines

    @property
    def text(self) -> str:
        return self.plan.text

    @property
    def slug(self) -> str:
        return self.plan.slug

    @property
    def source_file(self) -> str:
        return self.plan.source_file

    @property
    def path(self):
        return self.plan.path

    def line(self, number: int) -> str:
        return self.plan.line(number)

    # computed once each
    @cached_property
    def period(self) -> Period | None:
        return plan_period(self.plan.text)

    @cached_property
    def heading_candidates(self) -> list[Candidate]:
        return scan_headings(self.plan.lines)

    @cached_property
    def leaders(self) -> set[int]:
        """The lines holding table-of-contents dot leaders (part of the 'toc' furniture)."""
        return leader_lines(self.plan.lines)

    @cached_property
    def furniture(self) -> dict[int, str]:
        """Line number -> kind ('toc', 'breadcrumb', 'document_bar', 'page_tools', or a reader's: 'nav',
        'header', 'footer', 'chrome') for page chrome."""
        lines = self.plan.lines
        found = dict(self.plan.furniture_marks)  # what a reader marked (a web page's menus, footers …)
        for n in toc_lines(lines, self.leaders):
            found.setdefault(n, "toc")
        for n, kind in chrome_lines(lines).items():
            found.setdefault(n, kind)
        return found

    @cached_property
    def front_matter(self) -> dict[int, str]:
        """Line number -> 'notice' or 'title': the transmittal notice and the plan's title lines before its
        first heading (:func:`front_matter_lines`). Kept apart from :attr:`furniture` (page chrome) because the
        extractors read the notice (issuer, document number); text analysis leaves both out."""
        heads = self.headings
        start = heads[0].line if heads else 1
        return front_matter_lines(self.plan.lines, start, self.furniture)

    @cached_property
    def toc(self) -> set[int]:
        """The lines of a table of contents (furniture of kind 'toc')."""
        return {n for n, kind in self.furniture.items() if kind == "toc"}

    @cached_property
    def headings(self) -> list[Heading]:
        """The heading tree, in document order (parents by index)."""
        return resolve_tree(_tree_candidates(self.heading_candidates, self.furniture), len(self.plan.lines))

    @cached_property
    def outline(self) -> Outline:
        return outline(self.plan.lines, self.heading_candidates, self.leaders)

    @cached_property
    def paragraphs(self) -> list[Paragraph]:
        """Every non-blank line that is neither furniture nor a heading alone (a run-in heading's text is one)."""
        heads = {h.line: h for h in self.headings}
        out = []
        for n, line in enumerate(self.plan.lines, 1):
            if not line.strip() or n in self.furniture:
                continue
            h = heads.get(n)
            if h is None:
                out.append(Paragraph(n, 0, line))
            elif h.run_in:
                start = line.find(h.text)
                out.append(Paragraph(n, max(start, 0), h.text))
        return out

    def innermost_heading(self) -> list[str]:
        """For each line (index 0 = line 1, then one past the end): the path of the innermost heading holding it."""
        by_line = [""] * (len(self.plan.lines) + 2)
        for h in self.headings:  # in document order, so a nested heading overwrites its parent's lines
            by_line[h.line:h.line_end + 1] = [h.path] * (h.line_end + 1 - h.line)
        return by_line


def as_document(plan: PlanText | Document) -> Document:
    """``plan`` itself if it is a Document, else a new Document reading it."""
    return plan if isinstance(plan, Document) else Document(plan)
