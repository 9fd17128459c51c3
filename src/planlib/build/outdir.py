"""Replacing an output folder without losing anything: the guard, the lock, the swap, the recovery.

``build`` writes its tables into a temporary sibling ``.<name>-XXXXXXXX`` and moves it in with two
renames (``<name>`` -> ``.<name>-old``, temporary -> ``<name>``), then deletes ``.<name>-old``.
No symbolic links, so it works the same on Windows. A build killed at any point leaves one of:

- the previous folder in place (perhaps with a temporary sibling): the next build deletes the sibling;
- no ``<name>`` but ``.<name>-old``: the next build (or :func:`readable_dir`, used by ``load_tables``)
  puts the previous folder back;
- the new folder in place and ``.<name>-old`` beside it: the next build deletes the old one.

Only folders that planlib made are ever deleted: a sibling with one of those two names whose every
entry is a file a build writes (so a folder of yours that happens to share the name is left alone).
Builds of the same folder are serialised by a lock file ``.<name>.lock`` beside it (``filelock``).
"""
from __future__ import annotations

import re
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import PlanlibError

MANIFEST = "_build.json"
#: The tables ``build`` writes (``comparison`` is written beside them).
TABLE_NAMES = ("targets", "indicators", "plans", "schools", "terms", "checks", "derived", "derived_missing")
#: The one sub-folder of an output: the texts derived from web pages, Word files … (<slug>.txt).
TEXT_DIR = "text"
_TEXT_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}\.txt")
#: Present in a temporary folder while it is being written; removed just before the swap.
BUILDING_MARK = ".planlib-building"
#: Every name a finished output folder may hold.
OUTPUT_FILES = frozenset({f"{name}.{ext}" for name in (*TABLE_NAMES, "comparison") for ext in ("csv", "parquet")}
                         | {"comparison.xlsx", MANIFEST})
#: Seconds a build waits for another build of the same folder; -1 waits as long as it takes.
LOCK_TIMEOUT: float = -1

_TEMP_SUFFIX = r"[A-Za-z0-9_]{8}"  # what tempfile.mkdtemp appends


def temp_prefix(out: Path) -> str:
    return f".{out.name}-"


def old_path(out: Path) -> Path:
    return out.with_name(f".{out.name}-old")


def lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.lock")


def check_output_dir(out: Path, protected: Iterable[tuple[Path, str]] = ()) -> None:
    """Raise :class:`PlanlibError` unless a build may replace ``out``; touch nothing.

    ``out`` may be missing, an empty folder, or a folder a build wrote (it has ``_build.json``
    and nothing else than the files a build writes). Never a file, a symbolic link, or any
    ``protected`` folder (given with a label) or a folder that holds one.
    """
    if out.is_symlink():
        raise PlanlibError(f"{out}: is a symbolic link; give the real folder as --out")
    if out.exists() and not out.is_dir():
        raise PlanlibError(f"{out}: is a file, not a folder; --out takes a folder for the tables")
    real = out.resolve()
    for folder, label in protected:
        target = folder.resolve()
        if real == target:
            raise PlanlibError(f"{out}: is {label}; the tables cannot replace it (choose a new or empty folder)")
        if real in target.parents:
            raise PlanlibError(f"{out}: holds {label} ({folder}); the tables cannot replace it "
                               "(choose a new or empty folder)")
    if not out.is_dir():
        return
    try:
        entries = sorted(out.iterdir())
    except OSError as exc:
        raise PlanlibError(f"{out}: cannot look inside ({exc.strerror or exc}); refusing to replace it") from exc
    if not entries:
        return
    if not (out / MANIFEST).is_file():
        raise PlanlibError(f"{out}: is not empty and is not a planlib output folder (it has no {MANIFEST}); "
                           "refusing to replace it: choose a new or empty folder")
    foreign = [p.name for p in entries if not _is_output_entry(p)]
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise PlanlibError(f"{out}: holds files planlib did not write ({shown}); move them elsewhere "
                           "first, a build replaces the whole folder")


def _is_output_entry(p: Path) -> bool:
    """A file a build writes, or the text folder holding only derived texts (<slug>.txt files)."""
    if p.is_symlink():
        return False
    if p.name == TEXT_DIR and p.is_dir():
        try:
            return all(q.is_file() and not q.is_symlink() and _TEXT_NAME.fullmatch(q.name) for q in p.iterdir())
        except OSError:
            return False
    return p.is_file() and p.name in OUTPUT_FILES


def _is_planlib_made(folder: Path) -> bool:
    """A folder a build made: only files a build writes (or its building mark), and empty or marked."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        entries = list(folder.iterdir())
    except OSError:
        return False
    names = {p.name for p in entries}
    if not all(_is_output_entry(p) or (p.name == BUILDING_MARK and p.is_file() and not p.is_symlink())
               for p in entries):
        return False
    return not names or bool(names & {MANIFEST, BUILDING_MARK})


def leftovers(out: Path) -> list[Path]:
    """Temporary and old folders that an interrupted build of ``out`` left beside it."""
    if not out.parent.is_dir():
        return []
    temp = re.compile(re.escape(temp_prefix(out)) + _TEMP_SUFFIX)
    found = [p for p in out.parent.iterdir()
             if (p.name == old_path(out).name or temp.fullmatch(p.name)) and _is_planlib_made(p)]
    return sorted(found)


def remove_output(folder: Path) -> None:
    """Delete a folder a build made, its manifest and building mark last (so a half-deleted one is still known)."""
    if not _is_planlib_made(folder):
        return
    last = (MANIFEST, BUILDING_MARK)
    for p in sorted(folder.iterdir(), key=lambda p: p.name in last):
        if p.name == TEXT_DIR and p.is_dir() and not p.is_symlink():
            for q in p.iterdir():
                q.unlink()
            p.rmdir()
        else:
            p.unlink()
    folder.rmdir()


def recover(out: Path) -> bool:
    """Put the previous folder back if a build was stopped between its two renames; True if it did."""
    old = old_path(out)
    if out.exists() or out.is_symlink() or not _is_planlib_made(old):
        return False
    old.rename(out)
    return True


def clean_leftovers(out: Path) -> list[Path]:
    """Recover, then delete what interrupted builds of ``out`` left; return the folders deleted."""
    recover(out)
    removed = []
    for folder in leftovers(out):
        remove_output(folder)
        removed.append(folder)
    return removed


def swap_in(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` to ``out``; the previous ``out`` stays as ``.<name>-old`` until then."""
    old = old_path(out)
    if old.exists() or old.is_symlink():
        raise PlanlibError(f"{old}: is in the way of the swap and was not made by planlib; move it elsewhere")
    had_previous = out.exists()
    if had_previous:
        out.rename(old)
    try:
        tmp.rename(out)
    except BaseException:
        if had_previous and not out.exists():
            old.rename(out)  # put the previous tables back (a failed rename, not a kill)
        raise
    if had_previous:
        remove_output(old)


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold ``.<name>.lock`` beside ``out`` while writing; wait (saying so on stderr) if another build holds it."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(out)))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            print(f"planlib: another build is writing {out}; waiting for it to finish", file=sys.stderr)
            lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout:
        raise PlanlibError(f"{out}: another build is still writing it (lock {lock_path(out)} held); "
                           "try again when it has finished") from None
    except OSError as exc:
        raise PlanlibError(f"{lock_path(out)}: cannot create the lock file ({exc.strerror or exc}); "
                           "is the folder writable?") from exc
    try:
        yield
    finally:
        lock.release()


def readable_dir(out: Path) -> Path:
    """Where the finished tables of ``out`` are: ``out``, or the previous folder if a swap was interrupted.

    Puts the previous folder back when no build holds the lock; otherwise (a build is swapping
    right now, or the place is read-only) reads it where it is, with a warning.
    """
    if out.exists() or not _is_planlib_made(old_path(out)):
        return out
    from filelock import FileLock, Timeout

    try:
        lock = FileLock(str(lock_path(out)))
        lock.acquire(timeout=0)
        try:
            if recover(out):
                warnings.warn(f"{out}: a build was interrupted; put the previous tables back", stacklevel=3)
                return out
        finally:
            lock.release()
    except (Timeout, OSError):
        pass
    if out.exists():
        return out
    warnings.warn(f"{out}: missing while a build swaps it in; reading the previous tables from {old_path(out)}",
                  stacklevel=3)
    return old_path(out)
