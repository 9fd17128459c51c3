"""planlib: Chinese education five-year plans into tidy, cited tables.

Public API: :func:`load_tables`, :func:`parse_plan`, :class:`PlanlibError`.

The modules sit in folders that follow a plan through planlib (read/, extract/, build/,
teach/; see the README's Layout). Their former flat names (``planlib.text``,
``planlib.prose`` …) still import, as the same module objects, so code written
against them keeps working.
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

from .errors import PlanFileError, PlanlibError

try:
    __version__ = version("planlib")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0"

__all__ = ["load_tables", "parse_plan", "PlanlibError", "PlanFileError", "__version__"]


#: Former flat module name -> where the module lives now. (``planlib.course`` is a real package,
#: so that ``python -m planlib.course`` runs; ``planlib.report`` is the package that holds the
#: former module as report/batch.py and looks up its names there.)
MOVED = {
    **{m: f"read.{m}" for m in ("text", "patterns", "document", "periods", "numbers")},
    **{m: f"extract.{m}" for m in ("tables", "tablecells", "tablerows", "schools", "prose", "meaning",
                                    "metadata", "sections", "dictionary")},
    **{m: f"build.{m}" for m in ("checks", "corrections", "provenance", "codebook", "outdir", "io",
                                  "pipeline", "comparison", "derived")},
    **{m: f"report.{m}" for m in ("plots", "fonts")},
    **{m: f"teach.{m}" for m in ("explore", "textmine")},
}


class _Moved(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``planlib.<old name>`` as the module at its new place (one module object, not a copy)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in MOVED:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return import_module(f"{__name__}.{MOVED[spec.name.rpartition('.')[2]]}")

    def exec_module(self, module):
        pass  # the module ran when it was imported at its new place


if not any(isinstance(f, _Moved) for f in sys.meta_path):
    sys.meta_path.append(_Moved())


def __getattr__(name):  # lazy: importing planlib stays cheap (no pandas until needed)
    if name in ("load_tables", "parse_plan"):
        return getattr(import_module(".build.pipeline", __name__), name)
    if name in MOVED:
        return import_module(f".{name}", __name__)
    raise AttributeError(name)
