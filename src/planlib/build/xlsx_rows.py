"""The <row> elements of a one-sheet workbook, built column by column with Arrow, in the very bytes
XlsxWriter (``constant_memory``) writes one cell at a time: ≈3 µs a cell there, a fraction of that here.

XlsxWriter's rules reproduced (worksheet.py ``_write_single_row``/``_write_cell``, xmlwriter.py):
a row ``<row r="N">`` (no spans in constant_memory mode), rows without a cell left out; a string
``<c r="A2" t="inlineStr"><is><t>…</t></is></c>`` with ``& < >`` escaped and ``xml:space="preserve"``
when its first or last character is whitespace (``str.isspace``); a number ``<c r="B2"><v>…</v></c>``
formatted by ``f"{n:.16G}"`` itself (on the distinct values of the column); a boolean
``<c r="C2" t="b"><v>1</v></c>``; a missing value or "" no cell. Anything else — a control character,
a ``_xHHHH_`` sequence, U+FFFE/U+FFFF, a ``<r>…</r>`` rich string, a string long enough for XlsxWriter
to measure it in UTF-16 units, NaN or inf, a dtype not listed, an XlsxWriter other than 3.x — makes
:func:`row_xml` return None, and the caller writes the table cell by cell.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Characters Python's ``\\s`` (``str.isspace``) matches: XlsxWriter's test for ``xml:space="preserve"``.
#: Written out (listing them from all of Unicode cost ≈0.15 s at every import); a test compares the list with
#: ``str.isspace`` over every code point of the running Python.
_SPACES = list("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
#: What XlsxWriter rewrites as ``_xHHHH_`` (or whose ``_xHHHH_`` it escapes): left to the per-cell path.
_UNHANDLED = r"[\x00-\x08\x0b-\x1f\x{FFFE}\x{FFFF}]|_x[0-9a-fA-F]{4}_"
#: Above this many characters XlsxWriter measures a string in UTF-16 units (and may cut it).
_LONGEST = 32767 // 2


def supported_xlsxwriter() -> bool:
    """True for the XlsxWriter whose cell XML this module reproduces (3.x; the tests compare bytes)."""
    import xlsxwriter

    return xlsxwriter.__version__.split(".")[0] == "3"


def column_letters(j: int) -> str:
    """Excel's letters of the 0-based column ``j`` (0 -> A, 26 -> AA)."""
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _join(*parts, **options):
    """``binary_join_element_wise`` of large strings, Python strings taken as large-string scalars."""
    import pyarrow as pa
    import pyarrow.compute as pc

    parts = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*parts, pa.scalar("", pa.large_string()), **options)


#: UTF-8 bytes of the control characters XlsxWriter rewrites as _xHHHH_ (tab and line feed are kept).
_CONTROL_BYTES = np.zeros(256, dtype=bool)
_CONTROL_BYTES[[*range(0x00, 0x09), *range(0x0B, 0x20)]] = True


def _unhandled(v, pa, pc) -> bool:
    """True if a value of the large-string array ``v`` holds what XlsxWriter rewrites (see ``_UNHANDLED``):
    a byte test on the whole data buffer first (a byte below 0x20 is always that character in UTF-8),
    the regular expression only where ``_x``, U+FFFE or U+FFFF occur."""
    data = v.buffers()[2]
    if data is not None and _CONTROL_BYTES[np.frombuffer(data, dtype=np.uint8)].any():
        return True  # (bytes of the buffer outside ``v``'s values only send a table to the per-cell path)
    for needle in ("_x", "\ufffe", "\uffff"):
        if pc.any(pc.match_substring(v, needle)).as_py():
            return bool(pc.any(pc.match_substring_regex(v, _UNHANDLED)).as_py())
    return False


def _string_cells(s: pd.Series, ref: tuple, pa, pc):
    """Inline-string cells of a text column (None if a value needs XlsxWriter's own handling)."""
    try:
        v = pa.array(s, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError):
        return None
    if isinstance(v, pa.ChunkedArray):  # an Arrow-backed column of a concatenated frame
        v = v.combine_chunks()
    if pa.types.is_null(v.type):
        return pa.nulls(len(s), pa.large_string())
    if not (pa.types.is_string(v.type) or pa.types.is_large_string(v.type)):
        return None
    v = v.cast(pa.large_string())
    v = pc.if_else(pc.equal(v, ""), pa.scalar(None, pa.large_string()), v)  # "" is an empty cell
    if v.null_count == len(v):
        return v
    if pc.max(pc.utf8_length(v)).as_py() > _LONGEST:
        return None
    if _unhandled(v, pa, pc):
        return None
    if pc.any(pc.and_(pc.starts_with(v, "<r>"), pc.ends_with(v, "</r>"))).as_py():
        return None
    spaces = pa.array(_SPACES, pa.large_string())
    preserve = pc.or_(pc.is_in(pc.utf8_slice_codeunits(v, 0, 1), value_set=spaces),
                      pc.is_in(pc.utf8_slice_codeunits(v, -1), value_set=spaces))
    if any(pc.any(pc.match_substring(v, c)).as_py() for c in "&<>"):
        v = pc.replace_substring(v, "&", "&amp;")
        v = pc.replace_substring(v, "<", "&lt;")
        v = pc.replace_substring(v, ">", "&gt;")
    t = pc.if_else(preserve, ' xml:space="preserve">', ">")
    return _join(*ref, '" t="inlineStr"><is><t', t.cast(pa.large_string()), v, "</t></is></c>")


def _number_cells(s: pd.Series, ref, pa, pc):
    """Number cells: each distinct value formatted as XlsxWriter does (None for NaN, inf, odd dtypes)."""
    kind = np.dtype(s.dtype.numpy_dtype if hasattr(s.dtype, "numpy_dtype") else s.dtype).kind
    if kind not in "iuf":
        return None
    missing = s.isna().to_numpy(dtype=bool)
    values = np.ascontiguousarray(s[~missing].to_numpy())
    if kind == "f" and not np.isfinite(values).all():
        return None  # NaN that is not NA, or inf: the per-cell path decides (raises, or writes text)
    if kind == "f":  # distinct bit patterns: 0.0 and -0.0 are equal but written "0" and "-0"
        bits = np.dtype(f"i{values.dtype.itemsize}")
        keys, which = np.unique(values.view(bits), return_inverse=True)
        distinct = keys.view(values.dtype)
    else:
        distinct, which = np.unique(values, return_inverse=True)
    text = pa.array([f"{n:.16G}" for n in distinct.tolist()], pa.large_string())
    full = np.zeros(len(s), dtype=np.int64)
    full[~missing] = which.reshape(-1)
    v = pc.take(text, pa.array(full, mask=missing))
    return _join(*ref, '"><v>', v, "</v></c>")


def _bool_cells(s: pd.Series, ref, pa, pc):
    missing = s.isna().to_numpy(dtype=bool)
    value = pa.array(s.fillna(False).to_numpy(dtype=bool), mask=missing)
    v = pc.if_else(value, "1", "0").cast(pa.large_string())
    return _join(*ref, '" t="b"><v>', v, "</v></c>")


def row_xml(df: pd.DataFrame) -> tuple[memoryview | bytes, int] | None:
    """The data rows (sheet row 2 on) of ``df`` as XlsxWriter writes them, all but the last row that has
    a cell, joined (a view of an Arrow buffer, not copied); and that last row's position in ``df`` (-1 if no row has a cell, then the bytes are
    empty). None if a value is outside the rules in this module's docstring.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not supported_xlsxwriter() or df.shape[1] == 0:
        return None
    n = len(df)
    rownum = pa.array(np.arange(2, n + 2, dtype=np.int64)).cast(pa.large_string())
    cells = []
    for j in range(df.shape[1]):
        s = df.iloc[:, j]
        ref = (f'<c r="{column_letters(j)}', rownum)  # the cell's reference, e.g. <c r="B17
        if pd.api.types.is_bool_dtype(s.dtype):
            c = _bool_cells(s, ref, pa, pc)
        elif pd.api.types.is_numeric_dtype(s.dtype):
            c = _number_cells(s, ref, pa, pc)
        elif isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            c = _string_cells(s, ref, pa, pc)
        else:
            c = None
        if c is None:
            return None
        cells.append(c.cast(pa.large_string()))
    has_cell = np.zeros(n, dtype=bool)
    for c in cells:
        has_cell |= c.is_valid().to_numpy(zero_copy_only=False)
    kept = np.flatnonzero(has_cell)
    if len(kept) == 0:
        return b"", -1
    middle = pa.array(has_cell)
    middle = pc.and_(middle, pa.array(np.arange(n) < kept[-1]))
    rows = _join(_join('<row r="', rownum, '">'), *cells, "</row>",
                 null_handling="replace", null_replacement="")
    del cells
    rows = rows.filter(middle)
    if len(rows) == 0:
        return b"", int(kept[-1])
    if isinstance(rows, pa.ChunkedArray):
        rows = rows.combine_chunks()
    # no nulls: the rows' characters lie one after another in the data buffer
    offsets = np.frombuffer(rows.buffers()[1], dtype=np.int64)[rows.offset: rows.offset + len(rows) + 1]
    data = rows.buffers()[2]
    return memoryview(data)[int(offsets[0]): int(offsets[-1])], int(kept[-1])
