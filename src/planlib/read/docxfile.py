"""A Word .docx as a plan: paragraphs in order (with their heading styles), tables as grids with merged cells.

Read with python-docx (which parses with entity resolution off). Before that, the zip is checked
from its directory alone, nothing unpacked: no more than :data:`MAX_MEMBERS` members, the XML parts
together no larger than the text size limit (:data:`planlib.read.text.MAX_PLAN_BYTES`, so a zip bomb
is refused before it expands), and no XML part declaring a DTD (entity definitions: a real .docx
never has one). An encrypted .docx is not a zip at all (an OLE file): :func:`planlib.read.formats.sniff`
refuses it. Headers and footers are separate parts of a .docx and are not read (page furniture).
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import PlanFileError
from .derived import Builder, Derived, LineMeta, clean_cell, expand_grid

MAX_MEMBERS = 10_000
_DTD = (b"<!DOCTYPE", b"<!ENTITY")


def check_zip(path: Path, raw: bytes, limit: int | None = None) -> None:
    """Refuse a .docx whose zip directory shows a bomb, too many members or a DTD in an XML part.

    ``limit``: the most the XML parts may unpack to (default: the text size limit)."""
    from . import text

    limit = text.MAX_PLAN_BYTES if limit is None else limit
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
            if len(infos) > MAX_MEMBERS:
                raise PlanFileError(path, f"the .docx holds {len(infos):,} files (more than {MAX_MEMBERS:,}); not read")
            xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
            size = sum(i.file_size for i in xml)
            if size > limit:
                raise PlanFileError(path, f"the .docx's text parts unpack to {size / 1e6:.1f} MB, over the "
                                    f"{limit / 1e6:g} MB limit for a plan text ({size:,} > {limit:,} bytes); "
                                    "not unpacked (a zip bomb?)")
            if any(i.flag_bits & 0x1 for i in infos):
                raise PlanFileError(path, "the .docx is encrypted (zip encryption); save it without a password")
            for info in xml:
                with z.open(info) as f:
                    data = f.read(limit + 1)
                if any(marker in data for marker in _DTD):
                    raise PlanFileError(path, f"{info.filename} in the .docx declares a DTD or entities "
                                        "(never in a Word file; XML entity expansion is refused)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise PlanFileError(path, f"a broken .docx (the zip cannot be read: {exc})") from exc


def read_docx(path: Path, raw: bytes) -> Derived:
    """The derived text of a Word file (see the module docstring)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    check_zip(path, raw)
    try:
        document = docx.Document(io.BytesIO(raw))
        items = list(document.iter_inner_content())
    except PlanFileError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise PlanFileError(path, f"a broken .docx ({type(exc).__name__}: {exc})") from exc
    out = Builder()
    levels = _heading_levels(document)
    for item in items:
        if isinstance(item, Paragraph):
            out.add(item.text, LineMeta(heading=levels.get(item._p.style)))
        elif isinstance(item, Table):
            _table(out, item, path)
    return out.derived("docx", "Word .docx")


def _heading_levels(document) -> dict[str, int]:
    """Style id -> heading level (Title 0, Heading 1 → 1 …), read from the names of the document's styles
    (a Chinese Word names its heading styles 'heading 1' too, with ids such as '1')."""
    import re

    levels = {}
    for style in document.styles:
        name = (style.name or "").strip().lower()
        m = re.fullmatch(r"heading\s*(\d)", name)
        if m:
            levels[style.style_id] = int(m.group(1))
        elif name == "title":
            levels[style.style_id] = 0
    return levels


def _table(out: Builder, table, path) -> None:
    """A Word table as a grid: python-docx repeats a merged cell in every slot it covers."""
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            cells.append((clean_cell(cell.text), cell._tc))
        rows.append(cells)
    if sum(len(r) for r in rows) > 200_000:
        raise PlanFileError(path, "a table of more than 200,000 cells; not a plan's table")
    # python-docx gives the full grid already; expand_grid only pads short rows
    grid = expand_grid([[(t, 1, 1, o) for t, o in r] for r in rows], path)
    out.table(grid)
