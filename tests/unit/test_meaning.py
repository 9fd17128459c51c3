"""What a number is: basis (point / cumulative / annual / per_unit), its span, and measure_type.

Small sentences of our own, one per cue and per look-alike that must stay point. The number
is located in the sentence; ``year``/``kind`` are what the extractor would give it.
"""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.extract.meaning import Meaning, basis_of, infer_measure_type, measure_types
from planlib.read.periods import Period

PLAN = Period(2021, 2025)  # a 十四五 plan: the review covers 2016–2020


def meaning(text: str, number: str, year: int | None = 2020, kind: str = "baseline",
            period: Period | None = PLAN, label: str = "", context: str = "") -> Meaning:
    start = text.index(number)
    return basis_of(text, start, start + len(number), year=year, kind=kind, period=period,
                    label=label, context=context)


@pytest.mark.parametrize("text,number,year,kind,expected", [
    # cumulative, span from the cue
    ("“十三五”期间,累计投入教育经费8亿元。", "8亿元", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("累计补充教师300名。", "300名", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("“十三五”期间共培训教师5000名。", "5000名", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("近五年累计资助3.2亿元。", "3.2亿元", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("近三年累计资助2亿元。", "2亿元", 2020, "baseline", ("cumulative", 2018, 2020)),
    ("2017年以来，累计投入12亿元。", "12亿元", 2020, "baseline", ("cumulative", 2017, 2020)),
    ("“十四五”期间新建幼儿园6所。", "6所", 2025, "target", ("cumulative", 2021, 2025)),
    ("“十四五”期间,新增学位4000个。", "4000个", 2025, "target", ("cumulative", 2021, 2025)),
    ("五年内培育市级名师30人。", "30人", 2025, "target", ("cumulative", 2021, 2025)),
    ("“十二五”期间共投入5亿元。", "5亿元", 2020, "baseline", ("cumulative", 2011, 2015)),
    ("全县共计发放助学金900万元。", "900万元", 2020, "baseline", ("cumulative", 2016, 2020)),
    # the cue carries over the sentence's later clauses, not past a level or a rate
    ("“十三五”期间,累计投入3亿元,新建学校4所,改造校舍2万平方米。", "4所", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("“十三五”期间,累计投入3亿元,新建学校4所,改造校舍2万平方米。", "2万平方米", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("累计投入3亿元,比上期提高50%。", "50%", 2020, "change", ("point", None, None)),
    # a flow reported in the review of the last period is a total over it
    ("新建公办幼儿园9所、中小学3所。", "3所", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("新招聘教师400名。", "400名", 2020, "baseline", ("cumulative", 2016, 2020)),
    ("其中,县本级投入2亿元。", "2亿元", 2020, "baseline", ("cumulative", 2016, 2020)),
    # annual
    ("每年招聘教师100名。", "100名", None, "target", ("annual", None, None)),
    ("年均培训教师3000余人次。", "3000余人次", None, "baseline", ("annual", 2016, 2020)),
    ("2016年以来，教育经费年均增长9.5%。", "9.5%", None, "change", ("annual", 2016, 2020)),
    ("普通高中常年招生40个班。", "40个", None, "target", ("annual", None, None)),
    ("“十四五”期间每年新增学位500个。", "500个", 2025, "target", ("annual", 2021, 2025)),
    # per unit (wins over annual and cumulative)
    ("生均公用经费不低于800元。", "800元", None, "target", ("per_unit", None, None)),
    ("每年生均增加图书1册。", "1册", None, "target", ("per_unit", None, None)),
    ("每百名学生拥有骨干教师2名。", "2名", None, "target", ("per_unit", None, None)),
    ("每所学校配备心理教师1名。", "1名", None, "target", ("per_unit", None, None)),
    ("每班配备教师2.5名。", "2.5名", None, "target", ("per_unit", None, None)),
    ("确保每个乡镇办好1所公办中心幼儿园。", "1所", None, "target", ("per_unit", None, None)),
    ("按照每月不低于300元的标准发放班主任津贴。", "300元", None, "target", ("per_unit", None, None)),
    ("公办幼儿园拨款标准(4000元/生)。", "4000元", None, "target", ("per_unit", None, None)),
])
def test_basis_cues(text, number, year, kind, expected):
    m = meaning(text, number, year, kind)
    assert (m.basis, m.span_start, m.span_end) == expected


@pytest.mark.parametrize("text,number,year,kind", [
    ("到2025年,学前三年毛入园率达到95%。", "95%", 2025, "target"),  # a level at a date
    ("“十三五”末，全县有学校180所。", "180所", 2020, "baseline"),  # 末 is a date, not a span
    ("“十三五”期间,在校生由2016年的3万人增长到2020年的3.5万人。", "3.5万人", 2020, "baseline"),
    ("“十三五”期间,在校生由2016年的3万人增长到2020年的3.5万人。", "3万人", 2016, "baseline"),
    ("人均受教育年限达到9.5年。", "9.5年", 2020, "baseline"),  # an average, not a per-unit norm
    ("继续教育年参与率达50%。", "50%", 2025, "target"),  # 年参与率 is a rate, not 每年
    ("义务教育年巩固率达99%。", "99%", 2020, "baseline"),
    ("近视率每年降低1个百分点,心理教师配备率达到80%。", "80%", 2025, "target"),  # cue in another clause
    # a plan target that adds something by its end year, with no span words: point (measure_type flow)
    ("到2025年,新建幼儿园10所。", "10所", 2025, "target"),
    ("新增学位2000个。", "2000个", 2025, "target"),
    ("全县现有市级名师20人。", "20人", 2020, "baseline"),  # 现有: a stock in place
    ("大班额从2015年的400个下降到30个。", "30个", 2020, "baseline"),
])
def test_point_look_alikes(text, number, year, kind):
    m = meaning(text, number, year, kind)
    assert (m.basis, m.span_start, m.span_end) == ("point", None, None)


def test_table_column_header_gives_the_cue():
    # a table cell: the cue sits in the column header (十三五累计), not in the cell
    m = basis_of("12", 0, 2, year=2020, kind="baseline", period=PLAN, label="新建学校", context="“十三五”累计")
    assert (m.basis, m.span_start, m.span_end) == ("cumulative", 2016, 2020)


def test_table_row_label_gives_per_unit():
    m = basis_of("1.2", 0, 3, year=2025, kind="target", period=PLAN, label="每百名学生拥有网络多媒体教室数")
    assert m.basis == "per_unit"


def test_no_period_known_still_reads_explicit_years():
    m = meaning("2016年以来，累计投入12亿元。", "12亿元", year=2020, period=None)
    assert (m.basis, m.span_start, m.span_end) == ("cumulative", 2016, 2020)
    m = meaning("累计投入12亿元。", "12亿元", year=2020, period=None)
    assert (m.basis, m.span_start, m.span_end) == ("cumulative", None, None)


def test_the_period_comes_from_the_ordinal_not_a_fixed_year():
    later = Period(2026, 2030)  # a 十五五 plan reviews 十四五
    m = meaning("“十四五”期间,累计投入8亿元。", "8亿元", 2025, "baseline", period=later)
    assert (m.basis, m.span_start, m.span_end) == ("cumulative", 2021, 2025)
    m = meaning("新建学校3所。", "3所", 2025, "baseline", period=later)
    assert (m.span_start, m.span_end) == (2021, 2025)
    m = meaning("“十五五”期间新建学校3所。", "3所", 2030, "target", period=later)
    assert (m.span_start, m.span_end) == (2026, 2030)


# --- measure_type --------------------------------------------------------------------------

def test_every_indicator_has_a_measure_type():
    from planlib.extract.dictionary import indicators_frame

    frame = indicators_frame()
    assert frame["measure_type"].notna().all()
    assert set(frame["measure_type"]) <= set(measure_types())


@pytest.mark.parametrize("indicator_id,expected", [
    ("primary_enrollment", "stock"), ("fulltime_teachers", "stock"), ("schools_total", "stock"),
    ("teachers_recruited", "flow"), ("new_schools", "flow"), ("teachers_trained", "flow"),
    ("preschool_ger", "rate"), ("edu_spending_budget_share", "rate"),
    ("edu_investment", "money"), ("per_student_recurrent_spending", "money"),
    ("master_teachers", "designation"), ("key_teachers", "designation"), ("special_grade_teachers", "designation"),
    ("mean_years_schooling", "other"), ("new_building_area", "other"),
])
def test_dictionary_measure_types(indicator_id, expected):
    from planlib.extract.dictionary import indicators_frame

    frame = indicators_frame().set_index("indicator_id")
    assert frame.loc[indicator_id, "measure_type"] == expected


@pytest.mark.parametrize("label,unit,expected", [
    ("新增有证幼儿园", "所", "flow"),
    ("新招聘教师", "人", "flow"),
    ("培训教师", "人次", "flow"),
    ("配备心理健康工作人员的中小学校比例", "%", "rate"),
    ("民办教育发展奖励资金", "元", "money"),
    ("国家中等职业教育改革发展示范校", "所", "designation"),
    ("县级及以上文明校园", "所", "designation"),
    ("体育特色学校", "所", "designation"),
    ("高职院校", "所", "stock"),
    ("入住教师", "人", "stock"),
    ("铺设塑胶运动场", "平方米", "other"),
    ("名师课堂", "间", "other"),
])
def test_measure_type_inferred_from_words_and_unit(label, unit, expected):
    assert infer_measure_type(label, unit) == expected


# --- how far a cue reaches ------------------------------------------------------------------

def test_a_verbless_list_item_takes_the_verb_before_it():
    text = "建设各类项目学校40所，市级以上特色学校或教育实践基地15个。"
    assert meaning(text, "15个").basis == "cumulative"  # 建设 … , … 15个 (the review)


def test_a_count_that_is_the_subject_of_the_verb_is_no_flow():
    text = "某中学等21所民办学校获得专项经费奖励500万元。"
    assert meaning(text, "21所").basis == "point"
    assert meaning(text, "500万元").basis == "cumulative"  # 获得…奖励500万元 in the review


def test_a_clause_with_its_own_verb_does_not_inherit():
    text = "开展试点,市一中被评选为试点学校,市二中等9所学校被选为样本校。"
    assert meaning(text, "9所").basis == "point"


def test_a_paragraph_opening_span_frames_later_sentences_without_a_date():
    text = "“十四五”期间,表彰优秀教师300名。评选特级教师4人。到2025年,建成名师工作室9个。"
    assert meaning(text, "300名", 2025, "target") == Meaning("cumulative", 2021, 2025)
    assert meaning(text, "4人", 2025, "target") == Meaning("cumulative", 2021, 2025)
    assert meaning(text, "9个", 2025, "target") == Meaning("point")


def test_sums_of_parts_are_no_span():
    # 合计 in a school-by-school table sums schools, not years
    m = basis_of("246", 0, 3, year=2025, kind="target", period=PLAN, label="表5 合计 班级", table=True)
    assert m.basis == "point"
    assert meaning("全县共有学校120所。", "120所", 2020, "baseline").basis == "point"  # 共有: a level
    assert meaning("公共财政教育支出达到5亿元。", "5亿元", 2020, "baseline").basis == "point"


def test_review_table_columns_are_levels():
    m = basis_of("1.2353", 0, 6, year=2020, kind="baseline", period=PLAN, label="在园幼儿数（万人）",
                 context="“十三五”时期主要指标 2020年", table=True)
    assert m.basis == "point"


def test_parse_plan_sets_the_columns_on_table_and_prose_rows(tmp_path):
    """End to end: a table row whose label says 累计 and prose with 生均 / 每年 / a review total."""
    from planlib.build.pipeline import parse_plan

    text = ("某县教育事业发展“十四五”规划（2021—2025年）\n\n"
            "一、“十三五”发展成就\n“十三五”期间，累计投入教育经费12亿元，新建学校6所。\n"
            "二、主要目标\n指标 2020年 2025年\n在校学生数（人） 30000 32000\n累计新建学校（所） 6 10\n"
            "到2025年，学前三年毛入园率达到95%。每年招聘教师100名。生均公用经费不低于800元。\n")
    path = tmp_path / "place.txt"
    path.write_text(text, encoding="utf-8")
    t = parse_plan(path).targets_frame
    got = {(r.source, r.value_raw): (r.basis, None if r.span_start is pd.NA else int(r.span_start), r.measure_type)
           for r in t.itertuples()}
    assert got[("prose", "12")] == ("cumulative", 2016, "money")
    assert got[("prose", "6")] == ("cumulative", 2016, "flow")
    assert got[("table", "30000")][0] == "point"
    assert got[("table", "6")][:2] == ("cumulative", 2016)  # 2020 column: the 十三五 total
    assert got[("table", "10")][:2] == ("cumulative", 2021)  # 2025 column: the plan's
    assert got[("prose", "95")] == ("point", None, "rate")
    assert got[("prose", "100")][0] == "annual"
    assert got[("prose", "800")][0] == "per_unit"
