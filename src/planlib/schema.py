"""The data dictionary of every table planlib writes: columns, types, units, allowed values.

One place (as PUDL's ``fields.py``) feeds the checks before writing, the codebook
(docs/codebook.md) and the tests. Types are pandas dtypes: ``string``, ``Int64``,
``Float64``, ``boolean``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pandas as pd
import pyarrow as pa
from pandas.api.types import pandas_dtype

from .datafiles import package_yaml
from .errors import SchemaError

DOMAINS = ("enrollment", "teachers", "funding", "schools")
KINDS = ("baseline", "target", "change")
COMPARATORS = ("=", ">=", ">", "<=", "<", "approx", "range")
ATTRIBUTES = ("binding", "expected", "")
SOURCES = ("table", "prose")
SEVERITIES = ("error", "warning", "info")
BASES = ("point", "cumulative", "annual", "per_unit")
MEASURE_TYPES = ("stock", "flow", "rate", "money", "designation", "other")
#: Administrative levels of a plan's place, from data/admin_levels.yml (where their Chinese names are).
ADMIN_LEVELS = tuple(package_yaml("admin_levels.yml")["levels"])
LEVELS = ("preschool", "primary", "junior", "compulsory", "senior_secondary", "general_high",
          "vocational", "higher", "special", "lifelong", "all")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str
    unit: str = ""
    allowed: tuple[str, ...] | None = None
    required: bool = False  # no missing values


def _c(name, dtype, description, unit="", allowed=None, required=False) -> Column:
    return Column(name, dtype, description, unit, allowed, required)


PROVENANCE = [
    _c("source_file", "string", "Raw file the number was read from, relative to the project (data/raw/<slug>.txt, "
       ".html, .docx …), kept byte for byte as received", required=True),
    _c("text_file", "string", "The text that line, char_start, char_end and quote refer to: source_file itself for a "
       "plan text (.txt); for a web page or Word file the text planlib derived from it, written by the build as "
       "data/processed/text/<slug>.txt (by `planlib extract -o OUT.csv` as OUT.<slug>.txt beside it; empty when "
       "extract writes to standard output). `sed -n '<line>p' <text_file>` shows the line", required=True),
    _c("line", "Int64", "1-based line number in text_file, as `sed -n` counts", required=True),
]

#: Where in the original a number stood, beyond the line of text_file (from the reader of the format).
ORIGINAL_PLACE = [
    _c("page", "Int64", "Page of the original a number was read from (PDF); empty for a text, web page or Word file"),
    _c("table_row", "Int64", "1-based row of the number's cell in the original's table (web page, Word, PDF), "
       "merged cells expanded into a full grid; empty for prose and for a plan text (.txt), whose tables were "
       "flattened before planlib saw them"),
    _c("table_col", "Int64", "1-based column of that cell (see table_row)"),
]

TARGETS = [
    _c("county", "string", "Slug of the plan: the raw file's stem", required=True),
    _c("indicator_id", "string", "Stable ASCII id from the indicator dictionary; empty where the dictionary cannot name the number"),
    _c("indicator_zh", "string", "The indicator as the source words it (row label or phrase)"),
    _c("domain", "string", "Policy domain", allowed=DOMAINS, required=True),
    _c("level", "string", "Education level the number refers to", allowed=LEVELS + ("",)),
    _c("year", "Int64", "Year the number refers to (2025 for an undated 十四五 target; empty for recurring norms)"),
    _c("kind", "string", "baseline (a stated level reached), target (a level aimed at) or change", allowed=KINDS, required=True),
    _c("basis", "string", "What the number is: point (a level at a date: 在校生 2020; the default), cumulative (a total "
       "over span_start–span_end: 累计, 共计, 近五年, “十三五”期间共, “十四五”期间新建, or a flow reported in the review "
       "of the last period), annual (a yearly amount or average: 每年, 年均, 常年), per_unit (a norm per pupil, school, "
       "class or month: 生均, 每百名学生, 每所; wins over annual, so 每年生均 is per_unit). Adds to year and kind: a "
       "cumulative 十三五 total keeps year 2020 and kind baseline. A plan target that adds something by its end year "
       "with no span words (到2025年新建幼儿园12所) is point, with measure_type flow", allowed=BASES, required=True),
    _c("span_start", "Int64", "First year a cumulative total (or a spanned annual amount) covers: from the text "
       "(2016年以来, 近五年, “十三五”期间 -> the years of that plan) or else the period the number reports "
       "(the review before the plan, or the plan's own); empty for point and per_unit"),
    _c("span_end", "Int64", "Last year of the span (see span_start)"),
    _c("value", "Float64", "The number normalised to the unit in `unit` (persons, not 万人; yuan, not 亿元)", required=True),
    _c("value_high", "Float64", "Upper end of a range (1—2所), else empty"),
    _c("unit", "string", "Normalised unit: %, pp (percentage points), 人, 所, 元, 年, 个 ..."),
    _c("measure_type", "string", "What the indicator counts: stock (pupils, teachers, schools in place), flow (new, "
       "added, built, recruited, trained), rate (%, ratios), money, designation (schools or people given a title: "
       "示范校, 特色学校, 文明校园, 名师, 骨干教师), other (areas, hours, books, years). From the indicator "
       "dictionary; for numbers it cannot name, from label words and unit (data/meaning.yml)",
       allowed=MEASURE_TYPES, required=True),
    _c("value_raw", "string", "The number exactly as written in the source", required=True),
    _c("unit_raw", "string", "The unit as written (万人, 亿元, %, 个百分点), from the cell, the row label or the sentence"),
    _c("comparator", "string", "= exact, >= 以上/不低于, > 超过, <= 以内, < 低于, approx 约/左右, range 1—2", allowed=COMPARATORS, required=True),
    _c("attribute", "string", "Indicator-table 属性: binding (约束性) or expected (预期性); empty in prose", allowed=ATTRIBUTES),
    _c("source", "string", "table (an indicator table) or prose (running text, 专栏 boxes, lists)", allowed=SOURCES, required=True),
    *PROVENANCE,
    _c("char_start", "Int64", "0-based offset in the line where the span begins: in prose the numeral (a comparator word before it, 不低于/约, lies outside); in a table the cell, a sign included (＞93.0). line[char_start:char_end] is one number as planlib.numbers finds it, value_raw its numeral (planlib.provenance checks every row)", required=True),
    _c("char_end", "Int64", "Offset just past the number and what is written with it: unit, 余/多, a comparator word (95%以上, 600多所); a unit from a table's row label lies outside", required=True),
    _c("quote", "string", "Exact substring of the line that carries the number, in the file's own characters (a plan "
       "in traditional script is matched on its conversion to simplified characters, which keeps every offset; "
       "its quote stays traditional, its indicator_zh and unit_raw are simplified)", required=True),
    _c("table_id", "string", "Id of the indicator table within the file (t1, t2 ...), empty for prose"),
    *ORIGINAL_PLACE,
    _c("correction", "string", "Reason from data/corrections.csv when a researcher's correction changed this row"),
]

INDICATORS = [
    _c("indicator_id", "string", "Stable ASCII id", required=True),
    _c("indicator_zh", "string", "Preferred Chinese name", required=True),
    _c("label_en", "string", "English label", required=True),
    _c("domain", "string", "Policy domain", allowed=DOMAINS, required=True),
    _c("level", "string", "Education level", allowed=LEVELS + ("",)),
    _c("unit", "string", "Normalised unit of values"),
    _c("measure_type", "string", "What the indicator counts: stock, flow, rate, money, designation (a title given to "
       "schools or people, counted apart from capacity) or other (areas, hours, books, years)",
       allowed=MEASURE_TYPES, required=True),
    _c("definition", "string", "What the indicator measures"),
    _c("aliases_zh", "string", "Chinese wordings that map to this id, ';'-joined"),
    _c("min_value", "Float64", "Lowest plausible value of a level (baseline/target)"),
    _c("max_value", "Float64", "Highest plausible value of a level (baseline/target)"),
    _c("max_abs_change", "Float64", "Largest plausible absolute change over a plan period"),
]

PLANS = [
    _c("county", "string", "Slug of the plan (raw file stem)", required=True),
    _c("name_zh", "string", "Place name, from data/raw/sources.csv"),
    _c("name_en", "string", "Place name in English, from data/raw/sources.csv"),
    _c("province", "string", "Province, from data/raw/sources.csv"),
    _c("admin_level", "string", "Administrative level, from sources.csv: a county-level unit (county, autonomous "
       "county, county-level city, district, banner, autonomous banner, forestry area, special area) or a "
       "prefecture-level city (src/planlib/data/admin_levels.yml)", allowed=ADMIN_LEVELS + ("",)),
    _c("title", "string", "Title the text gives itself"),
    _c("issuer", "string", "Issuing body the text names"),
    _c("doc_number", "string", "Document number (文号), e.g. 某府发〔2022〕14号"),
    _c("date_written", "string", "Date written (成文日期), ISO yyyy-mm-dd"),
    _c("date_published", "string", "Date published (发布日期), ISO yyyy-mm-dd"),
    _c("period_start", "Int64", "First year of the plan period"),
    _c("period_end", "Int64", "Last year of the plan period"),
    _c("url", "string", "Where the text was copied from, from sources.csv"),
    _c("date_accessed", "string", "When the file was downloaded (yyyy-mm-dd), from sources.csv"),
    _c("n_chars", "Int64", "Characters in the decoded text", unit="characters", required=True),
    _c("n_lines", "Int64", "Lines in the file", unit="lines", required=True),
    _c("encoding", "string", "Encoding the file was read with", required=True),
    _c("sha256", "string", "SHA-256 of the raw file's bytes", required=True),
    _c("source_file", "string", "Raw file, relative to the project", required=True),
]

SCHOOLS = [
    _c("county", "string", "Slug of the plan", required=True),
    _c("table_title", "string", "Title of the school-by-school table"),
    _c("school", "string", "School name as written", required=True),
    _c("year", "Int64", "Year the row refers to (adjustment year, a year column, or the end of the school's 建设年限)"),
    _c("state", "string", "current (现有) or planned (调整后) or the column heading as written", required=True),
    _c("classes", "Float64", "Classes (班级规模 / 教学班)", unit="classes"),
    _c("capacity", "Float64", "Capacity or students (学生容量 / 学生)", unit="persons"),
    *PROVENANCE,
    *ORIGINAL_PLACE,
]

CHECKS = [
    _c("county", "string", "Slug of the plan", required=True),
    _c("check", "string", "Kind of finding", required=True, allowed=(
        "sum_mismatch", "change_mismatch", "cross_source_conflict", "unit_magnitude",
        "out_of_range", "unnamed_indicator", "correction_applied", "beyond_plan_period")),
    _c("severity", "string", "error: the source contradicts itself; warning: implausible; info: for the record", allowed=SEVERITIES, required=True),
    _c("indicator_id", "string", "Indicator concerned, where there is one"),
    _c("year", "Int64", "Year concerned, where there is one"),
    _c("message", "string", "What is wrong, with the numbers", required=True),
    _c("lines", "string", "Lines of the source concerned, ';'-joined", required=True),
    _c("source_file", "string", "Raw file concerned", required=True),
]

TERMS = [
    _c("county", "string", "Slug of the plan", required=True),
    _c("term", "string", "A word (jieba’s dictionary and the policy user dictionary, cut by rjieba, jieba-rs, in a build; stop words and place names removed)", required=True),
    _c("score", "Float64", "Weighted log-odds z-score against the other plans (Monroe, Colaresi & Quinn 2008)", required=True),
    _c("count", "Int64", "Occurrences of the term in the plan", required=True),
    _c("rank", "Int64", "Rank within the plan, 1 = most distinctive", required=True),
    _c("first_line", "Int64", "First line the term occurs on", required=True),
    _c("source_file", "string", "Raw file", required=True),
]

DERIVED_IDS = ("growth_pct", "change_pp", "gap_to_national", "annual_mean", "per_pupil", "pupils_per_teacher")

DERIVED = [
    _c("county", "string", "Slug of the plan", required=True),
    _c("derived_id", "string", "What was computed: growth_pct (point-basis headcount, base year → end year, %), "
       "change_pp (rate, base → end year, percentage points), gap_to_national (end-year target − national 十四五 target), "
       "annual_mean (a cumulative total ÷ its years), per_pupil (money ÷ pupils of the same level and year; "
       "a cumulative total annualised first), pupils_per_teacher (same level and year)", allowed=DERIVED_IDS, required=True),
    _c("indicator_id", "string", "Indicator the number is made from (the numerator of a ratio)", required=True),
    _c("level", "string", "Education level of the inputs (all inputs share it)", allowed=LEVELS + ("",)),
    _c("year", "Int64", "Year the number refers to (a ratio, a gap); empty for a change over a span"),
    _c("span_start", "Int64", "First year of the span (a change: the plan's base year, period_start − 1; an annual mean: the total's first year)"),
    _c("span_end", "Int64", "Last year of the span (a change: the plan's period_end)"),
    _c("value", "Float64", "The derived number, in `unit`", required=True),
    _c("unit", "string", "% (growth), pp (percentage points), 元/年, 元/人, 元/人/年, 人/教师, or the national target's unit", required=True),
    _c("comparator", "string", "From the inputs' comparators: a floor on the end value (以上) stays a floor; a floor on the base or divisor becomes a ceiling",
       allowed=COMPARATORS, required=True),
    _c("method", "string", "How it was computed, in words", required=True),
    _c("inputs", "string", "Every input as `file:line`, ';'-joined (lines of the inputs' text_file: the raw plan text, or the text derived from a web page or Word file; national targets as src/planlib/data/national_targets.csv:<line>)", required=True),
]

DERIVED_MISSING = [
    _c("county", "string", "Slug of the plan", required=True),
    _c("derived_id", "string", "What could not be computed", allowed=DERIVED_IDS, required=True),
    _c("indicator_id", "string", "Indicator concerned, empty where none applies"),
    _c("level", "string", "Education level concerned", allowed=LEVELS + ("",)),
    _c("reason", "string", "Why not: an input not stated, stated for another level or year, a range, a zero base ...", required=True),
]

TABLES: dict[str, dict] = {
    "targets": {"columns": TARGETS, "key": ["source_file", "line", "char_start"],
                "description": "One row per number in the four domains, with its indicator, year, kind and the line it came from."},
    "indicators": {"columns": INDICATORS, "key": ["indicator_id"],
                   "description": "The indicator dictionary: ids, names, aliases, units and plausible ranges."},
    "plans": {"columns": PLANS, "key": ["county"],
              "description": "One row per plan file: what the text says of itself and what identifies the file."},
    "schools": {"columns": SCHOOLS, "key": ["source_file", "line", "state", "year"],
                "description": "School-by-school adjustment tables in long form."},
    "terms": {"columns": TERMS, "key": ["county", "term"],
              "description": "The words that set each plan apart from the others (20 per plan), with the first line they occur on."},
    "derived": {"columns": DERIVED, "key": ["county", "derived_id", "indicator_id", "level", "year", "span_start"],
                "description": "Comparable measures computed only from the plans' own numbers (growth, change in points, "
                               "gap to the national target, money per pupil, pupils per teacher), each citing its inputs."},
    "derived_missing": {"columns": DERIVED_MISSING, "key": None,
                        "description": "Derived measures that could not be made for a place, and why (an input missing or of another scope)."},
    "checks": {"columns": CHECKS, "key": None,
               "description": "Data-quality findings in the sources themselves (and corrections applied)."},
}


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]["columns"]]


def empty_frame(table: str) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=c.dtype) for c in TABLES[table]["columns"]})


@lru_cache(maxsize=None)
def _dtype(name: str):
    return pandas_dtype(name)


def has_shape(df: pd.DataFrame, table: str) -> bool:
    """Whether ``df`` has exactly the declared columns, in order, in their dtypes (no value is read)."""
    return [(str(c), str(t)) for c, t in df.dtypes.items()] == [(c.name, c.dtype) for c in TABLES[table]["columns"]]


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Return ``df`` with exactly the declared columns in order and dtypes; missing optional columns are added empty."""
    spec = TABLES[table]["columns"]
    unknown = set(df.columns) - {c.name for c in spec}
    if unknown:
        raise SchemaError(f"{table}: columns not in the schema: {sorted(unknown)}")
    out = pd.DataFrame(index=df.index)
    for col in spec:
        series = df[col.name] if col.name in df.columns else pd.Series([pd.NA] * len(df), index=df.index)
        try:
            if series.dtype == _dtype(col.dtype):
                pass  # already typed (a frame conformed before): nothing to convert
            elif col.dtype == "string":
                series = series.astype("string")
            else:
                series = pd.to_numeric(series, errors="raise").astype(col.dtype)
        except (TypeError, ValueError) as exc:
            raise SchemaError(f"{table}.{col.name}: cannot convert to {col.dtype}: {exc}") from exc
        out[col.name] = series
    return out.reset_index(drop=True)


#: Each schema dtype as Arrow stores it, and the plain Python values taken as they are (bool is not an int here).
ARROW_TYPES = {"string": pa.string(), "Int64": pa.int64(), "Float64": pa.float64()}
_PLAIN = {"string": (str,), "Int64": (int,), "Float64": (int, float)}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(c.name, ARROW_TYPES[c.dtype]) for c in TABLES[table]["columns"]])


def rows_to_arrow(rows: list[dict], table: str) -> pa.Table:
    """``rows`` (dicts; keys starting with ``_`` left out) as an Arrow table in the schema's columns and types.

    The values are those ``conform(pd.DataFrame(rows), table)`` gives, without building that frame:
    a compact result a worker ships, the cache keeps and the driver holds, conformed as pandas
    once for the whole corpus (:func:`frame_from_arrow`). A column holding anything but plain
    ``str`` / ``int`` / ``float`` / None takes the pandas way for this set of rows.
    """
    spec = TABLES[table]["columns"]
    present = set().union(*rows) if rows else set()
    unknown = {k for k in present if not k.startswith("_")} - {c.name for c in spec}
    if unknown:
        raise SchemaError(f"{table}: columns not in the schema: {sorted(unknown)}")
    arrays, conformed = [], None
    for col in spec:
        kind = ARROW_TYPES[col.dtype]
        if col.name not in present:
            arrays.append(pa.nulls(len(rows), kind))
            continue
        values = [r.get(col.name) for r in rows]
        plain = _PLAIN[col.dtype]
        if all(v is None or type(v) in plain for v in values):
            try:
                arrays.append(pa.array(values, kind, from_pandas=True))  # NaN is missing, as in conform
                continue
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):  # e.g. an int past float's exact range
                pass
        if conformed is None:
            conformed = conform(pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]),
                                table)
        arrays.append(pa.array(conformed[col.name], kind, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=arrow_schema(table))


def _pandas_type(kind: pa.DataType):
    return {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}.get(kind)


def frame_from_arrow(parts: list[pa.Table], table: str) -> pd.DataFrame:
    """Per-plan tables made by :func:`rows_to_arrow` as one DataFrame in the schema's dtypes, in the order given.

    One conversion (and one :func:`conform`) for the corpus instead of one per plan.
    """
    if not parts:
        return conform(empty_frame(table), table)
    whole = pa.concat_tables(parts).combine_chunks()
    return conform(whole.to_pandas(types_mapper=_pandas_type), table)


def validate(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Check ``df`` against the schema; raise :class:`SchemaError` listing every problem."""
    spec = TABLES[table]
    problems: list[str] = []
    names = [c.name for c in spec["columns"]]
    if list(df.columns) != names:
        problems.append(f"columns {list(df.columns)} != schema {names}")
    else:
        for col in spec["columns"]:
            s = df[col.name]
            if str(s.dtype) != col.dtype:
                problems.append(f"{col.name}: dtype {s.dtype}, schema says {col.dtype}")
            if col.required and s.isna().any():
                problems.append(f"{col.name}: {int(s.isna().sum())} missing values in a required column")
            if col.allowed is not None:  # each distinct value once, not every cell
                bad = sorted({str(v) for v in s.dropna().unique()} - set(col.allowed))
                if bad:
                    problems.append(f"{col.name}: values not allowed: {bad[:10]}")
        key = spec["key"]
        if key and not problems:
            dup = df.duplicated(subset=key, keep=False)
            if dup.any():
                problems.append(f"key {key} not unique: {int(dup.sum())} rows, e.g. {df.loc[dup, key].head(3).to_dict('records')}")
    if problems:
        raise SchemaError(f"table {table!r} does not match its schema:\n  " + "\n  ".join(problems))
    return df
