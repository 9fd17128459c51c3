"""Which reader a plan file needs, decided by its content (never its suffix), and the one entry point.

:func:`sniff` looks at the first bytes: ``%PDF-`` is a PDF, a zip holding ``word/document.xml`` a
Word .docx, markup that opens with ``<!DOCTYPE html``, ``<html`` or another HTML tag a web page;
other formats that are recognisably something else (an old Word .doc or an encrypted Office file,
RTF, an Excel or OpenDocument file, an image …) are refused naming what they are; anything else is
read as a plan text (:func:`planlib.read.text.plan_from_bytes`, which refuses binary data).

A reader takes ``(path, raw bytes)`` and returns a :class:`planlib.read.derived.Derived`;
:data:`READERS` maps a format to its reader, so another format (the PDF reader) plugs in with
one assignment: ``READERS["pdf"] = read_pdf``.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..errors import PlanFileError
from .derived import Derived
from .text import PlanText, plan_from_bytes, read_bytes

#: The suffixes of the formats planlib reads (what `planlib add` and the README name).
SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div"
                         rb"|table|p|h[1-6]|span|br|article|section)[\s>/]", re.I | re.S)
#: Magic numbers of formats that are not plans, and what to call them.
_OTHER = ((b"{\\rtf", "an RTF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
          (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
          (b"Rar!", "a RAR archive"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"\x1f\x8b", "a gzip archive"),
          (b"BM", None))  # BM: too short to be sure; left to the text reader


def _read_pdf(path: Path, raw: bytes) -> Derived:
    """A text-layer PDF (:mod:`planlib.read.pdf`): the body's lines, each with its page and table cell.

    Running heads and page numbers stay out of the derived text (a "— 1 —" between two rows of a table
    split over pages would be read as a cell); the rows' ``page`` still says where each line stood.
    """
    from .derived import LineMeta
    from .pdf import pdf_text, read_pdf

    body = pdf_text(read_pdf(path)).body
    meta = tuple(LineMeta(page=ln.page, table=None if ln.cell is None else f"tbl{ln.cell[0]}",
                          row=None if ln.cell is None else ln.cell[1] + 1,
                          col=None if ln.cell is None else ln.cell[2] + 1) for ln in body)
    return Derived(tuple(ln.text for ln in body), meta, "pdf", "PDF text layer")


def _read_html(path: Path, raw: bytes) -> Derived:
    from .htmlfile import read_html

    return read_html(path, raw)


def _read_docx(path: Path, raw: bytes) -> Derived:
    from .docxfile import read_docx

    return read_docx(path, raw)


#: format -> reader(path, raw bytes) -> Derived. The PDF entry is the one place a PDF reader replaces.
READERS: dict[str, Callable[[Path, bytes], Derived]] = {"html": _read_html, "docx": _read_docx, "pdf": _read_pdf}


def sniff(raw: bytes, path: str | Path = "<bytes>") -> str:
    """The format of a file's bytes: 'text', 'html', 'docx' or 'pdf'; PlanFileError for a known other format.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"<!DOCTYPE html><html>"), sniff("规划".encode())
    ('pdf', 'html', 'text')
    """
    head = raw[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if raw.startswith(_OLE):
        raise PlanFileError(path, "an OLE compound file: an encrypted (password-protected) Word or Office file, "
                            "or an old Word .doc / Excel .xls; planlib reads .docx without a password: "
                            "open it in Word and save it as .docx")
    if raw.startswith(b"PK\x03\x04") or raw.startswith(b"PK\x05\x06"):
        return _zip_kind(raw, path)
    for magic, name in _OTHER:
        if name and raw.startswith(magic):
            raise PlanFileError(path, f"{name}, not a format planlib reads (text, HTML, Word .docx, PDF)")
    probe = _ascii_probe(raw[:4096])
    if _HTML_START.match(probe):
        return "html"
    return "text"


def _ascii_probe(head: bytes) -> bytes:
    """The opening as bytes in which ASCII markup can be matched, whatever the encoding (BOMs, UTF-16)."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom):].decode(enc, "ignore").encode("ascii", "ignore")
    if head[:2].count(0) == 1 and len(head) > 8:  # UTF-16 without BOM: '<\0' or '\0<'
        enc = "utf-16-le" if head[1] == 0 else "utf-16-be"
        return head.decode(enc, "ignore").encode("ascii", "ignore")
    return head


def _zip_kind(raw: bytes, path) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PlanFileError(path, f"a broken zip file (a damaged or incomplete Word .docx?): {exc}") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise PlanFileError(path, "an Excel workbook (.xlsx), not a format planlib reads (text, HTML, Word .docx, PDF)")
    if "ppt/presentation.xml" in names:
        raise PlanFileError(path, "a PowerPoint file (.pptx), not a format planlib reads (text, HTML, Word .docx, PDF)")
    if "mimetype" in names:
        raise PlanFileError(path, "an OpenDocument or EPUB file, not a format planlib reads; save it as Word .docx")
    raise PlanFileError(path, "a zip archive that is not a Word .docx (it has no word/document.xml); "
                        "unpack it and add the plan itself")


def read_any(path: str | Path, text_dir: str | Path | None = None, text_path: str | Path | None = None) -> PlanText:
    """Read a plan file of any supported format into a :class:`PlanText`.

    A plan text is read as before. Any other format is read by its reader, and the PlanText holds
    the derived lines, their metadata and the original's sha256 and size; ``text_dir`` is the
    folder the derived text will be written to (as ``<slug>.txt``), so that rows can name it;
    ``text_path`` names the file itself instead.
    """
    path = Path(path)
    raw = read_bytes(path)
    fmt = sniff(raw, path)
    if fmt == "text":
        return plan_from_bytes(path, raw)
    derived = READERS[fmt](path, raw)
    if text_path is None and text_dir is not None:
        text_path = Path(text_dir) / f"{path.stem}.txt"
    return plan_from_derived(path, raw, derived, Path(text_path) if text_path is not None else None)


def plan_from_derived(path: Path, raw: bytes, derived: Derived, text_path: Path | None) -> PlanText:
    """The PlanText of a derived text: its lines and metadata, the original's identity (sha256, size)."""
    import hashlib

    from .script import simplified_if_traditional
    from .text import _split_lines

    if not any(line.strip() for line in derived.lines):
        raise PlanFileError(path, f"no text in this {derived.format.upper()} file (nothing to read)")
    simplified = simplified_if_traditional(derived.text)  # a traditional-script page is matched as simplified
    return PlanText(path=path, text=derived.text if simplified is None else simplified, encoding=derived.encoding,
                    sha256=hashlib.sha256(raw).hexdigest(), n_bytes=len(raw),
                    lines=tuple(derived.lines) if simplified is None else _split_lines(simplified),
                    script="simplified" if simplified is None else "traditional",
                    original_text=None if simplified is None else derived.text,
                    format=derived.format, meta=tuple(derived.meta), text_path=text_path)
