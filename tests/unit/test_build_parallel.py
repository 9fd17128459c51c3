"""A build spread over processes, a cache or Dask writes the same bytes as a build in one process.

Small corpora of synthetic plans (planlib.synth) keep these quick; the five real plans are
checked by tests/integration/test_pipeline.py against the committed tables.
"""
from __future__ import annotations

import contextlib
import filecmp
import os
import signal
import socket
import struct
import subprocess
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from planlib.build import cache as cache_mod
from planlib.build import parallel, pipeline
from planlib.build.cache import CacheWarning, PlanCache, code_fingerprint
from planlib.build.pipeline import build, load_tables
from planlib.errors import PlanlibError
from planlib.synth import make_plan

pytestmark = pytest.mark.slow

SOURCES = ("slug,name_zh,name_en,province,admin_level,issuer,title,doc_number,url,date_accessed\n"
           "p01,东山县,Dongshan,甲省,county,,,,,\n"
           "p02,西河旗,Xihe,乙自治区,旗,,,,,\n")


def _corpus(folder: Path, n: int = 4) -> Path:
    folder.mkdir(parents=True)
    for i in range(1, n + 1):
        (folder / f"p{i:02d}.txt").write_text(make_plan(i, paragraphs=12).text, encoding="utf-8")
    (folder / "sources.csv").write_text(SOURCES, encoding="utf-8")
    return folder


def _same_bytes(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert mismatch == [] and errors == [], f"differ: {mismatch} {errors}"


def _count_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = pipeline.plan_result

    def counting(path):
        parsed.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(pipeline, "plan_result", counting)
    return parsed


def test_jobs_2_writes_the_same_bytes_as_jobs_1(tmp_path):
    raw = _corpus(tmp_path / "raw")
    build(raw, tmp_path / "one", jobs=1)
    build(raw, tmp_path / "two", jobs=2)
    _same_bytes(tmp_path / "one", tmp_path / "two")


def test_a_bad_plan_in_a_worker_is_named_and_nothing_is_written(tmp_path):
    raw = _corpus(tmp_path / "raw")
    (raw / "p02.txt").write_bytes("教育规划\n\ufffd坏了\n".encode("utf-8"))
    (raw / "p03.txt").write_bytes(b"\x00\x01binary")
    with pytest.raises(PlanlibError) as err:
        build(raw, tmp_path / "out", jobs=2)
    message = str(err.value)
    assert "p02.txt:2" in message and "p03.txt" in message  # every bad file, with its line where known
    assert message.index("p02.txt") < message.index("p03.txt")  # in file order, whichever finished first
    assert not (tmp_path / "out").exists()


def test_rebuild_after_one_change_parses_one_plan_and_equals_a_fresh_build(tmp_path, monkeypatch):
    raw = _corpus(tmp_path / "raw")
    cache = tmp_path / "cache"
    build(raw, tmp_path / "first", cache_dir=cache)
    (raw / "p03.txt").write_text(make_plan(99, paragraphs=12).text, encoding="utf-8")
    parsed = _count_parses(monkeypatch)
    build(raw, tmp_path / "cached", cache_dir=cache)
    assert parsed == ["p03.txt"]
    monkeypatch.undo()
    build(raw, tmp_path / "fresh")  # no cache
    _same_bytes(tmp_path / "cached", tmp_path / "fresh")


def test_a_removed_plan_drops_out_of_a_cached_rebuild(tmp_path, monkeypatch):
    raw = _corpus(tmp_path / "raw")
    cache = tmp_path / "cache"
    build(raw, tmp_path / "first", cache_dir=cache)
    (raw / "p04.txt").unlink()
    parsed = _count_parses(monkeypatch)
    tables = build(raw, tmp_path / "cached", cache_dir=cache)
    assert parsed == []
    assert sorted(tables["plans"]["county"]) == ["p01", "p02", "p03"]
    monkeypatch.undo()
    build(raw, tmp_path / "fresh")
    _same_bytes(tmp_path / "cached", tmp_path / "fresh")


def test_sources_csv_change_reaches_a_cached_build(tmp_path):
    raw = _corpus(tmp_path / "raw")
    cache = tmp_path / "cache"
    build(raw, tmp_path / "first", cache_dir=cache)
    (raw / "sources.csv").write_text(SOURCES.replace("p01,东山县", "p01,东岭县"), encoding="utf-8")
    tables = build(raw, tmp_path / "cached", cache_dir=cache)
    assert tables["plans"].set_index("county").loc["p01", "name_zh"] == "东岭县"
    build(raw, tmp_path / "fresh")
    _same_bytes(tmp_path / "cached", tmp_path / "fresh")


def test_a_damaged_cache_entry_is_reparsed_with_a_warning(tmp_path, monkeypatch):
    raw = _corpus(tmp_path / "raw", n=2)
    cache = tmp_path / "cache"
    build(raw, tmp_path / "first", cache_dir=cache)
    entry = cache / "plans" / f"{PlanCache(cache).key(raw / 'p01.txt')}.pkl"
    data = entry.read_bytes()
    entry.write_bytes(data[: len(data) // 2])  # cut short, as by a full disk
    parsed = _count_parses(monkeypatch)
    with pytest.warns(CacheWarning, match="damaged cache entry"):
        build(raw, tmp_path / "again", cache_dir=cache)
    assert parsed == ["p01.txt"]
    _same_bytes(tmp_path / "first", tmp_path / "again")
    assert PlanCache(cache).get(PlanCache(cache).key(raw / "p01.txt")) is not None  # written anew
    # + the terms' tags and the checks' findings
    assert sorted(p.name for p in cache.iterdir()) == ["CACHEDIR.TAG", "checks.pkl", "noise_terms.json", "plans"]
    assert not [p for p in (cache / "plans").iterdir() if p.suffix != ".pkl"]  # no temporary left


def test_cache_key_follows_content_name_version_and_rules(tmp_path, monkeypatch):
    raw = _corpus(tmp_path / "raw", n=2)
    cache = PlanCache(tmp_path / "cache")
    key = cache.key(raw / "p01.txt")
    assert cache.key(raw / "p01.txt") == key
    (raw / "p09.txt").write_bytes((raw / "p01.txt").read_bytes())
    assert cache.key(raw / "p09.txt") != key  # the slug is in every row
    (raw / "p01.txt").write_text(make_plan(50).text, encoding="utf-8")
    assert cache.key(raw / "p01.txt") != key
    key = cache.key(raw / "p01.txt")

    code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_mod, "__version__", "99.0")
    assert cache.key(raw / "p01.txt") != key
    monkeypatch.undo()
    code_fingerprint.cache_clear()
    assert cache.key(raw / "p01.txt") == key

    package = tmp_path / "pkg"  # a rule or dictionary file edited
    (package / "data").mkdir(parents=True)
    (package / "mod.py").write_text("x = 1\n")
    (package / "data" / "rules.yml").write_text("a: 1\n")
    before = code_fingerprint(package)
    (package / "data" / "rules.yml").write_text("a: 2\n")
    code_fingerprint.cache_clear()
    assert code_fingerprint(package) != before
    code_fingerprint.cache_clear()


def test_no_csv_writes_parquet_only_and_load_tables_reads_it(tmp_path):
    raw = _corpus(tmp_path / "raw", n=2)
    tables = build(raw, tmp_path / "out", csv=False)
    assert not list((tmp_path / "out").glob("*.csv"))
    loaded = load_tables(tmp_path / "out", warn_stale=False)
    for name in ("targets", "plans", "checks", "comparison"):
        pd.testing.assert_frame_equal(loaded[name].reset_index(drop=True), tables[name].reset_index(drop=True),
                                      check_dtype=True)
    assert str(loaded["targets"]["line"].dtype) == "Int64" and str(loaded["targets"]["value"].dtype) == "Float64"


def test_comparison_xlsx_is_skipped_past_excels_limits_saying_so(tmp_path, monkeypatch):
    from planlib.build import io

    raw = _corpus(tmp_path / "raw", n=2)
    monkeypatch.setattr(io, "EXCEL_MAX_ROWS", 3)
    said = []
    build(raw, tmp_path / "out", notify=said.append)
    assert not (tmp_path / "out" / "comparison.xlsx").exists()
    assert (tmp_path / "out" / "comparison.parquet").exists()
    assert len(said) == 1 and "comparison.xlsx not written" in said[0] and "rows" in said[0]


def test_sources_csv_takes_every_county_level_unit_and_refuses_others(tmp_path):
    from planlib.extract.metadata import read_sources

    kinds = ["county", "自治县", "county-level city", "区", "banner", "自治旗", "林区", "special area", "地级市"]
    rows = "".join(f"s{i},,,,{k},,,,,\n" for i, k in enumerate(kinds))
    (tmp_path / "sources.csv").write_text(SOURCES.splitlines()[0] + "\n" + rows, encoding="utf-8")
    got = [read_sources(tmp_path)[f"s{i}"]["admin_level"] for i in range(len(kinds))]
    assert got == ["county", "autonomous county", "county-level city", "district", "banner",
                   "autonomous banner", "forestry area", "special area", "prefecture-level city"]
    (tmp_path / "sources.csv").write_text(SOURCES + "p03,某乡,,,township,,,,,\n", encoding="utf-8")
    with pytest.raises(PlanlibError, match=r"sources\.csv:4: admin_level 'township'"):
        read_sources(tmp_path)


def _run(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(Path(pipeline.__file__).resolve().parents[2])}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, **kw)


def test_the_default_build_does_not_import_dask(tmp_path):
    raw = _corpus(tmp_path / "raw", n=3)
    code = ("import sys; from planlib.cli import main; rc = main(['build', '--raw', sys.argv[1], '--out', "
            "sys.argv[2], '--jobs', '2', '--cache', sys.argv[3]]); "
            "print('dask' in sys.modules or 'distributed' in sys.modules); sys.exit(rc)")
    r = _run(["-c", code, str(raw), str(tmp_path / "out"), str(tmp_path / "cache")])
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "False"


def test_cluster_local_writes_the_same_bytes_as_a_local_build(tmp_path):
    pytest.importorskip("dask.distributed")
    raw = _corpus(tmp_path / "raw", n=5)
    build(raw, tmp_path / "local", jobs=1)
    with socket.socket() as taken, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.suppress(OSError):
            taken.bind(("127.0.0.1", 8787))  # Dask's default HTTP port, as another Dask on this machine holds it
            taken.listen()
        build(raw, tmp_path / "dask", jobs=2, cluster="local")
    assert not [w for w in caught if "already in use" in str(w.message)]
    _same_bytes(tmp_path / "local", tmp_path / "dask")


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_ctrl_c_in_the_pool_is_raised_by_the_driver_and_leaves_no_worker(tmp_path):
    import multiprocessing

    raw = _corpus(tmp_path / "raw", n=6)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # also when pytest runs in the background
    try:
        stream = parallel._run_pool([str(p) for p in sorted(raw.glob("*.txt"))], 2)
        next(stream)
        signal.raise_signal(signal.SIGINT)  # noted by the handler, not raised inside the pool's own code
        with pytest.raises(KeyboardInterrupt):
            next(stream)  # raised where the driver looks, then the workers are stopped
        assert multiprocessing.active_children() == []
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, previous)


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_an_ignored_ctrl_c_stays_ignored(tmp_path):
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as in a job a script started in the background
    try:
        with parallel._CtrlC() as ctrl_c:
            signal.raise_signal(signal.SIGINT)
            ctrl_c.check()
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGINT, previous)


INTERRUPTED = "planlib: interrupted; nothing written (the previous tables are as they were)"


@pytest.mark.skipif(os.name != "posix", reason="Ctrl-C is a signal to the process group on POSIX")
@pytest.mark.parametrize("how", [[], ["--cluster", "local"]], ids=["pool", "dask"])
def test_ctrl_c_stops_the_workers_with_one_message(tmp_path, how):
    if how:
        pytest.importorskip("dask.distributed")
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(1, 13):
        (raw / f"p{i:02d}.txt").write_text(make_plan(i, paragraphs=400).text, encoding="utf-8")
    cache = tmp_path / "cache"
    # a foreground job's Ctrl-C, also when these tests run in the background (SIGINT ignored, and inherited)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen([sys.executable, "-m", "planlib.cli", "build", "--raw", str(raw), "--out",
                                 str(tmp_path / "out"), "--jobs", "2", "--cache", str(cache), *how],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                                env={**os.environ, "PYTHONPATH": str(Path(pipeline.__file__).resolve().parents[2])})
    finally:
        signal.signal(signal.SIGINT, previous)
    deadline = time.monotonic() + 300
    while not list(cache.glob("plans/*.pkl")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)  # wait until the workers are busy: the first plan is done
    assert proc.poll() is None, "the build ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: to the driver and every worker
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    # one line: no traceback from a worker, the fork server or Dask, no leaked-semaphore warning
    assert err.strip().splitlines() == [INTERRUPTED], err
    assert not (tmp_path / "out").exists()
    deadline = time.monotonic() + 60  # the fork server leaves when the driver has gone
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _group_alive(proc.pid), "a worker was left behind"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _die_half_way_through_a_result() -> None:
    """In a pool worker: the first bytes of a large result on the result pipe, then the worker's end.

    What a worker that Ctrl-C's stop terminates while it sends a plan's result (larger than a pipe
    holds) leaves behind, made certain here instead of left to timing.
    """
    results = sys._getframe(1).f_locals["result_queue"]  # the caller is concurrent.futures' worker loop
    os.write(results._writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 1000)
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(os.name != "posix", reason="signals")
def test_stop_ends_the_pool_when_a_worker_died_half_way_through_its_result():
    executor = ProcessPoolExecutor(1, mp_context=parallel._pool_context(), initializer=parallel._worker_init)
    future = executor.submit(_die_half_way_through_a_result)
    manager, results = executor._executor_manager_thread, executor._result_queue
    [worker] = executor._processes.values()
    worker.join(timeout=120)
    assert worker.exitcode == -signal.SIGKILL
    try:
        parallel._stop(executor)  # before the fix the pool's thread waited for the rest of the message for ever,
        assert not manager.is_alive()  # and so did the interpreter's exit, which joins that thread
        assert future.done()
    finally:
        results._writer.close()  # a failure here does not hang pytest's exit as well
