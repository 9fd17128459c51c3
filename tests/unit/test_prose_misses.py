"""Prose numbers the five plans showed planlib missing (issue 10 item 6): land area in 亩, the
land-transfer revenue share for education, per-pupil funds as a multiple of another level's,
training hours, books per pupil. Each sentence is our own, checked by hand, written before the rule.
"""
from __future__ import annotations

import pytest

from test_prose import REVIEW, TARGETS, indicator_id, pick, rows_of



def test_land_area_in_mu_is_named_when_the_clause_says_land():
    rows = rows_of(TARGETS, "迁建县第二小学，新校区占地面积约45亩，总建筑面积12000平方米。")
    r = pick(rows, 45)
    assert (r["unit"], r["domain"], r["year"], r["kind"], r["comparator"]) == ("亩", "schools", 2025, "target", "approx")
    assert r["indicator_id"] == indicator_id("占地面积")
    assert r["indicator_zh"].endswith("占地面积") and len(r["indicator_zh"]) <= 8  # 新校区占地面积: from the text
    assert pick(rows, 12000)["indicator_id"] == indicator_id("总建筑面积")


def test_mu_that_names_no_school_land_stays_out():
    rows = rows_of(TARGETS, "建设高标准农田300亩，新建幼儿园2所。")
    assert [r["value"] for r in rows] == [2]


def test_land_transfer_revenue_share_for_education():
    rows = rows_of(TARGETS, "按规定足额落实土地出让金净收益的10%用于教育。")
    r = pick(rows, 10)
    assert (r["unit"], r["domain"], r["kind"]) == ("%", "funding", "target")
    assert r["indicator_id"] == indicator_id("土地出让金净收益用于教育的比例")
    rows = rows_of(TARGETS, "土地出让收益用于教育的比例不低于10%。")
    r = pick(rows, 10)
    assert (r["indicator_id"], r["comparator"]) == (indicator_id("土地出让金净收益用于教育的比例"), ">=")


def test_land_transfer_revenue_in_yuan_is_no_share():
    rows = rows_of(REVIEW, "土地出让金净收益3亿元。")
    assert all(r["indicator_id"] != indicator_id("土地出让金净收益用于教育的比例") for r in rows)


def test_per_pupil_funds_as_a_multiple_of_another_level():
    rows = rows_of(TARGETS, "特殊教育学校生均公用经费逐步提高到普通学校的3倍。")
    r = pick(rows, 3)
    assert (r["unit"], r["domain"], r["level"], r["kind"]) == ("倍", "funding", "special", "target")
    assert r["indicator_id"] == indicator_id("生均经费倍数")
    assert r["indicator_zh"] == "特殊教育学校生均公用经费"  # the base (普通学校) is no part of the name


def test_a_multiple_of_something_unnamed_stays_out():
    rows = rows_of(TARGETS, "参训人数增长到原来的2倍。")
    assert rows == []


def test_training_hours_every_five_years():
    rows = rows_of(TARGETS, "落实教师每五年参加培训不少于360学时的要求。")
    r = pick(rows, 360)
    assert (r["unit"], r["domain"], r["year"], r["comparator"]) == ("学时", "teachers", None, ">=")
    assert r["indicator_id"] == indicator_id("培训学时")


def test_training_hours_named_after_the_number():
    rows = rows_of(TARGETS, "分层分科组织五年一周期不少于240学时的教师全员培训。")
    r = pick(rows, 240)
    assert (r["unit"], r["domain"], r["comparator"]) == ("学时", "teachers", ">=")
    assert r["indicator_id"] == indicator_id("培训学时")


def test_hours_of_something_else_stay_out():
    rows = rows_of(TARGETS, "中小学生每天校内体育活动不少于1小时，课外阅读每学期不少于20学时。")
    assert rows == []


def test_books_per_pupil_by_level():
    rows = rows_of(TARGETS, "图书配备：逐步增加生均图书册数，到2023年，小学达20册，初中达30册；到2025年，小学达26册。")
    r = pick(rows, 20)
    assert (r["unit"], r["level"], r["year"], r["kind"], r["domain"]) == ("册", "primary", 2023, "target", "schools")
    assert r["indicator_id"] == indicator_id("生均图书")
    assert pick(rows, 30)["level"] == "junior"
    r = pick(rows, 26)
    assert (r["level"], r["year"], r["indicator_id"]) == ("primary", 2025, indicator_id("生均图书"))
    assert "生均图书" in r["indicator_zh"]  # not the bare level word


def test_books_of_a_library_that_are_not_per_pupil_are_not_per_pupil():
    rows = rows_of(TARGETS, "县图书馆新增藏书5000册。")
    assert all(r["indicator_id"] != indicator_id("生均图书") for r in rows)


# --- others found by reading the plans' lines with numbers and no row ----------------------

def test_campus_wireless_coverage():
    rows = rows_of(TARGETS, "到2023年，校园无线网络覆盖率达到80%，2025年实现全覆盖。")
    r = pick(rows, 80)
    assert (r["domain"], r["year"], r["unit"]) == ("schools", 2023, "%")
    assert r["indicator_id"] == indicator_id("无线网络覆盖率")


def test_health_and_counselling_rooms_built_to_standard():
    rows = rows_of(TARGETS, "中小学卫生室（保健室）、心理咨询室建设达标率达到98%。")
    r = pick(rows, 98)
    assert (r["domain"], r["unit"]) == ("schools", "%")
    assert r["indicator_id"] == indicator_id("心理辅导室建设达标率")


def test_a_later_year_reached_refers_to_the_measure_just_named():
    """……覆盖率达到70%，2025年达到100%: the second number is the same measure, at its own year."""
    rows = rows_of(TARGETS, "到2023年，校园无线网络覆盖率达到70%，2025年达到100%。")
    r = pick(rows, 100)
    assert (r["indicator_id"], r["year"], r["kind"]) == (indicator_id("无线网络覆盖率"), 2025, "target")


def test_a_standard_names_what_is_paid_at_it():
    """按照每月不低于300元的标准，对乡村教师发放生活补助: the amount is the allowance paid at that standard."""
    rows = rows_of(TARGETS, "按照每月不低于300元的标准，对乡村教师发放生活补助。")
    r = pick(rows, 300)
    assert (r["indicator_id"], r["domain"], r["year"], r["comparator"]) == (indicator_id("乡村教师生活补助"), "funding", None, ">=")
    assert r["indicator_zh"] == "生活补助"  # the object of 发放, as the text words it
