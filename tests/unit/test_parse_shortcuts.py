"""Parse shortcuts give what their plain definitions give (issue 11: parse speed).

Each test keeps the plain form beside the fast one and compares them on generated strings made of
the characters the patterns care about, and on the lines of the five plans.
"""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.extract import prose
from planlib.paths import RAW_DIR
from planlib.read import numbers

PLAN_LINES = [line for p in sorted(RAW_DIR.glob("*.txt")) for line in p.read_text(encoding="utf-8").splitlines()]

#: Characters of plan text the scanner, clause and scope patterns turn on.
CHARS = (
    "0123456789.,%+-~/年月日号底末前内起以来发字函令〔〕[]()（）:：、。；;，！？!?“”\"'《》 \u3000\t"
    "零〇○ΟO一二两三四五六七八九十百千万亿第分之章节部个人名所项元学校期届批余多约以上下左右不低于达到"
    "规划期间时ABCXG-"
)
texts = st.text(alphabet=st.sampled_from(CHARS), max_size=80)


def _matches(pattern_match, text: str) -> list:
    """Every match the scanner would take, with the span of each group that took part."""
    out, pos = [], 0
    while pos < len(text):
        c = numbers._CANDIDATE.search(text, pos)
        if c is None:
            break
        m = pattern_match(text, c.start())
        if m is None or m.end() == m.start():
            pos = c.start() + 1
            continue
        out.append((m.lastgroup, m.span(), {k: m.span(k) for k, v in m.groupdict().items() if v is not None}))
        pos = m.end()
    return out


def _dispatched(text: str, at: int):
    return numbers._MATCH_AT[text[at]](text, at)


def test_candidate_class_is_the_dispatch_table():
    assert set(numbers._MATCH_AT) == set(numbers._CANDIDATE_CHARS)
    assert all(numbers._CANDIDATE.fullmatch(ch) for ch in numbers._CANDIDATE_CHARS)


@settings(max_examples=600)
@given(texts)
def test_scanner_dispatch_matches_the_whole_alternation(text):
    """_MATCH_AT[ch] (only the alternatives that can start with ch) matches as _MASTER does."""
    norm = numbers.normalise(text)
    assert _matches(_dispatched, norm) == _matches(numbers._MASTER.match, norm)


def test_scanner_dispatch_on_the_five_plans():
    for line in PLAN_LINES:
        norm = numbers.normalise(line)
        assert _matches(_dispatched, norm) == _matches(numbers._MASTER.match, norm), line


#: The clause-end pattern as first written (an alternation opening with a lookbehind).
PLAIN_CLAUSE_END = re.compile(r"[，,；;：:。！？!?]|(?<=[\u4e00-\u9fff”》）)])[ \u3000\t]+(?=[\u4e00-\u9fff“《])")


@settings(max_examples=600)
@given(st.text(alphabet=st.sampled_from("，,；;：:。！？!? \u3000\t学校”》）)“《a1"), max_size=40))
def test_clause_end_matches_its_plain_form(text):
    assert [m.span() for m in prose.CLAUSE_END.finditer(text)] == [m.span() for m in PLAIN_CLAUSE_END.finditer(text)]


def test_clause_end_on_the_five_plans():
    for line in PLAN_LINES:
        assert [m.span() for m in prose.CLAUSE_END.finditer(line)] == \
            [m.span() for m in PLAIN_CLAUSE_END.finditer(line)], line


@settings(max_examples=300)
@given(texts)
def test_scopes_gate_finds_what_the_patterns_find(text):
    """_scopes skips a pattern when the line lacks a character every match holds (年, 五)."""
    assert all("年" in m.group() for m in prose.YEAR_MENTION.finditer(text))
    assert all("五" in m.group() for m in prose.rules().period_scope.finditer(text))
    assert all("末" in m.group() for m in prose.DIRECT_FYP_TAIL.finditer(text + "十三五末"))
    assert all(re.search(r"[+＋:：]", m.group()) for m in prose.RATIO.finditer(text))


@settings(max_examples=600)
@given(st.text(alphabet=st.sampled_from("1920250年 \t\n（(“\"）)”五时期末学"), max_size=30))
def test_year_token_shortcut_matches_the_pattern(line):
    from planlib.extract.tables import YEAR_TOKEN, _has_year_token

    assert _has_year_token(line) == (YEAR_TOKEN.search(line) is not None)


def test_year_token_shortcut_on_the_five_plans():
    from planlib.extract.tables import YEAR_TOKEN, _has_year_token

    assert all(_has_year_token(line) == (YEAR_TOKEN.search(line) is not None) for line in PLAN_LINES)


@settings(max_examples=600)
@given(st.text(max_size=40) | texts)
def test_raw_candidate_gate_keeps_every_text_with_a_number(text):
    """find_quantities skips a text without a raw candidate character: its normalised form has no candidate."""
    if not numbers._RAW_CANDIDATE.search(text):
        assert not numbers._CANDIDATE.search(numbers.normalise(text))
        assert numbers._find(text) == []


def test_raw_candidate_gate_knows_full_width_forms():
    assert numbers._RAW_CANDIDATE.search("（") and numbers._RAW_CANDIDATE.search("５")
    assert [q.value_raw for q in numbers.find_quantities("达到５０％")] == ["５０"]


def _match_heading_plain(line: str):
    """match_heading as first written: every style tried in order."""
    from planlib.read.patterns import HEADING_START, HEADING_STYLES

    if not HEADING_START.match(line):
        return None
    for style, pattern in HEADING_STYLES:
        m = pattern.match(line)
        if m:
            return style, m.groupdict()
    return None


def _match_heading_fast(line: str):
    from planlib.read.document import match_heading
    from planlib.read.patterns import HEADING_STYLES

    c = match_heading(line)
    if c is None:
        return None
    return c.style, dict(HEADING_STYLES)[c.style].match(line).groupdict()


def test_heading_styles_tried_by_first_character_on_the_five_plans():
    for line in PLAN_LINES:
        assert _match_heading_fast(line) == _match_heading_plain(line), line
        assert _match_heading_fast(line.strip()) == _match_heading_plain(line.strip()), line


@settings(max_examples=800)
@given(st.text(alphabet=st.sampled_from(" \u3000\t\u2003第部分章节专栏（）()一二十百〇0123456789١٢、.．:：学校A"), max_size=16))
def test_heading_styles_tried_by_first_character(line):
    assert _match_heading_fast(line) == _match_heading_plain(line)
