"""The indicator dictionary and the matching of Chinese wordings to it.

Plans word the same measure many ways (学前三年毛入园率 = 学前教育毛入园率 = 学前教育三年毛入园率),
and table rows often leave the level to their section (在校学生数 under 义务教育) or parent row
(其中：普通小学 under 在校学生数). The wordings live in data files
(``data/indicators.yml``, ``data/domain_keywords.yml``), so a new plan needs new aliases, not new code.

>>> match_indicator("学前三年毛入园率（%）").indicator_id
'preschool_ger'
>>> match_indicator("在校学生数（万人）", context="高中阶段教育").indicator_id
'senior_secondary_enrollment'
>>> match_indicator("其中：普通小学", context="在校学生数（万人）").indicator_id
'primary_enrollment'
>>> domain_of("培育市级骨干教师")
'teachers'
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache

import pandas as pd

from .. import schema
from ..datafiles import read_yaml
from ..errors import PlanlibError
from ..paths import PACKAGE_DATA, resolve
from ..read.patterns import LEADER

INDICATORS_FILE = PACKAGE_DATA / "indicators.yml"
KEYWORDS_FILE = PACKAGE_DATA / "domain_keywords.yml"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_QUOTES = str.maketrans("", "", "“”‘’\"'《》〈〉「」『』【】")
_CLAUSE_MARKS = re.compile(r"[,;。!?、:]")
_NUMBERING = re.compile(
    r"^(?:[0-9]+[.、)]|[一二三四五六七八九十]+[、.]|[①-⑳]|第[一二三四五六七八九十]+[章节部分篇]|[a-zA-Z][.、)]|[-—*·•])+")
_BARE_LEVEL_SUFFIXES = ("", "教育", "学校", "阶段")
_OPEN_UNIT = re.compile(r"\((?:%|‰|万?人次?|年|个|所|间|[万亿]?元|平方米|万平方米)?$")


class DictionaryError(PlanlibError):
    """The indicator dictionary (a data file) contradicts itself."""


@dataclass(frozen=True)
class Indicator:
    """One indicator as the dictionary defines it (mirrors an entry of indicators.yml)."""

    indicator_id: str
    indicator_zh: str
    label_en: str
    domain: str
    level: str
    unit: str
    definition: str
    aliases_zh: tuple[str, ...]
    min_value: float | None = None
    max_value: float | None = None
    max_abs_change: float | None = None
    measure_type: str = ""  # stock | flow | rate | money | designation | other (schema.MEASURE_TYPES)


# ----------------------------------------------------------------------------- normalising

_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)")
_AMONG = re.compile(r"^其中[:,]?")
_DIGIT = re.compile(r"[0-9]")


def normalize_label(text: str) -> str:
    """The wording without what varies between plans: width, spaces, quotes, bracketed units, numbering, 其中.

    >>> normalize_label(" 其中：普通小学 ")
    '普通小学'
    >>> normalize_label("学前教育毛入园率(%")
    '学前教育毛入园率'
    >>> normalize_label("2.中职“双师型”教师比例（%）")
    '中职双师型教师比例'
    """
    return _normalized(text if type(text) is str else str(text or ""))


@lru_cache(maxsize=16384)
def _normalized(text: str) -> str:
    """normalize_label of a str, remembered: prose asks for the same sentence once per number in it."""
    s = unicodedata.normalize("NFKC", text)
    s = _SPACES.sub("", s).translate(_QUOTES)
    if "(" in s:
        previous = None
        while previous != s:  # innermost brackets first: (a(b)) -> (a) -> ''
            previous, s = s, _BRACKETED.sub("", s)
        s = _OPEN_UNIT.sub("", s)  # a unit bracket left open at the end: 毛入园率(%
    s = _NUMBERING.sub("", s)
    s = _AMONG.sub("", s)
    return s.strip(":,;。、%‰")


def _plain(text: str) -> str:
    """NFKC without spaces, for keyword look-ups (keeps brackets and numbers)."""
    return _plain_str(text if type(text) is str else str(text or ""))


@lru_cache(maxsize=4096)
def _plain_str(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


# ----------------------------------------------------------------------------- loading

def _as_float(value) -> float | None:
    return None if value is None or value == "" else float(value)


@lru_cache(maxsize=8)
def _load(path: str) -> dict[str, Indicator]:
    raw = read_yaml(path)
    entries = raw.get("indicators") or []
    out: dict[str, Indicator] = {}
    owner: dict[str, str] = {}
    problems: list[str] = []
    for entry in entries:
        iid = str(entry.get("indicator_id", ""))
        if not _ID.match(iid):
            problems.append(f"bad indicator_id {iid!r}")
            continue
        if iid in out:
            problems.append(f"{iid}: listed twice")
        zh = str(entry.get("indicator_zh", ""))
        aliases = [zh, *[str(a) for a in entry.get("aliases_zh") or []]]
        normalised: list[str] = []
        for alias in aliases:
            key = normalize_label(alias)
            if not key or _CLAUSE_MARKS.search(key):
                problems.append(f"{iid}: alias {alias!r} is empty or holds a clause mark after normalising")
                continue
            if key in owner and owner[key] != iid:
                problems.append(f"alias {alias!r} listed under {owner[key]} and {iid}")
            owner.setdefault(key, iid)
            if key not in normalised:
                normalised.append(key)
        domain, level = entry.get("domain"), entry.get("level") or ""
        if domain not in schema.DOMAINS:
            problems.append(f"{iid}: domain {domain!r} not in {schema.DOMAINS}")
        if level not in schema.LEVELS + ("",):
            problems.append(f"{iid}: level {level!r} not in {schema.LEVELS}")
        ind = Indicator(
            indicator_id=iid, indicator_zh=zh, label_en=str(entry.get("label_en", "")), domain=str(domain),
            level=level, unit=str(entry.get("unit", "")), definition=str(entry.get("definition", "")),
            aliases_zh=tuple(normalised), min_value=_as_float(entry.get("min_value")),
            max_value=_as_float(entry.get("max_value")), max_abs_change=_as_float(entry.get("max_abs_change")),
            measure_type=str(entry.get("measure_type") or ""))
        if ind.measure_type not in schema.MEASURE_TYPES:
            problems.append(f"{iid}: measure_type {ind.measure_type!r} not in {schema.MEASURE_TYPES}")
        if ind.min_value is not None and ind.max_value is not None and ind.min_value > ind.max_value:
            problems.append(f"{iid}: min_value > max_value")
        if ind.max_abs_change is not None and ind.max_abs_change < 0:
            problems.append(f"{iid}: max_abs_change < 0")
        out[iid] = ind
    for entry in entries:
        share = entry.get("share_id")
        if share is not None and (share not in out or out[share].unit != "%"):
            problems.append(f"{entry.get('indicator_id')}: share_id {share!r} is not a '%' indicator")
    for entry in entries:
        multiple = entry.get("multiple_id")
        if multiple is not None and (multiple not in out or out[multiple].unit != "倍"):
            problems.append(f"{entry.get('indicator_id')}: multiple_id {multiple!r} is not a '倍' indicator")
    for measure in raw.get("generic_measures") or []:
        for label in measure.get("labels") or []:
            if normalize_label(label) in owner:
                problems.append(f"generic label {label!r} is also an alias of {owner[normalize_label(label)]}")
        targets = list((measure.get("by_level") or {}).items()) + [("default", measure.get("default"))]
        for level, iid in targets:
            if iid is not None and iid not in out:
                problems.append(f"generic measure {measure.get('measure')}: {level} -> unknown id {iid!r}")
    for level in raw.get("levels") or {}:
        if level not in schema.LEVELS:
            problems.append(f"levels: {level!r} not in {schema.LEVELS}")
    if problems:
        raise DictionaryError(f"{path}: " + "; ".join(problems))
    return out


def load_indicators(path=None) -> dict[str, Indicator]:
    """Indicators by id, read once per file (``path`` defaults to the packaged indicators.yml; relative to the current directory)."""
    return dict(_load(str(resolve(path, INDICATORS_FILE))))


@dataclass(frozen=True)
class _Matcher:
    """Everything matching needs, prepared once: aliases longest first, generic measures, level words."""

    indicators: dict
    aliases: tuple[tuple[str, str], ...]                       # (alias, id), longest first
    generics: tuple[tuple[str, dict, str | None], ...]         # (label, by_level, default), longest first
    levels: tuple[tuple[str, str], ...]                        # (word, level), longest first
    shares: dict                                               # count id -> id of the same measure as a share
    multiples: dict = None                                     # id -> id of the same measure as a multiple (倍)


@lru_cache(maxsize=8)
def _matcher(path: str = str(INDICATORS_FILE)) -> _Matcher:
    indicators = _load(path)
    raw = read_yaml(path)
    aliases = sorted(((a, i.indicator_id) for i in indicators.values() for a in i.aliases_zh),
                     key=lambda pair: -len(pair[0]))
    generics = sorted(((normalize_label(label), dict(m.get("by_level") or {}), m.get("default"))
                       for m in raw.get("generic_measures") or [] for label in m.get("labels") or []),
                      key=lambda g: -len(g[0]))
    levels = sorted(((normalize_label(w), level) for level, words in (raw.get("levels") or {}).items()
                     for w in words), key=lambda pair: -len(pair[0]))
    shares = {str(e["indicator_id"]): str(e["share_id"]) for e in raw.get("indicators") or [] if e.get("share_id")}
    multiples = {str(e["indicator_id"]): str(e["multiple_id"])
                 for e in raw.get("indicators") or [] if e.get("multiple_id")}
    return _Matcher(indicators, tuple(aliases), tuple(generics), tuple(levels), shares, multiples)


# ----------------------------------------------------------------------------- matching

_FINDERS: dict[int, tuple[tuple, re.Pattern, dict]] = {}


def _finder(pairs: tuple) -> tuple[re.Pattern, dict]:
    """For a (long-lived) pairs tuple, built once: a pattern that reports at every position the
    longest key starting there, and each key's value (the first pair's, as the pairs come).

    The pattern is a zero-width lookahead over the keys grouped by first character, each group
    in the pairs' order (longest first), so the first alternative that matches is the longest.
    """
    cached = _FINDERS.get(id(pairs))
    if cached is not None and cached[0] is pairs:
        return cached[1], cached[2]
    groups: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    for key, value in pairs:
        if key:
            groups.setdefault(key[0], []).append(re.escape(key[1:]))
            values.setdefault(key, value)
    if not groups:
        pattern = re.compile(r"(?!)")  # no key: never matches
    else:
        pattern = re.compile("(?=(" + "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})"
                                               for first, rests in groups.items()) + "))")
    _FINDERS[id(pairs)] = (pairs, pattern, values)
    return pattern, values


def _longest(text: str, pairs: tuple) -> tuple[str, object, int] | None:
    """The longest key found in ``text`` (pairs sorted longest first); among equals the one nearest the end.

    One regex pass reports the longest key at each position; positions only grow, so a key at
    least as long as the best so far replaces it.
    """
    pattern, values = _finder(pairs)
    best, best_len = None, 0
    for m in pattern.finditer(text):
        key = m.group(1)
        if len(key) >= best_len:
            best, best_len = m, len(key)
    if best is None:
        return None
    key = best.group(1)
    return key, values[key], best.start()


_GENERIC_PAIRS: dict[int, tuple] = {}


def _generic_pairs(m: _Matcher) -> tuple:
    pairs = _GENERIC_PAIRS.get(id(m.generics))
    if pairs is None:
        pairs = _GENERIC_PAIRS[id(m.generics)] = tuple((g[0], g) for g in m.generics)
    return pairs


def _level_in(text: str, m: _Matcher) -> str | None:
    hit = _longest(text, m.levels)
    return hit[1] if hit else None


def level_named(text: str) -> str:
    """The education level a phrase or heading names (longest level word wins), '' if none.

    >>> level_named("着力普及普惠，推进特殊教育品质提升")
    'special'
    """
    return _level_in(normalize_label(text), _matcher()) or ""


def _generic(segment: str, context: str, m: _Matcher):
    """A generic measure in ``segment`` with its level from the segment, else from the context."""
    hit = _longest(segment, _generic_pairs(m))
    if not hit:
        return None
    _, (label, by_level, default), pos = hit
    level = _level_in(segment.replace(label, "|"), m) or _level_in(context, m)
    iid = default if level is None else by_level.get(level)
    return (iid, pos + len(label)) if iid else None


_BARE_LEVELS: dict[int, dict[str, str]] = {}


def _bare_level_forms(m: _Matcher) -> dict[str, str]:
    """Every label that is just a level word (plus an allowed suffix) -> its level; the first word wins."""
    forms = _BARE_LEVELS.get(id(m.levels))
    if forms is None:
        forms = {}
        for word, level in m.levels:
            for suffix in _BARE_LEVEL_SUFFIXES:
                forms.setdefault(word + suffix, level)
        _BARE_LEVELS[id(m.levels)] = forms
    return forms


def _bare_level(segment: str, context: str, m: _Matcher) -> str | None:
    """A row label that only names a level (其中：普通小学) takes its measure from the context."""
    level = _bare_level_forms(m).get(segment)
    if level is None:
        return None
    hit = _longest(context, _generic_pairs(m))
    return hit[1][1].get(level) if hit else None


def bare_level(label: str) -> str:
    """The level a label names when it names nothing else (小学, 普通初中, 高中阶段), '' otherwise.

    >>> bare_level("小学"), bare_level("普通高中"), bare_level("小学专任教师"), bare_level("城区")
    ('primary', 'general_high', '', '')
    >>> bare_level("其中：普通初中"), bare_level("初中入学率")
    ('junior', '')
    """
    return _bare_level_forms(_matcher()).get(normalize_label(label), "")


@lru_cache(maxsize=8)
def _bare_counts(path: str = str(INDICATORS_FILE)) -> dict[str, dict[str, str]]:
    """unit -> {level: id} from the generic measures' ``bare_units`` (有小学16所: 小学 in 所)."""
    out: dict[str, dict[str, str]] = {}
    for measure in read_yaml(path).get("generic_measures") or []:
        for unit in measure.get("bare_units") or []:
            out.setdefault(str(unit), {}).update(measure.get("by_level") or {})
    return out


def bare_level_count(label: str, unit: str) -> Indicator | None:
    """The measure a label that only names a level counts in ``unit`` (有小学16所, 初中5所), or None.

    >>> bare_level_count("小学", "所").indicator_id, bare_level_count("其中：普通初中", "所").indicator_id
    ('primary_schools', 'junior_schools')
    >>> bare_level_count("小学", "人") is None, bare_level_count("新建小学", "所") is None
    (True, True)
    """
    m = _matcher()
    by_level = _bare_counts().get(unit)
    level = _bare_level_forms(m).get(normalize_label(label)) if by_level else None
    iid = by_level.get(level) if level else None
    return m.indicators[iid] if iid else None


def match_indicator(label: str, context: str = "") -> Indicator | None:
    """The indicator a row label or prose phrase names, or None.

    ``context`` is the section (义务教育, 高中阶段教育) or the parent row (在校学生数（万人）) and
    resolves labels that do not name their level. The phrase is split into clauses; the clause
    nearest the number (the last) is tried first, and an earlier clause only if its indicator is
    not already followed by a number of its own. Within a clause the longest alias wins.
    """
    _matcher()  # a broken dictionary raises here, as before, whatever the label
    text = normalize_label(label)
    if not text:
        return None
    return _match_normalized(text, normalize_label(context))


def match_indicator_in(label: str, context_of) -> Indicator | None:
    """:func:`match_indicator` with the context given as a function, called only when the label's
    words leave the level to it: the same answer as ``match_indicator(label, context_of())``.

    Prose finds most labels' measure in their own words, and its context (the clause that names
    the level, else the sentence) costs more to find and normalise than the match itself.

    >>> match_indicator_in("学前三年毛入园率", lambda: 1 / 0).indicator_id
    'preschool_ger'
    >>> match_indicator_in("在校学生数", lambda: "高中阶段教育").indicator_id
    'senior_secondary_enrollment'
    """
    _matcher()  # a broken dictionary raises here, as in match_indicator
    text = normalize_label(label)
    if not text:
        return None
    alone = _match_alone(text)
    if alone is _NEEDS_CONTEXT:
        return _match_normalized(text, normalize_label(context_of()))
    return alone


#: What :func:`_match_alone` returns when the answer depends on the context.
_NEEDS_CONTEXT = object()


@lru_cache(maxsize=16384)
def _match_alone(text: str):
    """_match_normalized(text, ctx) when it is the same for every ctx, else _NEEDS_CONTEXT.

    The same steps in the same order; the context is read only by a generic measure whose
    segment names no level and by a bare level label, and there this stops.
    """
    m = _matcher()
    segments = [s for s in _CLAUSE_MARKS.split(text) if s]
    for index in range(len(segments) - 1, -1, -1):
        segment, last = segments[index], index == len(segments) - 1
        hit = _longest(segment, m.aliases)
        if hit:
            found = (hit[1], hit[2] + len(hit[0]))
        else:
            generic = _longest(segment, _generic_pairs(m))
            found = None
            if generic:
                _, (label, by_level, default), pos = generic
                level = _level_in(segment.replace(label, "|"), m)
                if not level:  # _generic would read the context's level
                    return _NEEDS_CONTEXT
                iid = by_level.get(level)
                found = (iid, pos + len(label)) if iid else None
        if found and (last or not _DIGIT.search(segment, found[1])):
            return m.indicators[found[0]]
        if last and len(segments) == 1 and segment in _bare_level_forms(m):
            return _NEEDS_CONTEXT
    return None


@lru_cache(maxsize=16384)
def _match_normalized(text: str, ctx: str) -> Indicator | None:
    """match_indicator of a normalised label and context, remembered: a function of the two
    strings and the (once loaded) dictionary; Indicators are frozen, so sharing one is safe."""
    m = _matcher()
    segments = [s for s in _CLAUSE_MARKS.split(text) if s]
    for index in range(len(segments) - 1, -1, -1):
        segment, last = segments[index], index == len(segments) - 1
        hit = _longest(segment, m.aliases)
        found = (hit[1], hit[2] + len(hit[0])) if hit else _generic(segment, ctx, m)
        if found and (last or not _DIGIT.search(segment, found[1])):
            return m.indicators[found[0]]
        if last and len(segments) == 1:
            bare = _bare_level(segment, ctx, m)
            if bare:
                return m.indicators[bare]
    return None


# ----------------------------------------------------------------------------- units

#: Units that measure the same kind of thing; any other unit is a count (个, 所, 间, 班 ...).
_UNIT_KINDS = {"%": "share", "‰": "share", "pp": "share", "人": "persons", "名": "persons", "人次": "persons",
               "位": "persons", "平方米": "area", "年": "years", "月": "months", "套": "flats",
               "亩": "land", "学时": "hours", "课时": "hours", "册": "books", "倍": "multiple", "间": "rooms"}


def unit_kind(unit: str) -> str:
    """What a normalised unit measures: share, persons, money, area, years, months, flats, rooms (间), land (亩),
    hours (学时), books (册), multiple (倍) or count.

    >>> unit_kind("名"), unit_kind("元/年"), unit_kind("间"), unit_kind("所")
    ('persons', 'money', 'rooms', 'count')
    """
    if unit.startswith("元"):
        return "money"
    return _UNIT_KINDS.get(unit, "count")


def fit_unit(indicator: Indicator | None, unit: str) -> Indicator | None:
    """The indicator a number with ``unit`` can belong to: ``indicator`` itself if the units agree,
    its share sibling (``share_id``) for a percentage of a count, its multiple sibling
    (``multiple_id``) for a 倍 of an amount (生均公用经费达到普通高中的1.5倍), else None.

    A wording names the measure, the unit says what was counted: 名师课堂50间 is rooms, not
    master teachers; 骨干教师……占专任教师总量的30% is the share of key teachers; 近五年 is a duration.

    >>> fit_unit(match_indicator("骨干教师"), "%").indicator_id
    'key_teacher_share'
    >>> fit_unit(match_indicator("名师"), "间") is None
    True
    """
    if indicator is None or not unit:
        return indicator
    want, got = unit_kind(indicator.unit), unit_kind(unit)
    if want == got:
        return indicator
    m = _matcher()
    share = m.shares.get(indicator.indicator_id)
    if got == "share" and share is not None:
        return m.indicators[share]
    multiple = (m.multiples or {}).get(indicator.indicator_id)
    if got == "multiple" and multiple is not None:
        return m.indicators[multiple]
    return None


def match_fitting(label: str, unit: str) -> Indicator | None:
    """The longest wording in ``label`` whose indicator fits ``unit`` (fit_unit), or None: for a label
    whose longest wording counts something else (常年招生班 counts classes; 常年招生……900人 are students).

    >>> match_fitting("普通高中常年招生班", "人").indicator_id
    'admissions'
    >>> match_fitting("名师课堂", "间").indicator_id
    'online_classrooms'
    """
    m = _matcher()
    text = normalize_label(label)
    by_first = _aliases_by_first(m.aliases)
    # only aliases whose first character is in the text can be in it; tried in m.aliases' order
    candidates = sorted(c for ch in set(text) for c in by_first.get(ch, ()))
    for _, alias, iid in candidates:  # longest first
        if alias in text:
            fitted = fit_unit(m.indicators[iid], unit)
            if fitted is not None:
                return fitted
    return None


_BY_FIRST: dict[int, tuple[tuple, dict]] = {}


def _aliases_by_first(aliases: tuple) -> dict[str, list[tuple[int, str, str]]]:
    """(index, alias, id) of the (long-lived) aliases tuple, by the alias's first character
    (aliases are never empty: _load refuses an empty one)."""
    cached = _BY_FIRST.get(id(aliases))
    if cached is not None and cached[0] is aliases:
        return cached[1]
    out: dict[str, list[tuple[int, str, str]]] = {}
    for index, (alias, iid) in enumerate(aliases):
        if alias:
            out.setdefault(alias[0], []).append((index, alias, iid))
    _BY_FIRST[id(aliases)] = (aliases, out)
    return out


# ----------------------------------------------------------------------------- domains and exclusions

@lru_cache(maxsize=4)
def _keywords(path: str = str(KEYWORDS_FILE)) -> dict:
    raw = read_yaml(path)
    precedence = list(raw.get("precedence") or [])
    if sorted(precedence) != sorted(schema.DOMAINS):
        raise DictionaryError(f"{path}: precedence {precedence} must list each of {schema.DOMAINS} once")
    phrases = sorted(((p, d) for d, words in (raw.get("phrases") or {}).items() for p in words),
                     key=lambda pair: -len(pair[0]))
    exclude = raw.get("exclude") or {}
    return {
        "precedence": precedence,
        "keywords": {d: tuple(raw.get("keywords", {}).get(d) or ()) for d in precedence},
        # one search per domain for "any of its keywords is in the text" (same answer as any(w in s ...))
        "keyword_search": {d: re.compile("|".join(re.escape(w) for w in ws)).search
                           for d in precedence if (ws := tuple(raw.get("keywords", {}).get(d) or ()))},
        "keyword_patterns": {d: re.compile("|".join(f"(?:{p})" for p in ps))
                             for d, ps in (raw.get("keyword_patterns") or {}).items() if ps},
        "phrases": tuple(phrases),
        "ignore": tuple(sorted(raw.get("ignore") or (), key=len, reverse=True)),
        # {leader} stands for the one dot-leader pattern (planlib.read.patterns.LEADER)
        "patterns": tuple(re.compile(p.replace("{leader}", LEADER.pattern)) for p in exclude.get("patterns") or ()),
        "words": tuple(w.casefold() for w in exclude.get("words") or ()),
        "keep_if": tuple(exclude.get("keep_if") or ()),
        # one search each for "any pattern matches", "any word is in the folded text", "any keep_if
        # word is in the text" (the same answers as any(...) over the tuples above)
        "any_pattern": _any_of([f"(?:{p.replace('{leader}', LEADER.pattern)})" for p in exclude.get("patterns") or ()]),
        "any_word": _any_of([re.escape(w.casefold()) for w in exclude.get("words") or ()]),
        "any_keep": _any_of([re.escape(k) for k in exclude.get("keep_if") or ()]),
    }


def _any_of(alternatives: list[str]):
    """The search of one alternation of ``alternatives``; never matches when there are none."""
    return re.compile("|".join(alternatives) if alternatives else "(?!)").search


def domain_of(text: str) -> str | None:
    """The domain the words around a number point to (keywords, then precedence); None if none does.

    >>> domain_of("教师周转宿舍建设总投资")
    'funding'
    >>> domain_of("建成教师周转房")
    'schools'
    >>> domain_of("地区生产总值") is None
    True
    >>> domain_of("建成白马、天元等5个幼儿园")
    'schools'
    """
    return _domain_of(text if type(text) is str else str(text or ""))


@lru_cache(maxsize=8192)
def _domain_of(text: str) -> str | None:
    """domain_of of a str, remembered: prose asks about the same sentence for several numbers."""
    kw = _keywords()
    s = _plain(text)
    for word in kw["ignore"]:
        s = s.replace(word, "|")
    found: set[str] = set()
    for phrase, domain in kw["phrases"]:
        if phrase in s:
            found.add(domain)
            s = s.replace(phrase, "|")
    for domain, search in kw["keyword_search"].items():
        if search(s):
            found.add(domain)
    for domain, pattern in kw["keyword_patterns"].items():
        if domain not in found and pattern.search(s):
            found.add(domain)
    return next((d for d in kw["precedence"] if d in found), None)


def is_excluded_context(text: str) -> bool:
    """True when the words around a number say it is no target: a page, ordinal, document number, date, GDP, population.

    >>> is_excluded_context("某府发〔2022〕14号")
    True
    >>> is_excluded_context("主要劳动年龄人口平均受教育年限")
    False
    """
    kw = _keywords()
    s = _plain(text)
    if kw["any_pattern"](s):
        return True
    return kw["any_word"](s.casefold()) is not None and kw["any_keep"](s) is None


# ----------------------------------------------------------------------------- table and ranges

@lru_cache(maxsize=1)
def _frame() -> pd.DataFrame:
    rows = []
    for ind in load_indicators().values():
        row = asdict(ind)
        row["aliases_zh"] = ";".join(ind.aliases_zh)
        rows.append(row)
    df = schema.conform(pd.DataFrame(rows), "indicators")
    return schema.validate(df, "indicators")


def indicators_frame() -> pd.DataFrame:
    """The ``indicators`` table (schema.TABLES['indicators']), one row per indicator, aliases ';'-joined."""
    return _frame().copy()


def measure_type_of(indicator_id: str) -> str:
    """What the indicator counts (stock, flow, rate, money, designation, other); '' for no or an unknown id.

    >>> measure_type_of("primary_enrollment"), measure_type_of("teachers_recruited"), measure_type_of("")
    ('stock', 'flow', '')
    """
    if not indicator_id:
        return ""
    ind = _load(str(INDICATORS_FILE)).get(indicator_id)
    return ind.measure_type if ind else ""


def plausible(indicator_id: str, kind: str, value: float) -> bool:
    """Whether ``value`` lies in the dictionary's range for ``kind`` (baseline/target: min..max; change: |v| <= max_abs_change).

    An empty id has no range (True); an unknown id raises KeyError; a missing value is not plausible.

    >>> plausible("preschool_ger", "target", 115)
    True
    >>> plausible("compulsory_retention_rate", "target", 120)
    False
    """
    if kind not in schema.KINDS:
        raise ValueError(f"kind {kind!r} not in {schema.KINDS}")
    if not indicator_id:
        return True
    indicators = _load(str(INDICATORS_FILE))
    if indicator_id not in indicators:
        raise KeyError(f"unknown indicator {indicator_id!r}")
    ind = indicators[indicator_id]
    if value is None or pd.isna(value) or not math.isfinite(float(value)):
        return False
    value = float(value)
    if kind == "change":
        return ind.max_abs_change is None or abs(value) <= ind.max_abs_change
    return (ind.min_value is None or value >= ind.min_value) and (ind.max_value is None or value <= ind.max_value)
