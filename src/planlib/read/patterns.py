"""The patterns every reader of a plan shares, each written once: numerals, dot leaders,
five-year-plan words and heading styles.

This module sits at the bottom of the layers (it imports nothing of planlib), so the
number grammar, the document model and the extractors can all take their patterns from
here instead of keeping copies that drift apart (before, the leader pattern existed in
two versions of which only one matched ``。。。。``, and the 五年规划 pattern in six).
"""
from __future__ import annotations

import re

# --- numerals ---------------------------------------------------------------------------

#: The digits of a Chinese numeral. Zero is written 零, 〇, or — in texts copied from
#: word processors — a circle ○, a Greek capital omicron Ο, a Latin O or an ASCII 0.
CN_DIGITS: dict[str, int] = {"零": 0, "〇": 0, "○": 0, "Ο": 0, "O": 0, "0": 0, "一": 1, "二": 2, "两": 2,
                             "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
CN_BIG: dict[str, int] = {"万": 10 ** 4, "亿": 10 ** 8}
#: Every way a zero is written (a numeral does not start with one, except a digit-by-digit year).
ZEROS = "零〇○ΟO0"

#: The characters of a heading's Chinese ordinal (一、, （十二）, 第一百零五章): the digits written
#: in Chinese script, 十 and 百. The Latin O and ASCII 0 are left out: ``O、`` opens no numbered list.
HEADING_NUMERAL_CHARS = "".join(ch for ch in CN_DIGITS if ch not in "O0") + "十百"


def cn_ordinal(numeral: str) -> int:
    """Value of a heading's ordinal (Chinese up to 999, or arabic), by the one numeral table.

    >>> [cn_ordinal(s) for s in ("一", "十", "十一", "二十", "二十三", "一百零五", "一百○五", "12")]
    [1, 10, 11, 20, 23, 105, 105, 12]
    """
    if numeral.isdigit():
        return int(numeral)
    total, current = 0, 0
    for ch in numeral:
        if ch in CN_SMALL:
            total += (current or 1) * CN_SMALL[ch]
            current = 0
        else:
            current = CN_DIGITS[ch]
    return total + current


# --- dot leaders ------------------------------------------------------------------------

#: The shortest run of each kind of table-of-contents leader (一、指导思想……12): four ASCII
#: or full-width dots, two ellipses, four middle dots, two midline ellipses, four 。.
LEADER_RUNS: tuple[str, ...] = ("....", "……", "····", "．．．．", "⋯⋯", "。。。。")
#: One alternative per run (the run, then more of its last character), each opening with a
#: literal so ``re`` can skip ahead to it.
LEADER = re.compile("|".join(re.escape(run) + re.escape(run[-1]) + "*" for run in LEADER_RUNS))


def has_leader(line: str) -> bool:
    """Whether ``line`` holds a table-of-contents dot leader (substring tests, no regex).

    >>> has_leader("一、指导思想……12"), has_leader("一、指导思想…12"), has_leader("目录。。。。3")
    (True, False, True)
    """
    return any(run in line for run in LEADER_RUNS)


# --- five-year plans --------------------------------------------------------------------

#: The ordinal of a five-year plan as written before 五: 九 (the 9th) to 十六 (the 16th).
FYP_ORDINAL = r"(?:十[一二三四五六]?|九)"
#: Chinese ordinal of a five-year plan -> its number (十四五 = the 14th).
FYP_NUMERALS: dict[str, int] = {"九": 9, "十": 10, "十一": 11, "十二": 12, "十三": 13, "十四": 14,
                                "十五": 15, "十六": 16}
#: A plan's name, quoted or not (“十四五”, 十三五); the ordinal is group 1.
FYP = re.compile(rf"[“\"']?({FYP_ORDINAL})五[”\"']?")
#: A span of years a plan covers (2021—2025年, 2021-2025).
PERIOD_SPAN = re.compile(r"(20\d\d)\s*[—–\-－~～至到]+\s*(20\d\d)\s*年?")

# --- heading styles ---------------------------------------------------------------------

_CN = f"[{HEADING_NUMERAL_CHARS}]+"
_S = r"[\s\u3000]*"
#: The spaces a heading may open with (every style's pattern starts with ``^`` and these).
SPACES_PATTERN = _S

#: (style, pattern) of each heading numbering; a line matches at most one. Named groups:
#: ``num`` the ordinal, ``sep`` the separator after it (、 . ． : or ''), ``inner`` any space
#: inside the numbering (第 and 部分 take none), ``rest`` the line after the numbering.
#: cn_dun takes 、 and also . and ． (一.): the heading tree reads only 、, the outline all three.
HEADING_STYLES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (style, re.compile(pattern))
    for style, pattern in (
        ("part", rf"^{_S}第(?P<num>{_CN})部分(?P<sep>)(?P<inner>)(?P<gap>{_S})(?P<rest>.*)$"),
        ("chapter", rf"^{_S}第(?P<num>{_CN})章(?P<sep>)(?P<inner>)(?P<gap>{_S})(?P<rest>.*)$"),
        ("section", rf"^{_S}第(?P<num>{_CN})节(?P<sep>)(?P<inner>)(?P<gap>{_S})(?P<rest>.*)$"),
        ("cn_dun", rf"^{_S}(?P<num>{_CN})(?P<inner>{_S})(?P<sep>[、．.])(?P<gap>{_S})(?P<rest>.*)$"),
        ("cn_paren", rf"^{_S}[（(](?P<inner>{_S}(?P<num>{_CN}){_S})[）)](?P<sep>)(?P<gap>{_S})(?P<rest>.*)$"),
        ("num_dot", rf"^{_S}(?P<num>\d{{1,2}})(?P<inner>{_S})(?P<sep>[.．、])(?!\d+(?:\.\d+)?%?{_S}$)"
                    rf"(?P<gap>{_S})(?P<rest>.*)$"),
        ("num_paren", rf"^{_S}[（(](?P<inner>{_S}(?P<num>\d{{1,2}}){_S})[）)](?P<sep>)(?P<gap>{_S})(?P<rest>.*)$"),
        ("box", rf"^{_S}专栏(?P<inner>{_S})(?P<num>\d+|{_CN}){_S}(?P<sep>[:：、.．]?)(?P<gap>{_S})(?P<rest>.*)$"),
    )
)
#: How any heading style begins; a line that does not begin so is no heading (a cheap test first).
HEADING_START = re.compile(rf"{_S}(?:第|专栏|[（(]|{_CN}|\d)")
#: Styles that number paragraphs rather than chapters.
ITEM_STYLES = frozenset({"num_dot", "num_paren"})
#: The chapter-like styles, outermost first: the fixed ranking of the outline view.
CHAPTER_STYLES = ("part", "chapter", "section", "cn_dun", "cn_paren")
#: What a heading's numbering looks like when shown (第一章, （二）, 专栏3).
NUMBERING = {
    "part": "第{}部分", "chapter": "第{}章", "section": "第{}节", "cn_dun": "{}", "cn_paren": "（{}）",
    "num_dot": "{}", "num_paren": "（{}）", "box": "专栏{}",
}


# --- where a pattern's matches can start ------------------------------------------------

def first_chars(items) -> str | None:
    """A character class (without brackets) holding every character a match of the parsed
    regex ``items`` (``re._parser.parse(pattern).data``) can start with; None when that is not
    known (an optional or negated start, a category such as \\d).

    Assertions (lookarounds, anchors) match no characters and are skipped.

    >>> first_chars(re._parser.parse(r"(?<![0-9])(?:第|[一二]+)").data), first_chars(re._parser.parse(r"a?b").data)
    ('第一二', None)
    """
    from re import _constants as c  # the parsed form of a pattern: the only way to read its start

    for op, av in items:
        if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
            continue
        if op is c.LITERAL:
            return re.escape(chr(av))
        if op is c.IN:
            parts = []
            for item_op, item in av:
                if item_op is c.LITERAL:
                    parts.append(re.escape(chr(item)))
                elif item_op is c.RANGE:
                    parts.append(f"{re.escape(chr(item[0]))}-{re.escape(chr(item[1]))}")
                else:
                    return None  # negated sets, categories (\d, \s)
            return "".join(parts)
        if op is c.SUBPATTERN:
            group, add_flags, del_flags, sub = av
            return None if add_flags or del_flags else first_chars(sub)
        if op is c.BRANCH:
            parts = [first_chars(alt) for alt in av[1]]
            return None if any(p is None for p in parts) else "".join(parts)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _, sub = av
            return first_chars(sub) if low >= 1 else None
        return None
    return None  # nothing consumed: the pattern can match the empty string
