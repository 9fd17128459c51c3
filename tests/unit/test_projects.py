"""Project tables with a construction-period column (建设年限 / 建设期限 / 实施年限): a project's numbers
refer to the end of its own period, and a period that ends after the plan's is a finding (issue 10, item 4).
Fixtures invented for these tests."""
from __future__ import annotations

import textwrap

import pytest

from planlib.build.pipeline import parse_plan

TITLE = "某县教育事业发展“十四五”规划（2021—2025年）"


def parsed(tmp_path, body: str, name: str = "projplan"):
    path = tmp_path / f"{name}.txt"
    path.write_text(TITLE + "\n\n" + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return parse_plan(path)


def years_by_value(p):
    return {r["value"]: (r["year"], r["kind"]) for r in p.targets}


PERIOD_AFTER = """
    四、重点项目

    专栏2 教育基础设施重点项目

    序号

    项目名称

    建设内容

    建设期限

    1

    南湖中学扩建工程

    新增教学班18个，新增学位900个，新建校舍面积9500平方米。

    2023—2026年

    2

    实验幼儿园分园

    新建幼儿园1所，建筑面积4200平方米。

    2022

    五、保障措施

    到2025年，全县新建校舍面积累计达到5万平方米。
    """


def test_numbers_in_a_project_row_take_the_end_year_of_its_period(tmp_path):
    got = years_by_value(parsed(tmp_path, PERIOD_AFTER))
    assert got[18] == (2026, "target") and got[900] == (2026, "target") and got[9500] == (2026, "target")
    assert got[4200] == (2022, "target")
    assert got[50000] == (2025, "target")  # after the table: the plan's own end year


def test_a_project_that_ends_after_the_plan_is_a_finding(tmp_path):
    p = parsed(tmp_path, PERIOD_AFTER)
    found = [f for f in p.findings if f["check"] == "beyond_plan_period"]
    assert len(found) == 1, p.findings
    f = found[0]
    assert f["severity"] == "warning" and f["year"] == 2026
    assert "2026" in f["message"] and "2025" in f["message"] and "南湖中学扩建工程" in f["message"]
    lines = TITLE + "\n\n" + textwrap.dedent(PERIOD_AFTER).lstrip("\n")
    numbered = lines.split("\n")
    period_line = next(n for n, s in enumerate(numbered, 1) if s.strip() == "2023—2026年")
    content_line = next(n for n, s in enumerate(numbered, 1) if s.startswith("新增教学班18个"))
    assert {period_line, content_line} <= {int(n) for n in f["lines"].split(";")}


def test_period_column_before_the_content_and_an_implementation_period_header(tmp_path):
    p = parsed(tmp_path, """
        三、主要任务

        专栏4 义务教育学校建设项目

        项目名称

        实施年限

        建设内容及规模

        东城小学

        2021-2024年

        新建教学楼，办学规模30个班，总投资8600万元。

        西山初中

        2025—2028

        新增学位1200个。
        """)
    got = years_by_value(p)
    assert got[30] == (2024, "target") and got[86_000_000] == (2024, "target")
    assert got[1200] == (2028, "target")
    assert [f["year"] for f in p.findings if f["check"] == "beyond_plan_period"] == [2028]


SCHOOL_TABLE = """
    表2 义务教育学校建设计划

    学校名称

    现有规模

    建成后规模

    建设年限

    班级

    学生

    班级

    学生

    城南小学

    12

    540

    24

    1080

    2022—2024

    东湖初中

    18

    900

    30

    1500

    2025-2027年

    四、保障措施

    加强组织领导。
    """


def test_a_school_building_table_gives_each_school_the_end_of_its_period(tmp_path):
    """A school-by-school table with a 建设年限 column: the planned state is the period's end year."""
    p = parsed(tmp_path, SCHOOL_TABLE)
    got = {(r["school"], r["state"]): (r["year"], r["classes"], r["capacity"]) for r in p.schools}
    assert got == {("城南小学", "current"): (None, 12, 540), ("城南小学", "planned"): (2024, 24, 1080),
                   ("东湖初中", "current"): (None, 18, 900), ("东湖初中", "planned"): (2027, 30, 1500)}
    found = [f for f in p.findings if f["check"] == "beyond_plan_period"]
    assert [(f["year"], "东湖初中" in f["message"]) for f in found] == [(2027, True)]


def test_one_project_per_line_with_space_separated_cells(tmp_path):
    """PDF-like text: a row per line, the period one of its cells."""
    p = parsed(tmp_path, """
        五、重点工程

        专栏5 学前教育建设项目

        序号 项目名称 建设内容 实施期限

        1 北城幼儿园 新建园舍3600平方米，办园规模9个班 2022—2024

        2 河西幼儿园 改扩建后新增学位270个 2024-2026年

        六、保障措施

        新增学位不少于1000个。
        """)
    got = years_by_value(p)
    assert got[3600] == (2024, "target") and got[9] == (2024, "target")
    assert got[270] == (2026, "target") and got[1000] == (2025, "target")
    assert {r["level"] for r in p.targets if r["value"] in (3600, 9, 270)} == {"preschool"}
    assert [f["year"] for f in p.findings if f["check"] == "beyond_plan_period"] == [2026]


def test_an_investment_cell_that_reads_like_a_year_is_not_a_period(tmp_path):
    """总投资（万元）2000 in its own cell: outside the years near the plan, so not a project's period."""
    p = parsed(tmp_path, """
        专栏6 重点建设项目

        项目名称

        建设内容

        总投资（万元）

        建设年限

        北山小学

        新建教学楼，新增学位540个。

        2000

        2022—2023

        南河初中

        新建宿舍楼，新增床位300个。

        1800

        2024—2026
        """)
    got = years_by_value(p)
    assert got[540] == (2023, "target") and got[300] == (2026, "target")


def test_a_school_table_with_the_period_between_the_name_and_the_numbers(tmp_path):
    p = parsed(tmp_path, """
        表3 学校建设计划

        学校名称

        建设年限

        现有规模

        建成后规模

        班级

        学生

        班级

        学生

        北街小学

        2021—2023

        10

        450

        18

        810

        西岭初中

        2024-2026年

        15

        750

        24

        1200
        """)
    got = {(r["school"], r["state"]): (r["year"], r["classes"], r["capacity"]) for r in p.schools}
    assert got == {("北街小学", "current"): (None, 10, 450), ("北街小学", "planned"): (2023, 18, 810),
                   ("西岭初中", "current"): (None, 15, 750), ("西岭初中", "planned"): (2026, 24, 1200)}
    assert [f["year"] for f in p.findings if f["check"] == "beyond_plan_period"] == [2026]


def test_the_content_header_decides_which_row_a_period_closes(tmp_path):
    """The first project's content states no number: the header (建设内容 before 建设年限) still says each
    period closes the row above it, so the second project's numbers are not given the first one's period."""
    p = parsed(tmp_path, """
        专栏7 重点项目

        项目名称

        建设内容

        建设年限

        图书馆改造

        改造阅览室并更新设备。

        2022

        东郊小学

        新增学位630个。

        2024—2026
        """)
    assert years_by_value(p)[630] == (2026, "target")


def test_a_period_written_in_a_project_item_gives_that_items_numbers_its_end_year(tmp_path):
    """专栏 items in running text: 建设年限2024—2027年 in the item's own clause, not a column."""
    p = parsed(tmp_path, """
        四、重点工程

        专栏3 学位扩充工程

        1.城东学校新建工程：新增学位1800个，建设年限2024—2027年；2.西苑幼儿园扩建：新增学位270个，建设期限：2022-2023年。

        到2025年，新增学位5000个。
        """)
    got = years_by_value(p)
    assert got[1800] == (2027, "target") and got[270] == (2023, "target") and got[5000] == (2025, "target")
    found = [f for f in p.findings if f["check"] == "beyond_plan_period"]
    assert [(f["year"], "城东学校新建工程" in f["message"]) for f in found] == [(2027, True)]


def test_lines_with_a_word_are_found_in_one_search():
    import re

    from planlib.extract.projects import _first_words, _lines_with
    from planlib.paths import RAW_DIR

    words = _first_words()
    for path in sorted(RAW_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        assert _lines_with(words, lines) == [n for n, line in enumerate(lines, 1) if words.search(line)]
    assert _lines_with(re.compile("建设|实施"), ["建设", "", "x实施建设", "无"]) == [1, 3]
