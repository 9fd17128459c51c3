"""`planlib add`: a plan copied into data/raw byte for byte with its sources.csv row; every refusal writes nothing."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from planlib.build.add import add_plan
from planlib.errors import PlanlibError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "formats"
SOURCES = "slug,name_zh,name_en,province,admin_level,issuer,title,doc_number,url,date_accessed\n" \
          "older,旧县,Older,某省,county,,,,,\n"


@pytest.fixture()
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "older.txt").write_text("某县教育事业发展规划\n到2025年新建幼儿园3所。\n", encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    return folder


def state(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_web_page_is_copied_byte_for_byte_with_its_row(raw, tmp_path):
    src = tmp_path / "某县规划.html"
    src.write_bytes((FIXTURES / "plan.html").read_bytes())
    dest = add_plan(src, raw, slug="mouxian", fields={"name_zh": "某县", "province": "某省", "admin_level": "county",
                                                       "url": "https://example.org/a,b", "date_accessed": "2026-11-26"})
    assert dest == raw / "mouxian.html" and dest.read_bytes() == src.read_bytes()
    assert (raw / "sources.csv").read_text(encoding="utf-8") == SOURCES + \
        'mouxian,某县,,某省,county,,,,"https://example.org/a,b",2026-11-26\n'


def test_the_copy_is_named_by_its_content_not_its_suffix(raw, tmp_path):
    src = tmp_path / "mouxian.download"
    src.write_bytes((FIXTURES / "plan.html").read_bytes())
    assert add_plan(src, raw).name == "mouxian.html"


def test_sources_csv_is_made_when_missing(raw, tmp_path):
    (raw / "sources.csv").unlink()
    src = tmp_path / "mouxian.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    add_plan(src, raw)
    assert (raw / "sources.csv").read_text(encoding="utf-8").splitlines()[1] == "mouxian,,,,,,,,,"


@pytest.mark.parametrize("slug, said", [("Mouxian", "breaks the slug rule"), ("某县", "breaks the slug rule"),
                                        ("compare", "is reserved"), ("older", "taken by")])
def test_a_bad_or_taken_slug_is_refused_and_nothing_written(raw, tmp_path, slug, said):
    src = tmp_path / "x.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    before = state(raw)
    with pytest.raises(PlanlibError, match=said):
        add_plan(src, raw, slug=slug)
    assert state(raw) == before


def test_the_same_content_twice_is_refused(raw, tmp_path):
    src = tmp_path / "again.txt"
    src.write_bytes((raw / "older.txt").read_bytes())
    before = state(raw)
    with pytest.raises(PlanlibError, match=r"same content is already in .*older\.txt"):
        add_plan(src, raw)
    assert state(raw) == before


def test_a_slug_with_a_sources_row_already_is_refused(raw, tmp_path):
    (raw / "older.txt").rename(raw / "renamed.txt")
    src = tmp_path / "older.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    with pytest.raises(PlanlibError, match="already has a row for 'older'"):
        add_plan(src, raw)


@pytest.mark.parametrize("name, data, said", [("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "a PNG image"),
                                              ("plan.pdf", b"%PDF-1.5\n", "not a readable PDF"),
                                              ("bin.txt", bytes(range(256)) * 4, "binary")])
def test_an_unsupported_or_unreadable_file_is_refused(raw, tmp_path, name, data, said):
    src = tmp_path / name
    src.write_bytes(data)
    before = state(raw)
    with pytest.raises(PlanlibError, match=said):
        add_plan(src, raw)
    assert state(raw) == before


def test_an_unknown_admin_level_is_refused(raw, tmp_path):
    src = tmp_path / "mouxian.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    with pytest.raises(PlanlibError, match="--admin-level 'village'"):
        add_plan(src, raw, fields={"admin_level": "village"})


def test_an_admin_level_sources_csv_accepts_is_accepted_in_either_language(raw, tmp_path):
    """`add` takes what sources.csv takes (data/admin_levels.yml): an English id or a Chinese name."""
    from planlib.build.pipeline import build

    src = tmp_path / "mouxian.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    add_plan(src, raw, fields={"admin_level": "自治县"})
    plans = build(raw, tmp_path / "out")["plans"].set_index("county")
    assert plans.loc["mouxian", "admin_level"] == "autonomous county"


def test_if_the_second_rename_fails_the_first_is_undone(raw, tmp_path, monkeypatch):
    import os

    src = tmp_path / "mouxian.txt"
    src.write_bytes((FIXTURES / "plan.txt").read_bytes())
    before = state(raw)
    real = os.replace

    def failing(a, b):
        if str(b).endswith("sources.csv"):
            raise OSError(28, "No space left on device")
        return real(a, b)
    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(PlanlibError, match="No space left"):
        add_plan(src, raw)
    assert state(raw) == before


def test_the_command(raw, tmp_path):
    src = tmp_path / "mouxian.html"
    src.write_bytes((FIXTURES / "plan.html").read_bytes())
    cmd = [sys.executable, "-m", "planlib.cli", "add", str(src), "--raw", str(raw), "--name-zh", "某县",
           "--admin-level", "county"]
    first = subprocess.run(cmd, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode == 2 and "taken by" in again.stderr


@pytest.mark.slow
def test_an_added_plan_with_all_its_fields_builds(raw, tmp_path):
    """Every field `add` writes is one the build reads (date_accessed reaches the plans table)."""
    from planlib.build.pipeline import build

    src = tmp_path / "mouxian.html"
    src.write_bytes((FIXTURES / "plan.html").read_bytes())
    add_plan(src, raw, fields={"name_zh": "某县", "name_en": "Mouxian", "province": "某省", "admin_level": "county",
                               "url": "https://example.org/p.html", "date_accessed": "2026-11-26"})
    plans = build(raw, tmp_path / "out")["plans"].set_index("county")
    assert plans.loc["mouxian", "date_accessed"] == "2026-11-26" and plans.loc["mouxian", "url"] == "https://example.org/p.html"
    assert plans.loc["mouxian", "encoding"] == "HTML, UTF-8"
