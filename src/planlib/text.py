"""Reading plan files: any common Chinese encoding and line ending gives the same lines.

Line numbers are 1-based and count ``\\n`` as ``sed -n`` does, so every row can cite
``source_file:line``. Nothing here guesses with libmagic (it calls a real plan a DOS
executable); we decode strictly and refuse what is not text.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .errors import PlanFileError

#: Tried in order after a BOM check. GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8", "gb18030")

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")

#: A plan names itself somewhere in its first lines: 规划 / 计划 / 纲要 / 方案 with 教育.
PLAN_HEADING = re.compile(r"(教育|学校|师资).{0,40}(规划|计划|纲要|方案)|(规划|计划|纲要|方案).{0,20}教育")


@dataclass(frozen=True)
class PlanText:
    """A decoded plan: its lines (without line ends) and what identifies the raw file."""

    path: Path
    text: str
    encoding: str
    sha256: str
    n_bytes: int
    lines: tuple[str, ...] = field(repr=False)

    @cached_property
    def source_file(self) -> str:
        """The file as cited in every table: relative to the project root when inside it."""
        from .paths import PROJECT_ROOT

        try:
            return self.path.resolve().relative_to(PROJECT_ROOT).as_posix()
        except ValueError:
            return self.path.as_posix()

    @cached_property
    def slug(self) -> str:
        """The file stem, used as the county key in every table (cached: every row asks)."""
        return self.path.stem

    def line(self, number: int) -> str:
        """Line ``number`` (1-based, as ``sed -n`` counts)."""
        return self.lines[number - 1]


def decode_bytes(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode plan bytes to text with normalised line ends; return (text, encoding).

    >>> decode_bytes("教育\\r\\n规划".encode("gb18030"))
    ('教育\\n规划', 'gb18030')
    >>> decode_bytes(b"\\xef\\xbb\\xbf2025\\r\\n")
    ('2025\\n', 'utf-8-sig')
    """
    if not raw.strip():
        raise PlanFileError(path, "the file is empty")
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in raw[:65536] and not utf16:
        raise PlanFileError(path, "the file is binary (it contains NUL bytes), not a plan text")
    text = encoding = None
    if raw.startswith(b"\xef\xbb\xbf"):
        text, encoding = _strict(raw[3:], "utf-8"), "utf-8-sig"
    elif utf16:
        text, encoding = _strict(raw, "utf-16"), "utf-16"
    else:
        for enc in ENCODINGS:
            text = _strict(raw, enc)
            if text is not None:
                encoding = enc
                break
    if text is None:
        raise PlanFileError(path, "cannot decode the file as UTF-8 or GB18030/GBK; is it a text file?")
    controls = len(CONTROL_CHARS.findall(text))
    if controls > max(8, len(text) // 200):
        raise PlanFileError(path, f"the file looks binary ({controls} control characters), not a plan text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def read_plan(path: str | Path) -> PlanText:
    """Read and decode one plan file; raise :class:`PlanFileError` naming it if unusable."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFileError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    text, encoding = decode_bytes(raw, path)
    lines = tuple(text.split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return PlanText(
        path=path,
        text=text,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        n_bytes=len(raw),
        lines=lines,
    )


def has_plan_heading(plan: PlanText, first_lines: int = 80) -> bool:
    """Whether the opening of the text names itself as an education plan."""
    head = "\n".join(plan.lines[:first_lines])
    return bool(PLAN_HEADING.search(head))
