"""Layout of a network figure in inches: each connected component laid out on its own (seeded networkx
layouts), nodes pushed apart until none overlaps another and no edge runs through a node it does not
join, then the components packed in rows, largest first, so unrelated groups never share space.

Everything is in inches on the page, so node sizes, label sizes and gaps are what is printed.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

#: Space kept between two nodes and between an edge and a node it does not join (inches).
NODE_GAP = 0.06
EDGE_GAP = 0.05
#: Space between two components when packed (inches).
COMPONENT_GAP = 0.25


def _segment_distance(p, a, b) -> tuple[float, np.ndarray]:
    """Distance from point ``p`` to segment ``ab`` and the unit vector from the segment to ``p``."""
    ab = b - a
    t = float(np.clip(np.dot(p - a, ab) / max(np.dot(ab, ab), 1e-12), 0.0, 1.0))
    nearest = a + t * ab
    away = p - nearest
    d = float(np.hypot(*away))
    if d < 1e-9:
        away = np.array([-ab[1], ab[0]])
        d_ab = float(np.hypot(*away))
        away = away / d_ab if d_ab > 0 else np.array([0.0, 1.0])
        return 0.0, away
    return d, away / d


def conflicts(pos: dict, radius: dict, edges: list[tuple]) -> list[tuple]:
    """Every pair of overlapping nodes ("node", a, b) and every edge passing through a node it does not
    join ("edge", (a, b), c), with the gaps above; what the layout removes and the tests check."""
    found = []
    nodes = sorted(pos)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            if math.dist(pos[a], pos[b]) < radius[a] + radius[b] + NODE_GAP * 0.99:
                found.append(("node", a, b))
    for a, b in edges:
        pa, pb = np.asarray(pos[a]), np.asarray(pos[b])
        for c in nodes:
            if c in (a, b):
                continue
            d, _ = _segment_distance(np.asarray(pos[c]), pa, pb)
            if d < radius[c] + EDGE_GAP * 0.99:
                found.append(("edge", (a, b), c))
    return found


def untangle(pos: dict, radius: dict, edges: list[tuple], *, rounds: int = 600) -> dict:
    """Move nodes, a little at a time, until no two overlap and no edge runs through a node it does not
    join (or ``rounds`` passes are done). Every pass moves all nodes at once: deterministic."""
    nodes = sorted(pos)
    if len(nodes) < 2:
        return {k: (float(v[0]), float(v[1])) for k, v in pos.items()}
    index = {k: i for i, k in enumerate(nodes)}
    p = np.array([pos[k] for k in nodes], dtype=float)
    r = np.array([radius[k] for k in nodes], dtype=float)
    ea = np.array([index[a] for a, _ in edges], dtype=int)
    eb = np.array([index[b] for _, b in edges], dtype=int)
    n = len(nodes)
    want_nodes = r[:, None] + r[None, :] + NODE_GAP
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    # A fixed, tiny direction per pair for nodes that sit exactly on top of each other.
    angle = np.arange(n)[:, None] * 2.399 + np.arange(n)[None, :] * 0.7
    fallback = np.stack([np.cos(angle), np.sin(angle)], axis=-1)
    for _ in range(rounds):
        move = np.zeros_like(p)
        v = p[None, :, :] - p[:, None, :]  # i → j
        d = np.hypot(v[..., 0], v[..., 1])
        clash = upper & (d < want_nodes)
        if clash.any():
            u = np.where((d > 1e-9)[..., None], v / np.maximum(d, 1e-9)[..., None], fallback)
            shift = np.where(clash, (want_nodes - d) / 2 + 1e-3, 0.0)[..., None] * u
            move -= shift.sum(axis=1)
            move += shift.sum(axis=0)
        crossing = False
        if len(ea):
            a, b = p[ea], p[eb]
            ab = b - a
            t = np.clip(((p[None, :, :] - a[:, None, :]) * ab[:, None, :]).sum(-1)
                        / np.maximum((ab * ab).sum(-1), 1e-12)[:, None], 0.0, 1.0)
            nearest = a[:, None, :] + t[..., None] * ab[:, None, :]
            away = p[None, :, :] - nearest
            dist = np.hypot(away[..., 0], away[..., 1])
            normal = np.stack([-ab[:, 1], ab[:, 0]], axis=-1)
            normal = normal / np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-12)[:, None]
            away = np.where((dist > 1e-9)[..., None], away / np.maximum(dist, 1e-9)[..., None], normal[:, None, :])
            mask = dist < (r[None, :] + EDGE_GAP)
            mask[np.arange(len(ea)), ea] = False
            mask[np.arange(len(ea)), eb] = False
            if mask.any():
                crossing = True
                shift = np.where(mask, r[None, :] + EDGE_GAP - dist + 1e-3, 0.0)[..., None] * away
                move += 0.7 * shift.sum(axis=0)  # the node steps aside, the edge's ends give a little
                np.add.at(move, ea, -0.15 * shift.sum(axis=1))
                np.add.at(move, eb, -0.15 * shift.sum(axis=1))
        if not clash.any() and not crossing:
            break
        p += move * 0.6
    return {k: (float(x), float(y)) for k, (x, y) in zip(nodes, p)}


def component_layout(graph: nx.Graph, *, length: float, seed: int, weight: str = "pull") -> dict:
    """Positions (inches, centred on 0) of one connected component, edges about ``length`` long."""
    nodes = sorted(graph.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) == 2:
        return {nodes[0]: (-length / 2, 0.0), nodes[1]: (length / 2, 0.0)}
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(sorted(graph.edges(data=True), key=lambda e: (e[0], e[1])))
    start = nx.spring_layout(sub, seed=seed, weight=weight, iterations=300)
    pos = nx.kamada_kawai_layout(sub, pos=start, weight=None)  # even edge lengths; no randomness
    xy = np.array([pos[n] for n in nodes])
    lengths = [math.dist(pos[a], pos[b]) for a, b in sub.edges]
    scale = length / max(float(np.median(lengths)), 1e-9)
    xy = (xy - xy.mean(axis=0)) * scale
    if np.ptp(xy[:, 1]) > np.ptp(xy[:, 0]):  # lie the component down: pages are wider than a component row
        xy = xy[:, ::-1]
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def stretch(pos: dict, factor: float) -> dict:
    """``pos`` widened by ``factor`` (x only): a component uses the page's width, not just its height."""
    return {k: (x * factor, y) for k, (x, y) in pos.items()}


def extent(pos: dict, half_sizes: dict) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) holding every node with room ``half_sizes[node] = (w, h)`` around it."""
    xs0 = [pos[n][0] - half_sizes[n][0] for n in pos]
    xs1 = [pos[n][0] + half_sizes[n][0] for n in pos]
    ys0 = [pos[n][1] - half_sizes[n][1] for n in pos]
    ys1 = [pos[n][1] + half_sizes[n][1] for n in pos]
    return min(xs0), min(ys0), max(xs1), max(ys1)


def pack(boxes: list[tuple[float, float, float, float]], *, width: float,
         gap: float = COMPONENT_GAP) -> tuple[list[tuple[float, float]], float, float]:
    """Shelf packing: offsets (dx, dy) moving each box into rows of at most ``width`` inches, in the
    order given, top row first; returns the offsets and the packed width and height."""
    rows: list[list[int]] = []
    used = 0.0
    for i, (x0, _, x1, _) in enumerate(boxes):
        w = x1 - x0
        if rows and used + gap + w <= width:
            rows[-1].append(i)
            used += gap + w
        else:
            rows.append([i])
            used = w
    offsets: list[tuple[float, float]] = [(0.0, 0.0)] * len(boxes)
    top, widest = 0.0, 0.0
    for row in rows:
        h = max(boxes[i][3] - boxes[i][1] for i in row)
        w = sum(boxes[i][2] - boxes[i][0] for i in row) + gap * (len(row) - 1)
        x = (width - w) / 2 if w < width else 0.0  # centre each row on the page
        for i in row:
            x0, y0, x1, y1 = boxes[i]
            offsets[i] = (x - x0, top - h + (h - (y1 - y0)) / 2 - y0)
            x += (x1 - x0) + gap
        top -= h + gap
        widest = max(widest, w)
    height = -top - gap if rows else 0.0
    return [(dx, dy + height) for dx, dy in offsets], max(widest, min(width, widest)), height
