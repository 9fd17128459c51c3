"""The whole build: every plan present, reproducibility, atomic failure, a sixth plan, stale warnings, CLI."""
import filecmp
import shutil
import subprocess
import sys
import warnings

import pandas as pd
import pytest

from planlib import schema
from planlib.errors import PlanlibError
from planlib.paths import PROCESSED_DIR, RAW_DIR
from planlib.build.pipeline import StaleTablesWarning, build, load_tables
from planlib.synth import make_plan

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build") / "processed"
    tables = build(RAW_DIR, out)
    return out, tables


def test_every_plan_has_rows_in_targets_and_plans(built):
    """build_tables validates schema and keys itself; what it does not check is that no plan came out empty.

    That each row stands on its cited line is tests/integration/test_provenance.py (on the committed
    tables, which test_committed_tables_match_a_fresh_build ties to this build).
    """
    _, tables = built
    stems = {p.stem for p in RAW_DIR.glob("*.txt")}
    assert set(tables["targets"]["county"]) == stems
    assert set(tables["plans"]["county"]) == stems


def test_two_builds_are_byte_identical(built, tmp_path):
    out, _ = built
    again = tmp_path / "again"
    build(RAW_DIR, again)
    cmp = filecmp.dircmp(out, again)
    assert sorted(cmp.left_list) == sorted(cmp.right_list)
    _, mismatch, errors = filecmp.cmpfiles(out, again, cmp.common_files, shallow=False)
    assert mismatch == [] and errors == []


def test_two_workers_and_the_cache_give_the_same_bytes(built, tmp_path):
    """The five plans through a process pool, then again from the cache: the bytes of a one-process build."""
    out, _ = built
    for name in ("pool", "cached"):
        build(RAW_DIR, tmp_path / name, jobs=2, cache_dir=tmp_path / "cache")
        cmp = filecmp.dircmp(out, tmp_path / name)
        assert sorted(cmp.left_list) == sorted(cmp.right_list)
        _, mismatch, errors = filecmp.cmpfiles(out, tmp_path / name, cmp.common_files, shallow=False)
        assert mismatch == [] and errors == [], (name, mismatch)


def test_committed_tables_match_a_fresh_build(built):
    out, _ = built
    for path in sorted(out.iterdir()):
        committed = PROCESSED_DIR / path.name
        assert committed.exists(), f"{committed} missing: run `make data` and commit"
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run `make data` and commit"


def test_csv_opens_in_excel_and_pandas(built):
    out, tables = built
    raw = (out / "targets.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    df = pd.read_csv(out / "targets.csv", encoding="utf-8-sig")
    assert len(df) == len(tables["targets"])
    assert (out / "comparison.xlsx").exists()


def test_bad_raw_file_fails_the_build_and_leaves_output_untouched(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(make_plan(1).text, encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out)  # the previous build
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (raw / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(PlanlibError, match=r"broken\.txt"):
        build(raw, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out-")]  # no temporary folder left


def test_text_that_is_not_a_plan_is_refused(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "recipe.txt").write_text("西红柿炒鸡蛋\n鸡蛋两个，西红柿一个。\n", encoding="utf-8")
    with pytest.raises(PlanlibError, match=r"recipe\.txt: not an education plan"):
        build(raw, tmp_path / "out")


def test_a_sixth_plan_appears_in_every_table(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_DIR, raw)
    (raw / "newplace.txt").write_text(make_plan(7, layout="tab_cells").text, encoding="gb18030")
    tables = build(raw, tmp_path / "out")
    for name in ("targets", "plans", "comparison"):
        assert "newplace" in set(tables[name]["county"]), name


def test_load_tables_warns_when_stale(built, tmp_path):
    out, _ = built
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_tables(copy)  # a copy of a current build: no warning
    manifest = copy / "_build.json"
    manifest.write_text(manifest.read_text().replace('"planlib_version": "', '"planlib_version": "0.0.0-old'))
    with pytest.warns(StaleTablesWarning, match="stale"):
        load_tables(copy)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "planlib.cli", *args], capture_output=True, text=True)


def test_cli_extract_writes_csv(tmp_path):
    plan = tmp_path / "p.txt"
    plan.write_text(make_plan(3).text, encoding="utf-8")
    out = tmp_path / "rows.csv"
    r = run_cli("extract", str(plan), "-o", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert len(df) > 5 and set(schema.columns("targets")) == set(df.columns)


def test_cli_errors_name_the_file_and_exit_nonzero(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    out = tmp_path / "rows.csv"
    r = run_cli("extract", str(empty), "-o", str(out))
    assert r.returncode == 2 and "empty.txt" in r.stderr and "empty" in r.stderr
    assert not out.exists()
    r = run_cli("extract", str(tmp_path / "missing.txt"))
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr
    r = run_cli("frobnicate")
    assert r.returncode == 2 and "invalid choice" in r.stderr
    r = run_cli("build", "--raw", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "nowhere" in r.stderr


def test_cli_report_refuses_an_unknown_county_before_running_anything(tmp_path):
    r = run_cli("report", "--county", "atlantis", "--out", str(tmp_path))
    assert r.returncode == 2 and "no plan for atlantis" in r.stderr
    assert list(tmp_path.iterdir()) == []
