"""A build killed at any step loses nothing: the next build or load_tables recovers and cleans up;
overlapping builds take turns. (Issue 8, item 5.) Kills are simulated, not timed: every file-system
change a build makes is counted and the n-th one raises; after it nothing more happens, as after SIGKILL."""
import os
import shutil
import tempfile
import threading
import warnings
from pathlib import Path

import pytest

from planlib import pipeline
from planlib.errors import PlanlibError
from planlib.build.pipeline import build, load_tables

PLAN = "某县教育事业发展“十四五”规划（2021—2025年）\n\n指标 2020年 2025年\n在校学生数（人） 1.3263 1.65\n学前三年毛入园率（%） 85.1 95\n"


class Killed(BaseException):
    """Stands for SIGKILL: not an Exception, and once raised every later change fails too."""


class KillAt:
    """Count the changes a build makes to the file system; the ``at``-th one (from 1) and all after it fail.

    Lock files are left alone: the operating system releases a killed process's lock.
    """

    PATH_METHODS = ("rename", "replace", "unlink", "rmdir", "touch", "write_text", "write_bytes", "chmod", "mkdir")

    def __init__(self, monkeypatch, at: int | None):
        self.at, self.count, self.dead, self.steps = at, 0, False, []
        for name in self.PATH_METHODS:
            monkeypatch.setattr(Path, name, self._wrap(getattr(Path, name), f"Path.{name}"))
        for module, name in ((os, "replace"), (os, "rename"), (shutil, "rmtree"), (tempfile, "mkdtemp")):
            monkeypatch.setattr(module, name, self._wrap(getattr(module, name), f"{module.__name__}.{name}"))
        monkeypatch.setattr(pipeline, "write_table", self._wrap(pipeline.write_table, "write_table"))
        from planlib import comparison
        monkeypatch.setattr(comparison, "write_excel", self._wrap(comparison.write_excel, "write_excel"))

    def _wrap(self, func, label):
        def step(*args, **kwargs):
            if args and str(args[0]).endswith(".lock"):
                return func(*args, **kwargs)
            if self.dead:
                raise Killed(label)
            self.count += 1
            self.steps.append(label)
            if self.at is not None and self.count >= self.at:
                self.dead = True
                raise Killed(label)
            return func(*args, **kwargs)
        return step


@pytest.fixture(scope="module")
def raws(tmp_path_factory):
    """Two raw folders: the previous build had one plan, the new one has two."""
    base = tmp_path_factory.mktemp("raws")
    old, new = base / "old", base / "new"
    for folder, names in ((old, ["place"]), (new, ["place", "other"])):
        folder.mkdir()
        for name in names:
            (folder / f"{name}.txt").write_text(PLAN, encoding="utf-8")
    return old, new


_PARSED = {}


@pytest.fixture()
def fast_tables(monkeypatch, raws):
    """Parse each raw folder once, and write the (already validated) tables without validating them
    again: these tests are about the steps of writing and swapping, not parsing or schemas."""
    real = pipeline.build_tables

    def cached(raw, *args, **kwargs):
        if str(raw) not in _PARSED:
            _PARSED[str(raw)] = real(raw, *args, **kwargs)
        return _PARSED[str(raw)]

    def quick_write(df, name, out_dir, csv=True, validated=False):
        if csv:
            df.to_csv(out_dir / f"{name}.csv", index=False)
        df.to_parquet(out_dir / f"{name}.parquet", index=False)
    from planlib import comparison
    monkeypatch.setattr(pipeline, "build_tables", cached)
    monkeypatch.setattr(pipeline, "write_table", quick_write)
    monkeypatch.setattr(comparison, "write_excel", lambda df, path: Path(path).write_bytes(b"workbook"))


def counties(out) -> set:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return set(load_tables(out, warn_stale=False)["plans"]["county"])


def siblings(base: Path) -> list[str]:
    """What is beside the output, but the lock file (which stays, as filelock leaves it on Unix)."""
    return sorted(p.name for p in base.iterdir() if p.name != ".out.lock")


def steps_of_a_rebuild(raws, tmp_path, monkeypatch) -> list[str]:
    """The file steps a build makes over an earlier output, counted on a probe folder (nothing killed)."""
    old_raw, new_raw = raws
    probe = tmp_path / "probe"
    probe.mkdir()
    build(old_raw, probe / "out")
    with monkeypatch.context() as m:
        counter = KillAt(m, None)
        build(new_raw, probe / "out")
    return counter.steps


@pytest.mark.slow  # about 40 builds each
def test_a_kill_at_any_step_loses_nothing_and_the_next_run_recovers(raws, fast_tables, tmp_path, monkeypatch):
    old_raw, new_raw = raws
    steps = steps_of_a_rebuild(raws, tmp_path, monkeypatch)
    n_steps = len(steps)
    assert n_steps >= 10, steps  # the writes, the two renames and the clean-up all counted

    for at in range(1, n_steps + 1):
        base = tmp_path / f"kill{at}"
        base.mkdir()
        out = base / "out"
        build(old_raw, out)
        (base / "NOTES").write_text("mine")  # beside the output: never touched
        decoy = base / ".out-abcdefgh"  # named like a temporary folder, but holds a file of yours
        decoy.mkdir()
        (decoy / "draft.txt").write_text("mine too")
        with monkeypatch.context() as m:
            killer = KillAt(m, at)
            with pytest.raises(Killed):
                build(new_raw, out)
        step = killer.steps[-1]
        # right after the kill the tables can be read: the previous ones, or the new ones once swapped in
        assert counties(out) in ({"place"}, {"other", "place"}), (at, step)
        # the next build recovers, cleans what the killed one left, and leaves yours
        build(new_raw, out)
        assert counties(out) == {"other", "place"}, (at, step)
        assert siblings(base) == [".out-abcdefgh", "NOTES", "out"], (at, step)
        assert (decoy / "draft.txt").read_text() == "mine too" and (base / "NOTES").read_text() == "mine"


@pytest.mark.slow  # about 40 builds each
def test_a_kill_while_recovering_from_a_kill_loses_nothing_either(raws, fast_tables, tmp_path, monkeypatch):
    """Killed between the two renames (no output folder), then killed again at each step of the next build."""
    old_raw, new_raw = raws
    second_rename = [i for i, step in enumerate(steps_of_a_rebuild(raws, tmp_path, monkeypatch), 1)
                     if step == "Path.rename"][1]

    def killed_between_the_renames(base):
        out = base / "out"
        build(old_raw, out)
        with monkeypatch.context() as m:
            KillAt(m, second_rename)
            with pytest.raises(Killed):
                build(new_raw, out)
        assert not out.exists() and (base / ".out-old").is_dir()
        return out

    first = tmp_path / "first"
    first.mkdir()
    killed_between_the_renames(first)
    with monkeypatch.context() as m:
        counter = KillAt(m, None)
        build(new_raw, first / "out")  # recovery, clean-up, then the build itself
    for at in range(1, counter.count + 1):
        base = tmp_path / f"again{at}"
        base.mkdir()
        out = killed_between_the_renames(base)
        with monkeypatch.context() as m:
            killer = KillAt(m, at)
            with pytest.raises(Killed):
                build(new_raw, out)
        assert counties(out) in ({"place"}, {"other", "place"}), (at, killer.steps[-1])
        build(new_raw, out)
        assert counties(out) == {"other", "place"} and siblings(base) == ["out"], (at, killer.steps[-1])


def test_load_tables_puts_back_the_previous_tables_after_a_kill_between_the_renames(raws, fast_tables, tmp_path):
    old_raw, new_raw = raws
    out = tmp_path / "out"
    build(old_raw, out)
    out.rename(tmp_path / ".out-old")  # what the first rename of a swap does
    with pytest.warns(UserWarning, match="interrupted"):
        tables = load_tables(out, warn_stale=False)
    assert set(tables["plans"]["county"]) == {"place"}
    assert out.is_dir() and not (tmp_path / ".out-old").exists()


def test_load_tables_reads_the_previous_tables_in_place_while_a_build_holds_the_lock(raws, fast_tables, tmp_path):
    from filelock import FileLock

    old_raw, _ = raws
    out = tmp_path / "out"
    build(old_raw, out)
    out.rename(tmp_path / ".out-old")
    with FileLock(str(tmp_path / ".out.lock")):
        with pytest.warns(UserWarning, match="reading the previous tables"):
            tables = load_tables(out, warn_stale=False)
    assert set(tables["plans"]["county"]) == {"place"}
    assert not out.exists()  # a reader does not swap folders under a running build


def test_a_build_waits_for_the_lock_and_can_give_up_without_touching_anything(raws, fast_tables, tmp_path,
                                                                              monkeypatch):
    from filelock import FileLock

    from planlib.build import outdir

    old_raw, new_raw = raws
    out = tmp_path / "out"
    build(old_raw, out)
    monkeypatch.setattr(outdir, "LOCK_TIMEOUT", 0)
    with FileLock(str(tmp_path / ".out.lock")):
        with pytest.raises(PlanlibError, match="another build is still writing"):
            build(new_raw, out)
    assert counties(out) == {"place"}
    assert siblings(tmp_path) == ["out"]


def test_overlapping_builds_take_turns(raws, fast_tables, tmp_path, monkeypatch):
    """Build A is inside its swap when build B starts: B waits for A's lock, then replaces A's output."""
    from planlib.build import outdir

    old_raw, new_raw = raws
    out = tmp_path / "out"
    a_swapping, b_waiting = threading.Event(), threading.Event()
    real_swap = outdir.swap_in

    def slow_swap(tmp, target):
        if threading.current_thread().name == "A":
            a_swapping.set()
            assert b_waiting.wait(60), "build B never waited for the lock"
        real_swap(tmp, target)
    monkeypatch.setattr(pipeline, "swap_in", slow_swap)
    monkeypatch.setattr(outdir, "print", lambda *a, **k: b_waiting.set(), raising=False)
    errors = []

    def run(raw):
        try:
            build(raw, out)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    a = threading.Thread(target=run, args=(old_raw,), name="A")
    b = threading.Thread(target=run, args=(new_raw,), name="B")
    a.start()
    assert a_swapping.wait(60)
    b.start()
    a.join(120)
    b.join(120)
    assert errors == []
    assert counties(out) == {"other", "place"}  # B ran second
    assert siblings(tmp_path) == ["out"]


def test_a_failed_build_leaves_no_temporary_folder_and_the_previous_tables(raws, fast_tables, tmp_path, monkeypatch):
    old_raw, new_raw = raws
    out = tmp_path / "out"
    build(old_raw, out)

    def broken(*args, **kwargs):
        raise OSError("disk full")
    monkeypatch.setattr(pipeline, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        build(new_raw, out)
    assert counties(out) == {"place"} and siblings(tmp_path) == ["out"]
