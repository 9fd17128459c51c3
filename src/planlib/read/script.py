"""Traditional script: detected, and read through a conversion to simplified characters.

planlib's plan words, heading words and indicator dictionary are in simplified script. A plan
reposted in traditional script (學前教育毛入學率, 鞏固率) is therefore matched on its conversion
to simplified characters by OpenCC (the ``opencc`` wheels of the C++ library, configuration
``t2s``), while every ``quote`` keeps the file's own characters and every ``line``,
``char_start`` and ``char_end`` points into the file as it is.

Why OpenCC's C++ wheels and not the pure-Python ``opencc-python-reimplemented``: both give the
same conversion of the five plans, but the wheels convert about 50 MB/s against 1.5 MB/s (t2s of
the five plans rendered in traditional script, measured 2026-11-26), and both install into the
same ``opencc`` package, so only one of them can be a dependency.

The offset map from converted to original positions is the identity, by construction:
:func:`to_simplified` keeps every line's length (OpenCC's t2s maps characters and phrases to
the same number of characters on all plan text we have, which a test checks on the five plans
rendered in traditional script; where a phrase conversion would change a line's length, that
line is converted character by character instead, and a character whose conversion is not one
character is kept as it is). So ``original_line[char_start:char_end]`` is the text that was
matched at ``converted_line[char_start:char_end]``, and :func:`original_quote` only has to copy.
"""
from __future__ import annotations

import re
from functools import lru_cache
from operator import ne

#: A text is read as traditional script when at least this share of its CJK characters changes
#: under t2s conversion. Measured (2026-11-26): 0.0% for each of the five simplified plans, 35–37%
#: for the same plans rendered in traditional script by OpenCC s2t. 10% leaves room both ways: a
#: simplified plan that quotes a few traditional names stays as it is, and a traditional plan
#: dense in characters that both scripts share is still converted.
TRADITIONAL_SHARE = 0.10
#: Fewer CJK characters than this say nothing about the script (a title, a table of numbers).
MIN_CJK = 20
#: The script is judged on the text's opening characters (as the encoding is): a plan does not change
#: script halfway, 5,000 characters hold thousands of Chinese ones (traditional plans change a third of
#: them), and judging the whole of every simplified plan would cost as much as a tenth of its parse.
DETECT_SAMPLE = 5_000


@lru_cache(maxsize=1)
def _t2s():
    """The OpenCC converter (loaded once: its dictionaries take a few hundredths of a second)."""
    import opencc

    return opencc.OpenCC("t2s")


def traditional_share(text: str) -> float:
    """The share of CJK characters of ``text`` that t2s conversion changes (0.0 when it has none).

    >>> traditional_share("学前教育毛入学率"), round(traditional_share("學前教育毛入學率"), 2)
    (0.0, 0.25)
    """
    n = _cjk_count(text)
    return _changed(text) / n if n else 0.0


def _changed(text: str) -> int:
    """How many characters of ``text`` t2s conversion changes (a simplified text converts to itself:
    one comparison of the two strings says so without a pass per character)."""
    converted = to_simplified(text)
    return 0 if converted == text else sum(map(ne, text, converted))


#: Runs of characters that are not CJK: removing them leaves the CJK ones (fewer runs than characters to remove).
_NOT_CJK = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _cjk_count(text: str) -> int:
    return len(_NOT_CJK.sub("", text))


def is_traditional(text: str) -> bool:
    """Whether ``text`` is in traditional script (see :data:`TRADITIONAL_SHARE`).

    >>> is_traditional("某縣教育事業發展“十四五”規劃：學前教育毛入學率達到90%，九年義務教育鞏固率"), is_traditional("某县教育事业发展规划" * 3)
    (True, False)
    """
    n = _cjk_count(text)  # counted once: traditional_share(text) is _changed(text) / n
    return n >= MIN_CJK and _changed(text) / n >= TRADITIONAL_SHARE


def simplified_if_traditional(text: str) -> str | None:
    """``text`` converted to simplified script when it is in traditional script, else None.

    Judged on the opening :data:`DETECT_SAMPLE` characters; the whole text is converted only when it is
    traditional.
    """
    return to_simplified(text) if is_traditional(text[:DETECT_SAMPLE]) else None


def to_simplified(text: str) -> str:
    """``text`` converted to simplified script, with every line (and the whole) of the same length.

    >>> to_simplified("學前教育毛入學率\\n專任教師")
    '学前教育毛入学率\\n专任教师'
    """
    converted = _t2s().convert(text)
    if len(converted) == len(text) and _same_line_ends(text, converted):
        return converted
    return "\n".join(_line_to_simplified(line) for line in text.split("\n"))


def _same_line_ends(a: str, b: str) -> bool:
    return [len(x) for x in a.split("\n")] == [len(x) for x in b.split("\n")]


def _line_to_simplified(line: str) -> str:
    """One line converted with its length kept: by phrase if that keeps it, else character by character."""
    converted = _t2s().convert(line)
    if len(converted) == len(line):
        return converted
    out = []
    for ch in line:
        c = _t2s().convert(ch)
        out.append(c if len(c) == 1 else ch)
    return "".join(out)


def original_quote(converted_line: str, original_line: str, quote: str, char_start: int, char_end: int) -> str:
    """The file's own characters for ``quote``, a substring of ``converted_line`` holding [char_start:char_end].

    The quote is found where provenance looks for it (ending at or after ``char_end``, starting at or before
    ``char_start``); positions are the same in both lines (see the module docstring).

    >>> original_quote("学前教育毛入学率达到90%", "學前教育毛入學率達到90%", "毛入学率达到90%", 10, 13)
    '毛入學率達到90%'
    """
    at = converted_line.find(quote, max(0, char_end - len(quote))) if quote else -1
    if at < 0 or at > char_start:
        at = converted_line.find(quote)
    if at < 0:
        raise ValueError(f"quote {quote!r} is not in the converted line {converted_line!r}")
    return original_line[at:at + len(quote)]


def restore_quotes(rows: list[dict], converted_lines, original_lines) -> None:
    """Set each row's ``quote`` (in place) to the original characters at its place in the line."""
    for r in rows:
        if r.get("quote"):
            n = r["line"] - 1
            r["quote"] = original_quote(converted_lines[n], original_lines[n], r["quote"],
                                        r["char_start"], r["char_end"])
