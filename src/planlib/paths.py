"""Project folders, and the one rule for every path a user gives.

The project root is the checkout that holds ``data/raw`` (found from this file for an editable
install); ``PLANLIB_ROOT`` overrides it, e.g. for a non-editable install. The defaults
(``data/raw``, ``data/processed``, ``figures/``, ``reports/``) are the project's folders wherever
you run from; a path you give (``--raw``, ``--out``, ``--processed``, ``-o``, or a ``*_dir``
argument in Python) is taken relative to the current directory, as command-line tools do.

A plan's slug (the county key in every table, the name of its report folder) is its file stem
and must follow :data:`SLUG_RULE`; :func:`check_slug` is the one place that says so.
"""
from __future__ import annotations

import os
import re
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("PLANLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").exists() and (parent / "data").is_dir():
            return parent
    return Path.cwd().resolve()


PROJECT_ROOT = _find_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
CORRECTIONS_FILE = DATA_DIR / "corrections.csv"
FIGURES_DIR = PROJECT_ROOT / "figures"
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
CACHE_DIR = PROJECT_ROOT / ".cache"
PACKAGE_DATA = Path(__file__).resolve().parent / "data"

#: What a slug may be: a lower-case ASCII letter, then up to 39 lower-case letters, digits or ``_``.
SLUG_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")
#: Names that the reports use for their own folders and pages.
RESERVED_SLUGS = frozenset({"compare", "index", "downloads", "figures", "reports"})
SLUG_RULE = ("a plan's file name (without its suffix: .txt, .html, .docx …) is its slug: a lower-case ASCII letter, then up to 39 "
             "lower-case letters, digits or '_' (^[a-z][a-z0-9_]{0,39}$), and not one of "
             + ", ".join(sorted(RESERVED_SLUGS)))


def resolve(path: str | os.PathLike | None, default: Path) -> Path:
    """``None`` means the project's default folder; a path given is taken from the current directory.

    >>> resolve(None, RAW_DIR) == RAW_DIR
    True
    >>> resolve("here", RAW_DIR) == Path.cwd() / "here"
    True
    """
    if path is None:
        return default
    return Path(os.path.abspath(os.fspath(path)))


def slug_problem(slug: str) -> str | None:
    """Why ``slug`` cannot name a plan, or ``None`` if it can.

    >>> slug_problem("hillside_2021") is None
    True
    >>> slug_problem("compare")
    "'compare' is reserved"
    >>> slug_problem("{x}")
    "'{x}' breaks the slug rule"
    """
    if not SLUG_PATTERN.fullmatch(slug):
        return f"{slug!r} breaks the slug rule"
    if slug in RESERVED_SLUGS:
        return f"{slug!r} is reserved"
    return None


def check_slug(slug: str, where: str | os.PathLike | None = None) -> str:
    """Return ``slug`` if it follows :data:`SLUG_RULE`; else raise a PlanlibError naming ``where`` and the rule."""
    problem = slug_problem(slug)
    if problem:
        from .errors import PlanlibError

        prefix = f"{where}: " if where is not None else ""
        raise PlanlibError(f"{prefix}{problem}: {SLUG_RULE}; rename the file")
    return slug
