"""Parsing many plans at once: in this process, in a process pool, or on a Dask cluster.

:func:`collect_results` returns one :class:`~planlib.build.pipeline.PlanResult` per file, in the
order of the files, however the work was spread, so the tables a build writes are the same bytes
with ``--jobs 1``, ``--jobs N`` or ``--cluster``. Plans found in the cache (:mod:`planlib.build.cache`)
are not parsed again; the others are parsed and stored as they arrive.

A plan that cannot be parsed does not stop the others: every bad file is named in one error at
the end, and nothing is written. Ctrl-C stops the workers (they ignore SIGINT themselves, so the
terminal shows one message, not a traceback per worker) and raises :class:`KeyboardInterrupt`.
Dask is imported only when ``cluster`` is given.

Ctrl-C at a terminal is sent to the whole process group: the driver, the workers, the fork server
and multiprocessing's resource tracker. Only the driver acts on it, and only at points it chooses
(:class:`_CtrlC`), so that the pool is never left half-way through one of its own steps.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import threading
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


def _parse_one(path: str, project_root: str | None = None, encode: bool = True):
    """Run in a worker: ``("ok", entry)`` or ``("error", message naming the file)``.

    ``entry``: the plan's PlanResult as the cache stores it (:func:`planlib.build.cache.encode_entry`),
    made once here: the driver writes these bytes to the cache as they are and decodes them,
    rather than unpickling the result and serialising it again (``encode=False``: the PlanResult
    itself, for a build in one process without a cache).
    An unusable plan is a PlanlibError whose message names the file (and line); anything else
    is a bug, reported with the file and the place in planlib where it happened.
    ``project_root``: the driver's project root, for a Dask worker that runs from another checkout
    (``source_file`` is cited relative to it).
    """
    from .. import paths
    from .cache import encode_entry
    from .pipeline import plan_result

    if project_root is not None and Path(project_root) != paths.PROJECT_ROOT:
        paths.PROJECT_ROOT = Path(project_root)
    try:
        result = plan_result(path)
        return "ok", encode_entry(result) if encode else result
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


def _start_fork_server(ctx) -> None:
    """Start the fork server with SIGINT blocked: neither it nor a worker forked from it can take a Ctrl-C.

    The fork server ignores SIGINT only once it has imported its preload (a second or more), and a
    worker only once its initializer has run; a Ctrl-C to the process group before then was a
    traceback from that process, and a fork server gone mid-start. A blocked signal stays pending
    until the fork server ignores SIGINT, which discards it; the mask is inherited through fork and
    exec. The resource tracker is started first: it blocks SIGINT itself while it starts, then
    unblocks it in this thread, and ignores SIGINT for its life.
    """
    if ctx.get_start_method() != "forkserver" or not hasattr(signal, "pthread_sigmask"):
        return
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _ours_to_handle() -> bool:
    """Whether SIGINT may be handled here: in the main thread, over Python's default handler.

    Not when SIGINT is ignored (a job a script started in the background: the terminal's Ctrl-C is
    for the foreground job) or when the program embedding planlib handles it itself.
    """
    return (threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is signal.default_int_handler)


class _CtrlC:
    """While the pool runs, Ctrl-C is noted by the handler and raised by :meth:`check` where the driver chooses.

    A KeyboardInterrupt raised wherever the main thread happens to be can land inside
    concurrent.futures or multiprocessing: half-way through taking the futures' locks in ``wait``,
    or through starting a worker. A lock is then held for ever or a worker is unknown to the pool,
    and the pool's manager thread, which the interpreter joins at exit, never ends. Installed only
    where :func:`_ours_to_handle`.
    """

    def __init__(self) -> None:
        self.pressed = False
        self._previous = None

    def __enter__(self) -> _CtrlC:
        if _ours_to_handle():
            self._previous = signal.signal(signal.SIGINT, self._note)
        return self

    def _note(self, signum, frame) -> None:
        self.pressed = True

    def check(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt

    def __exit__(self, kind, exc, tb) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
        if kind is None:
            self.check()  # a Ctrl-C while the pool was closing still stops the build


_POLL = 0.25  # seconds between looks at a pressed Ctrl-C while the driver waits for a result


def _run_serial(paths: list[str], encode: bool) -> Iterator[tuple[int, tuple]]:
    for i, path in enumerate(paths):
        yield i, _parse_one(path, encode=encode)


def _run_pool(paths: list[str], jobs: int) -> Iterator[tuple[int, tuple]]:
    """Results as they finish, at most ``2 * jobs`` plans in flight (memory stays flat)."""
    with _CtrlC() as ctrl_c:
        ctx = _pool_context()
        _start_fork_server(ctx)
        ctrl_c.check()
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_worker_init)
        try:
            todo = iter(enumerate(paths))
            running = {}
            for i, path in todo:
                running[executor.submit(_parse_one, path)] = i
                if len(running) >= 2 * jobs:
                    break
            while running:
                done, _ = wait(running, timeout=_POLL, return_when=FIRST_COMPLETED)
                ctrl_c.check()
                for fut in done:
                    i = running.pop(fut)
                    yield i, fut.result()
                    ctrl_c.check()  # pressed while the caller handled that result
                    nxt = next(todo, None)
                    if nxt is not None:
                        running[executor.submit(_parse_one, nxt[1])] = nxt[0]
        except BaseException:
            _stop(executor)
            raise
        executor.shutdown(wait=True)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started, end the worker processes (this executor's only) and the pool's thread.

    A worker ended while it sends its result (a plan's result is larger than a pipe holds) leaves
    half a message in the result pipe. The pool's manager thread, already reading it, would wait for
    the rest for ever, since this process holds a write end of that pipe too, and so would the
    interpreter's exit, which joins that thread. Closing our write end once the workers are gone
    turns the wait into an end of file; the thread then marks the pool broken and closes its queues.
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    results = getattr(executor, "_result_queue", None)
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    for proc in processes:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
    if results is not None:
        results._writer.close()
    if manager is not None:
        manager.join(timeout=30)


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
                # logs at CRITICAL only: a worker closing while its heartbeat is on the way logs that
                # heartbeat as an ERROR with a traceback (dask/distributed#7105), at the end of one build in
                # five on a loaded machine; a plan's failure reaches this process as its result, a lost
                # worker as an exception
                # no dashboard; the scheduler's HTTP server (health routes) on a free port of this machine
                # only: its default, 8787, taken by any other Dask here, was a warning on stderr
                local = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                                     dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                     silence_logs=logging.CRITICAL)
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

        if _ours_to_handle():
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

    from .cache import PlanCache, decode_entry

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
        stream = _run_serial(paths, encode=cache is not None)
    else:
        stream = _run_pool(paths, min(jobs, len(todo)))
    with tqdm(total=len(todo), desc="plans", unit="plan", disable=None if progress else True, leave=False,
              mininterval=0) as bar:
        for j, (status, value) in stream:
            i = todo[j]
            bar.set_postfix_str(files[i].name, refresh=False)
            bar.update()
            if status == "ok":
                entry = value if isinstance(value, bytes) else None
                results[i] = decode_entry(entry, check=False) if entry is not None else value
                if cache is not None:
                    cache.put(keys[i], results[i], entry)
            else:
                errors[i] = value
            if on_result is not None:
                on_result(i)
    if errors:
        raise PlanlibError("cannot build; bad raw file(s):\n  " + "\n  ".join(errors[i] for i in sorted(errors)))
    return results
