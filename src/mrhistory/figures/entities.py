"""Figures of the entity tables: top entities per label, entity × column heatmap, co-occurrence network.

Pure functions: tables in, a matplotlib Figure out (no pyplot state), deterministic layout.
"""
from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from . import DOUBLE_COLUMN_IN, PALETTE, FigureSpec, count_colorbar, count_scale, new_figure, not_drawn, style, styled
from .labels import column_labels
from .network import component_layout, extent, pack, stretch, untangle

LAYOUT_SEED = 20240613
#: Short headings (they share a panel's label column with the names): what each label covers.
LABEL_NAMES = {
    "PERSON": "people", "NORP": "nationalities, groups", "FAC": "buildings, sites",
    "ORG": "organisations", "GPE": "countries, cities, states", "LOC": "other places", "PRODUCT": "aircraft, ships, weapons",
    "EVENT": "wars, battles, operations", "WORK_OF_ART": "works", "LAW": "treaties, pacts, acts", "LANGUAGE": "languages",
}
#: Characters of a name on one line of the bar charts; longer names wrap onto a second line.
NAME_WIDTH = 32
MAX_LABELLED_COLUMNS = 40


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


def _heatmap_grid(mentions: pd.DataFrame, top: int) -> tuple[list[tuple[str, str]], list[str], np.ndarray]:
    ranked = (mentions.groupby(["canonical", "label"], observed=True).size().rename("n").reset_index()
              .sort_values(["n", "canonical", "label"], ascending=[False, True, True], kind="mergesort").head(top))
    keys = list(zip(ranked["canonical"].astype(str), ranked["label"].astype(str)))
    keyed = mentions.assign(key=list(zip(mentions["canonical"].astype(str), mentions["label"].astype(str))))
    keyed = keyed.loc[keyed["key"].isin(set(keys))]
    grid = keyed.groupby(["column_id", "key"], observed=True).size()
    column_ids = sorted(map(str, keyed["column_id"].unique()))
    row, col = {c: i for i, c in enumerate(column_ids)}, {k: j for j, k in enumerate(keys)}
    matrix = np.zeros((len(column_ids), len(keys)), dtype=int)
    for (column_id, key), n in grid.items():
        matrix[row[str(column_id)], col[key]] = n
    return keys, column_ids, matrix


def _why_not_heatmap(mentions: pd.DataFrame, top: int = 25, columns: pd.DataFrame | None = None) -> str:
    n_columns = len(columns) if columns is not None else int(mentions["column_id"].nunique())
    if n_columns < 2:
        return f"it compares columns, and the corpus has {n_columns}"
    if mentions.empty:
        return "the corpus has no named entities"
    _, column_ids, _ = _heatmap_grid(mentions, top)
    if len(column_ids) < 2:
        return f"it compares columns, and only {len(column_ids)} of the {n_columns} name entities"
    return ""


@styled
def entity_heatmap(mentions: pd.DataFrame, columns: pd.DataFrame | None = None, *, top: int = 25):
    """Mentions of the ``top`` most-mentioned entities (across) in each column (down, by column id,
    labelled by title): darker means more, blank none. None with fewer than two such columns."""
    if _why_not_heatmap(mentions, top, columns):
        return None
    keys, column_ids, matrix = _heatmap_grid(mentions, top)
    n = len(column_ids)
    labelled = n <= MAX_LABELLED_COLUMNS
    fig, ax = new_figure(width=DOUBLE_COLUMN_IN, height=max(2.6, 1.7 + (0.2 * n if labelled else min(8.0, 0.06 * n))))
    top_count = int(matrix.max())
    cmap, norm = count_scale(top_count)
    image = ax.imshow(np.ma.masked_equal(matrix, 0), aspect="auto", cmap=cmap, norm=norm, interpolation="nearest",
                      interpolation_stage="data")
    ax.set_xticks(range(len(keys)), [f"{_short(c, 24)} ({l})" for c, l in keys], rotation=45, ha="right",
                  rotation_mode="anchor", fontsize=6.5)
    if labelled:
        labels = column_labels(column_ids, columns, chars=40)
        ax.set_yticks(range(n), [labels[c] for c in column_ids], fontsize=6.5)
    else:
        ax.set_yticks([])
        ax.set_ylabel(f"{n} columns (in column-id order)")
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    count_colorbar(fig, image, ax=ax, label="mentions (blank: none)", top=top_count, shrink=0.9 if n < 8 else
                   0.8 if labelled else 0.5, aspect=25)
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
                # A label nearer another node than its own reads as that node's: avoid it.
                own = math.dist((cx, cy), (x, y)) - r
                cost += sum(max(0.0, own - (math.dist((cx, cy), c) - rr)) * h
                            for c, rr in zip(centres, radii) if c != (x, y))
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


@dataclass
class NetworkPlan:
    """Which entities and links the network draws, and the rule that chose them (for the caption)."""

    nodes: list[tuple[str, str]]
    mentions: dict[tuple[str, str], int]
    edges: list[tuple[tuple[str, str], tuple[str, str], int]]
    top: int
    unlinked: int
    links: int

    def caption(self) -> str:
        n, e = len(self.nodes), len(self.edges)
        left = (f"; {self.unlinked} of the {self.top} most-mentioned share no sentence with another of them and are "
                "left out" if self.unlinked else "")
        return (f"Entities named in the same sentence: the {n} most-mentioned entities that share a sentence with "
                f"another of them{left}. Node area: mentions; line width: shared sentences. {e} of their "
                f"{self.links} links are drawn: the {2 * n} strongest and every entity's strongest. Each group of "
                "linked entities is laid out on its own.")


def network_plan(counts: pd.DataFrame, pairs: pd.DataFrame, *, top: int = 30, max_edges: int | None = None) -> NetworkPlan:
    """The ``top`` most-mentioned entities, less those linked to none of the others; their links
    (same sentence), the ``max_edges`` strongest (default: twice the nodes) and each node's strongest."""
    ranked = counts.sort_values(["mentions", "canonical", "label"], ascending=[False, True, True], kind="mergesort").head(top)
    keys = [(str(c), str(l)) for c, l in zip(ranked["canonical"], ranked["label"])]
    kept = set(keys)
    links = [((str(r.source), str(r.source_label)), (str(r.target), str(r.target_label)), int(r.sentences))
             for r in pairs[pairs["sentences"] > 0].itertuples(index=False)]
    links = sorted((l for l in links if l[0] in kept and l[1] in kept and l[0] != l[1]), key=lambda l: (-l[2], l[0], l[1]))
    linked = {k for l in links for k in l[:2]}
    nodes = [k for k in keys if k in linked]
    chosen = links[: 2 * len(nodes) if max_edges is None else max_edges]
    strongest: dict = {}
    for link in links:  # every node keeps its strongest link, so none floats off alone
        for node in link[:2]:
            strongest.setdefault(node, link)
    edges = sorted(set(chosen) | set(strongest.values()), key=lambda l: (-l[2], l[0], l[1]))
    mentions = {k: int(m) for k, m in zip(keys, ranked["mentions"])}
    return NetworkPlan(nodes, mentions, edges, len(keys), len(keys) - len(nodes), len(links))


def _why_not_network(counts: pd.DataFrame, pairs: pd.DataFrame) -> str:
    if counts.empty:
        return "the corpus has no named entities"
    plan = network_plan(counts, pairs)
    if not plan.edges:
        return f"no two of the {plan.top} most-mentioned entities are named in the same sentence"
    return ""


#: Edge length of the layout, in inches, for each attempt: longer when labels still collide.
_LENGTHS = (1.0, 1.25, 1.6, 2.0)
LEGEND_IN = 0.3
MARGIN_IN = 0.08
LABEL_WIDTH = 22


@styled
def cooccurrence_network(counts: pd.DataFrame, pairs: pd.DataFrame, *, top: int = 30, max_edges: int | None = None,
                         seed: int = LAYOUT_SEED):
    """The network of :func:`network_plan`: each connected group laid out on its own and packed beside
    the others, no node over another, no line through a node it does not join, each label set where
    it covers no other label or node (checked on the drawn figure; the layout is redone more spread
    out while any two collide). Node area ~ mentions, colour = label. None without any link."""
    if _why_not_network(counts, pairs):
        return None
    plan = network_plan(counts, pairs, top=top, max_edges=max_edges)
    fig = None
    for scale in _LENGTHS:
        fig, clashes = _draw_network(plan, seed=seed, length_scale=scale)
        if not clashes:
            break
    return fig


def _draw_network(plan: NetworkPlan, *, seed: int, length_scale: float):
    keys = plan.nodes
    biggest = max(plan.mentions[k] for k in keys)
    area = {k: 60 + 540 * plan.mentions[k] / biggest for k in keys}  # points²
    radius = {k: math.sqrt(area[k]) / 2 / 72 for k in keys}  # inches
    width = DOUBLE_COLUMN_IN
    with style():
        fig = Figure(figsize=(width, 4.0))
    FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()
    names = {k: _wrapped(k[0], LABEL_WIDTH) for k in keys}
    label_in = {}
    for k in keys:
        probe = fig.text(0, 0, names[k], fontsize=6, linespacing=0.95)
        box = probe.get_window_extent(renderer)
        label_in[k] = (box.width / fig.dpi, box.height / fig.dpi)
        probe.remove()
    length = length_scale * min(1.3, max(0.55, float(np.median([w for w, _ in label_in.values()])) + 0.2))
    graph = nx.Graph()
    graph.add_nodes_from(keys)
    heaviest = max(w for *_, w in plan.edges)
    for a, b, w in plan.edges:
        graph.add_edge(a, b, weight=w, pull=0.3 + w / heaviest)
    room = {k: (max(radius[k], label_in[k][0] / 2) + 0.03, radius[k] + label_in[k][1] + 0.05) for k in keys}
    order = {k: i for i, k in enumerate(keys)}
    groups = sorted((sorted(c, key=order.get) for c in nx.connected_components(graph)), key=lambda c: (-len(c), order[c[0]]))
    usable = width - 2 * MARGIN_IN
    layouts, boxes = [], []
    for members in groups:
        sub = graph.subgraph(members)
        edges = sorted((a, b) for a, b in sub.edges)
        pos = untangle(component_layout(sub, length=length, seed=seed), radius, edges)
        if len(members) > 2:  # widen a component that leaves the page's width unused
            x0, _, x1, _ = extent(pos, room)
            pos = untangle(stretch(pos, min(1.6, max(1.0, usable / max(x1 - x0, 1e-9) * 0.97))), radius, edges)
        for _ in range(4):  # a component wider than the page is drawn closer together
            x0, y0, x1, y1 = extent(pos, room)
            if x1 - x0 <= usable:
                break
            shrink = usable / (x1 - x0) * 0.97
            pos = untangle({k: (x * shrink, y * shrink) for k, (x, y) in pos.items()}, radius, edges)
        layouts.append(pos)
        boxes.append(extent(pos, room))
    offsets, _, height = pack(boxes, width=usable)
    placed = {}
    for pos, (dx, dy) in zip(layouts, offsets):
        placed |= {k: (x + dx + MARGIN_IN, y + dy + MARGIN_IN) for k, (x, y) in pos.items()}
    plot_h = height + 2 * MARGIN_IN
    total_h = plot_h + LEGEND_IN
    fig.set_size_inches(width, total_h)
    with style():
        ax = fig.add_axes((0, LEGEND_IN / total_h, 1, plot_h / total_h))
        ax.set_xlim(0, width)
        ax.set_ylim(0, plot_h)
        ax.set_axis_off()
        widest = max(w for *_, w in plan.edges)
        for a, b, w in sorted(plan.edges, key=lambda e: (e[0], e[1])):
            ax.plot([placed[a][0], placed[b][0]], [placed[a][1], placed[b][1]], color="#999999", alpha=0.8,
                    linewidth=0.5 + 2.5 * w / widest, solid_capstyle="round", zorder=1)
        present = [l for l in _COLOUR_ORDER if any(k[1] == l for k in keys)]
        present += sorted({k[1] for k in keys} - set(present))
        for label in present:
            members = [k for k in keys if k[1] == label]
            ax.scatter([placed[k][0] for k in members], [placed[k][1] for k in members], s=[area[k] for k in members],
                       color=label_colour(label), marker=label_marker(label), linewidths=0.5, edgecolors="white", zorder=2)
        handles = [Line2D([], [], marker=label_marker(l), linestyle="", color=label_colour(l),
                          label=f"{l} · {LABEL_NAMES.get(l, l)}") for l in present]
        fig.legend(handles=handles, loc="lower center", ncols=min(4, len(present)), fontsize=6, frameon=False,
                   bbox_to_anchor=(0.5, 0.0), borderaxespad=0.2, handletextpad=0.2, columnspacing=1.0)
        texts = [ax.text(0, 0, names[k], fontsize=6, ha="center", va="center", linespacing=0.95, zorder=3,
                         path_effects=[patheffects.withStroke(linewidth=1.8, foreground="white")]) for k in keys]
    sizes = [(t.get_window_extent(renderer).width, t.get_window_extent(renderer).height) for t in texts]
    centres = [tuple(ax.transData.transform(placed[k])) for k in keys]
    radii_px = [radius[k] * fig.dpi for k in keys]
    frame = ax.get_window_extent(renderer)
    boxes_px = _label_boxes(centres, radii_px, sizes, (frame.x0, frame.y0, frame.x1, frame.y1), pad=1.5 * fig.dpi / 72)
    to_data = ax.transData.inverted()
    for k, text, (box, ring) in zip(keys, texts, boxes_px):
        x, y = to_data.transform(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2))
        text.set_position((x, y))
        if ring > 0:
            ax.plot([placed[k][0], x], [placed[k][1], y], color="#777777", linewidth=0.4, zorder=0.5)
    fig.canvas.draw()
    drawn = [t.get_window_extent(renderer) for t in texts]
    clashes = [(i, j) for i in range(len(drawn)) for j in range(i + 1, len(drawn)) if drawn[i].overlaps(drawn[j])]
    clashes += [(i, -1) for i, b in enumerate(drawn)
                if b.x0 < frame.x0 - 0.5 or b.x1 > frame.x1 + 0.5 or b.y0 < frame.y0 - 0.5 or b.y1 > frame.y1 + 0.5]
    return fig, clashes


def entity_figure_notes(mentions: pd.DataFrame, counts: pd.DataFrame, pairs: pd.DataFrame,
                        columns: pd.DataFrame | None = None) -> list[str]:
    """One line per entity figure that is not drawn, saying why."""
    reasons = (("entities_top", "the corpus has no named entities" if counts.empty else ""),
               ("entities_by_column", _why_not_heatmap(mentions, columns=columns)),
               ("entities_network", _why_not_network(counts, pairs)))
    return [not_drawn(name, reason) for name, reason in reasons if reason]


def entity_figures(mentions: pd.DataFrame, counts: pd.DataFrame, pairs: pd.DataFrame,
                   columns: pd.DataFrame | None = None) -> list[FigureSpec]:
    """Every entity figure the corpus supports (see :func:`entity_figure_notes` for those it does not)."""
    if counts.empty:
        return []
    n_columns = int(mentions["column_id"].nunique())
    out = [FigureSpec("entities_top", top_entities(counts),
            "Most-mentioned entities in the questions and answers, by entity type (canonical names; at most eight "
            "per type).",
            f"Bar charts, one per entity type, of the most-mentioned entities across {n_columns} column(s).")]
    fig = entity_heatmap(mentions, columns)
    if fig is not None:
        out.append(FigureSpec("entities_by_column", fig,
                    "Mentions of the 25 most-mentioned entities (across) in each column (down): darker cells hold "
                    "more mentions, blank cells none.",
                    f"Heatmap of the most-mentioned entities against the {n_columns} columns that name them."))
    fig = cooccurrence_network(counts, pairs)
    if fig is not None:
        out.append(FigureSpec("entities_network", fig, network_plan(counts, pairs).caption(),
                    "Network of the most-mentioned entities; entities named in the same sentence are linked."))
    return out
