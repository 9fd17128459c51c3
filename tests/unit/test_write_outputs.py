"""The build's write step (pipeline.write_outputs): comparison.xlsx written by a process of its own
(started as soon as the comparison table is final) while the build goes on gives the same bytes, and
an error on either side stops both and reaches the caller (the build then removes its temporary
folder: all or nothing); each table is validated once, where it is made."""
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
            self.pids = _pids(self)
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
    def broken(df, name, out_dir, csv=True, validated=False):
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

    def fails_on_checks(df, name, out_dir, csv=True, validated=False):
        if name == "checks":
            raise OSError("disk full")
        return real(df, name, out_dir, csv=csv, validated=validated)

    monkeypatch.setattr(pipeline, "write_table", fails_on_checks)
    with pytest.raises(OSError, match="disk full"):
        build(raw, out, jobs=2)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.lock") == ["out", "raw"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert all(not p.is_alive() for job in always_background for p in (job._executor._processes or {}).values())


def _two_plans(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in (1, 2):
        (raw / f"p{i:02d}.txt").write_text(make_plan(i, paragraphs=8).text, encoding="utf-8")
    return raw


def _pids(job) -> list[int]:
    """The writing process's pid (the folder it writes in is named after it), taken while it runs."""
    return sorted((job._executor._processes or {}).keys())


def _xlsx_leftovers(pids: list[int]) -> list[str]:
    """Temporary folders the writing processes ``pids`` left (by name: other tests' writers running at the
    same time under pytest-xdist are not counted)."""
    import tempfile

    assert pids
    return [p.name for pid in pids for p in Path(tempfile.gettempdir()).glob(f"planlib-xlsx-{pid}-*")]


def test_the_xlsx_process_starts_as_soon_as_the_comparison_is_final(tmp_path, monkeypatch, always_background):
    """Before the checks and the terms are made (they run while the workbook is written), and its
    workbook is the one written in the build's own process."""
    from planlib.build import checks

    events = []
    real_checks = checks.run_checks
    monkeypatch.setattr(checks, "run_checks", lambda *a, **k: events.append("checks") or real_checks(*a, **k))
    real_terms = pipeline.terms_from_counts
    monkeypatch.setattr(pipeline, "terms_from_counts", lambda *a, **k: events.append("terms") or real_terms(*a, **k))
    real_init = io.BackgroundExcel.__init__

    def started(self, df, path=None):
        events.append(("xlsx", path))
        real_init(self, df, path)

    monkeypatch.setattr(io.BackgroundExcel, "__init__", started)
    raw = _two_plans(tmp_path)
    build(raw, tmp_path / "there", jobs=2)
    assert events == [("xlsx", None), "checks", "terms"]  # no output folder yet: written into one of its own
    build(raw, tmp_path / "here", jobs=1)
    assert events[3:] == ["checks", "terms"]
    assert (tmp_path / "here" / "comparison.xlsx").read_bytes() == (tmp_path / "there" / "comparison.xlsx").read_bytes()


def test_an_error_after_the_xlsx_process_started_ends_it_and_leaves_nothing(tmp_path, monkeypatch, always_background):

    def fails(*args, **kwargs):
        raise OSError("no terms today")

    monkeypatch.setattr(pipeline, "terms_from_counts", fails)
    with pytest.raises(OSError, match="no terms today"):
        build(_two_plans(tmp_path), tmp_path / "out", jobs=2)
    (job,) = always_background
    assert all(not p.is_alive() for p in (job._executor._processes or {}).values())
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != ".out.lock") == ["raw"]
    assert _xlsx_leftovers(job.pids) == []


def test_a_workbook_written_in_a_folder_of_its_own_is_saved_where_wait_says(tables, tmp_path):
    from planlib.build.comparison import write_excel

    job = io.BackgroundExcel(tables["comparison"])
    pids = _pids(job)
    assert job.wait(tmp_path / "there.xlsx") > 0.0
    job.stop()  # nothing left to end
    write_excel(tables["comparison"], tmp_path / "here.xlsx")
    assert (tmp_path / "there.xlsx").read_bytes() == (tmp_path / "here.xlsx").read_bytes()
    assert _xlsx_leftovers(pids) == []


def test_a_build_validates_each_table_once_and_writes_the_frames_it_validated(tmp_path, monkeypatch):
    from planlib import schema

    approved = {}
    real = schema.validate

    def counted(df, table):
        approved.setdefault(table, []).append(df)
        return real(df, table)

    monkeypatch.setattr(schema, "validate", counted)
    written = {}
    real_write = pipeline.write_table

    def recorded(df, name, out_dir, csv=True, validated=False):
        written[name] = (df, validated)
        return real_write(df, name, out_dir, csv=csv, validated=validated)

    monkeypatch.setattr(pipeline, "write_table", recorded)
    build(_two_plans(tmp_path), tmp_path / "out")
    assert sorted(approved) == sorted(schema.TABLES) and all(len(v) == 1 for v in approved.values())
    for name, frames in approved.items():
        df, validated = written[name]
        assert validated and df is frames[0], name


def test_a_table_said_to_be_validated_must_still_have_the_schemas_columns_and_dtypes(tables, tmp_path):
    from planlib.errors import SchemaError

    targets = tables["targets"]
    io.write_table(targets, "targets", tmp_path, validated=True)
    with pytest.raises(SchemaError, match="not as validated"):
        io.write_table(targets.assign(line=targets["line"].astype("Float64")), "targets", tmp_path, validated=True)
    with pytest.raises(SchemaError, match="not as validated"):
        io.write_table(targets.drop(columns="quote"), "targets", tmp_path, validated=True)
    with pytest.raises(SchemaError, match="missing values"):  # not said to be validated: every value is checked
        io.write_table(targets.assign(quote=None), "targets", tmp_path)
