"""County figures are laid out as a stack of panels at fixed inches (plots._stack_layout), not by constrained layout.

Checked with matplotlib's own measure of what each panel draws (``Axes.get_tightbbox``), not with the layout's:
every panel with its tick labels, axis labels, title and legend inside the figure, no two panels overlapping,
and a panel of more rows taller than one of fewer.
"""
from __future__ import annotations

import pandas as pd
import pytest

from planlib.build.io import read_table
from planlib.paths import PROCESSED_DIR
from planlib.report import fonts, plots
from planlib.report.batch import national_targets

NAMES = ("targets", "indicators", "plans", "checks")


@pytest.fixture(scope="module", autouse=True)
def style():
    fonts.use_style()


@pytest.fixture(scope="module")
def five():
    return {name: read_table(name, PROCESSED_DIR) for name in NAMES}


def _figures(t, county, lang):
    nat = national_targets(t["indicators"])
    for key, func in plots.COUNTY_FIGURES.items():
        kwargs = {"plans": t["plans"], "lang": lang, "checks": t["checks"]}
        if key == "rates":
            kwargs["national"] = nat
        yield key, func(t["targets"], t["indicators"], county, **kwargs)


def _drawn_boxes(fig):
    """Each visible panel's extent as drawn at the PNG's resolution, in figure pixels."""
    plots.png_bytes(fig)  # draws at 150 dpi, as saved
    fig.set_dpi(150)
    renderer = fig.canvas.get_renderer()
    return [ax.get_tightbbox(renderer) for ax in fig.axes if ax.get_visible()], fig.bbox


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("county", ["wuxi", "anyang", "taixing"])
def test_every_panel_fits_the_figure_and_none_overlaps_another(five, county, lang):
    for key, fig in _figures(five, county, lang):
        assert fig.get_layout_engine() is None, key
        boxes, page = _drawn_boxes(fig)
        for box in boxes:
            assert box.x0 >= page.x0 - 1 and box.x1 <= page.x1 + 1, (county, key, box, page)
            assert box.y0 >= page.y0 - 1 and box.y1 <= page.y1 + 1, (county, key, box, page)
        ordered = sorted(boxes, key=lambda b: -b.y1)  # top to bottom
        for upper, lower in zip(ordered, ordered[1:]):
            assert lower.y1 <= upper.y0 + 1, (county, key, upper, lower)


def test_a_panel_of_more_rows_is_taller(five):
    fig = dict(_figures(five, "wuxi", "zh"))["schools"]
    rows = [len(ax.get_yticks()) for ax in fig.axes]
    heights = [ax.get_position().height * fig.get_figheight() for ax in fig.axes]
    assert len(set(rows)) > 1  # the plan's schools figure has panels of one row and of several
    for (r1, h1), (r2, h2) in zip(zip(rows, heights), zip(rows[1:], heights[1:])):
        if r1 > r2:
            assert h1 > h2
        elif r2 > r1:
            assert h2 > h1
    # the axes of every panel start at the same x, however long their names
    assert len({round(ax.get_position().x0, 6) for ax in fig.axes}) == 1


def test_the_figure_is_as_tall_as_its_panels(five):
    figs = dict(_figures(five, "wuxi", "zh"))
    small, large = sorted((figs["funding"], figs["schools"]), key=lambda f: len(f.axes))
    assert len(small.axes) < len(large.axes)
    assert small.get_figheight() < large.get_figheight()


def test_records_are_what_to_dict_gives_for_every_table(five):
    """plots._records (column-wise) gives to_dict("records")'s values and types, None where missing."""
    for name, frame in five.items():
        ours, theirs = plots._records(frame), frame.to_dict("records")
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert [(k, type(v), repr(v)) for k, v in a.items()] == [(k, type(v), repr(v)) for k, v in b.items()], name


def test_the_same_table_held_another_way_draws_the_same_rows(five):
    """Names at the same level keep the order of the table (stable sorts): an unstable sort ordered ties by how
    the strings were stored, so the same plan read back another way drew its rows in another order."""
    as_python = {name: frame.astype({c: pd.StringDtype("python") for c in frame.columns
                                     if isinstance(frame[c].dtype, pd.StringDtype)}) for name, frame in five.items()}

    def rows_drawn(tables, county):
        return [[t.get_text() for t in ax.get_yticklabels()] for key, fig in _figures(tables, county, "zh")
                for ax in fig.axes]

    for county in five["plans"]["county"]:
        assert rows_drawn(five, county) == rows_drawn(as_python, county), county
