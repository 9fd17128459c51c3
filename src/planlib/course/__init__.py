"""The name ``planlib.course`` and the command ``python -m planlib.course [SRC_DIR [OUT_DIR]]``.

The course's helpers live in :mod:`planlib.teach.course`; every attribute is looked up there.
"""
from __future__ import annotations

from importlib import import_module


def __getattr__(name):
    return getattr(import_module("planlib.teach.course"), name)
