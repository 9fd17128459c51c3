"""A saved government web page as a plan: the article found, page chrome kept as furniture, tables as grids.

The page is decoded as a plan text is (by evidence, :func:`planlib.read.text.decode_bytes`) and parsed
with lxml's HTML parser (no network, no huge trees; an HTML parser defines no entities, so nothing
expands). Scripts, styles and other non-text elements are dropped. The article is found by going
down from ``<body>`` into the child holding most (60 %) of its parent's sentences, while there is one; every line outside it is furniture, labelled
by the nearest landmark (nav, header, footer: data/furniture.yml) or ``chrome``: menus, visit
counters, site codes and phone numbers never give numbers. A ``<table>`` with short cells is a data
table, read as a full grid with rowspan/colspan honoured (:meth:`planlib.read.derived.Builder.table`);
a table used for layout (a nested table, or a cell of running text) is read as blocks.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..errors import PlanFileError
from .derived import Builder, Derived, LineMeta, clean_cell, expand_grid
from .text import ENCODING_NAMES, decode_bytes

#: Elements whose content is never text of the page.
DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas", "head",
           "select", "button", "input", "textarea", "map", "audio", "video")
INLINE = frozenset({"a", "span", "b", "strong", "em", "i", "u", "font", "sup", "sub", "small", "big", "label",
                    "code", "abbr", "cite", "q", "s", "strike", "del", "ins", "mark", "time", "var", "tt", "img",
                    "o:p", "nobr", "wbr"})
#: Going down from <body>, the article is entered while one child holds this share of its parent's sentences.
ARTICLE_SHARE = 0.6
#: A table cell longer than this, or holding two sentences, is running text: the table is a layout table.
MAX_DATA_CELL = 200
_SENTENCE_END = re.compile(r"[。！？]")
_SENTENCE = re.compile(r"[。；，！？]")
_HEADING_LEVEL = {f"h{n}": n for n in range(1, 7)}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)


@lru_cache(maxsize=1)
def _landmarks() -> dict[str, tuple[str, ...]]:
    from ..datafiles import package_yaml

    return {kind: tuple(words) for kind, words in package_yaml("furniture.yml")["html_landmarks"].items()}


def read_html(path: Path, raw: bytes) -> Derived:
    """The derived text of a web page (see the module docstring)."""
    import lxml.etree
    import lxml.html

    text, encoding = decode_bytes(raw, path)
    text = _XML_DECL.sub("", text, count=1)
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=False,
                                  recover=True, default_doctype=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise PlanFileError(path, f"cannot read the web page ({exc})") from exc
    fatal = [e for e in parser.error_log if e.level_name == "FATAL" or e.type_name == "ERR_RESOURCE_LIMIT"]
    if fatal:  # libxml2 stopped reading (elements nested too deep …): what follows would be lost unseen
        raise PlanFileError(path, f"the web page cannot be read whole: {fatal[0].message} (line {fatal[0].line}); "
                            "not a page a browser saves", line=None)
    for el in list(root.iter(*DROPPED)):
        if el.getparent() is not None:
            el.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    article = _article(body)
    out = Builder()
    _Walker(out, article, path).walk(body, _landmark(body) or ("chrome" if article is not body else None))
    return out.derived("html", f"HTML, {ENCODING_NAMES.get(encoding, encoding)}")


def _sentence_chars(el) -> int:
    n = 0
    for t in (el.text, *(c.tail for c in el)):
        if t and _SENTENCE.search(t):
            n += len(t.strip())
    return n


def _article(body):
    """The element that holds the page's running text: from <body> down, into the child that holds
    :data:`ARTICLE_SHARE` of its parent's sentence characters, as long as there is one."""
    weight: dict = {}
    for el in reversed(list(body.iter())):  # children before parents
        if not isinstance(el.tag, str):
            continue
        weight[el] = _sentence_chars(el) + sum(weight.get(c, 0) for c in el)
    node = body
    while weight.get(node, 0):
        nxt = next((c for c in node if isinstance(c.tag, str) and weight.get(c, 0) >= ARTICLE_SHARE * weight[node]),
                   None)
        if nxt is None:
            return node
        node = nxt
    return node


def _landmark(el) -> str | None:
    tag = el.tag if isinstance(el.tag, str) else ""
    words = _landmarks()
    if tag in ("nav", "header", "footer"):
        return tag
    names = f"{el.get('id', '')} {el.get('class', '')}".lower()
    if names.strip():
        for kind, forms in words.items():
            if any(f in names for f in forms):
                return kind
    return None


class _Walker:
    def __init__(self, out: Builder, article, path):
        self.out, self.article, self.path = out, article, path
        self.buf: list[str] = []
        self.buf_kind: str | None = None

    def flush(self, heading: int | None = None) -> None:
        if self.buf:
            self.out.add("".join(self.buf), LineMeta(furniture=self.buf_kind, heading=heading))
            self.buf = []

    def text(self, t: str | None, kind: str | None) -> None:
        if t:
            if not self.buf:
                self.buf_kind = kind
            self.buf.append(t)

    def walk(self, el, kind: str | None) -> None:
        """Emit ``el``'s content; ``kind`` is the furniture kind outside the article (None inside)."""
        if el is self.article:
            kind = None
        elif kind is not None:
            kind = _landmark(el) or kind
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "br":
            self.flush()
            return
        if tag == "table" and self._data_table(el, kind):
            return
        block = tag not in INLINE
        if block:
            self.flush()
        self.text(el.text, kind)
        for child in el:
            if isinstance(child.tag, str):
                self.walk(child, kind)
            self.text(child.tail, kind)
        if block:
            self.flush(_HEADING_LEVEL.get(tag))

    def _data_table(self, table, kind) -> bool:
        """Write ``table`` as a grid if it is a data table; False for a layout table."""
        if table.find(".//table") is not None:
            return False
        rows = [tr for tr in table.iter("tr") if _owner(tr) is table]
        cells = [[c for c in tr if c.tag in ("td", "th")] for tr in rows]
        if len(rows) < 2 or max((len(r) for r in cells), default=0) < 2:
            return False
        texts = [[clean_cell(c.text_content()) for c in row] for row in cells]
        if any(len(t) > MAX_DATA_CELL or len(_SENTENCE_END.findall(t)) >= 2 for row in texts for t in row):
            return False
        spans = [[(t, _span(c, "rowspan"), _span(c, "colspan"), c) for t, c in zip(trow, row)]
                 for trow, row in zip(texts, cells)]
        self.flush()
        caption = table.find("caption")
        if caption is not None:
            self.out.add(caption.text_content(), LineMeta(furniture=kind))
        self.out.table(expand_grid(spans, self.path), furniture=kind)
        return True


def _owner(tr):
    p = tr.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _span(cell, name: str) -> int:
    digits = re.match(r"\s*(\d{1,6})", cell.get(name, "") or "")
    return int(digits.group(1)) if digits else 1
