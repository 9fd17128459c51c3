"""Reading YAML data files (the package's word lists and dictionaries) one way everywhere."""
from __future__ import annotations

import os
from pathlib import Path

import yaml

from .paths import PACKAGE_DATA


# libyaml's parser when PyYAML was built with it (its wheels are): the same safe loading, ≈10× faster; every
# worker process reads the word lists and dictionaries at start, and a one-plan rebuild reads them in the driver
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | os.PathLike) -> dict:
    """A UTF-8 YAML file, parsed safely; an empty file gives ``{}``."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=SAFE_LOADER) or {}


def package_yaml(name: str) -> dict:
    """A YAML file of ``src/planlib/data`` by name.

    >>> [rule["total"] for rule in package_yaml("checks.yml")["sums"]][:1]
    ['compulsory_enrollment']
    """
    return read_yaml(PACKAGE_DATA / name)
