"""Curated classification of every column by period, region and theme, with score and evidence.

The taxonomy (:mod:`.taxonomy`: ``data/taxonomy.toml``, ``data/places.csv``,
``data/theme_lexicon.csv``, and a corpus's ``topics.toml`` on top) is data a historian can read
and edit. Evidence (:mod:`.evidence`) comes from the tables other analyses make: date mentions,
EVENT and place entities, and the lemmas of the shared spaCy pass. A topic's score
(:mod:`.classify`) is the share of a column's evidence weight on that facet that points to it;
see ``data/taxonomy.toml`` for every weight.
"""
from .classify import PINNED, UNASSIGNED, column_topics, theme_terms, unknown_places
from .taxonomy import (FACETS, OVERRIDES_FILE, Period, Taxonomy, apply_overrides, day_number, shipped_taxonomy,
                       taxonomy_from_text)

__all__ = [
    "FACETS", "OVERRIDES_FILE", "PINNED", "UNASSIGNED", "Period", "Taxonomy", "apply_overrides", "column_topics",
    "day_number", "shipped_taxonomy", "taxonomy_from_text", "theme_terms", "unknown_places",
]
