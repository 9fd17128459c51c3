"""Hand-checked prose targets from the five plans, written from the text (``sed -n 'Np'``)
before the extractor existed. Each (file, line, value, year, kind) must be found.

Values are normalised (万/亿 applied). Year None means a recurring norm (每年, 生均).
Kinds follow the year rules: review sections give baselines, 目标/任务 sections targets,
个百分点 and 较/比 … 增长 give changes.
"""
from __future__ import annotations

import math

import pytest

from planlib.paths import RAW_DIR
from planlib.text import read_plan

EXPECTED = [
    # chengkou: 发展成就 (review) and 发展目标 / 专栏 (targets)
    ("chengkou", 36, 90.1, 2020, "baseline"),  # 学前三年毛入园率提高到90.1%
    ("chengkou", 36, 19.1, 2020, "change"),  # 较2015年提高19.1个百分点
    ("chengkou", 36, 86, 2015, "baseline"),  # 高中阶段毛入学率由2015年的86%
    ("chengkou", 36, 95, 2020, "baseline"),  # … 提高到95% (achieved by 2020)
    ("chengkou", 36, 1523, 2015, "baseline"),  # 中职在校生由2015年1523人
    ("chengkou", 36, 2467, 2020, "baseline"),  # 上升到2467人
    ("chengkou", 40, 3.4e9, 2020, "baseline"),  # 累计教育投入34亿元
    ("chengkou", 44, 620, 2020, "baseline"),  # 累计补充教师620名
    ("chengkou", 44, 190, 2020, "baseline"),  # 培育市县级骨干教师190名
    ("chengkou", 94, 12, 2025, "target"),  # 新建及改扩建幼儿园12所
    ("chengkou", 96, 85, 2025, "target"),  # 公办幼儿园占比保持在85%以上
    ("chengkou", 96, 98, 2025, "target"),  # 高中阶段毛入学率达98%以上
    ("chengkou", 347, 75, 2025, "target"),  # 中职“双师型”教师数量占比达到75%以上
    ("chengkou", 383, 60, 2025, "target"),  # 市级骨干教师60人
    # wuxi: 第一节 “十三五”教育发展成就, 第三节 targets
    ("wuxi", 23, 202, 2020, "baseline"),  # 各级各类学校202所
    ("wuxi", 23, 76293, 2020, "baseline"),  # 在校学生76293人
    ("wuxi", 23, 6016, 2020, "baseline"),  # 在编教职工6016人
    ("wuxi", 23, 85.1, 2020, "baseline"),  # 学前三年毛入园率达到85.1%
    ("wuxi", 23, 6.1, 2020, "change"),  # 比2015年分别增长6.1个百分点
    ("wuxi", 23, 13.3, 2020, "change"),  # 、13.3个百分点
    ("wuxi", 23, 99.6, 2020, "baseline"),  # 小学、初中入学率达到100%、99.6%
    ("wuxi", 23, 95.8, 2020, "baseline"),  # 高中阶段毛入学率达到95.8%
    ("wuxi", 23, 8.9, 2020, "change"),  # 比2015年增长8.9个百分点
    ("wuxi", 25, 6.006e9, 2020, "baseline"),  # 累计投入教育经费60.06亿元
    ("wuxi", 1214, 98.5, 2025, "target"),  # 高中阶段毛入学率达到98.5%以上
    ("wuxi", 1236, 93, 2025, "target"),  # 学前三年毛入学率达93%
    ("wuxi", 1254, 500, 2025, "target"),  # 培养县级骨干教师500名
    # taixing: 十三五 基本情况 (review) and 具体目标和任务
    ("taixing", 11, 1.6e9, 2020, "baseline"),  # 投入近16亿元
    ("taixing", 11, 100, 2020, "baseline"),  # 学前三年入园率达100%
    ("taixing", 17, 91.52, 2020, "baseline"),  # 小学、初中教师本科率达91.52%97.32%
    ("taixing", 17, 97.32, 2020, "baseline"),
    ("taixing", 17, 75.36, 2020, "baseline"),  # 双师型教师占比达75.36%
    ("taixing", 69, 100, 2025, "target"),  # 学前三年毛入园率达100%
    ("taixing", 93, 85, 2025, "target"),  # 到2025年职业学校双师型教师比例达85%以上
    ("taixing", 119, 5, 2025, "target"),  # 学前教育财政性经费达财政性教育经费的5%以上
    ("taixing", 157, 6000, None, "target"),  # 生均…教育事业费支出水平不低于6000元
    # yunyang: 具体目标 and 专栏7
    ("yunyang", 185, 95, 2025, "target"),  # 学前教育三年毛入园率达95%
    ("yunyang", 185, 60, 2025, "target"),  # 公办园在园幼儿占比达60%
    ("yunyang", 185, 99, 2025, "target"),  # 巩固率达99%以上
    ("yunyang", 187, 2500, 2025, "target"),  # 市县级骨干教师总量达到2500人
    ("yunyang", 558, 200, 2025, "target"),  # 引进和培养硕士研究生200人
    ("yunyang", 566, 55, 2025, "target"),  # “双师型”教师比例达到55%以上
    # anyang: “十三五”时期…主要成就 (review) and targets
    ("anyang", 36, 1302300, 2016, "baseline"),  # 在校生人数从2016年的130.23万人
    ("anyang", 36, 1442600, 2020, "baseline"),  # 增加到2020年的144.26万人
    ("anyang", 40, 90.3, 2020, "baseline"),  # 学前三年毛入园率达到90.3%
    ("anyang", 44, 97, 2020, "baseline"),  # 九年义务教育巩固率达到97%
    ("anyang", 48, 92, 2020, "baseline"),  # 高中阶段毛入学率达到92%
    ("anyang", 48, 59, 2020, "baseline"),  # 普通高中数量…增加到2020年的59所
    ("anyang", 74, 1.2287e10, 2020, "baseline"),  # 增长到2020年的122.87亿元
    ("anyang", 322, 93.5, 2025, "target"),  # 高中阶段教育毛入学率提高到93.5%
]


@pytest.fixture(scope="module")
def rows_by_county():
    from planlib.prose import extract_prose

    out = {}
    for slug in sorted({e[0] for e in EXPECTED}):
        out[slug] = extract_prose(read_plan(RAW_DIR / f"{slug}.txt"))
    return out


def _found(rows, line, value, year, kind):
    for r in rows:
        if r["line"] == line and math.isclose(r["value"], value, rel_tol=1e-9) \
                and r["year"] == year and r["kind"] == kind:
            return True
    return False


@pytest.mark.parametrize("slug,line,value,year,kind", EXPECTED,
                         ids=[f"{e[0]}:{e[1]}:{e[2]}" for e in EXPECTED])
def test_expected_prose_target_found(rows_by_county, slug, line, value, year, kind):
    rows = rows_by_county[slug]
    on_line = [(r["value"], r["year"], r["kind"], r["indicator_zh"]) for r in rows if r["line"] == line]
    assert _found(rows, line, value, year, kind), f"not found; rows on line {line}: {on_line}"


def test_every_row_cites_its_line(rows_by_county):
    for slug, rows in rows_by_county.items():
        plan = read_plan(RAW_DIR / f"{slug}.txt")
        keys = set()
        for r in rows:
            text = plan.lines[r["line"] - 1]
            assert r["quote"] in text
            assert r["value_raw"] in text[r["char_start"]:r["char_end"]]
            key = (r["source_file"], r["line"], r["char_start"])
            assert key not in keys
            keys.add(key)


#: Hand-checked numbers that are no targets (thresholds, ratios, slogans, durations, other
#: domains): (file, line, value, unit) must not appear as a prose row.
NOT_TARGETS = [
    ("anyang", 322, 56, "人"),  # 全面消除56人以上大班额: the definition of 大班额
    ("anyang", 390, 5, "人"),  # 随班就读5人以上普通学校: a threshold
    ("anyang", 510, 1, "名"),  # “1+10+100”的模式，实现1名…指导10名…带动100名: a ratio
    ("anyang", 510, 100, "名"),
    ("anyang", 476, 5, "年"),  # 五年内拟培育: a duration
    ("yunyang", 372, 1, "所"),  # 成熟1所创建1所、创建1所命名1所: a slogan
    ("taixing", 15, 29, "人"),  # 29人被清华、北大录取: university admissions
    ("taixing", 19, 5, "年"),  # 近五年累计资助: a duration
    ("wuxi", 1287, 5, "年"),  # 五年内集团化办学覆盖率
    ("chengkou", 335, 3, "个"),  # 新增市级骨干专业不少于3个: specialities, not teachers
]


@pytest.mark.parametrize("slug,line,value,unit", NOT_TARGETS, ids=[f"{e[0]}:{e[1]}:{e[2]}" for e in NOT_TARGETS])
def test_hand_checked_non_targets_are_not_rows(slug, line, value, unit):
    from planlib.prose import extract_prose

    rows = extract_prose(read_plan(RAW_DIR / f"{slug}.txt"))
    hits = [r["quote"] for r in rows if r["line"] == line and math.isclose(r["value"], value) and r["unit"] == unit]
    assert hits == []


#: Hand-checked indicator ids and levels (file, line, value, indicator_id, level).
EXPECTED_IDS = [
    ("yunyang", 187, 30, "key_teacher_share", ""),  # 市县级骨干教师……占专任教师总量的30%
    ("wuxi", 115, 80, "oversized_class_share", "general_high"),  # 普通高中大班额接近80%
    ("anyang", 54, 7213, "staff", "higher"),  # under 5.高等教育稳步发展。
    ("anyang", 48, 10707, "staff", "senior_secondary"),  # under 4.高中阶段教育加快普及。
]


@pytest.mark.parametrize("slug,line,value,iid,level", EXPECTED_IDS, ids=[f"{e[0]}:{e[1]}:{e[2]}" for e in EXPECTED_IDS])
def test_hand_checked_indicator_and_level(slug, line, value, iid, level):
    from planlib.prose import extract_prose

    rows = extract_prose(read_plan(RAW_DIR / f"{slug}.txt"))
    hits = [(r["indicator_id"], r["level"]) for r in rows if r["line"] == line and math.isclose(r["value"], value)]
    assert hits and all(h == (iid, level) for h in hits), hits
