"""Hard sentences from the real plans, with the rows expected (written before the code)."""
from __future__ import annotations

import hashlib
import math
from pathlib import Path

import pytest

from planlib.read.periods import Period
from planlib.extract.prose import extract_prose
from planlib.schema import columns
from planlib.read.text import PlanText

REVIEW = "一、发展基础"
TARGETS = "三、发展目标"
TITLE = "某县教育事业发展“十四五”规划（2021—2025年）"


def make_plan(*lines: str, name: str = "testcounty.txt") -> PlanText:
    text = "\n".join(lines)
    raw = text.encode("utf-8")
    return PlanText(path=Path("data/raw") / name, text=text, encoding="utf-8",
                    sha256=hashlib.sha256(raw).hexdigest(), n_bytes=len(raw), lines=tuple(lines))


def rows_of(*lines: str, **kw) -> list[dict]:
    return extract_prose(make_plan(TITLE, *lines), **kw)


def pick(rows, value, **fields):
    """The single row with this value (and fields); fails loudly otherwise."""
    hits = [r for r in rows if math.isclose(r["value"], value)
            and all(r[k] == v for k, v in fields.items())]
    assert len(hits) == 1, f"{len(hits)} rows with value {value} {fields}: {[(r['value'], r['year'], r['kind'], r['indicator_zh']) for r in rows]}"
    return hits[0]


def indicator_id(label: str) -> str:
    from planlib.extract.dictionary import match_indicator

    ind = match_indicator(label)
    assert ind is not None, f"the dictionary should know {label}"
    return ind.indicator_id


# --- years and kinds -------------------------------------------------------------------

def test_review_rates_change_and_from_to():
    rows = rows_of(REVIEW, "“十三五”期间，学前三年毛入园率提高到90.1%，较2015年提高19.1个百分点，"
                           "高中阶段毛入学率由2015年的86%提高到95%。")
    r = pick(rows, 90.1)
    assert (r["unit"], r["year"], r["kind"], r["comparator"]) == ("%", 2020, "baseline", "=")
    assert r["indicator_id"] == indicator_id("学前三年毛入园率")
    r = pick(rows, 19.1)
    assert (r["unit"], r["year"], r["kind"]) == ("pp", 2020, "change")
    assert r["unit_raw"] == "个百分点"
    r = pick(rows, 86)
    assert (r["year"], r["kind"]) == (2015, "baseline")
    assert r["indicator_id"] == indicator_id("高中阶段毛入学率")
    r = pick(rows, 95)
    assert (r["year"], r["kind"]) == (2020, "baseline")
    assert r["indicator_id"] == indicator_id("高中阶段毛入学率")
    assert len(rows) == 4


def test_from_to_in_a_target_section_gives_baseline_and_target():
    rows = rows_of(TARGETS, "高中阶段毛入学率由2020年的95%提高到98.5%。")
    assert (pick(rows, 95)["year"], pick(rows, 95)["kind"]) == (2020, "baseline")
    r = pick(rows, 98.5)
    assert (r["year"], r["kind"]) == (2025, "target")


def test_counts_from_year_to_year():
    rows = rows_of(REVIEW, "中职在校生由2015年1523人上升到2467人，毕业生初次就业率达97%，较2015年增长2个百分点。")
    r = pick(rows, 1523)
    assert (r["unit"], r["year"], r["kind"]) == ("人", 2015, "baseline")
    r = pick(rows, 2467)
    assert (r["year"], r["kind"]) == (2020, "baseline")
    assert (pick(rows, 2)["kind"], pick(rows, 2)["unit"]) == ("change", "pp")


def test_wan_scaling_and_explicit_years():
    rows = rows_of(REVIEW, "在校生人数从2016年的130.23万人增加到2020年的144.26万人。")
    r = pick(rows, 1302300)
    assert (r["year"], r["kind"], r["unit"], r["value_raw"], r["unit_raw"]) == (2016, "baseline", "人", "130.23", "万人")
    r = pick(rows, 1442600)
    assert (r["year"], r["kind"]) == (2020, "baseline")


def test_period_totals_are_baselines_at_period_end():
    rows = rows_of(REVIEW, "“十三五”期间，累计教育投入34亿元，新建投用学校10所，新增学位8300个。")
    r = pick(rows, 3.4e9)
    assert (r["unit"], r["year"], r["kind"], r["domain"]) == ("元", 2020, "baseline", "funding")
    assert pick(rows, 10)["domain"] == "schools"
    assert pick(rows, 8300)["year"] == 2020


def test_undated_target_is_period_end_and_dated_targets_keep_their_year():
    rows = rows_of(TARGETS, "培育市级骨干教师60人。到2022年底，公办园在园幼儿占比达到50%；到2025年底，公办园在园幼儿占比达到60%。")
    r = pick(rows, 60, unit="人")
    assert (r["year"], r["kind"], r["domain"]) == (2025, "target", "teachers")
    assert (pick(rows, 50)["year"], pick(rows, 50)["kind"]) == (2022, "target")
    assert pick(rows, 60, unit="%")["year"] == 2025


def test_recurring_norms_have_no_year():
    rows = rows_of(TARGETS, "确保每年招聘幼儿教师占比不低于招聘总数的20%。"
                            "学前教育生均公共财政预算教育事业费支出水平不低于6000元。")
    r = pick(rows, 20)
    assert (r["year"], r["kind"], r["comparator"]) == (None, "target", ">=")
    r = pick(rows, 6000)
    assert (r["year"], r["unit"], r["comparator"], r["domain"]) == (None, "元", ">=", "funding")


def test_growth_rates_are_changes():
    rows = rows_of(REVIEW, "累计投入教育经费60.06亿元，比“十二五”提高104.08%，年均增长20.82%。"
                           "九年义务教育巩固率达到96%，比2015年增长5%。")
    assert pick(rows, 6.006e9)["kind"] == "baseline"
    assert pick(rows, 104.08)["kind"] == "change"
    r = pick(rows, 20.82)
    assert (r["kind"], r["year"]) == ("change", None)
    r = pick(rows, 5)
    assert (r["kind"], r["unit"], r["year"]) == ("change", "%", 2020)


def test_thirteenth_plan_sentence_in_a_target_section_is_a_baseline():
    rows = rows_of(TARGETS, "“十三五”期间累计补充教师620名。")
    assert (pick(rows, 620)["year"], pick(rows, 620)["kind"]) == (2020, "baseline")


# --- comparators -----------------------------------------------------------------------

def test_comparators():
    rows = rows_of(TARGETS, "职业学校“双师型”教师比例达到55%以上，投入近16亿元，"
                            "残疾少年高中阶段入学率不低于80%，新建2~3所小学。")
    assert pick(rows, 55)["comparator"] == ">="
    assert pick(rows, 1.6e9)["comparator"] == "approx"
    assert pick(rows, 80)["comparator"] == ">="
    r = pick(rows, 2)
    assert (r["comparator"], r["value_high"], r["unit"]) == ("range", 3, "所")


# --- lists -----------------------------------------------------------------------------

def test_list_with_shared_head_noun():
    rows = rows_of(REVIEW, "小学、初中入学率达到100%、99.6%，九年义务教育巩固率达到96%。")
    primary, junior = pick(rows, 100), pick(rows, 99.6)
    assert "小学" in primary["indicator_zh"] and "初中" in junior["indicator_zh"]
    assert primary["indicator_id"] == indicator_id("小学入学率")
    assert junior["indicator_id"] == indicator_id("初中入学率")
    assert primary["indicator_id"] != junior["indicator_id"]
    assert {primary["year"], junior["year"]} == {2020}


def test_respectively_list():
    rows = rows_of(TARGETS, "学前三年毛入园率、九年义务教育巩固率、高中阶段毛入学率分别达到95%、99%、98.5%。")
    assert pick(rows, 95)["indicator_id"] == indicator_id("学前三年毛入园率")
    assert pick(rows, 99)["indicator_id"] == indicator_id("九年义务教育巩固率")
    assert pick(rows, 98.5)["indicator_id"] == indicator_id("高中阶段毛入学率")
    assert all(r["year"] == 2025 and r["kind"] == "target" for r in rows)
    assert len(rows) == 3


def test_separators_lost_in_a_respectively_list():
    rows = rows_of(REVIEW, "全市幼儿教师专科率、小学教师本科率、初中教师本科率、高中教师研究生率分别达100%92%100%25%。")
    assert [r["value"] for r in sorted(rows, key=lambda r: r["char_start"])] == [100, 92, 100, 25]
    labels = [r["indicator_zh"] for r in sorted(rows, key=lambda r: r["char_start"])]
    assert "幼儿" in labels[0] and "小学" in labels[1] and "初中" in labels[2] and "高中" in labels[3]


def test_separators_lost_with_shared_head_noun():
    rows = rows_of(REVIEW, "小学、初中教师本科率达91.52%97.32%，高中教师研究生率达17.40%。")
    assert "小学" in pick(rows, 91.52)["indicator_zh"]
    assert "初中" in pick(rows, 97.32)["indicator_zh"]
    assert pick(rows, 17.4)["domain"] == "teachers"


def test_respectively_changes_take_the_preceding_measures():
    rows = rows_of(REVIEW, "学前三年毛入园率达到85.1%、普惠率达96.8%，比2015年分别增长6.1个百分点、13.3个百分点。")
    a, b = pick(rows, 6.1), pick(rows, 13.3)
    assert a["kind"] == b["kind"] == "change"
    assert a["indicator_id"] == pick(rows, 85.1)["indicator_id"] != ""
    assert "普惠" in b["indicator_zh"]


def test_unnamed_in_domain_numbers_are_kept():
    rows = rows_of(TARGETS, "建成智慧校园示范校20所。")
    r = pick(rows, 20)
    assert r["domain"] == "schools"  # kept even when the dictionary has no id for it
    assert r["indicator_id"] == "" and r["indicator_zh"] == "建成智慧校园示范校"  # empty id, the words as written


# --- what is not a number --------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "2021129",
    "城府办发〔2021〕198号",
    "推广实行1+X证书制度，全面建设覆盖全县各级各类学校的5G教育宽带网。",
    "一、指导思想……………………………12",
    "“十四五”时期教育事业高质量发展。",
    "全县地区生产总值年均增长8%，常住人口达到45万人。",
    "新征教育用地330余亩，儿童青少年总体近视率每年降低1个百分点以上。",
    "[ 成文日期 ]2021-12-09 [ 发布日期 ]2021-12-10",
    "深入贯彻党的十九大及十九届二中、三中、四中、五中、六中全会精神。",
])
def test_not_numbers(line):
    assert rows_of(TARGETS, line) == []


# --- contract --------------------------------------------------------------------------

def test_rows_cite_the_file_relative_to_the_project_like_every_table():
    from planlib.paths import PROJECT_ROOT

    lines = (TITLE, REVIEW, "全县有各级各类学校202所。")
    text = "\n".join(lines)
    plan = PlanText(path=PROJECT_ROOT / "data" / "raw" / "testcounty.txt", text=text, encoding="utf-8",
                    sha256=hashlib.sha256(text.encode()).hexdigest(), n_bytes=len(text.encode()), lines=lines)
    rows = extract_prose(plan)
    assert [r["source_file"] for r in rows] == ["data/raw/testcounty.txt"]


def test_rows_have_the_targets_columns_and_cite_their_line():
    from planlib.build.pipeline import LOCATION_COLUMNS
    from planlib.extract.meaning import COLUMNS as MEANING_COLUMNS

    plan = make_plan(TITLE, REVIEW, "全县有各级各类学校202所，在校学生76293人，在编教职工6016人。")
    rows = extract_prose(plan)
    assert [r["value"] for r in rows] == [202, 76293, 6016]
    for r in rows:
        # planlib.extract.meaning adds the meaning columns, the pipeline where the line is (text_file, table cell)
        assert set(columns("targets")) - set(MEANING_COLUMNS) - set(LOCATION_COLUMNS) <= set(r)
        assert r["source"] == "prose" and r["county"] == "testcounty" and r["table_id"] == ""
        assert r["source_file"] == str(plan.path) and r["attribute"] == ""
        assert r["source_file"] == plan.source_file  # as tables and schools cite the file
        text = plan.lines[r["line"] - 1]
        assert r["quote"] in text and r["value_raw"] in text[r["char_start"]:r["char_end"]]
        assert r["value_raw"] in r["quote"]
        assert (r["year"], r["kind"]) == (2020, "baseline")


def test_skip_lines_are_not_read():
    plan = make_plan(TITLE, TARGETS, "高中阶段毛入学率达98%以上。", "九年义务教育巩固率达到97%。")
    assert [r["value"] for r in extract_prose(plan, skip_lines={3})] == [97]


def test_period_argument_overrides_the_text():
    plan = make_plan("某县教育发展规划", TARGETS, "高中阶段毛入学率达98%以上。")
    assert extract_prose(plan, period=Period(2026, 2030))[0]["year"] == 2030


def test_keys_unique_and_deterministic():
    lines = (REVIEW, "小学、初中入学率达到100%、99.6%，比2015年分别增长1个百分点、2个百分点。")
    a, b = rows_of(*lines), rows_of(*lines)
    assert a == b
    assert len({(r["source_file"], r["line"], r["char_start"]) for r in a}) == len(a)


# --- from-to without a year, shares of the measure before, item numbers -----------------

def test_from_previous_plan_end_to_now():
    rows = rows_of(REVIEW, "大班额从“十二五”末期的478个下降到31个，标准班额从56.1%上升到86.3%。")
    assert (pick(rows, 478)["year"], pick(rows, 478)["kind"]) == (2015, "baseline")
    assert (pick(rows, 31)["year"], pick(rows, 31)["kind"]) == (2020, "baseline")
    assert pick(rows, 56.1)["year"] == 2015
    assert pick(rows, 86.3)["year"] == 2020


def test_share_of_the_measure_just_named():
    rows = rows_of(TARGETS, "市县级骨干教师总量达到2500人，占专任教师总量的30%。")
    assert "骨干教师" in pick(rows, 30)["indicator_zh"]
    assert pick(rows, 30)["domain"] == "teachers"


def test_measure_after_the_number_when_none_before():
    rows = rows_of(REVIEW, "累计投入近1.3亿元，全市50%以上的学校达省中小学教育技术装备类标准。")
    assert "学校" in pick(rows, 50)["indicator_zh"]
    assert pick(rows, 50)["indicator_zh"] != pick(rows, 1.3e8)["indicator_zh"]


def test_item_numbers_and_slogans():
    rows = rows_of(TARGETS, "1.引进和培养硕士研究生200人，全县硕士研究生以上学历教师达到专任教师总数的5%。",
                   "实施“一人一技”计划，发挥“培训一人、就业一人”作用。")
    assert not pick(rows, 200)["indicator_zh"].startswith("1")
    assert pick(rows, 200)["domain"] == "teachers"
    assert {r["line"] for r in rows} == {3}


def test_one_decimal_values_are_not_programme_names():
    # 86.0% is a value; 信息化2.0 is a programme name (regression: both once matched the same pattern)
    rows = rows_of("到2025年，学前三年毛入园率达到86.0%，实施教育信息化2.0行动。")
    assert [(r["value"], r["unit"]) for r in rows] == [(86.0, "%")]


# --- precision: numbers that are no targets, and units that contradict a wording -------

def test_head_count_thresholds_are_definitions_not_targets():
    rows = rows_of(TARGETS, "全面消除56人以上大班额，高中阶段教育毛入学率提高到93.5%。逐步实现随班就读5人以上普通学校建设资源教室。")
    assert [r["value"] for r in rows] == [93.5]
    rows = rows_of(TARGETS, "每年招聘100名以上教师。")  # people follow: a target
    assert pick(rows, 100)["domain"] == "teachers"


def test_numbers_spelling_out_a_ratio_are_dropped():
    rows = rows_of(TARGETS, "采取“1+10+100”的模式，实现1名乡村首席教师协同指导10名乡村骨干教师，"
                            "示范引领、辐射带动100名乡村教师的专业发展。培育市级骨干教师60人。")
    assert [r["value"] for r in rows] == [60]


def test_a_run_of_ones_behind_bare_verbs_is_a_slogan():
    rows = rows_of(TARGETS, "按照发展之路，成熟1所创建1所、创建1所命名1所，有序推进特色学校建设。")
    assert rows == []
    rows = rows_of(TARGETS, "新建幼儿园1所、改扩建小学1所。")  # each names what it builds
    assert len(rows) == 2


def test_a_lost_separator_does_not_carry_university_admissions_into_enrollment():
    rows = rows_of(REVIEW, "高中阶段教育毛入学率达100%29人被清华、北大录取。")
    assert [r["value"] for r in rows] == [100]


def test_durations_are_no_quantities():
    rows = rows_of(REVIEW, "近五年累计资助1.09亿元。")
    assert [(r["value"], r["unit"]) for r in rows] == [(1.09e8, "元")]
    rows = rows_of(TARGETS, "五年内拟培育市级名师200人、骨干教师7000人。五年内集团化办学覆盖率不低于70%。")
    assert sorted(r["value"] for r in rows) == [70, 200, 7000]
    assert all(r["unit"] != "年" for r in rows)


def test_unit_decides_between_a_count_and_its_share():
    rows = rows_of(TARGETS, "市县级骨干教师总量达到2500人，占专任教师总量的30%。")
    assert pick(rows, 2500)["indicator_id"] == indicator_id("骨干教师")
    assert pick(rows, 30)["indicator_id"] == indicator_id("骨干教师占专任教师比例")
    rows = rows_of(REVIEW, "普通高中大班额接近80%。")
    assert pick(rows, 80)["indicator_id"] == indicator_id("大班额比例")


def test_a_wording_with_the_wrong_unit_stays_unnamed():
    rows = rows_of(TARGETS, "建成智慧校园示范校20所、专递课堂50间、名师课堂50间。新建24班规模的实训综合楼建筑面积8000平方米。")
    assert all(r["indicator_id"] != indicator_id("名师") for r in rows)
    classroom = [r for r in rows if r["indicator_zh"].endswith("名师课堂")]
    # a room, not a master teacher: the dictionary names remote classrooms (issue 10 item 5)
    assert [(r["indicator_id"], r["domain"]) for r in classroom] == [(indicator_id("名师课堂"), "schools")]
    assert pick(rows, 24)["indicator_id"] != indicator_id("建筑面积")
    assert pick(rows, 8000)["indicator_id"] == indicator_id("建筑面积")


def test_a_growth_rate_keeps_the_measure_it_grows():
    rows = rows_of(TARGETS, "财政性教育经费年均增长8%。")
    assert pick(rows, 8)["kind"] == "change"


def test_key_specialities_are_no_teachers():
    rows = rows_of(TARGETS, "新增市级骨干专业不少于3个，培育市级骨干教师60人。")
    assert [r["value"] for r in rows] == [60]


def test_yuan_inside_a_name_is_no_money():
    rows = rows_of(REVIEW, "建成白马、天元等5个幼儿园，按照每月不低于400元发放补助。")
    assert pick(rows, 5)["domain"] == "schools"
    assert pick(rows, 400)["domain"] == "funding"


def test_level_from_the_enclosing_heading():
    rows = rows_of(REVIEW, "5.高等教育稳步发展。", "普通高校在校生达到10.83万人，教职工人数达到7213人。",
                   "6.教师队伍建设取得新突破。", "教职工人数达到9000人。")
    assert pick(rows, 7213)["level"] == "higher"
    assert pick(rows, 9000)["level"] == ""
    rows = rows_of(TARGETS, "（四）着力普及普惠，推进特殊教育品质提升", "教职工人数达到300人。",
                   "（五）推动各类教育发展", "7.构建完善终身教育体系。", "教职工人数达到400人。",
                   "专栏5 各类教育发展主要目标任务", "教职工人数达到500人。")
    assert pick(rows, 300)["level"] == "special"  # the longest level word, not 普惠
    assert pick(rows, 400)["level"] == "lifelong"
    assert pick(rows, 500)["level"] == ""  # a box ends the section's items


# --- audit fixes: comparators, per-unit norms, shared verbs and levels in lists ---------

def test_at_least_a_verb_away_is_at_least():
    rows = rows_of(TARGETS, "到2025年，努力实现每百名学生至少拥有1名县级以上骨干教师，支持每县至少建设1所社区学院。")
    assert pick(rows, 1, unit="名")["comparator"] == ">="
    assert pick(rows, 1, unit="所")["comparator"] == ">="


def test_exceeding_a_qualified_level_is_more_than():
    rows = rows_of(TARGETS, "保持残疾儿童少年入学率超过省定90%的目标。")
    assert pick(rows, 90)["comparator"] == ">"


def test_the_number_after_mei_is_no_target_and_makes_a_norm():
    rows = rows_of(TARGETS, "到2025年，确保所有小学每12个班级配备音乐专用教室1间以上。")
    assert [r for r in rows if math.isclose(r["value"], 12)] == []
    r = pick(rows, 1)
    assert (r["year"], r["comparator"]) == (None, ">=")


def test_a_per_increment_allowance_has_no_year():
    rows = rows_of(TARGETS, "按照每增加一年教龄增加10元的标准累计计算核定，发放教师教龄津贴。")
    assert pick(rows, 10)["year"] is None


def test_a_list_shares_its_verb():
    rows = rows_of(REVIEW, "“十三五”期间，新建公办幼儿园8所、中小学6所。")
    assert pick(rows, 6)["indicator_id"] == indicator_id("新建中小学")
    assert pick(rows, 8)["indicator_id"] == indicator_id("新建公办幼儿园")
    rows = rows_of(TARGETS, "到2025年，新建及改扩建幼儿园12所、义务教育学校11所、高中学校2所。")
    assert pick(rows, 11)["indicator_id"] == indicator_id("新建及改扩建义务教育学校")
    assert pick(rows, 2)["indicator_id"] == indicator_id("新建高中学校")


def test_a_bare_measure_takes_the_level_listed_before_it():
    rows = rows_of(TARGETS, "义务教育入学率达100%，巩固率达99%以上，特殊儿童少年义务教育入学率保持在99.5%以上，"
                            "高中阶段毛入学率达到98.5%以上。")
    r = pick(rows, 99)
    assert (r["indicator_id"], r["comparator"]) == (indicator_id("义务教育巩固率"), ">=")


def test_clubs_honours_and_health_checks_are_no_targets():
    rows = rows_of(TARGETS, "打造100个高水平学生艺术社团，评品德好少年1000名，学生健康体检完成率达100%，"
                            "打造中小学生精品思政课100例。")
    assert rows == []


def test_a_head_count_for_schools_counts_teachers():
    rows = rows_of(TARGETS, "每年为农村学校动态定向培养补充100名左右高学历、高素质、专业化的中小学教师。")
    r = pick(rows, 100)
    assert (r["domain"], r["comparator"], r["year"]) == ("teachers", "approx", None)


def test_output_value_of_a_partnership_is_no_funding():
    rows = rows_of(TARGETS, "专业课教师“双师型”比例达到60%左右，校企合作实现年均产值1亿元以上。")
    assert [r for r in rows if r["unit"].startswith("元")] == []
    assert pick(rows, 60)["comparator"] == "approx"


# --- context from run-in headings and inline review markers (issue 10, item 2) ----------

def test_a_run_in_review_heading_makes_its_paragraph_a_baseline():
    """（一）发展基础。全镇有… : the review heading runs into its paragraph; its numbers are 2020 facts."""
    rows = rows_of("一、总体要求", "（一）发展基础。全镇有中学7所，在校学生5200人。教师队伍持续壮大，专任教师410人。",
                   "继续前行，普惠性幼儿园覆盖率85%。",
                   "（二）发展目标。全镇在校学生6000人。")
    for value in (7, 5200, 410, 85):
        assert (pick(rows, value)["year"], pick(rows, value)["kind"]) == (2020, "baseline")
    assert (pick(rows, 6000)["year"], pick(rows, 6000)["kind"]) == (2025, "target")


def test_a_run_in_heading_that_names_no_review_keeps_its_sections_context():
    rows = rows_of(REVIEW, "（一）办学条件明显改善。全镇有中学7所。", TARGETS, "（一）学前教育。全镇在园幼儿900人。")
    assert (pick(rows, 7)["year"], pick(rows, 7)["kind"]) == (2020, "baseline")
    assert (pick(rows, 900)["year"], pick(rows, 900)["kind"]) == (2025, "target")


@pytest.mark.parametrize("opening", ["“十三五”以来，教育事业稳步发展。", "发展基础：", "取得的成就。"])
def test_an_inline_review_marker_opening_a_paragraph_makes_it_a_baseline(opening):
    rows = rows_of(TARGETS, opening + "全镇有中学7所。专任教师410人。")
    for value in (7, 410):
        assert (pick(rows, value)["year"], pick(rows, value)["kind"]) == (2020, "baseline")


def test_a_review_marker_later_in_a_plan_paragraph_does_not_turn_it_into_a_review():
    rows = rows_of(TARGETS, "到2025年，全镇专任教师达到450人，巩固“十三五”以来取得的成就。新建学校3所。")
    assert (pick(rows, 450)["year"], pick(rows, 450)["kind"]) == (2025, "target")
    assert (pick(rows, 3)["year"], pick(rows, 3)["kind"]) == (2025, "target")


# --- explicit dates before a number (issue 10, item 4) -----------------------------------

def test_a_full_date_deadline_is_the_year_of_the_numbers_after_it():
    rows = rows_of(TARGETS, "2023年6月30日前，全镇民办中学在校生占比控制在8%以内，新建学校2所。")
    for value in (8, 2):
        assert (pick(rows, value)["year"], pick(rows, value)["kind"]) == (2023, "target")


def test_a_month_deadline_and_a_year_end_deadline():
    rows = rows_of(TARGETS, "到2024年3月，全镇专任教师达到450人。到2023年底，全镇新建学校4所。力争在校学生6000人。")
    assert (pick(rows, 450)["year"], pick(rows, 450)["kind"]) == (2024, "target")
    assert (pick(rows, 4)["year"], pick(rows, 4)["kind"]) == (2023, "target")
    assert (pick(rows, 6000)["year"], pick(rows, 6000)["kind"]) == (2025, "target")


def test_a_past_date_in_a_review_is_a_baseline_of_its_year():
    rows = rows_of(REVIEW, "截至2019年9月1日，全镇有中学7所。")
    assert (pick(rows, 7)["year"], pick(rows, 7)["kind"]) == (2019, "baseline")


# --- levels carried through alternating lists (issue 10, item 3) ---------------------------

def test_a_count_after_a_level_specific_school_count_takes_that_level():
    """有小学16所，在校生8600人；初中5所，在校生4100人: each 在校生 is the level just counted."""
    rows = rows_of(REVIEW, "全镇有小学16所，在校生8600人；初中5所，在校生4100人；"
                           "普通高中学校3所，在校生2400人；中职学校1所，在校生900人。")
    assert pick(rows, 8600)["level"] == "primary"
    assert pick(rows, 4100)["level"] == "junior"
    assert pick(rows, 2400)["level"] == "general_high"
    assert pick(rows, 900)["level"] == "vocational"
    assert pick(rows, 8600)["indicator_id"] != pick(rows, 4100)["indicator_id"]


def test_alternating_list_with_commas_only_and_a_preschool_item():
    rows = rows_of(REVIEW, "全镇有幼儿园20所，在园幼儿3100人，小学16所，在校生8600人，初中5所，在校生4100人。")
    assert pick(rows, 3100)["level"] == "preschool"
    assert pick(rows, 8600)["level"] == "primary"
    assert pick(rows, 4100)["level"] == "junior"


def test_a_count_with_its_own_level_keeps_it_in_a_list():
    rows = rows_of(REVIEW, "全镇有小学16所，初中在校生4100人。")
    assert pick(rows, 4100)["level"] == "junior"
