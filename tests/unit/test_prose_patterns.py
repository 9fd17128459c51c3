"""The speed-ups of prose's patterns give the very matches of the plain patterns."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.datafiles import package_yaml
from planlib.extract.prose import LEADER, _gated, has_leader, rules

#: Characters that open, close or fill the programme patterns, and some that do not.
ALPHABET = "0123456789.+＋GgＧNnXxＸA“”《》个年制学前每一二三十两方面教育%％ ，。…·．⋯"


def _spans(pattern: re.Pattern, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_gated_programme_finds_the_same_spans(text):
    plain = re.compile("|".join(f"(?:{p})" for p in package_yaml("prose_rules.yml")["programme_patterns"]))
    assert _spans(rules().programme, text) == _spans(plain, text)


def test_gate_is_added_only_when_the_start_is_known():
    assert _gated(r"[0-9]+G|《[^》]*》").pattern.startswith("(?=[")
    assert _gated(r"(?<![0-9])1\.0").pattern.startswith("(?=[")  # a lookbehind consumes nothing
    assert _gated(r"a?b").pattern == r"a?b"  # an optional start: no gate
    assert _gated(r"\d+年").pattern == r"\d+年"  # a category: no gate
    assert _gated(r"(?i)g5").pattern == r"(?i)g5"  # case-folded: no gate


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_has_leader_agrees_with_the_pattern(text):
    assert has_leader(text) == bool(LEADER.search(text))
