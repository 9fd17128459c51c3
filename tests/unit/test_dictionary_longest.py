"""dictionary._longest (one regex pass) agrees with the plain definition of the longest key."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.extract.dictionary import _longest, _matcher

CHARS = "学前教育毛入园率在校生高中阶段师"


def _plain_longest(text: str, pairs: tuple):
    """The definition: the longest key in text; among equals the one nearest the end; the first pair's value."""
    best = None
    for pos in range(len(text)):
        for key, value in pairs:  # longest first: the first key found here is the longest here
            if key and text.startswith(key, pos):
                if best is None or len(key) >= len(best[0]):
                    best = (key, value, pos)
                break
    return best


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(CHARS, max_size=4), st.integers(0, 9)), max_size=12),
       st.text(CHARS, max_size=20))
def test_longest_agrees_with_its_definition(raw_pairs, text):
    pairs = tuple(sorted(raw_pairs, key=lambda pair: -len(pair[0])))
    assert _longest(text, pairs) == _plain_longest(text, pairs)


def test_longest_on_the_dictionary():
    aliases = _matcher().aliases
    text = "到2025年学前三年毛入园率达到95%"
    assert _longest(text, aliases) == _plain_longest(text, aliases)
    assert _longest("", aliases) is None
    assert _longest("学前", ()) is None
