"""Figures of the topic analyses: columns per topic for each facet, topic prevalence by
publication year, and the top terms of each NMF topic. Tables in, Figure out."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.ticker import MaxNLocator

from . import BLANK, DOUBLE_COLUMN_IN, PALETTE, FigureSpec, new_figure, not_drawn, styled
from ..topics import FACETS, UNASSIGNED

FACET_TITLES = {"period": "Period", "region": "Region", "theme": "Theme"}
MAX_ANNOTATED_CELLS = 240
#: Shares from light to dark blue (darker: a larger share); 0 is left blank.
SHARES = ListedColormap(plt.get_cmap("Blues")(np.linspace(0.2, 1.0, 256))).with_extremes(bad=BLANK)


def _facet_topics(column_topics: pd.DataFrame, facet: str, order: list[str]) -> list[str]:
    present = set(column_topics.loc[column_topics["facet"] == facet, "topic"].astype(str))
    extra = sorted(present - set(order) - {UNASSIGNED})
    return [*order, *extra, *([UNASSIGNED] if UNASSIGNED in present else [])]


def topic_counts(column_topics: pd.DataFrame, facet: str, topics: list[str]) -> pd.DataFrame:
    """Per topic of ``facet``: columns where it is the main (first) topic, and columns where it is
    one of the others; in ``topics`` order."""
    rows = column_topics.loc[column_topics["facet"] == facet]
    first = rows.groupby("column_id", sort=True)["topic"].first()
    main = first.value_counts()
    assigned = rows.drop_duplicates(["column_id", "topic"])["topic"].value_counts()
    out = pd.DataFrame({"topic": topics})
    out["main"] = out["topic"].map(main).fillna(0).astype("int64")
    out["also"] = (out["topic"].map(assigned).fillna(0).astype("int64") - out["main"]).clip(lower=0)
    return out


@styled
def columns_per_topic_figure(column_topics: pd.DataFrame, orders: dict[str, list[str]]):
    """Three bar panels (period, region, theme): how many columns each topic has, as main topic
    and as a further topic. Periods keep their chronological order."""
    counts = {f: topic_counts(column_topics, f, _facet_topics(column_topics, f, orders[f])) for f in FACETS}
    sizes = [len(counts[f]) for f in FACETS]
    fig, axes = new_figure(width=DOUBLE_COLUMN_IN, height=1.0 + 0.22 * sum(sizes), nrows=3,
                           gridspec_kw={"height_ratios": [max(s, 1) for s in sizes]})
    top = max(1, int(max((c["main"] + c["also"]).max() if len(c) else 0 for c in counts.values())))
    for ax, facet in zip(axes, FACETS):
        c = counts[facet]
        y = np.arange(len(c))
        ax.barh(y, c["main"], color=PALETTE[0], label="main topic")
        ax.barh(y, c["also"], left=c["main"], color=PALETTE[4], label="further topic")
        ax.set_yticks(y, c["topic"])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.08)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(FACET_TITLES[facet], loc="left")
        for yi, total in zip(y, c["main"] + c["also"]):
            if total:
                ax.text(total + top * 0.01, yi, str(int(total)), va="center", fontsize="small")
    axes[-1].set_xlabel("columns")
    axes[0].legend(loc="lower right", frameon=False, fontsize="small")
    return fig


def _years(columns: pd.DataFrame) -> pd.Series:
    published = columns.set_index(columns["column_id"].astype(str))["published"].astype(str)
    years = published.str.extract(r"^(\d{4})-\d\d-\d\d$")[0].dropna().astype(int)
    return years.sort_index()


def _why_not_by_year(columns: pd.DataFrame) -> str:
    years = _years(columns)
    if years.empty:
        return "no column has a publication date (add them in corpus/metadata.csv)"
    if years.nunique() < 2:
        return f"every dated column was published in {int(years.iloc[0])}: there is no change over the years to show"
    return ""


@styled
def prevalence_by_year_figure(column_topics: pd.DataFrame, columns: pd.DataFrame, orders: dict[str, list[str]]):
    """Heatmaps, one per facet: the share of each publication year's columns that have a topic.
    None when fewer than two publication years are known."""
    if _why_not_by_year(columns):
        return None
    years = _years(columns)
    lo, hi = int(years.min()), int(years.max())
    axis_years = list(range(lo, hi + 1)) if hi - lo <= 60 else sorted(set(years))
    per_year = years.value_counts()
    panels = []
    for facet in FACETS:
        rows = column_topics.loc[(column_topics["facet"] == facet) & column_topics["column_id"].isin(years.index)]
        rows = rows.drop_duplicates(["column_id", "topic"]).assign(year=lambda d: d["column_id"].map(years))
        topics = [t for t in _facet_topics(column_topics, facet, orders[facet]) if t in set(rows["topic"])]
        counts = rows.groupby(["topic", "year"]).size().unstack(fill_value=0).reindex(index=topics, columns=axis_years, fill_value=0)
        panels.append((facet, counts))
    sizes = [max(len(c), 1) for _, c in panels]
    width = min(DOUBLE_COLUMN_IN * 1.6, max(DOUBLE_COLUMN_IN, 2.6 + 0.22 * len(axis_years)))
    fig, axes = new_figure(width=width, height=max(2.6, 1.2 + 0.24 * sum(sizes)), nrows=3, sharex=True,
                           gridspec_kw={"height_ratios": sizes})
    annotate = len(axis_years) * sum(sizes) <= MAX_ANNOTATED_CELLS
    image = None
    denominators = np.array([per_year.get(y, 0) for y in axis_years], dtype=float)
    for ax, (facet, counts) in zip(axes, panels):
        share = np.divide(counts.to_numpy(dtype=float), denominators, out=np.zeros(counts.shape), where=denominators > 0)
        image = ax.imshow(np.ma.masked_equal(share if len(counts) else np.zeros((1, len(axis_years))), 0.0),
                          aspect="auto", cmap=SHARES, vmin=0, vmax=1, interpolation="nearest",
                          interpolation_stage="data")
        ax.set_yticks(range(len(counts)), counts.index.tolist())
        ax.set_title(FACET_TITLES[facet], loc="left")
        if annotate:
            for (i, j), n in np.ndenumerate(counts.to_numpy()):
                if n:
                    ax.text(j, i, str(n), ha="center", va="center", fontsize="x-small",
                            color="white" if share[i, j] > 0.6 else "black")
    step = max(1, math.ceil(len(axis_years) / 15))
    axes[-1].set_xticks(range(0, len(axis_years), step), [str(y) for y in axis_years[::step]], rotation=90 if step == 1 and len(axis_years) > 12 else 0)
    axes[-1].set_xlabel("year of publication")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="share of the year's columns")
    return fig


@styled
def topic_terms_figure(terms: pd.DataFrame):
    """One small bar chart per NMF topic: its top terms and their weights."""
    topics = sorted(terms["topic"].unique())
    k = max(len(topics), 1)
    ncols = min(4, k)
    nrows = math.ceil(k / ncols)
    n_terms = int(terms.groupby("topic").size().max()) if len(terms) else 1
    fig, axes = new_figure(width=DOUBLE_COLUMN_IN, height=0.6 + nrows * (0.35 + 0.16 * n_terms), nrows=nrows,
                           ncols=ncols, squeeze=False)
    flat = axes.ravel()
    for ax, topic in zip(flat, topics):
        t = terms.loc[terms["topic"] == topic].sort_values("rank")
        y = np.arange(len(t))
        ax.barh(y, t["weight"], color=PALETTE[(int(topic) - 1) % len(PALETTE)])
        ax.set_yticks(y, t["term"], fontsize="small")
        ax.invert_yaxis()
        ax.set_title(f"topic {int(topic)}", loc="left", fontsize="medium")
        ax.tick_params(axis="x", labelsize="x-small")
    for ax in flat[len(topics):]:
        ax.set_visible(False)
    fig.supxlabel("term weight (share of the topic)", fontsize="small")
    return fig


def topic_figure_notes(column_topics: pd.DataFrame, columns: pd.DataFrame) -> list[str]:
    """One line per topic figure that is not drawn, saying why (the NMF terms figure's reason is the
    model's own "skipped" line)."""
    reason = _why_not_by_year(columns)
    return [not_drawn("topics_by_year", reason)] if reason else []


def topic_figures(column_topics: pd.DataFrame, columns: pd.DataFrame, taxonomy, model=None):
    """Every topic figure (:class:`FigureSpec`); the year figure only when columns
    have publication dates, the terms figure only when the NMF model ran."""
    return topic_table_figures(column_topics, columns, taxonomy) + topic_model_figures(model)


def topic_table_figures(column_topics: pd.DataFrame, columns: pd.DataFrame, taxonomy):
    """The figures of the column-topics table: columns per topic, and by year when columns have dates."""
    orders = {f: taxonomy.topics(f) for f in FACETS}
    n = int(columns["column_id"].nunique())
    out = [FigureSpec("topics_columns_per_topic", columns_per_topic_figure(column_topics, orders),
            f"Columns per period, region and theme ({n} column{'s' * (n != 1)}); dark: the column's main topic, "
            "light: a further topic above the facet's threshold.",
            "Three horizontal bar charts counting columns per period, per region and per theme.")]
    fig = prevalence_by_year_figure(column_topics, columns, orders)
    if fig is not None:
        out.append(FigureSpec("topics_by_year", fig,
                    "Share of each year's columns assigned each period, region and theme (numbers: columns).",
                    "Three heatmaps, topics by publication year, shaded by the share of that year's columns."))
    return out


def topic_model_figures(model=None):
    """The NMF model's terms figure, when the model ran."""
    if model is None or model.skipped or not len(model.terms):
        return []
    return [FigureSpec("topic_model_terms", topic_terms_figure(model.terms),
                       f"Top terms of the {model.n_topics} NMF topics (weights: share of the topic).",
                       "Small bar charts, one per NMF topic, listing its most heavily weighted terms.")]
