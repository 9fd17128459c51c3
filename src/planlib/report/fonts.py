"""One openly licensed CJK font (Noto Sans SC, OFL) for figures and HTML, found by path, never by system lookup.

A fresh machine has no Chinese system font, so matplotlib would draw empty boxes and warn
"Glyph ... missing". We register the font shipped by the ``justmytype-intl-cjk`` wheel with
matplotlib, and embed a subset of the same file in HTML reports with ``@font-face``.
"""
from __future__ import annotations

import base64
import io
import os
import tempfile
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

FONT_PACKAGE = "justmytype_intl_cjk"
FONT_RELPATH = ("fonts", "ofl", "notosanssc", "NotoSansSC[wght].ttf")
FONT_FAMILY = "Noto Sans SC"
#: Latin fallback for the rare symbol the CJK font lacks; both ship with the venv.
FALLBACK_FAMILY = "DejaVu Sans"

#: Weight of the static instance we draw with: the variable font's default instance is Thin (100).
REGULAR_WEIGHT = 400

_registered = False


def variable_font_path() -> Path:
    """Path of NotoSansSC[wght].ttf inside the installed font package."""
    resource = files(FONT_PACKAGE).joinpath(*FONT_RELPATH)
    path = Path(str(resource))
    if not path.is_file():  # pragma: no cover - a broken install
        raise FileNotFoundError(f"{path}: CJK font missing; reinstall {FONT_PACKAGE.replace('_', '-')}")
    return path


def _cache_dir() -> Path:
    from ..paths import CACHE_DIR

    for folder in (CACHE_DIR / "fonts", Path(tempfile.gettempdir()) / "planlib-fonts"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK):
                return folder
        except OSError:
            continue
    raise OSError("no writable folder for the font cache")  # pragma: no cover


def font_path() -> Path:
    """A static Regular instance of the variable font, made once per machine (about 20 s) and cached.

    matplotlib (FreeType through FT2Font) can only draw a variable font's default instance,
    which for Noto Sans SC is Thin: too faint to read or print. fontTools pins the weight axis.
    """
    source = variable_font_path()
    stat = source.stat()
    target = _cache_dir() / f"NotoSansSC-w{REGULAR_WEIGHT}-{stat.st_size}.ttf"
    if target.is_file():
        return target
    from filelock import FileLock

    with FileLock(str(target.with_suffix(".lock"))):  # parallel workers: one builds, the others wait
        if not target.is_file():
            from fontTools.ttLib import TTFont
            from fontTools.varLib import instancer

            static = instancer.instantiateVariableFont(TTFont(str(source)), {"wght": REGULAR_WEIGHT},
                                                       updateFontNames=False)
            static["OS/2"].usWeightClass = REGULAR_WEIGHT
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            static.save(str(tmp))
            os.replace(tmp, target)
    return target


def setup_fonts() -> str:
    """Register the CJK font with matplotlib and make it the default; idempotent.

    Call it again after ``seaborn.set_theme`` (which resets ``font.family``).
    Returns the family name.
    """
    global _registered
    import matplotlib as mpl
    from matplotlib import font_manager

    if not _registered:
        font_manager.fontManager.addfont(str(font_path()))
        _registered = True
    mpl.rcParams["font.family"] = ["sans-serif"]
    mpl.rcParams["font.sans-serif"] = [FONT_FAMILY, FALLBACK_FAMILY]
    mpl.rcParams["axes.unicode_minus"] = False  # U+2212 is fine in Noto, but ASCII '-' copies cleanly
    return FONT_FAMILY


def use_style() -> str:
    """The report look: seaborn's whitegrid theme, then the CJK font (set_theme resets fonts)."""
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    return setup_fonts()


def _subset(source, chars: str, *, unhinted: bool = False) -> bytes:
    """``source`` (a path or TrueType bytes) cut down to ``chars``.

    ``unhinted``: the source has no hinting left to drop (a font this function made), so its glyphs are copied
    as they are instead of each being decompiled to strip instructions and compiled again (most of a page's
    subsetting time).
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    # the font-wide bounds (head, hhea, maxp) are kept as the whole font has them, not recalculated from the
    # glyphs kept: valid for any subset, the same bytes whether cut from the font or from a subset of it, and
    # no glyph is decompiled and compiled again to measure it
    font = TTFont(str(source) if isinstance(source, Path) else io.BytesIO(source), lazy=True, recalcBBoxes=False)
    options = subset.Options()
    # plain horizontal Chinese needs no OpenType layout; dropping it keeps the subset fast (~0.5 s)
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx"]
    options.hinting = unhinted  # True keeps (here: no) instructions, without rewriting every glyph
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


#: [characters, font cut down to them] once :func:`prime_subsets` was called: a batch cuts each page's subset
#: from this small font instead of the whole (tens of thousands of glyphs): the same bytes, a third of the CPU.
_BASE: list = [frozenset(), b""]


def prime_subsets(text: str) -> None:
    """Cut later subsets from a font of the characters in ``text`` (e.g. every string of the tables).

    A page with a character outside it widens it (once per new character set), so every subset still holds
    every character its page shows.
    """
    chars = frozenset(text) | frozenset(_ASCII)
    if not chars <= _BASE[0]:
        chars |= _BASE[0]
        _BASE[:] = [chars, _subset(font_path(), "".join(sorted(chars)))]


@lru_cache(maxsize=8)
def _subset_ttf(chars: str) -> bytes:
    if _BASE[1]:
        if not frozenset(chars) <= _BASE[0]:
            prime_subsets(chars)
        # a subset of a subset that holds them all: the same glyphs, the same bytes
        return _subset(_BASE[1], chars, unhinted=True)
    return _subset(font_path(), chars)


_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))


def subset_font(text: str) -> bytes:
    """TrueType bytes of the CJK font cut down to the characters in ``text`` (plus printable ASCII)."""
    chars = "".join(sorted(set(text) | set(_ASCII)))
    return _subset_ttf(chars)


def font_face_css(text: str, family: str = FONT_FAMILY) -> str:
    """An ``@font-face`` rule embedding the subset font as a data URI, so any browser shows the Chinese in ``text``."""
    data = base64.b64encode(subset_font(text)).decode("ascii")
    return (
        "@font-face {\n"
        f"  font-family: '{family}';\n"
        f"  src: url(data:font/ttf;base64,{data}) format('truetype');\n"
        "  font-weight: 100 900;\n"
        "  font-display: block;\n"
        "}\n"
    )
