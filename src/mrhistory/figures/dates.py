"""Figures of date mentions: mentions over time, each column's span, decade × column heatmap.

A mention covers the years from its ``earliest`` to its ``latest`` day. Mentions of a single
year (days, months, seasons, years) count 1 in that year; coarser ones (decades, centuries,
ranges) are spread evenly over their years, so every mention weighs 1 in total and "the 19th
century" does not outweigh "April 13, 1941" a hundredfold. Years are astronomical (0 = 1 BC)
and labelled "44 BC" on the axes.
"""
from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import DOUBLE_COLUMN_IN, PALETTE, FigureSpec, new_figure, styled

MAX_LABELLED_COLUMNS = 40
NO_DATES = "No date mentions found in this corpus."

EMPTY_CELL = "#f2f2f2"


def year_label(year: float, _pos=None) -> str:
    """An astronomical year as a historian writes it: 1941, 1 BC (year 0), 44 BC (year -43)."""
    y = int(round(year))
    return f"{1 - y} BC" if y <= 0 else str(y)


def _years(iso: pd.Series) -> np.ndarray:
    return iso.astype(str).str[:-6].astype(int).to_numpy()


def _fractional(iso: pd.Series, *, end: bool = False) -> np.ndarray:
    """ISO days (BC years allowed) as fractional years; ``end`` gives the end of that day."""
    s = iso.astype(str)
    month, day = s.str[-5:-3].astype(int).to_numpy(), s.str[-2:].astype(int).to_numpy()
    return _years(s) + (month - 1) / 12 + (day - 1 + (1 if end else 0)) / 372


def year_weights(dates: pd.DataFrame) -> pd.DataFrame:
    """One row per (mention, year it covers): column_id, year, weight (1 / years covered), single."""
    if dates.empty:
        return pd.DataFrame({"column_id": pd.Series(dtype="string"), "year": pd.Series(dtype="int64"),
                             "weight": pd.Series(dtype="float64"), "single": pd.Series(dtype="bool")})
    lo, hi = _years(dates["earliest"]), _years(dates["latest"])
    n = hi - lo + 1
    idx = np.repeat(np.arange(len(dates)), n)
    years = np.concatenate([np.arange(a, b + 1) for a, b in zip(lo, hi)])
    return pd.DataFrame({
        "column_id": dates["column_id"].to_numpy()[idx].astype(str),
        "year": years.astype("int64"),
        "weight": (1.0 / n)[idx],
        "single": (n == 1)[idx],
    }).astype({"column_id": "string"})


def _empty(fig: Figure, ax, message: str = NO_DATES) -> Figure:
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes)
    return fig


def _bin_width(span: int) -> int:
    return 1 if span <= 150 else 10 if span <= 1500 else 100


@styled
def mentions_by_year_figure(dates: pd.DataFrame) -> Figure:
    """Bars of date mentions per year (or decade or century when the corpus spans long periods)."""
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=3.0)
    weights = year_weights(dates)
    if weights.empty:
        return _empty(fig, ax)
    lo, hi = int(weights["year"].min()), int(weights["year"].max())
    width = _bin_width(hi - lo + 1)
    weights = weights.assign(bin=weights["year"] // width * width)
    table = weights.pivot_table(index="bin", columns="single", values="weight", aggfunc="sum", fill_value=0.0)
    bins = np.arange(lo // width * width, hi // width * width + width, width)
    table = table.reindex(index=bins, columns=[True, False], fill_value=0.0)
    centres = bins + (width - 1) / 2
    ax.bar(centres, table[True], width=width * 0.85, color=PALETTE[0], label="a day, month, season or year")
    if table[False].any():
        ax.bar(centres, table[False], width=width * 0.85, bottom=table[True], color=PALETTE[1],
               label="a decade, century or range (spread evenly over its years)")
    unit, units = {1: ("year", "years"), 10: ("decade", "decades"), 100: ("century", "centuries")}[width]
    ax.set_ylabel(f"Date mentions per {unit}")
    ax.set_xlabel("Year mentioned" if width == 1 else f"Year mentioned (one bar per {unit})")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(year_label))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(centres[0] - width, centres[-1] + width)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=1)
    return fig


@styled
def column_spans_figure(dates: pd.DataFrame) -> Figure:
    """One line per column from its earliest to its latest mentioned year, with a dot per mention."""
    spans = pd.DataFrame()
    if not dates.empty:
        d = dates.assign(lo=_fractional(dates["earliest"]), hi=_fractional(dates["latest"], end=True))
        d = d.assign(mid=(d["lo"] + d["hi"]) / 2)
        spans = (d.groupby("column_id", sort=True).agg(lo=("lo", "min"), hi=("hi", "max"), n=("edtf", "size"))
                 .reset_index().sort_values(["lo", "hi", "column_id"], kind="stable").reset_index(drop=True))
    n = len(spans)
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=min(max(1.8, 0.9 + 0.22 * n), 10.0))
    if n == 0:
        return _empty(fig, ax)
    rows = {cid: i for i, cid in enumerate(spans["column_id"])}
    ax.hlines(spans.index, spans["lo"], spans["hi"], color=PALETTE[0], linewidth=2.0 if n <= 60 else 0.8)
    ax.scatter(d["mid"], d["column_id"].map(rows), s=12 if n <= 60 else 3, color=PALETTE[5], alpha=0.7, zorder=3, linewidths=0)
    ax.set_ylim(n - 0.5, -0.5)
    if n <= MAX_LABELLED_COLUMNS:
        ax.set_yticks(range(n), [c if len(c) <= 45 else c[:44] + "…" for c in spans["column_id"]])
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n} columns, sorted by earliest mention")
    ax.set_xlabel("Years mentioned (line: earliest to latest; dots: each mention)")
    ax.xaxis.set_major_locator(MaxNLocator(nbins=10, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(year_label))
    return fig


def _decade_label(start: int) -> str:
    if start > 0:
        return f"{start}s"
    return f"{1 - start}–{1 - (start + 9)} BC" if start < 0 else "1 BC–AD 9"


@styled
def decade_heatmap_figure(dates: pd.DataFrame) -> Figure:
    """Columns × decades mentioned; decades no column mentions are left out (the x axis says so)."""
    weights = year_weights(dates)
    if weights.empty:
        fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=2.0)
        return _empty(fig, ax)
    weights = weights.assign(decade=weights["year"] // 10 * 10)
    grid = weights.pivot_table(index="column_id", columns="decade", values="weight", aggfunc="sum", fill_value=0.0)
    grid = grid.sort_index(axis=0).sort_index(axis=1)
    decades = list(grid.columns)
    contiguous = len(decades) == (decades[-1] - decades[0]) // 10 + 1
    n_rows, n_cols = grid.shape
    fig, (ax, cax) = new_figure(width=DOUBLE_COLUMN_IN, height=min(max(2.2, 1.2 + 0.2 * n_rows), 10.0),
                                ncols=2, gridspec_kw={"width_ratios": [40, 1]})
    cmap = matplotlib.colormaps["cividis"].with_extremes(bad=EMPTY_CELL)  # no mention: blank, not dark
    image = ax.imshow(np.ma.masked_equal(grid.to_numpy(), 0.0), aspect="auto", interpolation="nearest", cmap=cmap)
    for i in range(1, n_cols):  # a dashed line where decades nobody mentions were left out
        if decades[i] - decades[i - 1] > 10:
            ax.axvline(i - 0.5, color="0.55", linewidth=0.6, linestyle=(0, (2, 2)))
    step = max(1, int(np.ceil(n_cols / 30)))
    ax.set_xticks(range(0, n_cols, step), [_decade_label(int(c)) for c in decades[::step]], rotation=90)
    ax.set_xlabel("Decade mentioned" + ("" if contiguous else " (decades no column mentions are left out)"))
    if n_rows <= MAX_LABELLED_COLUMNS:
        ax.set_yticks(range(n_rows), [c if len(c) <= 45 else c[:44] + "…" for c in grid.index])
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n_rows} columns (alphabetical)")
    fig.colorbar(image, cax=cax, label="Date mentions (blank = none)")
    return fig


def date_figures(dates: pd.DataFrame, columns: pd.DataFrame | None = None) -> list[FigureSpec]:
    """Every date figure the corpus supports.

    With no date mentions the two main figures still appear and say so; the heatmap needs at
    least two columns in the corpus.
    """
    n_columns = len(columns) if columns is not None else int(dates["column_id"].nunique())
    n, with_dates = len(dates), int(dates["column_id"].nunique()) if len(dates) else 0
    out = [
        FigureSpec("dates_by_year", mentions_by_year_figure(dates),
         f"Date mentions by the year they name ({n} mentions in {with_dates} of {n_columns} columns). "
         "Decades, centuries and ranges are spread evenly over their years.",
         "Bar chart of how many date mentions fall in each period." if n else NO_DATES),
        FigureSpec("dates_column_spans", column_spans_figure(dates),
         "Span of the dates each column mentions: a line from the earliest to the latest year, a dot per mention.",
         "Horizontal lines, one per column, from its earliest to its latest mentioned year." if n else NO_DATES),
    ]
    if n_columns >= 2:
        out.append(FigureSpec("dates_decade_heatmap", decade_heatmap_figure(dates),
                    "Date mentions per decade and column (coarser mentions spread over their decades).",
                    "Heatmap with columns as rows and decades as columns; brighter cells hold more mentions."
                    if n else NO_DATES))
    return out
