"""The build's write step (pipeline.write_outputs): comparison.xlsx written by a process of its own
while the other tables are written gives the same bytes, and an error on either side stops both and
reaches the caller (the build then removes its temporary folder: all or nothing)."""
from __future__ import annotations

import filecmp
import warnings
from pathlib import Path

import pytest

from planlib.build import io, pipeline
from planlib.build.pipeline import build, load_tables, write_outputs
from planlib.paths import PROCESSED_DIR
from planlib.synth import make_plan

pytestmark = pytest.mark.slow  # starts processes


@pytest.fixture(scope="module")
def tables():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_tables(PROCESSED_DIR, warn_stale=False)


@pytest.fixture()
def always_background(monkeypatch):
    """Every comparison table, however small, goes to the background process; the instances made."""
    made = []

    class Recorded(io.BackgroundExcel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(io, "EXCEL_BACKGROUND_CELLS", 0)
    monkeypatch.setattr(io, "BackgroundExcel", Recorded)
    return made


def test_the_background_xlsx_gives_the_same_bytes_as_writing_in_this_process(tables, tmp_path, always_background):
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    assert write_outputs(tables, here, jobs=1) == 0.0
    assert not always_background
    assert write_outputs(tables, there, jobs=2) > 0.0  # the background process's CPU seconds
    assert len(always_background) == 1
    names = sorted(p.name for p in here.iterdir())
    assert "comparison.xlsx" in names and names == sorted(p.name for p in there.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(here, there, names, shallow=False)
    assert mismatch == [] and errors == []


def test_an_error_while_the_xlsx_is_written_ends_its_process_and_goes_on(tables, tmp_path, monkeypatch,
                                                                          always_background):
    def broken(df, name, out_dir, csv=True):
        raise OSError("disk full")

    monkeypatch.setattr(pipeline, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(tables, tmp_path, jobs=2)
    (job,) = always_background
    processes = list((job._executor._processes or {}).values())
    assert all(not p.is_alive() for p in processes)


def test_an_error_in_the_background_process_reaches_the_caller(tables, tmp_path):
    job = io.BackgroundExcel(tables["comparison"], tmp_path / "no such folder" / "comparison.xlsx")
    with pytest.raises(Exception, match="no such folder"):
        job.wait()
    job.stop()


def test_a_build_that_fails_while_the_xlsx_is_written_keeps_the_previous_tables(tmp_path, monkeypatch,
                                                                                always_background):
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in (1, 2):
        (raw / f"p{i:02d}.txt").write_text(make_plan(i, paragraphs=8).text, encoding="utf-8")
    out = tmp_path / "out"
    build(raw, out, jobs=2)
    assert (out / "comparison.xlsx").exists() and len(always_background) == 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (raw / "p03.txt").write_text(make_plan(3, paragraphs=8).text, encoding="utf-8")
    real = pipeline.write_table

    def fails_on_checks(df, name, out_dir, csv=True):
        if name == "checks":
            raise OSError("disk full")
        return real(df, name, out_dir, csv=csv)

    monkeypatch.setattr(pipeline, "write_table", fails_on_checks)
    with pytest.raises(OSError, match="disk full"):
        build(raw, out, jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.lock") == ["out", "raw"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert all(not p.is_alive() for job in always_background for p in (job._executor._processes or {}).values())
