"""Reading YAML data files (the package's word lists and dictionaries) one way everywhere."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from .paths import PACKAGE_DATA


def read_yaml(path: str | os.PathLike) -> dict:
    """A UTF-8 YAML file, parsed safely; an empty file gives ``{}``."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def package_yaml(name: str) -> dict:
    """A YAML file of ``src/planlib/data`` by name.

    >>> [rule["total"] for rule in package_yaml("checks.yml")["sums"]][:1]
    ['compulsory_enrollment']
    """
    return read_yaml(PACKAGE_DATA / name)
