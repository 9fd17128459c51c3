"""Web pages: the article found, chrome kept as furniture (never a number), tables read as full grids."""
from __future__ import annotations

from pathlib import Path

import pytest

from planlib.build.pipeline import parse_plan
from planlib.errors import PlanFileError
from planlib.read.derived import MAX_GRID_CELLS
from planlib.read.formats import read_any, sniff
from planlib.read.htmlfile import read_html

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "plan.html"

PROSE = ("<p>“十三五”期间，全县共有各级各类学校86所，在校学生4.52万人，专任教师3210人，学前三年毛入园率达到91.5%。</p>"
         "<p>到2025年，全县学前三年毛入园率达到95%以上，九年义务教育巩固率保持在97%以上，新建幼儿园6所。</p>")


def page(article: str, chrome: str = "", head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>{head}</head><body>"
            f"<div class='nav'>{chrome}</div><div id='content'><h1>某县教育事业发展“十四五”规划</h1>{article}</div>"
            "<div class='footer'>联系电话：023-76543210 网站标识码：5001230045</div></body></html>").encode()


def derived(raw: bytes, name="p.html"):
    return read_html(Path(name), raw)


def test_chrome_lines_are_furniture_and_the_article_is_not():
    d = derived(page(PROSE, chrome="<p>今日新增学位1200个，新建幼儿园9所，招聘教师300名。</p>"))
    kinds = {line: m.furniture for line, m in zip(d.lines, d.meta)}
    assert kinds["今日新增学位1200个，新建幼儿园9所，招聘教师300名。"] == "nav"
    assert kinds["联系电话：023-76543210 网站标识码：5001230045"] == "footer"
    assert kinds["某县教育事业发展“十四五”规划"] is None
    assert all(m.furniture is None for line, m in zip(d.lines, d.meta) if "86所" in line or "97%" in line)


def test_no_number_comes_from_the_chrome_of_the_fixture_page(tmp_path):
    (tmp_path / "mouxian.html").write_bytes(FIXTURE.read_bytes())
    rows = parse_plan(tmp_path / "mouxian.html").targets_frame
    chrome_values = {1200.0, 9.0, 300.0, 48000.0, 12345.0, 4567.0, 36.0, 12.0, 1234567.0}
    assert not chrome_values & set(rows["value"].astype(float))
    plan = read_any(tmp_path / "mouxian.html")
    marked = {n for n, m in enumerate(plan.meta, 1) if m.furniture}
    assert marked and not marked & set(rows["line"])


def test_the_same_chrome_as_plain_text_does_give_numbers(tmp_path):
    """The check above can fail: the sidebar's sentence, read as a plan text, yields its numbers."""
    text = "某县教育事业发展“十四五”规划\n全县新增学前学位1200个，新建幼儿园9所，招聘教师300名。\n"
    (tmp_path / "chrome.txt").write_text(text, encoding="utf-8")
    values = set(parse_plan(tmp_path / "chrome.txt").targets_frame["value"].astype(float))
    assert {9.0, 300.0} <= values


def test_scripts_styles_and_head_give_no_text():
    d = derived(page(PROSE, head="<title>访问量 2025</title><style>td{width:95%}</style>")
                .replace(b"<h1>", b"<script>var n = 98765;</script><noscript>2024</noscript><h1>"))
    text = "\n".join(d.lines)
    assert "98765" not in text and "95%}" not in text and "访问量" not in text and "2024" not in text


def test_rowspan_and_colspan_fill_a_full_grid():
    table = ("<table><tr><td>指标</td><td>单位</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
             "<tr><td>在园幼儿数</td><td>人</td><td>5600</td><td>5200</td><td rowspan='2'>预期性</td></tr>"
             "<tr><td>毛入园率</td><td>%</td><td colspan='2'>95</td></tr></table>")
    d = derived(page(PROSE + table))
    cells = {(m.row, m.col): line for line, m in zip(d.lines, d.meta) if m.table}
    assert cells[(3, 5)] == "\t预期性"  # the rowspan repeated in the row it covers
    assert cells[(3, 3)] == cells[(3, 4)] == "\t95"  # a number spanning two columns is the value of each
    assert cells[(2, 3)] == "\t5600"


def test_a_text_cell_spanning_columns_is_written_once():
    table = ("<table><tr><td>指标</td><td>单位</td><td>2020年</td><td>2025年</td></tr>"
             "<tr><td colspan='2'>专任教师数（人）</td><td>3210</td><td>3500</td></tr></table>")
    d = derived(page(PROSE + table))
    assert sum(1 for line in d.lines if line == "\t专任教师数（人）") == 1


def test_two_header_rows_fold_into_one_with_the_years():
    table = ("<table><tr><th rowspan='2'>指标</th><th colspan='2'>年份</th><th rowspan='2'>属性</th></tr>"
             "<tr><th>2020年</th><th>2025年</th></tr>"
             "<tr><td>学前三年毛入园率（%）</td><td>91.5</td><td>95</td><td>预期性</td></tr></table>")
    d = derived(page(PROSE + table))
    cells = [line for line, m in zip(d.lines, d.meta) if m.table]
    assert cells[:4] == ["\t指标", "\t2020年", "\t2025年", "\t属性"]
    assert "\t年份" not in cells


def test_folded_header_table_gives_the_values_their_years(tmp_path):
    table = ("<p>表1 主要发展指标</p><table><tr><th rowspan='2'>指标</th><th colspan='2'>年份</th>"
             "<th rowspan='2'>属性</th></tr><tr><th>2020年</th><th>2025年</th></tr>"
             "<tr><td>学前三年毛入园率（%）</td><td>91.5</td><td>95</td><td>预期性</td></tr>"
             "<tr><td>九年义务教育巩固率（%）</td><td>95.2</td><td>97</td><td>约束性</td></tr></table>")
    (tmp_path / "p.html").write_bytes(page(PROSE + table))
    rows = parse_plan(tmp_path / "p.html").targets_frame
    table_rows = rows[rows["source"] == "table"]
    got = sorted(zip(table_rows["indicator_id"], table_rows["year"], table_rows["value"], table_rows["table_row"],
                     table_rows["table_col"]))
    assert got == [("compulsory_retention_rate", 2020, 95.2, 4, 2), ("compulsory_retention_rate", 2025, 97.0, 4, 3),
                   ("preschool_ger", 2020, 91.5, 3, 2), ("preschool_ger", 2025, 95.0, 3, 3)]


def test_a_layout_table_is_read_as_blocks():
    article = f"<table><tr><td>菜单</td><td>{PROSE}</td></tr><tr><td></td><td>某县人民政府</td></tr></table>"
    d = derived(page(article))
    assert not any(m.table for m in d.meta)
    assert any("86所" in line for line in d.lines)


def test_a_huge_span_is_refused_without_taking_memory():
    table = ("<table><tr><td colspan='1000' rowspan='1000'>x</td><td>1</td></tr>"
             + "<tr><td>1</td><td>2</td></tr>" * 400 + "</table>")
    with pytest.raises(PlanFileError, match=f"more than {MAX_GRID_CELLS:,} cells"):
        derived(page(PROSE + table))


def test_entities_are_not_expanded():
    laughs = ('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>')
    raw = (laughs + "<html><body><div>" + PROSE + "<p>&d;&d;&d;&d;&d;</p></div></body></html>").encode()
    d = derived(raw)
    assert sum(len(line) for line in d.lines) < 2000  # &d; would be 10,000 characters each


def test_external_entities_and_network_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET 123456", encoding="utf-8")
    raw = (f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><html><body><div>{PROSE}<p>&x;</p>'
           '<img src="http://127.0.0.1:9/x.png"></div></body></html>').encode()
    assert "SECRET" not in "\n".join(derived(raw).lines)


@pytest.mark.parametrize("raw, fmt", [
    (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"\xef\xbb\xbf<html><body>x</body></html>", "html"),
    ("<html><body>规划</body></html>".encode("utf-16"), "html"),
    (b"  <div class='content'><p>x</p></div>", "html"),
    ("某县教育规划\n<注>见附件".encode(), "text"),
    ("某县教育规划\n2025年达到95%".encode("gb18030"), "text"),
])
def test_the_format_is_read_from_the_content(raw, fmt):
    assert sniff(raw) == fmt


def test_a_web_page_saved_as_txt_is_read_as_a_web_page(tmp_path):
    (tmp_path / "p.txt").write_bytes(page(PROSE))
    plan = read_any(tmp_path / "p.txt", tmp_path / "text")
    assert plan.format == "html" and plan.text_file.endswith("text/p.txt")
    assert not any("<" in line for line in plan.lines)


def test_a_gbk_web_page_is_decoded_by_evidence(tmp_path):
    raw = page(PROSE).decode().replace("utf-8", "gb2312").encode("gb18030")
    (tmp_path / "p.htm").write_bytes(raw)
    plan = read_any(tmp_path / "p.htm")
    assert "GB18030" in plan.encoding and any("学前三年毛入园率达到91.5%" in line for line in plan.lines)


def test_a_page_nested_too_deep_is_refused_not_cut_short():
    deep = ("<html><body>" + "<div>" * 300 + PROSE + "</div>" * 300 + "</body></html>").encode()
    with pytest.raises(PlanFileError, match=r"p\.html: the web page cannot be read whole: Excessive depth"):
        derived(deep)


def test_a_table_of_text_keeps_every_row():
    table = ("<table><tr><th>项目</th><th>建设内容</th></tr><tr><td>某县第一小学</td><td>新建教学楼</td></tr>"
             "<tr><td>某县幼儿园</td><td>改扩建</td></tr></table>")
    d = derived(page(PROSE + table))
    assert [line for line, m in zip(d.lines, d.meta) if m.table] == [
        "\t项目", "\t建设内容", "\t某县第一小学", "\t新建教学楼", "\t某县幼儿园", "\t改扩建"]


def test_a_section_row_spanning_the_table_is_one_cell_and_the_rows_below_keep_their_values(tmp_path):
    table = ("<p>表1 主要发展指标</p><table><tr><td>指标</td><td>2020年</td><td>2025年</td><td>属性</td></tr>"
             "<tr><td colspan='4'>一、学前教育</td></tr>"
             "<tr><td>学前三年毛入园率（%）</td><td>91.5</td><td>95</td><td>预期性</td></tr>"
             "<tr><td colspan='4'>二、义务教育</td></tr>"
             "<tr><td>九年义务教育巩固率（%）</td><td>95.2</td><td>97</td><td>约束性</td></tr></table>")
    (tmp_path / "p.html").write_bytes(page(PROSE + table))
    plan = read_any(tmp_path / "p.html")
    assert "\t一、学前教育" in plan.lines
    rows = parse_plan(tmp_path / "p.html").targets_frame
    t = rows[rows["source"] == "table"]
    assert sorted(zip(t["indicator_id"], t["year"], t["value"])) == [
        ("compulsory_retention_rate", 2020, 95.2), ("compulsory_retention_rate", 2025, 97.0),
        ("preschool_ger", 2020, 91.5), ("preschool_ger", 2025, 95.0)]
