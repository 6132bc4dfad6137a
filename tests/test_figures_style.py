"""Every figure a run makes is drawn in the project style, not matplotlib's defaults."""
from __future__ import annotations

from matplotlib.text import Text

from mrhistory.pipeline import run

from .conftest import CORPUS


def test_every_text_of_every_figure_uses_the_style_font_sizes(shipped_docs):
    figures = run(CORPUS, echo=None, progress=False).figures
    assert figures
    for name, fig, _, _ in figures:
        sizes = {round(t.get_fontsize(), 1) for t in fig.findobj(Text) if t.get_text()}
        # the style sets 7–9 pt; matplotlib's default 10 pt (or 12 for titles) means unstyled text
        assert all(5 <= size <= 9 for size in sizes), (name, sizes)
        legend = [leg for ax in fig.axes if (leg := ax.get_legend())]
        assert all(not leg.get_frame_on() for leg in legend), name
