"""Parsing many plans at once: in this process, in a process pool, or on a Dask cluster.

:func:`collect_results` returns one :class:`~planlib.build.pipeline.PlanResult` per file, in the
order of the files, however the work was spread, so the tables a build writes are the same bytes
with ``--jobs 1``, ``--jobs N`` or ``--cluster``. Plans found in the cache (:mod:`planlib.build.cache`)
are not parsed again; the others are parsed and stored as they arrive.

A plan that cannot be parsed does not stop the others: every bad file is named in one error at
the end, and nothing is written. Ctrl-C stops the workers (they ignore SIGINT themselves, so the
terminal shows one message, not a traceback per worker) and raises :class:`KeyboardInterrupt`.
Dask is imported only when ``cluster`` is given.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

from ..errors import PlanlibError


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity where the system tells it), at least 1."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _parse_one(path: str, project_root: str | None = None):
    """Run in a worker: ``("ok", PlanResult)`` or ``("error", message naming the file)``.

    An unusable plan is a PlanlibError whose message names the file (and line); anything else
    is a bug, reported with the file and the place in planlib where it happened.
    ``project_root``: the driver's project root, for a Dask worker that runs from another checkout
    (``source_file`` is cited relative to it).
    """
    from .. import paths
    from .pipeline import plan_result

    if project_root is not None and Path(project_root) != paths.PROJECT_ROOT:
        paths.PROJECT_ROOT = Path(project_root)
    try:
        return "ok", plan_result(path)
    except PlanlibError as exc:
        return "error", str(exc)
    except Exception as exc:  # a bug: say where, without a traceback per worker
        where = traceback.extract_tb(exc.__traceback__)[-1]
        return "error", (f"{path}: planlib failed on this file ({type(exc).__name__}: {exc}; "
                         f"at {Path(where.filename).name}:{where.lineno}); please report it")


def _worker_init() -> None:
    """Workers leave Ctrl-C to the driver, which stops them: no traceback from each worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _pool_context():
    """forkserver where there is one (fork-safe with threads, cheap per worker), else spawn (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(["planlib.build.pipeline"])
    return ctx


def _run_serial(paths: list[str]) -> Iterator[tuple[int, tuple]]:
    for i, path in enumerate(paths):
        yield i, _parse_one(path)


def _run_pool(paths: list[str], jobs: int) -> Iterator[tuple[int, tuple]]:
    """Results as they finish, at most ``2 * jobs`` plans in flight (memory stays flat)."""
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context(), initializer=_worker_init)
    try:
        todo = iter(enumerate(paths))
        running = {}
        for i, path in todo:
            running[executor.submit(_parse_one, path)] = i
            if len(running) >= 2 * jobs:
                break
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                yield i, fut.result()
                nxt = next(todo, None)
                if nxt is not None:
                    running[executor.submit(_parse_one, nxt[1])] = nxt[0]
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the worker processes (this executor's only)."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)


def _run_dask(paths: list[str], cluster: str, jobs: int) -> Iterator[tuple[int, tuple]]:
    """One Dask task per plan, on a LocalCluster (``"local"``) or the scheduler at ``cluster``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise PlanlibError("--cluster needs Dask: pip install 'planlib[cluster]' "
                           f"(or dask[distributed]); {exc}") from None
    from .. import paths as project

    local = previous = None
    try:
        if cluster == "local":
            # the workers are started with Ctrl-C ignored (inherited through exec), so that a Ctrl-C at
            # the terminal reaches only this process, which closes the cluster: no traceback per worker
            ignoring = signal.signal(signal.SIGINT, signal.SIG_IGN)
            try:
                local = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                     dashboard_address=None, silence_logs=40)
            finally:
                signal.signal(signal.SIGINT, ignoring)
            client = Client(local)
        else:
            try:
                client = Client(cluster, timeout="20s")
            except OSError as exc:
                raise PlanlibError(f"--cluster {cluster}: cannot reach the Dask scheduler ({exc})") from None
        interrupted = []

        def on_interrupt(signum, frame):  # remembered too, in case Dask's waiting swallows the exception
            interrupted.append(signum)
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGINT, on_interrupt)
        with client:
            root = str(project.PROJECT_ROOT)
            futures = client.map(_parse_one, paths, project_root=root, pure=False)
            index = {fut.key: i for i, fut in enumerate(futures)}
            for fut in as_completed(futures):
                if interrupted:
                    raise KeyboardInterrupt
                yield index[fut.key], fut.result()
                fut.release()
            if interrupted:
                raise KeyboardInterrupt
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if local is not None:
            local.close()


def collect_results(files: list[Path], jobs: int = 1, cache_dir: Path | None = None,
                    cluster: str | None = None, progress: bool = False,
                    on_result: Callable[[int], None] | None = None) -> list:
    """One PlanResult per file, in the order of ``files``; raise PlanlibError naming every bad file."""
    from tqdm import tqdm

    from .cache import PlanCache

    if jobs < 1:
        raise PlanlibError("--jobs must be at least 1")
    cache = PlanCache(cache_dir) if cache_dir is not None else None
    results: list = [None] * len(files)
    keys: dict[int, str] = {}
    if cache is not None:
        for i, path in enumerate(files):
            keys[i] = cache.key(path)
            results[i] = cache.get(keys[i], path)
    todo = [i for i, r in enumerate(results) if r is None]
    errors: dict[int, str] = {}
    paths = [str(files[i]) for i in todo]
    if cluster:
        stream = _run_dask(paths, cluster, jobs)
    elif jobs == 1 or len(todo) <= 1:
        stream = _run_serial(paths)
    else:
        stream = _run_pool(paths, min(jobs, len(todo)))
    with tqdm(total=len(todo), desc="plans", unit="plan", disable=None if progress else True, leave=False,
              mininterval=0) as bar:
        for j, (status, value) in stream:
            i = todo[j]
            bar.set_postfix_str(files[i].name, refresh=False)
            bar.update()
            if status == "ok":
                results[i] = value
                if cache is not None:
                    cache.put(keys[i], value)
            else:
                errors[i] = value
            if on_result is not None:
                on_result(i)
    if errors:
        raise PlanlibError("cannot build; bad raw file(s):\n  " + "\n  ".join(errors[i] for i in sorted(errors)))
    return results
