"""Row semantics of a rebuilt table: labels, units, 其中 sub-rows, values to columns.

Kept apart from :mod:`planlib.extract.tables` (which finds tables and cells) so each stays small.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from . import dictionary
from ..read.periods import Period, kind_for_year
from .tablecells import Cell, Table, finding, label_unit, scale_of, table_words
from ..read.text import PlanText

COUNT_UNITS = {"人", "名"}
RATE_WORDS = re.compile(r"率|比例|占比|比重|年限|指数")
UNIT_BRACKET = re.compile(r"[（(][^（）()]{0,8}(?:[）)]|$)")
#: a row's own number before its label: 4.义务教育标准班额比例, （2）专任教师数, 三、 (not 1.5倍)
ROW_NUMBER = re.compile(r"^\s*(?:[（(]\s*[0-9一二三四五六七八九十]{1,3}\s*[）)]|[0-9]{1,2}(?:[.．、](?!\d)|\s)|"
                        r"[一二三四五六七八九十]{1,3}、)\s*")
MAX_LABELS_WITHOUT_VALUES = 4  # more text cells than this in a row: the table has ended


@dataclass
class RowContext:
    label: str
    line: int
    unit_raw: str  # as written (label bracket, unit cell or inherited)
    scale: Decimal
    unit: str
    #: the unit_magnitude finding that rescaled this row, so rows that inherit the scale cite themselves in it
    magnitude: dict | None = None
    indicator: object = None  # the row's dictionary.Indicator: a 其中 row naming only a level takes its measure
    level: str = ""


def clean_label(label: str) -> str:
    """Row label without its row number, unit bracket and 其中 prefix: '其中：普通小学' -> '普通小学'.

    >>> clean_label("在校学生数（万人）"), clean_label("其中:普通高中"), clean_label("学前教育毛入园率(%")
    ('在校学生数', '普通高中', '学前教育毛入园率')
    >>> clean_label("4.义务教育标准班额比例(%)"), clean_label("（2）专任教师数"), clean_label("1.5倍以上")
    ('义务教育标准班额比例', '专任教师数', '1.5倍以上')
    """
    s = ROW_NUMBER.sub("", UNIT_BRACKET.sub("", label)).strip()
    for p in _subrow_prefixes():
        if s.startswith(p):
            s = s[len(p):]
            break
    return s.strip(" ：:")


def is_subrow(label: str) -> bool:
    return label.strip().startswith(_subrow_prefixes())


@lru_cache(maxsize=1)
def _subrow_scopes() -> frozenset[str]:
    """Sub-row labels that name a part of the place (城区, 农村), not a level: table_words.yml."""
    return frozenset(table_words()["subrow_scopes"])


@lru_cache(maxsize=1)
def _subrow_prefixes() -> tuple[str, ...]:
    """其中： and its kin, longest first."""
    return tuple(sorted(table_words()["subrow_prefixes"], key=len, reverse=True))


def rows_for_table(plan: PlanText, table: Table, cells: list[Cell], period: Period | None,
                   grid: list | None = None):
    """Turn body cells into targets rows; return (rows, findings, last line used).

    ``grid``: a list that receives each row as read, ``(labels, unit cell, value cells, attribute
    cell)``, before its rows are made (the document's table grid is filled from it).
    """
    value_cols = [c for c in table.columns if c.role in ("year", "change")]
    years = [c.year for c in value_cols if c.role == "year" and c.year]
    achievements = bool(years and period and max(years) <= period.base_year)
    state = _State(plan, table, value_cols, period, achievements)
    state.grid = grid
    has_index = any(c.role == "index" for c in table.columns)
    labels: list[Cell] = []
    unit_cell: Cell | None = None
    nums: list[Cell | None] = []
    pending_sub: Cell | None = None  # a lone 其中： cell: the next label is a sub-row
    last_line = table.header_lines[1]
    for cell in cells:
        if cell.kind == "text" and is_subrow(cell.text) and not clean_label(cell.text):
            pending_sub = cell
            continue
        if cell.kind == "text" and pending_sub is not None:
            cell = Cell(cell.line, cell.start, cell.end, pending_sub.text.strip() + cell.text, kind="text")
            pending_sub = None
        if has_index and cell.kind == "num" and not labels and not nums and cell.qty is not None \
                and cell.qty.value == cell.qty.value.to_integral_value() and not cell.qty.unit:
            continue  # the row's 序号
        if cell.kind == "head" and cell.head and cell.head[0] == "year":
            if cell.qty is not None and (nums or unit_cell is not None or (labels and labels[-1].kind == "text")):
                cell.kind = "num"  # a bare number such as 2035 in a value position
            elif not labels:
                break  # the next table's header
        if cell.kind in ("text", "head"):
            if nums:
                last_line = state.emit(labels, unit_cell, nums, None) or last_line
                labels, unit_cell, nums = [], None, []
            labels.append(cell)
            if len(labels) > MAX_LABELS_WITHOUT_VALUES:
                break
        elif cell.kind == "unit":
            if nums:
                last_line = state.emit(labels, unit_cell, nums, None) or last_line
                labels, nums = [], []
            unit_cell = cell
        elif cell.kind == "num":
            if not labels and state.last_label is None:
                continue
            nums.append(cell)
        elif cell.kind == "empty":
            if nums:
                nums.append(None)  # a missing value keeps its column
        elif cell.kind == "missing":
            if labels or nums or unit_cell is not None:
                nums.append(None)  # —, /, 无: no value in this column
        elif cell.kind == "attr":
            if nums:
                last_line = state.emit(labels, unit_cell, nums, cell) or last_line
                labels, unit_cell, nums = [], None, []
            elif state.rows:
                state.attach_attribute(cell)
                last_line = cell.line
    if nums:
        last_line = state.emit(labels, unit_cell, nums, None) or last_line
    return state.rows, state.findings, last_line


class _State:
    def __init__(self, plan, table, value_cols, period, achievements):
        self.plan, self.table, self.value_cols = plan, table, value_cols
        self.period, self.achievements = period, achievements
        self.rows: list[dict] = []
        self.findings: list[dict] = []
        self.section = ""
        self.parent: RowContext | None = None
        self.last_label: RowContext | None = None
        self.last_was_sub = False
        self._last_row_rows: list[dict] = []
        self.grid: list | None = None

    # -- rows
    def emit(self, labels: list[Cell], unit_cell: Cell | None, nums: list[Cell | None], attr: Cell | None) -> int:
        width = len(nums)  # a missing last value (—) still holds its column in a column-by-column layout
        while nums and nums[-1] is None:
            nums.pop()
        if self.grid is not None:
            self.grid.append((list(labels), unit_cell, list(nums), attr))
        labels = self._join_wrapped(labels)
        k = len(self.value_cols)
        first_sub = next((i for i, c in enumerate(labels) if i and is_subrow(c.text)), None)
        subs = labels[first_sub:] if first_sub is not None else []
        m = len(subs)
        fits = (len(nums) in ((m + 1) * k, m * k) and (m >= 2 or len(nums) == 2 * k)) if m and k else False
        if m >= 2 and k and not fits and width in ((m + 1) * k, m * k):
            fits, nums = True, nums + [None] * (width - len(nums))  # the last sub-row's last value is —
        if fits:
            # a parent and its 其中 sub-rows listed before the values, which run column by column:
            # parent, sub 1, sub 2 … per column; or, when the parent has no values of its own
            # (4.义务教育标准班额比例 / 其中：小学 / 初中), sub 1, sub 2 … per column
            self._section_from(labels[:first_sub - 1])
            parent = labels[first_sub - 1]
            own = len(nums) == (m + 1) * k
            step = m + 1 if own else m
            self._one_row(parent, unit_cell, nums[0::step] if own else [], attr, is_sub=False)
            for j, sub in enumerate(subs):
                self._one_row(sub, None, nums[j + 1 if own else j::step], attr, is_sub=True)
        else:
            self._section_from(labels[:-1])
            label = labels[-1] if labels else None
            self._one_row(label, unit_cell, nums, attr, is_sub=label is not None and is_subrow(label.text))
        return max(c.line for c in nums if c is not None) if any(nums) else 0

    def _join_wrapped(self, labels: list[Cell]) -> list[Cell]:
        """A label wrapped over two cells (财政性教育经费占一般公共预算 / 支出的比例（%）) is one label
        when only the joined text names an indicator."""
        if len(labels) < 2 or is_subrow(labels[-1].text):
            return labels
        first, last = labels[-2], labels[-1]
        context = f"{first.text} {self.section}"  # the cell before may be the section (义务教育)
        if dictionary.match_indicator(clean_label(last.text), context) is not None:
            return labels
        joined = first.text.strip() + last.text.strip()
        if dictionary.match_indicator(clean_label(joined), self.section) is None:
            return labels
        return labels[:-2] + [Cell(first.line, first.start, first.end, joined, kind="text")]

    def _section_from(self, extra: list[Cell]):
        if extra:
            self.section = "".join(c.text for c in extra[-1:])
            self.parent = None
            self.last_was_sub = False

    def _one_row(self, label: Cell | None, unit_cell: Cell | None, nums, attr: Cell | None, is_sub: bool):
        if label is None:  # values continuing a row whose label came before (a wrapped row)
            ctx = self.last_label
            if ctx is None:
                return
            label_text = ctx.label
        else:
            label_text = label.text
        own_unit = unit_cell.text.strip() if unit_cell else label_unit(label_text)
        sibling = (not is_sub and self.last_was_sub and not own_unit and not RATE_WORDS.search(label_text))
        sub = is_sub or sibling
        if own_unit:
            scale, unit = scale_of(own_unit.replace("％", "%"))
            unit_raw = own_unit
        elif sub and self.parent is not None:
            unit_raw, scale, unit = self.parent.unit_raw, self.parent.scale, self.parent.unit
        else:
            unit_raw, scale, unit = "", Decimal(1), ""
        level_cells = [c for c, col in zip(nums, self.value_cols) if c is not None and col.role == "year"]
        row_lines = ([label.line] if label else []) + [c.line for c in nums if c is not None]
        magnitude = self.parent.magnitude if (sub and not own_unit and self.parent is not None) else None
        if magnitude is not None:  # a 其中 row read at its parent's corrected scale: cited in that finding
            _cite(magnitude, row_lines)
        else:
            scale, unit, magnitude = self._check_magnitude(label, label_text, unit_raw, scale, unit, level_cells,
                                                           row_lines)
        context = f"{self.section} {self.parent.label if (sub and self.parent) else ''}".strip()
        ind = dictionary.match_indicator(clean_label(label_text), context)
        level, shown = (ind.level if ind else ""), ""
        if sub and label is not None and self.parent is not None:
            ind, level, shown = self._breakdown(label_text, ind, level)
        domain = ind.domain if ind else (dictionary.domain_of(f"{self.section}{label_text}") or "enrollment")
        line_no = label.line if label else (self.last_label.line if self.last_label else 0)
        ctx = RowContext(label_text, line_no, unit_raw, scale, unit, magnitude, ind, level)
        if not sub:
            self.parent = ctx
        self.last_label = ctx
        self.last_was_sub = sub
        if not unit and ind:
            unit = ind.unit
        attribute = _attribute(attr)
        made = []
        for cell, col in zip(nums, self.value_cols):
            if cell is None:
                continue
            made.append(self._row(cell, col, label_text, unit_raw, scale, unit, ind, domain, attribute, level, shown))
        for cell in nums[len(self.value_cols):]:
            if cell is not None:
                self.findings.append(finding(self.plan, "info", f"{self.table.table_id}: value {cell.text!r} beyond the "
                                              f"table's {len(self.value_cols)} value columns (row {label_text!r}); not assigned a year",
                                              [cell.line], "unnamed_indicator"))
        self.rows.extend(made)
        self._last_row_rows = made

    def _breakdown(self, label_text: str, ind, level: str):
        """A 其中 sub-row that only names a level (小学, 初中) or a scope (城区, 农村): (indicator, level, label).

        A level: the parent's measure at that level (the dictionary's own indicator for the level when it
        has one, as 其中：普通小学 under 在校学生数 -> primary_enrollment, with the label as written).
        A scope: the parent's level, no indicator_id (a part is not the measure's total, so checks and
        comparisons must not take it for one), and the label names parent and scope: 在校生数（城区）.
        Other sub-rows (其中：民办幼儿园) are their own measures, as before.
        """
        word = clean_label(label_text)
        parent = self.parent
        parent_name = clean_label(parent.label) or parent.label
        if word in _subrow_scopes():
            return None, parent.level, f"{parent_name}（{word}）"
        named = dictionary.bare_level(word)
        if not named:
            return ind, level, ""
        if ind is not None and ind.level in (named, ""):
            return ind, named, ""  # the dictionary names the measure at this level itself
        own = dictionary.match_indicator(word + parent_name, self.section)
        if own is not None and own.level == named:
            return own, named, f"{parent_name}（{word}）"
        return parent.indicator, named, f"{parent_name}（{word}）"

    def _row(self, cell: Cell, col, label_text, unit_raw, scale, unit, ind, domain, attribute, level="",
             shown="") -> dict:
        q = cell.qty
        line = self.plan.lines[cell.line - 1]
        if q.unit_raw:  # the cell carries its own unit (98%以上, 12.3年以上)
            value, high, unit_out, unit_raw_out = q.value, q.value_high, q.unit, q.unit_raw
        else:
            value = q.value * scale
            high = q.value_high * scale if q.value_high is not None else None
            unit_out, unit_raw_out = unit, unit_raw
        if col.role == "change":
            kind, year = "change", col.year
            if unit_out == "%":
                unit_out = "pp"
        else:
            year = col.year
            kind = "baseline" if self.achievements else kind_for_year(year, self.period)
        return {
            "county": self.plan.slug,
            "indicator_id": ind.indicator_id if ind else "",
            "indicator_zh": shown or clean_label(label_text) or label_text,
            "domain": domain,
            "level": level,
            "year": year,
            "kind": kind,
            "value": float(value),
            "value_high": float(high) if high is not None else None,
            "unit": unit_out,
            "value_raw": q.value_raw,
            "unit_raw": unit_raw_out,
            "comparator": q.comparator,
            "attribute": attribute,
            "source": "table",
            "source_file": self.plan.source_file,
            "line": cell.line,
            "char_start": cell.start,
            "char_end": cell.end,
            "quote": line[cell.start:cell.end],
            "table_id": self.table.table_id,
            "_row_line": self.last_label.line if self.last_label else cell.line,
            "_section": self.section,
            "_parent_line": self.parent.line if self.parent else None,
            "_table_title": self.table.title,  # title and column header: basis cues (planlib.extract.meaning)
            "_column_head": getattr(col, "text", ""),
        }

    def attach_attribute(self, attr: Cell):
        for r in self._last_row_rows:
            r["attribute"] = _attribute(attr)

    def _check_magnitude(self, label, label_text, unit_raw, scale, unit, level_cells, row_lines):
        """A count labelled in persons whose values read like 万人 (1.3263): say so, read as 万.

        Returns the scale, the unit and the finding (None when nothing was rescaled); the finding cites
        every line of the row (its change cell too), and later 其中 rows are added to it by the caller.
        """
        if unit not in COUNT_UNITS or scale != 1 or not level_cells:
            return scale, unit, None
        values = [c.qty.value for c in level_cells if c.qty is not None and not c.qty.unit_raw]
        if values and all(v < 1000 and v != v.to_integral_value() for v in values):
            shown = ", ".join(c.text for c in level_cells)
            found = finding(
                self.plan, "error",
                f"{self.table.table_id} row {label_text!r}: the label says {unit_raw} but the values ({shown}) are "
                f"fractions of a person; they read as 万{unit_raw} (×10000), as the rows around them do",
                row_lines, "unit_magnitude")
            self.findings.append(found)
            return Decimal(10000), unit, found
        return scale, unit, None


def _cite(found: dict, lines) -> None:
    """Add ``lines`` to a finding's ';'-joined, sorted line list."""
    cited = {int(n) for n in found["lines"].split(";") if n} | set(lines)
    found["lines"] = ";".join(str(n) for n in sorted(cited))


def _attribute(attr: Cell | None) -> str:
    return attr.head[0] if attr is not None and attr.head else ""


_finding = finding  # the old name, for callers outside
