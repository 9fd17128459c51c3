"""Targets, baselines and changes stated in a plan's running text (source = prose).

Most of a plan's numbers live in sentences, not tables: 到2025年，学前三年毛入园率达95%；
高中阶段毛入学率由2015年的86%提高到95%. Each number in the four domains becomes one row of
``targets`` with the year it refers to and whether it is a baseline, a target or a change.

How a number's year and kind are decided, in order:

1. a year written right before it (由2015年的86%, 增加到2020年的144.26万人) is its year;
2. a recurring norm (每年, 年均, 生均 ...) has no year;
3. else the nearest scope before it in the sentence: 到2022年底 -> 2022, “十三五”期间 -> 2020;
4. else the section: a review of the previous plan (发展基础, 成就 ...) gives the base year
   and a baseline, any other section the plan's end year and a target.

个百分点 and a change verb right before the number (较2015年提高19.1个百分点, 增长5%) make a
change. Lists share or split their labels (小学、初中入学率达到100%、99.6% gives 小学入学率 and
初中入学率); a change list with no measure of its own (比2015年分别增长6.1个百分点、13.3个百分点)
takes the measures just before it. The word lists live in ``data/prose_rules.yml``.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from . import dictionary

from ..read import numbers
from ..datafiles import package_yaml
from ..read.document import Document, as_document
from ..read.patterns import FYP_ORDINAL, first_chars
from ..read.patterns import LEADER as _LEADER
from ..read.patterns import has_leader as _has_leader
from ..read.periods import FYP, Period, fyp_ordinal, fyp_years, kind_for_year
from ..read.text import PlanText

#: Table-of-contents leaders: the one pattern of planlib.read.patterns (kept here under its old names).
LEADER = _LEADER
has_leader = _has_leader
CJK = re.compile(r"[\u4e00-\u9fff]")
SENTENCE_END = re.compile(r"[。！？!?]")
#: A clause ends at a mark, or at a run of spaces between two words (“学前教育 普及”). Written as
#: ``[，,；;：:。！？!?]|(?<=[\u4e00-\u9fff”》）)])[ \u3000\t]+(?=[\u4e00-\u9fff“《])`` reads
#: plainer, but an alternation that opens with a lookbehind makes ``re`` try both branches at
#: every character; opening with one class lets it skip ahead (a test checks the two agree).
CLAUSE_END = re.compile(r"[，,；;：:。！？!? \u3000\t](?:(?<=[，,；;：:。！？!?])"
                        r"|(?<=[\u4e00-\u9fff”》）)][ \u3000\t])[ \u3000\t]*(?=[\u4e00-\u9fff“《]))")
#: A year, or a date in it (2022年9月1日前, 2024年3月), with what follows it: 到2022年底 -> 2022.
DATE_IN_YEAR = r"(?:\s*[01]?\d\s*月(?:\s*[0-3]?\d\s*[日号])?(?:\s*[之以]?前)?)?"
YEAR_MENTION = re.compile(rf"((?:19|20)\d\d)\s*年{DATE_IN_YEAR}(底|末|前|内|以来|起)?")
DIRECT_YEAR_TAIL = re.compile(r"((?:19|20)\d\d)\s*年(?:底|末)?\s*的?\s*$")
ORIGIN = re.compile(rf"(?:由|从|自)\s*(?=(?:19|20)\d\d\s*年|[“\"]?{FYP_ORDINAL}五)")
#: 从“十二五”末期的478个: the end year of the named plan is the number's year.
DIRECT_FYP_TAIL = re.compile(rf"(?:{FYP.pattern})\s*(?:末期|期末|末)\s*的?\s*$")
#: 由56.1%上升到86.3% with no year: the first number is the level the period started from.
ORIGIN_TAIL = re.compile(r"(?:由|从)\s*$")
#: What makes a number with no measure of its own refer to the measure just named.
REFERS_BACK = re.compile(r"比|较|分别|同比|相比|增长|提高|增加|减少|下降|降低|提升|上升|年均|达到")
ITEM_NUMBER = re.compile(r"^[\s\u3000]*(?:\d{1,2}|[（(]\d{1,2}[）)])[.、．]?(?![\d%％])")
COMPARISON = re.compile(
    rf"(?:较|比|与|同)\s*(?:上年|去年|上一年|(?:19|20)\d\d\s*年(?:底|末)?|[“\"]?{FYP_ORDINAL}五[”\"]?(?:末|期间|时期)?)(?:相比|比)?")
YEAR_PHRASE = re.compile(rf"(?:到|至|截至|截止到?|在|于)?\s*(?:19|20)\d\d\s*年{DATE_IN_YEAR}(?:底|末|前|内|以来|起)?(?:的)?")
#: A comparator separated from its number by the base (不低于招聘总数的20%).
DETACHED_COMPARATOR = re.compile(r"(不低于|不少于|不小于|不高于|不超过|不多于|超过|高于|低于|不到)[^，,；;。\d]{0,12}的$")
DETACHED_MEANING = {"不低于": ">=", "不少于": ">=", "不小于": ">=", "不高于": "<=", "不超过": "<=",
                    "不多于": "<=", "超过": ">", "高于": ">", "低于": "<", "不到": "<",
                    "至少": ">=", "最少": ">=", "至多": "<=", "最多": "<="}
#: A comparator a verb or a short qualifier away from its number (至少拥有1名, 超过省定90%).
LEADING_COMPARATOR = re.compile(r"(至少|最少|至多|最多|不低于|不少于|不超过|超过)[^，,；;：:。、！？\d０-９]{0,6}$")
#: 每12个班级配备…: a number right after 每 is the size of the unit a norm counts per, no target.
PER_UNIT_TAIL = re.compile(r"每\s*$")
#: The longest match of DETACHED_COMPARATOR and LEADING_COMPARATOR (3-character word, gap, 的).
_DETACHED_REACH = 3 + 12 + 1
_LEADING_REACH = 3 + 6

#: The longest clause and sentence prose reads as one. The five plans' run to about 150 and 350
#: characters; a longer run (a line with no comma or full stop, a hostile file) is cut, the
#: sentence at a clause end, so the work per number stays bounded and a line of any length is
#: read in time proportional to its length.
MAX_CLAUSE = 300
MAX_SENTENCE = 800


def _cut_long(bounds: list[int], length: int, limit: int, prefer: list[int] = ()) -> list[int]:
    """``bounds`` (ascending starts of spans ending at the next bound or ``length``) with cuts
    added so that no span is longer than ``limit``; a cut goes on the last of ``prefer``
    (ascending) that fits, else at ``limit`` characters.

    >>> _cut_long([0, 5], 25, 8)
    [0, 5, 13, 21]
    >>> _cut_long([0], 25, 10, prefer=[4, 9, 12, 22])
    [0, 9, 12, 22]
    """
    out: list[int] = []
    ends = list(bounds[1:]) + [length]
    for start, end in zip(bounds, ends):
        out.append(start)
        while end - start > limit:
            i = bisect_right(prefer, start + limit) - 1
            start = prefer[i] if i >= 0 and prefer[i] > start else start + limit
            out.append(start)
    return out


def _ends_with_per(line: str, start: int, end: int) -> bool:
    """PER_UNIT_TAIL.search(line, start, end), looking back only over the spaces before ``end``."""
    while end > start and line[end - 1].isspace():
        end -= 1
    return end > start and line[end - 1] == "每"
#: A count written in Chinese numerals with 个 is a slogan (“八个”, 一个) unless an indicator names it.
CN_NUMERAL = re.compile(r"[零〇一二三四五六七八九十百千万两]+")
#: “十四五”, 十三五: a plan's name left in a label.
FYP_NAME = FYP
PUNCT = "、，,；;：:。\\s“”\"'（）()【】\u3000—-"

#: Patterns the helpers below use, compiled once (re.split(rf"...") rebuilt its pattern per call).
_DIGIT_AFTER = re.compile(r"的?\s*[\d０-９]")
_LIST_MARK = re.compile(r"[、/]")
_PUNCT_OR_DIGIT = re.compile(rf"[{re.escape(PUNCT)}\d]")
_DIGITS = re.compile(r"\d+")
_GAP_MARK = re.compile(r"[，,；;：:。、]")
_LIST_BREAK = re.compile(r"[；;。：:\d]")

#: Section contexts.
REVIEW, PLAN = "review", "plan"


@dataclass(frozen=True)
class Rules:
    """The compiled word lists of data/prose_rules.yml."""

    review_headings: tuple[str, ...]
    plan_headings: tuple[str, ...]
    period_scope: re.Pattern
    recurring: re.Pattern
    change_tail: re.Pattern
    label_trailing: re.Pattern
    label_leading: re.Pattern
    level_words: tuple[str, ...]
    measure_endings: tuple[str, ...]
    levels: tuple[tuple[str, tuple[str, ...]], ...]
    excluded_units: frozenset[str]
    units_needing_indicator: frozenset[str]
    excluded_words: re.Pattern
    programme: re.Pattern
    threshold_tail: re.Pattern
    threshold_person_nouns: re.Pattern
    slogan_max_gap: int
    list_verbs: tuple[str, ...] = ()
    unit_measures: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (unit, words, measure wording)
    noun_stop: re.Pattern | None = None
    name_max_length: int = 30
    name_stub: re.Pattern | None = None
    name_inner_comparator: re.Pattern | None = None
    name_inner_verb: re.Pattern | None = None
    name_leading: re.Pattern | None = None


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


#: The characters a parsed pattern's match can start with (kept here under its old name).
_first_chars = first_chars


def _gated(pattern: str) -> re.Pattern:
    """``pattern`` compiled behind a lookahead for the characters its matches can start with.

    An alternation whose branches open with character classes makes ``re`` try every branch at
    every position; one class test first skips the positions where none can start. The lookahead
    matches nothing, so the matches are exactly those of ``re.compile(pattern)``.
    """
    try:
        parsed = re._parser.parse(pattern)
        first = None if parsed.state.flags & (re.IGNORECASE | re.LOCALE) else _first_chars(parsed.data)
    except Exception:  # an internal API of re: without it, no gate
        first = None
    return re.compile(f"(?=[{first}])(?:{pattern})" if first else pattern)


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Load and compile data/prose_rules.yml once."""
    raw = package_yaml("prose_rules.yml")
    not_change = "".join(re.escape(p) for p in raw["not_change_prefixes"])
    return Rules(
        review_headings=tuple(raw["review_headings"]),
        plan_headings=tuple(raw["plan_headings"]),
        period_scope=re.compile(rf"({FYP.pattern})\s*({_alternation(raw['period_scope_words'])})"),
        recurring=re.compile("|".join([_alternation(raw["recurring_markers"])]
                                      + [f"(?:{p})" for p in raw.get("recurring_patterns", ())])),
        change_tail=re.compile(rf"(?<![{not_change}])(?:{_alternation(raw['change_verbs'])})了?\s*$"),
        label_trailing=re.compile(rf"(?:{_alternation(raw['label_trailing_words'])}|[{PUNCT}]"
                                  + "".join(f"|(?:{p})" for p in raw.get("label_trailing_patterns", ())) + ")+$"),
        label_leading=re.compile(rf"^(?:{_alternation(raw['label_leading_words'])}|[{PUNCT}])+"),
        level_words=tuple(sorted(raw["level_words"], key=len, reverse=True)),
        measure_endings=tuple(raw["measure_endings"]),
        levels=tuple((level, tuple(words)) for level, words in raw["levels"].items()),
        excluded_units=frozenset(raw["excluded_units"]),
        units_needing_indicator=frozenset(raw.get("units_needing_indicator", ())),
        excluded_words=re.compile(_alternation(raw["excluded_words"])),
        programme=_gated("|".join(f"(?:{p})" for p in raw["programme_patterns"])),
        threshold_tail=re.compile(raw["threshold_tail_pattern"]),
        threshold_person_nouns=re.compile(_alternation(raw["threshold_person_nouns"])),
        slogan_max_gap=int(raw["slogan_max_gap"]),
        list_verbs=tuple(sorted(raw.get("list_verbs", ()), key=len, reverse=True)),
        unit_measures=tuple((str(unit), tuple(spec.get("words") or ()), str(spec["measure"]))
                            for unit, spec in (raw.get("unit_measures") or {}).items()),
        noun_stop=re.compile(_alternation(raw["noun_stop_words"])) if raw.get("noun_stop_words") else None,
        name_max_length=int(raw.get("name_max_length", 30)),
        name_stub=re.compile(rf"(?:{_alternation(raw['name_stub_endings'])})$" if raw.get("name_stub_endings") else "(?!)"),
        name_inner_comparator=re.compile(_alternation(raw["name_inner_comparators"])
                                         if raw.get("name_inner_comparators") else "(?!)"),
        name_leading=re.compile("^(?:" + "|".join(f"(?:{p})" for p in raw.get("name_leading_patterns") or ["(?!)"]) + ")"),
        name_inner_verb=re.compile(_alternation(raw["name_inner_verbs"]) if raw.get("name_inner_verbs") else "(?!)"),
    )


# --- sections --------------------------------------------------------------------------

def section_contexts(plan: PlanText | Document) -> list[str | None]:
    """For each line (index 0 = line 1): 'review', 'plan' or None (before any heading).

    The innermost heading that says review or plan decides; 专栏 boxes keep their section's.
    Read from the document's outline (:func:`planlib.read.document.outline`).
    """
    return as_document(plan).outline.contexts


def section_levels(plan: PlanText | Document) -> list[str]:
    """For each line (index 0 = line 1): the education level its innermost heading names, '' if none.

    A paragraph under 2.学前教育快速发展 or （三）推进职业教育 is about that level even when its
    sentences do not repeat it; rows whose own words name no level take it from here. A 专栏
    box ends the numbered items before it (its lines often cover every level).
    """
    return as_document(plan).outline.levels


# --- scopes ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Scope:
    """A year the following numbers of a sentence refer to, and whether it is the past."""

    pos: int
    year: int | None
    context: str


def _scopes(line: str, period: Period | None) -> list[Scope]:
    """到2025年, 2022年底, “十三五”期间, 2016年以来 … in a line, in order."""
    r = rules()
    found: list[Scope] = []
    # every year mention holds 年 and every plan name 五: a line without them is not searched
    for m in YEAR_MENTION.finditer(line) if "年" in line else ():
        before = line[max(0, m.start() - 1):m.start()]
        after = line[m.end():m.end() + 2]
        if before in ("较", "比", "与", "同", "由", "从", "自") or _DIGIT_AFTER.match(after):
            continue
        year = int(m.group(1))
        if m.group(2) == "以来":
            year = period.base_year if period else None
            found.append(Scope(m.start(), year, REVIEW))
            continue
        past = period is not None and year <= period.base_year
        found.append(Scope(m.start(), year, REVIEW if past else PLAN))
    for m in r.period_scope.finditer(line) if "五" in line else ():
        before = line[max(0, m.start() - 1):m.start()]
        if before in ("较", "比", "与", "同", "《", "从", "由", "自") or "《" in line[max(0, m.start() - 20):m.start()] and "》" not in line[max(0, m.start() - 20):m.start()]:
            continue
        n = fyp_ordinal(m.group(1))
        if n is None:
            continue
        end = fyp_years(n)[1]
        past = period is not None and end <= period.base_year
        found.append(Scope(m.start(), end, REVIEW if past else PLAN))
    return sorted(found, key=lambda s: s.pos)


# --- labels ----------------------------------------------------------------------------

def clean_label(segment: str) -> str:
    """The measure named by the text before a number: no scope, verbs or comparators.

    >>> clean_label("到2025年，全县公办幼儿园占比保持在")
    '公办幼儿园占比'
    >>> clean_label("高中阶段毛入学率由2015年的")
    '高中阶段毛入学率'
    >>> clean_label("比2015年分别增长")
    ''
    """
    return _clean_label(segment) if type(segment) is str else _clean_label.__wrapped__(segment)


@lru_cache(maxsize=8192)
def _clean_label(segment: str) -> str:
    """clean_label remembered: a function of the text and the (once loaded) rules only, and
    plans repeat their boilerplate (新建、改扩建幼儿园, 到2025年，…达到)."""
    r = rules()
    s = ITEM_NUMBER.sub("", segment)
    m = None
    for m in ORIGIN.finditer(s):
        pass
    if m:
        s = s[:m.start()]
    s = COMPARISON.sub("", s)
    s = r.period_scope.sub("", s)
    s = YEAR_PHRASE.sub("", s)
    s = FYP_NAME.sub("", s)
    s = r.change_tail.sub("", s)
    for _ in range(3):  # each round is a function of s alone: once one changes nothing, none will
        before = s
        s = r.label_leading.sub("", s)
        s = r.label_trailing.sub("", s)
        s = r.change_tail.sub("", s)
        if s == before:
            break
    return s.strip()


def split_enumeration(label: str, n: int) -> list[str]:
    """n labels for n listed values: 小学、初中入学率 -> 小学入学率, 初中入学率.

    >>> split_enumeration("小学、初中入学率", 2)
    ['小学入学率', '初中入学率']
    >>> split_enumeration("城乡居民社区教育年参与率", 2)
    ['城乡居民社区教育年参与率', '城乡居民社区教育年参与率']
    """
    r = rules()
    items = [i.strip() for i in _LIST_MARK.split(label) if i.strip()]
    if n <= 1 or len(items) != n:
        return [label] * n
    last = items[-1]
    if not last.endswith(r.measure_endings):
        return items
    head = next((last[len(w):] for w in r.level_words if last.startswith(w) and len(last) > len(w)), "")
    return [it if it.endswith(r.measure_endings) or not head else it + head for it in items[:-1]] + [last]


_STANDARD_AFTER = re.compile(r"\s*(?:/[人生年月])?的?(?:补助|补贴|发放|拨付)?标准")
_PAID = re.compile(r"(?:发放|拨付|给予|落实)([^，,；;。]{2,20})")


def _paid_at_standard(line: str, end: int):
    """(indicator, name) of what a sentence pays at the standard a money amount sets (按照每月不低于400元的
    标准，对中小学发放班主任津贴), or None: the object of 发放/拨付 later in the sentence, if the dictionary
    names it as money."""
    stop = SENTENCE_END.search(line, end)
    m = _PAID.search(line, end, stop.start() if stop else len(line))
    if not m:
        return None
    ind = dictionary.fit_unit(dictionary.match_indicator(m.group(1)), "元")
    return (ind, clean_label(m.group(1))) if ind is not None else None


def _unit_measure(line: str, cand, s_start: int):
    """The measure a number's unit names with a word of its clause (360学时的全员培训) or of its
    sentence before it (增加生均图书量，到2025年，小学达25册), per ``unit_measures``; None if none."""
    q = cand.q
    clause = line[cand.clause_start:max(cand.clause_end, q.end)]
    before = line[s_start:q.start]
    for unit, words, measure in rules().unit_measures:
        if unit == q.unit and any(w in clause or w in before for w in words):
            return dictionary.match_indicator(measure)
    return None


#: A comparison base after a level verb (生均公用经费提高到普通高中[的1.5倍], 占比不低于招聘总数[的20%]):
#: what the number is compared with, no part of the measure's name.
_BASE = re.compile(r"(?:达到|达(?![标成到])|提高到|提高至|提升到|提升至|增加到|增长到|上升到|不低于|不少于|不超过|不高于|超过|高于|低于)"
                   r"[^，,；;。、\d]{1,12}$")


_ASIDE = re.compile(r"[（(][^（）()]*[）)]")


def name_of(label: str) -> str:
    """The measure's short name in a label: no comparison base, no stub or leading verb left.

    >>> name_of("特殊教育学校生均公用经费逐步提高到普通学校"), name_of("每年招聘幼儿教师占比不低于招聘总数")
    ('特殊教育学校生均公用经费', '每年招聘幼儿教师占比')
    >>> name_of("达到省定办学标准")
    '达到省定办学标准'
    """
    return _name_of(label) if type(label) is str else _name_of.__wrapped__(label)


@lru_cache(maxsize=8192)
def _name_of(label: str) -> str:
    """name_of remembered: a function of the label and the (once loaded) rules; a plan's labels
    repeat (one per number of a list) and each row asks for its name twice (the level, the name)."""
    r = rules()
    m = _BASE.search(label)
    if m and m.start() > 0:
        cut = r.label_trailing.sub("", r.label_leading.sub("", label[:m.start()]))
        if len(CJK.findall(cut)) >= 2:
            label = cut
    if label.count("“") != label.count("”"):  # 三残儿童”入学率: a quote the clause opened earlier
        label = label.replace("“", "").replace("”", "")
    label = r.label_leading.sub("", label.lstrip(".．")) or label  # 5.1+X证书…: the item number's dot
    framed = r.label_trailing.sub("", r.label_leading.sub("", r.name_leading.sub("", label)))
    if len(CJK.findall(framed)) >= 2:
        label = framed
    if len(label) > r.name_max_length:  # an aside in brackets, then a list of titles: the last item names it
        label = _ASIDE.sub("", label)
        if len(label) > r.name_max_length and "、" in label:
            label = r.label_leading.sub("", label.rsplit("、", 1)[1]) or label
    return label


def name_problems(name: str) -> list[str]:
    """Why ``name`` (an indicator_zh) reads as a clause fragment, not a measure's name; [] if it does not.

    >>> name_problems("学前三年毛入园率")
    []
    >>> name_problems("标准班额从"), name_problems("遴选高校")
    (['ends with a stub'], ['starts with a verb or adverb'])
    """
    r = rules()
    problems = []
    if len(name) > r.name_max_length:
        problems.append(f"longer than {r.name_max_length} characters")
    if not name or not (CJK.match(name) or name[0].isalnum()) or r.label_leading.match(name):
        problems.append("starts with a verb or adverb" if name and CJK.match(name) else "starts with no word")
    if r.label_trailing.search(name) or r.name_stub.search(name):
        problems.append("ends with a stub")
    if r.name_inner_comparator.search(name, 1):
        problems.append("holds a comparator")
    if r.name_inner_verb.search(name, 1):
        problems.append("holds a verb after its start")
    return problems


_NAMED_LIST = re.compile(r"^.*(?:、.*等|、.*、[^、]*)$")


def _without_named_list(label: str) -> str:
    """建成甲镇中心小学、乙镇中学、丙镇幼儿园等 (12所标准化学校): the schools a count lists by name are
    no part of the measure's name; only a verb the list opens with stays (建成).

    >>> _without_named_list("建成甲小学、乙中学、丙幼儿园等"), _without_named_list("新建甲镇、乙乡、丙镇")
    ('建成', '新建')
    >>> _without_named_list("小学、初中")
    '小学、初中'
    """
    if not _NAMED_LIST.match(label):
        return label
    return next((v for v in rules().list_verbs if label.startswith(v)), "")


PEOPLE_UNITS = frozenset({"人", "名", "人次"})
TEACHER_WORDS = re.compile(r"教师|校长|园长|师资|教职工|名师")
CLASSIFIERS = frozenset("个所名位家支人班间套")
NOUN_AFTER = re.compile(r"[^，,；;。：:、！？!?\d０-９（(]{1,20}")


def _noun_after(line: str, q, nxt: int) -> str:
    """The noun a classifier counts (9个名师工作室 -> 名师工作室), '' if none follows.

    ``nxt`` is where the next number starts (len(line) if none): the noun stops there.
    """
    if not q.unit_raw or q.unit_raw[-1] not in CLASSIFIERS or q.end >= len(line):
        return ""
    m = NOUN_AFTER.match(line, q.end)
    if not m or not CJK.match(line, q.end):
        return ""
    noun = line[q.end:min(m.end(), nxt)]
    stop = rules().noun_stop.search(noun, 1) if rules().noun_stop is not None else None
    if stop:  # 12个企业建立校企合作: the noun ends before the verb
        noun = noun[:stop.start()]
    noun = rules().label_trailing.sub("", noun)
    return noun if CJK.search(noun) else ""


@lru_cache(maxsize=1)
def _level_patterns() -> tuple:
    """One compiled alternation per level, in the rules' order of precedence."""
    return tuple((level, re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))))
                 for level, words in rules().levels if words)


def level_of(label: str) -> str:
    """The education level a label's words name (the rules' levels, in order), '' if none."""
    return _level_of(label) if type(label) is str else _level_of.__wrapped__(label)


@lru_cache(maxsize=8192)
def _level_of(label: str) -> str:
    for level, pattern in _level_patterns():
        if pattern.search(label):
            return level
    return ""


#: The role of the numbers prose reads (years, dates and ordinals are found but not built).
_QUANTITY_ONLY = frozenset({"quantity"})


# --- extraction ------------------------------------------------------------------------

@dataclass(slots=True)
class _Candidate:
    """A number of a sentence with the clause it stands in and its label, before its row is made."""

    q: object
    clause_start: int
    label: str
    backref: bool = False
    clause_end: int = 0


def _keep(q, line: str, programme_spans: list[tuple[int, int]], programme_ends: list[int]) -> bool:
    """A quantity with a unit prose reads, outside any programme name (``programme_spans``, from
    one finditer: in order, not overlapping, so ``programme_ends`` ascend and one bisect finds the
    only span that can overlap the number)."""
    r = rules()
    if q.role != "quantity" or not q.unit:
        return False
    if q.unit in r.excluded_units or (q.unit_raw or "") in r.excluded_units:
        return False
    i = bisect_right(programme_ends, q.num_start)  # the first span ending after the number starts
    return not (i < len(programme_spans) and programme_spans[i][0] < q.num_end)


def _is_threshold(q, line: str) -> bool:
    """56人以上大班额, 随班就读5人以上普通学校: a head count that defines a kind of thing, no target.

    The number is followed by 以上/以下 and a noun that counts no people (招聘100名以上教师 stays).
    """
    r = rules()
    if q.unit not in PEOPLE_UNITS:
        return False
    m = r.threshold_tail.match(line, q.num_end)
    if not m:
        return False
    noun = _PUNCT_OR_DIGIT.split(line[m.end():m.end() + 12], maxsplit=1)[0]
    return bool(noun) and CJK.match(noun) is not None and not r.threshold_person_nouns.search(noun)


RATIO = re.compile(r"(?<![\d.])\d+(?:\s*[+＋:：]\s*\d+)+(?![\d.])")
#: Every ratio holds one of these: a sentence without them is not searched (RATIO opens with a
#: lookbehind, which ``re`` tries at every character).
_RATIO_SIGN = re.compile(r"[+＋:：]")


def _ratio_parts(line: str, start: int, end: int, qs: list) -> set[int]:
    """“1+10+100”的模式，实现1名…指导10名…带动100名: the numbers that spell out a ratio (ids)."""
    dropped: set[int] = set()
    if not _RATIO_SIGN.search(line, start, end):
        return dropped
    starts = [q.start for q in qs]
    for m in RATIO.finditer(line, start, end):
        parts = _DIGITS.findall(m.group(0))
        matched, i = [], 0
        for q in qs[bisect_left(starts, m.end()):]:  # the numbers after the ratio, in order
            if id(q) in dropped:
                continue
            if q.value_raw == parts[i]:
                matched.append(q)
                i += 1
                if i == len(parts):
                    break
        if i == len(parts):
            dropped.update(id(q) for q in matched)
    return dropped


def _slogan_ones(line: str, start: int, qs: list) -> set[int]:
    """成熟1所创建1所、创建1所命名1所: a run of ones, each behind a bare verb, is a slogan (ids).

    A one counts when the words before it (back to the previous number or clause mark) are a
    few characters naming no domain; two or more such ones in a row with one unit are dropped.
    """
    r = rules()
    runs: list[list] = [[]]
    prev_end = start
    for q in qs:
        is_one = q.value == 1 and q.value_high is None
        if is_one:  # the words before it, read only for a one
            gap = _GAP_MARK.split(line[prev_end:q.num_start])[-1].strip()
            is_one = (0 < len(gap) <= r.slogan_max_gap and CJK.fullmatch(gap[-1]) is not None
                      and dictionary.domain_of(gap) is None)
        if not is_one:
            runs.append([])
        elif runs[-1] and runs[-1][-1].unit == q.unit and q.num_start - prev_end <= r.slogan_max_gap + 1:
            runs[-1].append(q)
        else:
            runs.append([q])
        prev_end = q.end
    return {id(q) for run in runs if len(run) >= 2 for q in run}


def _year_kind(line: str, cand: _Candidate, scopes: list[Scope], sentence_start: int,
               section: str | None, period: Period | None,
               scope_positions: list[int] | None = None) -> tuple[int | None, str]:
    if scope_positions is None:
        scope_positions = [s.pos for s in scopes]
    r = rules()
    q = cand.q
    tail = line[cand.clause_start:q.start]
    is_change = q.unit == "pp" or bool(r.change_tail.search(tail))
    direct = DIRECT_YEAR_TAIL.search(tail)
    direct_year = int(direct.group(1)) if direct else None
    fyp = DIRECT_FYP_TAIL.search(tail) if "末" in tail else None  # every match ends in 末(期) …
    if fyp and direct_year is None:
        number = fyp_ordinal(fyp.group(0))
        direct_year = fyp_years(number)[1] if number else None
    # the last scope before the number, if it lies in this sentence (scopes are sorted by pos)
    i = bisect_left(scope_positions, q.start) - 1
    scope = scopes[i] if i >= 0 and scopes[i].pos >= sentence_start else None
    context = scope.context if scope else (section or PLAN)
    if direct_year is None and period is not None and ORIGIN_TAIL.search(tail):
        direct_year = period.base_year - (period.end - period.start + 1) if context == REVIEW else period.base_year
    direct = direct_year is not None
    if direct:
        year = direct_year
    elif r.recurring.search(tail) or tail.endswith("每"):
        year = None
    elif scope is not None:
        year = scope.year
    elif period is not None:
        year = period.base_year if context == REVIEW else period.end
    else:
        year = None
    if is_change:
        return year, "change"
    if direct:
        if period is None:
            return year, "baseline" if context == REVIEW else "target"
        return year, kind_for_year(year, period)
    return year, "baseline" if context == REVIEW else "target"


def extract_prose(plan: PlanText | Document, skip_lines: Collection[int] = (),
                  period: Period | None = None) -> list[dict]:
    """One targets row per number of the four domains in the plan's running text.

    ``skip_lines`` are lines the table parser consumed; ``period`` defaults to the period
    the document read from the plan's opening.
    """
    r = rules()
    doc = as_document(plan)
    plan = doc.plan
    period = period or doc.period
    skip = set(skip_lines)
    contexts, heading_levels = doc.outline.contexts, doc.outline.levels
    furniture = doc.furniture  # page chrome and a table of contents: not the plan's text
    source_file = plan.source_file  # the same spelling as every other table's rows
    rows: list[dict] = []
    for n, line in enumerate(plan.lines, 1):
        if n in skip or n in furniture or not CJK.search(line):
            continue
        quantities = numbers.find_quantities(line, roles=_QUANTITY_ONLY)
        if not quantities:
            continue
        programme_spans = [m.span() for m in r.programme.finditer(line)]
        programme_ends = [b for _, b in programme_spans]
        quantities = [q for q in quantities if _keep(q, line, programme_spans, programme_ends)]
        if not quantities:
            continue
        scopes = _scopes(line, period)
        scope_positions = [sc.pos for sc in scopes]
        clause_ends = [m.end() for m in CLAUSE_END.finditer(line)]
        sentence_starts = [0] + [m.end() for m in SENTENCE_END.finditer(line)]
        if len(line) > MAX_CLAUSE:  # a shorter line holds no span to cut
            clause_ends = _cut_long([0] + clause_ends, len(line), MAX_CLAUSE)[1:]
            sentence_starts = _cut_long(sentence_starts, len(line), MAX_SENTENCE, prefer=clause_ends)
        by_sentence: dict[int, list] = {}
        for q in quantities:
            k = bisect_right(sentence_starts, q.start) - 1  # the last start <= q.start
            by_sentence.setdefault(k, []).append(q)
        for k, qs in by_sentence.items():
            s_start = sentence_starts[k]
            s_end = qs[-1].end
            noise = _ratio_parts(line, s_start, s_end, qs) | _slogan_ones(line, s_start, qs)
            qs = [q for q in qs if id(q) not in noise and not _is_threshold(q, line)
                  and not _ends_with_per(line, s_start, q.num_start)]
            if not qs:
                continue
            sentence_end = sentence_starts[k + 1] if k + 1 < len(sentence_starts) else len(line)
            made = _sentence_rows(plan, n, line, s_start, qs, clause_ends, scopes,
                                  contexts[n - 1], period, source_file, sentence_end, scope_positions)
            for row in made:
                row["level"] = row["level"] or heading_levels[n - 1]
            rows.extend(made)
    return rows


def _sentence_rows(plan, n, line, s_start, qs, clause_ends, scopes, section, period, source_file, s_end,
                   scope_positions):
    r = rules()
    sentence = line[s_start:s_end]
    groups: list[list[_Candidate]] = []
    prev_end = s_start
    for index, q in enumerate(qs):
        i = bisect_right(clause_ends, q.start)  # clause_ends ascend: [:i] are those <= q.start
        clause_start = max(s_start, clause_ends[i - 1]) if i else s_start
        seg_start = max(clause_start, prev_end)
        label = clean_label(line[seg_start:q.start])
        if label and r.recurring.fullmatch(label):
            label = ""  # 年均增长20.82%: a rate of the measure just named
        after = _noun_after(line, q, qs[index + 1].start if index + 1 < len(qs) else len(line))
        if after:  # 建成9个名师工作室: the measure follows the classifier
            label = _without_named_list(label)
            label = label + after if label and not label.endswith(after) else after
        seg = line[seg_start:q.start]
        if label.startswith("占") and groups and groups[-1][-1].label:
            label = groups[-1][-1].label + label  # 骨干教师2500人，占专任教师总量的30%
        cand = _Candidate(q, clause_start, label)
        j = bisect_right(clause_ends, q.end)  # the first clause end after the number
        cand.clause_end = clause_ends[j] - 1 if j < len(clause_ends) else len(line)
        if not label and groups and clause_start <= prev_end:
            groups[-1].append(cand)
        else:
            cand.backref = not label and bool(REFERS_BACK.search(seg) or r.recurring.search(seg))
            if not label and not cand.backref:  # 全市50%以上的学校达…标准: the measure follows
                cand.label = line[q.end:cand.clause_end].lstrip("的").strip(PUNCT)[:30]
            groups.append([cand])
        prev_end = q.end + len(after)
    out: list[dict] = []
    emitted: list[dict] = []  # rows of this sentence, kept or not, for back references
    for group in groups:
        head = group[0]
        refs: list[dict | None] = [None] * len(group)
        if head.backref and len(emitted) >= len(group):
            refs = emitted[-len(group):]
            labels = [ref["indicator_zh"] for ref in refs]
        elif head.backref:
            label = clean_label(line[head.clause_start:head.q.start]) or line[head.clause_start:head.q.start].strip(PUNCT)
            labels = [label] * len(group)
        else:
            labels = split_enumeration(head.label, len(group))
        for cand, label, ref in zip(group, labels, refs):
            previous = emitted[-1] if emitted and _listed_after(line, emitted[-1], cand) else None
            row = _row(plan, n, line, cand, label, ref, sentence, scopes, s_start, section, period, source_file,
                       previous, scope_positions)
            emitted.append(row)
            if row["domain"]:
                out.append(row)
    return out


def _listed_after(line: str, previous: dict, cand: _Candidate) -> bool:
    """True when only a list mark (、，) and the label separate this number from the previous row."""
    between = line[previous["char_end"]:cand.q.num_start]
    return bool(between) and between[0] in "、，," and not _LIST_BREAK.search(between)


def _in_list_context(label: str, previous: dict | None):
    """新建公办幼儿园8所、中小学6所 / 义务教育入学率达100%，巩固率达99%: a label the dictionary does
    not know alone, read with the verb or the level of the item listed just before it.

    Returns (indicator, label) or (None, label)."""
    if previous is None or not label:
        return None, label
    prev_label = previous["indicator_zh"]
    ind = dictionary.match_indicator(label, context=prev_label)
    if ind is not None:
        return ind, label
    verb = next((v for v in rules().list_verbs if prev_label.startswith(v)), "")
    if verb and not label.startswith(verb) and not any(label.startswith(v) for v in rules().list_verbs):
        ind = dictionary.match_indicator(verb + label)
        if ind is not None:
            return ind, verb + label
    return None, label


_ITEM_BREAK = re.compile(r"[；;]")
_ITEM_CLAUSE = re.compile(r"[，,]")


def _item_context(line: str, s_start: int, num_start: int, sentence: str) -> str:
    """What resolves the level of a label that names none: the nearest earlier clause of the same
    list item (text since the last ；) that counts something (holds a number) and names a level,
    else the whole sentence. Clauses end at commas only: 入学率、巩固率均达100% is one clause.

    有小学16所，在校生8600人；初中5所，在校生4100人: 在校生 is primary, then junior — the level
    just counted, not whichever level word of the sentence is longest.

    >>> s = "有小学16所，在校生8600人；初中5所，在校生4100人"
    >>> _item_context(s, 0, s.index("4100"), s), _item_context("在校生900人", 0, 3, "在校生900人")
    ('初中5所', '在校生900人')
    """
    breaks = [m.end() for m in _ITEM_BREAK.finditer(line, s_start, num_start)]
    start = breaks[-1] if breaks else s_start
    clauses = _ITEM_CLAUSE.split(line[start:num_start])
    for clause in reversed(clauses[:-1]):  # the last is the number's own label
        if _DIGITS.search(clause) and dictionary.level_named(clause):
            return clause
    return sentence


def _row(plan, n, line, cand, label, ref, sentence, scopes, s_start, section, period, source_file,
         previous: dict | None = None, scope_positions: list[int] | None = None) -> dict:
    r = rules()
    q = cand.q
    clause = line[cand.clause_start:q.end]
    if ref is not None:
        indicator_id, domain, level = ref["indicator_id"], ref["domain"], ref["level"]
    else:
        indicator_id, domain, level = "", None, ""
        whole_clause = line[cand.clause_start:max(cand.clause_end, q.end)]
        ind = dictionary.match_indicator_in(label, lambda: _item_context(line, s_start, q.num_start, sentence)) \
            if label else None
        if ind is None:
            ind, label = _in_list_context(label, previous)
        if ind is None and label:  # 有小学16所: a level word counted in schools
            ind = dictionary.bare_level_count(label, q.unit)
        if ind is None:  # 不少于360学时的全员培训, 生均图书……小学达25册
            ind = _unit_measure(line, cand, s_start)
            if ind is not None:
                label = (label if dictionary.bare_level(label) else "") + ind.indicator_zh
        if ind is None and q.unit.startswith("元") and _STANDARD_AFTER.match(line, q.end):
            paid = _paid_at_standard(line, q.end)  # 按照每月不低于400元的标准，对…发放班主任津贴
            if paid is not None:
                ind, label = paid
        if ind is None and q.unit == "%" and cand.clause_end > q.end:  # 义务教育学校100%达到省定办学标准
            after = line[q.end:cand.clause_end].strip(PUNCT)
            by_after = dictionary.fit_unit(dictionary.match_indicator(after), q.unit) if CJK.search(after) else None
            if by_after is not None:
                after = re.sub(r"^(?:以上|以下|左右)?的?", "", after)
                ind, label = by_after, (f"{after}的{label}" if label else after)  # 达到省定办学标准的初中学校
        fitted = dictionary.fit_unit(ind, q.unit)
        if fitted is None and ind is not None:  # the longest wording counts something else: a shorter one may fit
            fitted = dictionary.match_fitting(label, q.unit)
        if fitted is not None or not (q.unit == "%" and bool(r.change_tail.search(line[cand.clause_start:q.start]))):
            ind = fitted  # 投入增长20%: a growth rate keeps the measure it grows
        excluded = ind is None and (bool(r.excluded_words.search(whole_clause))
                                    or dictionary.is_excluded_context(clause)
                                    or (q.unit in ("个", "人", "年") and CN_NUMERAL.fullmatch(q.value_raw) is not None))
        if not excluded:
            if ind is not None:
                indicator_id, domain, level = ind.indicator_id, ind.domain, ind.level or ""
            elif q.unit not in r.units_needing_indicator:
                domain = dictionary.domain_of(label) if label else None
                domain = domain or dictionary.domain_of(line[cand.clause_start:q.end])
                if domain is None and q.unit in PEOPLE_UNITS and dictionary.domain_of(sentence) == "teachers":
                    domain = "teachers"  # 引进硕士研究生200人 in a sentence about teachers
                if domain == "schools" and q.unit in PEOPLE_UNITS:  # 为农村学校培养补充100名…教师: people, not schools
                    domain = "teachers" if TEACHER_WORDS.search(whole_clause) else "enrollment"
            level = level or level_of(name_of(label))
    year, kind = _year_kind(line, cand, scopes, s_start, section, period, scope_positions)
    comparator = q.comparator
    if comparator == "=":
        # both patterns end at the number and match a few characters: look only that far back
        detached = DETACHED_COMPARATOR.search(line, max(cand.clause_start, q.start - _DETACHED_REACH), q.start)
        detached = detached or LEADING_COMPARATOR.search(
            line, max(cand.clause_start, q.num_start - _LEADING_REACH), q.num_start)
        comparator = DETACHED_MEANING[detached.group(1)] if detached else comparator
    quote_start = cand.clause_start
    while quote_start < q.num_start and line[quote_start] in " \u3000\t":
        quote_start += 1
    return {
        "county": plan.slug,
        "indicator_id": indicator_id or "",
        "indicator_zh": name_of(label),
        "domain": domain,
        "level": level,
        "year": year,
        "kind": kind,
        "value": float(q.value),
        "value_high": float(q.value_high) if q.value_high is not None else None,
        "unit": q.unit,
        "value_raw": q.value_raw,
        "unit_raw": q.unit_raw or "",
        "comparator": comparator,
        "attribute": "",
        "source": "prose",
        "source_file": source_file,
        "line": n,
        "char_start": q.num_start,
        "char_end": q.end,
        "quote": line[quote_start:q.end],
        "table_id": "",
        "correction": "",
    }
