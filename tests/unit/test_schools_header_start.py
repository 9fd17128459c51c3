"""The school table header test in one regex: the same lines as squashing each line and comparing."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.extract.schools import _header_start, _words
from planlib.extract.tablecells import _squash

FORMS = tuple(_words()["school_header"])
ALPHABET = "".join(sorted(set("".join(FORMS)))) + " \t\u3000“”\"'（）()【】[]x2"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=16))
def test_header_start_is_a_squashed_line_starting_with_a_form(line):
    assert bool(_header_start(FORMS)(line)) == _squash(line).startswith(FORMS)


def test_header_start_examples():
    may_head = _header_start(FORMS)
    assert may_head("学 校 名 称\t2020年") and may_head("（学校）") and may_head("【单位名称】")
    assert not may_head("全县学校") and not may_head("学生")
    assert _header_start(("", "学校"))("任何一行")
    assert not _header_start(("（学校）",))("学校")  # a form with a squashed character starts no squashed line
