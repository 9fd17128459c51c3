"""planlib: Chinese education five-year plans into tidy, cited tables.

Public API: :func:`load_tables`, :func:`parse_plan`, :class:`PlanlibError`.
"""
from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .errors import PlanFileError, PlanlibError

try:
    __version__ = version("planlib")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["load_tables", "parse_plan", "PlanlibError", "PlanFileError", "__version__"]


def __getattr__(name):  # lazy: importing planlib stays cheap (no pandas until needed)
    if name in ("load_tables", "parse_plan"):
        return getattr(import_module(".pipeline", __name__), name)
    raise AttributeError(name)
