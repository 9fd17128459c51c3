"""Names (issue 10 item 5): common measures carry a dictionary id, and indicator_zh is the
measure's own short name from the text, never a clause fragment. Sentences are our own."""
from __future__ import annotations

import pytest

from test_prose import REVIEW, TARGETS, indicator_id, pick, rows_of



def name_problems(name: str) -> list[str]:
    """planlib.extract.prose.name_problems, imported late (it is built after these tests)."""
    from planlib.extract.prose import name_problems as problems

    return problems(name)




def test_school_counts_by_level_are_named_by_level():
    """The dictionary models levels by id (primary_enrollment, junior_enrollment): so do school counts."""
    rows = rows_of(REVIEW, "全镇有幼儿园12所，小学9所，初中4所，普通高中1所，中职学校1所。")
    assert pick(rows, 12)["indicator_id"] == indicator_id("幼儿园数")
    assert pick(rows, 9)["indicator_id"] == indicator_id("小学学校数")
    assert pick(rows, 4)["indicator_id"] == indicator_id("初中学校数")
    assert pick(rows, 9)["indicator_id"] != pick(rows, 4)["indicator_id"]
    assert pick(rows, 9)["level"] == "primary" and pick(rows, 4)["level"] == "junior"
    assert pick(rows, 1, level="general_high")["indicator_id"] == indicator_id("普通高中学校数")


def test_a_built_school_stays_a_flow():
    rows = rows_of(TARGETS, "新建小学3所。")
    assert pick(rows, 3)["indicator_id"] == indicator_id("新建学校")


def test_a_bare_level_counted_in_people_is_no_school_count():
    rows = rows_of(REVIEW, "全镇有小学教师300人。")
    assert pick(rows, 300)["indicator_id"] != indicator_id("小学学校数")


@pytest.mark.parametrize("name", [
    "遴选高校", "企业建立校校", "推荐全省高校就业创业指导名师并探索建立一批名", "中小学网络学习空间覆盖率均",
    "标准班额从", "县内初升高比例仅", "每年招聘幼儿教师占比不低于招聘总数", ".1+X证书试点专业学生双证获取率",
    "包括甲幼儿园、乙幼儿园、丙幼儿园、丁幼儿园和戊幼儿园城区幼儿园新建工程", "按照每月"])
def test_fragment_shapes_are_named_problems(name):
    assert name_problems(name), name


@pytest.mark.parametrize("name", ["学前三年毛入园率", "新建幼儿园", "生均公用经费", "市级骨干教师", "高校",
                                  "义务教育阶段在校生", "教育费附加用于职业教育的比例", "培训学时"])
def test_measure_names_are_no_problems(name):
    assert name_problems(name) == []


def test_a_classifier_noun_stops_at_a_verb():
    rows = rows_of(TARGETS, "与6所高校、15个企业建立校企合作关系。推荐8名市级名师并探索建立一批名师工作室。")
    assert pick(rows, 15)["indicator_zh"] == "企业"
    assert pick(rows, 8)["indicator_zh"] == "市级名师"


def test_leading_selection_verbs_are_no_part_of_the_name():
    rows = rows_of(TARGETS, "遴选2所高校、6所中职学校开展试点。")
    assert pick(rows, 2)["indicator_zh"] == "高校"


def test_stubs_and_comparison_bases_are_cut_from_the_name():
    rows = rows_of(TARGETS, "中小学标准化率、达标率均达100%。每年招聘幼儿教师占比不低于招聘总数的15%。"
                            "县内初升高比例仅62%。")
    for r in rows:
        assert name_problems(r["indicator_zh"]) == [], r["indicator_zh"]
    assert pick(rows, 15)["indicator_zh"] == "每年招聘幼儿教师占比"
    assert pick(rows, 62)["indicator_zh"] == "县内初升高比例"


def test_a_list_of_proper_names_before_a_count_is_no_part_of_the_name():
    rows = rows_of(REVIEW, "建成甲镇中心小学、乙镇中学、丙镇幼儿园等12所标准化学校。")
    assert pick(rows, 12)["indicator_zh"] == "建成标准化学校"  # the list's verb stays: a flow


def test_a_share_whose_measure_follows_the_number_is_named_by_it():
    """义务教育学校100%达到省定办学标准: the label names who, the words after the number name the measure."""
    rows = rows_of(TARGETS, "到2025年，全县初中学校95%达到省定办学标准，小学生体质健康合格率达到92%。")
    assert pick(rows, 95)["indicator_id"] == indicator_id("达到省定办学标准")
    assert pick(rows, 92)["indicator_id"] == indicator_id("学生体质健康合格率")


def test_remote_classrooms_are_named_and_are_no_master_teachers():
    rows = rows_of(TARGETS, "建成专递课堂30间、名师课堂12间。")
    assert {pick(rows, 30)["indicator_id"], pick(rows, 12)["indicator_id"]} == {indicator_id("名师课堂")}
    assert indicator_id("名师课堂") != indicator_id("名师")


def test_a_shorter_wording_whose_unit_fits_names_the_number():
    """常年招生20个班900人: 常年招生班 counts classes, so 900人 is the shorter 常年招生 (students admitted)."""
    rows = rows_of(TARGETS, "普通高中常年招生20个班900人。")
    assert pick(rows, 20)["indicator_id"] == indicator_id("常年招生班")
    assert pick(rows, 900)["indicator_id"] == indicator_id("招生人数")
    rows = rows_of(TARGETS, "建成名师课堂50间。")  # still no master teachers
    assert pick(rows, 50)["indicator_id"] != indicator_id("名师")


@pytest.mark.parametrize("label, name", [
    ("保持全县义务教育阶段残疾儿童少年入学率", "义务教育阶段残疾儿童少年入学率"),
    ("在保持教育财政支出占公共财政支出的比例", "教育财政支出占公共财政支出的比例"),
    ("在优秀的县级骨干教师中选拔培养县级学科名师", "选拔培养县级学科名师"),
    ("加大教师交流力度(其中骨干教师交流比例", "骨干教师交流比例"),
    ("民办义务教育在校生占比市域内", "民办义务教育在校生占比"),
    ("学前教育财政性经费达财政性教育经费", "学前教育财政性经费"),
    ("内拟培育市级名师", "培育市级名师"),
    ("三残儿童”入学率", "三残儿童入学率"),
    ("学历达标率", "学历达标率"),
    ("达到省定办学标准的义务教育学校", "达到省定办学标准的义务教育学校"),
])
def test_frames_around_a_name_are_cut(label, name):
    """Frames a clause puts around a measure (在……中, 保持, an open bracket, 市域内) are no part of its name."""
    from planlib.extract.prose import name_of

    assert name_of(label) == name
