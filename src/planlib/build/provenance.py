"""Does every row of a targets table stand on its cited line? A check of the finished table against the raw files.

The span rule (the codebook's ``char_start`` / ``char_end``): ``line[char_start:char_end]`` is one
number that :func:`planlib.read.numbers.find_quantities` finds in the line, and it ends where that number
ends: after what is written with the numeral, the unit, 余/多 and a comparator word (``95%以上``,
``600多所``, ``25万余平方米``). In running text it begins at the numeral (a comparator word before
it, 不低于/约, lies outside; the ``comparator`` column carries it); in a table it is the whole cell,
a sign included (``＞93.0``), and the unit may stand in the row label outside it. ``value_raw`` is
the numeral exactly as written; a unit or comparator the grammar reads with the number is the row's
own. ``quote`` contains the span at that place in the line. ``value`` is ``value_raw`` times the
scale of ``unit_raw`` (万人 -> ×10000), unless a researcher's correction changed it or a
``unit_magnitude`` finding in ``checks`` cites the line (the source's unit label contradicts its
magnitudes; read ×10000).

The build writes rows this way; this module checks the written table, so a table edited by hand, a
stale table or a regression in the parser is caught, with the file and line of each broken row:

>>> import pandas as pd
>>> row = dict(county="p", source_file="p.txt", line=1, char_start=6, char_end=15, value_raw="130.23",
...            unit_raw="万人", value=1302300.0, value_high=None, comparator="=", quote="在校130.23万人", correction="", source="prose")
>>> lines = {"p.txt": ["2020年在校130.23万人"]}
>>> provenance_problems(pd.DataFrame([row]), lines=lines)
["p.txt:1 [6:15] '校130.23万人': not a number the grammar finds in the line (it reads 130.23万人)"]
>>> provenance_problems(pd.DataFrame([dict(row, char_start=7)]), lines=lines)
[]
>>> provenance_problems(pd.DataFrame([dict(row, char_start=7, value=130230.0)]), lines=lines)
["p.txt:1 [7:15] '130.23万人': value 130230.0 (high None) is not '130.23' × the scale of '万人'"]
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..read.numbers import find_quantities, parse_cell, unit_scale
from ..errors import PlanlibError
from ..paths import PROJECT_ROOT
from ..read.text import read_plan

__all__ = ["provenance_problems", "span_problem"]

#: The factor a ``unit_magnitude`` finding applies (values labelled 人 that read as 万人).
MAGNITUDE_RESCALE = Decimal(10000)


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _same(a: Decimal, b) -> bool:
    return b is not None and not pd.isna(b) and math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def span_problem(line: str, char_start: int, char_end: int, value_raw: str, unit_raw: str = "",
                 comparator: str = "=", source: str = "prose") -> str | None:
    """What breaks the span rule for one number, or None if it holds.

    >>> span_problem("达标率达到95%以上，", 5, 10, "95", "%", ">=") is None
    True
    >>> span_problem("\\t＞93.0", 1, 6, "93.0", "%", ">", source="table") is None   # % from the row label
    True
    >>> span_problem("\\t＞93.0", 2, 6, "93.0", "%", ">", source="table")
    'the span should begin at 1 (the table cell)'
    >>> span_problem("比例不低于30%。", 5, 8, "30", "%", ">=") is None   # the word before lies outside
    True
    >>> span_problem("达标率达到95%以上，", 5, 10, "95", "%", "=")
    "the span says comparator '>=', the row '='"
    >>> span_problem("达标率达到95%以上，", 5, 8, "95", "%", ">=")
    'not a number the grammar finds in the line (it reads 95%以上)'
    """
    if not 0 <= char_start < char_end <= len(line):
        return f"span [{char_start}:{char_end}] outside the line (length {len(line)})"
    found = find_quantities(line)
    ends_here = [q for q in found if q.end == char_end and char_start in (q.start, q.num_start)]
    if not ends_here:
        near = [line[q.start:q.end] for q in found if q.start < char_end and q.end > char_start]
        return "not a number the grammar finds in the line" + (f" (it reads {'; '.join(near)})" if near else "")
    q = ends_here[0]
    if q.role != "quantity":
        return f"the grammar reads a {q.role} here, not a quantity"
    begin = q.start if source == "table" else q.num_start
    if char_start != begin:
        return f"the span should begin at {begin} ({'the table cell' if source == 'table' else 'the numeral'})"
    if q.value_raw != value_raw:
        return f"the span's numeral is {q.value_raw!r}, value_raw is {value_raw!r}"
    if q.unit_raw and q.unit_raw != unit_raw:
        return f"the span's unit is {q.unit_raw!r}, unit_raw is {unit_raw!r}"
    if q.comparator != "=" and q.comparator != comparator:
        return f"the span says comparator {q.comparator!r}, the row {comparator!r}"
    return None


def provenance_problems(targets: pd.DataFrame, root: str | Path = PROJECT_ROOT, checks: pd.DataFrame | None = None,
                        lines: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every row of ``targets`` that does not stand on its cited line, as ``file:line [start:end] 'span': why``.

    Each row is checked against its ``text_file`` (the plan itself for a .txt, the derived text for a web
    page or Word file; ``source_file`` where there is no ``text_file`` column).
    ``root`` is where those paths start; ``lines`` (file -> its lines) replaces reading them.
    The span is checked on the text planlib matched, the quote on the file's own line: the two differ only
    for a plan in traditional script, read through its simplified conversion (:mod:`planlib.read.script`).
    ``checks`` (the checks table) supplies the ``unit_magnitude`` findings that explain a rescaled value.
    """
    root = Path(root)
    texts: dict[str, tuple[Sequence[str], Sequence[str]] | None] = {k: (v, v) for k, v in (lines or {}).items()}
    rescaled: set[tuple[str, int]] = set()
    if checks is not None and len(checks):
        for c in checks[checks["check"] == "unit_magnitude"].itertuples():
            rescaled.update((c.source_file, int(n)) for n in str(c.lines).split(";") if n.strip().isdigit())
    problems = []
    for row in targets.itertuples(index=False):
        source = _text(getattr(row, "text_file", "")) or _text(row.source_file)  # the text line/quote refer to
        if source not in texts:
            try:
                plan = read_plan(root / source)
                texts[source] = (plan.lines, plan.original_lines)
            except PlanlibError:  # missing, unreadable or undecodable: reported row by row
                texts[source] = None
        where = f"{source}:{row.line}"
        if texts[source] is None:
            problems.append(f"{where}: cannot read {source}")
            continue
        matched_lines, file_lines = texts[source]
        if any(pd.isna(v) for v in (row.line, row.char_start, row.char_end)):
            problems.append(f"{where}: line or span missing")
            continue
        if not 1 <= row.line <= len(file_lines):
            problems.append(f"{where}: no such line (the file has {len(file_lines)})")
            continue
        line = matched_lines[row.line - 1]
        start, end = int(row.char_start), int(row.char_end)
        where = f"{where} [{start}:{end}] {line[start:end]!r}"
        if Path(source).stem != _text(row.county):
            problems.append(f"{where}: county {row.county!r} is not the file's stem")
            continue  # the row names another plan's text: its span there says nothing more
        if Path(_text(row.source_file)).stem != _text(row.county):
            problems.append(f"{where}: source_file {_text(row.source_file)!r} is not the plan of county {row.county!r}")
        unit_raw = _text(row.unit_raw)
        why = span_problem(line, start, end, _text(row.value_raw), unit_raw, _text(row.comparator), _text(row.source))
        if why:
            problems.append(f"{where}: {why}")
            continue
        quote = _text(row.quote)
        line = file_lines[row.line - 1]
        at = line.find(quote, max(0, end - len(quote))) if quote else -1
        if not quote or at < 0 or at > start:
            problems.append(f"{where}: quote {quote!r} does not contain the span at that place")
        if _text(row.correction):
            continue  # a researcher's correction may change the value; corrections.csv says why
        written = parse_cell(_text(row.value_raw))
        scale = unit_scale(unit_raw)[0]
        scales = [scale, scale * MAGNITUDE_RESCALE] if (_text(row.source_file), int(row.line)) in rescaled else [scale]
        low_ok = written is not None and any(_same(written.value * s, row.value) for s in scales)
        high = row.value_high
        high_ok = (pd.isna(high) if written is None or written.value_high is None
                   else any(_same(written.value_high * s, high) for s in scales))
        if not (low_ok and high_ok):
            problems.append(f"{where}: value {row.value} (high {high}) is not {row.value_raw!r} × the scale of "
                            f"{unit_raw!r}")
    return problems
