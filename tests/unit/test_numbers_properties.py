"""Properties of the number grammar that must hold for any text, not only the examples we thought of."""
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from planlib.read.numbers import _find as find_unguarded
from planlib.read.numbers import COMPARATOR_PREFIXES, COMPARATOR_SUFFIXES, UNITS, Quantity, find_quantities, format_quantity, parse_cell

#: Characters plan text is made of, so generated text hits the grammar often.
PLAN_CHARS = (
    "0123456789０１２３４５６７８９.．,，%％‰+-—－−~～～〜至到<>＜＞≥≤=年月日号发〔〕[]()（）:：、。；“”\"' \t"
    "零〇○ΟO一二两三四五六七八九十百千万亿第是余多约近以上下内左右不低于少超过高达到个百分点之"
    "人名所项元班间亩平方米台套张学时小倍家支次期批位户门本册岁校规划十四五XGN"
)
plan_text = st.text(alphabet=st.sampled_from(PLAN_CHARS), max_size=60)
any_text = st.text(max_size=80)
mixed_text = st.lists(st.one_of(plan_text, any_text, st.sampled_from(
    list(COMPARATOR_PREFIXES) + list(COMPARATOR_SUFFIXES) + list(UNITS))), max_size=6).map("".join)

UNIT_CHOICES = ["", "%", "pp", "人", "元", "所", "个", "年", "名", "项", "班", "间", "亩", "平方米", "台", "学时", "小时",
                "天", "倍", "家", "次", "岁", "月", "元/年"]
COMPARATOR_CHOICES = ["=", ">=", ">", "<=", "<", "approx"]
values = st.decimals(min_value=Decimal("-99999999"), max_value=Decimal("99999999"), places=4,
                     allow_nan=False, allow_infinity=False)
non_negative = st.decimals(min_value=Decimal(0), max_value=Decimal("99999999"), places=4,
                           allow_nan=False, allow_infinity=False)


def check_spans(text: str, found: list[Quantity]) -> None:
    last_end = 0
    for q in found:
        assert text[q.num_start:q.num_end] == q.value_raw
        assert q.start <= q.num_start < q.num_end <= q.end <= len(text)
        assert q.start >= last_end  # in order, non-overlapping
        last_end = q.end
        assert isinstance(q.value, Decimal) and q.value.is_finite()
        assert q.comparator in ("=", ">=", ">", "<=", "<", "approx", "range")
        assert q.role in ("quantity", "year", "date", "period", "ordinal", "docnum")
        assert (q.value_high is not None) == (q.comparator == "range")


@settings(max_examples=400)
@given(st.one_of(any_text, plan_text, mixed_text))
def test_never_raises_and_spans_hold(text):
    found = find_unguarded(text)  # the grammar itself, without the last-resort guard
    assert found == find_quantities(text)
    check_spans(text, found)
    cell = parse_cell(text)
    if cell is not None:
        check_spans(text, [cell])


@settings(max_examples=300)
@given(st.data())
def test_format_then_parse_round_trips(data):
    unit = data.draw(st.sampled_from(UNIT_CHOICES))
    if data.draw(st.booleans()):
        low = data.draw(non_negative)
        high = data.draw(non_negative.filter(lambda v: v > low))
        q = Quantity(low, high, unit, unit, "range", 0, 0, 0, 0, "", "quantity")
    else:
        q = Quantity(data.draw(values), None, unit, unit, data.draw(st.sampled_from(COMPARATOR_CHOICES)),
                     0, 0, 0, 0, "", "quantity")
    text = format_quantity(q)
    back = parse_cell(text)
    assert back is not None, text
    assert (back.value, back.value_high, back.unit, back.comparator) == (q.value, q.value_high, q.unit, q.comparator), text


@given(st.lists(st.tuples(non_negative, st.sampled_from(["%", "人", "所", "万人", "亿元", "个百分点", "项"])), min_size=1, max_size=5),
       st.sampled_from(["，", "、", "；", "和"]))
def test_listed_quantities_are_all_found(items, separator):
    text = "分别达" + separator.join(f"{format(v, 'f')}{u}" for v, u in items) + "。"
    found = [q for q in find_quantities(text) if q.role == "quantity"]
    assert len(found) == len(items), (text, found)
    for q, (v, u) in zip(found, items):
        assert q.value_raw == format(v, "f")
        assert q.unit_raw == u
        assert q.comparator == "="
