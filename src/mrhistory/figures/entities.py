"""Figures of the entity tables: top entities per label, entity × column heatmap, co-occurrence network.

Pure functions: tables in, a matplotlib Figure out (no pyplot state), deterministic layout.
"""
from __future__ import annotations

import math
import textwrap

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from . import DOUBLE_COLUMN_IN, PALETTE, FigureSpec, new_figure, style, styled

LAYOUT_SEED = 20240613
#: Short headings (they share a panel's label column with the names): what each label covers.
LABEL_NAMES = {
    "PERSON": "people", "NORP": "nationalities, groups", "FAC": "buildings, sites",
    "ORG": "organisations", "GPE": "countries, cities, states", "LOC": "other places", "PRODUCT": "aircraft, ships, weapons",
    "EVENT": "wars, battles, operations", "WORK_OF_ART": "works", "LAW": "treaties, pacts, acts", "LANGUAGE": "languages",
}
#: Characters of a name on one line of the bar charts; longer names wrap onto a second line.
NAME_WIDTH = 32


#: Colour order: the most common labels get the eight distinct Okabe–Ito colours; the rest
#: reuse a colour with a square marker.
_COLOUR_ORDER = ("PERSON", "GPE", "NORP", "ORG", "LOC", "EVENT", "PRODUCT", "LAW", "FAC", "WORK_OF_ART", "LANGUAGE")


def label_colour(label: str) -> str:
    i = _COLOUR_ORDER.index(label) if label in _COLOUR_ORDER else len(_COLOUR_ORDER) - 1
    return PALETTE[i % len(PALETTE)]


def label_marker(label: str) -> str:
    i = _COLOUR_ORDER.index(label) if label in _COLOUR_ORDER else len(_COLOUR_ORDER) - 1
    return "o" if i < len(PALETTE) else "s"


def _short(name: str, width: int = 30) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


def _wrapped(name: str, width: int = NAME_WIDTH, lines: int = 2) -> str:
    """A name on at most ``lines`` lines of ``width`` characters, broken between words; only a
    name longer than that is shortened (with "…")."""
    if len(name) <= width:
        return name
    out = textwrap.wrap(name, width, break_long_words=True, break_on_hyphens=False)
    if len(out) > lines:
        out = out[: lines - 1] + [_short(" ".join(out[lines - 1:]), width)]
    return "\n".join(out)


def _label_order(counts: pd.DataFrame) -> list[str]:
    totals = counts.groupby("label", observed=True)["mentions"].sum()
    return sorted(totals.index, key=lambda l: (-totals[l], l))


@styled
def top_entities(counts: pd.DataFrame, *, per_label: int = 8):
    """The ``per_label`` most-mentioned entities of each label, as bars grouped under a heading
    per label (labels with most mentions first), in two side-by-side panels of similar length.

    Headings and names are tick labels, so the layout makes room for them: nothing runs off the
    figure at double-column width; a long name is wrapped onto a second line, not cut."""
    groups = []
    for label in _label_order(counts):
        top = (counts[counts["label"] == label]
               .sort_values(["mentions", "canonical"], ascending=[False, True], kind="mergesort").head(per_label))
        groups.append((label, top))
    rows = [len(top) + 1 for _, top in groups]
    half, stacks, acc = sum(rows) / 2, ([], []), 0
    for (label, top), n in zip(groups, rows):
        stacks[0 if acc + n / 2 <= half or not stacks[0] else 1].append((label, top))
        acc += n
    height_rows = max(sum(len(t) + 1 for _, t in stack) for stack in stacks)
    panels = 2 if stacks[1] else 1
    fig, axes = new_figure(width=DOUBLE_COLUMN_IN, height=0.19 * height_rows + 0.9, ncols=panels, sharex=True, squeeze=False)
    top_count = int(counts["mentions"].max()) if len(counts) else 1
    for ax, stack in zip(axes.flat, stacks):
        y, ticks, names, headings = 0, [], [], []
        for label, top in stack:
            ticks.append(y)
            names.append(f"{label} · {LABEL_NAMES.get(label, label)}")
            headings.append(len(names) - 1)
            y -= 1
            positions = np.arange(y, y - len(top), -1)
            ax.barh(positions, top["mentions"].to_numpy(), color=label_colour(label), height=0.72)
            ticks += list(positions)
            names += [_wrapped(n) for n in top["canonical"]]
            y -= len(top)
        ax.set_yticks(ticks, names, fontsize=7)
        for i, tick in enumerate(ax.get_yticklabels()):
            if i in headings:
                tick.set_fontweight("bold")
            elif "\n" in tick.get_text():
                tick.set_linespacing(0.95)
        ax.set_ylim(-height_rows + 0.4, 0.6)
        ax.set_xlim(0, top_count * 1.05)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
        ax.tick_params(axis="x", labelsize=7)
        ax.tick_params(axis="y", length=0)
        ax.set_xlabel("mentions", fontsize=8)
    return fig


def entity_heatmap(mentions: pd.DataFrame, *, top: int = 25):
    """Mentions of the ``top`` most-mentioned entities (rows) in each column (columns, by id)."""
    ranked = (mentions.groupby(["canonical", "label"], observed=True).size().rename("n").reset_index()
              .sort_values(["n", "canonical", "label"], ascending=[False, True, True], kind="mergesort").head(top))
    keys = list(zip(ranked["canonical"], ranked["label"]))
    column_ids = sorted(mentions["column_id"].unique())
    grid = (mentions.assign(key=list(zip(mentions["canonical"], mentions["label"])))
            .groupby(["key", "column_id"], observed=True).size())
    matrix = np.array([[grid.get((k, c), 0) for c in column_ids] for k in keys], dtype=float)
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=max(2.5, 0.2 * len(keys) + 1.6))
    with style():
        image = ax.imshow(np.ma.masked_equal(matrix, 0), aspect="auto", cmap="cividis", interpolation="nearest")
        ax.set_facecolor("#f2f2f2")
        ax.set_yticks(range(len(keys)), [f"{_short(c)} ({l})" for c, l in keys], fontsize=7)
        if len(column_ids) <= 30:
            ax.set_xticks(range(len(column_ids)), [_short(c, 24) for c in column_ids], rotation=90, fontsize=6)
            ax.set_xlabel("column")
        else:
            ax.set_xticks([])
            ax.set_xlabel(f"columns (n = {len(column_ids)}, in column-id order)")
        bar = fig.colorbar(image, ax=ax, shrink=0.8)
        bar.set_label("mentions (blank = none)", fontsize=7)
        bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return fig


#: Where a label may sit around its node, in order of preference: above, below, right, left,
#: then the four corners; each ring further out is tried only when every nearer place is taken.
_SIDES = ((0, 1), (0, -1), (1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1))
_RINGS = 6


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _label_boxes(centres, radii, sizes, frame, pad, obstacles=()):
    """Place one label box (w, h) per node, largest node first, greedily: the first candidate
    place around its node (see _SIDES, _RINGS) that overlaps no placed label, no node, none of
    ``obstacles`` (the legend) and stays inside ``frame``; else the least-overlapping one. All in
    display pixels (x0, y0, x1, y1); deterministic."""
    nodes = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(centres, radii)] + list(obstacles)
    placed, out = [], []
    for (x, y), r, (w, h) in zip(centres, radii, sizes):
        best = None
        for ring in range(_RINGS):
            gap = pad + ring * h * 0.9
            for rank, (dx, dy) in enumerate(_SIDES):
                cx = x + dx * (r + gap + w / 2)
                cy = y + dy * (r + gap + h / 2)
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                # Labels keep a gap between them, so two names do not read as one.
                airy = (box[0] - h * 0.6, box[1] - h * 0.15, box[2] + h * 0.6, box[3] + h * 0.15)
                cost = sum(_overlap(airy, other) for other in placed) + sum(_overlap(box, n) for n in nodes)
                outside = (max(0, frame[0] - box[0]) + max(0, box[2] - frame[2])
                           + max(0, frame[1] - box[1]) + max(0, box[3] - frame[3]))
                cost += outside * h * 4
                key = (cost, ring, rank)
                if best is None or key < best[0]:
                    best = (key, box, ring)
            if best[0][0] == 0:
                break
        placed.append(best[1])
        out.append((best[1], best[2]))
    return out


@styled
def cooccurrence_network(counts: pd.DataFrame, pairs: pd.DataFrame, *, top: int = 30, max_edges: int | None = None,
                         seed: int = LAYOUT_SEED):
    """The ``top`` most-mentioned entities, linked when named in the same sentence (edge width =
    sentences; only the ``max_edges`` strongest links, default twice the nodes, so a large corpus
    is not a hairball); node area ~ mentions, colour = label. Seeded layout: same tables, same figure.
    Each label is set beside its node where it covers no other label or node (a grey leader line
    joins it to its node when it had to move further out)."""
    nodes = counts.sort_values(["mentions", "canonical", "label"], ascending=[False, True, True], kind="mergesort").head(top)
    keys = list(zip(nodes["canonical"], nodes["label"]))
    mentions = dict(zip(keys, nodes["mentions"]))
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    kept = set(keys)
    links = [((r.source, r.source_label), (r.target, r.target_label), int(r.sentences))
             for r in pairs[pairs["sentences"] > 0].itertuples(index=False)]
    links = sorted((l for l in links if l[0] in kept and l[1] in kept), key=lambda l: (-l[2], l[0], l[1]))
    chosen = links[: 2 * len(keys) if max_edges is None else max_edges]
    strongest = {}
    for link in links:  # every node keeps its strongest link, so none floats off alone
        for node in link[:2]:
            strongest.setdefault(node, link)
    chosen = sorted(set(chosen) | set(strongest.values()), key=lambda l: (-l[2], l[0], l[1]))
    heaviest = max((w for *_, w in chosen), default=1)
    for a, b, weight in chosen:
        # Layout pull grows with the weight but stays bounded, so heavy links do not collapse the plot.
        graph.add_edge(a, b, weight=weight, pull=0.3 + weight / heaviest)
    # A generous k spreads the nodes so their labels fit between them.
    pos = nx.spring_layout(graph, seed=seed, weight="pull", k=2.4 / math.sqrt(max(len(keys), 1)), iterations=500)
    if len(keys) > 2:
        # Kamada–Kawai, started from the seeded spring layout, evens out the distances between
        # nodes, so dense clusters open up and leave room for labels. Deterministic (no randomness).
        pos = nx.kamada_kawai_layout(graph, pos=pos, weight=None)
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=5.5)
    FigureCanvasAgg(fig)  # text extents are measured to place the labels
    edges = sorted(graph.edges(data="weight"), key=lambda e: (e[0], e[1]))
    if edges:
        widest = max(w for *_, w in edges)
        nx.draw_networkx_edges(graph, pos, ax=ax, edgelist=[(a, b) for a, b, _ in edges],
                               width=[0.5 + 2.5 * w / widest for *_, w in edges], edge_color="#999999", alpha=0.7)
    biggest = max(mentions.values()) if mentions else 1
    size = {k: 60 + 540 * mentions[k] / biggest for k in keys}
    present = [l for l in _COLOUR_ORDER if any(k[1] == l for k in keys)]
    for label in present:
        members = [k for k in keys if k[1] == label]
        nx.draw_networkx_nodes(graph, pos, ax=ax, nodelist=members, node_color=label_colour(label), node_shape=label_marker(label),
                               node_size=[size[k] for k in members], linewidths=0.5, edgecolors="white")
    handles = [Line2D([], [], marker=label_marker(l), linestyle="", color=label_colour(l), label=l) for l in present]
    legend = ax.legend(handles=handles, fontsize=6, loc="lower right", frameon=False, ncols=min(4, max(1, len(present))))
    ax.set_axis_off()
    if keys:
        xs, ys = np.array([pos[k][0] for k in keys]), np.array([pos[k][1] for k in keys])
        span_x, span_y = max(np.ptp(xs), 1.0), max(np.ptp(ys), 1.0)
        ax.set_xlim(xs.min() - 0.16 * span_x, xs.max() + 0.16 * span_x)
        ax.set_ylim(ys.min() - 0.14 * span_y, ys.max() + 0.10 * span_y)
        fig.draw_without_rendering()  # settles the layout, so data ↔ pixel positions are final
        renderer = fig.canvas.get_renderer()
        texts = [ax.text(0, 0, _wrapped(k[0], 22), fontsize=6, ha="center", va="center", linespacing=0.95,
                         path_effects=[patheffects.withStroke(linewidth=1.8, foreground="white")]) for k in keys]
        sizes = [(t.get_window_extent(renderer).width, t.get_window_extent(renderer).height) for t in texts]
        centres = [tuple(ax.transData.transform(pos[k])) for k in keys]
        radii = [math.sqrt(size[k]) / 2 * fig.dpi / 72 for k in keys]
        frame, key_box = ax.get_window_extent(renderer), legend.get_window_extent(renderer)
        placed = _label_boxes(centres, radii, sizes, (frame.x0, frame.y0, frame.x1, frame.y1), pad=1.5 * fig.dpi / 72,
                              obstacles=[(key_box.x0, key_box.y0, key_box.x1, key_box.y1)])
        to_data = ax.transData.inverted()
        for k, text, (box, ring) in zip(keys, texts, placed):
            x, y = to_data.transform(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2))
            text.set_position((x, y))
            text.set_in_layout(False)
            if ring > 0:
                ax.plot([pos[k][0], x], [pos[k][1], y], color="#777777", linewidth=0.4, zorder=0.5)
    return fig


def entity_figures(mentions: pd.DataFrame, counts: pd.DataFrame, pairs: pd.DataFrame) -> list[FigureSpec]:
    """Every entity figure the corpus supports: none without
    entities, the entity × column heatmap only with more than one column."""
    if counts.empty:
        return []
    n_columns = mentions["column_id"].nunique()
    out = [FigureSpec("entities_top", top_entities(counts),
            "Most-mentioned entities in the questions and answers, by entity type (canonical names).",
            f"Bar charts, one per entity type, of the most-mentioned entities across {n_columns} column(s).")]
    if n_columns > 1:
        out.append(FigureSpec("entities_by_column", entity_heatmap(mentions),
                    "Mentions of the most-mentioned entities in each column.",
                    f"Heatmap of the most-mentioned entities against {n_columns} columns; colour is the number of mentions."))
    out.append(FigureSpec("entities_network", cooccurrence_network(counts, pairs),
                "Entities named in the same sentence: node size is mentions, line width the number of shared "
                "sentences (the strongest links only).",
                "Network of the most-mentioned entities; entities named in the same sentence are linked."))
    return out
