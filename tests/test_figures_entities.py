"""The entity figures as a list the notebooks can save: the same names, captions and order as the analyse stage."""
from __future__ import annotations

import pandas as pd

from mrhistory import entities as ent
from mrhistory.figures import entities as figures


class _Collector:
    """What the analyse stage hands ``add_figures``: somewhere to put figures and messages."""

    def __init__(self):
        self.figures, self.messages = [], []

    def add_figure(self, name, fig, *, caption, alt=""):
        self.figures.append((name, caption, alt))

    def say(self, line):
        self.messages.append(line)


def _mentions(column_ids):
    n = len(column_ids)
    return pd.DataFrame({
        "column_id": column_ids, "part": ["answer"] * n, "start": [10 * i for i in range(n)],
        "end": [10 * i + 5 for i in range(n)], "text": ["Stalin", "Hitler", "Japan", "Hitler", "Stalin"][:n],
        "label": ["PERSON", "PERSON", "GPE", "PERSON", "PERSON"][:n],
        "canonical": ["Joseph Stalin", "Adolf Hitler", "Japan", "Adolf Hitler", "Joseph Stalin"][:n],
        "sentence": [0, 0, 1, 0, 2][:n],
    }).astype({**ent.ENTITIES_SCHEMA, "sentence": "int64"})


def _figures_and_stage(mentions):
    counts = ent.entity_counts(mentions)
    pairs = ent.entity_cooccurrence(mentions, docs=None)
    listed = figures.entity_figures(mentions, counts, pairs)
    ctx = _Collector()
    figures.add_figures(ctx, mentions, counts, pairs)
    return [(name, caption, alt) for name, _, caption, alt in listed], ctx


def test_entity_figures_match_the_stage_and_add_the_heatmap_only_for_several_columns():
    two, ctx = _figures_and_stage(_mentions(["a", "a", "a", "b", "b"]))
    assert [name for name, *_ in two] == ["entities_top", "entities_by_column", "entities_network"]
    assert two == ctx.figures
    assert all(caption and alt for _, caption, alt in two)
    one, ctx = _figures_and_stage(_mentions(["a", "a", "a"]))
    assert [name for name, *_ in one] == ["entities_top", "entities_network"]
    assert one == ctx.figures


def test_no_entities_no_figures_and_the_stage_says_so():
    listed, ctx = _figures_and_stage(_mentions([]))
    assert listed == [] and ctx.figures == []
    assert ctx.messages == ["entities: no named entities found; no entity figures drawn"]
