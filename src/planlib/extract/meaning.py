"""What a number is: its basis (a level, a total over years, a yearly amount, a per-unit norm),
the years a total or yearly amount spans, and what its indicator counts (measure_type).

``year`` and ``kind`` say when a number stands and whether it is a level or a change; they are
left as the extractor set them. This module adds, from the words around the number (the cue
words are data, ``data/meaning.yml``):

- ``basis``: ``per_unit`` (生均, 每百名学生, 每所 …; wins over the others, so 每年生均 is
  per_unit), ``annual`` (每年, 年均, 常年), ``cumulative`` (累计, 共计, 近五年, "十三五"期间共,
  "十四五"期间新建 …, and a flow reported in a review of the last plan period), else ``point``.
- ``span_start``/``span_end``: the years a cumulative total (or a spanned yearly amount) covers,
  from the text (2016年以来, 近五年, "十三五"期间 -> the years of that plan, never fixed) or, when
  the text names none, from where the number stands: the reviewed period before the plan, or
  the plan's own period.
- ``measure_type``: from the indicator dictionary; for numbers it cannot name, from label words
  and unit (data/meaning.yml ``measure_type``).

A plan target that adds something by its end year with no span words (到2025年新建幼儿园12所)
stays ``point``: it is dated to the end year and its measure_type (flow) says it is an addition.

>>> from planlib.read.periods import Period
>>> text = "“十三五”期间,累计教育投入34亿元。"
>>> basis_of(text, text.index("34"), text.index("。"), year=2020, kind="baseline", period=Period(2021, 2025))
Meaning(basis='cumulative', span_start=2016, span_end=2020)
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import package_yaml
from ..read.patterns import cn_ordinal
from ..read.periods import FYP, Period, fyp_ordinal, fyp_years
from ..schema import BASES, MEASURE_TYPES  # noqa: F401  (BASES: the values basis_of returns)
#: the targets columns this module sets on rows the extractors made
COLUMNS = ("basis", "span_start", "span_end", "measure_type")

_QUOTE_CHARS = re.compile("[“”‘’\"'「」『』]")
_SENTENCE_END = "。！？!?"
_CLAUSE_END = _SENTENCE_END + "，,；;：:"


@dataclass(frozen=True)
class Meaning:
    basis: str = "point"
    span_start: int | None = None
    span_end: int | None = None


@dataclass(frozen=True)
class _Cues:
    per_unit: re.Pattern
    not_per_unit: tuple[str, ...]
    annual: re.Pattern
    total: re.Pattern
    recent_years: re.Pattern
    since_year: re.Pattern
    year_span: re.Pattern
    plan_span: re.Pattern  # "十三五"期间 / 时期 / 累计 (an ordinal and what makes it a span)
    five_years: re.Pattern  # 五年内 / 五年来: the period the number stands in
    flow: re.Pattern
    level: re.Pattern
    not_level: tuple[str, ...]
    own_date: re.Pattern
    mt: dict


def _alternation(words, patterns=()) -> re.Pattern:
    parts = [re.escape(w) for w in sorted(words, key=len, reverse=True)] + list(patterns)
    return re.compile("|".join(parts)) if parts else re.compile(r"(?!x)x")


@lru_cache(maxsize=1)
def cues() -> _Cues:
    """The cue words of data/meaning.yml, compiled once."""
    data = package_yaml("meaning.yml")
    pu, an, cu, mt = data["per_unit"], data["annual"], data["cumulative"], data["measure_type"]
    fyp = FYP.pattern
    return _Cues(
        per_unit=_alternation(pu["words"], pu.get("patterns") or ()),
        not_per_unit=tuple(pu.get("not_per_unit") or ()),
        annual=_alternation(an["words"], an.get("patterns") or ()),
        total=_alternation(cu["total_words"], cu.get("total_patterns") or ()),
        recent_years=re.compile(cu["recent_years"]),
        since_year=re.compile(cu["since_year"]),
        year_span=re.compile(cu["year_span"]),
        plan_span=re.compile(f"({fyp})(?:{'|'.join(map(re.escape, cu['period_words'] + cu['total_words']))})"),
        five_years=_alternation(cu["period_phrases"]),
        flow=_alternation(cu["flow_verbs"]),
        level=_alternation(cu["level_words"]),
        not_level=tuple(cu.get("not_level") or ()),
        own_date=_alternation((), cu["own_date"]),
        mt=mt,
    )


def measure_types() -> tuple[str, ...]:
    """The allowed measure_type values (schema.MEASURE_TYPES)."""
    return MEASURE_TYPES


# ----------------------------------------------------------------------------- text around a number

def _bounds(text: str, start: int, end: int, marks: str) -> tuple[int, int]:
    """Start and end of the stretch of ``text`` around [start, end) delimited by ``marks``."""
    pos = _mark_positions(text, marks)
    i = bisect_left(pos, start)
    j = bisect_left(pos, end)
    return (pos[i - 1] + 1 if i else 0), (pos[j] if j < len(pos) else len(text))


@lru_cache(maxsize=4096)
def _mark_positions(text: str, marks: str) -> tuple[int, ...]:
    """Offsets of the marks in a line, remembered: a line with many numbers is asked once per number."""
    return tuple([m.start() for m in _mark_class(marks).finditer(text)])  # a list first: faster than a generator


@lru_cache(maxsize=8)
def _mark_class(marks: str) -> re.Pattern:
    return re.compile("[" + re.escape(marks) + "]")


def _plain(text: str) -> str:
    """The text without quotation marks ("十三五"期间 and 十三五期间 read alike)."""
    return _QUOTE_CHARS.sub("", text) if _QUOTE_CHARS.search(text) else text


def _cn_int(word: str) -> int | None:
    """近五年 -> 5, 近十二年 -> 12: by the one numeral table (planlib.read.patterns); None if not a numeral."""
    try:
        return cn_ordinal(word)
    except KeyError:
        return None


def _in_review(year: int | None, kind: str, period: Period | None) -> bool:
    """Whether the number reports the reviewed period before the plan (its year is the base year or earlier)."""
    if year is not None and period is not None:
        return year <= period.base_year
    return year is None and kind == "baseline"


def _section_span(review: bool, period: Period | None) -> tuple[int | None, int | None]:
    if period is None:
        return None, None
    p = period.previous() if review else period
    return p.start, p.end


def _explicit_span(text: str, year: int | None, review: bool, period: Period | None) -> tuple[int, int] | None:
    """Years a span cue in ``text`` names: 2016—2020年, 2016年以来, 近五年, "十三五"期间, 五年内; the last one wins.

    None when ``text`` has no span cue; (None, None) when it has one whose years cannot be known.
    """
    c = cues()
    plain = _plain(text)
    end_now = year if year is not None else (period.base_year if period and review else None)
    found: list[tuple[int, tuple[int, int] | None]] = []
    for m in c.year_span.finditer(plain):
        found.append((m.start(), (int(m.group(1)), int(m.group(2)))))
    for m in c.since_year.finditer(plain):
        until = year if year is not None else (period.base_year if period else None)  # 以来: up to the writing
        found.append((m.start(), (int(m.group(1)), until) if until else None))
    for m in c.recent_years.finditer(plain):
        n = _cn_int(m.group(1))
        found.append((m.start(), (end_now - n + 1, end_now) if n and end_now else None))
    for m in c.plan_span.finditer(plain):
        n = fyp_ordinal(m.group(0))
        found.append((m.start(), fyp_years(n) if n else None))
    for m in c.five_years.finditer(plain):
        found.append((m.start(), _section_span(review, period)))
    if not found:
        return None
    span = max(found, key=lambda f: f[0])[1]
    return span if span and None not in span else (None, None)


def _has_span_cue(text: str) -> bool:
    c = cues()
    plain = _plain(text)
    return bool(c.year_span.search(plain) or c.since_year.search(plain) or c.recent_years.search(plain)
                or c.plan_span.search(text) or c.five_years.search(plain))


def _own_date(clause: str) -> bool:
    """The clause dates its number itself (由2016年的…, 到2025年, "十三五"末), span words aside."""
    c = cues()
    plain = _plain(clause)
    for pattern in (c.year_span, c.since_year):
        plain = pattern.sub("", plain)
    return bool(c.own_date.search(plain))


def _states_level(clause: str) -> bool:
    plain = _plain(clause)
    for w in cues().not_level:
        plain = plain.replace(w, "")
    return bool(cues().level.search(plain))


def _frame(text: str, before: int) -> str:
    """The span phrase that opens a paragraph ("十三五"期间, / 2016年以来,) before offset ``before``, or ''.

    A clause that is only such a phrase frames the rest of the line.
    """
    frame = ""
    for pos, clause in _frames(text):
        if pos >= before:
            break
        frame = clause
    return frame


@lru_cache(maxsize=1024)
def _frames(text: str) -> tuple[tuple[int, str], ...]:
    """(offset, clause) of each clause of a line that is only a span phrase, in order."""
    out = []
    lo = 0
    for hi in (*_mark_positions(text, _CLAUSE_END), len(text)):
        clause = text[lo:hi].strip()
        if clause and len(_plain(clause)) <= 8 and _has_span_cue(clause):
            out.append((lo, clause))
        lo = hi + 1
    return tuple(out)


# ----------------------------------------------------------------------------- basis

#: A rate's unit right after the number (compiled once: ``re.match`` looked it up per row).
_RATE_AFTER = re.compile(r"\s*(%|％|个百分点|百分点)")


def basis_of(text: str, start: int, end: int, *, year: int | None, kind: str, period: Period | None,
             label: str = "", context: str = "", rate: bool | None = None, table: bool = False) -> Meaning:
    """The basis and span of the number at ``text[start:end]``.

    ``text``: the number's line (prose) or cell; ``label``: the row label or indicator wording;
    ``context``: for table rows, the table title and the column header. ``rate``: whether the
    number is a rate (% or 个百分点); guessed from the text after it when not given. ``table``:
    a table cell, which is cumulative only on explicit words (a review table's columns are levels).
    """
    c = cues()
    s_lo, s_hi = _bounds(text, start, end, _SENTENCE_END)
    c_lo, c_hi = _bounds(text, start, end, _CLAUSE_END)
    clause = text[c_lo:c_hi]
    words = _plain(clause + "|" + label + "|" + context)
    for w in c.not_per_unit:
        words = words.replace(w, "")
    review = _in_review(year, kind, period)
    if rate is None:
        rate = bool(_RATE_AFTER.match(text, end, end + 6)) or text[start:end].endswith(("%", "％"))

    if c.per_unit.search(words):
        return Meaning("per_unit")

    before = text[s_lo:c_hi]  # the sentence up to the end of the number's clause

    def frame_of() -> str:  # read only where it can change the answer: most numbers are points
        return "" if _own_date(text[s_lo:s_hi]) else _frame(text, s_lo)

    if c.annual.search(words):
        span = _explicit_span(context + "|" + before, year, review, period)
        if span is None:
            frame = frame_of()
            if frame:
                span = _explicit_span(frame, year, review, period)
        if span is None and review:
            span = _section_span(True, period)
        return Meaning("annual", *(span or (None, None)))

    if rate or _own_date(clause) or _states_level(clause):
        return Meaning("point")
    # cumulative: a total, or a flow over a span (a span cue or the paragraph's frame; in prose also
    # the reviewed period). The verb before the number (新建学校4所), not a verb the number is the
    # subject of (23所学校获得…).
    if c.total.search(_plain(context + "|" + label + "|" + before)):
        cumulative = True
    elif not (c.flow.search(_plain(label + "|" + text[c_lo:end])) or _inherits_flow(text, s_lo, c_lo, end)):
        cumulative = False
    else:
        cumulative = (not table and review) or _has_span_cue(context + "|" + before) or bool(frame_of())
    if not cumulative:
        return Meaning("point")
    span = _explicit_span(context + "|" + before, year, review, period)
    if span is None:
        frame = frame_of()
        if frame:
            span = _explicit_span(frame, year, review, period)
    if span is None:
        span = _section_span(review, period)
    return Meaning("cumulative", *span)


_LIST_ITEM = re.compile(r"[\d一二三四五六七八九十百千万两]+[.\d]*\s*[^\d，,；;。]{0,3}\s*[)）]?\s*$")


def _inherits_flow(text: str, s_lo: int, c_lo: int, end: int) -> bool:
    """A verbless list item (…，市级以上特色学校或教育实践基地20个) continues the clause before it.

    Only a clause that ends with its number (a unit and at most a short word after it) is an
    item; the verb is looked for in the clauses before, through other such items.
    """
    c = cues()
    c_hi = _bounds(text, c_lo, c_lo, _CLAUSE_END)[1]
    own = text[c_lo:c_hi]
    if len(text[end:c_hi].strip()) > 4 or c.flow.search(_plain(own)) or _states_level(own):
        return False
    while c_lo > s_lo:
        p_lo = max(_bounds(text, c_lo - 1, c_lo - 1, _CLAUSE_END)[0], s_lo)
        prev = text[p_lo:c_lo - 1]
        if _states_level(prev):
            return False
        if c.flow.search(_plain(prev)):
            return True
        if not _LIST_ITEM.search(prev):
            return False
        c_lo = p_lo
    return False


# ----------------------------------------------------------------------------- measure_type

def infer_measure_type(label: str, unit: str) -> str:
    """measure_type of a number the dictionary cannot name, from its label words and normalised unit.

    >>> infer_measure_type("新招聘教师", "人"), infer_measure_type("体育特色学校", "所"), infer_measure_type("资助金额", "元")
    ('flow', 'designation', 'money')
    """
    mt = cues().mt
    label = _plain(label or "")
    unit = unit or ""
    if unit in mt["rate_units"]:
        return "rate"
    if unit in mt["money_units"]:
        return "money"
    if unit in mt["other_units"]:
        return "other"
    if any(w in label for w in mt["designation_words"]):
        return "designation"
    if any(w in label for w in mt["flow_words"]):
        return "flow"
    if unit in mt["stock_units"]:
        return "stock"
    return "other"


def assign_meaning(rows: list[dict], plan, period: Period | None) -> list[dict]:
    """Set basis, span_start, span_end and measure_type on extracted targets rows, in place.

    Prose rows are read in their line; table rows from their label, the table title and the
    column header (internal keys ``_table_title`` and ``_column_head`` set by the table reader).
    """
    from .dictionary import measure_type_of

    lines = plan.lines
    for r in rows:
        text = lines[r["line"] - 1] if 0 < r["line"] <= len(lines) else r.get("quote", "")
        if r.get("source") == "table":
            context = " ".join(str(r.get(k) or "") for k in ("_table_title", "_column_head"))
            m = basis_of(text, r["char_start"], r["char_end"], year=r.get("year"), kind=r["kind"], period=period,
                         label=r.get("indicator_zh") or "", context=context, rate=_is_rate(r), table=True)
        else:
            m = basis_of(text, r["char_start"], r["char_end"], year=r.get("year"), kind=r["kind"], period=period,
                         rate=_is_rate(r))
        r["basis"], r["span_start"], r["span_end"] = m.basis, m.span_start, m.span_end
        r["measure_type"] = measure_type_of(r.get("indicator_id") or "") or \
            infer_measure_type(f"{r.get('indicator_zh') or ''}|{_item_around(text, r['char_start'], r['char_end'])}", r.get("unit") or "")
    return rows


def _item_around(text: str, start: int, end: int) -> str:
    """The list item holding the number: 建设8个课程创新基地 in …示范校2所、建设8个课程创新基地、8个教研工作坊."""
    lo, hi = _bounds(text, start, end, _CLAUSE_END + "、")
    return text[lo:hi]


def _is_rate(row: dict) -> bool:
    return (row.get("unit") or "") in cues().mt["rate_units"]
