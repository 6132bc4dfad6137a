"""Every figure the pipeline makes, rendered from the development corpus (real prose, 128 columns) at
1, 2, 20 and 128 columns, and checked for what a program can check of a publishable figure:

- each figure is drawn, or the run says in one line why not;
- no axes is left empty; every text lies inside the figure;
- an axis that counts (mentions, columns, words, spans) has whole-number ticks only;
- no two tick labels of an axis overlap, and no two node labels of the network do;
- in the network, no node overlaps another and no line runs through a node it does not join;
- column labels are never set at 90°.

The 128 columns are annotated once per session (the ``dev_runs`` fixture of conftest.py, shared with
tests/test_topics_dev_corpus.py); the smaller corpora are the first n columns, from the same cache.
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from .conftest import DEV_SIZES

#: The development corpus at each size, and the synthetic corpus (40 short columns with publication
#: dates, from Cannae to Srebrenica: five eras, and the one figure that needs dates).
SIZES = (*DEV_SIZES, "synthetic")

FIGURES = ("corpus-lengths", "entities_top", "entities_by_column", "entities_network", "dates_by_year",
           "dates_column_spans", "dates_decade_heatmap", "topics_columns_per_topic", "topics_by_year",
           "topic_model_terms")
#: Axis labels that announce a count: their ticks must be whole numbers.
COUNT_WORDS = re.compile(r"^(mentions|columns|words|spans)\b")


@pytest.fixture(scope="module")
def runs(dev_runs, tmp_path_factory):
    from mrhistory.pipeline import run
    from tools.synthetic import write_synthetic_corpus

    corpus = write_synthetic_corpus(tmp_path_factory.mktemp("synthetic") / "corpus", n=40, seed=0)
    return {**dev_runs, "synthetic": run(corpus, echo=None, progress=False)}


def _drawn(fig):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _figure(runs, n, name):
    specs = {spec.name: spec for spec in runs[n].figures}
    if name not in specs:
        pytest.skip(f"{name} is not drawn at {n} column(s)")
    return specs[name]


@pytest.mark.parametrize("n", SIZES)
def test_every_figure_is_drawn_or_the_run_says_why(runs, n):
    done = runs[n]
    drawn = {spec.name for spec in done.figures}
    for name in FIGURES:
        if name in drawn:
            continue
        reasons = [m for m in done.messages if f"figures: {name} not drawn: " in m]
        if name == "topic_model_terms":
            reasons += [m for m in done.messages if m.startswith("topics: NMF topic model skipped: ")]
        assert len(reasons) == 1 and "\n" not in reasons[0], (n, name, done.messages)
    assert len(done.figures) == len(drawn)
    if n == "synthetic":
        assert drawn == set(FIGURES)
    elif n >= 20:  # every figure but the one that needs publication dates
        assert drawn == set(FIGURES) - {"topics_by_year"}
    assert all(spec.caption and spec.alt for spec in done.figures)


def _visible_axes(fig):
    return [ax for ax in fig.axes if ax.get_visible()]


def _is_colorbar(ax) -> bool:
    return ax.get_label() == "<colorbar>" or hasattr(ax, "_colorbar")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("name", FIGURES)
def test_no_empty_axes_and_every_text_inside_the_figure(runs, n, name):
    fig = _figure(runs, n, name).figure
    renderer = _drawn(fig)
    for ax in _visible_axes(fig):
        ink = [*ax.patches, *ax.lines, *ax.collections, *ax.images]
        assert ink, f"{name} at {n} columns: an empty axes ({ax.get_title(loc='left')!r})"
    frame = fig.bbox
    for text in _shown_texts(fig, renderer):
        box = text.get_window_extent(renderer)
        assert (frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 and frame.y0 - 1 <= box.y0
                and box.y1 <= frame.y1 + 1), f"{name} at {n}: {text.get_text()!r} runs off the figure"


def _shown_texts(fig, renderer):
    """Every text the figure draws: titles, axis labels, legends, annotations and the tick labels in view
    (matplotlib keeps labels for ticks outside the view, but does not draw them)."""
    ticks = {id(t) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis) for tick in axis.get_major_ticks()
             for t in (tick.label1, tick.label2)}
    shown = [label for ax in _visible_axes(fig) for axis in (ax.xaxis, ax.yaxis)
             for _, label, _ in _tick_texts(axis, renderer)]
    others = [t for t in fig.findobj(Text) if id(t) not in ticks]
    return [t for t in [*shown, *others] if t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible()) and t.get_window_extent(renderer).width > 0]


def _tick_texts(axis, renderer):
    view = sorted(axis.get_view_interval())
    out = []
    for tick in axis.get_major_ticks():
        label = tick.label1 if tick.label1.get_visible() else tick.label2
        if not (tick.get_visible() and label.get_visible() and label.get_text().strip()):
            continue
        if not view[0] - 1e-9 <= tick.get_loc() <= view[1] + 1e-9:
            continue
        out.append((tick.get_loc(), label, label.get_window_extent(renderer)))
    return out


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("name", FIGURES)
def test_count_axes_have_whole_number_ticks(runs, n, name):
    fig = _figure(runs, n, name).figure
    renderer = _drawn(fig)
    checked = 0
    for ax in _visible_axes(fig):
        for axis, label in ((ax.xaxis, ax.get_xlabel()), (ax.yaxis, ax.get_ylabel().replace("\n", " "))):
            if not COUNT_WORDS.search(label):
                continue
            texts = [t.get_text().replace("−", "-") for _, t, _ in _tick_texts(axis, renderer)]
            assert all(re.fullmatch(r"-?\d+", t) for t in texts), (name, n, label, texts)
            checked += bool(texts)
    if name in ("entities_top", "entities_by_column", "dates_by_year", "dates_decade_heatmap",
                "topics_columns_per_topic", "corpus-lengths"):
        assert checked, f"{name} at {n}: no count axis found to check"


def _clash(a, b, slack=0.5) -> bool:
    return a.x0 < b.x1 - slack and b.x0 < a.x1 - slack and a.y0 < b.y1 - slack and b.y0 < a.y1 - slack


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("name", FIGURES)
def test_tick_labels_do_not_overlap_and_are_never_vertical(runs, n, name):
    fig = _figure(runs, n, name).figure
    renderer = _drawn(fig)
    for ax in _visible_axes(fig):
        for axis in (ax.xaxis, ax.yaxis):
            texts = sorted(_tick_texts(axis, renderer), key=lambda t: t[0])
            for _, text, _ in texts:
                assert abs(text.get_rotation() % 180 - 90) > 1, f"{name}: {text.get_text()!r} is set at 90°"
            for (_, t1, b1), (_, t2, b2) in zip(texts, texts[1:]):
                if t1.get_rotation() % 180 == 0:
                    assert not _clash(b1, b2), f"{name} at {n}: {t1.get_text()!r} overlaps {t2.get_text()!r}"
                else:  # slanted labels: parallel lines at least a line's height apart
                    angle = math.radians(t1.get_rotation())
                    a1 = np.array(t1.get_transform().transform(t1.get_position()))
                    a2 = np.array(t2.get_transform().transform(t2.get_position()))
                    gap = abs((a2 - a1) @ np.array([math.sin(angle), -math.cos(angle)]))
                    height = t1.get_fontsize() * fig.dpi / 72
                    assert gap >= 0.9 * height, f"{name} at {n}: {t1.get_text()!r} and {t2.get_text()!r} collide"


def _network_geometry(fig):
    """Node centres and radii (pixels) and edge segments of the drawn network, read off its artists."""
    ax = fig.axes[0]
    centres, radii = [], []
    for coll in ax.collections:
        if isinstance(coll, PathCollection):
            offsets = ax.transData.transform(coll.get_offsets())
            sizes = np.broadcast_to(coll.get_sizes(), (len(offsets),))
            centres += [tuple(o) for o in offsets]
            radii += [math.sqrt(s) / 2 * fig.dpi / 72 for s in sizes]
    edges = []
    for line in ax.lines:
        xy = ax.transData.transform(line.get_xydata())
        if len(xy) == 2 and line.get_linewidth() >= 0.5 and line.get_color() == "#999999":
            edges.append((xy[0], xy[1]))
    return np.array(centres), np.array(radii), edges


@pytest.mark.parametrize("n", SIZES)
def test_network_nodes_labels_and_edges_stay_clear_of_one_another(runs, n):
    spec = _figure(runs, n, "entities_network")
    fig = spec.figure
    renderer = _drawn(fig)
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_visible() and t.get_text()]
    boxes = [t.get_window_extent(renderer) for t in labels]
    clashes = [(labels[i].get_text(), labels[j].get_text())
               for i in range(len(boxes)) for j in range(i + 1, len(boxes)) if _clash(boxes[i], boxes[j], slack=0)]
    assert clashes == []
    centres, radii, edges = _network_geometry(fig)
    assert len(labels) == len(centres) >= 2 and edges
    for i in range(len(centres)):
        for j in range(i + 1, len(centres)):
            assert math.dist(centres[i], centres[j]) >= radii[i] + radii[j], "two nodes overlap"
    for a, b in edges:
        ends = [k for k, c in enumerate(centres) if min(math.dist(c, a), math.dist(c, b)) < 1e-3 * fig.dpi]
        assert len(ends) == 2, "every drawn line joins two drawn nodes"
        ab = b - a
        for k, c in enumerate(centres):
            if k in ends:
                continue
            t = np.clip(np.dot(c - a, ab) / np.dot(ab, ab), 0, 1)
            assert math.dist(c, a + t * ab) >= radii[k], "a line runs through a node it does not join"
    for box in boxes:  # a label covers no node but its own
        for c, r in zip(centres, radii):
            inside = box.x0 + r < c[0] < box.x1 - r and box.y0 + r < c[1] < box.y1 - r
            assert not inside
    assert f"{len(centres)} most-mentioned" in spec.caption


@pytest.mark.parametrize("n", SIZES)
def test_column_labels_are_titles_not_ids(runs, n):
    done = runs[n]
    titles = set(done.columns["title"])
    for spec in done.figures:
        if spec.name not in ("dates_column_spans", "dates_decade_heatmap", "entities_by_column", "corpus-lengths"):
            continue
        if spec.name == "corpus-lengths" and len(done.columns) > 40:
            continue  # histograms: no row per column
        labels = [t.get_text() for ax in spec.figure.axes if not _is_colorbar(ax)
                  for t in ax.get_yticklabels() if t.get_text()]
        assert not any(label.startswith("wikiwars-") for label in labels), spec.name
        stems = [re.sub(r" \(\d{4}\)$", "", label).split(" · ")[0].rstrip("…") for label in labels]
        assert all(any(title.startswith(stem) for title in titles) for stem in stems), (spec.name, [
            stem for stem in stems if not any(title.startswith(stem) for title in titles)])


def test_the_large_figures_are_byte_stable(dev_runs):
    from mrhistory.figures import figure_bytes
    from mrhistory.figures.dates import mentions_by_year_figure
    from mrhistory.figures.entities import cooccurrence_network

    tables = dev_runs[128].tables
    first = figure_bytes(cooccurrence_network(tables["entity_counts"], tables["entity_cooccurrence"]), "png")
    assert first == figure_bytes(cooccurrence_network(tables["entity_counts"], tables["entity_cooccurrence"]), "png")
    assert figure_bytes(mentions_by_year_figure(tables["dates"]), "svg") == figure_bytes(
        mentions_by_year_figure(tables["dates"]), "svg")
