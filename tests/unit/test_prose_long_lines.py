"""Long lines (a plan pasted without line breaks, a hostile file) are read in time proportional to
their length: no per-number work may reach back over the whole line. Correctness only; the
timings are in benchmarks/bench_long_lines.py."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from planlib.extract import dictionary, prose
from planlib.extract.prose import MAX_CLAUSE, MAX_SENTENCE, _cut_long, extract_prose
from planlib.read.text import PlanText

TITLE = "某县教育事业发展“十四五”规划（2021—2025年）"


def plan_of(*lines: str) -> PlanText:
    text = "\n".join((TITLE,) + lines)
    raw = text.encode("utf-8")
    return PlanText(path=Path("data/raw/long.txt"), text=text, encoding="utf-8",
                    sha256=hashlib.sha256(raw).hexdigest(), n_bytes=len(raw), lines=(TITLE,) + lines)


@pytest.mark.parametrize("unit", ["由2015年的86%提高到95%、", "新建三所学校二十个班级", "小学在校生1234人初中毛入学率98.5%"])
def test_text_examined_per_number_is_bounded(monkeypatch, unit):
    """Before the fix every number handed its whole unpunctuated line to the dictionary as its
    sentence or clause (so a 1 MB line took 5 s and a 5 MB line 176 s)."""
    seen: list[int] = []

    def recording(fn):
        def wrapper(text, *args, **kw):
            seen.append(max([len(text)] + [len(a) for a in args if isinstance(a, str)]
                            + [len(v) for v in kw.values() if isinstance(v, str)]))
            return fn(text, *args, **kw)
        return wrapper

    for name in ("match_indicator", "domain_of", "is_excluded_context"):
        monkeypatch.setattr(dictionary, name, recording(getattr(dictionary, name)))
    line = unit * (6 * MAX_SENTENCE // len(unit))
    extract_prose(plan_of(line))
    assert seen, "the dictionary was never asked"
    assert max(seen) <= MAX_SENTENCE


def test_cuts_fall_on_clause_ends_and_bound_every_span():
    ends = list(range(7, 5000, 7))  # a clause mark every 7 characters, no full stop
    clauses = _cut_long([0] + ends, 5000, MAX_CLAUSE)
    sentences = _cut_long([0], 5000, MAX_SENTENCE, prefer=clauses)
    assert clauses == [0] + ends  # short clauses are not cut
    assert set(sentences) <= set(clauses)
    assert all(b - a <= MAX_SENTENCE for a, b in zip(sentences, sentences[1:] + [5000]))
    hard = _cut_long([0], 1000, MAX_CLAUSE)  # no mark at all: cut at the limit
    assert hard == list(range(0, 1000, MAX_CLAUSE))


def test_long_line_reads_each_sentence_as_a_short_line_does():
    """Scopes, years and kinds found by bisect over the line give what each sentence alone gives."""
    unit = "2020年全县小学在校生1234人。到2025年，小学在校生达到1500人，学前三年毛入园率达到95%以上。"
    alone = [(r["value"], r["year"], r["kind"], r["indicator_id"]) for r in extract_prose(plan_of(unit))]
    assert alone == [(1234.0, 2020, "baseline", alone[0][3]), (1500.0, 2025, "target", alone[0][3]),
                     (95.0, 2025, "target", "preschool_ger")]
    copies = 200
    long_rows = extract_prose(plan_of(unit * copies))
    assert [(r["value"], r["year"], r["kind"], r["indicator_id"]) for r in long_rows] == alone * copies
    assert long_rows[-1]["char_start"] == (copies - 1) * len(unit) + unit.index("95%")


def test_a_classifier_noun_stops_at_the_next_number():
    rows = extract_prose(plan_of("建成9个名师工作室" * 50))
    assert len(rows) == 50 and {r["indicator_id"] for r in rows} == {"master_teacher_studios"}
    assert all(len(r["indicator_zh"]) <= len("建成名师工作室建成") for r in rows)


def test_ratio_spelled_out_later_in_the_sentence_is_dropped():
    rows = extract_prose(plan_of("采取“1+10+100”的模式，实现1名名师指导10名骨干教师带动100名青年教师，培训教师3000人次。"))
    assert [r["value"] for r in rows] == [3000.0]


def test_limits_leave_room_above_real_plans():
    """The five plans' longest sentence is about 350 characters, their longest clause about 150."""
    assert MAX_SENTENCE >= 2 * 350 and MAX_CLAUSE >= 2 * 150 and MAX_CLAUSE < MAX_SENTENCE
    assert prose._DETACHED_REACH >= len("不低于") + 12 + 1
