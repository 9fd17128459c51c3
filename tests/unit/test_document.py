"""The document model: one heading tree, furniture, period, computed once per plan (inline fixtures)."""
from __future__ import annotations

import pytest

import planlib.read.document as document
import planlib.build.pipeline as pipeline
from planlib.read.document import Document, chrome_kind, match_heading
from planlib.read.text import read_plan


def doc_of(tmp_path, text: str, name: str = "plan") -> Document:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return Document(read_plan(path))


STYLES = """\
某县教育事业发展“十四五”规划（2021—2025年）
第一部分 总体要求
第一章 发展基础
第一节 主要成就
一、学前教育
（一）普惠发展
1.扩大资源
（1）新建园所
专栏1 重点工程
"""


def test_each_style_is_a_heading_and_nests_in_order_of_first_appearance(tmp_path):
    doc = doc_of(tmp_path, STYLES)
    got = [(h.style, h.numbering, h.title, h.level) for h in doc.headings]
    assert got == [
        ("part", "第一部分", "总体要求", 1),
        ("chapter", "第一章", "发展基础", 2),
        ("section", "第一节", "主要成就", 3),
        ("cn_dun", "一", "学前教育", 4),
        ("cn_paren", "（一）", "普惠发展", 5),
        ("num_dot", "1", "扩大资源", 6),
        ("num_paren", "（1）", "新建园所", 7),
        ("box", "专栏1", "重点工程", 6),  # under the nearest chapter-like heading, 一 > （一）
    ]
    assert [h.path for h in doc.headings][-2:] == ["第一部分/第一章/第一节/一/（一）/1/（1）",
                                                 "第一部分/第一章/第一节/一/（一）/专栏1"]


NESTED = """\
某县教育规划
一、发展基础
（一）学前教育
（二）义务教育
二、主要任务
（一）师资建设
1.引进人才
2.培训教师
（二）经费保障
"""


def test_nesting_parents_and_line_ranges(tmp_path):
    doc = doc_of(tmp_path, NESTED)
    hs = doc.headings
    by_title = {h.title: h for h in hs}
    assert by_title["学前教育"].parent == hs.index(by_title["发展基础"])
    assert by_title["培训教师"].parent == hs.index(by_title["师资建设"])
    assert (by_title["发展基础"].line, by_title["发展基础"].line_end) == (2, 4)
    assert (by_title["师资建设"].line, by_title["师资建设"].line_end) == (6, 8)
    assert by_title["经费保障"].line_end == 9
    # a nested heading hides its parent's lines from the innermost view
    assert doc.innermost_heading()[7] == "二/（一）/1"


def test_a_run_in_heading_is_a_heading_with_its_text(tmp_path):
    doc = doc_of(tmp_path, "某县教育规划\n一、发展基础\n（一）发展基础。全市有学校12所，在校生3000人。\n（二）面临形势\n")
    h = doc.headings[1]
    assert (h.style, h.title, h.text, h.run_in) == ("cn_paren", "发展基础", "全市有学校12所，在校生3000人。", True)
    assert not doc.headings[2].run_in
    # the run-in heading's text is a paragraph, starting where the text starts in the line
    para = next(p for p in doc.paragraphs if p.line == 3)
    assert doc.line(3)[para.start:] == para.text


def test_a_list_must_start_at_one_or_continue(tmp_path):
    doc = doc_of(tmp_path, "某县教育规划\n一、发展基础\n3.不是列表\n表中数值\n1.2297\n二、主要任务\n")
    assert [h.numbering for h in doc.headings] == ["一", "二"]


TOC = """\
某县教育事业发展“十四五”规划
目 录
第一部分 发展基础 ..........................3
一、主要成就
二、面临挑战 5
第二部分 主要任务 。。。。。。。。8

第一部分 发展基础
一、主要成就
二、面临挑战
第二部分 主要任务
"""


def test_a_table_of_contents_is_furniture_and_never_headings(tmp_path):
    doc = doc_of(tmp_path, TOC)
    assert doc.toc == {2, 3, 4, 5, 6}  # the 目录 block up to its last page-numbered entry, 。。。。 leaders too
    assert all(doc.furniture[n] == "toc" for n in doc.toc)
    assert [h.line for h in doc.headings] == [8, 9, 10, 11]
    assert not {p.line for p in doc.paragraphs} & doc.toc


def test_page_chrome_is_furniture(tmp_path):
    text = ("您当前的位置:首页>政务公开>政策文件\n【打印】 【关闭】\n【字体: 大 中 小】\n"
            "[ 索引号 ]1150/2021-00272 [ 发文字号 ]某府发〔2021〕1号\n发 文 字 号 某政〔2022〕13号\n"
            "某县教育事业发展“十四五”规划\n全市有学校12所。\n首页建设要点：打印资料12份。\n")
    doc = doc_of(tmp_path, text)
    assert doc.furniture == {1: "breadcrumb", 2: "page_tools", 3: "page_tools", 4: "document_bar", 5: "document_bar"}
    assert [p.line for p in doc.paragraphs] == [6, 7, 8]


@pytest.mark.parametrize("line, kind", [
    ("首页 > 政务公开 > 政策文件", "breadcrumb"),
    ("当前位置:首页＞规划信息", "breadcrumb"),
    ("注册 无障碍 适老化 繁体版", "page_tools"),
    ("有 效 性 有效", "document_bar"),
    ("打印机120台。", None),  # a word of a tool inside plan text
    ("首页改版后访问量增长20%。", None),  # 首页 without a breadcrumb separator
])
def test_chrome_kinds(line, kind):
    assert chrome_kind(line) == kind


@pytest.mark.parametrize("line, style", [
    ("第十二章 保障措施", "chapter"), ("十一、加强党的领导", "cn_dun"), ("(三)强化保障", "cn_paren"),
    ("12、推进改革", "num_dot"), ("专栏三：重点项目", "box"), ("一百○五、附则", "cn_dun"),
])
def test_heading_styles(line, style):
    assert match_heading(line).style == style


def test_a_decimal_or_a_bare_number_is_no_heading():
    assert match_heading("1.2297") is None
    assert match_heading("2.5%") is None


def test_the_period(tmp_path):
    assert doc_of(tmp_path, "某县教育事业发展“十四五”规划\n").period.end == 2025
    assert doc_of(tmp_path, "某县教育发展规划（2026-2030年）\n").period.start == 2026


def test_headings_period_and_furniture_are_computed_once_per_parse(tmp_path, monkeypatch):
    """parse_plan reads the plan once: every extractor asks the same Document."""
    calls = {"scan_headings": 0, "plan_period": 0, "toc_lines": 0, "chrome_lines": 0, "resolve_tree": 0, "outline": 0}
    for name in calls:
        original = getattr(document, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(document, name, counted)
    path = tmp_path / "plan.txt"
    path.write_text(TOC + "（一）发展基础。全县有学校12所，在校生3000人。\n到2025年，学前三年毛入园率达95%。\n"
                    "表1 主要指标\n指标\n2020年\n2025年\n在校生数（人）\n3000\n3500\n", encoding="utf-8")
    parsed = pipeline.parse_plan(path)
    assert parsed.targets  # the parse did read numbers (from prose and the table)
    assert calls["scan_headings"] == 1
    assert calls["plan_period"] == 1
    assert calls["toc_lines"] == 1
    assert calls["resolve_tree"] == 1
    assert calls["outline"] == 1
    assert calls["chrome_lines"] == 1
    assert parsed.document.tables  # the table's grid was filled from the reconstruction


def test_prose_reads_no_number_from_furniture(tmp_path):
    from planlib.extract.prose import extract_prose

    bar = "[ 发文字号 ]某府发〔2021〕1号 [ 主题分类 ]教育 全县在校生3000人"
    body = "全县在校生3000人。"
    doc = doc_of(tmp_path, f"某县教育事业发展“十四五”规划\n{bar}\n一、发展基础\n{body}\n")
    assert doc.furniture == {2: "document_bar"}
    assert [r["line"] for r in extract_prose(doc) if r["value"] == 3000] == [4]


def test_the_outline_and_the_tree_read_the_same_candidates_by_their_own_rules(tmp_path):
    """一.发展基础 is an outline heading (prose's review context) but not a tree heading (the tree
    reads 一、 only); a long run-in line is a tree heading but no outline heading."""
    text = ("某县教育规划\n一.发展基础\n全县有学校12所。\n2.学前教育快速发展\n在园幼儿3000人。\n"
            "二、主要任务\n（一）义务教育。到2025年，全县义务教育巩固率达到98%，新建学校3所，扩建学校5所。\n")
    doc = doc_of(tmp_path, text)
    # the tree: 一. is not its style, 二、 and 2. do not start a list; （一） starts its own (run-in)
    assert [(h.line, h.title, h.run_in) for h in doc.headings] == [(7, "义务教育", True)]
    # the outline: 一. opens a review, 二、 a plan; 2.学前教育快速发展 names a level until 二、 closes it;
    # the run-in line (it holds 。) is no outline heading, so it names no level there
    assert doc.outline.contexts[1:] == ["review", "review", "review", "review", "plan", "plan"]
    assert doc.outline.levels[3:] == ["preschool", "preschool", "", ""]


def test_chrome_lines_answers_as_each_line_would():
    from planlib.read.document import chrome_lines

    lines = ["您当前的位置:首页>政务公开", "", "【打印】", "  发 文 字 号 某政〔2022〕13号", "中小学", "首页改版后访问量增长20%。",
             "x" * 300 + "首页>政务公开", "大 中 小", "打印机120台。", "标题 某县教育规划"]
    expected = {n: chrome_kind(line) for n, line in enumerate(lines, 1) if chrome_kind(line)}
    assert chrome_lines(lines) == expected == {1: "breadcrumb", 3: "page_tools", 4: "document_bar", 8: "page_tools",
                                               10: "document_bar"}


def test_a_flattened_table_becomes_a_grid_with_its_lines(tmp_path):
    from planlib.extract.tables import extract_tables

    text = ("某县教育事业发展“十四五”规划\n表1 主要发展指标\n指标\n2020年\n2025年\n"
            "在校生数（人）\n3000\n3500\n专任教师数（人）\n200\n260\n")
    doc = doc_of(tmp_path, text)
    result = extract_tables(doc)
    assert len(doc.tables) == len(result.tables) == 1
    grid = doc.tables[0]
    assert [(c.row, c.col, c.text, c.line) for c in grid.cells if c.header] == [
        (0, 0, "指标", 3), (0, 2, "2020年", 4), (0, 3, "2025年", 5)]  # each header above its values
    body = [(c.row, c.col, c.role, c.text, c.line) for c in grid.cells if not c.header]
    assert body == [(1, 0, "label", "在校生数（人）", 6), (1, 2, "value", "3000", 7), (1, 3, "value", "3500", 8),
                    (2, 0, "label", "专任教师数（人）", 9), (2, 2, "value", "200", 10), (2, 3, "value", "260", 11)]
    assert grid.n_rows == 3 and grid.lines == list(range(3, 12))
    # every value cell is a number the targets rows cite, at the same line and characters
    cited = {(r["line"], r["char_start"], r["char_end"]) for r in result.rows}
    assert {(c.line, c.start, c.end) for c in grid.cells if c.role == "value"} <= cited


# --- opens_a_review: one match for "a review marker lies in the paragraph's opening" ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _opens_a_review_by_words(line: str, start: int = 0) -> bool:
    """The definition: the text from ``start`` up to the first clause mark holds one of the markers."""
    opening = line[start:]
    for i, ch in enumerate(opening):
        if ch in document._OPENING_ENDS:
            opening = opening[:i]
            break
    return any(m in opening for m in document._context_words()[2])


_MARKER_TEXT = "".join(sorted(set("".join(document._context_words()[2]))))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_MARKER_TEXT + document._OPENING_ENDS + "十三五“”到2025年的 ", max_size=40),
       st.integers(min_value=0, max_value=10))
def test_opens_a_review_is_the_marker_in_the_opening(line, start):
    assert document.opens_a_review(line, start) == _opens_a_review_by_words(line, start)


@pytest.mark.parametrize("line, start, expected", [
    ("“十三五”以来，全市有学校12所。", 0, True),
    ("全市学校12所，“十三五”以来新建4所。", 0, False),
    ("全市学校12所，“十三五”以来新建4所。", 8, True),
    ("发展基础：全县有幼儿园10所", 0, True),
    ("", 0, False),
])
def test_opens_a_review_examples(line, start, expected):
    assert document.opens_a_review(line, start) is expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=_MARKER_TEXT + document._OPENING_ENDS + "十三五“”到的 ", max_size=30), max_size=8))
def test_review_opening_lines_are_the_lines_that_open_a_review(lines):
    assert document.review_opening_lines(lines) == {n for n, line in enumerate(lines, 1)
                                                    if _opens_a_review_by_words(line)}


def test_review_opening_lines_of_the_five_plans():
    from planlib.paths import RAW_DIR

    for path in sorted(RAW_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").split("\n")
        expected = {n for n, line in enumerate(lines, 1) if _opens_a_review_by_words(line)}
        assert document.review_opening_lines(lines) == expected
