"""The heading tree of a plan as a table of sections with their line ranges.

The tree itself is built once per plan by :class:`planlib.read.document.Document` (its rules
are documented at :func:`planlib.read.document.resolve_tree`); this module shows it as a
DataFrame and finds the section that holds a line. In short:

* Chinese plans number their headings in a handful of styles: 第一部分 / 第一章 / 第一节,
  一、, （一） or (一), 1. or 1、, （1）, and 专栏N boxes. Which style sits above which differs
  from plan to plan, so a style's level is its rank in the order the styles first appear
  (numbered 1) in the document, never a fixed constant.
* A numbered paragraph whose text runs on (``1.落实立德树人根本任务。健全完善……``) is a
  run-in heading; its title is the text up to the first 。 (capped at 60 characters).
* A heading is accepted only if it starts its list (number 1) or continues it.
* Table-of-contents lines are furniture, never headings.
* ``line_end`` is the line before the next heading of the same or a higher level (a
  smaller level number), or the last line of the plan.
"""
from __future__ import annotations

import pandas as pd

from ..read.document import TITLE_MAX, Document, as_document  # noqa: F401  (TITLE_MAX: documented limit)
from ..read.patterns import has_leader
from ..read.patterns import cn_ordinal as cn_to_int  # noqa: F401  (the one numeral table; kept under its old name)
from ..read.text import PlanText

COLUMNS = ["county", "source_file", "section_id", "level", "style", "numbering", "title",
           "line_start", "line_end", "parent", "path"]


def is_leader_line(line: str) -> bool:
    """Whether a line carries table-of-contents dot leaders.

    >>> is_leader_line("一、指导思想 ..........12"), is_leader_line("一、指导思想")
    (True, False)
    """
    return has_leader(line)


def toc_lines(plan: PlanText | Document) -> set[int]:
    """Line numbers (1-based) that belong to a table of contents (the document's 'toc' furniture)."""
    return as_document(plan).toc


def section_records(plan: PlanText | Document) -> list[dict]:
    """The rows of :func:`sections` as plain dicts (cheap: no DataFrame), in document order."""
    doc = as_document(plan)
    return [{
        "county": doc.slug, "source_file": doc.source_file, "section_id": i,
        "level": h.level, "style": h.style, "numbering": h.numbering, "title": h.title,
        "line_start": h.line, "line_end": h.line_end, "parent": h.parent, "path": h.path,
    } for i, h in enumerate(doc.headings)]


def sections(plan: PlanText | Document) -> pd.DataFrame:
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
