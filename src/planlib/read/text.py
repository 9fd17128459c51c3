"""Reading plan files: any common Chinese encoding and line ending gives the same lines.

Line numbers are 1-based and count ``\\n`` as ``sed -n`` does, so every row can cite
``source_file:line``. Nothing here guesses with libmagic (it calls a real plan a DOS
executable); we decode strictly and refuse what is not text. Without a byte-order mark the
encoding is decided by evidence — which strict decodings succeed, how many of their characters
are common ones, which plan words they read (data/encoding_evidence.yml) — and bytes two
encodings read equally well are refused, naming both, rather than guessed.
"""
from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path

from ..errors import PlanFileError

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f]")

#: Encodings a plan may come in without a byte-order mark. Each is decoded strictly and judged by
#: the share of common characters and the plan words it reads (never first-come first-served).
#: GB18030 reads GBK and GB2312 too; Big5-HKSCS is tried only where plain Big5 fails.
CANDIDATES = ("utf-8", "gb18030", "big5", "big5hkscs", "utf-16-le", "utf-16-be")
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "gb18030": "GB18030/GBK", "big5": "Big5",
                  "big5hkscs": "Big5-HKSCS", "utf-16": "UTF-16", "utf-16-le": "UTF-16 LE without BOM",
                  "utf-16-be": "UTF-16 BE without BOM"}
#: A reading is plausible when at least this share of its non-ASCII characters is common.
MIN_COMMON_SHARE = 0.8
#: With this many non-ASCII characters, a plausible strict UTF-8 reading is taken without looking
#: further: a text in another encoding is valid UTF-8 by chance only when it is a few bytes long.
SURE_UTF8_CHARS = 64
SURE_UTF8_SAMPLE = 2048  # characters of the opening judged for that
#: The characters judged per reading (a plan's opening says enough; the whole file is still decoded).
SAMPLE_CHARS = 200_000
#: A larger file is refused before it is read whole: a plan is well under 1 MB.
MAX_PLAN_BYTES = 50_000_000

#: A plan names itself somewhere in its first lines: 规划 / 计划 / 纲要 / 方案 with 教育.
PLAN_HEADING = re.compile(r"(教育|学校|师资).{0,40}(规划|计划|纲要|方案)|(规划|计划|纲要|方案).{0,20}教育")


@dataclass(frozen=True)
class PlanText:
    """A decoded plan: its lines (without line ends) and what identifies the raw file.

    ``text`` and ``lines`` are what planlib matches on: the file's text, or for a plan in traditional
    script its conversion to simplified characters (:mod:`planlib.read.script`; same length line by
    line, so every offset is one in the file too). ``original_lines`` are the file's own lines, the ones
    ``sed -n`` shows and every ``quote`` is taken from.
    """

    path: Path
    text: str
    encoding: str
    sha256: str
    n_bytes: int
    lines: tuple[str, ...] = field(repr=False)
    script: str = "simplified"  # 'traditional': text and lines are the conversion of original_text
    original_text: str | None = field(default=None, repr=False)  # the decoded file when text is a conversion

    @cached_property
    def original_lines(self) -> tuple[str, ...]:
        """The file's own lines (the same as ``lines`` unless the plan is in traditional script)."""
        return self.lines if self.original_text is None else _split_lines(self.original_text)

    #: 'text' for a plan text; else the format the lines were derived from ('html', 'docx', 'pdf')
    format: str = "text"
    #: for a derived text: one :class:`planlib.read.derived.LineMeta` per line (page, furniture, table cell)
    meta: tuple = field(default=(), repr=False)
    #: for a derived text: where it is (or will be) written; None while it is only in memory
    text_path: Path | None = None

    @cached_property
    def text_file(self) -> str:
        """The text that ``line``, ``char_start`` and ``quote`` refer to: the file itself for a plan text,
        else the derived text (relative to the project root when inside it; '' while only in memory)."""
        if self.format == "text":
            return self.source_file
        if self.text_path is None:
            return ""
        return _cited(self.text_path)

    @cached_property
    def furniture_marks(self) -> dict[int, str]:
        """Line -> furniture kind the reader marked (page chrome of a web page, PDF running heads)."""
        return {n: m.furniture for n, m in enumerate(self.meta, 1) if m.furniture}

    @cached_property
    def source_file(self) -> str:
        """The file as cited in every table: relative to the project root when inside it."""
        return _cited(self.path)

    @cached_property
    def slug(self) -> str:
        """The file stem, used as the county key in every table (cached: every row asks)."""
        return self.path.stem

    def line(self, number: int) -> str:
        """Line ``number`` (1-based, as ``sed -n`` counts)."""
        return self.lines[number - 1]


def _cited(path: Path) -> str:
    """A file as tables cite it: relative to the project root when inside it."""
    from ..paths import PROJECT_ROOT

    try:
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return path.as_posix()


@dataclass(frozen=True)
class _Reading:
    """One strict decoding of the bytes and the evidence that it is the right one."""

    encoding: str
    text: str
    share: float  # common characters among the non-ASCII ones of the sample (1.0 if none)
    words: int  # plan words found in the sample
    non_ascii: int

    @property
    def plausible(self) -> bool:
        return self.share >= MIN_COMMON_SHARE

    def describe(self) -> str:
        return f"{ENCODING_NAMES[self.encoding]} ({self.share:.0%} common characters, {self.words} plan words)"


@lru_cache(maxsize=1)
def _evidence() -> tuple[re.Pattern, tuple[str, ...]]:
    """The common characters and plan words of data/encoding_evidence.yml, compiled once."""
    from ..datafiles import package_yaml

    raw = package_yaml("encoding_evidence.yml")
    common = "".join(sorted(set("".join(raw["common_simplified"]) + "".join(raw["common_traditional"])
                                + raw["common_marks"])))
    return re.compile("[" + re.escape(common) + "]+"), tuple(raw["plan_words_simplified"] + raw["plan_words_traditional"])


def codec_common_characters() -> dict[str, str]:
    """The common characters of data/encoding_evidence.yml, as Python's codecs define them.

    Simplified: GB2312 level 1 (bytes B0A1–D7F9), the 3,755 characters of everyday text.
    Traditional: Big5's frequently used characters (bytes A440–C67E), 5,401 of them.
    (Kept as data so the evidence is visible and reviewable; a test checks the two agree.)
    """
    def decoded(encoding: str, leads, trails) -> str:
        out = []
        for lead in leads:
            for trail in trails:
                ch = _strict(bytes([lead, trail]), encoding)
                if ch is not None and len(ch) == 1:
                    out.append(ch)
        return "".join(out)

    big5_trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    return {"common_simplified": decoded("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)),
            "common_traditional": decoded("big5", range(0xA4, 0xC6), big5_trails)
            + decoded("big5", [0xC6], range(0x40, 0x7F))}


def _reading(text: str, encoding: str, sample_chars: int = SAMPLE_CHARS, words: bool = True) -> _Reading:
    common, plan_words = _evidence()
    sample = text[:sample_chars]
    non_ascii = len(sample) - len(sample.encode("ascii", "ignore"))
    share = (len(sample) - len(common.sub("", sample))) / non_ascii if non_ascii else 1.0
    found = sum(sample.count(w) for w in plan_words) if non_ascii and words else 0
    return _Reading(encoding, text, share, found, non_ascii)


def decode_bytes(raw: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode plan bytes to text with normalised line ends; return (text, encoding).

    A byte-order mark decides; otherwise every candidate encoding that decodes the bytes strictly
    is judged by evidence (common characters, plan words), and two plausible readings that the
    evidence cannot tell apart are refused, naming both.

    >>> decode_bytes("教育\\r\\n规划".encode("gb18030"))
    ('教育\\n规划', 'gb18030')
    >>> decode_bytes("教育事業發展規劃".encode("big5"))
    ('教育事業發展規劃', 'big5')
    >>> decode_bytes(b"\\xef\\xbb\\xbf2025\\r\\n")
    ('2025\\n', 'utf-8-sig')
    """
    if not raw.strip():
        raise PlanFileError(path, "the file is empty")
    if raw.startswith(b"\xef\xbb\xbf"):
        _refuse_nul(raw, path)
        text, encoding = _strict(raw[3:], "utf-8"), "utf-8-sig"
        if text is None:
            raise PlanFileError(path, "the file starts with a UTF-8 byte-order mark but is not valid UTF-8")
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = _strict(raw, "utf-16"), "utf-16"
        if text is None:
            raise PlanFileError(path, "the file starts with a UTF-16 byte-order mark but does not decode as UTF-16")
    else:
        text, encoding = _detect(raw, path)
    controls = len(CONTROL_CHARS.findall(text))
    if controls > max(8, len(text) // 200):
        raise PlanFileError(path, f"the file looks binary ({controls} control characters), not a plan text")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def _refuse_nul(raw: bytes, path) -> None:
    """A NUL byte anywhere is no text, unless the file is UTF-16 (decided before this is asked)."""
    if b"\x00" in raw:
        raise PlanFileError(path, f"the file is binary (it contains NUL bytes, the first at byte {raw.index(0)}), "
                            "not a plan text")


def _detect(raw: bytes, path) -> tuple[str, str]:
    """The encoding of bytes without a byte-order mark, by evidence; PlanFileError when unclear."""
    has_nul = b"\x00" in raw
    if not has_nul:
        text = _strict(raw, "utf-8")
        if text is not None:
            if text.isascii():
                return text, "utf-8"  # every candidate but UTF-16 reads ASCII the same
            utf8 = _reading(text, "utf-8", SURE_UTF8_SAMPLE, words=False)
            if utf8.plausible and utf8.non_ascii >= SURE_UTF8_CHARS:
                return text, "utf-8"
    readings: list[_Reading] = []
    for enc in CANDIDATES:
        if has_nul and not enc.startswith("utf-16"):
            continue  # NUL is a character of UTF-16 text only
        if enc == "big5hkscs" and any(r.encoding == "big5" for r in readings):
            continue  # HKSCS extends Big5: where Big5 reads the bytes, it reads them the same
        text = _strict(raw, enc)
        if text is not None:
            reading = _reading(text, enc)
            if not reading.plausible and enc != "utf-8":
                reading = replace(reading, text="")  # only its evidence is needed: free the memory
            readings.append(reading)
    plausible = sorted((r for r in readings if r.plausible), key=lambda r: (r.words, r.share), reverse=True)
    if len(plausible) == 1:
        return plausible[0].text, plausible[0].encoding
    if len(plausible) > 1:
        best, second = plausible[:2]
        if best.words > second.words or best.share - second.share >= 0.1:
            return best.text, best.encoding
        others = [r.describe() for r in readings if r is not best and r is not second
                  and (r.plausible or r.encoding == "utf-8")]  # UTF-8 is named as valid, however it reads
        raise PlanFileError(path, f"cannot tell the encoding: the bytes read as {best.describe()} and as "
                            f"{second.describe()}" + (f" (and as {', '.join(others)})" if others else "")
                            + "; save the file as UTF-8 with a byte-order mark")
    utf8 = next((r for r in readings if r.encoding == "utf-8"), None)
    if utf8 is not None:
        return utf8.text, "utf-8"  # valid UTF-8 with little Chinese: the plan checks judge it
    if has_nul:
        side = _utf16_side(raw)
        if side:
            raise PlanFileError(path, f"the file looks like UTF-16 {side} without a byte-order mark but does not "
                                "read as Chinese text; save it as UTF-8")
        _refuse_nul(raw, path)
    if readings:
        raise PlanFileError(path, "cannot tell the encoding: no reading looks like Chinese text ("
                            + "; ".join(r.describe() for r in readings) + "); save the file as UTF-8")
    raise PlanFileError(path, "cannot decode the file as UTF-8, GB18030/GBK, Big5 or UTF-16; is it a text file?")


def _utf16_side(raw: bytes) -> str | None:
    """'LE' or 'BE' when the NUL bytes sit at odd or even offsets as in UTF-16 text with ASCII, else None."""
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    if len(raw) % 2 or even + odd < len(raw) // 20:
        return None
    return "LE" if odd >= 9 * even else "BE" if even >= 9 * odd else None


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _first_line_with(text: str, char: str) -> int:
    return text.count("\n", 0, text.index(char)) + 1


def read_plan(path: str | Path) -> PlanText:
    """Read and decode one plan file; raise :class:`PlanFileError` naming it if unusable."""
    path = Path(path)
    return plan_from_bytes(path, read_bytes(path))


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a file of at most ``limit`` bytes (default :data:`MAX_PLAN_BYTES`, checked before it is
    read); PlanFileError if larger."""
    limit = MAX_PLAN_BYTES if limit is None else limit
    try:
        with path.open("rb") as f:
            info = os.fstat(f.fileno())
            if info.st_size > limit:
                raise PlanFileError(path, _too_large(info.st_size, limit))
            # never more than limit + 1 bytes, even from a file that grows or a device
            raw = f.read(info.st_size + 1 if stat.S_ISREG(info.st_mode) else limit + 1)
            if len(raw) > info.st_size:
                raw += f.read(limit + 1 - len(raw))
    except OSError as exc:
        raise PlanFileError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if len(raw) > limit:
        raise PlanFileError(path, _too_large(len(raw), limit))
    return raw


def plan_from_bytes(path: Path, raw: bytes) -> PlanText:
    """A plan text from the bytes of ``path`` (decoded by evidence; see :func:`decode_bytes`)."""
    text, encoding = decode_bytes(raw, path)
    if "\ufffd" in text:
        raise PlanFileError(path, f"the text holds {text.count(chr(0xFFFD))} replacement character(s) (U+FFFD, "
                            "characters lost when the file was converted before it was saved); labels read from "
                            "it would be wrong, so no rows are written: get the original file",
                            line=_first_line_with(text, "\ufffd"))
    from .script import simplified_if_traditional

    simplified = simplified_if_traditional(text)
    return PlanText(
        path=path,
        text=text if simplified is None else simplified,
        encoding=encoding,
        sha256=hashlib.sha256(raw).hexdigest(),
        n_bytes=len(raw),
        lines=_split_lines(text if simplified is None else simplified),
        script="simplified" if simplified is None else "traditional",
        original_text=None if simplified is None else text,
    )


def _split_lines(text: str) -> tuple[str, ...]:
    lines = tuple(text.split("\n"))
    return lines[:-1] if lines and lines[-1] == "" else lines


def _too_large(size: int, limit: int) -> str:
    return (f"the file is {size / 1e6:.1f} MB, over the {limit / 1e6:g} MB limit for a plan text "
            f"({size:,} > {limit:,} bytes); a plan is well under 1 MB, so it is not read")


def not_a_plan_message(plan: PlanText) -> str:
    """Why a text that names no plan and yields no numbers is refused, naming the likely cause."""
    if plan.script == "traditional":
        return ("not an education plan: read as traditional Chinese script (matched on its conversion to "
                "simplified characters), it has no plan title (规划/计划 with 教育) in its opening and no number "
                "in the four domains (enrollment, teachers, funding, schools)")
    return ("not an education plan: no plan title (规划/计划 with 教育) in its opening "
            "and no number in the four domains (enrollment, teachers, funding, schools)")


def has_plan_heading(plan: PlanText, first_lines: int = 80) -> bool:
    """Whether the opening of the text names itself as an education plan."""
    head = "\n".join(plan.lines[:first_lines])
    return bool(PLAN_HEADING.search(head))
