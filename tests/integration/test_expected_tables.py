"""Hand-checked cells of the five plans' indicator tables, written from the texts before the parser.

Each tuple: (file, line, value, year, kind, comparator). Values are normalised (万人 -> persons).
Read with `sed -n 'LINEp' data/raw/FILE`.
"""
import math

import pytest

from planlib.paths import RAW_DIR

# fmt: off
WUXI_T1 = [  # 表1 “十三五” achievements: 2016, 2020, change (all baseline-side; change year 2020)
    (48, 12297, 2016, "baseline", "="), (49, 12353, 2020, "baseline", "="), (50, 56, 2020, "change", "="),
    (54, 81.4, 2016, "baseline", "="), (55, 85.1, 2020, "baseline", "="), (56, 3.7, 2020, "change", "="),
    (62, 49406, 2016, "baseline", "="), (63, 50499, 2020, "baseline", "="), (64, 1093, 2020, "change", "="),
    (68, 33623, 2016, "baseline", "="), (69, 33301, 2020, "baseline", "="), (70, -322, 2020, "change", "="),
    (74, 15783, 2016, "baseline", "="), (75, 17198, 2020, "baseline", "="), (76, 1415, 2020, "change", "="),
    (80, 92.5, 2016, "baseline", "="), (81, 96, 2020, "baseline", "="), (82, 3.5, 2020, "change", "="),
    (90, 12112, 2016, "baseline", "="), (91, 13441, 2020, "baseline", "="), (92, 1329, 2020, "change", "="),
    (96, 9125, 2016, "baseline", "="), (97, 10348, 2020, "baseline", "="), (98, 1185, 2020, "change", "="),
    (102, 2987, 2016, "baseline", "="), (103, 3093, 2020, "baseline", "="), (104, 106, 2020, "change", "="),
    (108, 91.2, 2016, "baseline", "="), (109, 95.3, 2020, "baseline", "="), (110, 4.1, 2020, "change", "="),
]
WUXI_T2 = [  # 表2 “十四五” targets: 2020, 2022, 2025, change, 属性
    (182, 12353, 2020, "baseline", "="), (183, 13800, 2022, "target", "="), (184, 16200, 2025, "target", "="), (185, 3800, 2025, "change", "="),
    (190, 85.1, 2020, "baseline", "="), (191, 89.0, 2022, "target", "="), (192, 93.0, 2025, "target", ">"), (193, 9.9, 2025, "change", "="),
    (198, 96.8, 2020, "baseline", "="), (199, 100, 2022, "target", "="), (200, 100, 2025, "target", "="), (201, 3.2, 2025, "change", "="),
    (206, 37.2, 2020, "baseline", "="), (207, 51, 2022, "target", "="), (208, 55.0, 2025, "target", "="), (209, 17.8, 2025, "change", "="),
    (214, 50499, 2020, "baseline", "="), (215, 50100, 2022, "target", "="), (216, 49800, 2025, "target", "="), (217, -700, 2025, "change", "="),
    (222, 33301, 2020, "baseline", "="), (223, 32950, 2022, "target", "="), (224, 32800, 2025, "target", "="), (225, -500, 2025, "change", "="),
    (230, 17198, 2020, "baseline", "="), (231, 17150, 2022, "target", "="), (232, 17000, 2025, "target", "="), (233, -200, 2025, "change", "="),
    (238, 96, 2020, "baseline", "="), (239, 96, 2022, "target", "="), (240, 96, 2025, "target", ">"), (241, 0, 2025, "change", "="),
    # 在校学生数（人） with values like 1.3263: the label's unit contradicts the magnitude; read as 万人 and reported in checks
    (248, 13263, 2020, "baseline", "="), (249, 15190, 2022, "target", "="), (250, 16500, 2025, "target", "="), (251, 3200, 2025, "change", "="),
    (256, 10170, 2020, "baseline", "="), (257, 11440, 2022, "target", "="), (258, 12000, 2025, "target", "="), (259, 1800, 2025, "change", "="),
    (264, 3093, 2020, "baseline", "="), (265, 3750, 2022, "target", "="), (266, 4500, 2025, "target", "="), (267, 1400, 2025, "change", "="),
    (272, 95.3, 2020, "baseline", "="), (273, 96.1, 2022, "target", "="), (274, 98.5, 2025, "target", ">"), (275, 2.7, 2025, "change", "="),
    (280, 53, 2020, "baseline", "="), (281, 55, 2022, "target", "="), (282, 60.0, 2025, "target", "="), (283, 7.0, 2025, "change", "="),
    (288, 8, 2020, "baseline", "="), (289, 8.4, 2022, "target", "="), (290, 8.6, 2025, "target", "="), (291, 0.6, 2025, "change", "="),
    (296, 10, 2020, "baseline", "="), (297, 10.4, 2022, "target", "="), (298, 11.2, 2025, "target", "="), (299, 1.2, 2025, "change", "="),
    (304, 19.4, 2020, "baseline", "="), (305, 20, 2022, "target", "="), (306, 20, 2025, "target", ">"), (307, 0.6, 2025, "change", "="),
]
CHENGKOU = [  # 表2-1: 2020, 2025; unit cells (%) between label and values; 属性 cells without a header
    (122, 7050, 2020, "baseline", "="), (124, 6000, 2025, "target", "="),
    (132, 90.1, 2020, "baseline", "="), (134, 95, 2025, "target", "="),
    (142, 100, 2020, "baseline", "="), (144, 95, 2025, "target", ">"),
    (152, 29332, 2020, "baseline", "="), (154, 23957, 2025, "target", "="),
    (160, 18429, 2020, "baseline", "="), (162, 14957, 2025, "target", "="),
    (168, 10903, 2020, "baseline", "="), (170, 9000, 2025, "target", "="),
    (178, 100, 2020, "baseline", "="), (180, 100, 2025, "target", "="),
    (188, 6746, 2020, "baseline", "="), (190, 9000, 2025, "target", ">"),
    (196, 4279, 2020, "baseline", "="), (198, 6300, 2025, "target", ">"),
    (204, 2467, 2020, "baseline", "="), (206, 2700, 2025, "target", "="),
    (214, 97, 2020, "baseline", "="), (216, 98, 2025, "target", ">"),
    (224, 10.2, 2020, "baseline", "="), (226, 11, 2025, "target", ">"),
    (232, 10.2, 2020, "baseline", "="), (234, 11.9, 2025, "target", "="),
    (244, 12.7, 2020, "baseline", "="), (246, 15, 2025, "target", "="),
]
YUNYANG = [  # header years without 年; labels like 学前教育毛入园率(% with the bracket unclosed
    (212, 29000, 2020, "baseline", "="), (214, 30000, 2025, "target", "="),
    (220, 90.9, 2020, "baseline", "="), (222, 95, 2025, "target", "="),
    (228, 55.6, 2020, "baseline", "="), (230, 60.0, 2025, "target", "="),
    (238, 102000, 2020, "baseline", "="), (240, 96000, 2025, "target", "="),
    (246, 64000, 2020, "baseline", "="), (248, 63000, 2025, "target", "="),
    (254, 38000, 2020, "baseline", "="), (256, 33000, 2025, "target", "="),
    (262, 98.9, 2020, "baseline", "="), (264, 99, 2025, "target", "="),
    (272, 30000, 2020, "baseline", "="), (274, 30000, 2025, "target", "="),
    (280, 24000, 2020, "baseline", "="), (282, 22500, 2025, "target", "="),
    (288, 6000, 2020, "baseline", "="), (290, 7500, 2025, "target", "="),
    (296, 98.1, 2020, "baseline", "="), (298, 98.5, 2025, "target", "="),
    (306, 0, 2020, "baseline", "="), (308, 10000, 2025, "target", "="),
    (316, 8.51, 2020, "baseline", "="), (318, 10.4, 2025, "target", "="),
    (324, 11.3, 2020, "baseline", "="), (326, 12, 2025, "target", "="),
    (334, 21.9, 2020, "baseline", "="), (336, 22, 2025, "target", "="),
]
# fmt: on
EXPECTED = [("wuxi", *r) for r in WUXI_T1 + WUXI_T2] + [("chengkou", *r) for r in CHENGKOU] + [("yunyang", *r) for r in YUNYANG]
ATTRIBUTES = [("wuxi", 186, "expected"), ("chengkou", 182, "binding"), ("chengkou", 126, "expected"),
              ("yunyang", 266, "binding"), ("yunyang", 216, "expected")]


@pytest.fixture(scope="module")
def table_rows():
    from planlib.extract.tables import extract_tables
    from planlib.read.text import read_plan

    rows = {}
    for slug in ("wuxi", "chengkou", "yunyang"):
        plan = read_plan(RAW_DIR / f"{slug}.txt")
        for r in extract_tables(plan).rows:
            rows.setdefault((slug, r["line"]), []).append(r)
    return rows


@pytest.mark.parametrize("county,line,value,year,kind,comparator", EXPECTED)
def test_hand_checked_table_cell(table_rows, county, line, value, year, kind, comparator):
    found = table_rows.get((county, line))
    assert found, f"{county}.txt:{line} not extracted"
    assert len(found) == 1
    row = found[0]
    assert math.isclose(row["value"], value, rel_tol=1e-12, abs_tol=1e-9), row
    assert (row["year"], row["kind"], row["comparator"]) == (year, kind, comparator), row
    assert row["source"] == "table"


@pytest.mark.parametrize("county,attr_line,attribute", ATTRIBUTES)
def test_attribute_applies_to_its_row(table_rows, county, attr_line, attribute):
    # the values of a row sit just above its 属性 cell
    row_lines = [ln for (c, ln) in table_rows if c == county and attr_line - 8 < ln < attr_line]
    assert row_lines
    assert {table_rows[(county, ln)][0]["attribute"] for ln in row_lines} == {attribute}


def test_no_table_rows_outside_tables(table_rows):
    lines = {c: sorted(ln for (cc, ln) in table_rows if cc == c) for c in ("wuxi", "chengkou", "yunyang")}
    expected = {c: sorted(ln for (cc, ln, *_rest) in EXPECTED if cc == c) for c in lines}
    assert lines["chengkou"] == expected["chengkou"]
    assert lines["yunyang"] == expected["yunyang"]
    # wuxi also has school-by-school tables (classes, capacity) beyond line 340
    assert [ln for ln in lines["wuxi"] if ln < 340] == expected["wuxi"]
