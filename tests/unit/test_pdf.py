"""The PDF reader: the invented plan's numbers from its PDF equal those from its text; bad PDFs are refused."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from planlib.build.pipeline import parse_plan
from planlib.errors import PlanFileError
from planlib.read import pdf as pdf_module
from planlib.read.pdf import PdfLine, _lines, _Table, _Text, pdf_text, read_pdf

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import invented_plan as ip  # noqa: E402
import make_pdf  # noqa: E402

KEY = ["indicator_id", "year", "kind", "value", "unit", "comparator", "source"]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("pdf")
    make_pdf.write_plan_pdf(d / "invented.pdf")
    make_pdf.write_scanned_pdf(d / "scanned.pdf")
    make_pdf.write_encrypted_pdf(d / "invented.pdf", d / "encrypted.pdf")
    raw = (d / "invented.pdf").read_bytes()
    (d / "broken.pdf").write_bytes(raw[: len(raw) // 3])
    (d / "notpdf.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 50)
    return d


@pytest.fixture(scope="module")
def lines(files):
    return read_pdf(files / "invented.pdf")


def _rows(df):
    return sorted(repr(tuple(None if pd.isna(v) else v for v in r)) for r in df[KEY].astype(object).itertuples(index=False))


def test_pdf_gives_the_numbers_of_its_text(files, lines, tmp_path):
    """The plan text rebuilt from the PDF lines (furniture left out) parses to the plain text's rows."""
    (tmp_path / "frompdf.txt").write_text(pdf_text(lines).text, encoding="utf-8")
    (tmp_path / "plain.txt").write_text(make_pdf.plan_text(), encoding="utf-8")
    from_pdf = parse_plan(tmp_path / "frompdf.txt").targets_frame
    plain = parse_plan(tmp_path / "plain.txt").targets_frame
    assert len(plain) >= 30
    assert (plain["source"] == "table").sum() == 2 * (len(ip.TABLE) - 1)  # both year columns of every row
    assert _rows(from_pdf) == _rows(plain)


def test_furniture_is_the_running_header_and_the_page_numbers(lines):
    marked = [(ln.page, ln.furniture, ln.text) for ln in lines if ln.furniture]
    assert marked == [(p, kind, text) for p in (1, 2, 3) for kind, text in
                      (("running_header", make_pdf.HEADER.replace("\u3000", " ")), ("page_number", f"— {p} —"))]
    body = "\n".join(ln.text for ln in lines if not ln.furniture)
    assert "公报" not in body and "118" not in body and "—" not in body


def test_pdf_text_keeps_furniture_out_of_the_body(lines):
    """Line n of the text is body line n (page and cell beside it); the furniture is kept apart, none dropped."""
    t = pdf_text(lines)
    assert t.text.split("\n")[:-1] == [ln.text for ln in t.body]
    assert len(t.body) + len(t.furniture) == len(lines)
    assert {ln.furniture for ln in t.furniture} == {"running_header", "page_number"}
    assert t.pages[0] == 1 and t.pages[-1] == 3
    assert t.cells.count(None) == len(t.body) - sum(len(row) for row in ip.TABLE)


def test_numbers_split_by_a_wrap_are_joined(lines):
    body = [ln.text for ln in lines if not ln.furniture and ln.cell is None]
    for joined in ("高中阶段毛入学率达到95%以上。", "改扩建校舍12.5万平方米", "新增学位0.24万个。"):
        assert any(joined in t for t in body), joined
    assert "88.5%" in body[2] and "88. 5" not in body[2]  # justified spacing is no space


def test_table_split_over_two_pages_is_one_grid(lines):
    cells = [ln for ln in lines if ln.cell is not None]
    assert {ln.cell[0] for ln in cells} == {1}
    grid = {ln.cell[1:]: ln.text for ln in cells}
    assert grid == {(r, c): text for r, row in enumerate(ip.TABLE) for c, text in enumerate(row)}
    pages = {ln.cell[1]: ln.page for ln in cells}
    assert [pages[r] for r in range(len(ip.TABLE))] == [1] * (1 + make_pdf.ROWS_ON_FIRST_PAGE) + \
        [2] * (len(ip.TABLE) - 1 - make_pdf.ROWS_ON_FIRST_PAGE)
    order = [ln.cell[1:] for ln in cells]
    assert order == sorted(order)  # row by row, one cell per line


def test_merged_cells_sit_at_their_top_left_in_the_full_grid(tmp_path):
    """A cell spanning two rows or two columns is one line at its top-left; wrapped cell text is joined."""
    lines = read_pdf(make_pdf.write_merged_table_pdf(tmp_path / "merged.pdf"))
    grid = {ln.cell[1:]: ln.text for ln in lines if ln.cell}
    assert grid == {(row, col): "".join(text) for row, col, _, _, text in make_pdf.MERGED}
    assert grid[(2, 3)] == "5.6万" and (2, 0) not in grid and (3, 1) not in grid
    assert [ln.text for ln in lines if not ln.cell and not ln.furniture] == [make_pdf.HEADER.replace("\u3000", " "),
                                                                            "表2 某县义务教育主要指标"]


def test_reading_order_keeps_the_title_before_the_table(lines):
    texts = [ln.text for ln in lines if not ln.furniture]
    assert texts[0] == ip.TITLE
    assert texts.index(ip.TABLE_TITLE) < texts.index("指标") < texts.index("三、保障措施")


# --- refusals ----------------------------------------------------------------------------------

def test_scanned_pdf_is_refused(files):
    with pytest.raises(PlanFileError, match=r"scanned\.pdf: has no text layer; OCR is not done"):
        read_pdf(files / "scanned.pdf")


@pytest.mark.parametrize("name", ["broken.pdf", "notpdf.pdf"])
def test_broken_pdf_is_refused(files, name):
    with pytest.raises(PlanFileError, match=rf"{name.replace('.', r'[.]')}: is not a readable PDF"):
        read_pdf(files / name)


def test_encrypted_pdf_is_refused(files):
    with pytest.raises(PlanFileError, match=r"encrypted\.pdf: the PDF is encrypted and needs a password"):
        read_pdf(files / "encrypted.pdf")


def test_page_limit_is_checked_before_pages_are_read(files, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGES", 2)
    read = []
    monkeypatch.setattr(pdf_module, "_page_items", lambda page: read.append(page) or [])
    with pytest.raises(PlanFileError, match=r"invented\.pdf: the PDF has 3 pages, over the 2-page limit"):
        read_pdf(files / "invented.pdf")
    assert read == []


def test_a_page_tree_claiming_99999_pages_is_refused_at_once(files, tmp_path):
    """The count comes from the page tree (same bytes, same offsets): no page is listed or read."""
    raw = (files / "invented.pdf").read_bytes()
    old = re.search(rb"\[[^\]]*\] /Count 3 >>", raw).group(0)
    kids = b"[" + b" ".join(old[1:old.index(b"]")].split()) + b"]"
    new = kids + b"/Count " + b"9" * (len(old) - len(kids) - len(b"/Count >>")) + b">>"
    assert len(new) == len(old) and int(new.split(b"/Count ")[1][:-2]) == 99_999
    (tmp_path / "many.pdf").write_bytes(raw.replace(old, new))
    with pytest.raises(PlanFileError, match=r"many\.pdf: the PDF has 99,999 pages, over the 2,000-page limit"):
        read_pdf(tmp_path / "many.pdf")


def test_text_limit(files, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PLAN_BYTES", 1000)
    with pytest.raises(PlanFileError, match=r"invented\.pdf: the PDF's text passes 0\.001 MB by page 1,"):
        read_pdf(files / "invented.pdf")


def test_file_size_and_ruling_line_limits(files, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PAGE_EDGES", 5)
    with pytest.raises(PlanFileError, match=r"invented\.pdf: page 1 has \d+ ruling lines"):
        read_pdf(files / "invented.pdf")
    monkeypatch.setattr(pdf_module, "MAX_PDF_BYTES", 1000)
    with pytest.raises(PlanFileError, match=r"invented\.pdf: the PDF is 0\.0 MB, over the 0\.001 MB limit"):
        read_pdf(files / "invented.pdf")


def test_unmapped_glyphs_are_refused(files, monkeypatch):
    """Characters without a Unicode mapping come out as (cid:N): such a text layer is refused, not read."""
    import pdfplumber.page

    real = pdfplumber.page.Page.chars
    monkeypatch.setattr(pdfplumber.page.Page, "chars", property(
        lambda page: [dict(c, text="(cid:42)") if i % 3 == 0 else c for i, c in enumerate(real.fget(page))]))
    with pytest.raises(PlanFileError, match=r"invented\.pdf: page 1: \d+ of \d+ characters have no Unicode mapping"):
        read_pdf(files / "invented.pdf")


def test_missing_file(tmp_path):
    with pytest.raises(PlanFileError, match=r"nothere\.pdf: cannot read the file"):
        read_pdf(tmp_path / "nothere.pdf")


# --- the rules, on laid-out items ------------------------------------------------------------

def _text(s, x0=72.0, x1=300.0, top=100.0, size=12.0):
    return _Text(s, x0, x1, top, top + size, size)


def _table(rows, top=100.0):
    cells = {(r, c): t for r, row in enumerate(rows) for c, t in enumerate(row)}
    return _Table(cells, len(rows), len(rows[0]), top)


HEAD = ["指标", "2020年", "2025年"]


def test_a_repeated_header_row_is_dropped_and_the_table_continues():
    pages = [[_table([HEAD, ["在校学生数", "100", "120"]])], [_table([HEAD, ["专任教师数", "10", "12"]])]]
    cells = [ln.cell for ln in _lines(pages) if ln.cell]
    assert cells == [(1, r, c) for r in range(3) for c in range(3)]


def test_a_new_header_or_other_columns_start_a_new_table():
    other = [_table([["学校", "班级", "学生"], ["一中", "30", "1500"]])]
    narrow = [_table([["二中", "1400"]])]
    pages = [[_table([HEAD, ["在校学生数", "100", "120"]])], other, narrow]
    assert sorted({ln.cell[0] for ln in _lines(pages) if ln.cell}) == [1, 2, 3]


def test_text_between_tables_ends_the_table():
    pages = [[_table([HEAD, ["在校学生数", "100", "120"]]), _text("（注：数据来源于统计年鉴）", top=300)],
             [_table([["专任教师数", "10", "12"]])]]
    assert sorted({ln.cell[0] for ln in _lines(pages) if ln.cell}) == [1, 2]


def test_paragraphs_join_full_lines_only():
    full, short = 516.0, 300.0
    pages = [[_text("一、发展基础", x1=144), _text("全县学前教育毛入学率达到9", x0=96, x1=full, top=120),
              _text("5%以上。", x1=short, top=140), _text("新增学位1.2", x0=96, x1=full, top=160)],
             [_text("万个。", top=100)]]
    assert [(ln.text, ln.page) for ln in _lines(pages)] == [
        ("一、发展基础", 1), ("全县学前教育毛入学率达到95%以上。", 1), ("新增学位1.2万个。", 1)]


def test_an_indented_line_starts_a_paragraph():
    pages = [[_text("二、主要目标", x1=144, top=80), _text("到2025年，高中阶段毛入学率达到95%。", x0=96, x1=516),
              _text("新建幼儿园6所。", x0=96, top=120)]]
    assert [ln.text for ln in _lines(pages)] == ["二、主要目标", "到2025年，高中阶段毛入学率达到95%。", "新建幼儿园6所。"]


def test_pdfline_is_frozen():
    line = PdfLine("— 2 —", 2, "page_number")
    with pytest.raises(AttributeError):
        line.text = "x"


def test_a_paragraph_runs_on_over_the_page_break_and_its_furniture_follows_it():
    head = "某县人民政府公报 2022年第3期"
    pages = [[_Text(head, 173, 391, 40, 50, 10.5, "top", "running_header"),
              _text("全县学前教育毛入学率达到93%以上，", x0=96, x1=516, top=100), _text("高中阶段毛入学率达到9", x1=516, top=120),
              _Text("— 1 —", 275, 319, 790, 800, 12, "bottom", "page_number")],
             [_Text(head, 173, 391, 40, 50, 10.5, "top", "running_header"), _text("5%以上。", top=100),
              _text("新建幼儿园6所。", x0=96, top=120)]]
    assert [(ln.text, ln.page, ln.furniture) for ln in _lines(pages)] == [
        (head, 1, "running_header"), ("全县学前教育毛入学率达到93%以上，高中阶段毛入学率达到95%以上。", 1, None),
        ("— 1 —", 1, "page_number"), (head, 2, "running_header"), ("新建幼儿园6所。", 2, None)]


def test_margin_lines_are_the_first_and_last_items_wherever_they_sit():
    """A page number 7 mm under the text block (the 公文 format) is found, and a recurring header too."""
    def page(n):
        level = ["学前教育", "义务教育", "高中教育"][n - 1]  # body text differs from page to page
        return [_text("某县教育局文件", x0=250, x1=340, top=60), _text(f"{level}稳步发展。", x0=96, top=110),
                _text(f"{level}质量提升。", x0=96, top=400), _text(f"— {n} —", x0=275, x1=319, top=760)]
    pages = [page(1), page(2), page(3)]
    pdf_module._mark_furniture(pages)
    assert [[it.furniture for it in p] for p in pages] == [["running_header", None, None, "page_number"]] * 3


def test_a_bare_number_is_a_page_number_only_where_numbers_count_the_pages():
    """Bare 3, 4, 5 on pages 1–3 (a document starting at page 3) are page numbers; a table's last cell 9000 is not."""
    words = ["学前教育稳步发展。", "义务教育优质均衡。", "高中教育特色发展。"]
    pages = [[_text(words[n], top=100), _text(str(n + 3), top=780)] for n in range(3)]
    pages[1].insert(1, _text("9000", top=700))
    pdf_module._mark_furniture(pages)
    assert [(it.text, it.furniture) for p in pages for it in p if it.furniture or it.text.isdigit()] == [
        ("3", "page_number"), ("9000", None), ("4", "page_number"), ("5", "page_number")]


def test_a_heading_at_the_margin_starts_a_paragraph_even_after_a_full_line():
    pages = [[_text("到2025年，学前教育毛入学率达到93%以上，高中阶段毛入学率达到95%以上。", x0=96, x1=510, top=100),
              _text("二、主要任务", top=120), _text("全县新增学位达到", x0=96, x1=516, top=140),
              _text("1.2万个。", top=160), _text("（一）学前教育", top=180)]]
    assert [ln.text for ln in _lines(pages)] == ["到2025年，学前教育毛入学率达到93%以上，高中阶段毛入学率达到95%以上。",
                                                "二、主要任务", "全县新增学位达到1.2万个。", "（一）学前教育"]
