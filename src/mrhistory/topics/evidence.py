"""Evidence for each facet of each column, tallied from the other analyses' tables: date mentions
and EVENT entities for periods, places for regions, lexicon terms in the lemmas for themes."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from ..names import name_key
from .taxonomy import Taxonomy, day_number

MAX_EVIDENCE = 8
#: Entity labels whose tokens are names, not vocabulary: theme terms are not looked for inside them.
NAME_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC"})
#: Labels of place names; names of other labels not in the place table are not reported as unknown places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Parts of speech a one-word theme term may have ("mine" the pronoun is not a naval mine).
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})
_JOINERS = frozenset({"-", "–", "—", "/", "‐"})


def evidence(items: dict[str, float], counts: dict[str, int], suffix: dict[str, str] | None = None) -> str:
    """"1941-04-13 ×2; EVENT Great Patriotic War ×1": strongest evidence first, at most MAX_EVIDENCE items."""
    suffix = suffix or {}
    ordered = sorted(items, key=lambda k: (-round(items[k], 9), k))
    shown = [f"{k} ×{counts[k]}{suffix.get(k, '')}" for k in ordered[:MAX_EVIDENCE]]
    if len(ordered) > MAX_EVIDENCE:
        shown.append(f"+{len(ordered) - MAX_EVIDENCE} more")
    return "; ".join(shown)


@dataclass
class Tally:
    """Evidence for one facet of one column: weight per topic, and which items gave it."""

    total: float = 0.0
    weight: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    items: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    counts: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    suffix: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def add(self, topic: str, item: str, weight: float, *, suffix: str = "") -> None:
        self.weight[topic] += weight
        self.items[topic][item] += weight
        self.counts[topic][item] += 1
        if suffix:
            self.suffix[topic][item] = suffix


def period_tallies(dates: pd.DataFrame | None, entities: pd.DataFrame | None, t: Taxonomy) -> dict[str, Tally]:
    """Dates and EVENT entities per column. When a column names a war that lies inside a longer
    period (an EVENT of the American Civil War inside the 19th century), the dates inside the war
    count for the war only, so that a column mostly about the war is not outscored by its century."""
    cfg = t.settings["period"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    spans = [(p.name, *p.span) for p in t.periods]
    inside = {name: [(other, s2, e2) for other, s2, e2 in spans
                     if other != name and start <= s2 and e2 <= end and (e2 - s2) < (end - start)]
              for name, start, end in spans}
    named: dict[str, set[str]] = defaultdict(set)
    if entities is not None and len(entities):
        events = t.events()
        labels = set(cfg["event_labels"])
        for row in entities.loc[entities["label"].isin(labels), ["column_id", "label", "text", "canonical"]].itertuples(index=False):
            periods = events.get(name_key(row.canonical)) or events.get(name_key(row.text))
            if not periods:
                continue
            tally = tallies[str(row.column_id)]
            tally.total += cfg["event_weight"]
            for name in periods:
                tally.add(name, f"{row.label} {row.canonical}", cfg["event_weight"] / len(periods))
                named[str(row.column_id)].add(name)
    if dates is not None and len(dates):
        for row in dates[["column_id", "edtf", "earliest", "latest"]].itertuples(index=False):
            try:
                lo, hi = day_number(row.earliest), day_number(row.latest) + 1
            except ValueError:
                continue
            if hi <= lo:
                continue
            tally = tallies[str(row.column_id)]
            tally.total += cfg["date_weight"]
            for name, start, end in spans:
                overlap = max(0.0, min(hi, end + 1) - max(lo, start))
                for other, s2, e2 in inside[name]:
                    if other in named[str(row.column_id)]:
                        overlap -= max(0.0, min(hi, e2 + 1) - max(lo, s2))
                share = overlap / (hi - lo)
                if share > 1e-9:
                    tally.add(name, str(row.edtf), cfg["date_weight"] * share,
                              suffix=f" ({share:.0%} inside)" if share < 0.995 else "")
    return tallies


def region_tallies(entities: pd.DataFrame | None, t: Taxonomy, unknown: dict[str, int] | None = None) -> dict[str, Tally]:
    """Place mentions per column. Demonyms (NORP) name who fought, not where: they count only in
    a column with no place of the place table at all. An ORG whose name is in the place table
    counts too (the small model tags "Midway" and "Natal" as ORG); see [facets.region] in taxonomy.toml."""
    weights = t.settings["region"]["label_weights"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    if entities is None or not len(entities):
        return tallies
    demonyms: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    for row in entities.loc[entities["label"].isin(list(weights)), ["column_id", "label", "text", "canonical"]].itertuples(index=False):
        regions = t.places.get(name_key(row.canonical)) or t.places.get(name_key(row.text))
        if not regions:
            if unknown is not None and row.label in PLACE_LABELS:
                unknown[str(row.canonical)] = unknown.get(str(row.canonical), 0) + 1
            continue
        if row.label == "NORP":
            demonyms[str(row.column_id)].append((str(row.canonical), regions))
            continue
        w = float(weights[row.label])
        tally = tallies[str(row.column_id)]
        tally.total += w
        for region in regions:
            tally.add(region, str(row.canonical), w / len(regions))
    w = float(weights.get("NORP", 0.0))
    for column_id, found in demonyms.items():
        if w <= 0 or column_id in tallies:
            continue
        tally = tallies[column_id]
        for name, regions in found:
            tally.total += w
            for region in regions:
                tally.add(region, name, w / len(regions))
    return tallies


def _token_stream(doc) -> list[tuple[str, str, str] | None]:
    """(lemma, word, pos) per token, lower case; None where a phrase may not run across
    (punctuation, names of people and places). Hyphens and slashes join words and are dropped."""
    stream = []
    for tok in doc:
        if tok.text in _JOINERS:
            continue
        if tok.is_punct or tok.is_space or tok.ent_type_ in NAME_LABELS:
            stream.append(None)
        else:
            stream.append((tok.lemma_.lower(), tok.lower_, tok.pos_))
    return stream


def theme_tallies(docs: pd.DataFrame | None, t: Taxonomy) -> dict[str, Tally]:
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in t.lexicon:
        by_first[words[0]].append(words)
    tallies: dict[str, Tally] = defaultdict(Tally)
    if docs is None or not len(docs):
        return tallies
    for column_id, doc in zip(docs["column_id"], docs["doc"]):
        stream = _token_stream(doc)
        tally = tallies[str(column_id)]
        i = 0
        while i < len(stream):
            tok = stream[i]
            found = None
            if tok is not None:
                candidates = set(by_first.get(tok[0], ())) | set(by_first.get(tok[1], ()))
                for words in sorted(candidates, key=lambda w: (-len(w), w)):
                    n = len(words)
                    window = stream[i:i + n]
                    if len(window) == n and all(x is not None and w in (x[0], x[1]) for w, x in zip(words, window)):
                        if n > 1 or tok[2] in CONTENT_POS:
                            found = words
                            break
            if found is None:
                i += 1
                continue
            term = t.spelling.get(found) or " ".join(found)
            for theme, weight in t.lexicon[found].items():
                tally.total += weight
                tally.add(theme, term, weight)
            i += len(found)
    return tallies

