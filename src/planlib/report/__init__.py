"""Figures and reports, drawn from finished tables only: plots.py (the figures), fonts.py (the CJK
font, subset and embedded), batch.py (papermill runs, the pages and the index).

``planlib.report.<name>`` still finds what the former module ``planlib.report`` held
(run_reports, CountyReport, Comparison …): names not found here are looked up in batch.py.
"""
from __future__ import annotations

from importlib import import_module


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(import_module(".batch", __name__), name)
