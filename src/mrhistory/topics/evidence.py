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


def _overlap(lo: float, hi: float, start: float, end: float) -> float:
    """Days of [lo, hi) inside the period or war running from day ``start`` to day ``end`` inclusive."""
    return max(0.0, min(hi, end + 1) - max(lo, start))


def period_tallies(dates: pd.DataFrame | None, entities: pd.DataFrame | None, t: Taxonomy) -> dict[str, Tally]:
    """Dates and EVENT entities (and the other labels of ``event_labels``) per column.

    A date counts for the most specific period it falls in: a day of 1863 inside the American Civil
    War counts for the war, not for the 19th century around it too. A column that names a war of
    the taxonomy's ``[[war]]`` list (a war across a period boundary) counts its dates inside the war
    for the period the war is filed under: 1918 in a column on the Russian Civil War is Interwar,
    not World War I."""
    cfg = t.settings["period"]
    tallies: dict[str, Tally] = defaultdict(Tally)
    spans = [(p.name, *p.span) for p in t.periods]
    inside = {name: [(s2, e2) for other, s2, e2 in spans
                     if other != name and start <= s2 and e2 <= end and (e2 - s2) < (end - start)]
              for name, start, end in spans}
    claims: dict[str, dict[str, object]] = defaultdict(dict)  # column → war name → War
    if entities is not None and len(entities):
        events, wars = t.events(), t.war_spans()
        labels = set(cfg["event_labels"])
        for row in entities.loc[entities["label"].isin(labels), ["column_id", "label", "text", "canonical"]].itertuples(index=False):
            keys = (name_key(row.canonical), name_key(row.text))
            periods = next((events[k] for k in keys if k in events), None)
            if not periods:
                continue
            tally = tallies[str(row.column_id)]
            tally.total += cfg["event_weight"]
            for name in periods:
                tally.add(name, f"{row.label} {row.canonical}", cfg["event_weight"] / len(periods))
            war = next((wars[k] for k in keys if k in wars), None)
            if war is not None:
                claims[str(row.column_id)][war.name] = war
    if dates is not None and len(dates):
        for row in dates[["column_id", "edtf", "earliest", "latest"]].itertuples(index=False):
            try:
                lo, hi = day_number(row.earliest), day_number(row.latest) + 1
            except ValueError:
                continue
            if hi <= lo:
                continue
            column = str(row.column_id)
            tally = tallies[column]
            tally.total += cfg["date_weight"]
            named = sorted(claims[column].values(), key=lambda w: (w.span[1] - w.span[0], w.name))
            shares: dict[str, float] = defaultdict(float)
            pieces = [(lo, hi)]
            if named:  # the part inside the (shortest) named war goes to the war's period
                war = named[0]
                shares[war.period] += _overlap(lo, hi, *war.span)
                w0, w1 = war.span[0], war.span[1] + 1
                pieces = [(a, b) for a, b in ((lo, min(hi, w0)), (max(lo, w1), hi)) if b > a]
            for name, start, end in spans:
                own = sum(_overlap(a, b, start, end) - sum(_overlap(a, b, s2, e2) for s2, e2 in inside[name])
                          for a, b in pieces)
                if own > 0:
                    shares[name] += own
            for name, days in shares.items():
                share = days / (hi - lo)
                if share > 1e-9:
                    tally.add(name, str(row.edtf), cfg["date_weight"] * share,
                              suffix=f" ({share:.0%} inside)" if share < 0.995 else "")
    return tallies


#: Prepositions that put a name where something happens ("in Iraq", "across the Rhine", "from Saigon").
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "into", "from", "across", "over", "throughout", "outside",
                                "inside", "within", "around", "through", "off", "towards", "toward", "along",
                                "onto", "upon", "beyond", "between", "to", "on", "via", "of"})


def _roles(entities: pd.DataFrame, docs: pd.DataFrame | None) -> list[bool]:
    """Per entity row: is the name used as an actor rather than as a place? A name counts as a place
    when a preposition of place stands before it (articles and adjectives between them allowed);
    otherwise ("the United States sent troops", "U.S. forces", "Britain's army") it names who acted.
    (The shared pass has no parser, so this reads the words before the name; False without docs.)"""
    if docs is None or not len(docs) or not len(entities):
        return [False] * len(entities)
    by_part = {(str(c), str(p)): d for c, p, d in zip(docs["column_id"], docs["part"], docs["doc"])}
    out = []
    for row in entities[["column_id", "part", "start", "end"]].itertuples(index=False):
        doc = by_part.get((str(row.column_id), str(row.part)))
        span = doc.char_span(int(row.start), int(row.end), alignment_mode="expand") if doc is not None else None
        if span is None or not len(span):
            out.append(False)
            continue
        i = span.start - 1
        while i >= 0 and doc[i].pos_ in ("DET", "ADJ") and span.start - i <= 3:
            i -= 1
        out.append(not (i >= 0 and doc[i].lower_ in PLACE_PREPOSITIONS))
    return out


def actor_roles(spans: pd.DataFrame, docs: pd.DataFrame | None) -> dict[tuple[str, str, int, int], bool]:
    """:func:`_roles` of each (column_id, part, start, end) in ``spans``: the part of the region
    evidence that reads the Docs, for ``region_tallies(roles=...)`` (streaming runs, chunk by chunk)."""
    keys = list(zip(spans["column_id"].astype(str), spans["part"].astype(str),
                    spans["start"].astype(int), spans["end"].astype(int)))
    return dict(zip(keys, _roles(spans, docs)))


def region_tallies(entities: pd.DataFrame | None, t: Taxonomy, unknown: dict[str, int] | None = None,
                   docs: pd.DataFrame | None = None,
                   roles: dict[tuple[str, str, int, int], bool] | None = None) -> dict[str, Tally]:
    """Place mentions per column. Demonyms (NORP) name who fought, not where: they count only in
    a column that names at most ``few_places`` places of the place table. An ORG whose name is in the place table
    counts too (the small model tags "Midway" and "Natal" as ORG). With ``docs``, a place named as
    the actor of its clause (subject, possessor, "U.S." in "U.S. forces") weighs ``actor_weight``:
    a column on American troops in Vietnam is about Vietnam (``roles``, from :func:`actor_roles`,
    stands in for ``docs``). See [facets.region] in taxonomy.toml."""
    cfg = t.settings["region"]
    weights = cfg["label_weights"]
    actor = float(cfg.get("actor_weight", 1.0))
    tallies: dict[str, Tally] = defaultdict(Tally)
    if entities is None or not len(entities):
        return tallies
    demonyms: dict[str, list[tuple[str, tuple[str, ...]]]] = defaultdict(list)
    rows = entities.loc[entities["label"].isin(list(weights))]
    if actor == 1.0:
        acting = [False] * len(rows)
    elif roles is not None:  # computed before from the docs (actor_roles)
        acting = [roles.get(key, False) for key in zip(rows["column_id"].astype(str), rows["part"].astype(str),
                                                       rows["start"].astype(int), rows["end"].astype(int))]
    else:
        acting = _roles(rows, docs)
    for row, acts in zip(rows[["column_id", "label", "text", "canonical"]].itertuples(index=False), acting):
        regions = t.places.get(name_key(row.canonical)) or t.places.get(name_key(row.text))
        if not regions:
            if unknown is not None and row.label in PLACE_LABELS:
                unknown[str(row.canonical)] = unknown.get(str(row.canonical), 0) + 1
            continue
        if row.label == "NORP":
            demonyms[str(row.column_id)].append((str(row.canonical), regions))
            continue
        w = float(weights[row.label]) * (actor if acts else 1.0)
        tally = tallies[str(row.column_id)]
        tally.total += w
        for region in regions:
            tally.add(region, str(row.canonical), w / len(regions))
    w = float(weights.get("NORP", 0.0))
    few = int(cfg.get("few_places", 0))
    named = {column_id: sum(sum(c.values()) for c in tally.counts.values()) for column_id, tally in tallies.items()}
    for column_id, found in demonyms.items():
        if w <= 0 or named.get(column_id, 0) > few:
            continue
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

