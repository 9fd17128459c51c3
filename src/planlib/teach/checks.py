"""The course's answer checks: each recomputes its answer from the tables (or the plan text) and raises on a wrong one.

A lesson's check cell only calls one of these (``checks.biggest_rise(answer, …)``), so the cell does not show how to
compute the answer. Every check refuses blank and trivial answers (``None``, ``""``, ``[]``, every option or every
place at once): it raises :class:`WrongAnswer` (an ``AssertionError``) whose message guides without giving the answer,
and returns a short confirmation when the answer is right.

Interpretive exercises take a structured answer, ``{"choice": "B", "evidence": ["mouxian.txt:109", ...]}``: one of the
stated options, and the plan lines that support it. The evidence is checked against the tables — each cited line
must hold one of the rows the question is about, and every side of the question must be cited. Which option is right
is decided from the tables by the rule the lesson teaches (a rate, not a headcount, compares access; the passages of
a conflict name different school levels, or do not). The written explanation that goes with it is for the instructor.

Each check is registered in :data:`EXERCISES` with the kind of answer it takes, so the tests can try the same
trivial answers on every one of them.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd


class WrongAnswer(AssertionError):
    """A wrong or incomplete answer; the message says where to look, not what the answer is."""


@dataclass(frozen=True)
class Spec:
    """What kind of answer a check takes: ``number``, ``place``, ``places``, ``term``, ``cells``, ``mapping``,
    ``choice`` (a choice plus evidence) or ``correction``; ``options`` are the stated choices, if any."""
    kind: str
    options: tuple[str, ...] = field(default_factory=tuple)


#: check function name -> Spec; filled by :func:`exercise`.
EXERCISES: dict[str, Spec] = {}


def exercise(kind: str, options: tuple[str, ...] = ()) -> Callable:
    def register(fn):
        EXERCISES[fn.__name__] = Spec(kind, tuple(options))
        fn.spec = EXERCISES[fn.__name__]
        return fn
    return register


def _ensure(condition, message: str) -> None:
    if not condition:
        raise WrongAnswer(message)


def _answered(answer) -> None:
    _ensure(answer is not None, "尚未作答 · not answered yet")
    if isinstance(answer, (str, list, tuple, set, frozenset, dict)):
        _ensure(len(answer) > 0, "答案是空的 · the answer is empty")


def _number(answer) -> float:
    _answered(answer)
    _ensure(isinstance(answer, (int, float)) and not isinstance(answer, bool) and math.isfinite(float(answer)),
            f"请给一个数 · give a number (got {type(answer).__name__})")
    return float(answer)


def _one_place(answer, places) -> str:
    _answered(answer)
    _ensure(isinstance(answer, str), "请给一个地区代码（字符串），不是列表或集合 · give one slug (a string), not a list or set")
    _ensure(answer in set(places), f"{answer!r} 不是地区代码 · is not a place's slug: one of {sorted(places)}")
    return answer


def _place_set(answer, places) -> set[str]:
    _answered(answer)
    _ensure(isinstance(answer, (set, frozenset, list, tuple)) and all(isinstance(a, str) for a in answer),
            "请给地区代码的集合 · give a set of slugs")
    unknown = set(answer) - set(places)
    _ensure(not unknown, f"不是地区代码 · not slugs: {sorted(unknown)}")
    return set(answer)


def _slug(name: str) -> str:
    return Path(str(name)).name.removesuffix(".txt")


def evidence_lines(evidence, county: str | None = None) -> set[tuple[str, int]]:
    """Cited lines as ``(slug, line)``: ``"mouxian.txt:109"``, ``"mouxian:109"``, ``("mouxian", 109)``, or a bare line
    number when the question is about one plan (``county``).

    >>> sorted(evidence_lines(["a.txt:3", ("b", 4), 5], county="a"))
    [('a', 3), ('a', 5), ('b', 4)]
    """
    _ensure(isinstance(evidence, (list, tuple, set)) and len(evidence) > 0,
            "请列出支持你的判断的行（证据） · list the lines that support your choice (the evidence)")
    out = set()
    for item in evidence:
        if isinstance(item, bool):
            raise WrongAnswer(f"不是行号 · not a line: {item!r}")
        if isinstance(item, int):
            _ensure(county is not None, "请写成 “文件:行号” · write each line as 'file.txt:line'")
            out.add((county, item))
        elif isinstance(item, str) and re.fullmatch(r"\s*[\w.\-/]+:\d+\s*", item):
            name, _, n = item.strip().rpartition(":")
            out.add((_slug(name), int(n)))
        elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], int):
            out.add((_slug(item[0]), int(item[1])))
        else:
            raise WrongAnswer(f"看不懂这条证据 · cannot read this evidence: {item!r} (use 'file.txt:line')")
    return out


def _lines_of(rows: pd.DataFrame) -> set[tuple[str, int]]:
    return {(str(c), int(n)) for c, n in zip(rows["county"], rows["line"])}


def _choice(answer, options) -> tuple[str, object]:
    _answered(answer)
    _ensure(isinstance(answer, dict) and "choice" in answer and "evidence" in answer,
            '请写成 {"choice": 选项, "evidence": [行, ...]} · answer as {"choice": option, "evidence": [lines]}')
    choice = answer["choice"]
    _ensure(isinstance(choice, str), f"只选一个选项 · choose one option, one of {list(options)}")
    _ensure(choice in options, f"{choice!r} 不是选项之一 · is not one of the options {list(options)}")
    return choice, answer["evidence"]


def _cites_each_side(cited: set, sides: dict[str, set], allowed: set, what: str) -> None:
    stray = cited - allowed
    _ensure(not stray, f"这些行不含{what} · these lines hold none of the rows in question: "
                       f"{sorted(f'{c}.txt:{n}' for c, n in stray)}")
    for side, lines in sides.items():
        _ensure(cited & lines, f"还缺 {side} 的出处 · cite a line for {side} as well")


# ---------------------------------------------------------------------------------------------
# lesson 01


@exercise("number")
def top_headings(answer, county: str, raw_dir=None) -> str:
    """Top-level headings of the plan: counted as the distinct first parts of every heading's path."""
    from ..extract.sections import sections
    from .course import plan_text

    n = _number(answer)
    secs = sections(plan_text(county, raw_dir))
    top = secs["path"].str.split("/").str[0].nunique()
    _ensure(n == top, "不对：只数第一层的标题（level 1） · not right: count only the level-1 headings")
    return f"{int(n)}"


@exercise("cells")
def table_cells(answer, targets: pd.DataFrame, county: str) -> str:
    """``{line: (indicator, year, kind)}`` for the cells :func:`course.cells_to_rebuild` asks about."""
    from .course import cells_to_rebuild

    first, asked = cells_to_rebuild(targets, county)
    _answered(answer)
    _ensure(isinstance(answer, dict), "请写成 {行号: (指标, 年份, 类型)} · answer as {line: (indicator, year, kind)}")
    _ensure(sorted(answer) == list(asked), f"请回答这几行 · answer these lines: {list(asked)}")
    for n, cell in answer.items():
        _ensure(isinstance(cell, (tuple, list)) and len(cell) == 3, f"第 {n} 行：请给 (指标, 年份, 类型) · line {n}: give (indicator, year, kind)")
        name, year, kind = cell
        row = first[first["line"] == n].iloc[0]
        _ensure(isinstance(name, str) and name and (name in row["indicator_zh"] or row["indicator_zh"] in name),
                f"第 {n} 行的指标名不对：它属于哪一行标签？ · line {n}: wrong indicator — which row label does it sit under?")
        _ensure(isinstance(kind, str) and kind in ("baseline", "target", "change"),
                f"第 {n} 行：类型是 baseline、target 或 change 之一 · line {n}: the kind is one of baseline, target, change")
        _ensure(isinstance(year, int) and (year, kind) == (int(row["year"]), row["kind"]),
                f"第 {n} 行的年份或类型不对：数一数它是表头之后的第几列 · line {n}: wrong year or kind — count its column")
    return ", ".join(str(n) for n in asked)


@exercise("mapping")
def binding_lines(answer, targets: pd.DataFrame) -> str:
    """``{place: [lines]}``: every plan that marks indicators binding, with every line of its binding rows."""
    _answered(answer)
    places = set(targets["county"])
    _ensure(isinstance(answer, dict), "请写成 {地区: [行号, ...]} · answer as {place: [line, ...]}")
    unknown = set(answer) - places
    _ensure(not unknown, f"不是地区代码 · not slugs: {sorted(unknown)}")
    binding = targets[targets["attribute"] == "binding"]
    truth = {c: set(g["line"].astype(int)) for c, g in binding.groupby("county")}
    for place, lines in answer.items():
        _ensure(isinstance(lines, (list, tuple, set)) and all(isinstance(n, int) and not isinstance(n, bool) for n in lines),
                f"{place}: 请给行号列表 · give a list of line numbers")
        _ensure(place in truth, f"{place} 的规划没有标为约束性的指标 · {place}'s plan marks no indicator binding")
        stray = set(lines) - truth[place]
        _ensure(not stray, f"{place}: 这些行没有约束性指标 · these lines hold no binding indicator: {sorted(stray)}")
        _ensure(set(lines) == truth[place], f"{place}: 还缺几行 · some binding lines are missing")
    missing = set(truth) - set(answer)
    _ensure(not missing, f"还有 {len(missing)} 个地区标了约束性指标 · {len(missing)} more plan(s) mark binding indicators")
    return ", ".join(f"{p}: {len(v)}" for p, v in sorted(truth.items()))


TABLE_OR_TEXT = ("table", "prose", "mean")


@exercise("choice", TABLE_OR_TEXT)
def table_or_text(answer, targets: pd.DataFrame, checks: pd.DataFrame, county: str) -> str:
    """Which value a comparison uses when the plan's table and text disagree: the table's, cited."""
    from .course import table_text_conflict

    choice, evidence = _choice(answer, TABLE_OR_TEXT)
    finding, rows = table_text_conflict(checks, targets, county)
    table = rows[rows["source"] == "table"]
    _ensure(choice == "table", "再想想：哪一处给出了定义清楚的基期、年份和属性？ · think again: which one states a defined "
                               "baseline, year and attribute?")
    cited = evidence_lines(evidence, county)
    _ensure(cited <= _lines_of(table),
            "证据应是指标表中这一指标、这一年的行 · the evidence is the table's line(s) for this indicator and year")
    _ensure(cited == _lines_of(table), "还有指标表的行给出同一个数，也引上 · another table line states it too: cite every one")
    return f"{finding['message']}"


# ---------------------------------------------------------------------------------------------
# lesson 02


def _rises(targets: pd.DataFrame, indicator_id: str) -> dict[str, float]:
    from .course import endpoints

    ends = endpoints(targets, [indicator_id]).dropna(subset=["baseline", "target"])
    return {r.county: float(r.target - r.baseline) for r in ends.itertuples()}


@exercise("place")
def biggest_rise(answer, targets: pd.DataFrame, indicator_id: str = "senior_secondary_ger") -> str:
    rise = _rises(targets, indicator_id)
    place = _one_place(answer, set(targets["county"]))
    _ensure(place in rise, f"{place} 没有同时给出基期和目标 · {place} does not give both a baseline and a target")
    _ensure(all(rise[place] >= r for r in rise.values()),
            f"{place} 提高 {rise[place]:.1f} 个百分点，但还有地区提高得更多 · another place rises more")
    return f"{place} +{rise[place]:.1f}"


@exercise("places")
def shrinking(answer, targets: pd.DataFrame, indicator_id: str) -> str:
    from .course import endpoints

    ends = endpoints(targets, [indicator_id]).dropna(subset=["baseline", "target"])
    truth = set(ends.loc[ends["target"] < ends["baseline"], "county"])
    named = _place_set(answer, set(targets["county"]))
    stated = set(ends["county"])
    _ensure(named <= stated, "有的地区没有同时给出基期和目标，不能说它“减少” · some places you named give no baseline "
                             "and target pair: they cannot be said to shrink")
    _ensure(not (named - truth), "你列出的地区中有的并没有减少 · a place you named does not shrink")
    _ensure(not (truth - named), "还有地区的目标低于基期 · another place's target is below its baseline")
    return ", ".join(sorted(truth))


def _measure_rows(targets, derived, option, places):
    """Rows of each place for one option: ``("target", indicator_id)`` or ``("derived", derived_id, indicator_id)``."""
    if option[0] == "derived":
        rows = derived[(derived["derived_id"] == option[1]) & (derived["indicator_id"] == option[2])]
        rows = rows[rows["county"].isin(places)]
        lines = {(str(c), int(n)) for c, inputs in zip(rows["county"], rows["inputs"])
                 for part in str(inputs).split(";") if part.startswith("data/")
                 for n in [part.rpartition(":")[2]] if n.isdigit()}
        return rows, lines
    kind, indicator_id, year = option[0], option[1], option[2]
    rows = targets[(targets["indicator_id"] == indicator_id) & (targets["kind"] == kind)
                   & (targets["year"] == year) & targets["county"].isin(places)]
    return rows, _lines_of(rows)


def _comparable(rows: pd.DataFrame, places) -> bool:
    """Both places state it, on one basis and unit, and it is measured against the population it serves: a rate
    (毛入学率, a budget share) or an amount per pupil — not a headcount or a total, which grow with the place's
    size, nor a growth rate, which says how fast, not how far."""
    if set(rows["county"]) != set(places):
        return False
    if "basis" in rows and rows["basis"].nunique() > 1 or rows["unit"].nunique() > 1:
        return False
    if "measure_type" in rows:
        return bool((rows["measure_type"] == "rate").all())
    return bool(rows["unit"].astype(str).str.contains("/人").all())  # a derived per-pupil amount (元/人)


ACCESS_OPTIONS = ("A", "B", "C")


def access_measures(period_end: int) -> dict[str, tuple]:
    """The measures lesson 02 offers for comparing upper-secondary access in two places."""
    return {"A": ("target", "senior_secondary_enrollment", period_end),
            "B": ("derived", "growth_pct", "senior_secondary_enrollment"),
            "C": ("target", "senior_secondary_ger", period_end)}


@exercise("choice", ACCESS_OPTIONS)
def comparable_access(answer, targets: pd.DataFrame, derived: pd.DataFrame, pair, period_end: int) -> str:
    """The measure that compares two places' upper-secondary access like with like (a rate of the age group)."""
    return _comparable_choice(answer, ACCESS_OPTIONS, access_measures(period_end), targets, derived, pair,
                              "这个量随地区规模（人口）而变，或两地没有同样口径的数 · this measure grows with the "
                              "place's size, or the two places do not both state it on one basis")


def _comparable_choice(answer, options, measures, targets, derived, pair, why: str) -> str:
    """A choice of the measure that compares two places like with like, and the lines that show it on each side."""
    choice, evidence = _choice(answer, options)
    good = [k for k, opt in measures.items() if _comparable(_measure_rows(targets, derived, opt, pair)[0], pair)]
    _ensure(choice in good, why)
    rows, lines = _measure_rows(targets, derived, measures[choice], pair)
    cited = evidence_lines(evidence)
    _cites_each_side(cited, {p: {(c, n) for c, n in lines if c == p} for p in pair}, lines, "这一指标")
    return f"{choice}: " + ", ".join(f"{r.county} {r.value:g}{r.unit}" for r in rows.itertuples())


# ---------------------------------------------------------------------------------------------
# lesson 03


@exercise("place")
def most_key_per_100(answer, ratios: pd.DataFrame, plans: pd.DataFrame) -> str:
    end_year = dict(zip(plans["county"], plans["period_end"]))
    key = ratios[(ratios["indicator_id"] == "key_teachers") & (ratios["kind"] == "target")
                 & (ratios["year"] == ratios["county"].map(end_year))]
    place = _one_place(answer, set(plans["county"]))
    _ensure(len(key), "没有可比的行 · no comparable rows in the tables")
    mine = key[key["county"] == place]["per_100_students"]
    _ensure(len(mine), f"{place} 没有目标年的骨干教师目标与学生数配对 · {place} has no such pair for its end year")
    _ensure((key["per_100_students"] <= mine.max()).all(), "还有地区更高 · another place is higher")
    return f"{place} {mine.max():.3f}"


@exercise("number")
def per_100(answer, ratios: pd.DataFrame) -> str:
    n = _number(answer)
    expected = float(ratios.iloc[0]["per_100_students"])
    _ensure(abs(n - expected) < 1e-3, "不对：是每百名学生，不是每名学生，也不是百分比的倒数 · not right: per 100 students")
    return f"{n:.3f}"


SCOPE_OPTIONS = ("same_scope", "two_scopes", "misread")


def _passage_levels(row, raw_dir) -> set[str]:
    """School levels a row's passage names: a table cell has its row's level; a prose number, the levels named in
    its sentence (the text up to and after it, to 。；)."""
    from ..extract.prose import _level_patterns  # the prose rules' level words
    from .course import plan_text

    if row["source"] == "table":
        return {row["level"]} if isinstance(row["level"], str) and row["level"] else set()
    line = plan_text(row["county"], raw_dir).line(int(row["line"]))
    at = int(row["char_start"])
    start = max(line.rfind(p, 0, at) for p in "。；;") + 1
    ends = [i for i in (line.find(p, at) for p in "。；;") if i >= 0]
    sentence = line[start:(min(ends) + 1 if ends else len(line))]
    return {level for level, pattern in _level_patterns() if pattern.search(sentence)}


def scope_of_conflict(rows: pd.DataFrame, raw_dir=None) -> str:
    """``two_scopes`` when the conflicting rows differ in basis or span, or their passages name disjoint school
    levels (义务教育 vs 普通高中); else ``same_scope``: the plan states one thing twice with two values."""
    if rows["basis"].nunique() > 1 or rows[["span_start", "span_end"]].astype(str).drop_duplicates().shape[0] > 1:
        return "two_scopes"
    levels = [_passage_levels(r, raw_dir) for _, r in rows.iterrows()]
    named = [lv for lv in levels if lv]
    if len(named) >= 2 and any(not (a & b) for i, a in enumerate(named) for b in named[i + 1:]):
        return "two_scopes"
    return "same_scope"


@exercise("choice", SCOPE_OPTIONS)
def conflict_scope(answer, targets: pd.DataFrame, checks: pd.DataFrame, domain: str, raw_dir=None,
                   severity: str | None = None) -> str:
    """Source error or two scopes: the finding :func:`course.conflict_finding` picks, decided by reading the passages."""
    from .course import conflict_finding, plan_text

    choice, evidence = _choice(answer, SCOPE_OPTIONS)
    finding, rows = conflict_finding(checks, targets, domain, severity)
    on_line = all(str(r.quote) in plan_text(r.county, raw_dir).line(int(r.line)) for r in rows.itertuples())
    _ensure(choice != "misread" or not on_line, "每个数字都在它引用的那一行上 · each number is on the line it cites")
    truth = scope_of_conflict(rows, raw_dir) if on_line else "misread"
    _ensure(choice == truth, "再读一遍这两段：它们说的是同一学段、同一群体吗？ · read both passages again: "
                             "are they about the same school level and group?")
    county = str(finding["county"])
    cited = evidence_lines(evidence, county)
    sides = {f"{county}.txt:{int(n)}": {(county, int(n))} for n in rows["line"]}
    _cites_each_side(cited, sides, _lines_of(rows), "这条发现涉及的数")
    return f"{truth}: {finding['message']}"


# ---------------------------------------------------------------------------------------------
# lesson 04


@exercise("places")
def places_with_target(answer, targets: pd.DataFrame, indicator_id: str, year: int) -> str:
    rows = targets[(targets["indicator_id"] == indicator_id) & (targets["kind"] == "target") & (targets["year"] == year)]
    truth = set(rows["county"])
    named = _place_set(answer, set(targets["county"]))
    _ensure(not (named - truth), "你列出的地区中有的没有这一目标 · a place you named states no such target")
    _ensure(not (truth - named), "还有地区给出了这一目标 · another place states this target")
    return ", ".join(sorted(truth))


@exercise("number")
def share_unquantified(answer, sentences: pd.DataFrame) -> str:
    n = _number(answer)
    _ensure(0 <= n <= 1, "占比在 0 到 1 之间 · a share lies between 0 and 1")
    without = sum(1 for q in sentences["quantified"] if not q)
    _ensure(abs(n - without / len(sentences)) < 0.005, "不对：分母是谈经费的句子数 · not right: divide by the funding sentences")
    return f"{n:.2f}"


FUNDING_OPTIONS = ("A", "B", "C", "D")


def funding_measures(base_year: int) -> dict[str, tuple]:
    """The measures lesson 04 offers for comparing two places' education-spending effort."""
    return {"A": ("baseline", "edu_investment", base_year),
            "B": ("derived", "annual_mean", "edu_investment"),
            "C": ("baseline", "edu_spending_budget_share", base_year),
            "D": ("derived", "per_pupil", "edu_investment")}


@exercise("choice", FUNDING_OPTIONS)
def comparable_funding(answer, targets: pd.DataFrame, derived: pd.DataFrame, pair, base_year: int) -> str:
    """The measure that compares two places' spending effort like with like: both state it, on one basis, and it does
    not grow with the place's size."""
    return _comparable_choice(answer, FUNDING_OPTIONS, funding_measures(base_year), targets, derived, pair,
                              "这个量随地区规模而变，或两地没有同样口径的数（看 basis、unit 和 derived_missing） · "
                              "this measure grows with size, or the two places do not both state it on one basis")


# ---------------------------------------------------------------------------------------------
# lesson 05


@exercise("number")
def n_errors(answer, checks: pd.DataFrame) -> str:
    n = _number(answer)
    counted = sum(1 for s in checks["severity"] if s == "error")
    _ensure(n == counted, "不对：只数 severity 为 error 的 · not right: count only severity == 'error'")
    return f"{int(n)}"


@exercise("place")
def most_findings(answer, checks: pd.DataFrame, places) -> str:
    place = _one_place(answer, places)
    relevant = checks[checks["severity"].isin(["error", "warning"])]
    per_place = {p: int((relevant["county"] == p).sum()) for p in places}
    _ensure(all(per_place[place] >= n for n in per_place.values()),
            f"{place} 有 {per_place[place]} 条，但有地区更多（info 不算） · another place has more (info does not count)")
    return f"{place} {per_place[place]}"


# ---------------------------------------------------------------------------------------------
# lesson 06


@exercise("term")
def top_term(answer, top: pd.DataFrame, county: str, plan, exclude=()) -> str:
    _answered(answer)
    _ensure(isinstance(answer, str), "请给一个词（字符串） · give one term (a string)")
    mine = top[top["county"] == county].set_index("term")
    _ensure(answer not in set(exclude), "这是地名 · that is a place name")
    _ensure(answer in mine.index, "它不在这份规划的前几名里 · not among this plan's top terms")
    _ensure(mine.loc[answer, "score"] == mine["score"].max(), "还有词得分更高 · another term scores higher")
    first_line = int(mine.loc[answer, "first_line"])
    _ensure(answer in plan.line(first_line), "词与它的出处不符 · the term is not on its cited line")
    return f"{answer} (line {first_line})"


@exercise("number")
def lines_with_term(answer, plan, term: str) -> str:
    n = _number(answer)
    counted = sum(1 for line in plan.lines if term in line)
    _ensure(n == counted, "不对：每行只算一次 · not right: a line counts once")
    return f"{int(n)}"


@exercise("number")
def supply_share(answer, coded: pd.DataFrame) -> str:
    n = _number(answer)
    seen = {(r.line, r.sentence_no, r.category) for r in coded.itertuples()}
    n_supply = sum(1 for _, _, cat in seen if cat == "supply")
    _ensure(abs(n - n_supply / len(seen)) < 0.005,
            "不对：一个句子命中几个供给型关键词只算一次 · not right: a sentence counts once per category")
    return f"{n:.2f}"


CATEGORIES = ("supply", "environment", "demand")


@exercise("correction")
def recode(answer, coded: pd.DataFrame, from_category: str = "supply") -> str:
    """One researcher's correction of a sentence the dictionary codes ``from_category``: it names one coded sentence
    and gives it another of the three categories. Whether the recoding is right is for the written answer."""
    _answered(answer)
    _ensure(isinstance(answer, dict) and {"line", "sentence_no", "category"} <= set(answer),
            '请写成 {"line": 行号, "sentence_no": 句号, "category": 类别} · answer as {"line", "sentence_no", "category"}')
    line, no, category = answer["line"], answer["sentence_no"], answer["category"]
    _ensure(isinstance(line, int) and isinstance(no, int), "行号和句号是整数，一次只改一句 · line and sentence_no are "
                                                          "whole numbers: one sentence at a time")
    _ensure(isinstance(category, str) and category in CATEGORIES, f"类别是其中之一 · the category is one of {list(CATEGORIES)}")
    rows = coded[(coded["line"] == line) & (coded["sentence_no"] == no)]
    _ensure(len(rows), f"第 {line} 行第 {no} 句没有被编码 · that sentence is not coded")
    _ensure((rows["category"] == from_category).any(), f"词典没有把这一句编为 {from_category} · the dictionary does not code it {from_category}")
    _ensure(category != from_category, "更正要改变类别 · a correction changes the category")
    return f"line {line} sentence {no}: {from_category} → {category}"
