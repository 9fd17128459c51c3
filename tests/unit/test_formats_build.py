"""A build over plans of several formats: the derived texts are written inside the same swap; a stem
clash, an unknown format and a PDF (until its reader is merged) are refused, naming the file; nothing written."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from planlib.build.outdir import check_output_dir
from planlib.build.pipeline import build, raw_files
from planlib.build.provenance import provenance_problems
from planlib.errors import PlanlibError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
sys.path.insert(0, str(FIXTURES))
import plan_body  # noqa: E402


@pytest.fixture()
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "plain.txt").write_bytes((FIXTURES / "plan.txt").read_bytes())
    (folder / "web.html").write_bytes((FIXTURES / "plan.html").read_bytes())
    plan_body.write_docx(folder / "word.docx")
    (folder / "sources.csv").write_text("slug,name_zh\nweb,某县\n", encoding="utf-8")
    (folder / ".DS_Store").write_bytes(b"\0\1binary")
    return folder


def digest(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_every_format_is_built_and_its_text_written_beside_the_tables(raw, tmp_path):
    before = digest(raw)
    out = tmp_path / "out"
    tables = build(raw, out)
    assert digest(raw) == before  # data/raw keeps the originals byte for byte
    assert sorted(p.name for p in (out / "text").iterdir()) == ["web.txt", "word.txt"]
    t = tables["targets"]
    by = {county: set(files) for county, files in t.groupby("county")["text_file"]}
    assert by["plain"] == {str(raw / "plain.txt")} and by["web"] == {str(out / "text" / "web.txt")}
    assert set(t.loc[t["county"] == "word", "source_file"]) == {str(raw / "word.docx")}
    assert provenance_problems(t, root="/") == []
    assert t.groupby("county").size().to_dict() == {"plain": 30, "web": 30, "word": 30}
    assert len(tables["plans"]) == 3
    check_output_dir(out)  # a build's own output, text folder included, may be replaced
    (out / "text" / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(PlanlibError, match="holds files planlib did not write"):
        check_output_dir(out)


def test_two_files_with_one_stem_are_refused(raw, tmp_path):
    (raw / "web.txt").write_bytes((FIXTURES / "plan.txt").read_bytes())
    with pytest.raises(PlanlibError, match=r"web\.html and web\.txt share the slug 'web'"):
        raw_files(raw)
    with pytest.raises(PlanlibError, match="share the slug"):
        build(raw, tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, data, said", [
    ("sheet.xlsx", None, "an Excel workbook"),
    ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "an OLE compound file"),
    ("letter.rtf", b"{\\rtf1\\ansi some text}", "an RTF document"),
    ("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "not a readable PDF"),
])
def test_an_unsupported_format_is_refused_naming_it_and_nothing_is_written(raw, tmp_path, name, data, said):
    if data is None:
        import io
        import zipfile
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml", "<workbook/>")
        data = buf.getvalue()
    (raw / name).write_bytes(data)
    out = tmp_path / "out"
    with pytest.raises(PlanlibError) as err:
        build(raw, out)
    assert name in str(err.value) and said in str(err.value)
    assert not out.exists()


def test_the_command_line_says_so_and_exits_non_zero(raw, tmp_path):
    (raw / "plan.pdf").write_bytes(b"%PDF-1.4\n")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "planlib.cli", "build", "--raw", str(raw), "--out", str(out), "-q"],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "plan.pdf: is not a readable PDF" in run.stderr and not out.exists()


def test_extract_writes_the_derived_text_beside_the_csv(tmp_path):
    (tmp_path / "web.html").write_bytes((FIXTURES / "plan.html").read_bytes())
    out = tmp_path / "rows" / "out.csv"
    run = subprocess.run([sys.executable, "-m", "planlib.cli", "extract", str(tmp_path / "web.html"), "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    text = out.with_name("out.web.txt")
    import pandas as pd
    rows = pd.read_csv(out, encoding="utf-8-sig")
    assert set(rows["text_file"]) == {str(text)}
    lines = text.read_text(encoding="utf-8").split("\n")
    assert all(q in lines[n - 1] for q, n in zip(rows["quote"], rows["line"]))
