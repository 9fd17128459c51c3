"""Plan periods and the year rules shared by table and prose extraction.

A 十四五 plan covers 2021–2025: its undated targets refer to 2025, its baseline year is
2020, and 十三五 achievements with no year refer to 2020. Read from the text, never fixed.
"""
from __future__ import annotations

from dataclasses import dataclass

#: Chinese ordinal of a five-year plan -> its number (十四五 = the 14th).
from .patterns import FYP, PERIOD_SPAN  # noqa: F401  (the period words live in planlib.read.patterns)
from .patterns import FYP_NUMERALS as _FYP_NUMERALS


def fyp_years(ordinal: int) -> tuple[int, int]:
    """Years of the n-th five-year plan (the 3rd began in 1966, after the 1963–65 adjustment).

    >>> fyp_years(14)
    (2021, 2025)
    >>> fyp_years(13)
    (2016, 2020)
    """
    start = 1953 + 5 * (ordinal - 1) if ordinal <= 2 else 1966 + 5 * (ordinal - 3)
    return start, start + 4


def fyp_ordinal(word: str) -> int | None:
    """'十四五' -> 14; None if the word names no five-year plan.

    >>> fyp_ordinal("“十四五”")
    14
    """
    m = FYP.search(word)
    return _FYP_NUMERALS.get(m.group(1)) if m else None


@dataclass(frozen=True)
class Period:
    start: int
    end: int

    @property
    def base_year(self) -> int:
        """The year the plan measures from (the last year of the previous period)."""
        return self.start - 1

    def previous(self) -> "Period":
        return Period(self.start - 5, self.end - 5)


def plan_period(text: str, head_chars: int = 4000) -> Period | None:
    """The period a plan covers, from its title and opening (十四五, or 2021—2025年).

    >>> plan_period("某县教育事业发展“十四五”规划（2021—2025年）")
    Period(start=2021, end=2025)
    >>> plan_period("某县教育发展规划（2026-2030年）")
    Period(start=2026, end=2030)
    """
    head = text[:head_chars]
    m = PERIOD_SPAN.search(head)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 0 < b - a <= 10:
            return Period(a, b)
    counts: dict[int, int] = {}
    for m in FYP.finditer(head):
        n = _FYP_NUMERALS.get(m.group(1))
        if n:
            counts[n] = counts.get(n, 0) + 1
    if counts:
        n = max(counts, key=lambda k: (counts[k], k))
        return Period(*fyp_years(n))
    return None


def kind_for_year(year: int | None, period: Period | None) -> str:
    """baseline for years up to the base year, target after it.

    >>> kind_for_year(2020, Period(2021, 2025)), kind_for_year(2022, Period(2021, 2025))
    ('baseline', 'target')
    """
    if year is None or period is None:
        return "target"
    return "baseline" if year <= period.base_year else "target"
