"""One exception base, so callers can catch everything planlib raises on bad input."""
from __future__ import annotations

from pathlib import Path


class PlanlibError(Exception):
    """Base class for errors planlib reports to users (bad input, bad parameters)."""


class PlanFileError(PlanlibError):
    """A plan file that cannot be used; the message names the file and, where known, the line."""

    def __init__(self, path: str | Path, message: str, line: int | None = None):
        self.path = Path(path)
        self.line = line
        where = f"{self.path}" + (f":{line}" if line else "")
        super().__init__(f"{where}: {message}")


class SchemaError(PlanlibError):
    """A table that does not match its declared schema (a bug or a bad correction file)."""
