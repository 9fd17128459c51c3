"""What a plan says of itself (title, issuer, document number, dates, period) for the `plans` table."""
from __future__ import annotations

import csv
import re
from pathlib import Path

from ..read.document import Document, as_document
from ..read.periods import FYP, Period
from ..read.text import PlanText

DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,10}[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*\d{1,4}\s*号")
TITLE = re.compile(r"[\u4e00-\u9fa5（）()“”\"]{2,40}?(?:教育|学校)[\u4e00-\u9fa5“”\"（）()—\-0-9]{0,30}?(?:规划|计划|纲要|方案)(?:[（(][^）)]{0,20}[）)])?")
ISSUER_FIELD = re.compile(r"(?:发文机关|发布机构|发文单位|来源)[\]】\s:：]*([\u4e00-\u9fa5]{2,30}?(?:人民政府办公室|人民政府|教育局|教育委员会|教委|办公室))")
ISSUER_LINE = re.compile(r"^\s*([\u4e00-\u9fa5]{2,20}(?:人民政府办公室|人民政府|教育局|教育委员会))\s*$")
DATE = r"((?:19|20)\d\d)\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?"
WRITTEN = re.compile(r"(?:成文日期|印发日期)[\]】\s:：]*" + DATE)
PUBLISHED = re.compile(r"(?:发布日期|发布时间|公开日期|时间)[\]】\s:：]*" + DATE)
LONE_DATE = re.compile(r"^\s*" + DATE + r"\s*$")
LONE_DATE_GLUED = re.compile(r"^\s*((?:19|20)\d\d)(\d\d)(\d\d)\s*$")  # 20211223: separators lost in copying
# 某府发〔202156: the closing bracket and 号 lost in copying; the year is four digits, the rest is the number
DOC_NUMBER_GLUED = re.compile(r"([\u4e00-\u9fa5]{1,10}发)\s*[〔\[［【(（]\s*((?:19|20)\d\d)\s*(\d{1,4})(?!\d)")


def _iso(m: re.Match | None, offset: int = 1) -> str:
    if not m:
        return ""
    y, mo, d = (int(m.group(offset + i)) for i in range(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return ""
    return f"{y:04d}-{mo:02d}-{d:02d}"


def _title_score(title: str, lines: list[str]) -> tuple:
    """A plan's own title names its period (any 十N五, or a year) and 规划, and often stands on a line of its own."""
    return ((FYP.search(title) is not None or bool(re.search(r"20\d\d", title))) * 4 + ("规划" in title) * 2
            + ("教育" in title) + (title in lines) * 3, -lines.index(title) if title in lines else -len(lines))


def _title_matches(head: str):
    """``TITLE.finditer(head)``, but the pattern is tried only within 40 characters before a 教育/学校
    (a title has 2–40 characters before it): the lazy prefix makes a search at every character slow."""
    pos = 0
    while True:
        near = [i for i in (head.find("教育", pos + 2), head.find("学校", pos + 2)) if i >= 0]
        if not near:
            return
        m = TITLE.search(head, max(pos, min(near) - 40))
        if m is None:
            return
        yield m
        pos = m.end()


def _doc_number(text: str) -> re.Match | None:
    return DOC_NUMBER.search(text) if "号" in text else None  # cheap test first: the pattern ends in 号


def _doc_number_glued(text: str) -> re.Match | None:
    return DOC_NUMBER_GLUED.search(text) if "发" in text else None


def describe(plan: PlanText | Document, head_lines: int = 60, period: Period | None = None) -> dict:
    """Title, issuer, document number, dates and period read from the plan's opening lines.

    ``period``: the plan's period when the caller has read it already (else the document's).
    """
    document = as_document(plan)
    plan = document.plan
    head = "\n".join(plan.lines[:head_lines])
    lines = [ln.strip() for ln in plan.lines[:head_lines]]
    titles = [m.group(0) for m in _title_matches(head) if "关于印发" not in m.group(0)]
    title = max(titles, key=lambda t: _title_score(t, lines), default="")
    issuer_m = ISSUER_FIELD.search(head)
    issuer = issuer_m.group(1) if issuer_m else ""
    if not issuer:
        for line in plan.lines[:head_lines]:
            m = ISSUER_LINE.match(line)
            if m:
                issuer = m.group(1)
                break
    doc = _doc_number(head)
    doc_number = re.sub(r"\s+", "", doc.group(0)) if doc else ""
    glued = None if doc else _doc_number_glued(head)
    if glued:
        doc_number = f"{glued.group(1)}〔{glued.group(2)}〕{glued.group(3)}号"
    written = _iso(WRITTEN.search(head))
    if not written:
        # a date alone on a line: after the document number (the notice's date), else near the end (落款)
        after_doc = next((i for i, ln in enumerate(plan.lines[:head_lines]) if _doc_number(ln) or _doc_number_glued(ln)), None)
        candidates = (list(plan.lines[after_doc + 1:head_lines]) if after_doc is not None else []) + list(reversed(plan.lines[-40:]))
        for line in candidates:
            m = LONE_DATE.match(line) or LONE_DATE_GLUED.match(line)
            if m:
                written = _iso(m)
                break
    period = period or document.period
    return {
        "county": plan.slug,
        "title": title,
        "issuer": issuer,
        "doc_number": doc_number,
        "date_written": written,
        "date_published": _iso(PUBLISHED.search(head)),
        "period_start": period.start if period else None,
        "period_end": period.end if period else None,
        "n_chars": len(plan.text),
        "n_lines": len(plan.lines),
        "encoding": plan.encoding,
        "sha256": plan.sha256,
    }


SOURCE_FIELDS = ("name_zh", "name_en", "province", "admin_level", "issuer", "title", "doc_number", "url", "date_accessed")


def admin_levels() -> dict[str, str]:
    """Every admin_level sources.csv may give -> the id the tables hold (data/admin_levels.yml).

    >>> admin_levels()["自治旗"], admin_levels()["county-level city"], admin_levels()["市辖区"]
    ('autonomous banner', 'county-level city', 'district')
    """
    from ..datafiles import package_yaml

    data = package_yaml("admin_levels.yml")
    names = {level: level for level in data["levels"]}
    names.update({zh: level for level, zh in data["levels"].items()})
    names.update(data.get("aliases") or {})
    return names


def read_sources(raw_dir: Path) -> dict[str, dict]:
    """data/raw/sources.csv: what a researcher keeps about each file, keyed by slug (optional).

    ``admin_level`` must be one of :func:`admin_levels` (or empty); it is stored as its English
    id. A value outside the list is refused, naming ``sources.csv:<line>``.
    """
    from ..errors import PlanlibError

    path = raw_dir / "sources.csv"
    if not path.exists():
        return {}
    levels = admin_levels()
    rows, bad = {}, []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            if not row.get("slug"):
                continue
            level = (row.get("admin_level") or "").strip()
            if level and level not in levels:
                bad.append(f"{path}:{reader.line_num}: admin_level {level!r} is not a known administrative level")
            elif level:
                row["admin_level"] = levels[level]
            rows[row["slug"].strip()] = row
    if bad:
        known = ", ".join(sorted({v for v in levels.values()}))
        raise PlanlibError("\n  ".join(bad) + f"\n  (known: {known}; or their Chinese names, see "
                           "src/planlib/data/admin_levels.yml)")
    return rows
