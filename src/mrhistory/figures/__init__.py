"""Figures: one style for all, saved as PNG (300 dpi), SVG and PDF with deterministic bytes.

Each analysis has a sibling module here (``figures.entities`` …) whose functions take that
analysis's tables and return a matplotlib Figure, and whose ``*_figures`` function lists every
figure the tables support as :class:`FigureSpec`; the pipeline and the notebooks both call them and
save through :func:`save_figure`, so their files are identical.
"""
from __future__ import annotations

import functools
import io
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..outputs import atomic_write_bytes
from ..packaged import data_path

FORMATS = ("png", "svg", "pdf")
SINGLE_COLUMN_IN = 3.5
DOUBLE_COLUMN_IN = 7.2
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
# No timestamps or software names in the files: same figure, same bytes.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def style_path() -> Path:
    return data_path("mrhistory.mplstyle")


@contextmanager
def style():
    """Draw inside this block to get the toolkit's style.

    Matplotlib reads the style when an artist is created, so titles, labels and legends added
    after :func:`new_figure` need it too: decorate figure functions with :func:`styled`.
    """
    with plt.style.context(str(style_path())):
        yield


def styled(func):
    """Run a figure-making function inside :func:`style`. The figure's layout is settled before it is
    returned (constrained layout with rotated labels and colour bars moves on its first draw), so
    that every save of it, the first included, gives the same bytes."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            fig = func(*args, **kwargs)
            if isinstance(fig, Figure) and fig.get_layout_engine() is not None:
                settle_layout(fig)
            return fig

    return wrapper


def settle_layout(fig: Figure) -> None:
    """Run the layout engine once at the resolution the files are saved at, so that it starts every
    save from the same state (a constrained layout with a colour bar moves a little on its first save)."""
    screen = fig.dpi
    fig.set_dpi(plt.rcParams["savefig.dpi"] if plt.rcParams["savefig.dpi"] != "figure" else screen)
    try:
        fig.draw_without_rendering()
    finally:
        fig.set_dpi(screen)


def new_figure(*, width: float = DOUBLE_COLUMN_IN, height: float = 4.0, **kwargs):
    """A styled ``(Figure, Axes)`` pair, not attached to pyplot's global state."""
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.subplots(**kwargs)
    return fig, ax


#: Counts up to this many get one colour step each (a discrete colour bar); more, a continuous scale.
DISCRETE_COUNTS = 9
#: What a heatmap cell with no count shows: the paper, not the lightest colour of the scale.
BLANK = "white"


def count_scale(top: int):
    """``(cmap, norm)`` for a heatmap of counts 1…``top``: a sequential blue scale, light for 1 and
    darker for more, never starting at white (so a single mention is visible); 0 is left blank
    (mask it). Up to :data:`DISCRETE_COUNTS` each count has its own step."""
    top = max(int(top), 1)
    blues = plt.get_cmap("Blues")
    if top <= DISCRETE_COUNTS:
        colours = blues(np.linspace(0.3, 1.0, top)) if top > 1 else blues([0.6])
        cmap = ListedColormap(colours).with_extremes(bad=BLANK)
        return cmap, BoundaryNorm(np.arange(0.5, top + 1.5), cmap.N)
    cmap = ListedColormap(blues(np.linspace(0.3, 1.0, 256))).with_extremes(bad=BLANK)
    return cmap, Normalize(vmin=1, vmax=top)


def count_colorbar(fig: Figure, image, *, label: str, top: int, **kwargs):
    """A colour bar for :func:`count_scale` with whole-number ticks only."""
    bar = fig.colorbar(image, label=label, **kwargs)
    top = max(int(top), 1)
    if top <= DISCRETE_COUNTS:
        step = 1 if top <= 5 else 2
        bar.set_ticks(list(range(1, top + 1, step)) + ([top] if (top - 1) % step else []))
    else:
        bar.locator = MaxNLocator(integer=True, nbins=6)
        bar.update_ticks()
    bar.ax.minorticks_off()
    bar.outline.set_visible(False)
    return bar


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    with style():
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()


def not_drawn(name: str, reason: str) -> str:
    """The one line a run prints for a figure it does not draw: "figures: dates_decade_heatmap not
    drawn: …". Figure modules give these for every figure that would be empty or degenerate."""
    return f"figures: {name} not drawn: {reason}"


class FigureSpec(NamedTuple):
    """A figure ready to save: its file name (no extension), the Figure, its caption and alt text."""

    name: str
    figure: Figure
    caption: str
    alt: str


@dataclass
class SavedFigure:
    name: str
    caption: str
    alt: str
    files: list[Path]


def save_figure(fig: Figure, folder: str | Path, name: str, *, caption: str = "", alt: str = "",
                formats=FORMATS) -> SavedFigure:
    """Write ``fig`` as ``folder/name.{png,svg,pdf}`` atomically; returns what was written."""
    files = [atomic_write_bytes(Path(folder) / f"{name}.{fmt}", figure_bytes(fig, fmt)) for fmt in formats]
    return SavedFigure(name, caption, alt or caption, files)
