"""`build --out` never replaces what a build did not write; paths given are taken from the current
directory; a plan's file name must be a slug. (Issue 8, items 1 and 8.)"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import planlib
from planlib import pipeline
from planlib.errors import PlanlibError
from planlib.paths import PROJECT_ROOT, SLUG_RULE, resolve
from planlib.build.pipeline import build, load_tables

PLAN = "某县教育事业发展“十四五”规划（2021—2025年）\n\n指标 2020年 2025年\n在校学生数（人） 1.3263 1.65\n学前三年毛入园率（%） 85.1 95\n"
SRC = str(Path(planlib.__file__).resolve().parents[1])  # the planlib under test, also in subprocesses


@pytest.fixture()
def raw(tmp_path):
    d = tmp_path / "raw"
    d.mkdir()
    (d / "place.txt").write_text(PLAN, encoding="utf-8")
    return d


def run_cli(*args, cwd, root=None):
    """The CLI in a fresh process, from ``cwd``, with ``root`` as the project (PLANLIB_ROOT)."""
    env = {**os.environ, "PYTHONPATH": SRC}
    if root is not None:
        env["PLANLIB_ROOT"] = str(root)
    return subprocess.run([sys.executable, "-m", "planlib.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env=env)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_out_dot_in_a_copy_of_the_project_is_refused_and_nothing_is_touched(tmp_path):
    """The issue's reproduction: `--out .` from the project root used to wipe the checkout."""
    project = tmp_path / "project"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        src = PROJECT_ROOT / name
        if src.is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, project / name)
    (project / "NOTES").write_text("my notes, not in git\n", encoding="utf-8")
    before = snapshot(project)
    r = run_cli("build", "--raw", str(project / "data" / "raw"), "--out", ".", cwd=project, root=project)
    assert r.returncode == 2, r.stderr
    assert "project root" in r.stderr and "Traceback" not in r.stderr
    assert snapshot(project) == before


def test_out_that_is_a_file_is_refused(raw, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    with pytest.raises(PlanlibError, match=r"notes\.txt: is a file, not a folder"):
        build(raw, target)
    assert target.read_text() == "keep me"


def test_out_that_is_the_raw_folder_or_holds_it_is_refused(raw, tmp_path):
    before = snapshot(tmp_path)
    with pytest.raises(PlanlibError, match="is the raw folder"):
        build(raw, raw)
    with pytest.raises(PlanlibError, match="holds the raw folder"):
        build(raw, tmp_path)
    assert snapshot(tmp_path) == before


def test_out_that_is_the_project_or_holds_it_is_refused(raw, tmp_path, monkeypatch):
    """Run against a stand-in project so that a regression cannot wipe the real checkout."""
    project = tmp_path / "home" / "project"
    (project / "data" / "raw").mkdir(parents=True)
    (project / "README.md").write_text("a project")
    monkeypatch.setattr(pipeline, "PROJECT_ROOT", project)
    monkeypatch.setattr(pipeline, "RAW_DIR", project / "data" / "raw")
    for out in (project, project.parent):
        with pytest.raises(PlanlibError, match="the project root"):
            build(raw, out)
    with pytest.raises(PlanlibError, match="the project's raw folder"):
        build(raw, project / "data")
    assert (project / "README.md").read_text() == "a project"


def test_non_empty_folder_that_no_build_wrote_is_refused(raw, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(PlanlibError, match=r"not empty and is not a planlib output folder.*_build\.json"):
        build(raw, out)
    assert snapshot(out) == {"thesis.docx": b"years of work"}


def test_output_folder_with_a_file_of_yours_in_it_is_refused(raw, tmp_path):
    out = tmp_path / "out"
    build(raw, out)
    (out / "notes.md").write_text("mine")
    with pytest.raises(PlanlibError, match=r"files planlib did not write \(notes\.md\)"):
        build(raw, out)
    assert (out / "notes.md").read_text() == "mine"


def test_missing_empty_and_earlier_output_folders_are_fine(raw, tmp_path):
    missing = tmp_path / "a" / "b" / "out"
    build(raw, missing)
    assert (missing / "_build.json").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    build(raw, empty)
    assert (empty / "targets.csv").is_file()
    first = snapshot(empty)
    build(raw, empty)  # an earlier build's output is replaced
    assert snapshot(empty) == first


def test_a_symlink_as_out_is_refused(raw, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    try:
        link.symlink_to(real, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    with pytest.raises(PlanlibError, match="symbolic link"):
        build(raw, link)
    assert link.is_symlink() and real.is_dir()


# --- one rule for paths: the current directory ---------------------------------------------------

def test_resolve_takes_given_paths_from_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve("x/y", PROJECT_ROOT) == tmp_path / "x" / "y"
    assert resolve(None, PROJECT_ROOT / "data") == PROJECT_ROOT / "data"
    assert resolve(tmp_path / "abs", PROJECT_ROOT) == tmp_path / "abs"


def test_cli_build_raw_and_out_are_relative_to_the_current_directory(raw, tmp_path):
    project = tmp_path / "project"  # a stand-in root: a relative --out must not land here
    project.mkdir()
    r = run_cli("build", "--raw", "raw", "--out", "tables", cwd=tmp_path, root=project)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "tables" / "targets.csv").is_file()
    assert not (project / "tables").exists()
    assert str(tmp_path / "tables") in r.stdout


def test_cli_report_processed_is_relative_to_the_current_directory(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    r = run_cli("report", "--county", "place", "--processed", "elsewhere", "--out", "o", cwd=tmp_path, root=project)
    assert r.returncode == 2
    assert f"{tmp_path / 'elsewhere'}: no tables" in r.stderr


def test_cli_extract_and_codebook_write_relative_to_the_current_directory(raw, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    r = run_cli("extract", "raw/place.txt", "-o", "rows.csv", cwd=tmp_path, root=project)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "rows.csv").is_file()
    r = run_cli("codebook", "-o", "cb.md", cwd=tmp_path, root=project)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "cb.md").is_file() and not (project / "cb.md").exists()


def test_load_tables_takes_a_relative_folder_from_the_current_directory(raw, tmp_path, monkeypatch):
    build(raw, tmp_path / "tables")
    monkeypatch.chdir(tmp_path)
    tables = load_tables("tables", warn_stale=False)
    assert set(tables["plans"]["county"]) == {"place"}


# --- slugs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["compare", "index", "downloads", "figures", "reports", "{x}", "Place",
                                  "1st", "big place", "a" * 41, "云阳", "a-b", "_a"])
def test_a_raw_file_whose_name_is_not_a_slug_is_refused_naming_the_rule(raw, tmp_path, stem):
    (raw / f"{stem}.txt").write_text(PLAN, encoding="utf-8")
    with pytest.raises(PlanlibError) as err:
        build(raw, tmp_path / "out")
    assert f"{stem}.txt" in str(err.value) and "^[a-z][a-z0-9_]{0,39}$" in str(err.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("stem", ["a", "yunyang", "county_2", "a" * 40])
def test_slugs_that_follow_the_rule_build(tmp_path, stem):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / f"{stem}.txt").write_text(PLAN, encoding="utf-8")
    assert set(build(raw, tmp_path / "out")["plans"]["county"]) == {stem}


def test_extract_refuses_a_file_whose_name_is_not_a_slug(tmp_path):
    (tmp_path / "{x}.txt").write_text(PLAN, encoding="utf-8")
    r = run_cli("extract", "{x}.txt", cwd=tmp_path)
    assert r.returncode == 2 and "slug" in r.stderr and "Traceback" not in r.stderr


def test_report_refuses_a_reserved_county(tmp_path):
    r = run_cli("report", "--county", "compare", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert r.returncode == 2 and "'compare' is reserved" in r.stderr and SLUG_RULE in r.stderr
    assert not (tmp_path / "o").exists()
