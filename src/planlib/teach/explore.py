"""An interactive explorer for JupyterLab: choose places, domain and indicator; the chart and the source lines follow.

The widgets are attributes of :class:`Explorer` and all the work is in :meth:`Explorer.update`,
a plain method, so tests can set widget values and check ``.rows``, ``.figure`` and
``.source_table`` without a browser or a kernel. What the chart shows is prepared by small
functions tested on their own: :func:`chart_points` (one unit per axis: 人 and 名 are both
persons, money in 亿元 or 万元), :func:`year_axis` (a few years are categories, never a
1925–2125 axis), :func:`place_names` (names from the plans table, not slugs) and
:func:`empty_message` (why a selection draws nothing). :meth:`Explorer.static_html` is the
same chart and table as plain HTML, shown before the widgets so a notebook saved without a
kernel (whose widgets are blank) still shows the default selection.
"""
from __future__ import annotations

import base64
import html
import io
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..schema import DOMAINS

SOURCE_COLUMNS = ["cited", "place", "indicator_zh", "level", "year", "kind", "value", "unit", "quote"]
ALL_INDICATORS = ""
PALETTE = ("#1f5a99", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b")
#: at most this many distinct years are drawn as categories (evenly spaced, labelled as written)
CATEGORICAL_YEARS = 6
#: money: yuan shown as 亿元 from 1e8, as 万元 from 1e4 (one scale for the whole chart)
MONEY_SCALES = ((1e8, "亿"), (1e4, "万"))

WORDS = {
    "zh": {"year": "年份", "no_places": "没有选择地区：请至少选一个地区。",
           "no_rows": "所选地区在“{domain}”领域没有数字。", "choose": "请选择一个指标再画图（不同指标的单位不同，不放在一张图上）。",
           "no_dated": "所选的数字都没有年份，或都不是基期/目标值（如增减、生均标准）：只列在下表中。",
           "rows": "{n} 行 · {k} 个地区", "all": "（全部）", "cumulative": "累计", "annual": "每年", "per_unit": "单位量",
           "baseline": "基期（空心）", "target": "目标（实心）"},
    "en": {"year": "Year", "no_places": "No place selected: choose at least one.",
           "no_rows": "The selected places state no number in the “{domain}” domain.",
           "choose": "Choose one indicator to draw (indicators differ in unit, so they are not drawn together).",
           "no_dated": "None of the selected numbers has a year, or none is a baseline or target (a change, a norm): "
                       "they are listed in the table only.",
           "rows": "{n} rows · {k} places", "all": "(all)", "cumulative": "cumulative", "annual": "per year",
           "per_unit": "per unit", "baseline": "baseline (hollow)", "target": "target (filled)"},
}
DOMAIN_NAMES = {"zh": {"enrollment": "入学", "teachers": "教师", "funding": "经费", "schools": "学校建设"},
                "en": {"enrollment": "enrolment", "teachers": "teachers", "funding": "funding", "schools": "schools"}}


def _w(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["zh"])[key]


# ---------------------------------------------------------------------------------------------
# preparing what the chart shows (plain functions, tested on their own)


def place_names(plans: pd.DataFrame | None, counties, lang: str = "zh") -> dict[str, str]:
    """Each slug's place name in ``lang`` from the plans table (sources.csv), else the slug.

    >>> plans = pd.DataFrame({"county": ["a"], "name_zh": ["甲县"], "name_en": ["A County"]})
    >>> place_names(plans, ["a", "b"], "en")
    {'a': 'A County', 'b': 'b'}
    """
    names = {c: c for c in counties}
    if plans is None or plans.empty:
        return names
    first, second = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    for _, row in plans.iterrows():
        if row["county"] not in names:
            continue
        for col in (first, second):
            value = row.get(col)
            if isinstance(value, str) and value.strip():
                names[row["county"]] = value.strip()
                break
    return names


def money_scale(values, unit: str) -> tuple[float, str]:
    """The divisor and unit for yuan amounts: one scale for all values (亿元 from 1e8, 万元 from 1e4).

    Units that are not yuan (元, 元/年 …) keep divisor 1.

    >>> money_scale([3.4e9, 1.2e8], "元"), money_scale([52000.0], "元/年"), money_scale([980.0], "元")
    ((100000000.0, '亿元'), (10000.0, '万元/年'), (1.0, '元'))
    >>> money_scale([95.0], "%")
    (1.0, '%')
    """
    unit = unit if isinstance(unit, str) else ""
    if not unit.startswith("元"):
        return 1.0, unit
    top = max((abs(float(v)) for v in values if pd.notna(v)), default=0.0)
    for divisor, prefix in MONEY_SCALES:
        if top >= divisor:
            return divisor, prefix + unit
    return 1.0, unit


def unit_words(unit: str, lang: str = "zh") -> str:
    """A unit as the axis shows it in ``lang`` (the report's words): 亿元 → '100 million yuan', 元/年 → 'yuan a year'.

    >>> unit_words("亿元", "en"), unit_words("万元/年", "en"), unit_words("亿元", "zh"), unit_words("人", "en")
    ('100 million yuan', '10,000 yuan a year', '亿元', 'persons')
    """
    if lang != "en" or not unit:
        return unit
    from ..report.plots import UNIT_LABELS

    words = UNIT_LABELS["en"]
    head, _, per = unit.partition("/")
    shown = words.get(head, head)
    if per:
        shown += " a year" if per == "年" else f" per {words.get(per, per)}"
    return shown


def chart_points(rows: pd.DataFrame, aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """The dated baselines and targets a chart draws, one per place, level, kind, year, unit and basis.

    Units of one group are merged under its name (``data/unit_aliases.yml``: 名 → 人), so the persons of a
    place are one series; a number stated in the table and in the text is drawn once (the table's). Two
    different values with the same key (助学金 and 免学费 of one level) are both kept: ``repeat`` numbers them,
    and each is its own series, never dropped and never joined to the other by a line.
    """
    if aliases is None:
        from ..report.plots import unit_aliases

        aliases = unit_aliases()
    points = rows[rows["kind"].isin(["baseline", "target"]) & rows["year"].notna()].copy()
    if points.empty:
        return points.assign(unit_shown=pd.Series(dtype=str), repeat=pd.Series(dtype=int))
    points["unit_shown"] = [aliases.get(u, u) if isinstance(u, str) else "" for u in points["unit"]]
    if "basis" not in points.columns:
        points["basis"] = "point"
    points["basis"] = points["basis"].fillna("point")
    points["level"] = points["level"].fillna("")
    points = points.assign(_prose=(points["source"] != "table").astype(int)).sort_values(["_prose", "line"])
    key = ["county", "level", "kind", "year", "unit_shown", "basis"]
    points = points.drop_duplicates(key + ["value"]).drop(columns="_prose")
    points["repeat"] = points.groupby(key, dropna=False).cumcount()
    return points.sort_values(["county", "level", "repeat", "year"], kind="stable").reset_index(drop=True)


def year_axis(years) -> tuple[dict[int, float], bool]:
    """Where each year sits on the x axis, and whether the axis is categorical.

    Up to :data:`CATEGORICAL_YEARS` distinct years are categories 0, 1, 2 … labelled with the years as
    written: one year is one labelled position, not a 200-year axis with a 1e9 offset. More years keep
    their real spacing (the year itself).

    >>> year_axis([2020])
    ({2020: 0.0}, True)
    >>> year_axis([2025, 2020, 2020])
    ({2020: 0.0, 2025: 1.0}, True)
    >>> year_axis(range(2015, 2023))[1]
    False
    """
    found = sorted({int(y) for y in years if pd.notna(y)})
    if len(found) <= CATEGORICAL_YEARS:
        return {y: float(i) for i, y in enumerate(found)}, True
    return {y: float(y) for y in found}, False


def empty_message(rows: pd.DataFrame, counties, domain: str, indicator_id: str | None, lang: str = "zh") -> str:
    """Why a selection draws nothing ('' when it draws something): no place, no number, no indicator, no date.

    >>> empty_message(pd.DataFrame(), [], "funding", None, "en")
    'No place selected: choose at least one.'
    """
    if not len(list(counties)):
        return _w(lang, "no_places")
    if rows is None or rows.empty:
        return _w(lang, "no_rows").format(domain=DOMAIN_NAMES.get(lang, DOMAIN_NAMES["zh"]).get(domain, domain))
    if not indicator_id:
        return _w(lang, "choose")
    if chart_points(rows).empty:
        return _w(lang, "no_dated")
    return ""


def indicator_options(targets: pd.DataFrame, indicators: pd.DataFrame, domain: str,
                      counties=None, lang: str = "zh") -> list[tuple[str, str]]:
    """(label, indicator_id) of the named indicators of ``domain`` that the chosen places state, most stated first."""
    rows = targets[(targets["domain"] == domain) & targets["indicator_id"].notna() & (targets["indicator_id"] != "")]
    if counties is not None:
        rows = rows[rows["county"].isin(list(counties))]
    names = indicators.set_index("indicator_id")["label_en" if lang == "en" and "label_en" in indicators
                                                 else "indicator_zh"].to_dict()
    ids = sorted(set(rows["indicator_id"]), key=lambda i: (-(rows["indicator_id"] == i).sum(), i))
    return [(f"{names.get(i, i)} · {i}", i) for i in ids]


def select_rows(targets: pd.DataFrame, counties, domain: str, indicator_id: str | None,
                plans: pd.DataFrame | None = None, lang: str = "zh") -> pd.DataFrame:
    """The target rows behind the chart, with ``cited`` (file:line) and ``place`` (its name), in file order."""
    rows = targets[targets["county"].isin(list(counties)) & (targets["domain"] == domain)]
    if indicator_id:
        rows = rows[rows["indicator_id"] == indicator_id]
    rows = rows.sort_values(["county", "line", "char_start"], kind="stable")
    cited = rows["source_file"].map(lambda s: Path(str(s)).name) + ":" + rows["line"].astype("Int64").astype(str)
    names = place_names(plans, rows["county"].unique(), lang)
    return rows.assign(cited=cited, place=rows["county"].map(names)).reset_index(drop=True)


def chart(rows: pd.DataFrame, title: str = "", *, plans: pd.DataFrame | None = None, lang: str = "zh",
          message: str = "") -> Figure:
    """Values by year, one line per place (and level, unit, basis), baselines hollow, targets filled.

    Persons merged across 人/名, money in 亿元/万元 (the axis says which), a few years as categories, place
    names in the legend. With nothing to draw, the figure says why (``message``, else a generic note).
    """
    from ..report.fonts import setup_fonts

    setup_fonts()
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = fig.subplots()
    points = chart_points(rows) if len(rows) else pd.DataFrame()
    if message or points.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, message or _w(lang, "no_dated"), ha="center", va="center", transform=ax.transAxes,
                color="#666666", wrap=True)
        fig.suptitle(title, fontsize=11)
        return fig
    names = place_names(plans, points["county"].unique(), lang)
    positions, categorical = year_axis(points["year"])
    units = list(dict.fromkeys(points["unit_shown"]))
    scales = {u: money_scale(points.loc[points["unit_shown"] == u, "value"], u) for u in units}
    scales = {u: (divisor, unit_words(shown, lang)) for u, (divisor, shown) in scales.items()}
    n_series = points.groupby(["county", "level", "unit_shown", "basis", "repeat"], dropna=False).ngroups
    palette = PALETTE if n_series <= len(PALETTE) else [matplotlib.colormaps["tab20"](k % 20) for k in range(n_series)]
    from ..report.plots import level_label

    for i, ((county, level, unit, basis, repeat), group) in enumerate(
            points.groupby(["county", "level", "unit_shown", "basis", "repeat"], dropna=False, sort=True)):
        color = palette[i % len(palette)]
        divisor, shown_unit = scales[unit]
        xs = [positions[int(y)] for y in group["year"]]
        ys = (group["value"].astype(float) / divisor).tolist()
        parts = [names.get(county, county), level_label(level, lang) if level else ""]
        if len(units) > 1:
            parts.append(shown_unit)
        if basis != "point":
            parts.append(_w(lang, basis) if basis in WORDS["zh"] else str(basis))
        label = " · ".join(p for p in parts if p) + (f" ({repeat + 1})" if repeat else "")
        ax.plot(xs, ys, color=color, lw=1.2, label=label)
        for kind, face in (("baseline", "white"), ("target", color)):
            mask = (group["kind"] == kind).tolist()
            ax.scatter([x for x, m in zip(xs, mask) if m], [y for y, m in zip(ys, mask) if m], s=40,
                       facecolor=face, edgecolor=color, zorder=3)
    if categorical:
        ax.set_xticks(list(positions.values()), [str(y) for y in positions])
        ax.set_xlim(-0.5, len(positions) - 0.5)
    else:
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    ax.yaxis.set_major_formatter(FuncFormatter(_tick))  # 63,000 not 6.3e4; 0.85 (亿元) as it is
    ax.set_xlabel(_w(lang, "year"))
    if len(units) == 1:
        ax.set_ylabel(scales[units[0]][1])
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,  # beside, never over a value
              title=f"{_w(lang, 'baseline')} · {_w(lang, 'target')}", title_fontsize=7)
    ax.grid(alpha=0.3)
    fig.suptitle(title, fontsize=11)
    return fig


def _tick(value, _pos=None) -> str:
    """A y tick: thousands separated, no offset or scientific notation.

    >>> _tick(63000.0), _tick(0.85), _tick(12.0)
    ('63,000', '0.85', '12')
    """
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


class Explorer:
    """Widgets (``places``, ``domain``, ``indicator``) and the outputs they drive (``image``, ``table``, ``status``)."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None, lang: str = "zh"):
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        if tables is None:
            from ..build.pipeline import load_tables

            tables = load_tables()
        self.lang = lang
        self.targets = tables["targets"]
        self.indicators = tables["indicators"]
        self.plans = tables.get("plans")
        counties = sorted(self.targets["county"].dropna().unique())
        names = place_names(self.plans, counties, lang)
        domains = [d for d in DOMAINS if (self.targets["domain"] == d).any()] or list(DOMAINS)
        domain_names = DOMAIN_NAMES.get(lang, DOMAIN_NAMES["zh"])
        self.places = widgets.SelectMultiple(options=[(names[c], c) for c in counties], value=tuple(counties),
                                             description="地区 places", rows=min(6, max(2, len(counties))))
        self.domain = widgets.Dropdown(options=[(domain_names.get(d, d), d) for d in domains], value=domains[0],
                                       description="领域 domain")
        self.indicator = widgets.Dropdown(options=[(_w(lang, "all"), ALL_INDICATORS)], value=ALL_INDICATORS,
                                          description="指标 indicator", layout=widgets.Layout(width="28em"))
        self.image = widgets.Image(format="png")
        self.table = widgets.HTML()
        self.status = widgets.HTML()
        self.rows = pd.DataFrame()
        self.message = ""
        self.figure: Figure | None = None
        self._refreshing = False
        self._refresh_indicators()
        self.update()
        self.places.observe(self._on_filter, names="value")
        self.domain.observe(self._on_filter, names="value")
        self.indicator.observe(self._on_indicator, names="value")

    def _on_indicator(self, _change=None) -> None:
        if not self._refreshing:
            self.update()

    def _refresh_indicators(self) -> None:
        options = [(_w(self.lang, "all"), ALL_INDICATORS)] + indicator_options(
            self.targets, self.indicators, self.domain.value, self.places.value, self.lang)
        current = self.indicator.value
        ids = [v for _, v in options]
        # keep the choice if it still exists, else the most stated indicator: a chart of everything mixes units
        chosen = current if current and current in ids else (ids[1] if len(ids) > 1 else ALL_INDICATORS)
        self._refreshing = True  # setting options fires the indicator's observer; update once, afterwards
        try:
            self.indicator.options = options
            self.indicator.value = chosen
        finally:
            self._refreshing = False

    def _on_filter(self, _change=None) -> None:
        self._refresh_indicators()
        self.update()

    @property
    def source_table(self) -> pd.DataFrame:
        """The source lines shown under the chart: file:line, the place's name and the quote."""
        return self.rows[[c for c in SOURCE_COLUMNS if c in self.rows]] if len(self.rows) else \
            pd.DataFrame(columns=SOURCE_COLUMNS)

    def _title(self) -> str:
        domain = DOMAIN_NAMES.get(self.lang, DOMAIN_NAMES["zh"]).get(self.domain.value, self.domain.value)
        name = dict((v, k) for k, v in self.indicator.options).get(self.indicator.value, "")
        return f"{domain} · {name}" if self.indicator.value else f"{domain} · {_w(self.lang, 'all')}"

    def update(self) -> None:
        """Recompute rows, message, chart and table from the widgets' current values."""
        chosen = self.indicator.value or None
        self.rows = select_rows(self.targets, self.places.value, self.domain.value, chosen, self.plans, self.lang)
        self.message = empty_message(self.rows, self.places.value, self.domain.value, chosen, self.lang)
        self.figure = chart(self.rows if chosen else self.rows.iloc[0:0], self._title(), plans=self.plans,
                            lang=self.lang, message=self.message)
        self.image.value = figure_png(self.figure)
        self.table.value = self.source_table.to_html(index=False, na_rep="", max_rows=200, escape=True)
        count = _w(self.lang, "rows").format(n=len(self.rows), k=self.rows["county"].nunique() if len(self.rows) else 0)
        note = f"<br><i>{html.escape(self.message)}</i>" if self.message else ""
        self.status.value = f"<b>{html.escape(count)}</b>{note}"

    def static_html(self) -> str:
        """The current chart (an embedded PNG) and source table as plain HTML: what a notebook saved without a
        kernel still shows, since its widgets are blank there. Plan text is escaped."""
        png = base64.b64encode(self.image.value).decode("ascii")
        alt = html.escape(self._title(), quote=True)
        return (f"<div class=\"planlib-explorer-static\"><p>{self.status.value}</p>"
                f"<img alt=\"{alt}\" src=\"data:image/png;base64,{png}\"/>\n{self.table.value}</div>")

    def show_static(self) -> None:
        """Display :meth:`static_html` as an ordinary notebook output (text/html, with a plain-text table)."""
        from IPython.display import display

        display({"text/html": self.static_html(), "text/plain": self.source_table.to_string(index=False)}, raw=True)

    def widget(self) -> widgets.Widget:
        controls = widgets.HBox([self.places, widgets.VBox([self.domain, self.indicator, self.status])])
        return widgets.VBox([controls, self.image, self.table])


def explorer(tables: dict[str, pd.DataFrame] | None = None, lang: str = "zh", static: bool = False) -> widgets.Widget:
    """The explorer as one widget to display in JupyterLab (its :class:`Explorer` is at ``.explorer``).

    With ``static``: the default selection is first displayed as a plain HTML chart and table
    (:meth:`Explorer.show_static`), so the saved notebook shows it without a kernel.
    """
    ex = Explorer(tables, lang)
    if static:
        ex.show_static()
    box = ex.widget()
    box.explorer = ex
    return box
