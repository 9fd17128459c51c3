"""Heading hierarchy on small synthetic plans written here."""
from __future__ import annotations

import pytest

from planlib.extract.sections import cn_to_int, section_of, sections, toc_lines
from planlib.read.text import read_plan

PLAN_WITH_TOC = """\
某县教育事业发展“十四五”规划
目 录
第一部分 发展基础 ..........................3
一、主要成就..............................3
二、面临挑战 ..........................5
第二部分 主要任务 ........................8

第一部分  发展基础
  一、主要成就
  (一)学前教育
  1.普惠发展。全县普惠性幼儿园覆盖率达到90%。
  2.规模扩大
  (二)义务教育
  二、面临挑战
  表中数值
  1.2297
第二部分 主要任务
专栏1 重点项目
1.新建幼儿园3所
2.改扩建学校5所
"""


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "demo.txt"
    path.write_text(PLAN_WITH_TOC, encoding="utf-8")
    return read_plan(path)


def row(df, numbering_path):
    hits = df[df["path"] == numbering_path]
    assert len(hits) == 1, (numbering_path, df["path"].tolist())
    return hits.iloc[0]


def test_toc_block_and_leader_lines_are_excluded(plan):
    assert toc_lines(plan) == {2, 3, 4, 5, 6}
    df = sections(plan)
    assert df["line_start"].min() == 8
    assert not df["line_start"].isin(toc_lines(plan)).any()


def test_levels_follow_the_order_styles_first_appear(plan):
    df = sections(plan)
    outside_boxes = df[~df["path"].str.contains("专栏")]
    levels = dict(zip(outside_boxes["style"], outside_boxes["level"]))
    assert levels["part"] == 1 and levels["cn_dun"] == 2 and levels["cn_paren"] == 3 and levels["num_dot"] == 4


def test_line_ranges_end_before_next_heading_of_same_or_higher_level(plan):
    df = sections(plan)
    assert (row(df, "第一部分")["line_start"], row(df, "第一部分")["line_end"]) == (8, 16)
    assert (row(df, "第一部分/一")["line_start"], row(df, "第一部分/一")["line_end"]) == (9, 13)
    assert (row(df, "第一部分/一/（一）")["line_start"], row(df, "第一部分/一/（一）")["line_end"]) == (10, 12)
    assert row(df, "第一部分/一/（二）")["line_end"] == 13
    assert row(df, "第一部分/二")["line_end"] == 16
    assert row(df, "第二部分")["line_end"] == len(plan.lines)


def test_run_on_paragraph_title_stops_at_first_full_stop(plan):
    df = sections(plan)
    assert row(df, "第一部分/一/（一）/1")["title"] == "普惠发展"
    assert row(df, "第一部分/一/（一）/2")["title"] == "规模扩大"


def test_decimal_table_cell_is_not_a_heading(plan):
    df = sections(plan)
    assert 16 not in set(df["line_start"])


def test_box_and_its_items(plan):
    df = sections(plan)
    box = row(df, "第二部分/专栏1")
    assert box["level"] == 2 and box["line_end"] == len(plan.lines)
    item = row(df, "第二部分/专栏1/2")
    assert item["level"] == 3 and item["title"] == "改扩建学校5所"
    assert df.loc[df["section_id"] == item["parent"], "numbering"].item() == "专栏1"


def test_parent_and_path_agree(plan):
    df = sections(plan).set_index("section_id")
    for sid, r in df.iterrows():
        if pd_isna(r["parent"]):
            assert "/" not in r["path"]
        else:
            assert r["path"] == df.loc[r["parent"], "path"] + "/" + r["numbering"]


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_section_of_gives_title_path(plan):
    df = sections(plan)
    assert section_of(df, 11) == "发展基础 > 主要成就 > 学前教育 > 普惠发展"
    assert section_of(df, 14) == "发展基础 > 面临挑战"
    assert section_of(df, 1) == ""


def test_chapter_style_plan_and_half_width_numbers(tmp_path):
    text = "第一章 发展基础\n第一节 成就\n1.队伍建设。教师增加。\n2、经费增长\n第二节 问题\n第二章 目标\n"
    path = tmp_path / "chap.txt"
    path.write_text(text, encoding="utf-8")
    df = sections(read_plan(path))
    assert df["path"].tolist() == ["第一章", "第一章/第一节", "第一章/第一节/1", "第一章/第一节/2",
                                   "第一章/第二节", "第二章"]
    assert df["level"].tolist() == [1, 2, 3, 3, 2, 1]
    assert df["source_file"].iloc[0] == str(path)


def test_cn_to_int():
    assert cn_to_int("十二") == 12 and cn_to_int("三十") == 30
