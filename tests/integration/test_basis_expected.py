"""Hand-checked basis and span of the five plans' numbers, written from ``sed -n 'Np'`` before
the code (issue 9, item 1). Each entry is (file, line, value_raw, basis, span_start, span_end);
every targets row on that line with that value_raw must carry them.

How the list was read (the rules the code must follow, stated here so a reader can dispute them):
- ``cumulative``: a total over a span. The span is named (累计, 共, 总投资, 先后, 近五年, 五年内,
  2016年以来, "十四五"期间) or, in a review of the last plan period, the number counts what was
  done in it (新建/新增/招聘/培养/投入 … in the 十三五 review: 2016–2020).
- a plan *target* that adds something by its end year with no span words (到2025年新建幼儿园12所)
  stays ``point``: it is dated to 2025 and its measure_type (flow) says it is an addition.
- rates (%) are never cumulative, and a level stated with its own year (由2016年的…增长到2020年的…,
  "十三五"末) stays point even in a 十三五期间 paragraph.
- ``annual``: 每年, 年均, 常年; spanned only where the text or the review gives the years.
- ``per_unit``: 生均, 每百名学生, 每所, 每个乡镇, 每12个班级, 每月…标准; it wins over annual and cumulative.
"""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.paths import RAW_DIR
from planlib.build.pipeline import parse_plan

R = (2016, 2020)  # the 十三五 period reviewed by the five 十四五 plans
P = (2021, 2025)  # the 十四五 plan period
N = (None, None)  # no span

CUMULATIVE = [
    # anyang: “十三五”时期 review
    ("anyang", 40, "316", R), ("anyang", 40, "963", R), ("anyang", 40, "372", R), ("anyang", 40, "175", R),  # 新增/排查/取缔/整合
    ("anyang", 50, "4", R), ("anyang", 50, "3", R),  # 全市共创建…示范校4所, …3所
    ("anyang", 66, "25", R), ("anyang", 66, "22", R), ("anyang", 66, "111", R),  # “十三五”期间共培养
    ("anyang", 66, "32487", R),  # “十三五”期间共培训教师32487名
    ("anyang", 70, "11.19", R), ("anyang", 70, "8481.02", R),  # “十三五”期间,各学段共资助…资助金额
    ("anyang", 70, "1.26", R), ("anyang", 70, "3327.7", R), ("anyang", 70, "2.31", R),  # 全市共下达…助学金
    ("anyang", 76, "42.81", R), ("anyang", 76, "9.41", R),  # “十三五”期间,全市基础教育投入; 其中市本级投入
    ("anyang", 76, "803", R), ("anyang", 76, "13.77", R), ("anyang", 76, "106.42", R),  # 共实施…总投资…共
    ("anyang", 76, "1.71", R), ("anyang", 76, "2353", R), ("anyang", 76, "8.15", R),  # 总投资…建成…套
    ("anyang", 76, "235", R), ("anyang", 76, "3010", R),
    ("anyang", 76, "1.02", R), ("anyang", 76, "6.65", R), ("anyang", 76, "7365", R), ("anyang", 76, "4.8", R),
    ("anyang", 76, "3.73", R), ("anyang", 76, "14", R), ("anyang", 76, "7.5", R), ("anyang", 76, "257", R),
    ("anyang", 76, "34778", R), ("anyang", 76, "4.93", R), ("anyang", 76, "30.64", R), ("anyang", 76, "600", R),
    ("anyang", 58, "491", R),  # 落实民办教育发展奖励资金491万元
    ("anyang", 476, "200", P), ("anyang", 476, "2000", P), ("anyang", 476, "7000", P),  # 五年内拟培育
    # chengkou
    ("chengkou", 40, "34", R),  # “十三五”期间,累计教育投入34亿元
    ("chengkou", 40, "25", R), ("chengkou", 40, "10", R), ("chengkou", 40, "8300", R),  # … same sentence
    ("chengkou", 40, "28", R), ("chengkou", 40, "131", R), ("chengkou", 40, "590", R),
    ("chengkou", 44, "620", R), ("chengkou", 44, "190", R), ("chengkou", 44, "7", R),  # 累计补充教师620名, 培育, 成立
    ("chengkou", 48, "1.61", R), ("chengkou", 48, "20.81", R),  # 累计落实各类教育资助, 惠及
    ("chengkou", 48, "20", R),  # 累计惠及学生20万人次
    ("chengkou", 383, "300", P),  # “十四五”期间,表彰县级各类优秀教师300名
    # taixing: 十三五 review (——以…为…)
    ("taixing", 11, "16", R), ("taixing", 11, "17", R),  # 投入近16亿元,建成…17所
    ("taixing", 13, "1.3", R), ("taixing", 13, "11", R),  # 累计投入近1.3亿元, …11所学校创成
    ("taixing", 17, "2", R), ("taixing", 17, "17", R),  # 组建名校长工作室2个、名教师工作室17个
    ("taixing", 17, "9", R), ("taixing", 17, "4", R), ("taixing", 17, "3", R),  # 新增省特级教师9人、…
    ("taixing", 17, "958", R), ("taixing", 17, "210", R), ("taixing", 17, "60", R),  # 新招聘, 培养计划, 选派
    ("taixing", 19, "683", R),  # 累计发放补助683万元
    ("taixing", 19, "1.09", R),  # 近五年累计资助1.09亿元: the five years ending 2020
    # wuxi
    ("wuxi", 25, "60.06", R),  # 2016年以来，累计投入教育经费60.06亿元
    ("wuxi", 25, "2.87", R), ("wuxi", 25, "1.34", R),  # 累计发放各类教育资助金, 落实营养改善资金
    ("wuxi", 27, "42", R), ("wuxi", 27, "1", R),  # 先后整合42所小学、1所初中
    ("wuxi", 27, "2.5", R), ("wuxi", 27, "5", R), ("wuxi", 27, "16", R), ("wuxi", 27, "30", R),  # 累计投入约2.5亿元 …
    ("wuxi", 27, "5.6", R), ("wuxi", 27, "15.3", R), ("wuxi", 27, "4.3", R), ("wuxi", 27, "7.3", R),  # 累计新建校舍 …
    ("wuxi", 27, "24", R), ("wuxi", 27, "2.2", R),
    ("wuxi", 27, "3.47", R),  # 投入3.47亿元，建成巫溪教育资源平台
    ("wuxi", 29, "1117", R), ("wuxi", 29, "450", R), ("wuxi", 29, "419", R), ("wuxi", 29, "123", R),  # 累计招录 …
    ("wuxi", 29, "16851", R), ("wuxi", 29, "100", R), ("wuxi", 29, "1000", R),
    ("wuxi", 33, "47", R), ("wuxi", 33, "20", R),  # 建设各类项目学校47所，…基地20个
    ("wuxi", 1287, "3—5", P),  # 五年内…建设进修校基地学校3—5个
    # yunyang: 十三五”时期 review
    ("yunyang", 137, "8", R), ("yunyang", 137, "6", R),  # 新建公办幼儿园8所、中小学6所
    ("yunyang", 137, "77", R), ("yunyang", 137, "120", R),  # 改善…办园条件77所, 办学条件120所
    ("yunyang", 137, "5000", R), ("yunyang", 137, "20000", R), ("yunyang", 137, "3000", R),  # 新增学位, 床位
    ("yunyang", 137, "1986", R), ("yunyang", 137, "102", R),  # 培养骨干教师1986人, 组建名师工作室102个
]

ANNUAL = [
    ("chengkou", 44, "3000", R),  # 年均培训达3000余人次, in the 十三五期间 review
    ("wuxi", 25, "20.82", R),  # 2016年以来…年均增长20.82%
    ("anyang", 458, "10", N),  # 每年轮训骨干导师10人
    ("anyang", 508, "100", N),  # 每年为农村学校…补充100名左右
    ("taixing", 97, "20", N),  # 确保每年招聘幼儿教师占比不低于招聘总数的20%
    ("wuxi", 1236, "6000", N),  # 每年完成社会培训6000人次
    ("wuxi", 1269, "3—5", N),  # 每年推动3—5所“智慧校园”建设试点
    ("wuxi", 783, "80", N), ("wuxi", 783, "4000", N),  # 常年招生80个班4000人
    ("wuxi", 783, "30", N), ("wuxi", 783, "1500", N),  # 常年招生30个班1500人
]

PER_UNIT = [
    ("anyang", 270, "3000—5000", N),  # 生均财政拨款基准定额(3000—5000元/年): per pupil and per year -> per_unit
    ("anyang", 270, "200", N),  # 普惠性民办幼儿园生均(200元/年)
    ("anyang", 266, "1—2", N),  # 确保每个乡镇办好1—2所公办中心幼儿园
    ("anyang", 516, "400", N),  # 按照每月不低于400元的标准 (班主任津贴)
    ("anyang", 516, "10", N),  # 每增加一年教龄增加10元的标准 (累计计算 later: still per unit)
    ("chengkou", 100, "1", N), ("chengkou", 383, "1", N),  # 每百名学生至少拥有1名…骨干教师
    ("chengkou", 265, "1", N),  # 每12个班级配备…专用教室1间以上
    ("taixing", 107, "1", N),  # 每所公办普通高中至少建设1个省级课程基地
    ("taixing", 157, "6000", N), ("taixing", 157, "20000", N),  # 生均公共财政预算教育事业费
]

#: Look-alikes that must stay point.
POINT = [
    ("anyang", 74, "78"), ("anyang", 74, "122.87"),  # “十三五”期间,…总收入由2016年的78亿元增长到2020年的122.87亿元
    ("anyang", 36, "144.26"),  # “十三五”期间 paragraph: 在校生…增加到2020年的144.26万人
    ("wuxi", 23, "202"),  # “十三五”末，全县有各级各类学校202所
    ("wuxi", 23, "8"),  # 人均受教育年限达到8年: an average, not a per-unit norm
    ("taixing", 127, "18"),  # 新增劳动力人均受教育年限达18年以上
    ("wuxi", 25, "104.08"),  # 累计投入…，比“十二五”提高104.08%: a rate
    ("anyang", 260, "80"),  # 近视率每年降低1个百分点以上,…比例达到80%以上: the next clause
    ("taixing", 79, "60"),  # 继续教育年参与率: a rate, not 每年
    ("chengkou", 36, "100"),  # 年巩固率达100%
    ("anyang", 226, "10"),  # 到2025年,…体育特色学校新增10所: a dated plan target
    ("chengkou", 94, "12"),  # 到2025年,新建及改扩建幼儿园12所
    ("anyang", 426, "1.7"),  # 新增中等职业教育学位1.7万个 (plan)
    ("wuxi", 1297, "3—5"),  # 建设进修校基地学校3—5个, no 五年内 here
    ("yunyang", 137, "31"), ("yunyang", 137, "478"),  # 大班额从…478个下降到31个
    ("yunyang", 137, "17"),  # 全县现有市级名师…17人
    ("chengkou", 383, "9"),  # 到2025年,建成9个…: the sentence after “十四五”期间…300名 has its own date
    ("yunyang", 187, "2500"),  # 市县级骨干教师总量达到2500人
    ("wuxi", 321, "95"),  # 体质健康合格率 (rate)
]


@pytest.fixture(scope="module")
def targets():
    frames = [parse_plan(RAW_DIR / f"{slug}.txt").targets_frame
              for slug in ("anyang", "chengkou", "taixing", "wuxi", "yunyang")]
    return pd.concat(frames, ignore_index=True)


def _rows(targets, slug, line, value_raw):
    t = targets[(targets["county"] == slug) & (targets["line"] == line) & (targets["value_raw"] == value_raw)]
    assert len(t), f"{slug}:{line}: no row with value_raw {value_raw!r}; rows: " \
                   f"{targets[(targets['county'] == slug) & (targets['line'] == line)]['value_raw'].tolist()}"
    return t


def _span(row):
    return (None if pd.isna(row["span_start"]) else int(row["span_start"]),
            None if pd.isna(row["span_end"]) else int(row["span_end"]))


CASES = [(s, ln, v, "cumulative", sp) for s, ln, v, sp in CUMULATIVE] + \
        [(s, ln, v, "annual", sp) for s, ln, v, sp in ANNUAL] + \
        [(s, ln, v, "per_unit", sp) for s, ln, v, sp in PER_UNIT] + \
        [(s, ln, v, "point", N) for s, ln, v in POINT]


@pytest.mark.parametrize("slug,line,value_raw,basis,span", CASES,
                         ids=[f"{c[0]}:{c[1]}:{c[2]}:{c[3]}" for c in CASES])
def test_basis_and_span(targets, slug, line, value_raw, basis, span):
    for _, row in _rows(targets, slug, line, value_raw).iterrows():
        assert (row["basis"], _span(row)) == (basis, span), f"{row['quote']!r}"


def test_year_and_kind_unchanged_by_basis(targets):
    """A cumulative 十三五 total keeps year 2020 and kind baseline: basis adds, it does not replace."""
    row = _rows(targets, "chengkou", 40, "34").iloc[0]
    assert (row["basis"], int(row["year"]), row["kind"]) == ("cumulative", 2020, "baseline")


def test_point_rows_have_no_span(targets):
    point = targets[targets["basis"] == "point"]
    assert len(point) and point["span_start"].isna().all() and point["span_end"].isna().all()


def test_cumulative_rows_all_have_a_span(targets):
    cum = targets[targets["basis"] == "cumulative"]
    assert len(cum) and cum["span_start"].notna().all() and (cum["span_start"] <= cum["span_end"]).all()
