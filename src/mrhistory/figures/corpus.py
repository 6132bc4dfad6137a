"""The corpus at a glance: how long each reader's question and Mr. History's answer are.

Up to :data:`MAX_LABELLED` columns get one labelled row each (a dot plot); a larger corpus gets
two histograms instead, because hundreds of row labels cannot be read.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from . import DOUBLE_COLUMN_IN, PALETTE, FigureSpec, new_figure, style

NAME = "corpus-lengths"
CAPTION = ("Length of each column's reader question and of Mr. History's answer, in words "
           "(words as counted by mrhistory: runs of letters and digits, apostrophes kept inside words).")
ALT = ("Dot plot or histogram of question and answer lengths in words, one row per column when the "
       "corpus is small; answers are longer than questions.")
MAX_LABELLED = 40
#: Characters of a row label per inch of figure width, so labels leave room for the data.
LABEL_CHARS_PER_IN = 6.5
QUESTION, ANSWER = PALETTE[1], PALETTE[0]


def _label(row, chars: int) -> str:
    """A short, readable row label: the title (else the column id), with the year when known."""
    text = str(row.title or row.column_id)
    if len(text) > chars:
        cut = text[: chars - 1]
        if " " in cut[chars // 2:]:  # end on a whole word when one is near
            cut = cut.rsplit(" ", 1)[0]
        text = cut.rstrip(" ,;:-") + "…"
    return f"{text} ({row.published[:4]})" if row.published else text


def _ordered(columns: pd.DataFrame) -> pd.DataFrame:
    """Oldest first, undated last, ties by column id: the same order on every run."""
    table = columns[["column_id", "title", "published", "question_words", "answer_words"]].copy()
    table["title"] = table["title"].fillna("").astype(str)
    table["published"] = table["published"].fillna("").astype(str)
    table["undated"] = table["published"] == ""
    return table.sort_values(["undated", "published", "column_id"], kind="mergesort", ignore_index=True)


def corpus_lengths_figure(columns: pd.DataFrame, *, width: float = DOUBLE_COLUMN_IN) -> Figure:
    """Question and answer length (words) per column, from the ``columns`` table."""
    table = _ordered(columns)
    with style():  # text and legends take the style's sizes only if drawn inside it
        if len(table) > MAX_LABELLED:
            return _histograms(table, width=width)
        return _dot_plot(table, width=width)


def _dot_plot(table: pd.DataFrame, *, width: float) -> Figure:
    n = len(table)
    fig, ax = new_figure(width=width, height=max(1.5, 0.75 + 0.24 * max(n, 1)))
    if n == 0:
        ax.text(0.5, 0.5, "The corpus has no readable columns.", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    y = np.arange(n)[::-1]  # first (oldest) column at the top
    for lo, hi, yy in zip(table["question_words"], table["answer_words"], y):
        ax.plot([min(lo, hi), max(lo, hi)], [yy, yy], color="0.8", linewidth=1.0, zorder=1)
    ax.scatter(table["question_words"], y, s=22, color=QUESTION, marker="o", label="question", zorder=2)
    ax.scatter(table["answer_words"], y, s=22, color=ANSWER, marker="s", label="answer", zorder=2)
    chars = max(16, int(width * LABEL_CHARS_PER_IN))
    ax.set_yticks(y, [_label(row, chars) for row in table.itertuples(index=False)])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlim(left=0)
    ax.set_xlabel("words")
    ax.xaxis.grid(True, color="0.9", linewidth=0.6)
    ax.set_axisbelow(True)
    # No title: a published figure has a caption. The legend sits above the plot, out of the data.
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, borderaxespad=0.2, handletextpad=0.3)
    return fig


def _histograms(table: pd.DataFrame, *, width: float) -> Figure:
    fig, axes = new_figure(width=width, height=2.6, ncols=2, sharey=True)
    for ax, part, colour in zip(axes, ("question", "answer"), (QUESTION, ANSWER)):
        values = table[f"{part}_words"].to_numpy()
        edges = np.histogram_bin_edges(values, bins=min(30, max(5, len(values) // 10)))
        step = max(1, int(np.ceil((edges[-1] - edges[0]) / max(len(edges) - 1, 1))))  # whole words per bar
        bins = np.arange(int(values.min()), int(values.max()) + step + 1, step)
        ax.hist(values, bins=bins, color=colour, edgecolor="white", linewidth=0.4)
        ax.set_xlabel(f"{part} length (words)")
        ax.set_title(f"{part.capitalize()}s, median {int(np.median(values))} words", loc="left")
    axes[0].set_ylabel("columns")
    axes[0].yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


def corpus_figures(columns: pd.DataFrame) -> list[FigureSpec]:
    """The corpus figures: the lengths of questions and answers (none for a corpus with no readable
    column: the run already says so)."""
    if columns.empty:
        return []
    return [FigureSpec(NAME, corpus_lengths_figure(columns), CAPTION, ALT)]
