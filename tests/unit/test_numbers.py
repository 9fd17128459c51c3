"""The number grammar on the hard cases plans actually contain (many lines are taken from data/raw)."""
from decimal import Decimal

import pytest

from planlib.read.numbers import (
    COMPARATOR_PREFIXES,
    COMPARATOR_SUFFIXES,
    UNITS,
    Quantity,
    find_quantities,
    format_quantity,
    parse_cell,
    parse_numeral,
    unit_scale,
)
from planlib.read.numbers import _find

D = Decimal


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def summary(q: Quantity) -> tuple:
    return (q.value, q.value_high, q.unit, q.comparator, q.role)


# --------------------------------------------------------------------------- parse_numeral

@pytest.mark.parametrize("numeral, expected", [
    ("1.017", D("1.017")),
    ("１２３", D(123)),
    ("１２３．５", D("123.5")),
    ("1,234", D(1234)),
    ("1，234", D(1234)),
    ("12,345,678", D(12345678)),
    ("二〇二一", D(2021)),
    ("二Ο三五", D(2035)),   # Greek capital Omicron
    ("二O三五", D(2035)),   # Latin O
    ("二○三五", D(2035)),   # white circle
    ("二零三五", D(2035)),
    ("百分之九十五", D(95)),
    ("三千", D(3000)),
    ("十二", D(12)),
    ("一百二十", D(120)),
    ("两", D(2)),
    ("一千零五", D(1005)),
    ("三亿五千万", D(350000000)),
    ("一万二千", D(12000)),
    ("1.5万", D(15000)),
    ("1.017万", D(10170)),
    ("2.5亿", D(250000000)),
    ("—0.07", D("-0.07")),
    ("-5", D(-5)),
])
def test_parse_numeral(numeral, expected):
    value = parse_numeral(numeral)
    assert value == expected
    assert str(value) == str(expected)  # exact: 10170, never 10169.999999999998


@pytest.mark.parametrize("bad", ["", "预期", "abc", "1.2.3", "十百", "一二三万", "%", "1—2", "〇一", None])
def test_parse_numeral_rejects(bad):
    with pytest.raises(ValueError):
        parse_numeral(bad)


# --------------------------------------------------------------------------- unit_scale

@pytest.mark.parametrize("unit_raw, expected", [
    ("万人", (D(10000), "人")),
    ("亿元", (D(100000000), "元")),
    ("万元", (D(10000), "元")),
    ("%", (D(1), "%")),
    ("个百分点", (D(1), "pp")),
    ("百分点", (D(1), "pp")),
    ("万", (D(10000), "")),
    ("万平方米", (D(10000), "平方米")),
    ("", (D(1), "")),
    ("所", (D(1), "所")),
    ("元/年", (D(1), "元/年")),
])
def test_unit_scale(unit_raw, expected):
    assert unit_scale(unit_raw) == expected


# --------------------------------------------------------------------------- find_quantities: one number

@pytest.mark.parametrize("text, value, unit, comparator", [
    # full-width digits and signs
    ("１２３．５％", D("123.5"), "%", "="),
    ("占比＜5％", D(5), "%", "<"),
    ("95％", D(95), "%", "="),
    # 万/亿 in Decimal
    ("在校生1.017万人", D(10170), "人", "="),
    ("投入2.5亿元", D(250000000), "元", "="),
    ("资助金额8481.02万元", D("84810200"), "元", "="),
    ("5.6万平方米", D(56000), "平方米", "="),
    ("惠及贫困学生20.81万人次", D(208100), "人次", "="),
    # percentages and percentage points
    ("总体近视率每年降低0.5个百分点以上", D("0.5"), "pp", ">="),
    ("百分之九十五", D(95), "%", "="),
    # comparators before and after
    ("普惠率保持在95%以上", D(95), "%", ">="),
    ("比例不低于30%", D(30), "%", ">="),
    ("每周不少于1课时", D(1), "课时", ">="),
    ("达到80%以上", D(80), "%", ">="),
    ("≥90%", D(90), "%", ">="),
    (">=90%", D(90), "%", ">="),
    ("超过90%", D(90), "%", ">"),
    ("高于50%", D(50), "%", ">"),
    ("年均订单签约培训2000余人", D(2000), "人", ">"),
    ("150多所学校", D(150), "所", ">"),
    ("三千余", D(3000), "", ">"),
    ("全面消除56人以上大班额", D(56), "人", ">="),
    ("不超过45人", D(45), "人", "<="),
    ("控制在3%以内", D(3), "%", "<="),
    ("≤45人", D(45), "人", "<="),
    ("低于30%", D(30), "%", "<"),
    ("不到10%", D(10), "%", "<"),
    ("＜5", D(5), "", "<"),
    ("约5", D(5), "", "approx"),
    ("初升高比例仅90%左右", D(90), "%", "approx"),
    ("城区中小学承载全县近40%的办学容量", D(40), "%", "approx"),
    ("接近80%", D(80), "%", "approx"),
    ("大约300人", D(300), "人", "approx"),
    ("培育30项左右优秀教学成果", D(30), "项", "approx"),
    ("45岁以下的干部", D(45), "岁", "<="),
    # units
    ("人均受教育年限达到10.5年", D("10.5"), "年", "="),
    ("建成4所学校", D(4), "所", "="),
    ("新招聘教师958名", D(958), "名", "="),
    ("12个班", D(12), "个", "="),
    ("50间", D(50), "间", "="),
    ("征地30亩", D(30), "亩", "="),
    ("8000平方米", D(8000), "平方米", "="),
    ("3台", D(3), "台", "="),
    ("不少于360学时", D(360), "学时", ">="),
    ("锻炼1小时", D(1), "小时", "="),
    ("增长2倍", D(2), "倍", "="),
    ("5家企业", D(5), "家", "="),
    ("3000元/年", D(3000), "元/年", "="),
    ("培养20名优秀硕士生", D(20), "名", "="),
    ("一百本中外名著", D(100), "本", "="),
    ("两项体育技能", D(2), "项", "="),
    ("办好一所特殊教育学校", D(1), "所", "="),
    ("新增1,234个学位", D(1234), "个", "="),
    ("新增1，234个学位", D(1234), "个", "="),
    ("共计0.0056", D("0.0056"), "", "="),
])
def test_one_quantity(text, value, unit, comparator):
    q = only(text)
    assert (q.value, q.unit, q.comparator, q.role) == (value, unit, comparator, "quantity")
    assert q.value_high is None


def test_percentage_points_with_a_baseline_year():
    year, change = find_quantities("较2015年增长2个百分点")
    assert (year.role, year.value) == ("year", D(2015))
    assert (change.value, change.unit, change.unit_raw, change.role) == (D(2), "pp", "个百分点", "quantity")


def test_unit_raw_keeps_the_scale_as_written():
    q = only("在校生１．２万人")
    assert (q.value, q.unit, q.unit_raw, q.value_raw) == (D(12000), "人", "万人", "１．２")


@pytest.mark.parametrize("text, unit_raw, value, comparator", [
    ("1万余人", "万人", D(10000), ">"),
    ("５０％以上", "％", D(50), ">="),
    ("1—2万人", "万人", D(10000), "range"),
    ("百分之五十以上", "百分之", D(50), ">="),
])
def test_unit_raw_is_quoted_from_the_original(text, unit_raw, value, comparator):
    q = only(text)
    assert (q.unit_raw, q.value, q.comparator) == (unit_raw, value, comparator)


@pytest.mark.parametrize("unit", ["人", "名", "所", "个", "项", "元", "班", "间", "亩", "平方米", "台", "套", "张", "学时",
                                  "小时", "天", "倍", "家", "支", "次", "期", "批", "位", "户", "门", "本", "册"])
def test_every_listed_unit(unit):
    q = only(f"新增12{unit}")
    assert (q.value, q.unit, q.unit_raw, q.role) == (D(12), unit, unit, "quantity")
    assert UNITS[unit] == unit


@pytest.mark.parametrize("zero", ["〇", "○", "Ο", "O", "零"])
def test_chinese_year_with_any_zero_in_prose(zero):
    q = only(f"和二{zero}三五年远景目标纲要")
    assert (q.value, q.role) == (D(2035), "year")


# --------------------------------------------------------------------------- ranges and periods

@pytest.mark.parametrize("text, low, high, unit, role", [
    ("每位学生掌握1—2项运动技能", D(1), D(2), "项", "quantity"),
    ("新建2~3所小学", D(2), D(3), "所", "quantity"),
    ("新建2～3所小学", D(2), D(3), "所", "quantity"),
    ("3-5个", D(3), D(5), "个", "quantity"),
    ("掌握1至2项艺术特长", D(1), D(2), "项", "quantity"),
    ("2至3所", D(2), D(3), "所", "quantity"),
    ("10%—20%", D(10), D(20), "%", "quantity"),
    ("基准定额(3000—5000元/年)", D(3000), D(5000), "元/年", "quantity"),
    ("《3—6岁儿童学习与发展指南》", D(3), D(6), "岁", "quantity"),
    ("1—2万人", D(10000), D(20000), "人", "quantity"),
    ("2021—2025年", D(2021), D(2025), "", "period"),
    ("2021-2025", D(2021), D(2025), "", "period"),
    ("（2021—2025年）", D(2021), D(2025), "", "period"),
    ("健康中原行动(2020—2030年)", D(2020), D(2030), "", "period"),
    ("2016—2020年", D(2016), D(2020), "", "period"),
    ("2020年至2025年", D(2020), D(2025), "", "period"),
    ("提升计划(2021—2025 年)", D(2021), D(2025), "", "period"),
    ("规划(20212025年)的通知", D(2021), D(2025), "", "period"),  # glued in copy
])
def test_ranges_and_periods(text, low, high, unit, role):
    q = only(text)
    assert summary(q) == (low, high, unit, "range", role)


def test_period_span_covers_both_years_and_nian():
    text = "规划（2021—2025年）的通知"
    q = only(text)
    assert text[q.start:q.end] == "2021—2025年"
    assert q.value_raw == "2021—2025"


def test_a_descending_pair_is_not_a_range():
    assert [q.comparator for q in find_quantities("5-3")] == ["=", "="]


# --------------------------------------------------------------------------- signs

@pytest.mark.parametrize("cell, value", [
    ("—0.0322", D("-0.0322")),
    ("\t—0.07", D("-0.07")),
    ("－0.05", D("-0.05")),
    ("-0.02", D("-0.02")),
    ("−1.5", D("-1.5")),
    ("+3.7", D("3.7")),
])
def test_leading_minus_in_cells(cell, value):
    q = parse_cell(cell)
    assert q is not None and q.value == value and q.role == "quantity"
    assert q.value_raw == cell.strip()


def test_decorative_double_dash_is_not_a_minus():
    q = only("——2025年，全面建成")
    assert (q.value, q.role) == (D(2025), "year")


# --------------------------------------------------------------------------- separators lost in copy

def test_four_glued_percentages():
    text = "高中教师研究生率分别达100%92%100%25%。"
    found = find_quantities(text)
    assert [(q.value, q.unit, q.comparator) for q in found] == [
        (D(100), "%", "="), (D(92), "%", "="), (D(100), "%", "="), (D(25), "%", "=")]
    assert [text[q.start:q.end] for q in found] == ["100%", "92%", "100%", "25%"]


def test_trailing_yishang_covers_glued_values():
    found = find_quantities("城乡居民社区教育年参与率分别达60%40%以上")
    assert [(q.value, q.comparator) for q in found] == [(D(60), ">="), (D(40), ">=")]


def test_glued_values_with_different_units_stay_apart():
    found = find_quantities("毛入学率达100%29人被清华、北大录取")
    assert [(q.value, q.unit) for q in found] == [(D(100), "%"), (D(29), "人")]


@pytest.mark.parametrize("text, value", [
    ("2021129", D(20211209)),
    ("20211223", D(20211223)),
    ("2021年12月9日", D(20211209)),
    ("发布时间 2022年07月13日", D(20220713)),
    ("2021-12-09", D(20211209)),
    ("2021年6月", D(20210600)),
    ("9月1日", D(901)),
    ("二〇二一年十二月", D(20211200)),
    ("二〇二一十二", D(20211200)),
])
def test_dates(text, value):
    q = only(text)
    assert (q.value, q.role, q.unit) == (value, "date", "")


@pytest.mark.parametrize("text, values", [
    ("城府办发〔2021〕198号", [D(2021), D(198)]),
    ("安政〔2022〕13号", [D(2022), D(13)]),
    ("云阳府发〔202156", [D(202156)]),
    ("渝府发[2021]12号", [D(2021), D(12)]),
])
def test_document_numbers(text, values):
    found = find_quantities(text)
    assert [q.value for q in found] == values
    assert {q.role for q in found} == {"docnum"}


@pytest.mark.parametrize("text, year", [
    ("到2025年，学前三年毛入园率达到93%", D(2025)),
    ("2025年底", D(2025)),
    ("2025年末", D(2025)),
    ("二〇三五年远景目标", D(2035)),
    ("二Ο三五年远景目标纲要", D(2035)),
    ("《重庆教育现代化2035》", D(2035)),
    ("到2035", D(2035)),
    ("现有规模(2020)", D(2020)),
])
def test_years(text, year):
    q = find_quantities(text)[0]
    assert (q.value, q.role, q.unit) == (year, "year", "")


def test_year_span_includes_nian_and_di():
    text = "到2022年底，实现全覆盖"
    q = only(text)
    assert text[q.start:q.end] == "2022年底"
    assert q.value_raw == "2022"


def test_schooling_years_are_a_quantity_not_a_year():
    found = find_quantities("人均受教育年限由2015年9.13年提高到10.2年")
    assert [(q.value, q.role, q.unit) for q in found] == [
        (D(2015), "year", ""), (D("9.13"), "quantity", "年"), (D("10.2"), "quantity", "年")]


# --------------------------------------------------------------------------- ordinals and names

@pytest.mark.parametrize("text", [
    "第一", "第3节", "(一)", "（一）", "（1）", "1.全面落实教育方针。", "一是", "“十四五”", "十三五", "1+X证书",
    "5G网络", "2+X", "“3+2”", "“2+1+1+N”行动", "专栏1", "第十四个五年规划", "九年义务教育巩固率", "学前教育二期、三期",
    "党的十九届五中全会", "“一校一品”", "“一人一案”", "三本四专", "建设一批艺术特色学校", "教育信息化2.0行动计划",
    "11500229711623327X/2021-00272", "“1+3彩云计划”", "5.1+X证书试点", "三年行动计划",
    "索 引 号 E0001-01-2022-00028 失效时间", "网站标识码:5002350018 网站维护联系电话:023-55128091",
    "表2-1 \u2002城口县教育", "紧紧围绕“1345”工作思路", "存在的新问题............6", "采取“1+10+100”的模式",
    "“5G+VR/AR学习”", "支持IPV6", "“4A景区升级", "教育信息化2.0行动计划", "应用能力提升工程2.0培训",
])
def test_ordinals_and_names_are_never_quantities(text):
    assert all(q.role != "quantity" for q in find_quantities(text)), find_quantities(text)


@pytest.mark.parametrize("text, value", [("全力抓好“7·21特大暴雨洪涝灾害", D(721)), ("每年5月", D(500))])
def test_month_and_day_without_a_year(text, value):
    q = only(text)
    assert (q.value, q.role) == (value, "date")


def test_jin_before_years_is_a_window_not_an_approximation():
    q = only("近五年来")
    assert (q.value, q.unit, q.comparator) == (D(5), "年", "=")


def test_years_next_to_each_other_in_prose():
    found = find_quantities("立足“十四五”,着眼2035,展望2050,以实现教育现代化")
    assert [(q.value, q.role) for q in found] == [(D(14), "ordinal"), (D(2035), "year"), (D(2050), "year")]


def test_item_number_glued_to_a_year():
    found = find_quantities("2.2035远景目标。")
    assert [(q.value, q.role) for q in found] == [(D(2), "ordinal"), (D(2035), "year")]


def test_decimal_cell_at_line_start_is_not_an_item_number():
    assert summary(parse_cell("1.2297")) == (D("1.2297"), None, "", "=", "quantity")


# --------------------------------------------------------------------------- whole lines from plans

def test_a_prose_line_in_order():
    line = ("在校生人数从2016年的130.23万人增加到2020年的144.26万人,"
            "学校数量从2016年的3199所增加到2020年的3404所")
    found = find_quantities(line)
    assert [(q.value, q.unit, q.role) for q in found] == [
        (D(2016), "", "year"), (D(1302300), "人", "quantity"), (D(2020), "", "year"), (D(1442600), "人", "quantity"),
        (D(2016), "", "year"), (D(3199), "所", "quantity"), (D(2020), "", "year"), (D(3404), "所", "quantity")]
    assert [line[q.start:q.end] for q in found if q.role == "quantity"] == [
        "130.23万人", "144.26万人", "3199所", "3404所"]


def test_targets_line():
    line = "到2025年，全县公办幼儿园占比保持在85%以上，普惠率保持在95%以上，高中阶段毛入学率达98%以上。"
    found = [q for q in find_quantities(line) if q.role == "quantity"]
    assert [(q.value, q.unit, q.comparator) for q in found] == [
        (D(85), "%", ">="), (D(95), "%", ">="), (D(98), "%", ">=")]


def test_baseline_and_change_line():
    line = "学前三年毛入园率达到85.1%、普惠率达96.8%，比2015年分别增长6.1个百分点、13.3个百分点；"
    found = [q for q in find_quantities(line) if q.role == "quantity"]
    assert [(q.value, q.unit) for q in found] == [(D("85.1"), "%"), (D("96.8"), "%"), (D("6.1"), "pp"), (D("13.3"), "pp")]


def test_prefix_comparator_span_is_in_start():
    line = "确保中小学劳动教育课程每周不少于1课时"
    q = only(line)
    assert line[q.start:q.end] == "不少于1课时"
    assert line[q.num_start:q.num_end] == "1"


# --------------------------------------------------------------------------- parse_cell

@pytest.mark.parametrize("cell, value, high, unit, comparator, role", [
    ("＞93.0", D(93), None, "", ">", "quantity"),
    ("＞98.5", D("98.5"), None, "", ">", "quantity"),
    ("98%以上", D(98), None, "%", ">=", "quantity"),
    ("—0.07", D("-0.07"), None, "", "=", "quantity"),
    (">9000", D(9000), None, "", ">", "quantity"),
    ("12.3年以上", D("12.3"), None, "年", ">=", "quantity"),
    ("1—2", D(1), D(2), "", "range", "quantity"),
    ("0.0056", D("0.0056"), None, "", "=", "quantity"),
    ("100", D(100), None, "", "=", "quantity"),
    ("约5", D(5), None, "", "approx", "quantity"),
    ("  95.3 ", D("95.3"), None, "", "=", "quantity"),
    ("2020年", D(2020), None, "", "=", "year"),
    ("2021—2025", D(2021), D(2025), "", "range", "period"),
    ("（2021—2025年）", D(2021), D(2025), "", "range", "period"),
    ("(2020)", D(2020), None, "", "=", "year"),
    ("“95%”", D(95), None, "%", "=", "quantity"),
    ("三千", D(3000), None, "", "=", "quantity"),
    ("15年以上", D(15), None, "年", ">=", "quantity"),
])
def test_parse_cell(cell, value, high, unit, comparator, role):
    assert summary(parse_cell(cell)) == (value, high, unit, comparator, role)


@pytest.mark.parametrize("cell", ["", "   ", "预期", "学前三年毛入园率（%）", "在园幼儿数（万人）", "60%40%", "%", "—", "属性"])
def test_parse_cell_none(cell):
    assert parse_cell(cell) is None


def test_parse_cell_spans_index_the_cell():
    cell = "\t—0.0322"
    q = parse_cell(cell)
    assert cell[q.num_start:q.num_end] == q.value_raw == "—0.0322"
    assert cell[q.start:q.end] == "—0.0322"


# --------------------------------------------------------------------------- format_quantity

@pytest.mark.parametrize("cell", ["＞93.0", "98%以上", "—0.07", "12.3年以上", "1—2项", "约5", "2个百分点", "1.017万人",
                                  "≤45人", "<5%", "3000—5000元/年", "6个月"])
def test_format_quantity_round_trips(cell):
    q = parse_cell(cell)
    back = parse_cell(format_quantity(q))
    assert (back.value, back.value_high, back.unit, back.comparator) == (q.value, q.value_high, q.unit, q.comparator)


@pytest.mark.parametrize("value", [D(2025), D("19.1900"), D("2.2035")])
def test_format_quantity_keeps_a_year_like_duration_a_duration(value):
    q = Quantity(value, None, "年", "年", "=", 0, 5, 0, 4, "2025", "quantity")
    back = parse_cell(format_quantity(q))
    assert (back.value, back.unit, back.role) == (value, "年", "quantity")


# --------------------------------------------------------------------------- tables read as data

def test_tables_are_data():
    assert UNITS["个百分点"] == "pp" and UNITS["%"] == "%"
    assert COMPARATOR_PREFIXES["不低于"] == ">=" and COMPARATOR_PREFIXES["约"] == "approx"
    assert COMPARATOR_SUFFIXES["以上"] == ">=" and COMPARATOR_SUFFIXES["左右"] == "approx"


@pytest.mark.parametrize("junk", ["", "   ", "\x00\x01", "〔〕号", "第", "百分之", "——", "1" * 500, "９" * 60 + "万亿",
                                  "1e10", "NaN", "∞", "+-", "1—", "—1—", "(((", "〔2021", "二〇", "十" * 40,
                                  "一" * 3000, "二〇" * 1500, "1." * 1500, "1—" * 1500])
def test_never_raises_on_junk(junk):
    """Unguarded (_find): the grammar itself must not raise; what it does return still stands on the text."""
    end = 0
    for q in _find(junk):  # in order, non-overlapping, each numeral quoted from its span
        assert end <= q.start <= q.num_start < q.num_end <= q.end <= len(junk), q
        assert junk[q.num_start:q.num_end] == q.value_raw, q
        end = q.end
    cell = parse_cell(junk)
    if cell is not None:
        assert junk[cell.num_start:cell.num_end] == cell.value_raw and cell.value_raw.strip() == junk.strip()


def test_found_quantities_are_built_as_the_dataclass_builds_them():
    """_freeze fills a Quantity's fields without its __init__: the same fields, order, equality,
    hash and repr as Quantity(...) of the same values, and still frozen."""
    import dataclasses

    from planlib.paths import RAW_DIR
    from planlib.read.numbers import Quantity

    names = [f.name for f in dataclasses.fields(Quantity)]
    found = [q for path in sorted(RAW_DIR.glob("*.txt"))[:2]
             for line in path.read_text(encoding="utf-8").splitlines() for q in find_quantities(line)]
    assert len(found) > 500
    for q in found:
        built = Quantity(*(getattr(q, n) for n in names))
        assert list(vars(q)) == names
        assert q == built and hash(q) == hash(built) and repr(q) == repr(built)
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].value = Decimal(1)
