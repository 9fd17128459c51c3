"""`planlib add FILE`: copy a plan into data/raw and give it its row in data/raw/sources.csv.

The file is read first (any format :mod:`planlib.read.formats` reads; a broken, hostile or
unsupported file is refused as `build` would refuse it), and refused if its slug breaks the slug
rule, is taken by another plan, already has a row in sources.csv, or if the same bytes are already
in data/raw under another name. The copy keeps the original byte for byte, named
``<slug>.<suffix of its format>``. Both files are written under temporary names and renamed into
place; if the second rename fails, the first is undone: either both change or neither.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import secrets
from pathlib import Path

from ..errors import PlanlibError
from ..paths import RAW_DIR, check_slug, resolve

#: The columns of sources.csv, in order (the slug first).
SOURCE_COLUMNS = ("slug", "name_zh", "name_en", "province", "admin_level", "issuer", "title", "doc_number", "url",
                  "date_accessed")
#: The suffix a copy gets for each format (the original's own suffix is kept when it is one of these).
FORMAT_SUFFIXES = {"text": (".txt",), "html": (".html", ".htm"), "docx": (".docx",), "pdf": (".pdf",)}


def admin_levels() -> tuple[str, ...]:
    """The administrative levels sources.csv accepts: English ids and Chinese names (data/admin_levels.yml).

    >>> "county" in admin_levels() and "自治县" in admin_levels() and "town" not in admin_levels()
    True
    """
    from ..extract.metadata import admin_levels as accepted

    return tuple(accepted())


def add_plan(file: str | Path, raw_dir: str | Path | None = None, slug: str | None = None,
             fields: dict[str, str] | None = None) -> Path:
    """Copy ``file`` into ``raw_dir`` (default data/raw) as ``<slug>.<suffix>`` and add its sources.csv row.

    ``fields``: values for the other columns of sources.csv (name_zh, province, admin_level, url,
    date_accessed …). Returns the path of the copy; raises :class:`PlanlibError` and writes nothing
    on any problem.
    """
    from ..build.pipeline import plan_files
    from ..read.formats import read_any, sniff
    from ..read.text import read_bytes

    src = Path(file)
    raw = resolve(raw_dir, RAW_DIR)
    fields = {k: (v or "").strip() for k, v in (fields or {}).items() if v is not None}
    unknown = set(fields) - set(SOURCE_COLUMNS[1:])
    if unknown:
        raise PlanlibError(f"unknown sources.csv column(s): {', '.join(sorted(unknown))}")
    if not src.is_file():
        raise PlanlibError(f"{src}: no such file" if not src.exists() else f"{src}: is not a file")
    if not raw.is_dir():
        raise PlanlibError(f"{raw}: raw folder not found")
    slug = slug if slug is not None else src.stem
    try:
        check_slug(slug, f"{src} (slug {slug!r})")
    except PlanlibError as exc:
        raise PlanlibError(str(exc).replace("; rename the file", "; give another with --slug")) from None
    level = fields.get("admin_level", "")
    if level and level not in admin_levels():
        raise PlanlibError(f"--admin-level {level!r}: not one of {', '.join(admin_levels())}")
    for key, value in fields.items():
        if any(ch in value for ch in "\r\n\x00"):
            raise PlanlibError(f"--{key.replace('_', '-')}: a line break or NUL byte in {value!r}")
    data = read_bytes(src)
    fmt = sniff(data, src)
    read_any(src)  # the whole file read as build will read it: refused now, not at the next build
    suffix = src.suffix.lower() if src.suffix.lower() in FORMAT_SUFFIXES[fmt] else FORMAT_SUFFIXES[fmt][0]
    dest = raw / f"{slug}{suffix}"
    digest = hashlib.sha256(data).hexdigest()
    for p in plan_files(raw):
        if p.stem == slug:
            raise PlanlibError(f"{src}: the slug {slug!r} is taken by {p} (one slug, one plan); choose another "
                               "with --slug")
        if p.stat().st_size == len(data) and hashlib.sha256(p.read_bytes()).hexdigest() == digest:
            raise PlanlibError(f"{src}: the same content is already in {p}; not added twice")
    sources = raw / "sources.csv"
    text = _sources_text(sources)
    rows = list(csv.DictReader(io.StringIO(text)))
    if any((r.get("slug") or "").strip() == slug for r in rows):
        raise PlanlibError(f"{sources}: already has a row for {slug!r}; remove it or choose another --slug")
    header = next(csv.reader(io.StringIO(text)), None) if text.strip() else None
    if header is None:
        header = list(SOURCE_COLUMNS)
        text = ",".join(header) + "\n"
    missing = [c for c in fields if c not in header]
    if missing or "slug" not in header:
        raise PlanlibError(f"{sources}: has no column(s) {', '.join(missing or ['slug'])}; its header is "
                           f"{','.join(header)}")
    if not text.endswith("\n"):
        text += "\n"
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow([slug if c == "slug" else fields.get(c, "") for c in header])
    new_sources = (text + line.getvalue()).encode("utf-8")
    _write_pair(dest, data, sources, new_sources)
    return dest


def _sources_text(path: Path) -> str:
    if not path.exists():
        return ""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanlibError(f"{path}: not UTF-8 ({exc}); save it as UTF-8 first") from exc
    except OSError as exc:
        raise PlanlibError(f"{path}: cannot read ({exc.strerror or exc})") from exc


def _write_pair(dest: Path, data: bytes, sources: Path, sources_bytes: bytes) -> None:
    """Write both files under temporary names, then rename them in; undo the first if the second fails."""
    tag = secrets.token_hex(4)
    tmp_plan = dest.with_name(f".{dest.name}-{tag}.tmp")
    tmp_sources = sources.with_name(f".{sources.name}-{tag}.tmp")
    placed = False
    try:
        with open(tmp_plan, "xb") as f:
            f.write(data)
        with open(tmp_sources, "xb") as f:
            f.write(sources_bytes)
        if sources.exists():
            import shutil

            shutil.copymode(sources, tmp_sources)
        if dest.exists():
            raise PlanlibError(f"{dest}: appeared while adding; not overwritten")
        os.replace(tmp_plan, dest)
        placed = True
        os.replace(tmp_sources, sources)
    except BaseException as exc:
        if placed:
            dest.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise PlanlibError(f"{dest}: cannot add ({exc.strerror or exc})") from exc
        raise
    finally:
        for p in (tmp_plan, tmp_sources):
            if p.exists():
                p.unlink()
