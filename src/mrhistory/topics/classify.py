"""Each column's periods, regions and themes, best first, with score and evidence."""
from __future__ import annotations

import pandas as pd

from ..schema import frame
from .evidence import Tally, evidence, period_tallies, region_tallies, theme_tallies
from .taxonomy import OVERRIDES_FILE, Taxonomy, shipped_taxonomy

UNASSIGNED = "unassigned"
PINNED = f"pinned in {OVERRIDES_FILE}"


def _facet_rows(column_id: str, facet: str, tally: Tally | None, t: Taxonomy, reason: str) -> list[dict]:
    pinned = t.pins.get((column_id, facet))
    if pinned:
        return [{"column_id": column_id, "facet": facet, "topic": x, "score": 1.0, "evidence": PINNED} for x in pinned]
    if tally is None or tally.total <= 0 or not tally.weight:
        return [{"column_id": column_id, "facet": facet, "topic": UNASSIGNED, "score": 0.0, "evidence": reason}]
    order = {name: i for i, name in enumerate(t.topics(facet))}
    length = {p.name: p.span[1] - p.span[0] for p in t.periods} if facet == "period" else {}
    scores = {topic: round(w / tally.total, 6) for topic, w in tally.weight.items() if topic in order}
    if not scores:
        return [{"column_id": column_id, "facet": facet, "topic": UNASSIGNED, "score": 0.0, "evidence": reason}]
    best = max(scores.values())
    keep = [x for x in scores if scores[x] >= t.settings[facet]["min_score"] or scores[x] == best]
    keep.sort(key=lambda x: (-scores[x], length.get(x, 0), order[x]))
    return [{"column_id": column_id, "facet": facet, "topic": x, "score": scores[x],
             "evidence": evidence(tally.items[x], tally.counts[x], tally.suffix[x])} for x in keep]


def column_topics(columns: pd.DataFrame, docs: pd.DataFrame | None, *, entities: pd.DataFrame | None,
                  dates: pd.DataFrame | None, taxonomy: Taxonomy | None = None,
                  themes: dict | None = None, roles: dict | None = None) -> pd.DataFrame:
    """Each column's periods, regions and themes, best first, with score (0–1) and evidence.

    ``columns`` is the columns table, ``docs`` the annotate table, ``entities`` and ``dates``
    those analyses' tables (None when they were not made: that facet's evidence is then absent).
    ``themes`` and ``roles`` (:func:`.evidence.theme_tallies` and :func:`.evidence.actor_roles` of
    the docs, computed before, chunk by chunk) stand in for ``docs``.
    A facet without evidence gives one row with topic ``"unassigned"``, score 0 and the reason.
    """
    t = taxonomy or shipped_taxonomy()
    periods = period_tallies(dates, entities, t)
    regions = region_tallies(entities, t, docs=docs, roles=roles)
    themes = themes if themes is not None else theme_tallies(docs, t)
    reasons = {
        "period": "no date mentions or known events" + ("" if dates is not None else " (no dates table)"),
        "region": "no places of the place table" + ("" if entities is not None else " (no entities table)"),
        "theme": "no terms of the theme lexicon",
    }
    rows = []
    for column_id in sorted(columns["column_id"].astype(str)):
        for facet, tallies in (("period", periods), ("region", regions), ("theme", themes)):
            rows += _facet_rows(column_id, facet, tallies.get(column_id), t, reasons[facet])
    return frame("column_topics", rows)


THEME_TERMS_SCHEMA = {"column_id": "string", "theme": "string", "term": "string", "occurrences": "int64", "weight": "float64"}


def theme_terms(docs: pd.DataFrame | None, *, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every theme-lexicon term found in each column, with its occurrences and the weight it gave
    each theme: the whole evidence of the theme facet (``column_topics`` shows the strongest eight)."""
    t = taxonomy or shipped_taxonomy()
    rows = [{"column_id": column_id, "theme": theme, "term": term, "occurrences": tally.counts[theme][term],
             "weight": round(weight, 6)}
            for column_id, tally in theme_tallies(docs, t).items()
            for theme, items in tally.items.items() for term, weight in items.items()]
    order = {name: i for i, name in enumerate(t.themes)}
    table = pd.DataFrame(rows, columns=list(THEME_TERMS_SCHEMA)).astype(THEME_TERMS_SCHEMA)
    table = table.assign(_order=table["theme"].map(order).fillna(len(order)))
    return (table.sort_values(["column_id", "_order", "weight", "term"], ascending=[True, True, False, True], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def unknown_places(entities: pd.DataFrame | None, taxonomy: Taxonomy | None = None) -> dict[str, int]:
    """Place names (GPE, LOC, FAC) the place table does not know, with their mention counts."""
    found: dict[str, int] = {}
    region_tallies(entities, taxonomy or shipped_taxonomy(), found)
    return found

