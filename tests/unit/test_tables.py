"""Table layouts, each as a small inline fixture (several not seen in the five plans)."""
import textwrap

import pytest

from planlib.extract.tables import extract_tables
from planlib.read.text import read_plan


def plan_from(tmp_path, body: str, name: str = "fixture"):
    path = tmp_path / f"{name}.txt"
    text = "某县教育事业发展“十四五”规划\n\n" + textwrap.dedent(body).lstrip("\n")
    path.write_text(text, encoding="utf-8")
    return read_plan(path)


def rows_by_line(plan):
    return {r["line"]: r for r in extract_tables(plan).rows}


def test_one_cell_per_line_with_unit_cells_and_unheaded_attributes(tmp_path):
    plan = plan_from(tmp_path, """
        表1 主要发展指标

        一级指标

        二级指标

        2020年

        2025年

        学前教育

        学前三年毛入园率

        %

        90.1

        95

        预期性

        在园幼儿数

        7050

        >6000

        约束性
        """)
    rows = rows_by_line(plan)
    by_value = {r["value"]: r for r in rows.values()}
    assert by_value[90.1]["year"] == 2020 and by_value[90.1]["kind"] == "baseline"
    assert by_value[95]["year"] == 2025 and by_value[95]["kind"] == "target" and by_value[95]["unit"] == "%"
    assert by_value[95]["attribute"] == "expected"
    assert by_value[6000]["comparator"] == ">" and by_value[6000]["attribute"] == "binding"
    assert len(rows) == 4


def test_space_separated_rows_as_pdf_text_gives(tmp_path):
    plan = plan_from(tmp_path, """
        表2 主要指标
        指标 单位 2020年 2025年 属性
        学前三年毛入园率 % 85.1 92 预期性
        在校学生数（万人） 万人 1.2 1.35 预期性
        高中阶段毛入学率 % 95 98%以上 约束性
        """)
    rows = extract_tables(plan).rows
    got = sorted((r["line"], r["year"], r["value"], r["comparator"], r["attribute"]) for r in rows)
    assert got == [
        (5, 2020, 85.1, "=", "expected"), (5, 2025, 92.0, "=", "expected"),
        (6, 2020, 12000.0, "=", "expected"), (6, 2025, 13500.0, "=", "expected"),
        (7, 2020, 95.0, "=", "binding"), (7, 2025, 98.0, ">=", "binding"),
    ]
    for r in rows:  # quotes are exact substrings of their lines
        assert plan.lines[r["line"] - 1][r["char_start"]:r["char_end"]] == r["quote"]


def test_cells_with_their_own_unit_and_comparator(tmp_path):
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        人均受教育年限

        10.2

        12.3年以上

        九年义务教育巩固率

        96%

        98%以上
        """)
    rows = sorted(extract_tables(plan).rows, key=lambda r: r["line"])
    assert [(r["value"], r["unit"], r["comparator"]) for r in rows] == [
        (10.2, "年", "="), (12.3, "年", ">="), (96.0, "%", "="), (98.0, "%", ">=")]  # 年 from the dictionary


def test_column_wise_subrow_values_are_interleaved(tmp_path):
    # parent-2020, sub-2020, parent-2025, sub-2025
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        在校学生数（人）

        其中：普通小学

        29332

        18429

        23957

        14957
        """)
    rows = extract_tables(plan).rows
    got = {(r["indicator_zh"], r["year"]): r["value"] for r in rows}
    assert got == {("在校学生数", 2020): 29332, ("普通小学", 2020): 18429,
                   ("在校学生数", 2025): 23957, ("普通小学", 2025): 14957}


def test_tab_cells_with_wrapped_labels_change_column_and_minus_dash(tmp_path):
    plan = plan_from(tmp_path, "\t分类\n\t指标\n\t2016年\n\t2020年\n\t“十三五”\n\n变化情况\n\n"
                     "\t义务\n\n教育\n\t在校学生数（万人）\n\t4.9406\n\t5.0499\n\t0.1093\n\n\t \n"
                     "\t其中：普通小学\n\t3.3623\n\t3.3301\n\t—0.0322\n")
    rows = extract_tables(plan).rows
    got = {(r["indicator_zh"], r["year"], r["kind"]): r["value"] for r in rows}
    assert got[("普通小学", 2020, "change")] == pytest.approx(-322)
    assert got[("在校学生数", 2016, "baseline")] == pytest.approx(49406)
    # a 十三五 achievements table: every year column is a baseline
    assert {k for (_, _, k) in got} == {"baseline", "change"}


def test_years_come_from_the_header_not_constants(tmp_path):
    plan = plan_from(tmp_path, """
        某县教育发展规划（2026—2030年）主要指标
        指标 2025年 2028年 2030年
        学前三年毛入园率（%） 92 94 96
        """)
    rows = sorted(extract_tables(plan).rows, key=lambda r: r["char_start"])
    assert [(r["year"], r["kind"]) for r in rows] == [(2025, "baseline"), (2028, "target"), (2030, "target")]


def test_unit_label_contradicting_magnitude_is_reported(tmp_path):
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        在校学生数（人）

        1.3263

        1.65
        """)
    result = extract_tables(plan)
    assert [r["value"] for r in result.rows] == [13263, 16500]
    assert [f["check"] for f in result.findings] == ["unit_magnitude"]


def test_a_rescaled_row_cites_every_value_it_rescales(tmp_path):
    """The finding is how a reader checks a ×10000 read: it must cite the change cell and the 其中 rows
    that inherit the scale, not only the row's own year cells (a value changed without a cited finding
    breaks the provenance rule)."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        增减

        在校学生数（人）

        2.5107

        2.84

        0.33

        其中：普通高中

        1.205

        1.46

        0.25
        """)
    result = extract_tables(plan)
    assert [r["value"] for r in result.rows] == [25107, 28400, 3300, 12050, 14600, 2500]
    (found,) = [f for f in result.findings if f["check"] == "unit_magnitude"]
    cited = {int(n) for n in found["lines"].split(";")}
    assert {r["line"] for r in result.rows} <= cited


def test_prose_is_not_a_table(tmp_path):
    plan = plan_from(tmp_path, """
        到2025年，学前三年毛入园率达到95%，九年义务教育巩固率达到99%以上。
        2020年和2025年的目标见上文。
        """)
    assert extract_tables(plan).rows == []


def test_header_years_with_words_and_missing_value_cells(tmp_path):
    # 基期（2020年） / 2025年目标值 headers; a dash for a value not given keeps its column
    plan = plan_from(tmp_path, """
        指标 单位 基期（2020年） 2022年 2025年目标值 属性
        学前三年毛入园率 % — 90 95 预期性
        九年义务教育巩固率 % 96 / 98 约束性
        """)
    got = sorted((r["line"], r["year"], r["value"]) for r in extract_tables(plan).rows)
    assert got == [(4, 2022, 90.0), (4, 2025, 95.0), (5, 2020, 96.0), (5, 2025, 98.0)]


def test_index_column_is_not_a_value(tmp_path):
    plan = plan_from(tmp_path, """
        序号 指标 2020年 2025年
        1 学前三年毛入园率（%） 85 92
        2 高中阶段毛入学率（%） 93 95
        """)
    got = sorted((r["indicator_zh"], r["year"], r["value"]) for r in extract_tables(plan).rows)
    assert got == [("学前三年毛入园率", 2020, 85.0), ("学前三年毛入园率", 2025, 92.0),
                   ("高中阶段毛入学率", 2020, 93.0), ("高中阶段毛入学率", 2025, 95.0)]


def test_fyp_end_headers_and_a_lone_subrow_prefix(tmp_path):
    plan = plan_from(tmp_path, """
        指标

        “十三五”末

        “十四五”末

        义务教育

        在校学生数（万人）

        5.0

        4.9

        其中：

        普通小学

        3.3

        3.2
        """)
    got = {(r["indicator_id"], r["year"], r["kind"]): r["value"] for r in extract_tables(plan).rows}
    assert got == {("compulsory_enrollment", 2020, "baseline"): 50000, ("compulsory_enrollment", 2025, "target"): 49000,
                   ("primary_enrollment", 2020, "baseline"): 33000, ("primary_enrollment", 2025, "target"): 32000}


def test_label_wrapped_over_two_cells_is_joined(tmp_path):
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        财政性教育经费占一般公共预算

        支出的比例（%）

        12.7

        15
        """)
    rows = extract_tables(plan).rows
    assert {r["indicator_id"] for r in rows} == {"edu_spending_budget_share"}
    assert sorted(r["value"] for r in rows) == [12.7, 15.0]


def test_pipe_table_as_markdown_or_plain_text(tmp_path):
    plan = plan_from(tmp_path, """
        | 指标 | 单位 | 2020年 | 2025年 | 属性 |
        |---|---|---|---|---|
        | 学前三年毛入园率 | % | 85.1 | 92 | 预期性 |
        | 九年义务教育巩固率 | % | 96 | ≥98 | 约束性 |
        """)
    got = sorted((r["line"], r["year"], r["value"], r["comparator"], r["attribute"]) for r in extract_tables(plan).rows)
    assert got == [(5, 2020, 85.1, "=", "expected"), (5, 2025, 92.0, "=", "expected"),
                   (6, 2020, 96.0, "=", "binding"), (6, 2025, 98.0, ">=", "binding")]


# --- 其中 sub-rows that hold all of a parent's values, and sub-rows that name a level (issue 10, item 1) ----

def _by_label_year(rows):
    return {(r["indicator_zh"], r["year"]): (r["value"], r["level"], r["indicator_id"], r["kind"]) for r in rows}


def test_parent_row_whose_values_are_all_in_three_subrows_read_column_by_column(tmp_path):
    """Parent / 其中：小学 / 初中 / 高中, then 2020 of each sub-row, then 2021 of each: no value is the parent's."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        教师学历达标率（%）

        其中：小学

        初中

        高中

        99.1

        97.4

        94.2

        100

        99

        97
        """)
    got = _by_label_year(extract_tables(plan).rows)
    assert {(k, v[0], v[1]) for k, v in got.items()} == {
        (("教师学历达标率（小学）", 2020), 99.1, "primary"), (("教师学历达标率（初中）", 2020), 97.4, "junior"),
        (("教师学历达标率（高中）", 2020), 94.2, "general_high"), (("教师学历达标率（小学）", 2025), 100.0, "primary"),
        (("教师学历达标率（初中）", 2025), 99.0, "junior"), (("教师学历达标率（高中）", 2025), 97.0, "general_high")}
    assert {v[3] for k, v in got.items() if k[1] == 2020} == {"baseline"}


def test_parent_with_its_own_values_and_two_subrows_interleaved_column_by_column(tmp_path):
    """Section, parent, 其中：sub-row 1, sub-row 2 listed first; then per column the parent's value and each sub-row's."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        义务教育

        在校学生数（人）

        其中：普通小学

        普通初中

        9300

        6100

        3200

        9800

        6300

        3500
        """)
    got = {(r["indicator_id"], r["year"]): r["value"] for r in extract_tables(plan).rows}
    assert got == {("compulsory_enrollment", 2020): 9300, ("primary_enrollment", 2020): 6100, ("junior_enrollment", 2020): 3200,
                   ("compulsory_enrollment", 2025): 9800, ("primary_enrollment", 2025): 6300, ("junior_enrollment", 2025): 3500}


def test_subrows_that_only_name_a_level_take_the_parents_measure_at_that_level(tmp_path):
    """其中：小学 under 专任教师数: the teachers of primary schools, not an unnamed 小学."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        专任教师数（人）

        2480

        2650

        其中：小学

        1330

        1400

        初中

        820

        870
        """)
    got = _by_label_year(extract_tables(plan).rows)
    assert got[("专任教师数", 2020)] == (2480, "", "fulltime_teachers", "baseline")
    assert got[("专任教师数（小学）", 2020)] == (1330, "primary", "fulltime_teachers", "baseline")
    assert got[("专任教师数（初中）", 2025)] == (870, "junior", "fulltime_teachers", "target")


def test_urban_and_rural_subrows_keep_the_parents_level_and_name_their_scope(tmp_path):
    """城区/农村 are not levels: the level is the parent's, the label carries the scope, and the row has no
    indicator_id (a part is not the measure's total, so checks and comparisons must not take it for one)."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        义务教育在校生数（人）

        其中：城区

        农村

        15200

        8400

        17900

        7600
        """)
    got = _by_label_year(extract_tables(plan).rows)
    assert got == {("义务教育在校生数（城区）", 2020): (15200, "compulsory", "", "baseline"),
                   ("义务教育在校生数（农村）", 2020): (8400, "compulsory", "", "baseline"),
                   ("义务教育在校生数（城区）", 2025): (17900, "compulsory", "", "target"),
                   ("义务教育在校生数（农村）", 2025): (7600, "compulsory", "", "target")}


def test_subrows_read_column_by_column_keep_a_missing_last_value_in_its_column(tmp_path):
    """The last sub-row has no 2025 value (—): the other values keep their columns."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        寄宿制学校比例（%）

        其中：小学

        初中

        31.5

        62.0

        40

        —
        """)
    got = _by_label_year(extract_tables(plan).rows)
    assert {k: v[:2] for k, v in got.items()} == {
        ("寄宿制学校比例（小学）", 2020): (31.5, "primary"), ("寄宿制学校比例（初中）", 2020): (62.0, "junior"),
        ("寄宿制学校比例（小学）", 2025): (40.0, "primary")}


def test_a_numbered_row_label_is_named_without_its_number(tmp_path):
    """4.义务教育标准班额比例(%) / 其中:小学 / 初中: indicator_zh is the measure's name, not '4.…'."""
    plan = plan_from(tmp_path, """
        指标

        2020年

        2025年

        4.义务教育标准班额比例(%)

        其中:小学

        初中

        85

        80

        100

        100
        """)
    rows = extract_tables(plan).rows
    assert sorted({r["indicator_zh"] for r in rows}) == ["义务教育标准班额比例（初中）", "义务教育标准班额比例（小学）"]
    assert {(r["line"], r["year"], r["level"]) for r in rows} == {
        (15, 2020, "primary"), (17, 2020, "junior"), (19, 2025, "primary"), (21, 2025, "junior")}
