"""An interactive explorer for JupyterLab: choose places, domain and indicator; the chart and the source lines follow.

The widgets are attributes of :class:`Explorer` and all the work is in :meth:`Explorer.update`,
a plain method, so tests can set widget values and check ``.rows``, ``.figure`` and
``.source_table`` without a browser or a kernel.
"""
from __future__ import annotations

import io
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
from matplotlib.figure import Figure

from ..schema import DOMAINS

SOURCE_COLUMNS = ["cited", "county", "indicator_zh", "level", "year", "kind", "value", "unit", "quote"]
ALL_INDICATORS = ""
PALETTE = ("#1f5a99", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#7f8c8d", "#16a085", "#b7950b")


def indicator_options(targets: pd.DataFrame, indicators: pd.DataFrame, domain: str,
                      counties=None) -> list[tuple[str, str]]:
    """(label, indicator_id) of the named indicators of ``domain`` that the chosen places state."""
    rows = targets[(targets["domain"] == domain) & targets["indicator_id"].notna() & (targets["indicator_id"] != "")]
    if counties:
        rows = rows[rows["county"].isin(list(counties))]
    names = indicators.set_index("indicator_id")["indicator_zh"].to_dict()
    ids = sorted(set(rows["indicator_id"]), key=lambda i: (-(rows["indicator_id"] == i).sum(), i))
    return [(f"{names.get(i, i)} · {i}", i) for i in ids]


def select_rows(targets: pd.DataFrame, counties, domain: str, indicator_id: str | None) -> pd.DataFrame:
    """The target rows behind the chart, with a ``cited`` column (file:line), in file order."""
    rows = targets[targets["county"].isin(list(counties)) & (targets["domain"] == domain)]
    if indicator_id:
        rows = rows[rows["indicator_id"] == indicator_id]
    rows = rows.sort_values(["county", "line", "char_start"], kind="stable")
    cited = rows["source_file"].map(lambda s: Path(str(s)).name) + ":" + rows["line"].astype("Int64").astype(str)
    return rows.assign(cited=cited).reset_index(drop=True)


def chart(rows: pd.DataFrame, title: str = "") -> Figure:
    """Values by year, one line per place (and level), baselines hollow, targets filled; a note when empty."""
    from ..report.fonts import setup_fonts

    setup_fonts()
    fig = Figure(figsize=(7.5, 3.8), layout="constrained")
    ax = fig.subplots()
    points = rows[rows["kind"].isin(["baseline", "target"]) & rows["year"].notna()]
    if points.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "没有可画的数值 · nothing to draw (choose one indicator)" if not len(rows) or
                rows["indicator_id"].nunique() != 1 else "没有带年份的基期或目标 · no dated baseline or target",
                ha="center", va="center", transform=ax.transAxes, color="#666666")
    else:
        # a number stated in the table and in the text: keep one point per place, level, kind and year
        points = points.assign(_prose=(points["source"] != "table").astype(int)).sort_values(["_prose", "line"])
        points = points.drop_duplicates(["county", "level", "kind", "year", "unit"])
        for i, ((county, level, unit), group) in enumerate(points.groupby(["county", "level", "unit"], dropna=False)):
            color = PALETTE[i % len(PALETTE)]
            group = group.sort_values("year")
            label = " · ".join(str(x) for x in (county, level, unit) if isinstance(x, str) and x)
            ax.plot(group["year"].astype(int), group["value"].astype(float), color=color, lw=1.2, label=label)
            for kind, face in (("baseline", "white"), ("target", color)):
                part = group[group["kind"] == kind]
                ax.scatter(part["year"].astype(int), part["value"].astype(float), s=40, facecolor=face,
                           edgecolor=color, zorder=3)
        ax.set_xlabel("年 · year")
        ax.legend(fontsize=8, loc="best")
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    fig.suptitle(title, fontsize=11)
    return fig


def figure_png(fig: Figure, dpi: int = 100) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


class Explorer:
    """Widgets (``places``, ``domain``, ``indicator``) and the outputs they drive (``image``, ``table``)."""

    def __init__(self, tables: dict[str, pd.DataFrame] | None = None):
        if tables is None:
            from ..build.pipeline import load_tables

            tables = load_tables()
        self.targets = tables["targets"]
        self.indicators = tables["indicators"]
        counties = sorted(self.targets["county"].dropna().unique())
        domains = [d for d in DOMAINS if (self.targets["domain"] == d).any()] or list(DOMAINS)
        self.places = widgets.SelectMultiple(options=counties, value=tuple(counties), description="地区 places",
                                             rows=min(6, max(2, len(counties))))
        self.domain = widgets.Dropdown(options=domains, value=domains[0], description="领域 domain")
        self.indicator = widgets.Dropdown(options=[("（全部 all）", ALL_INDICATORS)], value=ALL_INDICATORS,
                                          description="指标 indicator", layout=widgets.Layout(width="28em"))
        self.image = widgets.Image(format="png")
        self.table = widgets.HTML()
        self.status = widgets.HTML()
        self.rows = pd.DataFrame()
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
        options = [("（全部 all）", ALL_INDICATORS)] + indicator_options(
            self.targets, self.indicators, self.domain.value, self.places.value)
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
        """The source lines shown under the chart: file:line and the quote."""
        return self.rows[[c for c in SOURCE_COLUMNS if c in self.rows]] if len(self.rows) else \
            pd.DataFrame(columns=SOURCE_COLUMNS)

    def update(self) -> None:
        """Recompute rows, chart and table from the widgets' current values."""
        self.rows = select_rows(self.targets, self.places.value, self.domain.value, self.indicator.value or None)
        name = dict((v, k) for k, v in self.indicator.options).get(self.indicator.value, "")
        title = f"{self.domain.value} · {name}" if self.indicator.value else f"{self.domain.value} · （全部 all）"
        self.figure = chart(self.rows if self.indicator.value else self.rows.iloc[0:0], title)
        self.image.value = figure_png(self.figure)
        self.table.value = self.source_table.to_html(index=False, na_rep="", max_rows=200, escape=True)
        self.status.value = f"<b>{len(self.rows)}</b> 行 rows · {self.rows['county'].nunique() if len(self.rows) else 0} 地区 places"

    def widget(self) -> widgets.Widget:
        controls = widgets.HBox([self.places, widgets.VBox([self.domain, self.indicator, self.status])])
        return widgets.VBox([controls, self.image, self.table])


def explorer(tables: dict[str, pd.DataFrame] | None = None) -> widgets.Widget:
    """The explorer as one widget to display in JupyterLab (its :class:`Explorer` is at ``.explorer``)."""
    ex = Explorer(tables)
    box = ex.widget()
    box.explorer = ex
    return box
