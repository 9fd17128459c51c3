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
from planlib.read.text import read_plan

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


#: The audit of every prose row (year, kind, comparator), checked against ``sed -n 'Np'``:
#: (file, line, value, year, kind, comparator).
AUDITED = [
    ("chengkou", 36, 86, 2020, "baseline", "="),  # 公办在园幼儿占比达86%
    ("chengkou", 36, 97, 2020, "baseline", "="),  # 毕业生初次就业率达97%
    ("chengkou", 36, 2, 2020, "change", "="),  # 较2015年增长2个百分点
    ("chengkou", 36, 9.13, 2015, "baseline", "="),  # 人均受教育年限由2015年9.13年
    ("chengkou", 36, 10.2, 2020, "baseline", "="),  # 提高到10.2年
    ("chengkou", 40, 250000, 2020, "baseline", ">"),  # 改造校舍25万余平方米
    ("chengkou", 40, 8300, 2020, "baseline", "="),  # 新增学位8300个
    ("chengkou", 40, 131, 2020, "baseline", "="),  # 改造农村薄弱学校131所
    ("chengkou", 44, 7, 2020, "baseline", "="),  # 名师、名校长工作室7个
    ("chengkou", 44, 3000, None, "baseline", ">"),  # 年均培训达3000余人次
    ("chengkou", 48, 1.61e8, 2020, "baseline", "="),  # 累计落实各类教育资助1.61亿元
    ("chengkou", 48, 208100, 2020, "baseline", "="),  # 惠及贫困学生20.81万人次
    ("chengkou", 94, 11, 2025, "target", "="),  # 新建及改扩建…义务教育学校11所
    ("chengkou", 94, 2, 2025, "target", "="),  # 高中学校2所
    ("chengkou", 96, 85, 2025, "target", ">="),  # 公办幼儿园占比保持在85%以上
    ("chengkou", 96, 97, 2025, "target", ">="),  # 九年义务教育巩固率保持在97%以上
    ("chengkou", 98, 95, 2025, "target", ">="),  # 学校标准化率达到95%以上
    ("chengkou", 100, 9, 2025, "target", "="),  # 建成9个市县级名师工作室
    ("chengkou", 100, 1, None, "target", ">="),  # 每百名学生至少拥有1名…骨干教师
    ("chengkou", 265, 1, None, "target", ">="),  # 每12个班级配备…专用教室1间以上
    ("chengkou", 309, 20, 2022, "target", "="),  # 到2022年底，义务教育新改建达到20%
    ("chengkou", 347, 90, 2025, "target", ">="),  # 学生就业稳定率90%以上
    ("chengkou", 383, 300, 2025, "target", "="),  # “十四五”期间，表彰…优秀教师300名
    ("chengkou", 407, 100, 2022, "target", "="),  # 到2022年底，实现100%中小学教师…开通
    ("taixing", 11, 1.6e9, 2020, "baseline", "approx"),  # 投入近16亿元
    ("taixing", 13, 1.3e8, 2020, "baseline", "approx"),  # 累计投入近1.3亿元
    ("taixing", 13, 50, 2020, "baseline", ">="),  # 全市50%以上的学校达…标准
    ("taixing", 17, 17.40, 2020, "baseline", "="),  # 高中教师研究生率达17.40%
    ("taixing", 17, 958, 2020, "baseline", "="),  # 新招聘教师958名
    ("taixing", 19, 1.09e8, 2020, "baseline", "="),  # 近五年累计资助1.09亿元
    ("taixing", 69, 90, 2025, "target", "="),  # 资源覆盖率达90%
    ("taixing", 79, 60, 2025, "target", ">="),  # 继续教育年参与率达60%以上
    ("taixing", 79, 40, 2025, "target", ">="),  # 社区教育年参与率分别达60%40%以上
    ("taixing", 97, 20, None, "target", ">="),  # 每年招聘幼儿教师占比不低于招聘总数的20%
    ("taixing", 97, 15, 2025, "target", ">="),  # 骨干教师交流比例不低于15%
    ("taixing", 127, 15, 2025, "target", ">="),  # 劳动年龄人口平均受教育年限15年以上
    ("taixing", 157, 20000, None, "target", ">="),  # 高中教育生均…不低于20000元
    ("yunyang", 137, 478, 2015, "baseline", "="),  # 大班额从“十二五”末期的478个
    ("yunyang", 137, 31, 2020, "baseline", "="),  # 下降到31个
    ("yunyang", 137, 56.1, 2015, "baseline", "="),  # 标准班额从56.1%
    ("yunyang", 137, 86.3, 2020, "baseline", "="),  # 上升到86.3%
    ("yunyang", 137, 6, 2020, "baseline", "="),  # 新建公办幼儿园8所、中小学6所
    ("yunyang", 185, 99, 2025, "target", ">="),  # 巩固率达99%以上
    ("yunyang", 185, 99.5, 2025, "target", ">="),  # 特殊儿童少年义务教育入学率保持在99.5%以上
    ("yunyang", 185, 60, 2025, "target", "approx"),  # “双师型”比例达到60%左右
    ("yunyang", 187, 20, 2025, "target", ">="),  # 国家、市级骨干校长20人以上
    ("yunyang", 498, 2, 2025, "target", "range"),  # 2~3所
    ("yunyang", 516, 27, 2025, "target", "="),  # 新建创客实验室27间
    ("yunyang", 566, 99, 2025, "target", ">="),  # 幼儿教师持证率达到99%以上
    ("wuxi", 23, 96, 2020, "baseline", "="),  # 九年义务教育巩固率达到96%
    ("wuxi", 23, 5, 2020, "change", "="),  # 比2015年增长5%
    ("wuxi", 25, 104.08, 2020, "change", "="),  # 比“十二五”提高104.08%
    ("wuxi", 1236, 55, 2025, "target", ">="),  # 公办园幼儿占比达到55%以上
    ("wuxi", 1236, 100, 2025, "target", "="),  # 普惠性幼儿园覆盖率达到100%
    ("anyang", 36, 79700, 2016, "baseline", "="),  # 教职工总数从2016年的7.97万人
    ("anyang", 36, 94500, 2020, "baseline", "="),  # 增加到2020年的9.45万人
    ("anyang", 40, 84.2, 2020, "baseline", "="),  # 普惠性幼儿园覆盖率84.2%
    ("anyang", 266, 93, 2025, "target", "="),  # 学前三年毛入园率93%
    ("anyang", 304, 90, 2025, "target", ">"),  # 入学率超过省定90%的目标
    ("anyang", 426, 17000, 2025, "target", "="),  # 新增中等职业教育学位1.7万个
    ("anyang", 516, 400, None, "target", ">="),  # 按照每月不低于400元的标准
    ("anyang", 516, 10, None, "change", "="),  # 每增加一年教龄增加10元
]


@pytest.fixture(scope="module")
def rows_by_county():
    from planlib.extract.prose import extract_prose

    out = {}
    for slug in sorted({e[0] for e in EXPECTED + AUDITED}):
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


@pytest.mark.parametrize("slug,line,value,year,kind,comparator", AUDITED,
                         ids=[f"{e[0]}:{e[1]}:{e[2]}:{e[5]}" for e in AUDITED])
def test_audited_prose_row(rows_by_county, slug, line, value, year, kind, comparator):
    rows = rows_by_county[slug]
    hits = [r for r in rows if r["line"] == line and math.isclose(r["value"], value, rel_tol=1e-9)
            and r["year"] == year and r["kind"] == kind and r["comparator"] == comparator]
    on_line = [(r["value"], r["year"], r["kind"], r["comparator"]) for r in rows if r["line"] == line]
    assert hits, f"not found; rows on line {line}: {on_line}"


#: Audited numbers that are no rows: per-unit sizes, clubs, honours, health checks.
AUDITED_NOT_TARGETS = [
    ("chengkou", 265, 12, "个"),  # 每12个班级配备: the unit a norm counts per
    ("yunyang", 364, 100, "例"),  # 精品思政课100例
    ("yunyang", 368, 100, "个"),  # 高水平学生艺术社团
    ("yunyang", 614, 100, "%"),  # 学生健康体检完成率
    ("wuxi", 336, 1000, "名"),  # 评品德好少年1000名
]


@pytest.mark.parametrize("slug,line,value,unit", AUDITED_NOT_TARGETS,
                         ids=[f"{e[0]}:{e[1]}:{e[2]}" for e in AUDITED_NOT_TARGETS])
def test_audited_non_targets(rows_by_county, slug, line, value, unit):
    rows = rows_by_county.get(slug) or []
    assert [r["quote"] for r in rows if r["line"] == line and math.isclose(r["value"], value)
            and r["unit"] == unit] == []


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
    from planlib.extract.prose import extract_prose

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
    from planlib.extract.prose import extract_prose

    rows = extract_prose(read_plan(RAW_DIR / f"{slug}.txt"))
    hits = [(r["indicator_id"], r["level"]) for r in rows if r["line"] == line and math.isclose(r["value"], value)]
    assert hits and all(h == (iid, level) for h in hits), hits
