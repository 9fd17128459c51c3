"""Word files: paragraphs and merged-cell tables read; broken, encrypted and hostile files refused."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from planlib.build.pipeline import parse_plan
from planlib.errors import PlanFileError
from planlib.read import text as text_module
from planlib.read.formats import read_any, sniff

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "formats"))
import plan_body  # noqa: E402  (the invented plan, written once)


@pytest.fixture(scope="module")
def docx_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("docx") / "plan.docx"
    plan_body.write_docx(path)
    return path.read_bytes()


def write(tmp_path, name, data) -> Path:
    (tmp_path / name).write_bytes(data)
    return tmp_path / name


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info.filename)))
        for name, body in (add or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def test_a_docx_is_recognised_by_its_content(docx_bytes, tmp_path):
    assert sniff(docx_bytes) == "docx"
    plan = read_any(write(tmp_path, "plan.bin", docx_bytes), tmp_path / "text")
    assert plan.format == "docx" and plan.text_file.endswith("text/plan.txt")


def test_paragraphs_in_order_and_the_merged_table_as_a_full_grid(docx_bytes, tmp_path):
    plan = read_any(write(tmp_path, "p.docx", docx_bytes))
    assert plan.lines[0] == plan_body.TITLE
    assert plan.lines.index("第一章 发展基础") < plan.lines.index("第二章 主要目标")
    cells = {(m.row, m.col): line for line, m in zip(plan.lines, plan.meta) if m.table}
    assert cells[(3, 1)] == "\t学前教育"  # a vertical merge repeated in the row it covers
    assert cells[(3, 6)] == "\t预期性"
    assert (6, 2) not in cells and cells[(6, 1)] == "\t高中阶段毛入学率"  # a horizontal merge written once
    assert cells[(2, 4)] == "\t5600"


def test_heading_styles_are_kept_in_the_line_metadata(docx_bytes, tmp_path):
    plan = read_any(write(tmp_path, "p.docx", docx_bytes))
    levels = {line: m.heading for line, m in zip(plan.lines, plan.meta)}
    assert levels[plan_body.TITLE] == 0 and levels["第一章 发展基础"] == 1 and levels["某县人民政府"] is None


def test_headers_and_footers_are_not_read(docx_bytes, tmp_path):
    plan = read_any(write(tmp_path, "p.docx", docx_bytes))
    assert not any("023-76543210" in line or "第3页" in line for line in plan.lines)


def test_table_rows_carry_their_cell(docx_bytes, tmp_path):
    rows = parse_plan(write(tmp_path, "mouxian.docx", docx_bytes)).targets_frame
    t = rows[rows["source"] == "table"]
    assert len(t) == 12 and t["table_row"].notna().all() and t["table_col"].notna().all()
    first = t.iloc[0]
    assert (first["value"], first["table_row"], first["table_col"]) == (5600.0, 2, 4)
    assert rows.loc[rows["source"] == "prose", "table_row"].isna().all()


def test_an_encrypted_docx_is_refused(tmp_path):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600  # an encrypted .docx is an OLE file, not a zip
    with pytest.raises(PlanFileError, match=r"p\.docx: an OLE compound file: an encrypted"):
        read_any(write(tmp_path, "p.docx", ole))


def test_a_broken_docx_is_refused(docx_bytes, tmp_path):
    with pytest.raises(PlanFileError, match=r"p\.docx: a broken"):
        read_any(write(tmp_path, "p.docx", docx_bytes[: len(docx_bytes) // 2]))


def test_a_docx_without_its_document_part_is_refused(docx_bytes, tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(PlanFileError, match="not a Word .docx"):
        read_any(write(tmp_path, "p.docx", out.getvalue()))


def test_a_damaged_document_part_is_refused(docx_bytes, tmp_path):
    bad = rezip(docx_bytes, replace={"word/document.xml": b"<w:document><unclosed"})
    with pytest.raises(PlanFileError, match=r"p\.docx: a broken \.docx"):
        read_any(write(tmp_path, "p.docx", bad))


def test_entity_definitions_are_refused(docx_bytes, tmp_path):
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        body = z.read("word/document.xml")
    decl, rest = body.split(b"?>", 1)
    bomb = decl + b'?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + rest
    with pytest.raises(PlanFileError, match="declares a DTD or entities"):
        read_any(write(tmp_path, "p.docx", rezip(docx_bytes, replace={"word/document.xml": bomb})))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(docx_bytes, tmp_path):
    """60 MB of XML that compresses to a few dozen KB: refused from the zip directory alone."""
    huge = b"<x>" + b"\x20" * (text_module.MAX_PLAN_BYTES + 10_000_000) + b"</x>"
    bomb = rezip(docx_bytes, add={"word/bomb.xml": huge})
    assert len(bomb) < 1_000_000
    with pytest.raises(PlanFileError, match=r"unpack to .* MB, over the 50 MB limit"):
        read_any(write(tmp_path, "p.docx", bomb))


@pytest.mark.parametrize("members, what", [({"xl/workbook.xml": b"<w/>"}, "an Excel workbook"),
                                           ({"ppt/presentation.xml": b"<p/>"}, "a PowerPoint file"),
                                           ({"mimetype": b"application/vnd.oasis"}, "an OpenDocument")])
def test_other_office_files_are_refused_naming_them(tmp_path, members, what):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    with pytest.raises(PlanFileError, match=what):
        read_any(write(tmp_path, "p.docx", out.getvalue()))
