"""Figures of date mentions: mentions by year, each column's span, decade × column heatmap.

Every figure is era-aware (see :mod:`.eras`): when the mentions fall in stretches of years far apart
(the Persian Wars and the Iraq War), each stretch gets its own axis, side by side, with a break
mark between them. A mention of a day, month, season or year counts 1 in its year (whole numbers
on every count axis); a decade, century or range is drawn as the span of years it covers, never
spread into fractional bars. Years are astronomical (0 = 1 BC) and labelled "44 BC" on the axes.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from . import DOUBLE_COLUMN_IN, PALETTE, FigureSpec, count_colorbar, count_scale, new_figure, not_drawn, styled
from .eras import GAP_YEARS, Era, bin_width, decade_label, decade_of, eras, mention_years, year_label, year_ticks
from .labels import column_labels

__all__ = ["column_spans_figure", "date_figure_notes", "date_figures", "decade_heatmap_figure",
           "mentions_by_year_figure", "year_label"]

MAX_LABELLED_COLUMNS = 40
#: Above this many lanes of spans, the band shows how many spans cover each year instead of the lines.
MAX_LANES = 10
#: Share of the figure width every era keeps, however short it is, so its ticks can be read.
MIN_FACET_SHARE = 0.1
FINE, COARSE, DOT = PALETTE[0], PALETTE[1], PALETTE[5]
#: The share of a column's dated mentions its thick line in dates_column_spans covers.
CORE_SHARE = 0.8


# --- era facets ----------------------------------------------------------------------------------

def _ratios(eras_: list[Era], width: int = 1) -> list[float]:
    widths = [e.shown(width)[1] - e.shown(width)[0] for e in eras_]
    total = sum(widths)
    return [max(w, MIN_FACET_SHARE * total) for w in widths]


#: Inches of axis per labelled tick (a label such as "450 BC" and room around it).
TICK_IN = 0.6


def _facets(eras_: list[Era], *, height: float, rows: int = 1, height_ratios=None, width: int = 1):
    """A figure with one axis per era (and per row), each showing only its era's years (in whole
    bars of ``width`` years)."""
    ratios = _ratios(eras_, width)
    fig, axes = new_figure(width=DOUBLE_COLUMN_IN, height=height, nrows=rows, ncols=len(eras_), squeeze=False,
                           sharey="row", gridspec_kw={"width_ratios": ratios, "wspace": 0.04,
                                                      **({"height_ratios": height_ratios} if height_ratios else {})})
    shares = np.array(ratios) / sum(ratios)
    for r in range(rows):
        for i, (ax, era) in enumerate(zip(axes[r], eras_)):
            ax.set_xlim(*era.shown(width))
            if i > 0:
                ax.spines["left"].set_visible(False)
                ax.tick_params(axis="y", which="both", left=False, labelleft=False)
            if r < rows - 1:
                ax.tick_params(axis="x", labelbottom=False)
            _year_ticks(ax, era, share=shares[i], width=width)
        for i in range(len(eras_) - 1):  # a break mark on the time axis between two eras
            for ax, x in ((axes[r][i], 1.0), (axes[r][i + 1], 0.0)):
                ax.plot([x], [0], transform=ax.transAxes, marker=[(-1, -2), (1, 2)], markersize=6, linestyle="none",
                        color="black", markeredgewidth=0.8, clip_on=False)
    return fig, axes


def _year_ticks(ax, era: Era, *, share: float, width: int = 1) -> None:
    room = max(1, int(share * (DOUBLE_COLUMN_IN - 0.9) / TICK_IN))  # as many ticks as fit the axis's width
    ticks = [era.start] if era.years <= room and era.years <= 2 else year_ticks(*era.shown(width), nbins=room)
    ticks = ticks or [era.start]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(FuncFormatter(year_label))


def _era_title(ax, era: Era, eras_: list[Era], width: int = 1) -> None:
    """The era's years over its axis, when there are several eras and the axis is wide enough for them
    (a narrow axis has its years on the ticks already)."""
    ratios = _ratios(eras_, width)
    room = ratios[eras_.index(era)] / sum(ratios) * (DOUBLE_COLUMN_IN - 0.9)
    if len(eras_) > 1 and room >= 0.07 * len(era.label) + 0.1:
        ax.set_title(era.label, loc="left", fontsize=7, fontweight="normal")


def _lanes(spans: list[tuple[float, float]]) -> list[int]:
    """A lane per span, so that no two spans in a lane overlap (first fit, in start order)."""
    ends: list[float] = []
    lane = []
    for lo, hi in spans:
        for k, end in enumerate(ends):
            if lo > end + 0.5:
                ends[k] = hi
                lane.append(k)
                break
        else:
            ends.append(hi)
            lane.append(len(ends) - 1)
    return lane


def _span_rows(years: pd.DataFrame, eras_: list[Era], width: int = 1) -> list[list[tuple[float, float, bool, bool]]]:
    """Per era, the coarse mentions drawn in it: (lo, hi, cut at left, cut at right), in start order."""
    out: list[list[tuple[float, float, bool, bool]]] = [[] for _ in eras_]
    coarse = years.loc[~years["fine"]].sort_values(["lo", "hi"], kind="mergesort")
    for lo, hi in zip(coarse["lo"], coarse["hi"]):
        for i, era in enumerate(eras_):
            a, b = era.shown(width)
            if hi + 0.5 >= a and lo - 0.5 <= b:
                out[i].append(era.clip(lo - 0.5, hi + 0.5, width))
    return out


def _draw_spans(ax, spans, lanes, *, colour=COARSE, linewidth=1.6) -> None:
    for (lo, hi, cut_lo, cut_hi), lane in zip(spans, lanes):
        ax.plot([lo, hi], [lane, lane], color=colour, linewidth=linewidth, solid_capstyle="butt")
        for x, cut, marker in ((lo, cut_lo, "<"), (hi, cut_hi, ">")):
            ax.plot([x], [lane], marker=marker if cut else "|", color=colour, markersize=3.5 if cut else 4,
                    markeredgewidth=0.8)


# --- mentions by year ------------------------------------------------------------------------------

def _why_not_by_year(years: pd.DataFrame) -> str:
    return "" if len(years) else "the corpus has no date mentions"


@styled
def mentions_by_year_figure(dates: pd.DataFrame) -> Figure | None:
    """Bars of the mentions of a day, month, season or year, per year (or decade), one axis per era;
    below them, one line per decade, century or range mentioned. None without date mentions."""
    years = mention_years(dates)
    if _why_not_by_year(years):
        return None
    eras_ = eras(dates)
    width = bin_width(eras_)
    spans = _span_rows(years, eras_, width)
    lanes = [_lanes([(lo, hi) for lo, hi, *_ in s]) for s in spans]
    n_lanes = max((max(l) + 1 for l in lanes if l), default=0)
    coverage = n_lanes > MAX_LANES
    band = 0 if not n_lanes else (0.9 if coverage else 0.35 + 0.09 * n_lanes)
    rows = 2 if band else 1
    fig, axes = _facets(eras_, height=2.4 + band, rows=rows, height_ratios=[2.0, band] if band else None, width=width)
    fine = years.loc[years["fine"], "lo"]
    bins = (fine // width * width).value_counts().sort_index()
    top = int(bins.max()) if len(bins) else 1
    for i, era in enumerate(eras_):
        ax = axes[0][i]
        inside = bins[(bins.index >= era.start - width) & (bins.index <= era.end)]
        ax.bar(inside.index + (width - 1) / 2, inside.to_numpy(), width=0.85 * width, color=FINE, linewidth=0)
        ax.set_ylim(0, max(top, 1) * 1.08)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        _era_title(ax, era, eras_, width)
        if rows == 2:
            ax.spines["bottom"].set_visible(True)
            band_ax = axes[1][i]
            if coverage:
                grid = np.arange(math.floor(era.shown(width)[0]), math.ceil(era.shown(width)[1]) + 1)
                covered = np.zeros(len(grid), dtype=int)
                for lo, hi, *_ in spans[i]:
                    covered += (grid >= lo) & (grid < hi)
                band_ax.fill_between(grid, covered, step="post", color=COARSE, linewidth=0)
                band_ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3, min_n_ticks=1))
            else:
                _draw_spans(band_ax, spans[i], lanes[i])
                band_ax.set_ylim(n_lanes - 0.4, -0.6)
                band_ax.set_yticks([])
            band_ax.spines["left"].set_visible(coverage and i == 0)
    unit = {1: "year", 10: "decade", 100: "century"}[width]
    axes[0][0].set_ylabel(f"mentions per {unit}")
    if rows == 2:
        axes[1][0].set_ylabel("spans" if not coverage else "spans\ncovering\na year", rotation=0, ha="right",
                              va="center", labelpad=4)
    fig.supxlabel("year mentioned" + ("" if len(eras_) == 1 else
                                      f" (the axis is broken where no year is mentioned for over {GAP_YEARS} years)"),
                  fontsize=8)
    return fig


# --- each column's span ---------------------------------------------------------------------------

def _core(values: np.ndarray, share: float = CORE_SHARE) -> tuple[int, int] | None:
    """The shortest stretch of years holding ``share`` of the values (at least three), else None."""
    v = np.sort(values)
    if len(v) < 3:
        return None
    k = max(2, math.ceil(share * len(v)))
    i = int(np.argmin(v[k - 1:] - v[: len(v) - k + 1]))
    return int(v[i]), int(v[i + k - 1])


def _column_rows(years: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for cid, group in years.groupby("column_id", sort=True):
        fine = group.loc[group["fine"], "lo"].to_numpy()
        core = _core(fine)
        first = core[0] if core else int(fine.min()) if len(fine) else int(group["lo"].min())
        rows.append({"column_id": str(cid), "first": first, "core": core, "n": len(group)})
    return pd.DataFrame(rows).sort_values(["first", "column_id"], kind="mergesort", ignore_index=True)


def _why_not_spans(years: pd.DataFrame) -> str:
    return "" if len(years) else "the corpus has no date mentions"


@styled
def column_spans_figure(dates: pd.DataFrame, columns: pd.DataFrame | None = None) -> Figure | None:
    """One row per column with dates: a dot per mention of a day, month, season or year, a thick line
    over the stretch holding most of them (not over one passing mention), thin grey lines for its
    decades, centuries and ranges; one axis per era. None without date mentions."""
    years = mention_years(dates)
    if _why_not_spans(years):
        return None
    eras_ = eras(dates)
    table = _column_rows(years)
    n = len(table)
    labelled = n <= MAX_LABELLED_COLUMNS
    height = min(max(1.6, 0.9 + 0.2 * n), 10.0) if labelled else min(10.0, 1.4 + 0.06 * n)
    fig, axes = _facets(eras_, height=height)
    row = {cid: i for i, cid in enumerate(table["column_id"])}
    dot = 14 if n <= 40 else 5
    for i, era in enumerate(eras_):
        ax = axes[0][i]
        a, b = era.shown()
        coarse = years.loc[~years["fine"]]
        for cid, lo, hi in zip(coarse["column_id"], coarse["lo"], coarse["hi"]):
            if hi + 0.5 >= a and lo - 0.5 <= b:
                l, h, *_ = era.clip(lo - 0.5, hi + 0.5)
                ax.plot([l, h], [row[str(cid)]] * 2, color="0.7", linewidth=0.8 if n <= 40 else 0.5, zorder=1)
        for r, core in zip(range(n), table["core"]):
            if core is None:
                continue
            l, h, *_ = era.clip(core[0] - 0.5, core[1] + 0.5)
            if h > l:
                ax.plot([l, h], [r, r], color=FINE, linewidth=2.2 if n <= 40 else 1.0, solid_capstyle="butt", zorder=2)
        fine = years.loc[years["fine"] & (years["lo"] >= a) & (years["lo"] <= b)]
        per_year = fine.groupby([fine["column_id"].astype(str), "lo"]).size().rename("n").reset_index()
        ax.scatter(per_year["lo"], per_year["column_id"].map(row), s=dot * np.sqrt(per_year["n"].to_numpy()),
                   color=DOT, alpha=0.75, linewidths=0, zorder=3)
        ax.set_ylim(n - 0.5, -0.5)
        _era_title(ax, era, eras_)
    first = axes[0][0]
    if labelled:
        labels = column_labels(table["column_id"], columns, chars=40)
        first.set_yticks(range(n), [labels[c] for c in table["column_id"]])
    else:
        first.set_yticks([])
        first.set_ylabel(f"{n} columns, by the start of their main stretch")
    fig.supxlabel(f"years mentioned (dots: years named; line: {CORE_SHARE:.0%} of them; grey: decades, centuries, ranges)",
                  fontsize=8)
    return fig


# --- decades × columns ------------------------------------------------------------------------------

def decade_counts(dates: pd.DataFrame) -> pd.DataFrame:
    """Column × decade counts of the mentions that lie within one decade (whole numbers); mentions
    running over several decades (centuries, long ranges) are left out. Rows by first decade."""
    years = mention_years(dates)
    if years.empty:
        return pd.DataFrame(dtype="int64")
    first, last = years["lo"].map(decade_of), years["hi"].map(decade_of)
    within = years.assign(decade=first).loc[first == last]
    grid = (within.groupby(["column_id", "decade"]).size()
            .unstack(fill_value=0).sort_index(axis=1))
    if grid.empty:
        return grid
    first = grid.gt(0).idxmax(axis=1)
    order = sorted(grid.index, key=lambda c: (first[c], str(c)))
    return grid.loc[order].astype("int64")


def _why_not_heatmap(grid: pd.DataFrame, n_columns: int) -> str:
    if n_columns < 2:
        return f"it compares columns, and the corpus has {n_columns}"
    if len(grid) < 2:
        return f"fewer than two columns mention a year or decade ({len(grid)} of {n_columns})"
    if grid.shape[1] < 2:
        return f"every mention falls in one decade ({decade_label(int(grid.columns[0]))})"
    return ""


@styled
def decade_heatmap_figure(dates: pd.DataFrame, columns: pd.DataFrame | None = None) -> Figure | None:
    """Columns × decades mentioned; decades no column mentions are left out (a dashed line marks
    each jump). Darker: more mentions; blank: none. None when it would compare nothing."""
    grid = decade_counts(dates)
    n_columns = len(columns) if columns is not None else int(dates["column_id"].nunique()) if len(dates) else 0
    if _why_not_heatmap(grid, n_columns):
        return None
    decades = [int(d) for d in grid.columns]
    n_rows, n_cols = grid.shape
    labelled = n_rows <= MAX_LABELLED_COLUMNS
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=min(max(2.2, 1.3 + 0.2 * n_rows), 10.0) if labelled
                         else min(10.0, 1.6 + 0.06 * n_rows))
    top = int(grid.to_numpy().max())
    cmap, norm = count_scale(top)
    image = ax.imshow(np.ma.masked_equal(grid.to_numpy(), 0), aspect="auto", interpolation="nearest", cmap=cmap, norm=norm,
                      interpolation_stage="data")
    for i in range(1, n_cols):
        if decades[i] - decades[i - 1] > 10:
            ax.axvline(i - 0.5, color="0.45", linewidth=0.6, linestyle=(0, (2, 2)))
    step = max(1, math.ceil(n_cols / 22))
    ax.set_xticks(range(0, n_cols, step), [decade_label(d) for d in decades[::step]], rotation=45, ha="right",
                  rotation_mode="anchor")
    contiguous = all(b - a <= 10 for a, b in zip(decades, decades[1:]))
    ax.set_xlabel("decade mentioned" + ("" if contiguous else " (decades no column mentions are left out: dashed lines)"))
    if labelled:
        labels = column_labels(grid.index, columns, chars=40)
        ax.set_yticks(range(n_rows), [labels[str(c)] for c in grid.index])
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n_rows} columns, by the first decade they mention")
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    count_colorbar(fig, image, ax=ax, label="mentions (blank: none)", top=top, shrink=0.8 if labelled else 0.5,
                   aspect=25)
    return fig


# --- the list --------------------------------------------------------------------------------------

def _summary(dates: pd.DataFrame, n_columns: int) -> tuple[int, int, int, int]:
    years = mention_years(dates)
    with_dates = int(years["column_id"].nunique()) if len(years) else 0
    return len(years), int(years["fine"].sum()), with_dates, n_columns


def date_figure_notes(dates: pd.DataFrame, columns: pd.DataFrame | None = None) -> list[str]:
    """One line per date figure that is not drawn, saying why."""
    years = mention_years(dates)
    n_columns = len(columns) if columns is not None else int(years["column_id"].nunique())
    notes = []
    for name, reason in (("dates_by_year", _why_not_by_year(years)), ("dates_column_spans", _why_not_spans(years)),
                         ("dates_decade_heatmap", _why_not_heatmap(decade_counts(dates), n_columns))):
        if reason:
            notes.append(not_drawn(name, reason))
    return notes


def date_figures(dates: pd.DataFrame, columns: pd.DataFrame | None = None) -> list[FigureSpec]:
    """Every date figure the corpus supports (see :func:`date_figure_notes` for those it does not)."""
    n_columns = len(columns) if columns is not None else int(dates["column_id"].nunique()) if len(dates) else 0
    n, fine, with_dates, _ = _summary(dates, n_columns)
    eras_ = eras(dates)
    era_text = ("" if len(eras_) <= 1 else
                f" The mentions fall in {len(eras_)} eras ({'; '.join(e.label for e in eras_)}), each with its own axis.")
    out = []
    fig = mentions_by_year_figure(dates)
    if fig is not None:
        unit = {1: "year", 10: "decade", 100: "century"}[bin_width(eras_)]
        out.append(FigureSpec(
            "dates_by_year", fig,
            f"Date mentions by the year they name ({n} mentions in {with_dates} of {n_columns} columns). Bars: the "
            f"{fine} mentions of a day, month, season or year, per {unit}"
            + (f"; lines below: the {n - fine} decades, centuries and ranges, each drawn over the years it covers "
               "(an arrowhead where it runs past the axis)." if n > fine else ".") + era_text,
            "Bar chart of how many dated mentions fall in each " + unit + ", with the longer spans drawn as lines."))
    fig = column_spans_figure(dates, columns)
    if fig is not None:
        out.append(FigureSpec(
            "dates_column_spans", fig,
            f"The years each column mentions: a dot per year it names by a day, month, season or year (its area "
            f"grows with the number of such mentions), a line over the "
            f"shortest stretch holding {CORE_SHARE:.0%} of them (columns with three or more), grey lines for its "
            "decades, centuries and ranges." + era_text,
            "One row per column with dots at the years it mentions and a line over most of them."))
    fig = decade_heatmap_figure(dates, columns)
    if fig is not None:
        grid = decade_counts(dates)
        left_out = n - int(grid.to_numpy().sum())
        out.append(FigureSpec(
            "dates_decade_heatmap", fig,
            f"Date mentions per decade and column: darker cells hold more mentions, blank cells none. Mentions that "
            f"run over several decades ({left_out}: centuries, long ranges) are left out.",
            f"Heatmap with {len(grid)} columns as rows and the decades they mention as columns; darker means more."))
    return out
