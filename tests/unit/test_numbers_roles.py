"""find_quantities(text, roles=...) is the full list filtered by role."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.read.numbers import find_quantities

PIECES = ["到", "2025", "年", "底", "新建", "学校", "3", "所", "第一", "章", "1+X", "〔2021〕", "198号", "％", "%",
          "95.5", "万人", "—", "2021", "12月", "“十四五”", "以上", "约", "不低于", "，", "百分之九十五", "两", "个"]
ROLES = ["quantity", "year", "date", "period", "ordinal", "docnum"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join), st.sets(st.sampled_from(ROLES)))
def test_roles_filter_equals_filtering_the_result(text, roles):
    assert find_quantities(text, roles=roles) == [q for q in find_quantities(text) if q.role in roles]


def test_roles_keep_the_spans_of_the_whole_text():
    (q,) = find_quantities("到2025年新建学校3所", roles={"quantity"})
    assert (q.value_raw, q.num_start, q.unit) == ("3", 10, "所")
