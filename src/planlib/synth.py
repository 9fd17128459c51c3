"""Synthetic plans with known numbers, for benchmarks and round-trip tests.

Each plan has a title, prose targets and an indicator table in one of several flattened
layouts; ``truth`` lists every table cell (label, year, value) so a test can check that
parsing gives the numbers back.
"""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROWS = [  # (section, label, unit in label, low, high, decimals)
    ("学前教育", "学前三年毛入园率（%）", "%", 80, 99, 1),
    ("学前教育", "在园幼儿数（万人）", "万人", 0.5, 5, 4),
    ("义务教育", "九年义务教育巩固率（%）", "%", 90, 100, 1),
    ("义务教育", "在校学生数（人）", "人", 8000, 90000, 0),
    ("高中阶段教育", "高中阶段毛入学率（%）", "%", 85, 99, 1),
    ("人力资源开发", "劳动年龄人口平均受教育年限（年）", "年", 9, 12, 1),
    ("教育投入", "财政性教育经费占一般公共预算支出的比例（%）", "%", 12, 22, 1),
]
LAYOUTS = ("cell_per_line", "tab_cells", "space_rows", "indexed_rows")
PROSE = [
    "到{year}年，学前三年毛入园率达到{a}%以上，九年义务教育巩固率达到{b}%。",
    "新建、改扩建幼儿园{n}所，新增学位{m}个。",
    "培养县级骨干教师{n}名，建成名师工作室{k}个。",
    "“十三五”期间，累计投入教育经费{e}亿元，资助学生{m}人次。",
    "全面贯彻党的教育方针，落实立德树人根本任务，推进教育现代化。",
    "深化教育评价改革，健全学校家庭社会协同育人机制。",
]


@dataclass
class SynthPlan:
    text: str
    layout: str
    truth: list[tuple[str, int, float]] = field(default_factory=list)  # (label, year, value normalised)


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def make_plan(seed: int, paragraphs: int | None = None, layout: str | None = None) -> SynthPlan:
    rng = random.Random(seed)
    layout = layout or LAYOUTS[seed % len(LAYOUTS)]
    years = [2020, 2025] if rng.random() < 0.6 else [2020, 2022, 2025]
    rows = rng.sample(ROWS, k=rng.randint(3, len(ROWS)))
    place = rng.choice(["东山", "西河", "南岭", "北川", "青石", "白云"]) + rng.choice(["县", "市", "区"])
    lines = [f"{place}教育事业发展“十四五”规划", ""]
    n_par = paragraphs if paragraphs is not None else rng.randint(5, 60)
    for _ in range(n_par // 2):
        lines += [_prose(rng), ""]
    lines += [f"表1 {place}教育“十四五”主要发展指标", ""]
    indexed = layout == "indexed_rows"
    year_heads = [f"基期（{y}年）" if i == 0 else f"{y}年目标值" for i, y in enumerate(years)] if indexed \
        else [f"{y}年" for y in years]
    header = (["序号"] if indexed else []) + ["指标", *year_heads, "属性"]
    truth = []
    body = []
    for k, (section, label, unit, lo, hi, dec) in enumerate(rows, start=1):
        scale = 10000 if unit == "万人" else 1
        values = [round(rng.uniform(lo, hi), dec) for _ in years]
        missing = rng.randrange(len(years)) if indexed and rng.random() < 0.3 else None  # a — cell
        shown = ["—" if i == missing else _fmt(v, dec) for i, v in enumerate(values)]
        cells = ([str(k)] if indexed else []) + [label, *shown, rng.choice(["预期性", "约束性"])]
        truth += [(label, y, round(v * scale, 6)) for i, (y, v) in enumerate(zip(years, values)) if i != missing]
        body.append(cells)
    if layout in ("space_rows", "indexed_rows"):
        lines += [" ".join(header)] + [" ".join(c) for c in body]
    elif layout == "tab_cells":
        for row in [header, *body]:
            lines += [f"\t{c}" for c in row] + [""]
    else:
        for row in [header, *body]:
            for c in row:
                lines += [c, ""]
    lines.append("")
    for _ in range(n_par - n_par // 2):
        lines += [_prose(rng), ""]
    return SynthPlan("\n".join(lines) + "\n", layout, truth)


def _prose(rng: random.Random) -> str:
    t = rng.choice(PROSE)
    return t.format(year=rng.choice([2022, 2025]), a=rng.randint(85, 99), b=round(rng.uniform(95, 100), 1),
                    n=rng.randint(2, 60), m=rng.randint(100, 20000), k=rng.randint(1, 20),
                    e=round(rng.uniform(1, 30), 2))


# ---------------------------------------------------------------------------------------------
# a benchmark corpus made from real plans: other place names, every number changed, layouts kept

#: characters the made-up place names are drawn from (two of them, then 县/市/区)
_NAME_CHARS = "安宝长丰福广和华嘉江金康乐临隆明宁平清庆仁荣瑞山盛寿顺泰通望文武西祥新兴延阳宜永裕远岳云泽忠丹凤桂兰林松柏竹梅鹤源湖峰定昌德"
_ADMIN = ("县", "县", "县", "市", "区")
#: four-digit years are kept (the period and the years of every number are part of a plan's layout)
_YEAR = range(1949, 2051)
_DIGITS = re.compile(r"[0-9]+")


def made_up_names(n: int, seed: int = 0) -> list[str]:
    """``n`` different place names of two characters and an administrative suffix, in a seeded order.

    >>> made_up_names(3) == made_up_names(3), len(set(made_up_names(500)))
    (True, 500)
    """
    pairs = [a + b for a in _NAME_CHARS for b in _NAME_CHARS if a != b]
    if n > len(pairs):
        raise ValueError(f"at most {len(pairs)} made-up names")
    rng = random.Random(seed)
    rng.shuffle(pairs)
    return [p + rng.choice(_ADMIN) for p in pairs[:n]]


def change_numbers(text: str, rng: random.Random) -> str:
    """Every run of ASCII digits given other digits of the same length, except years and outline numbers.

    Kept: four-digit years (1949–2050) and a number of one or two digits opening a line (``1.``, a
    table's row number), so a plan's periods, outline and table layouts stay as they were.

    >>> change_numbers("1.在校生1234人，2025年达到98.5%", random.Random(1))
    '1.在校生3914人，2025年达到27.8%'
    """
    def repl(m: re.Match) -> str:
        s = m.group(0)
        if len(s) == 4 and int(s) in _YEAR:
            return s
        if len(s) <= 2 and (m.start() == 0 or text[m.start() - 1] == "\n"):
            return s
        first = "0" if s[0] == "0" else str(rng.randint(1, 9))
        return first + "".join(str(rng.randint(0, 9)) for _ in s[1:])

    return _DIGITS.sub(repl, text)


def corpus_plan(template: str, names: tuple[str, ...], new_name: str, seed: int) -> str:
    """A plan made from ``template``: each of its place ``names`` (and bare forms) replaced, numbers changed."""
    bare_new = new_name[:-1]
    for name in sorted(names, key=len, reverse=True):
        text_new = new_name if name[-1:] in "省县市区" else bare_new
        template = template.replace(name, text_new)
        if name[-1:] in "县市区" and len(name) >= 3:
            template = template.replace(name[:-1], bare_new)
    return change_numbers(template, random.Random(seed))


def write_corpus(raw_dir: str | os.PathLike, out_dir: str | os.PathLike, n: int, seed: int = 0) -> list[Path]:
    """Write ``n`` plans made from the plans in ``raw_dir`` (cycled) and their sources.csv into ``out_dir``.

    The template's own place name (``name_zh`` in its sources.csv, and the bare name) becomes a
    made-up one; every other field of sources.csv is carried over with the names replaced.
    """
    import csv

    from .extract.metadata import read_sources

    raw, out = Path(raw_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    templates = sorted(raw.glob("*.txt"))
    if not templates:
        raise ValueError(f"{raw}: no plan texts to make a corpus from")
    sources = read_sources(raw)
    texts = {p.stem: p.read_text(encoding="utf-8") for p in templates}
    names = made_up_names(n, seed)
    rows, written = [], []
    width = max(4, len(str(n)))
    for i in range(n):
        src = templates[i % len(templates)].stem
        row = dict(sources.get(src, {}))
        own = tuple(x for x in [row.get("name_zh", "")] if x)
        slug = f"p{i:0{width}d}"
        name = names[i][:-1] + own[0][-1] if own and own[0][-1:] in "县市区" else names[i]
        path = out / f"{slug}.txt"
        path.write_text(corpus_plan(texts[src], own, name, seed * 1_000_003 + i), encoding="utf-8")
        written.append(path)
        if row:
            for k, v in list(row.items()):
                if isinstance(v, str) and own:
                    row[k] = v.replace(own[0], name).replace(own[0][:-1], name[:-1])
            row.update(slug=slug, name_en=slug, url="", date_accessed="")
            rows.append(row)
    if rows:
        fields = list(rows[0])
        with open(out / "sources.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=fields)
            w.writeheader()
            w.writerows(rows)
    return written
