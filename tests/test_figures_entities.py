"""The entity figures as a list the notebooks can save: the same names, captions and order as the analyse stage."""
from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.text import Text

from mrhistory import entities as ent
from mrhistory.schema import TABLES
from mrhistory.figures import entities as figures
from mrhistory.figures import figure_bytes




def _mentions(column_ids):
    n = len(column_ids)
    return pd.DataFrame({
        "column_id": column_ids, "part": ["answer"] * n, "start": [10 * i for i in range(n)],
        "end": [10 * i + 5 for i in range(n)], "text": ["Stalin", "Hitler", "Japan", "Hitler", "Stalin"][:n],
        "label": ["PERSON", "PERSON", "GPE", "PERSON", "PERSON"][:n],
        "canonical": ["Joseph Stalin", "Adolf Hitler", "Japan", "Adolf Hitler", "Joseph Stalin"][:n],
        "sentence": [0, 0, 1, 0, 2][:n],
    }).astype({**TABLES["entities"].dtypes, "sentence": "int64"})


def _figures(mentions):
    counts = ent.entity_counts(mentions)
    pairs = ent.entity_cooccurrence(mentions, docs=None)
    return [(name, caption, alt) for name, _, caption, alt in figures.entity_figures(mentions, counts, pairs)]


def test_entity_figures_add_the_heatmap_only_for_several_columns():
    two = _figures(_mentions(["a", "a", "a", "b", "b"]))
    assert [name for name, *_ in two] == ["entities_top", "entities_by_column", "entities_network"]
    assert all(caption and alt for _, caption, alt in two)
    one = _figures(_mentions(["a", "a", "a"]))
    assert [name for name, *_ in one] == ["entities_top", "entities_network"]


def test_the_heatmap_grid_counts_each_entity_in_each_column_and_leaves_zeros():
    keys, column_ids, matrix = figures._heatmap_grid(_mentions(["b", "a", "a", "b", "c"]), 2)
    assert keys == [("Adolf Hitler", "PERSON"), ("Joseph Stalin", "PERSON")]  # Japan, once, is not in the top 2
    assert column_ids == ["a", "b", "c"]
    assert matrix.tolist() == [[1, 0], [1, 1], [0, 1]]  # a: Hitler; b: Hitler, Stalin; c: Stalin


def test_no_entities_no_figures():
    assert _figures(_mentions([])) == []


# --- legibility ---------------------------------------------------------------------------------

def _drawn_texts(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    texts = [t for t in fig.findobj(Text) if t.get_text() and t.get_visible()]
    return texts, renderer


def _synthetic_counts(n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    labels = ent.ENTITY_LABELS
    counts = pd.DataFrame({
        "canonical": [f"Entity number {i} of a rather long name" if i % 7 == 0 else f"Name {i}" for i in range(n)],
        "label": [labels[i % len(labels)] for i in range(n)], "mentions": [n - i for i in range(n)],
        "columns": [1] * n, "wikidata": [""] * n}).astype(TABLES["entity_counts"].dtypes)
    keys = list(zip(counts["canonical"], counts["label"]))
    rows = [(*keys[i], *keys[j], 1 + (i * j) % 3, 1) for i in range(n) for j in range(i + 1, min(n, i + 4))]
    pairs = pd.DataFrame(rows, columns=list(TABLES["entity_cooccurrence"].dtypes)).astype(TABLES["entity_cooccurrence"].dtypes)
    return counts, pairs


def test_top_entities_headings_and_long_names_stay_inside_the_figure():
    counts = pd.DataFrame({
        "canonical": ["Soviet–Japanese Neutrality Pact", "Molotov–Ribbentrop Pact", "Great Patriotic War",
                      "North American B-25B Mitchell bomber", "Soviet Union", "Japan", "Joseph Stalin",
                      "Union of Soviet Socialist Republics Airline", "Soviet", "Red Army"],
        "label": ["LAW", "LAW", "EVENT", "PRODUCT", "GPE", "GPE", "PERSON", "ORG", "NORP", "ORG"],
        "mentions": [1, 1, 1, 1, 7, 5, 1, 1, 5, 2], "columns": [1] * 10, "wikidata": [""] * 10,
    }).astype(TABLES["entity_counts"].dtypes)
    fig = figures.top_entities(counts)
    _, renderer = _drawn_texts(fig)
    texts = [t for ax in fig.axes for t in [*ax.get_yticklabels(), *ax.texts]]  # headings and names
    frame = fig.bbox
    for t in texts:
        box = t.get_window_extent(renderer)
        assert frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1, t.get_text()
    written = {" ".join(t.get_text().split()) for t in texts}
    assert {"Soviet–Japanese Neutrality Pact", "North American B-25B Mitchell bomber"} <= written  # not cut
    assert not any("…" in w for w in written)
    assert any(w.startswith("EVENT · ") for w in written) and any(w.startswith("PRODUCT · ") for w in written)


def test_network_labels_do_not_overlap(shipped_docs, shipped_columns):
    tables = ent.entity_tables(shipped_docs, columns=shipped_columns)
    fig = figures.cooccurrence_network(tables["entity_counts"], tables["entity_cooccurrence"])
    texts, renderer = _drawn_texts(fig)
    names = [t for t in texts if t.axes is not None and t.get_text() in {" ".join(n.split()) for n in
                                                                          tables["entity_counts"]["canonical"]}
             or "\n" in t.get_text()]
    assert len(names) == min(30, len(tables["entity_counts"]))
    boxes = [t.get_window_extent(renderer) for t in names]
    clashes = [(names[i].get_text(), names[j].get_text()) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
               if boxes[i].overlaps(boxes[j])]
    assert not clashes


@pytest.mark.parametrize("n", [0, 1])
def test_no_network_without_a_link_and_the_run_says_why(n):
    counts, pairs = _synthetic_counts(n)
    assert figures.cooccurrence_network(counts, pairs) is None
    mentions = _mentions(["a"] * min(n, 1))
    notes = figures.entity_figure_notes(mentions, counts, pairs)
    assert [line for line in notes if "entities_network" in line] == (
        ["figures: entities_network not drawn: the corpus has no named entities"] if n == 0 else
        ["figures: entities_network not drawn: no two of the 1 most-mentioned entities are named in the "
         "same sentence"])


@pytest.mark.parametrize("n", [2, 100])
def test_network_draws_any_number_of_entities_with_the_same_bytes(n):
    counts, pairs = _synthetic_counts(n)
    first = figure_bytes(figures.cooccurrence_network(counts, pairs), "png")
    assert first == figure_bytes(figures.cooccurrence_network(counts, pairs), "png")
    texts, _ = _drawn_texts(figures.cooccurrence_network(counts, pairs))
    assert len([t for t in texts if t.get_text().startswith(("Name", "Entity"))]) == min(n, 30)


def test_unlinked_entities_are_left_out_and_the_caption_says_so():
    counts, pairs = _synthetic_counts(6)
    keep = pairs[(pairs["source"] != "Name 5") & (pairs["target"] != "Name 5")]
    plan = figures.network_plan(counts, keep)
    assert len(plan.nodes) == 5 and plan.unlinked == 1
    assert "1 of the 6 most-mentioned share no sentence with another of them" in plan.caption()


def test_only_links_that_exist_are_drawn():
    counts, _ = _synthetic_counts(8)
    keys = list(zip(counts["canonical"], counts["label"]))
    rows = [(*keys[i], *keys[j], 2, 1) for group in (range(0, 4), range(4, 8)) for i in group for j in group if i < j]
    pairs = pd.DataFrame(rows, columns=list(TABLES["entity_cooccurrence"].dtypes)).astype(TABLES["entity_cooccurrence"].dtypes)
    ax = figures.cooccurrence_network(counts, pairs).axes[0]
    assert len([line for line in ax.lines if line.get_color() == "#999999"]) == 12  # two groups of 4: 6 links each
