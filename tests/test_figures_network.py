"""The network layout: components apart, nodes apart, no line through a node it does not join."""
from __future__ import annotations

import math

import networkx as nx

from mrhistory.figures.network import EDGE_GAP, NODE_GAP, component_layout, conflicts, extent, pack, untangle


def test_untangle_moves_overlapping_nodes_apart_and_off_lines():
    pos = {"a": (0.0, 0.0), "b": (1.0, 0.0), "c": (0.5, 0.0), "d": (0.5, 0.01)}  # c and d sit on the line a–b
    radius = dict.fromkeys(pos, 0.1)
    edges = [("a", "b")]
    assert conflicts(pos, radius, edges)
    after = untangle(pos, radius, edges)
    assert conflicts(after, radius, edges) == []
    assert math.dist(after["c"], after["d"]) >= 0.2 + NODE_GAP * 0.99
    assert after == untangle(pos, radius, edges)  # deterministic


def test_component_layout_gives_even_edges_of_the_asked_length():
    graph = nx.cycle_graph(["a", "b", "c", "d", "e"])
    pos = component_layout(graph, length=0.8, seed=1)
    lengths = sorted(math.dist(pos[a], pos[b]) for a, b in graph.edges)
    assert abs(lengths[len(lengths) // 2] - 0.8) < 1e-9
    assert pos == component_layout(graph, length=0.8, seed=1)


def test_pack_puts_boxes_side_by_side_then_in_rows_without_overlap():
    boxes = [(-1.0, -0.5, 1.0, 0.5), (-1.5, -1.0, 1.5, 1.0), (-0.5, -0.5, 0.5, 0.5)]
    offsets, width, height = pack(boxes, width=4.0, gap=0.2)
    moved = [(x0 + dx, y0 + dy, x1 + dx, y1 + dy) for (x0, y0, x1, y1), (dx, dy) in zip(boxes, offsets)]
    for i in range(len(moved)):
        for j in range(i + 1, len(moved)):
            a, b = moved[i], moved[j]
            assert a[2] <= b[0] + 1e-9 or b[2] <= a[0] + 1e-9 or a[3] <= b[1] + 1e-9 or b[3] <= a[1] + 1e-9
    assert all(0 <= b[0] and b[2] <= 4.0 + 1e-9 and b[1] >= -1e-9 and b[3] <= height + 1e-9 for b in moved)
    assert width <= 4.0


def test_extent_counts_the_room_around_each_node():
    assert extent({"a": (0.0, 0.0), "b": (1.0, 2.0)}, {"a": (0.5, 0.1), "b": (0.2, 0.3)}) == (-0.5, -0.1, 1.2, 2.3)
    assert EDGE_GAP > 0
