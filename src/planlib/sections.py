"""The heading hierarchy of a plan, as a table of sections with their line ranges.

Chinese plans number their headings in a handful of styles: 第一部分 / 第一章 / 第一节,
一、, （一） or (一), 1. or 1、, （1）, and 专栏N boxes. Which style sits above which differs
from plan to plan, so a style's level is its rank in the order the styles first appear
(numbered 1) in the document, never a fixed constant.

Decisions (documented because a reader of the table should know them):

* A numbered paragraph whose text runs on (``1.落实立德树人根本任务。健全完善……``) is a
  heading; its title is the text up to the first 。 (capped at :data:`TITLE_MAX` characters).
* A heading is accepted only if it starts its list (number 1) or continues it (previous
  number + 1 under the same parent). This rejects decimals in tables (``1.2297``) and stray
  lines that merely begin with a numeral.
* An arabic-numbered line (``1.``, ``1、``, ``2.5万`` is not) must have text that is not
  purely numeric.
* A 专栏 box hangs under the nearest enclosing chapter-like heading (any style except the
  arabic item styles) at that heading's level + 1. Arabic items that restart at 1 right
  after a box are the box's items (box level + 1); an item that instead continues the
  enclosing list closes the box.
* Table-of-contents lines are excluded: lines with dot leaders (``……``, ``......``) and the
  block that follows a 目录 line up to its last leader or page-numbered entry.
* ``line_end`` is the line before the next heading of the same or a higher level (a
  smaller level number), or the last line of the plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .text import PlanText

#: Longest title kept; a run-on first sentence longer than this is cut with an ellipsis.
TITLE_MAX = 60

_CN = "[一二三四五六七八九十百零〇两]+"
_S = r"[\s\u3000]*"

#: (style, pattern). The numeral is group 1, the rest of the line group 2.
STYLE_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (style, re.compile(pattern))
    for style, pattern in (
        ("part", rf"^{_S}第({_CN})部分{_S}(.*)$"),
        ("chapter", rf"^{_S}第({_CN})章{_S}(.*)$"),
        ("section", rf"^{_S}第({_CN})节{_S}(.*)$"),
        ("cn_dun", rf"^{_S}({_CN}){_S}、{_S}(.*)$"),
        ("cn_paren", rf"^{_S}[（(]{_S}({_CN}){_S}[）)]{_S}(.*)$"),
        ("num_dot", rf"^{_S}(\d{{1,2}}){_S}[.．、](?!\d+(?:\.\d+)?%?{_S}$){_S}(.*)$"),
        ("num_paren", rf"^{_S}[（(]{_S}(\d{{1,2}}){_S}[）)]{_S}(.*)$"),
        ("box", rf"^{_S}专栏{_S}(\d+|{_CN}){_S}[:：、.．]?{_S}(.*)$"),
    )
)

#: Styles that number paragraphs rather than chapters; a box never hangs under them.
ITEM_STYLES = frozenset({"num_dot", "num_paren"})

#: Each alternative opens with a literal character so ``re`` can skip ahead to it (\.{4,} written \.\.\.\.+).
_LEADER = re.compile(r"(\.\.\.\.+|……+|····+|．．．．+|⋯⋯+|。。。。+)")
#: The shortest text each alternative of _LEADER matches.
_LEADER_RUNS = ("....", "……", "····", "．．．．", "⋯⋯", "。。。。")
_TOC_TITLE = re.compile(rf"^{_S}目{_S}录{_S}$")
_PAGE_NUMBER = re.compile(r"[\s\u3000.…·]\d{1,3}\s*$")
_HAS_TEXT = re.compile(r"[\u4e00-\u9fffA-Za-z]")

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

COLUMNS = ["county", "source_file", "section_id", "level", "style", "numbering", "title",
           "line_start", "line_end", "parent", "path"]


def cn_to_int(numeral: str) -> int:
    """Value of a Chinese numeral up to 999, or of an arabic one.

    >>> [cn_to_int(s) for s in ("一", "十", "十一", "二十", "二十三", "一百零五", "12")]
    [1, 10, 11, 20, 23, 105, 12]
    """
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN_DIGITS[ch]
    return total + current


def is_leader_line(line: str) -> bool:
    """Whether a line carries table-of-contents dot leaders.

    >>> is_leader_line("一、指导思想 ..........12"), is_leader_line("一、指导思想")
    (True, False)
    """
    return bool(_LEADER.search(line))


def toc_lines(plan: PlanText) -> set[int]:
    """Line numbers (1-based) that belong to a table of contents."""
    lines = plan.lines
    joined = "\n".join(lines)
    toc = _leader_lines(joined)
    for start, line in enumerate(lines, 1) if "录" in joined else ():
        if not _TOC_TITLE.match(line):
            continue
        last = start
        for n in range(start + 1, len(lines) + 1):
            text = lines[n - 1].strip()
            if not text or n in toc:
                last = n if n in toc else last
                continue
            if _match_style(text) and _PAGE_NUMBER.search(text):
                last = n
                continue
            if len(text) <= 30 and "。" not in text:
                continue  # a wrapped entry or a title line: decided by what follows
            break
        toc.update(range(start, last + 1))
    return toc


def _leader_lines(joined: str) -> set[int]:
    """Line numbers holding dot leaders, from one search of the whole text (a leader never spans a line end)."""
    found, line, pos = set(), 1, 0
    if not any(run in joined for run in _LEADER_RUNS):
        return found  # the shortest run each leader needs is absent: no search
    for m in _LEADER.finditer(joined):
        line += joined.count("\n", pos, m.start())
        pos = m.start()
        found.add(line)
    return found


#: How any heading style begins; lines that do not begin so skip the eight style patterns.
_HEADING_START = re.compile(rf"{_S}(?:第|专栏|[（(]|{_CN}|\d)")


def _match_style(line: str) -> tuple[str, str, str] | None:
    if not _HEADING_START.match(line):
        return None
    for style, pattern in STYLE_PATTERNS:
        m = pattern.match(line)
        if m:
            numeral, rest = m.group(1), m.group(2).strip()
            if style in ITEM_STYLES and not _HAS_TEXT.search(rest):
                return None
            return style, numeral, rest
    return None


_TITLE_END = re.compile(r"[。；;]")
_SPACE_RUN = re.compile(r"[\s\u3000]+")


def _title(rest: str) -> str:
    title = _TITLE_END.split(rest, maxsplit=1)[0].strip().rstrip("：:，,")
    title = _SPACE_RUN.sub(" ", title)
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


_NUMBERING = {
    "part": "第{}部分", "chapter": "第{}章", "section": "第{}节", "cn_dun": "{}", "cn_paren": "（{}）",
    "num_dot": "{}", "num_paren": "（{}）", "box": "专栏{}",
}


def _numbering(style: str, numeral: str) -> str:
    return _NUMBERING[style].format(numeral)


@dataclass
class _Heading:
    line: int
    style: str
    number: int
    numbering: str
    title: str
    level: int = 0
    parent: int | None = None


def _candidates(plan: PlanText) -> list[_Heading]:
    skip = toc_lines(plan)
    found = []
    for n, line in enumerate(plan.lines, 1):
        if n in skip:
            continue
        m = _match_style(line)
        if m:
            style, numeral, rest = m
            found.append(_Heading(n, style, cn_to_int(numeral), _numbering(style, numeral), _title(rest)))
    return found


def _style_ranks(candidates: list[_Heading]) -> dict[str, int]:
    """Level of each style: the order in which styles first appear with number 1."""
    ranks: dict[str, int] = {}
    for h in candidates:
        if h.style != "box" and h.number == 1 and h.style not in ranks:
            ranks[h.style] = len(ranks) + 1
    return ranks


def _resolve(candidates: list[_Heading]) -> list[_Heading]:
    """Keep headings that start or continue a list, and give each a level and a parent."""
    ranks = _style_ranks(candidates)
    accepted: list[_Heading] = []
    stack: list[int] = []  # indices into accepted, outermost first
    last_number: dict[tuple[int | None, str, bool], int] = {}

    def open_under(level: int) -> list[int]:
        return [i for i in stack if accepted[i].level < level]

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
            chain = [i for i in open_under(level) if accepted[i].style != "box"]
            parent = chain[-1] if chain else None
            if not fits(parent, h.style, h.number, False):
                continue
            h.level, h.parent, in_box = level, parent, False
        last_number[(h.parent, h.style, in_box)] = h.number
        stack = [i for i in stack if accepted[i].level < h.level] + [len(accepted)]
        accepted.append(h)
    return accepted


def _section_ends(headings: list[_Heading], n_lines: int) -> list[int]:
    """Each heading's last line: the line before the next heading of the same or a higher level.

    One pass from the end with a stack of later headings (a heading hides the deeper ones after it).
    """
    ends = [n_lines] * len(headings)
    later: list[_Heading] = []
    for i in range(len(headings) - 1, -1, -1):
        h = headings[i]
        while later and later[-1].level > h.level:
            later.pop()
        if later:
            ends[i] = later[-1].line - 1
        later.append(h)
    return ends


def section_records(plan: PlanText) -> list[dict]:
    """The rows of :func:`sections` as plain dicts (cheap: no DataFrame), in document order."""
    headings = _resolve(_candidates(plan))
    ends = _section_ends(headings, len(plan.lines))
    rows = []
    for i, h in enumerate(headings):
        end = ends[i]
        path, j = [h.numbering], h.parent
        while j is not None:
            path.append(headings[j].numbering)
            j = headings[j].parent
        rows.append({
            "county": plan.slug, "source_file": plan.source_file, "section_id": i,
            "level": h.level, "style": h.style, "numbering": h.numbering, "title": h.title,
            "line_start": h.line, "line_end": end, "parent": h.parent,
            "path": "/".join(reversed(path)),
        })
    return rows


def sections(plan: PlanText) -> pd.DataFrame:
    """The plan's headings with level, line range and parent, one row per heading."""
    df = pd.DataFrame(section_records(plan), columns=COLUMNS)
    df["parent"] = df["parent"].astype("Int64")
    return df.astype({"section_id": int, "level": int, "line_start": int, "line_end": int})


def section_of(sections_df: pd.DataFrame, line: int, county: str | None = None) -> str:
    """Titles from the outermost to the innermost section holding ``line``, joined by ' > '.

    Give ``county`` when the table holds several plans; a line before the first heading
    gives ''.
    """
    df = sections_df
    if county is not None:
        df = df[df["county"] == county]
    elif df["county"].nunique() > 1:
        raise ValueError("the sections table holds several plans; pass county=")
    inside = df[(df["line_start"] <= line) & (df["line_end"] >= line)]
    if inside.empty:
        return ""
    by_id = df.set_index("section_id")
    current = inside.sort_values(["level", "line_start"]).iloc[-1]["section_id"]
    titles = []
    while current is not None and not pd.isna(current):
        row = by_id.loc[current]
        titles.append(row["title"] or row["numbering"])
        current = row["parent"]
    return " > ".join(reversed(titles))
