"""Render the course to static HTML: every lesson, its exercise version and the capstone, in one folder with an index.

``python -m planlib.course render [--out DIR] [--no-execute]`` (or ``make course-html``) runs each lesson and the
capstone notebooks top to bottom and writes them with nbconvert into ``build/course-html/`` (git-ignored); the
exercise versions are written as they are, unanswered. Output HTML is sanitised by nbconvert (no script or raw HTML
from outputs: plan text is shown, never run), and the index is built with every title escaped. The folder is written
beside the target and moved in whole, so a failed render leaves the previous one in place.
"""
from __future__ import annotations

import html
import os
import shutil
import tempfile
from pathlib import Path

import nbformat

from .. import paths
from .course import EXERCISES_DIRNAME, TEACHING_DIR

DEFAULT_OUT = paths.PROJECT_ROOT / "build" / "course-html"
CAPSTONE_DIRNAME = "capstone"


def course_notebooks(teaching_dir: Path = TEACHING_DIR) -> list[tuple[str, Path, bool]]:
    """(group, notebook, execute?) for every notebook of the course, in reading order."""
    out = [("lesson", p, True) for p in sorted(teaching_dir.glob("*.ipynb"))]
    out += [("exercise", p, False) for p in sorted((teaching_dir / EXERCISES_DIRNAME).glob("*.ipynb"))]
    out += [("capstone", p, True) for p in sorted((teaching_dir / CAPSTONE_DIRNAME).glob("*.ipynb"))]
    return out


def title_of(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The first Markdown heading of a notebook (its title), else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def _exporter():
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.sanitize_html = True  # outputs may hold plan text: no script, no raw HTML
    return exporter


def _execute(nb: nbformat.NotebookNode, cwd: Path, processed_dir: str | None, timeout: int) -> None:
    from nbconvert.preprocessors import ExecutePreprocessor

    if processed_dir is not None:
        for cell in nb.cells:
            if "parameters" in cell.metadata.get("tags", []):
                cell.source += f"\nprocessed_dir = {str(processed_dir)!r}  # set by planlib.course render"
    ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(nb, {"metadata": {"path": str(cwd)}})


INDEX = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'none'; style-src 'unsafe-inline'">
<title>planlib 课程 · The planlib course</title>
<style>body{{font-family:sans-serif;max-width:52em;margin:2em auto;line-height:1.5}}li{{margin:.3em 0}}</style>
</head><body>
<h1>planlib 课程 · The planlib course</h1>
<p>教师指南 · Instructor guide: <code>docs/teaching.md</code> in the repository.</p>
{sections}
</body></html>
"""
GROUPS = {"lesson": "课程（教师版，含答案） · Lessons (solution versions)",
          "exercise": "练习版 · Exercise versions (for students)",
          "capstone": "综合作业 · Capstone"}


def index_html(entries: list[tuple[str, str, str]]) -> str:
    """The index page: ``entries`` of (group, file name, title), every string escaped."""
    sections = []
    for group, heading in GROUPS.items():
        items = [f'<li><a href="{html.escape(name, quote=True)}">{html.escape(title)}</a></li>'
                 for g, name, title in entries if g == group]
        if items:
            sections.append(f"<h2>{html.escape(heading)}</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>")
    return INDEX.format(sections="\n".join(sections))


def render(out_dir: str | Path | None = None, execute: bool = True, processed_dir: str | None = None,
           teaching_dir: Path = TEACHING_DIR, timeout: int = 600) -> Path:
    """Write every course notebook as HTML plus ``index.html`` into ``out_dir``; return the folder."""
    out = Path(out_dir) if out_dir else DEFAULT_OUT
    if out.exists() and not (out / "index.html").exists() and any(out.iterdir()):
        raise ValueError(f"{out}: not empty and not a course rendering (no index.html): refusing to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        exporter, entries = _exporter(), []
        for group, path, run in course_notebooks(teaching_dir):
            nb = nbformat.read(path, as_version=4)
            if run and execute:
                _execute(nb, path.parent, processed_dir, timeout)
            name = f"{group}-{path.stem}.html" if group != "lesson" else f"{path.stem}.html"
            body, _ = exporter.from_notebook_node(nb)
            (tmp / name).write_text(body, encoding="utf-8")
            entries.append((group, name, title_of(nb, path.stem)))
        (tmp / "index.html").write_text(index_html(entries), encoding="utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
