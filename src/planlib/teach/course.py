"""The teaching course: exercise versions of the lesson notebooks, and the few helpers the lessons call.

Each lesson in ``notebooks/teaching/`` is written once, with its answers. A cell tagged
``solution`` holds an answer (``answer_x = ...``); a later cell tagged ``check`` tests it
with a plain ``assert`` and prints a note instead while the answer is still ``None``.
:func:`make_exercises` writes the student version: every solution cell reduced to its
comment lines (the hints) and ``answer_x = None``, every output cleared. Markdown cells
tagged ``solution`` (a worked discussion) are replaced by a pointer to the solution
version. Both versions run top to bottom, because no cell other than a check reads an answer.
"""
from __future__ import annotations

import ast
import copy
import re
from pathlib import Path

import nbformat
import pandas as pd

from .. import paths

SOLUTION_TAG = "solution"
CHECK_TAG = "check"
EXERCISES_DIRNAME = "exercises"
TEACHING_DIR = paths.NOTEBOOKS_DIR / "teaching"

EXERCISE_BANNER = (
    "> **练习版 · Exercise version.** 由 `planlib.teach.course.make_exercises` 从 `../{name}` 生成，请勿直接编辑。"
    " Generated from `../{name}` — edit the source, then run `python -m planlib.teach.course`.\n"
    "> 把每个 `answer_… = None` 换成你的答案，再运行下面的检查单元。"
    " Replace each `answer_… = None` with your answer, then run the check cell below it."
)
BLANK_MARKDOWN = "*（讨论见教师版 · see the solution version for a worked discussion）*"


# ---------------------------------------------------------------------------------------------
# exercise versions


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


ANSWER_PREFIX = "answer"


def answer_names(source: str) -> list[str]:
    """Names a solution cell assigns at top level that start with ``answer`` (helpers are not answers).

    >>> answer_names("# hint\\nanswer_a = 1\\nx, answer_b = 2, 3\\nfor i in []: pass")
    ['answer_a', 'answer_b']
    """
    names: list[str] = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        for target in targets:
            for n in ast.walk(target):
                if isinstance(n, ast.Name) and n.id.startswith(ANSWER_PREFIX) and n.id not in names:
                    names.append(n.id)
    return names


def blank_solution(source: str) -> str:
    """The exercise form of a solution cell: its comment lines, then ``name = None`` per answer.

    >>> print(blank_solution("# 提示 · hint: use max()\\nanswer_top = max([1, 2])  # the answer"))
    # 提示 · hint: use max()
    answer_top = None  # 你的答案 · your answer
    """
    hints = [line for line in source.splitlines() if line.lstrip().startswith("#")]
    names = answer_names(source)
    if not names:
        raise ValueError(f"solution cell assigns no answer_… name:\n{source}")
    return "\n".join(hints + [f"{name} = None  # 你的答案 · your answer" for name in names])


def exercise_notebook(nb: nbformat.NotebookNode, source_name: str) -> nbformat.NotebookNode:
    """A copy of ``nb`` with solutions blanked and all outputs cleared."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
        if SOLUTION_TAG in _tags(cell):
            cell.source = blank_solution(cell.source) if cell.cell_type == "code" else BLANK_MARKDOWN
    banner = nbformat.v4.new_markdown_cell(EXERCISE_BANNER.format(name=source_name))
    banner.id = "exercise-banner"
    banner.metadata["tags"] = ["banner"]
    first_md = next((i for i, c in enumerate(out.cells) if c.cell_type == "markdown"), -1)
    out.cells.insert(first_md + 1, banner)
    out.metadata.pop("papermill", None)
    return out


def check_course_notebook(nb: nbformat.NotebookNode, name: str = "") -> None:
    """Raise ValueError unless every answer is checked later by a cell that tests it for None."""
    pending: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        tags = _tags(cell)
        if cell.cell_type == "code" and SOLUTION_TAG in tags:
            for answer in answer_names(cell.source):
                pending[answer] = i
        if CHECK_TAG in tags:
            for answer in list(pending):
                if re.search(rf"\b{re.escape(answer)}\s+is\s+None\b", cell.source):
                    del pending[answer]
    if pending:
        raise ValueError(f"{name}: answers without a later check cell that tests `is None`: {sorted(pending)}")


def make_exercises(src_dir: str | Path | None = None, out_dir: str | Path | None = None) -> list[Path]:
    """Write the exercise version of every lesson in ``src_dir`` into ``out_dir``; return the paths written."""
    src = Path(src_dir) if src_dir else TEACHING_DIR
    out = Path(out_dir) if out_dir else src / EXERCISES_DIRNAME
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(src.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        check_course_notebook(nb, path.name)
        target = out / path.name
        nbformat.write(exercise_notebook(nb, path.name), target)
        written.append(target)
    return written


def clear_outputs(path: str | Path) -> None:
    """Strip outputs and execution counts from a notebook in place (notebooks are committed clean)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, path)


# ---------------------------------------------------------------------------------------------
# helpers the lessons call (thin cells, logic here where it can be tested)


def plan_text(county: str, raw_dir: str | Path | None = None):
    """The plan of ``county`` (a :class:`planlib.read.text.PlanText`) as the tables' ``text_file`` holds it:
    the raw text of a .txt plan, the derived text of a web page or Word file (the lines rows cite)."""
    from ..errors import PlanlibError
    from ..read.formats import read_any

    raw = paths.resolve(raw_dir, paths.RAW_DIR)
    found = sorted(p for p in raw.glob(f"{county}.*") if p.is_file() and p.stem == county)
    if not found:
        raise PlanlibError(f"{raw}: no plan file for {county!r}")
    return read_any(found[0], paths.PROCESSED_DIR / "text")


def plan_slugs(raw_dir: str | Path | None = None) -> list[str]:
    """The slug of every plan in the raw folder, whatever its format (.txt, .html, .docx …)."""
    from ..build.pipeline import plan_files

    return [p.stem for p in plan_files(paths.resolve(raw_dir, paths.RAW_DIR))]


def plan_document(county: str, raw_dir: str | Path | None = None):
    """The plan of ``county`` read once as a :class:`planlib.read.document.Document` (headings, period, furniture)."""
    from ..read.document import Document

    return Document(plan_text(county, raw_dir))


def show(fig, dpi: int = 110) -> None:
    """Display a matplotlib Figure in the notebook as a PNG (planlib's figures are not pyplot figures)."""
    import io

    from IPython.display import Image, display

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    display(Image(data=buf.getvalue(), format="png"))


def cite(rows: pd.DataFrame) -> pd.Series:
    """``file:line`` for every row (the file its text_file, where there is one), the form ``sed -n`` opens.

    >>> cite(pd.DataFrame({"source_file": ["data/raw/a.txt"], "line": [12]})).tolist()
    ['a.txt:12']
    """
    files = rows["source_file"]
    if "text_file" in rows.columns:  # the text the line is in (a web page's or Word file's derived text)
        files = rows["text_file"].where(rows["text_file"].notna() & (rows["text_file"] != ""), files)
    return files.map(lambda s: Path(str(s)).name) + ":" + rows["line"].astype("Int64").astype(str)


def endpoints(targets: pd.DataFrame, indicator_ids=None, domain: str | None = None) -> pd.DataFrame:
    """Latest baseline and latest target per (county, indicator, level), each with its cited line.

    An indicator-table row is preferred to a prose row stating the same number; rows
    without an indicator_id are left out. Missing baselines or targets stay empty.
    """
    rows = targets[targets["indicator_id"].notna() & (targets["indicator_id"] != "")]
    rows = rows[rows["kind"].isin(["baseline", "target"])]
    if indicator_ids is not None:
        rows = rows[rows["indicator_id"].isin(list(indicator_ids))]
    if domain is not None:
        rows = rows[rows["domain"] == domain]
    rows = rows.assign(_prose=(rows["source"] != "table").astype(int), level=rows["level"].fillna(""),
                       cited=cite(rows) if len(rows) else pd.Series(dtype=str))
    rows = rows.sort_values(["year", "_prose", "line"], ascending=[True, False, False], na_position="first")
    out = []
    for (county, ind, level), group in rows.groupby(["county", "indicator_id", "level"], sort=True):
        rec = {"county": county, "indicator_id": ind, "level": level,
               "indicator_zh": group.iloc[-1]["indicator_zh"], "unit": group.iloc[-1]["unit"]}
        for kind in ("baseline", "target"):
            last = group[group["kind"] == kind].tail(1)
            rec[kind] = float(last["value"].iloc[0]) if len(last) else None
            rec[f"{kind}_year"] = last["year"].iloc[0] if len(last) else pd.NA
            rec[f"{kind}_cited"] = last["cited"].iloc[0] if len(last) else ""
        out.append(rec)
    columns = ["county", "indicator_id", "indicator_zh", "level", "unit", "baseline", "baseline_year",
               "baseline_cited", "target", "target_year", "target_cited"]
    df = pd.DataFrame(out, columns=columns)
    df["baseline_year"] = df["baseline_year"].astype("Int64")
    df["target_year"] = df["target_year"].astype("Int64")
    return df.astype({"baseline": "Float64", "target": "Float64"})


#: Student counts summed for an "all levels" teacher count: each top group, or its parts when the whole is missing.
STUDENT_GROUPS = {"preschool": ("preschool",), "compulsory": ("primary", "junior"),
                  "senior_secondary": ("general_high", "vocational")}
HEADCOUNT_UNITS = ("人", "名")


def _student_counts(targets: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    counts = indicators[(indicators["domain"] == "enrollment") & (indicators["unit"] == "人")]["indicator_id"]
    rows = targets[targets["indicator_id"].isin(counts) & targets["kind"].isin(["baseline", "target"])
                   & targets["year"].notna()]
    rows = rows.assign(_prose=(rows["source"] != "table").astype(int), level=rows["level"].fillna(""))
    rows = rows.sort_values(["_prose", "line"]).drop_duplicates(["county", "level", "kind", "year"])
    return rows.assign(cited=cite(rows) if len(rows) else pd.Series(dtype=str))


def teachers_per_100_students(targets: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Teacher headcounts set against the plan's own student count for the same year and kind.

    The student count is the enrolment at the teacher row's level; a teacher row without
    a level is set against preschool + compulsory + senior secondary enrolment (parts summed
    where the whole is not given; all three must be there). Only pairs the plan states both
    halves of are returned.
    """
    teacher_ids = indicators[indicators["domain"] == "teachers"]["indicator_id"]
    teachers = targets[targets["indicator_id"].isin(teacher_ids) & targets["unit"].isin(HEADCOUNT_UNITS)
                       & targets["kind"].isin(["baseline", "target"]) & targets["year"].notna()]
    students = _student_counts(targets, indicators)
    out = []
    for t in teachers.itertuples(index=False):
        mine = students[(students["county"] == t.county) & (students["year"] == t.year) & (students["kind"] == t.kind)]
        level = t.level if isinstance(t.level, str) else ""
        if level and level != "all":
            used = mine[mine["level"] == level]
        else:
            groups = [_group_rows(mine, whole, parts) for whole, parts in STUDENT_GROUPS.items()]
            used = pd.concat(groups) if all(len(g) for g in groups) else mine.iloc[0:0]
        if used.empty:
            continue
        n = float(used["value"].sum())
        out.append({"county": t.county, "year": int(t.year), "kind": t.kind, "indicator_id": t.indicator_id,
                    "indicator_zh": t.indicator_zh, "teachers": float(t.value), "students": n,
                    "per_100_students": 100 * float(t.value) / n if n else None,
                    "teacher_cited": f"{Path(str(t.source_file)).name}:{t.line}",
                    "students_cited": ", ".join(used["cited"])})
    columns = ["county", "year", "kind", "indicator_id", "indicator_zh", "teachers", "students",
               "per_100_students", "teacher_cited", "students_cited"]
    return pd.DataFrame(out, columns=columns)


def _group_rows(rows: pd.DataFrame, whole: str, parts: tuple[str, ...]) -> pd.DataFrame:
    if (rows["level"] == whole).any():
        return rows[rows["level"] == whole]
    return rows[rows["level"].isin(parts)]


def cells_to_rebuild(targets: pd.DataFrame, county: str, n: int = 3) -> tuple[pd.DataFrame, list[int]]:
    """The rows of the plan's first indicator table, and the first ``n`` of its lines students rebuild by hand."""
    rows = targets[(targets["county"] == county) & (targets["source"] == "table")]
    if rows.empty:
        return rows, []
    first = rows[rows["table_id"] == rows["table_id"].iloc[0]]
    return first, sorted(int(x) for x in first["line"].unique())[:n]


def finding_rows(finding, targets: pd.DataFrame) -> pd.DataFrame:
    """The targets rows a cross-source finding sets against each other: its place, lines, indicator and year.

    A finding names its indicator by id, or (numbers the dictionary cannot name) by the label its message starts with.
    """
    lines = _cited_numbers(finding["lines"])
    rows = targets[(targets["county"] == finding["county"]) & targets["line"].isin(lines)]
    if isinstance(finding["indicator_id"], str) and finding["indicator_id"]:
        rows = rows[rows["indicator_id"] == finding["indicator_id"]]
    else:
        rows = rows[rows["indicator_zh"] == str(finding["message"]).split(" ")[0]]
    if pd.notna(finding["year"]):
        rows = rows[rows["year"] == finding["year"]]
    kind = re.search(r"\((baseline|target|change)\)", str(finding["message"]))
    rows = rows[rows["kind"] == kind.group(1)] if kind else rows
    stated = finding_values(finding["message"])  # the value the message gives for each line, when it names one
    if stated:
        def _num(v):
            try:
                return float(str(v).rstrip("%％"))
            except ValueError:
                return None
        keep = rows.apply(lambda r: _num(r["value_raw"]) in {_num(v) for v in stated.get(int(r["line"]), [])}, axis=1)
        if len(rows) and keep.any():
            rows = rows[keep]
    return rows


def table_text_conflict(checks: pd.DataFrame, targets: pd.DataFrame, county: str):
    """The first finding of ``county`` where the indicator table and the running text give different values,
    with the rows involved; ``(None, empty)`` if there is none."""
    found = checks[(checks["county"] == county) & (checks["check"] == "cross_source_conflict")]
    for _, finding in found.iterrows():
        rows = finding_rows(finding, targets)
        if {"table", "prose"} <= set(rows["source"]):
            return finding, rows
    return None, targets.iloc[0:0]


def conflict_finding(checks: pd.DataFrame, targets: pd.DataFrame, domain: str, severity: str | None = None):
    """The first cross-source finding (of ``severity``, if given) about numbers of ``domain``, with its rows."""
    found = checks[checks["check"] == "cross_source_conflict"]
    if severity:
        found = found[found["severity"] == severity]
    for _, finding in found.iterrows():
        rows = finding_rows(finding, targets)
        if len(rows) >= 2 and (rows["domain"] == domain).all():
            return finding, rows
    raise LookupError(f"no cross_source_conflict finding about {domain} numbers")


#: What two numbers must share to stand side by side (the comparison's rule: a stock never beside a flow, a level at
#: a date never beside a five-year total).
LIKE_KEYS = ("indicator_id", "level", "year", "kind", "basis", "span_start", "span_end", "unit", "measure_type")


def like_with_like(targets: pd.DataFrame, place_a: str, place_b: str, domain: str | None = None) -> pd.DataFrame:
    """The numbers both places state on the same measure: same indicator, level, year, kind, basis (and span), unit
    and measure type, one row per measure with each place's value and cited line (a table row preferred).

    Numbers only one place states, or that the two state on different bases, are left out: they are not comparable.
    """
    rows = targets[targets["county"].isin([place_a, place_b]) & targets["indicator_id"].notna()
                   & (targets["indicator_id"] != "") & targets["kind"].isin(["baseline", "target"])]
    if domain is not None:
        rows = rows[rows["domain"] == domain]
    rows = rows.assign(level=rows["level"].fillna(""), _prose=(rows["source"] != "table").astype(int),
                       cited=cite(rows) if len(rows) else pd.Series(dtype=str))
    rows = rows.sort_values(["_prose", "line"]).drop_duplicates(["county", *LIKE_KEYS])
    keys = [k for k in LIKE_KEYS]
    a = rows[rows["county"] == place_a]
    b = rows[rows["county"] == place_b]
    both = a.merge(b, on=keys, suffixes=(f"_{place_a}", f"_{place_b}"), how="inner")
    # NA-keyed columns (no span, no year) must match as NA on both sides: merge already pairs <NA> with <NA>.
    columns = ["indicator_id", f"indicator_zh_{place_a}", "level", "year", "kind", "basis", "unit", "measure_type",
               f"value_{place_a}", f"cited_{place_a}", f"value_{place_b}", f"cited_{place_b}"]
    out = both[columns].rename(columns={f"indicator_zh_{place_a}": "indicator_zh"})
    return out.sort_values(["indicator_id", "level", "year", "kind"]).reset_index(drop=True)


_CITATION = re.compile(r"[\[（(]\s*((?:[a-z][a-z0-9_]*\.txt:\d+\s*(?:[,，;；]\s*)?)+)[\]）)]")
_CITED_LINE = re.compile(r"([a-z][a-z0-9_]*)\.txt:(\d+)")
_NUMBER_BEFORE = re.compile(r"([0-9][0-9,，]*(?:\.[0-9]+)?)[^0-9]{0,8}$")


def check_citations(text: str, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Every ``(place.txt:line)`` citation in a memo, with the number written just before it, and whether the cited
    line exists and holds that number — a memo's self-check before it is handed in.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("x\\n入园率达到95%\\n", encoding="utf-8")
    >>> check_citations("目标为 95%（a.txt:2），基期 90%（a.txt:1）", d)[["cited", "number", "ok"]].values.tolist()
    [['a.txt:2', '95', True], ['a.txt:1', '90', False]]
    """
    rows = []
    for m in _CITATION.finditer(text):
        before = _NUMBER_BEFORE.search(text[max(0, m.start() - 30):m.start()])
        number = before.group(1).replace(",", "").replace("，", "") if before else ""
        for place, n in _CITED_LINE.findall(m.group(1)):
            try:
                plan = plan_text(place, raw_dir)
                line = plan.line(int(n)) if 1 <= int(n) <= len(plan.lines) else None
            except (FileNotFoundError, OSError):
                line = None
            holds = line is not None and (not number or number in line.replace(",", ""))
            rows.append({"cited": f"{place}.txt:{n}", "number": number, "line_exists": line is not None, "ok": holds,
                         "line": (line or "").strip()})
    return pd.DataFrame(rows, columns=["cited", "number", "line_exists", "ok", "line"])


_NUMBER = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千万亿两]+(?:[个%％]|亿|万|元|所|人|名)")


def funding_sentences(plan) -> pd.DataFrame:
    """Sentences of a plan about money (by the domain keyword dictionary), flagged by whether they hold a number.

    An unquantified sentence is a promise without a figure: 加大投入, 保障经费.
    """
    from ..extract.dictionary import domain_of
    from .textmine import sentences

    s = sentences(plan)
    s = s[s["sentence"].map(lambda x: domain_of(x) == "funding")].copy()
    s["quantified"] = s["sentence"].map(lambda x: bool(_NUMBER.search(x)))
    s["cited"] = cite(s) if len(s) else pd.Series(dtype=str)
    return s.reset_index(drop=True)


def _cited_numbers(lines) -> list[int]:
    return [int(n) for n in re.split(r"[;,\s]+", lines) if n] if isinstance(lines, str) else [int(n) for n in lines]


def _pieces(text: str, highlight) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, highlighted) parts: each value of ``highlight`` found, or the whole line."""
    values = [str(v) for v in (highlight or []) if str(v)]
    indent = text[:len(text) - len(text.lstrip())]
    if not values:
        return [(indent, False), (text[len(indent):], True)] if indent else [(text, True)]
    # a value is a whole number: "20" is not the 20 of 2025, "5" not the 5 of 1.5
    pattern = re.compile(r"(?<![0-9.．])(?:" + "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
                         + r")(?![0-9])")
    out, at = [], 0
    for m in pattern.finditer(text):
        out += [(text[at:m.start()], False), (m.group(), True)]
        at = m.end()
    out.append((text[at:], False))
    if any(h for _, h in out):
        return [p for p in out if p[0]]
    bare = [v.rstrip("%％") for v in values if v.endswith(("%", "％"))]
    return _pieces(text, bare) if bare else _pieces(text, None)


def quote_lines(county: str, lines, raw_dir: str | Path | None = None, context: int = 2,
                highlight=None) -> pd.DataFrame:
    """The raw lines a finding cites (``lines`` as ``"91;248"`` or numbers), with ``context`` lines around each.

    A cell of a flattened table (a line that is just ``97``) is read by its neighbours, so they are shown too.
    Cited lines are marked ``▶`` and, in ``text``, the values of ``highlight`` (a list, or ``{line: values}``)
    found on them, or else the whole line, are put in 【】. Lines are never cut. :func:`quote_html` renders the
    result with the text escaped; :func:`quote_text` prints it.
    """
    numbers = _cited_numbers(lines)
    plan = plan_text(county, raw_dir)
    for n in numbers:
        if not 1 <= n <= len(plan.lines):
            raise ValueError(f"{plan.path.name}: no line {n} (the file has {len(plan.lines)} lines)")
    shown = sorted({k for n in numbers for k in range(max(1, n - context), min(len(plan.lines), n + context) + 1)})
    cited = set(numbers)
    texts, pieces = [], {}
    for k in shown:
        raw = plan.original_lines[k - 1].rstrip()
        if k in cited:
            pieces[k] = _pieces(raw, highlight.get(k) if isinstance(highlight, dict) else highlight)
            raw = "".join(f"【{p}】" if h else p for p, h in pieces[k])
        texts.append(raw)
    q = pd.DataFrame({"cited": [f"{plan.path.name}:{k}" for k in shown], "line": shown,
                      "mark": ["▶" if k in cited else "" for k in shown], "text": texts})
    q.attrs["pieces"] = {k: [(p, h) for p, h in v] for k, v in pieces.items()}
    q.attrs["raw"] = {k: plan.original_lines[k - 1].rstrip() for k in shown}
    return q


_LINE_VALUE = re.compile(r"line (\d+): [<>≤≥＜＞]?([0-9]+(?:\.[0-9]+)?%?)")


def finding_values(message: str) -> dict[int, list[str]]:
    """The value a finding's message gives for each line it names (``line 36: 95%``), to highlight.

    A table cell often holds the bare number (``97`` under a ``%`` header): :func:`quote_lines` then finds it
    without its ``%``.

    >>> finding_values("x differs: prose line 36: 95%; t1 line 214: 97%")
    {36: ['95%'], 214: ['97%']}
    """
    out: dict[int, list[str]] = {}
    for m in _LINE_VALUE.finditer(str(message)):
        out.setdefault(int(m.group(1)), []).append(m.group(2))
    return out


def quote_html(quoted: pd.DataFrame) -> str:
    """A :func:`quote_lines` result as an HTML table: plan text escaped, highlighted values in ``<mark>``."""
    import html

    pieces, raw = quoted.attrs.get("pieces", {}), quoted.attrs.get("raw", {})
    rows = []
    for r in quoted.itertuples(index=False):
        if r.line in pieces:
            body = "".join(f"<mark>{html.escape(p)}</mark>" if h else html.escape(p) for p, h in pieces[r.line])
        else:
            body = html.escape(raw.get(r.line, r.text))
        style = ' style="font-weight:bold"' if r.mark else ""
        rows.append(f"<tr{style}><td>{html.escape(r.mark)}</td><td>{html.escape(r.cited)}</td>"
                    f'<td style="text-align:left;white-space:pre-wrap">{body}</td></tr>')
    return "<table>\n" + "\n".join(rows) + "\n</table>"


def quote_text(quoted: pd.DataFrame) -> str:
    """A :func:`quote_lines` result as plain text, one line each: mark, ``file:line``, the whole line."""
    width = max((len(c) for c in quoted["cited"]), default=0)
    return "\n".join(f"{r.mark or ' '} {r.cited:<{width}}  {r.text}" for r in quoted.itertuples(index=False))


def show_quote(county: str, lines, raw_dir: str | Path | None = None, context: int = 2, highlight=None) -> None:
    """Display the cited lines with their context in a notebook (escaped HTML; plain text as fallback)."""
    from IPython.display import display

    q = quote_lines(county, lines, raw_dir, context=context, highlight=highlight)
    display({"text/html": quote_html(q), "text/plain": quote_text(q)}, raw=True)


def main(argv: list[str] | None = None) -> int:
    """``python -m planlib.course [SRC_DIR [OUT_DIR]]``: regenerate the exercise versions.

    ``python -m planlib.course render [--out DIR] [--no-execute] [--processed DIR]``: the course as HTML with an index
    (see :mod:`planlib.teach.render`).
    """
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["render"]:
        import argparse

        from .render import DEFAULT_OUT, render

        parser = argparse.ArgumentParser(prog="python -m planlib.course render",
                                         description="Render every lesson, exercise and capstone notebook to HTML.")
        parser.add_argument("--out", default=str(DEFAULT_OUT), help="folder to write (default: build/course-html)")
        parser.add_argument("--no-execute", action="store_true", help="render as committed, without running")
        parser.add_argument("--processed", default=None, help="folder of the tables (default: data/processed)")
        ns = parser.parse_args(args[1:])
        try:
            out = render(ns.out, execute=not ns.no_execute, processed_dir=ns.processed)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 2
        print(out / "index.html")
        return 0
    for path in make_exercises(*(args[:2])):
        print(path)
    return 0


from . import checks  # noqa: E402  (``course.checks.…`` in the lessons' check cells)

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
