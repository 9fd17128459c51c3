"""The `planlib` command: build the tables, extract rows from any plan text, run the reports.

Every path given on the command line is taken from the current directory; the defaults are the
project's folders (see :func:`planlib.paths.resolve`).
"""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
from pathlib import Path

from . import __version__
from .errors import PlanlibError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planlib", description="Chinese education five-year plans into tidy, cited tables.")
    p.add_argument("--version", action="version", version=f"planlib {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="parse every plan in data/raw (.txt, .html, .docx) into data/processed "
                       "(CSV + Parquet), all or nothing")
    b.add_argument("--raw", metavar="DIR", help="folder of plan texts (default: data/raw)")
    b.add_argument("--out", metavar="DIR", help="output folder (default: data/processed); must be new, empty "
                   "or an earlier build's output")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar (it shows only on a terminal anyway)")
    b.add_argument("--jobs", type=int, default=None, metavar="N",
                   help="plans parsed at once, in worker processes (default: the machine's cores; 1: in this process)")
    b.add_argument("--cache", metavar="DIR", help="keep each plan's parse here and reuse it while the file, "
                   "planlib and its rules are unchanged (default: .cache/planlib in the project)")
    b.add_argument("--no-cache", action="store_true", help="parse every plan afresh (the cache is neither read nor written)")
    b.add_argument("--cluster", metavar="ADDRESS", help="parse on Dask: 'local' (a LocalCluster of --jobs workers) "
                   "or a scheduler address such as tcp://HOST:8786; needs pip install 'planlib[cluster]'")
    b.add_argument("--no-csv", action="store_true", help="write Parquet only (load_tables reads it); default: CSV and Parquet")

    e = sub.add_parser("extract", help="write the targets rows of any plan file(s) as CSV")
    e.add_argument("files", nargs="+", metavar="FILE", help="plan file(s): text (UTF-8, GB18030 …), web page, Word .docx")
    e.add_argument("-o", "--output", metavar="OUT.csv", help="CSV to write (default: standard output); the text "
                   "derived from a web page or Word file is written beside it as OUT.<slug>.txt")

    a = sub.add_parser("add", help="copy a plan file into data/raw and add its row to data/raw/sources.csv")
    a.add_argument("file", metavar="FILE", help="the plan as published: .txt, .html/.htm, .docx")
    a.add_argument("--slug", help="its slug (default: the file name without suffix)")
    a.add_argument("--name-zh", help="place name in Chinese (某县)")
    a.add_argument("--name-en", help="place name in English")
    a.add_argument("--province", help="province (某省)")
    a.add_argument("--admin-level", help="county, county-level city, prefecture-level city, district …")
    a.add_argument("--url", help="where the plan was published")
    a.add_argument("--date-accessed", help="when it was downloaded (yyyy-mm-dd)")
    a.add_argument("--raw", metavar="DIR", help="raw folder (default: data/raw)")

    c = sub.add_parser("codebook", help="write docs/codebook.md from the schemas and the indicator dictionary")
    c.add_argument("-o", "--output", metavar="FILE", help="where to write (default: docs/codebook.md)")

    r = sub.add_parser("report", help="run the county and comparison notebooks into reports/ and figures/")
    r.add_argument("--county", action="append", metavar="SLUG", help="a county slug (repeatable; default: every plan in the tables)")
    r.add_argument("--counties-from", metavar="FILE", help="a file of slugs, one a line (blank lines and # comments skipped); adds to --county")
    r.add_argument("--jobs", type=int, default=None, metavar="N", help="worker processes (default: the machine's cores)")
    r.add_argument("--out", metavar="DIR", help="root that holds reports/ and figures/ (default: the project root)")
    r.add_argument("--processed", metavar="DIR", help="tables to read (default: data/processed)")
    r.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of every title, heading, axis and table header in the reports and index.html")
    r.add_argument("--svg", action="store_true", help="also save each county figure as SVG (vector; about a third more CPU a report)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "extract":
            return _extract(args)
        if args.command == "add":
            return _add(args)
        if args.command == "report":
            return _report(args)
        if args.command == "codebook":
            from .build.codebook import write_codebook

            print(f"planlib: wrote {write_codebook(args.output)}")
            return 0
    except PlanlibError as exc:
        print(f"planlib: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`planlib extract ... | head`): stop quietly, as cat does;
        # point stdout at devnull so the interpreter's final flush does not complain either
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141  # 128 + SIGPIPE, what a shell reports for a program stopped by a closed pipe
    return 2


def _build(args) -> int:
    """Build the tables; Ctrl-C before they are written (even while the modules load) is one message and 130."""
    try:
        tables = _build_tables(args)
    except KeyboardInterrupt:
        print("planlib: interrupted; nothing written (the previous tables are as they were)", file=sys.stderr)
        return 130
    from .paths import PROCESSED_DIR, resolve

    out = resolve(args.out, PROCESSED_DIR)
    counts = ", ".join(f"{name} {len(df)}" for name, df in tables.items())
    print(f"planlib: wrote {out} ({counts} rows)")
    return 0


def _build_tables(args) -> dict:
    from .build.parallel import default_jobs
    from .build.pipeline import build
    from .paths import CACHE_DIR

    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 1:
        raise PlanlibError("--jobs must be at least 1")
    if args.no_cache and args.cache:
        raise PlanlibError("--cache and --no-cache: give one or the other")
    cache = None if args.no_cache else (args.cache or CACHE_DIR / "planlib")
    return build(args.raw, args.out, progress=not args.quiet, jobs=jobs, cache_dir=cache,
                 cluster=args.cluster, csv=not args.no_csv,
                 notify=lambda message: print(f"planlib: {message}", file=sys.stderr))


def _extract(args) -> int:
    import pandas as pd

    from .build.pipeline import parse_plan

    out = Path(args.output) if args.output else None
    if out is not None and out.is_dir():
        raise PlanlibError(f"{out}: is a folder; -o takes the name of the CSV file to write")
    frames, errors, derived = [], [], []
    stems: dict[str, Path] = {}
    for f in args.files:
        path = Path(f)
        if not path.exists():
            errors.append(f"{path}: no such file")
            continue
        if path.stem in stems and out is not None:
            errors.append(f"{path}: has the slug of {stems[path.stem]}; their derived texts would share a name")
            continue
        stems[path.stem] = path
        text_path = out.with_name(f"{out.stem}.{path.stem}.txt") if out is not None else None
        try:
            parsed = parse_plan(path, text_path=text_path)
        except PlanlibError as exc:
            errors.append(str(exc))
            continue
        frames.append(parsed.targets_frame)
        if parsed.plan.format != "text":
            derived.append(parsed.plan)
    if errors:
        raise PlanlibError("cannot extract:\n  " + "\n  ".join(errors))
    df = pd.concat(frames, ignore_index=True)
    if out is not None:
        for plan in derived:  # the texts text_file names, before the CSV that cites them
            _write_atomically(plan.text_path, lambda tmp, text=plan.text: Path(tmp).write_text(
                text, encoding="utf-8", newline="\n"))
            print(f"planlib: wrote the text derived from {plan.path} to {plan.text_path}", file=sys.stderr)
        _write_atomically(out, lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n"))
        print(f"planlib: wrote {len(df)} rows to {out}", file=sys.stderr)
    else:
        for plan in derived:
            print(f"planlib: {plan.path}: lines refer to the text derived from it, not written "
                  "(give -o OUT.csv to have it written beside the CSV)", file=sys.stderr)
        df.to_csv(sys.stdout, index=False, lineterminator="\n")
        sys.stdout.flush()  # a closed pipe shows here, inside main's handler
    return 0


def _add(args) -> int:
    from .build.add import add_plan

    fields = {"name_zh": args.name_zh, "name_en": args.name_en, "province": args.province,
              "admin_level": args.admin_level, "url": args.url, "date_accessed": args.date_accessed}
    dest = add_plan(args.file, args.raw, args.slug, {k: v for k, v in fields.items() if v is not None})
    print(f"planlib: added {dest} and its row in {dest.parent / 'sources.csv'}; run `planlib build` (or make all)")
    return 0


def _write_atomically(out: Path, write) -> None:
    """Write through a temporary sibling and rename it over ``out``: a reader never sees half a file.

    The temporary is created like any new file (mode 0666 less the umask, not mkstemp's 0600);
    an existing ``out`` keeps its mode.
    """
    if out.parent.exists() and not out.parent.is_dir():
        raise PlanlibError(f"{out}: {out.parent} is a file, not a folder")
    tmp = out.with_name(f".{out.name}-{secrets.token_hex(4)}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "x", encoding="utf-8"):  # exclusive create: never an existing file
            pass
        write(tmp)
        if out.is_file():
            shutil.copymode(out, tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise PlanlibError(f"{out}: cannot write ({exc.strerror or exc})") from exc
    finally:
        if tmp.exists():
            tmp.unlink()


def counties_from_file(path: str | Path) -> list[str]:
    """Slugs from a file, one a line; blank lines and ``#`` comments skipped; each bad line named file:line."""
    from .paths import SLUG_RULE, slug_problem
    from .read.text import decode_bytes

    file = Path(path)
    if not file.is_file():
        raise PlanlibError(f"--counties-from {path}: no such file")
    text, _ = decode_bytes(file.read_bytes(), file)
    slugs, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        slug = line.split("#", 1)[0].strip()
        if not slug:
            continue
        if problem := slug_problem(slug):
            problems.append(f"{path}:{number}: {problem}")
        else:
            slugs.append(slug)
    if problems:
        raise PlanlibError("; ".join(problems[:10]) + (f" (and {len(problems) - 10} more)" if len(problems) > 10 else "")
                           + f"; {SLUG_RULE}")
    if not slugs:
        raise PlanlibError(f"{path}: no slugs in the file (--counties-from)")
    return slugs


def _listing(names: list[str], limit: int = 12) -> str:
    """A few names, then how many more: a message about 2,800 places stays one readable line."""
    return ", ".join(names[:limit]) + (f" … and {len(names) - limit} more" if len(names) > limit else "")


def _report(args) -> int:
    from .build.io import read_table
    from .paths import PROCESSED_DIR, SLUG_RULE, resolve, slug_problem
    from .report.batch import main_report

    if args.jobs is None:
        from .build.parallel import default_jobs

        args.jobs = default_jobs()
    if args.jobs < 1:
        raise PlanlibError("--jobs must be at least 1")
    counties = list(args.county or ())
    if args.counties_from:
        counties += counties_from_file(args.counties_from)
    counties = list(dict.fromkeys(counties))  # a slug named twice is reported once
    processed = resolve(args.processed, PROCESSED_DIR)
    if not counties:
        from .report.batch import default_counties

        bad = [problem for slug in default_counties(args.processed) if (problem := slug_problem(slug))]
        if bad:
            raise PlanlibError(f"plan file name(s) in data/raw: {'; '.join(bad)}: {SLUG_RULE}; rename the file(s)")
    bad = [problem for slug in counties if (problem := slug_problem(slug))]
    if bad:
        raise PlanlibError(f"--county: {'; '.join(bad)}; {SLUG_RULE}")
    if counties:
        if not (processed / "plans.parquet").exists() and not (processed / "plans.csv").exists():
            raise PlanlibError(f"{processed}: no tables; run `planlib build` first")
        known = sorted(read_table("plans", processed)["county"])
        unknown = [c for c in counties if c not in set(known)]
        if unknown:
            raise PlanlibError(f"no plan for {_listing(unknown)} in {processed} (plans: {_listing(known)}); "
                               "add the plan to data/raw and run `planlib build`")
    return main_report(counties or None, args.jobs, args.out, args.processed, args.lang, svg=args.svg)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
