"""Project folders, resolved from the project root, never from the working folder.

The root is the checkout that holds ``data/raw`` (found from this file for an editable
install); ``PLANLIB_ROOT`` overrides it, e.g. for a non-editable install.
"""
from __future__ import annotations

import os
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


def resolve(path: str | os.PathLike | None, default: Path) -> Path:
    """``None`` means the project's default folder; a relative path is taken from the project root."""
    if path is None:
        return default
    p = Path(path)
    return p if p.is_absolute() else (PROJECT_ROOT / p)
