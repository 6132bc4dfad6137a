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
from matplotlib.figure import Figure

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
    """Run a figure-making function inside :func:`style`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with style():
            return func(*args, **kwargs)

    return wrapper


def new_figure(*, width: float = DOUBLE_COLUMN_IN, height: float = 4.0, **kwargs):
    """A styled ``(Figure, Axes)`` pair, not attached to pyplot's global state."""
    with style():
        fig = Figure(figsize=(width, height), layout="constrained")
        ax = fig.subplots(**kwargs)
    return fig, ax


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    with style():
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=_METADATA[fmt])
    return buffer.getvalue()


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
