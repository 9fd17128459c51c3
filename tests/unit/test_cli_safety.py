"""The command line's smaller guarantees: a closed pipe, -o a folder, file modes, --raw a file,
progress per plan, a lock that works without fcntl. (Issue 8, items 4 (progress), 5 (fonts) and 8.)"""
import importlib
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import planlib
from planlib.build.pipeline import build_tables

PLAN = "某县教育事业发展“十四五”规划（2021—2025年）\n\n指标 2020年 2025年\n在校学生数（人） 1.3263 1.65\n学前三年毛入园率（%） 85.1 95\n"
SRC = str(Path(planlib.__file__).resolve().parents[1])


@pytest.fixture()
def plan(tmp_path):
    path = tmp_path / "place.txt"
    path.write_text(PLAN, encoding="utf-8")
    return path


def cli(*args, **kwargs):
    env = {**os.environ, "PYTHONPATH": SRC}
    return [sys.executable, "-m", "planlib.cli", *args], env


def run_cli(*args, **kwargs):
    argv, env = cli(*args)
    return subprocess.run(argv, capture_output=True, text=True, env=env, **kwargs)


def test_extract_into_a_closed_pipe_stops_quietly(plan):
    """`planlib extract plan.txt | head -0`: the reader is gone before the first row is written."""
    argv, env = cli("extract", str(plan))
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # no reader left: every write to the pipe fails with EPIPE
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
    assert proc.returncode == 141


def test_extract_to_a_folder_is_a_clear_error(plan, tmp_path):
    folder = tmp_path / "outdir"
    folder.mkdir()
    r = run_cli("extract", str(plan), "-o", str(folder))
    assert r.returncode == 2 and "is a folder" in r.stderr and "Traceback" not in r.stderr
    assert list(folder.iterdir()) == []


def test_codebook_to_a_folder_is_a_clear_error(tmp_path):
    r = run_cli("codebook", "-o", str(tmp_path))
    assert r.returncode == 2 and "is a folder" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_extract_output_has_the_usual_mode(plan, tmp_path):
    out = tmp_path / "rows.csv"
    r = run_cli("extract", str(plan), "-o", str(out), preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # 0666 less the umask, like any new file
    out.chmod(0o664)
    r = run_cli("extract", str(plan), "-o", str(out), preexec_fn=lambda: os.umask(0o022))
    assert r.returncode == 0, r.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o664  # an existing file keeps its mode
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_build_raw_that_is_a_file_says_so(plan, tmp_path):
    r = run_cli("build", "--raw", str(plan), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and "is a file, not a folder" in r.stderr
    assert not (tmp_path / "out").exists()


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_build_shows_progress_per_plan_on_a_terminal(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("alpha", "beta"):
        (raw / f"{name}.txt").write_text(PLAN, encoding="utf-8")
    term = _Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    build_tables(raw, None, progress=True)
    shown = term.getvalue()
    assert "plans" in shown and "1/2" in shown and "alpha.txt" in shown and "beta.txt" in shown
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    build_tables(raw, None, progress=False)
    assert quiet.getvalue() == ""


def test_build_progress_is_off_when_stderr_is_not_a_terminal_and_with_quiet(tmp_path, plan):
    r = run_cli("build", "--raw", str(plan.parent), "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stderr
    assert "plans" not in r.stderr  # a pipe, not a terminal: no bar
    r = run_cli("build", "-q", "--raw", str(plan.parent), "--out", str(tmp_path / "out"))
    assert r.returncode == 0 and r.stderr == ""


def test_fonts_need_no_fcntl(tmp_path, monkeypatch):
    """fcntl is Unix-only: the font cache lock must work where it cannot be imported (Windows)."""
    import filelock  # noqa: F401 - imported for real first, so only planlib.report.fonts sees fcntl missing
    import fontTools.varLib.instancer as instancer

    original = importlib.import_module("planlib.report.fonts")
    monkeypatch.setattr(importlib.import_module("planlib.report"), "fonts", original)  # both restored after the test
    monkeypatch.delitem(sys.modules, "planlib.report.fonts")
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` now raises ImportError
    fonts = importlib.import_module("planlib.report.fonts")
    monkeypatch.setattr(fonts, "_cache_dir", lambda: tmp_path)

    class FakeFont(dict):  # instancing the real font takes ~20 s; the lock is what is tested
        def __init__(self):
            super().__init__({"OS/2": type("OS2", (), {})()})

        def save(self, path):
            Path(path).write_bytes(b"static font")
    monkeypatch.setattr(instancer, "instantiateVariableFont", lambda *a, **k: FakeFont())
    made = fonts.font_path()
    assert made.parent == tmp_path and made.read_bytes() == b"static font"
