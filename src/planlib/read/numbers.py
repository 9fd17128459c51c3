"""The number grammar of Chinese policy text: find every number in a line and say what it is.

Plans write the same quantity many ways (``1.017万人``, ``１２３．５％``, ``百分之九十五``,
``三千余``, ``1—2项``, ``＞93.0``), and mix quantities with years, dates, plan periods,
document numbers and programme names (``十四五``, ``1+X``, ``5G``) that must never be read
as quantities. One regex scanner finds the candidates; small rules label them.

Spans always index the *original* string: the text is normalised with a 1:1 per-character
table (full-width digits and signs, dashes, tildes), never with NFKC, which can change lengths.

Values are exact :class:`~decimal.Decimal`, with 万/亿 applied in Decimal:

>>> [(q.value, q.unit, q.comparator) for q in find_quantities("在校生达到1.017万人，毛入学率95%以上")]
[(Decimal('10170'), '人', '='), (Decimal('95'), '%', '>=')]
>>> [(q.value_raw, q.role) for q in find_quantities("（2021—2025年）城府办发〔2021〕198号")]
[('2021—2025', 'period'), ('2021', 'docnum'), ('198', 'docnum')]
>>> q = parse_cell("＞93.0"); (q.value, q.comparator)
(Decimal('93'), '>')
>>> parse_cell("1—2项")
Quantity(value=Decimal('1'), value_high=Decimal('2'), unit='项', unit_raw='项', comparator='range', start=0, end=4, num_start=0, num_end=3, value_raw='1—2', role='quantity')
>>> parse_cell("预期") is None
True

Roles: ``quantity`` (a count, amount, rate ...), ``year`` (2025年), ``date`` (value is
yyyymmdd with 0 for a part not written: 2021年6月 -> 20210600), ``period`` (2021—2025年:
value 2021, value_high 2025), ``ordinal`` (第一, (1), 1., 十四五, 1+X, 5G) and ``docnum``
(〔2021〕198号). Only ``quantity`` carries a unit; the other roles have unit ''.
"""
from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext

from .patterns import CN_BIG, CN_DIGITS, CN_SMALL, ZEROS, first_chars

__all__ = ["Quantity", "find_quantities", "parse_cell", "parse_numeral", "unit_scale", "format_quantity",
           "UNITS", "SCALES", "COMPARATOR_PREFIXES", "COMPARATOR_SUFFIXES", "COMPARATOR_MIDDLES"]


@dataclass(frozen=True)
class Quantity:
    """One number found in text, with its span in the original string."""

    value: Decimal
    value_high: Decimal | None
    unit: str
    unit_raw: str
    comparator: str
    start: int
    end: int
    num_start: int
    num_end: int
    value_raw: str
    role: str


# --------------------------------------------------------------------------- data tables

#: Unit words as written -> normalised unit. Matched longest first, after an optional scale.
UNITS: dict[str, str] = {
    "个百分点": "pp", "百分点": "pp", "%": "%", "‰": "‰",
    "平方米": "平方米", "平方公里": "平方公里", "公顷": "公顷", "亩": "亩", "公里": "公里", "米": "米",
    "人次": "人次", "人": "人", "名": "名", "位": "位", "户": "户", "家": "家",
    "所": "所", "校": "校", "个月": "月", "个": "个", "项": "项", "元": "元", "年": "年",
    "班": "班", "间": "间", "台套": "台套", "台": "台", "套": "套", "张": "张",
    "学时": "学时", "课时": "课时", "小时": "小时", "分钟": "分钟", "天": "天", "周岁": "岁", "岁": "岁",
    "倍": "倍", "支": "支", "次": "次", "期": "期", "批": "批", "门": "门", "本": "本", "册": "册",
    "部": "部", "篇": "篇", "件": "件", "座": "座", "处": "处", "条": "条", "种": "种", "节": "节",
    "届": "届", "场": "场", "首": "首", "幅": "幅", "例": "例", "辆": "辆", "吨": "吨", "床": "床",
}

#: What a rate unit may be divided by: 元/年, 元/生·年, 平方米/生.
PER_UNITS = ("生·年", "人·年", "生年", "学期", "课时", "年", "人", "生", "月", "天", "次", "周", "班", "校")

#: Scale words written between a numeral and its unit (万人, 亿元, 千万元).
SCALES: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": Decimal(10) ** 3,
}

#: Comparator words written before the number.
COMPARATOR_PREFIXES: dict[str, str] = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=", "至少": ">=", "≥": ">=", ">=": ">=", "≧": ">=",
    "超过": ">", "高于": ">", "多于": ">", "大于": ">", "逾": ">", ">": ">",
    "不超过": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=", "小于等于": "<=", "至多": "<=", "最多": "<=",
    "≤": "<=", "<=": "<=", "≦": "<=",
    "低于": "<", "少于": "<", "小于": "<", "不到": "<", "不足": "<", "<": "<",
    "约": "approx", "大约": "approx", "约为": "approx", "近": "approx", "接近": "approx", "将近": "approx",
    "大概": "approx",
}

#: Comparator words written after the number and unit.
COMPARATOR_SUFFIXES: dict[str, str] = {
    "以上": ">=", "及以上": ">=", "或以上": ">=",
    "以内": "<=", "之内": "<=", "以下": "<=", "及以下": "<=",
    "左右": "approx",
}

#: Words between the numeral and its unit meaning "more than" (2000余人, 150多所, 三千余).
COMPARATOR_MIDDLES: dict[str, str] = {"余": ">", "多": ">"}

#: Words right after a number that make it part of a name, not a quantity (九年义务教育, 三年行动计划, 2.0版).
NAME_FOLLOWERS = ("义务教育", "一贯", "制", "毛入园", "入园率", "行动", "计划", "规划", "工程", "版", "攻坚")

#: After a Chinese numeral these units name a phase or a session, not a count (二期工程, 十九届五中全会).
CHINESE_ORDINAL_UNITS = ("期", "届")

#: Words right before a number that make it a label (专栏1, 表2).
LABEL_PREFIXES = ("专栏", "附表", "附件", "表", "图", "信息化", "工程")

#: Around a unitless number these make it a name: “1345”工作思路, 目录........6 (a page number).
NAME_QUOTES = {"“": "”", '"': '"', "「": "」", "『": "』", "‘": "’"}
LEADER_DOTS = ("..", "…", "·")

#: Words that make a bare 4-digit number a calendar year (到2025, 2035远景目标).
YEAR_BEFORE = ("截至", "截止", "现代化", "着眼", "展望", "到", "至", "于", "在", "从", "自")
YEAR_AFTER = ("远景", "目标", "年")

#: Years a plan can mention; outside this a 4-digit number is a count.
YEAR_MIN, YEAR_MAX = 1949, 2100

COMPARATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}

# --------------------------------------------------------------------------- normalisation

_FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_DASHES = {c: "-" for c in "—–−‒―﹣－﹘"}
_TILDES = {c: "~" for c in "～〜∼"}
_SPACES = {c: " " for c in "\u3000\u2002\u2003\u2009\u00a0\u200b"}
_TRANSLATE = str.maketrans({**_FULLWIDTH, **_DASHES, **_TILDES, **_SPACES, "﹪": "%", "，": ","})
_TRANSLATE_CHARS = {chr(k): v for k, v in _TRANSLATE.items()}
_NEEDS_TRANSLATE = re.compile("[" + re.escape("".join(map(chr, _TRANSLATE))) + "]")


def normalise(text: str) -> str:
    """Map full-width digits/signs, dashes and tildes to ASCII one character for one, so spans stay valid.

    >>> normalise("１２３．５％＞—")
    '123.5%>-'
    """
    found = _NEEDS_TRANSLATE.findall(text)
    for ch in set(found):  # a few str.replace calls beat str.translate on long lines
        text = text.replace(ch, _TRANSLATE_CHARS[ch])
    return text


# --------------------------------------------------------------------------- numerals

# the one numeral table (zeros written 零 〇 ○ Ο O 0) lives in planlib.read.patterns
_CN_DIGITS, _CN_SMALL, _CN_BIG, _ZEROS = CN_DIGITS, CN_SMALL, CN_BIG, ZEROS

_ARABIC = r"(?<![0-9])(?:[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])|[0-9]+)(?:\.[0-9]+)?"
_ARABIC_RE = re.compile(r"[+-]?" + _ARABIC + r"\Z")
#: Possessive and bounded, so a long run of numeral characters cannot make the scanner quadratic.
_CN_NUM = r"(?:[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]{0,12}+)"
_CN_YEAR_DIGIT = "〇○ΟO零0一二三四五六七八九"


_SCALE_WORDS = tuple(sorted(SCALES, key=len, reverse=True))
_SCALE_LAST = {w[-1] for w in SCALES}
_SCALE_FIRST = {w[0] for w in SCALES}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation: 10170.000 -> 10170, 93.0 -> 93."""
    sign, digits, exponent = value.as_tuple()
    if exponent == 0 or (type(exponent) is int and exponent < 0 and digits[-1] != 0):
        return value  # nothing to drop: normalize() would give the same Decimal back
    try:
        with localcontext() as ctx:
            ctx.prec = max(28, len(digits) + 2)
            value = value.normalize()
            if value.as_tuple().exponent > 0:
                value = value.quantize(Decimal(1))
    except (InvalidOperation, ValueError, OverflowError):
        pass
    return value


def _cn_positional(s: str) -> int:
    """Value of a positional Chinese numeral (三千, 一百二十, 十二, 三亿五千万)."""
    total = below_yi = section = 0
    number = None
    last_small = 10 ** 4  # within a section 千 > 百 > 十; 十百 is not a numeral
    for ch in s:
        if ch in _CN_DIGITS:
            d = _CN_DIGITS[ch]
            if number not in (None, 0) and d != 0:
                raise ValueError(f"not a numeral: {s!r}")
            number = d
        elif ch in _CN_SMALL:
            if _CN_SMALL[ch] >= last_small:
                raise ValueError(f"not a numeral: {s!r}")
            section += (number if number else 1) * _CN_SMALL[ch]
            number, last_small = None, _CN_SMALL[ch]
        elif ch in _CN_BIG and section == 0 and not number:
            raise ValueError(f"not a numeral: {s!r}")  # 万 or 亿 with nothing to scale
        elif ch == "万":
            below_yi += (section + (number or 0)) * 10 ** 4
            section, number, last_small = 0, None, 10 ** 4
        elif ch == "亿":
            total += (below_yi + section + (number or 0)) * 10 ** 8
            below_yi, section, number, last_small = 0, 0, None, 10 ** 4
        else:
            raise ValueError(f"not a numeral: {s!r}")
    return total + below_yi + section + (number or 0)


def parse_numeral(s: str) -> Decimal:
    """The value of one numeral, Arabic (with sign, thousands separators, 万/亿) or Chinese.

    >>> parse_numeral("1.017"), parse_numeral("１２３"), parse_numeral("1,234")
    (Decimal('1.017'), Decimal('123'), Decimal('1234'))
    >>> parse_numeral("二〇二一"), parse_numeral("二Ο三五"), parse_numeral("百分之九十五")
    (Decimal('2021'), Decimal('2035'), Decimal('95'))
    >>> parse_numeral("三千"), parse_numeral("十二"), parse_numeral("一百二十"), parse_numeral("两")
    (Decimal('3000'), Decimal('12'), Decimal('120'), Decimal('2'))
    >>> parse_numeral("1.5万"), parse_numeral("—0.07")
    (Decimal('15000'), Decimal('-0.07'))
    >>> parse_numeral("预期")
    Traceback (most recent call last):
    ...
    ValueError: not a numeral: '预期'
    """
    if not isinstance(s, str):
        raise ValueError(f"not a numeral: {s!r}")
    return _numeral_value(s)


@lru_cache(maxsize=4096)
def _numeral_value(s: str) -> Decimal:
    """parse_numeral for a str, remembered: the same numerals (三, 十四, 百分之九十五) recur in every plan.

    Decimals are immutable, so a remembered one can be shared; a ValueError is raised anew each time.
    """
    t = normalise(s).strip()
    if t.startswith("百分之"):
        t = t[3:]
    scale = None
    if t[-1:] in _SCALE_LAST:
        for word in _SCALE_WORDS:
            if t.endswith(word) and len(t) > len(word) and t[-len(word) - 1] in "0123456789.":
                scale, t = SCALES[word], t[: -len(word)]
                break
    if _ARABIC_RE.match(t):
        value = Decimal(t.replace(",", "") if "," in t else t)
        return value if scale is None else _tidy(value * scale)
    if t and all(ch in _CN_DIGITS for ch in t):
        if len(t) == 1 or t[0] not in _ZEROS:
            return Decimal("".join(str(_CN_DIGITS[ch]) for ch in t))
    elif t and all(ch in _CN_DIGITS or ch in _CN_SMALL or ch in _CN_BIG for ch in t) and t[0] not in _ZEROS:
        return Decimal(_cn_positional(t))
    raise ValueError(f"not a numeral: {s!r}")


def unit_scale(unit_raw: str) -> tuple[Decimal, str]:
    """Split a written unit into its scale and the normalised unit.

    >>> unit_scale("万人"), unit_scale("亿元"), unit_scale("个百分点")
    ((Decimal('10000'), '人'), (Decimal('100000000'), '元'), (Decimal('1'), 'pp'))
    >>> unit_scale("%"), unit_scale("万"), unit_scale("万元/年"), unit_scale("")
    ((Decimal('1'), '%'), (Decimal('10000'), ''), (Decimal('10000'), '元/年'), (Decimal('1'), ''))
    """
    text = normalise(unit_raw or "").strip()
    scale = Decimal(1)
    for word in _SCALE_WORDS if text[:1] in _SCALE_FIRST else ():
        if text.startswith(word):
            scale, text = SCALES[word], text[len(word):]
            break
    base, slash, per = text.partition("/")
    return scale, UNITS.get(base, base) + slash + per


# --------------------------------------------------------------------------- the scanner

_UNIT_ALT = _alternation(UNITS)
_TAIL = (
    rf"(?P<scale>{_alternation(SCALES)})?"
    rf"(?P<mid>余|多(?=(?:{_UNIT_ALT})))?"
    rf"(?P<unit>(?:{_UNIT_ALT})(?:/(?:{_alternation(PER_UNITS)}))?)?"
    rf"(?P<yeartail>(?<=年)[底末初中度])?"
    rf"(?P<suf>{_alternation(COMPARATOR_SUFFIXES)})?"
)
_MONTH = r"(?:1[0-2]|0?[1-9])"
_DAY = r"(?:[12][0-9]|3[01]|0?[1-9])"
_YEAR = r"(?:19[4-9][0-9]|20[0-9][0-9]|2100)"
_CN_MONTH = r"(?:十[一二]|[一二三四五六七八九十])"

#: The scanner's alternatives, in order of precedence: at a position the first that matches wins.
_BRANCHES = [
        # identifiers are skipped whole: 11500229711623327X/2021-00272, E0001-01-2022-00028, 5002350018, 023-55128091
        r"(?P<ident>(?<![0-9A-Za-z.])(?:[0-9A-Z]{10,}(?:/[0-9-]+)?|[A-Z][0-9A-Z]*(?:-[0-9A-Z]+){2,}"
        r"|[0-9]+(?:-[0-9]+){3,}|0[0-9]{2,3}-[0-9]{7,8})(?![0-9])|(?<=[A-Z])[0-9]+(?:-[0-9A-Z]+){2,})",
        # document numbers: 〔2021〕198号, 〔202156 (glued), 渝府发[2021]12号
        r"(?P<doc>〔\s*[0-9]+\s*〕?\s*[0-9]*\s*号?|(?<=[发字函令])[\[(]\s*[0-9]{4}\s*[\])]\s*[0-9]+\s*号)",
        # dates
        rf"(?P<date>(?<![0-9]){_YEAR}(?:年{_MONTH}月(?:{_DAY}[日号])?|(?P<dsep>[-/.]){_MONTH}(?P=dsep){_DAY}(?![0-9.])))",
        rf"(?P<gdate>(?<![0-9.]){_YEAR}(?:(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])|1[0-2][1-9]|[1-9](?:[12][0-9]|3[01]))"
        r"(?![0-9.,%]))",
        rf"(?P<gperiod>(?<![0-9.]){_YEAR}{_YEAR}(?![0-9.,%]))",
        rf"(?P<mdate>(?<![0-9.])(?:{_MONTH}月(?:{_DAY}[日号])?(?!份)|{_MONTH}·{_DAY}(?![0-9])))",
        rf"(?P<cny>(?P<cnyear>[一二][{_CN_YEAR_DIGIT}]{{3}})(?![{_CN_YEAR_DIGIT}百千万亿])"
        rf"(?P<cnyeartail>年?{_CN_MONTH}月?)?)",
        # ordinals and names
        r"(?P<item>(?<!\S)[0-9]{1,2}(?:[.、](?![0-9])|\.(?=(?:19|20)[0-9]{2}(?:年|远景|目标))))",
        r"(?P<paren>\(\s*(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*\))",
        rf"(?P<ordinal>第\s*(?:[0-9]+|{_CN_NUM}))",
        r"(?P<plan>十[一二三四五六七八九]五)",
        # percentages in words
        rf"(?P<pctall>(?P<pct>百分之(?P<pctnum>{_CN_NUM}|[0-9]+(?:\.[0-9]+)?))"
        rf"(?P<pctsuf>{_alternation(COMPARATOR_SUFFIXES)})?)",
        # numbers with their unit; a Chinese numeral only counts with a unit or 余 after it
        rf"(?P<qty>(?:(?P<num>{_ARABIC})|(?P<cn>{_CN_NUM})(?=余|多?(?:{_UNIT_ALT}))){_TAIL})",
]
_MASTER = re.compile("|".join(_BRANCHES))

#: Characters where a match of _MASTER can begin; a plain character class lets ``re`` skip ahead fast.
_CANDIDATE_CHARS = "0123456789〔([第百十一二两三四五六七八九"
_CANDIDATE = re.compile(f"[{re.escape(_CANDIDATE_CHARS)}]")


def _match_at() -> dict:
    """For each candidate character, ``match`` of _MASTER cut down to the alternatives whose
    matches can start with it (in the same order, so the same one wins): ``re`` enters every
    alternative of a group in turn, and most cannot start with a given character (a digit never
    opens 第…, 百分之…, 十X五). An alternative whose start is not known is kept everywhere."""
    firsts = [first_chars(re._parser.parse(b).data) for b in _BRANCHES]  # internal API, as in prose
    return {ch: re.compile("|".join(b for b, first in zip(_BRANCHES, firsts)
                                    if first is None or re.fullmatch(f"[{first}]", ch))).match
            for ch in _CANDIDATE_CHARS}


_MATCH_AT = _match_at()
#: The characters of a text before normalise() that become candidates after it (full-width digits
#: and brackets too): a text holding none of them holds no number, and is not normalised.
_RAW_CANDIDATE = re.compile("[" + re.escape(_CANDIDATE_CHARS + "".join(
    ch for ch, ascii_ch in _TRANSLATE_CHARS.items() if ascii_ch in _CANDIDATE_CHARS)) + "]")
_DIGITS = re.compile(r"[0-9]+")
_FOUR_DIGITS = re.compile(r"[0-9]{4}")
_ORDINAL_DIGITS = re.compile(rf"[0-9]+|{_CN_NUM}")
_PREFIX_RE = re.compile(rf"(?:{_alternation(COMPARATOR_PREFIXES)})\s*$")
_RANGE_SEP = re.compile(r"\s*[-~至到]\s*$")
_MINUS_AFTER = set(" \t\n([{<>=≥≤≧≦,;:、。，：；“”\"'‘’|〔【《/")
_ASCII_LETTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@dataclass(slots=True)
class _Tok:
    """A candidate before ranges are joined; mutable while the scanner works on it."""

    value: Decimal
    num_start: int
    num_end: int
    start: int
    end: int
    unit: str = ""
    unit_raw: str = ""
    unit_spans: tuple = ()     # where the scale and unit stand, to quote them from the original text
    comparator: str = "="
    role: str = "quantity"
    scale: Decimal | None = None
    unit_end: int = 0          # end of the unit (before a suffix comparator)
    suffix: bool = False       # comparator came from a suffix (以上) and may apply to glued numbers
    integral4: bool = False    # a 4-digit integer (a possible year)
    value_high: Decimal | None = None
    sign_start: int | None = None  # a leading minus/plus sign, applied unless it joins a range


def _year_ok(v: Decimal) -> bool:
    return YEAR_MIN <= v <= YEAR_MAX


def _scan(norm: str) -> list[_Tok]:
    """Candidates in order, each labelled; ranges are not joined yet."""
    toks: list[_Tok] = []
    # the big pattern is tried only where a candidate character stands (as _matches does, inlined: hot loop)
    pos, search, match_at = 0, _CANDIDATE.search, _MATCH_AT
    while True:
        c = search(norm, pos)
        if c is None:
            break
        at = c.start()
        m = match_at[norm[at]](norm, at)  # _MASTER.match, only the alternatives that can start here
        if m is None:
            pos = at + 1
            continue
        s, e = m.span()
        if s == e:
            pos = s + 1
            continue
        pos = e
        kind = m.lastgroup
        if kind == "qty":
            tok = _number(norm, m)
            if tok is not None:
                toks.append(tok)
        elif kind == "ident":
            continue
        elif kind == "doc":
            for d in _DIGITS.finditer(norm[s:e]):
                toks.append(_Tok(Decimal(d.group()), s + d.start(), s + d.end(), s + d.start(), s + d.end(), role="docnum"))
        elif kind in ("date", "gdate", "mdate"):
            toks.append(_date(norm, s, e))
        elif kind == "gperiod":
            lo, hi = Decimal(norm[s:s + 4]), Decimal(norm[s + 4:e])
            if hi < lo or not _year_ok(lo) or not _year_ok(hi):
                toks.append(_Tok(Decimal(norm[s:e]), s, e, s, e))
            else:
                end = e + 1 if norm.startswith("年", e) else e
                toks.append(_Tok(lo, s, e, s, end, role="period", comparator="range", unit_end=end))
                toks[-1].value_high = hi
        elif kind == "cny":
            value = parse_numeral(m.group("cnyear"))
            ns, ne = m.span("cnyear")
            if not _year_ok(value):
                continue
            if m.group("cnyeartail"):
                month = _cn_positional(m.group("cnyeartail").strip("年月"))
                toks.append(_Tok(value * 10000 + month * 100, ns, e, ns, e, role="date"))
            else:
                end = e + 1 if norm.startswith("年", e) else e
                toks.append(_Tok(value, ns, ne, ns, end, role="year"))
        elif kind == "pctall":
            ns, ne = m.span("pct")
            try:
                value = parse_numeral(m.group("pctnum"))
            except ValueError:
                continue
            suf = m.group("pctsuf")
            tok = _Tok(value, ns, ne, ns, e, unit="%", unit_raw="百分之", comparator=COMPARATOR_SUFFIXES.get(suf, "="),
                       unit_end=ne, suffix=bool(suf))
            toks.append(tok)
        elif kind == "plan":  # 十四五: the 14th five-year plan
            toks.append(_Tok(parse_numeral(m.group("plan")[:2]), s, e, s, e, "", "", (), "=", "ordinal"))
        else:  # item, paren, ordinal (a third of a plan's numbers: positional, as in _number)
            digits = _ORDINAL_DIGITS.search(norm, s, e)
            try:
                value = parse_numeral(digits.group()) if digits else Decimal(0)
            except ValueError:
                continue
            ns, ne = digits.span() if digits else (s, e)
            toks.append(_Tok(value, ns, ne, s, e, "", "", (), "=", "ordinal"))
    return toks


def _date(norm: str, s: int, e: int) -> _Tok:
    parts = [int(p) for p in _DIGITS.findall(norm[s:e])]
    raw = norm[s:e]
    if len(parts) == 1 and len(raw) in (7, 8):  # glued yyyymdd / yyyymmdd
        rest = raw[4:]
        if len(rest) == 4:
            parts = [int(raw[:4]), int(rest[:2]), int(rest[2:])]
        elif int(rest[:2]) <= 12 and rest[2] != "0":
            parts = [int(raw[:4]), int(rest[:2]), int(rest[2:])]
        else:
            parts = [int(raw[:4]), int(rest[:1]), int(rest[1:])]
    if not _FOUR_DIGITS.match(raw):
        parts = [0] + parts  # month/day without a year: 9月1日, 7·21
    year, month, day = (parts + [0, 0, 0])[:3]
    return _Tok(Decimal(year * 10000 + month * 100 + day), s, e, s, e, role="date")


def _prefix(norm: str, tok: _Tok, toks: list[_Tok]) -> None:
    """Extend ``tok`` over a comparator word written just before it (不低于95%, ＞93.0, 约5)."""
    floor = toks[-1].end if toks else 0
    lo = max(floor, tok.start - 5)
    if lo >= tok.start:
        return
    p = _PREFIX_RE.search(norm, lo, tok.start)
    if p:
        word = norm[p.start():tok.start].strip()
        if word == "近" and tok.unit == "年":
            return  # 近五年 is "the past five years", not "nearly five years"
        tok.comparator = COMPARATOR_PREFIXES[word] if tok.comparator == "=" else tok.comparator
        tok.start = p.start()


def _number(norm: str, m: re.Match) -> _Tok | None:
    """A numeral with its scale, unit and comparators, labelled with a role."""
    raw, cn, scale_word, unit_word, mid = m.group("num", "cn", "scale", "unit", "mid")
    chinese = raw is None
    if chinese:
        raw = cn
        ns, ne = m.span("cn")
        try:
            value = parse_numeral(raw)
        except ValueError:
            return None
    else:
        ns, ne = m.span("num")
        value = Decimal(raw.replace(",", "") if "," in raw else raw)
    scale = SCALES[scale_word] if scale_word else None
    if unit_word:
        base, slash, per = unit_word.partition("/")
        unit = UNITS[base] + slash + per
        unit_end = m.end("unit")
        unit_spans = (m.span("scale"), m.span("unit")) if scale_word else (m.span("unit"),)
    else:
        unit, unit_word = "", ""
        unit_end = m.end("mid") if mid else m.end("scale") if scale_word else ne
        unit_spans = (m.span("scale"),) if scale_word else ()
    # positional (the field order of _Tok): keywords cost more, and every number of a plan passes here
    tok = _Tok(value * scale if scale else value, ns, ne, ns, m.end(), unit, (scale_word or "") + unit_word,
               unit_spans, "=", "quantity", scale, unit_end, False, not chinese and len(raw) == 4 and raw.isdigit())
    before = norm[max(0, ns - 3):ns]
    after = norm[tok.unit_end:tok.unit_end + 4]
    # names and labels: 1+X, 5G, Windows10, “3+2”, 专栏1, 九年义务教育, 信息化2.0行动计划
    bare = not unit_word and not scale_word
    if (before[-1:] in _ASCII_LETTERS or before[-1:] == "+"
            or (not unit_word and (after[:1] in _ASCII_LETTERS or (after[:1] == "+" and after[1:2] not in ("", " "))))
            or (bare and (before.endswith(LABEL_PREFIXES) or before.endswith(LEADER_DOTS)))
            or (bare and before[-1:] in NAME_QUOTES and after[:1] == NAME_QUOTES[before[-1:]])):
        tok.role = "ordinal"
        tok.unit = tok.unit_raw = ""
        tok.end = tok.unit_end = ne
        tok.value = value
        return tok
    if chinese:
        nxt = norm[tok.unit_end:tok.unit_end + 1]
        if len(raw) == 1 and len(unit_word) == 1 and nxt and (nxt in _CN_DIGITS and nxt not in _ZEROS or nxt == "多"):
            return None  # idioms: 一校一品, 一校多品, 一人一案, 三本四专
        if raw == "一" and unit == "批":
            return None  # 一批 is "a batch", not a count
        if unit in CHINESE_ORDINAL_UNITS:
            tok.role, tok.unit, tok.unit_raw = "ordinal", "", ""  # 二期 is a phase, 十九届 a congress
            tok.end = tok.unit_end
            return tok
    if unit in ("年", "") and not scale_word and after.startswith(NAME_FOLLOWERS) and not (
            tok.integral4 and _year_ok(value)):
        tok.role, tok.unit, tok.unit_raw = "ordinal", "", ""
        tok.end = tok.unit_end
        return tok
    # calendar years: 2025年, 2025年底, 到2025, 2035远景目标, (2020)
    if tok.integral4 and not scale_word and not mid and _year_ok(value) and unit in ("年", ""):
        is_year = unit == "年" or before.endswith(YEAR_BEFORE) or norm.startswith(YEAR_AFTER + NAME_FOLLOWERS, ne) or (
            before[-1:] == "(" and norm.startswith(")", ne))
        if is_year:
            tok.role, tok.unit, tok.unit_raw = "year", "", ""
            tok.end = m.end("yeartail") if m.group("yeartail") else m.end("unit") if unit_word else ne
            tok.unit_end = tok.end
            return tok
    if mid:
        tok.comparator = COMPARATOR_MIDDLES[mid]
    suf, yeartail = m.group("suf", "yeartail")
    if yeartail:
        tok.end = m.start("yeartail")  # 3年底: the 底 is not part of a duration
    elif suf:
        tok.comparator = COMPARATOR_SUFFIXES[suf]
        tok.suffix = True
    # a leading minus: '—0.07' at the start of a cell or after a space or punctuation
    if ns >= 1 and norm[ns - 1] == "-" and (ns == 1 or norm[ns - 2] in _MINUS_AFTER) and not chinese:
        tok.sign_start = ns - 1
    elif ns >= 1 and norm[ns - 1] == "+" and (ns == 1 or norm[ns - 2] in _MINUS_AFTER) and not chinese:
        tok.sign_start = ns - 1
    return tok


def _join(norm: str, toks: list[_Tok]) -> list[_Tok]:
    """Join 1—2项 into ranges and 2021—2025年 into periods; apply signs and prefixes; spread glued suffixes."""
    out: list[_Tok] = []
    for tok in toks:
        prev = out[-1] if out else None
        if prev is not None and tok.role in ("quantity", "year") and prev.role in ("quantity", "year") \
                and not prev.suffix and prev.comparator == "=" and prev.end == prev.unit_end \
                and tok.num_start > prev.end and _RANGE_SEP.match(norm, prev.end, tok.num_start) \
                and tok.value_high is None:
            joined = _range(norm, prev, tok)
            if joined is not None:
                out[-1] = joined
                continue
        if prev is not None and prev.role == "ordinal" and tok.role == "quantity" and not tok.unit \
                and norm[prev.end:tok.num_start] in ("-", ".", "·"):
            tok.role = "ordinal"  # section numbers: 表2-1, 3.2.1
            tok.sign_start = None
        sign_start = tok.sign_start
        if sign_start is not None and (prev is None or prev.end <= sign_start):
            if norm[sign_start] == "-":
                tok.value = -tok.value
            tok.num_start = tok.start = sign_start
        if tok.role == "quantity":
            _prefix(norm, tok, out)
        out.append(tok)
    # 60%40%以上: a suffix comparator covers numbers glued before it with the same unit
    for i in range(len(out) - 2, -1, -1):
        a, b = out[i], out[i + 1]
        if b.suffix and a.role == b.role == "quantity" and a.end == b.start and a.unit == b.unit \
                and a.comparator == "=" and a.value_high is None:
            a.comparator, a.suffix = b.comparator, True
    return out


def _range(norm: str, lo: _Tok, hi: _Tok) -> _Tok | None:
    sep = norm[lo.end:hi.num_start].strip()
    if lo.integral4 and hi.integral4 and _year_ok(lo.value) and _year_ok(hi.value) and hi.value >= lo.value \
            and lo.unit in ("", "年") and hi.unit in ("", "年") and lo.role in ("year", "quantity"):
        tok = _Tok(lo.value, lo.num_start, hi.num_end, lo.start, hi.end, role="period", comparator="range")
        tok.value_high = hi.value
        tok.unit_end = hi.end
        return tok
    if lo.role != "quantity" or hi.role != "quantity":
        return None
    if lo.unit and hi.unit and lo.unit != hi.unit:
        return None
    low = lo.value
    if lo.scale is None and not lo.unit and hi.scale is not None:
        low = low * hi.scale  # 1—2万人: the scale covers both ends
    if low > hi.value or (sep in ("至", "到") and low == hi.value):
        return None
    tok = _Tok(_tidy(low), lo.num_start, hi.num_end, lo.start, hi.end, unit=hi.unit or lo.unit,
               unit_raw=hi.unit_raw or lo.unit_raw, comparator="range", unit_end=hi.unit_end,
               unit_spans=hi.unit_spans if hi.unit_raw else lo.unit_spans)
    tok.value_high = hi.value
    return tok


_new_object = object.__new__
_set_attribute = object.__setattr__


def _freeze(text: str, tok: _Tok) -> Quantity:
    """The Quantity of a finished token.

    Built as ``Quantity(...)`` would build it, its fields in its ``__dict__``, without the frozen
    dataclass's one ``object.__setattr__`` call per field (about 2 of the 4 µs ``Quantity(...)`` took
    on the development machine; a plan has thousands of numbers). A test checks the fields match.
    """
    high, spans, unit_raw = tok.value_high, tok.unit_spans, tok.unit_raw
    if unit_raw and spans:  # quoted from the original text (full-width ％ stays ％)
        unit_raw = text[spans[0][0]:spans[0][1]] if len(spans) == 1 else "".join(text[a:b] for a, b in spans)
    q = _new_object(Quantity)
    _set_attribute(q, "__dict__", {
        "value": _tidy(tok.value), "value_high": _tidy(high) if high is not None else None, "unit": tok.unit,
        "unit_raw": unit_raw, "comparator": tok.comparator, "start": tok.start, "end": tok.end,
        "num_start": tok.num_start, "num_end": tok.num_end, "value_raw": text[tok.num_start:tok.num_end],
        "role": tok.role})
    return q


def find_quantities(text: str, roles: Collection[str] | None = None) -> list[Quantity]:
    """Every number in a line or sentence, in order and non-overlapping; [] for anything else.

    ``roles`` keeps only the numbers of those roles (the same list as filtering the result, but
    the others are never built: prose wants quantities, and a third of a plan's numbers are years
    and dates). The roles are decided on the whole text either way.

    >>> [(str(q.value), q.unit, q.comparator) for q in find_quantities("分别达100%92%100%25%")]
    [('100', '%', '='), ('92', '%', '='), ('100', '%', '='), ('25', '%', '=')]
    >>> [(str(q.value), q.comparator) for q in find_quantities("城乡居民社区教育年参与率分别达60%40%以上")]
    [('60', '>='), ('40', '>=')]
    >>> [(q.value_raw, q.role) for q in find_quantities("第一章 1+X证书 5G网络 “十四五”")]
    [('一', 'ordinal'), ('1', 'ordinal'), ('5', 'ordinal'), ('十四五', 'ordinal')]
    >>> [(q.value_raw, q.role) for q in find_quantities("到2025年新建学校3所", roles={"quantity"})]
    [('3', 'quantity')]
    """
    if not isinstance(text, str) or not text or not _RAW_CANDIDATE.search(text):
        return []
    try:
        return _find(text, roles)
    except (ValueError, ArithmeticError, IndexError, KeyError, AttributeError, TypeError):  # a last guard: never raise
        return []


def _find(text: str, roles: Collection[str] | None = None) -> list[Quantity]:
    """find_quantities without the guard, so tests see any error the grammar hits."""
    norm = normalise(text)
    toks = _join(norm, _scan(norm))
    if roles is not None:
        toks = [t for t in toks if t.role in roles]
    return [_freeze(text, t) for t in toks]


def parse_cell(cell: str) -> Quantity | None:
    """A whole table cell as one number (＞93.0, 98%以上, —0.07, 1—2, 12.3年以上), or None if it is not one.

    >>> c = parse_cell("—0.0322"); (c.value, c.comparator)
    (Decimal('-0.0322'), '=')
    >>> c = parse_cell("12.3年以上"); (c.value, c.unit, c.comparator, c.role)
    (Decimal('12.3'), '年', '>=', 'quantity')
    >>> parse_cell("学前三年毛入园率（%）") is None
    True
    """
    if not isinstance(cell, str):
        return None
    stripped = cell.strip()
    if not stripped:
        return None
    offset = len(cell) - len(cell.lstrip())
    found = find_quantities(cell)
    if len(found) == 1 and not cell[:found[0].start].strip(_CELL_WRAPPERS) and not cell[found[0].end:].strip(_CELL_WRAPPERS):
        return found[0]
    try:
        value = parse_numeral(stripped)
    except (ValueError, ArithmeticError):
        return None
    return Quantity(value, None, "", "", "=", offset, offset + len(stripped), offset, offset + len(stripped),
                    stripped, "quantity")


#: What may surround a number in a cell without making it something else: （2021—2025年）, “95%”.
_CELL_WRAPPERS = " \t\n\r\u3000\u2002()（）[]【】“”\"'"

_UNIT_TEXT = {"pp": "个百分点", "月": "个月", "岁": "岁"}


def format_quantity(q: Quantity) -> str:
    """Text that :func:`parse_cell` reads back to the same value, value_high, unit and comparator.

    >>> format_quantity(parse_cell("98%以上")), format_quantity(parse_cell("1—2项")), format_quantity(parse_cell("约5"))
    ('≥98%', '1—2项', '5左右')
    """
    unit = _UNIT_TEXT.get(q.unit, q.unit)

    def num(v: Decimal, plain: bool) -> str:
        # the second try adds a zero, so 2025年 (a year) reads as 2025.0年 and 2.2035年 (an item
        # number glued to a year, "2.2035远景目标") as 2.20350年
        s = format(v, "f")
        return s if plain else s + "0" if "." in s else s + ".0"

    for plain in (True, False):
        if q.comparator == "range" and q.value_high is not None:
            text = f"{num(q.value, plain)}—{num(q.value_high, plain)}{unit}"
        elif q.comparator in COMPARATOR_SYMBOLS:
            text = f"{COMPARATOR_SYMBOLS[q.comparator]}{num(q.value, plain)}{unit}"
        elif q.comparator == "approx":
            text = f"{num(q.value, plain)}{unit}左右"
        else:
            text = f"{num(q.value, plain)}{unit}"
        back = parse_cell(text)
        if back is not None and (back.value, back.value_high, back.unit, back.comparator) == (
                q.value, q.value_high, q.unit, q.comparator):
            return text
    return text
