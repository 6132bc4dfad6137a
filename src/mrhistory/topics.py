"""Curated classification of every column by period, region and theme, with score and evidence.

The taxonomy (``data/taxonomy.toml``), the place table (``data/places.csv``) and the theme
lexicon (``data/theme_lexicon.csv``) are data a historian can read and edit; a corpus may add to
or replace them, and pin a column's topics, in ``corpus/topics.toml``. Evidence comes from the
tables other analyses make: date mentions (``dates``), EVENT and place entities (``entities``),
and the lemmas of the shared spaCy pass. A topic's score is the share of a column's evidence
weight on that facet that points to it; see ``data/taxonomy.toml`` for every weight.
"""
from __future__ import annotations

import csv
import io
import os
import re
import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .packaged import data_text

FACETS = ("period", "region", "theme")
OVERRIDES_FILE = "topics.toml"
UNASSIGNED = "unassigned"
PINNED = f"pinned in {OVERRIDES_FILE}"
MAX_EVIDENCE = 8
COLUMN_TOPICS_SCHEMA = {"column_id": "string", "facet": "string", "topic": "string", "score": "float64", "evidence": "string"}
#: Entity labels whose tokens are names, not vocabulary: theme terms are not looked for inside them.
NAME_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "FAC"})
#: Labels of place names; names of other labels not in the place table are not reported as unknown places.
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Parts of speech a one-word theme term may have ("mine" the pronoun is not a naval mine).
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV"})
_JOINERS = frozenset({"-", "–", "—", "/", "‐"})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"} | {"’": "'", "‘": "'"})


def name_key(text: str) -> str:
    """How place and event names are compared: case, full stops, dash and quote style, spacing
    and a leading "the" do not matter ("the U.S.S.R." = "ussr", "Molotov–Ribbentrop" = "molotov-ribbentrop")."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).lower()
    text = re.sub(r"\.(?=\w)", "", text).replace(".", " ")
    text = re.sub(r"\s*-\s*", "-", " ".join(text.split()))
    return text[4:] if text.startswith("the ") else text


def term_words(term: str) -> tuple[str, ...]:
    """A lexicon term as the words it must match: "non-aggression pact" → ("non", "aggression", "pact")."""
    return tuple(w for w in re.split(r"[\s\-–—/]+", unicodedata.normalize("NFKC", term).lower().translate(_DASHES)) if w)


# --- the taxonomy ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Period:
    name: str
    start: str
    end: str
    events: tuple[str, ...] = ()

    @property
    def span(self) -> tuple[float, float]:
        return day_number(self.start), day_number(self.end)


@dataclass
class Taxonomy:
    """Everything the classification needs, after the corpus's overrides are applied."""

    periods: list[Period]
    regions: list[str]
    themes: list[str]
    settings: dict[str, dict]
    places: dict[str, tuple[str, ...]]                       # name_key → regions
    lexicon: dict[tuple[str, ...], dict[str, float]]         # words → {theme: weight}
    spelling: dict[tuple[str, ...], str] = field(default_factory=dict)  # words → the term as written
    pins: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (column_id, facet) → topics
    nmf: dict = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def topics(self, facet: str) -> list[str]:
        return [p.name for p in self.periods] if facet == "period" else self.regions if facet == "region" else self.themes

    def events(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for period in self.periods:
            for event in period.events:
                found[name_key(event)].append(period.name)
        return found


def day_number(iso: str) -> float:
    """An ISO day ("1941-04-13", "-0043-03-15") as a number on one time line: years of 372 days,
    months of 31. Only used for the share of a date span inside a period, which it gets right
    to within a day or two."""
    match = re.fullmatch(r"(-?\d{1,6})-(\d\d)-(\d\d)", str(iso).strip())
    if not match:
        raise ValueError(f"{iso!r} is not an ISO date YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    return year * 372 + (month - 1) * 31 + (day - 1)


def _data(name: str) -> str:
    return data_text(name)


def _csv(text: str) -> list[dict]:
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in csv.DictReader(io.StringIO("\n".join(lines)))]


def _period(entry: dict, where: str) -> Period:
    name = str(entry.get("name", "")).strip()
    if not name:
        raise ValueError(f"{where}: a period needs a name")
    start, end = str(entry.get("start", "")), str(entry.get("end", ""))
    if day_number(start) > day_number(end):
        raise ValueError(f"{where}: period {name!r} ends before it starts")
    events = entry.get("events", [])
    if not isinstance(events, list):
        raise ValueError(f"{where}: events of {name!r} must be a list of names")
    return Period(name, start, end, tuple(str(e) for e in events))


@lru_cache(maxsize=1)
def _shipped() -> Taxonomy:
    raw = tomllib.loads(_data("taxonomy.toml"))
    periods = [_period(p, "taxonomy.toml") for p in raw["period"]]
    places: dict[str, tuple[str, ...]] = {}
    for row in _csv(_data("places.csv")):
        key = name_key(row["place"])
        places[key] = (*places.get(key, ()), row["region"])
    lexicon: dict[tuple[str, ...], dict[str, float]] = {}
    spelling: dict[tuple[str, ...], str] = {}
    for row in _csv(_data("theme_lexicon.csv")):
        words = term_words(row["term"])
        lexicon.setdefault(words, {})[row["theme"]] = float(row["weight"])
        spelling.setdefault(words, row["term"])
    return Taxonomy(periods, [r["name"] for r in raw["region"]], [t["name"] for t in raw["theme"]],
                    {f: dict(raw["facets"][f]) for f in FACETS}, places, lexicon, spelling)


def shipped_taxonomy() -> Taxonomy:
    """The taxonomy as shipped in the package (a fresh copy, safe to modify)."""
    t = _shipped()
    return replace(t, periods=list(t.periods), regions=list(t.regions), themes=list(t.themes),
                   settings={k: dict(v) for k, v in t.settings.items()}, places=dict(t.places),
                   lexicon={k: dict(v) for k, v in t.lexicon.items()}, spelling=dict(t.spelling), pins={}, nmf={},
                   problems=[])


def apply_overrides(taxonomy: Taxonomy, raw: dict, *, source: str = OVERRIDES_FILE) -> Taxonomy:
    """The taxonomy with a parsed ``topics.toml`` applied. Entries that make no sense are skipped
    and listed in ``taxonomy.problems``; they never stop a run."""
    t = replace(taxonomy, problems=list(taxonomy.problems))
    bad = t.problems.append
    for n, entry in enumerate(raw.get("period", []), start=1):
        try:
            names = [p.name for p in t.periods]
            if entry.get("remove"):
                t.periods = [p for p in t.periods if p.name != entry.get("name")]
                continue
            period = _period(entry, f"{source}: period {n}")
            if period.name in names:
                t.periods[names.index(period.name)] = period
            else:
                t.periods.append(period)
        except (ValueError, AttributeError) as exc:
            bad(str(exc))
    for facet in ("region", "theme"):
        topics = t.regions if facet == "region" else t.themes
        for entry in raw.get(facet, []):
            name = str(entry.get("name", "")).strip() if isinstance(entry, dict) else ""
            if not name:
                bad(f"{source}: a [[{facet}]] entry needs a name")
            elif entry.get("remove"):
                topics[:] = [x for x in topics if x != name]
            elif name not in topics:
                topics.append(name)
    for facet, settings in (raw.get("facets") or {}).items():
        if facet in t.settings and isinstance(settings, dict):
            t.settings[facet] = {**t.settings[facet], **settings}
        else:
            bad(f"{source}: [facets.{facet}] is not a facet ({', '.join(FACETS)})")
    for place, regions in (raw.get("places") or {}).items():
        regions = [regions] if isinstance(regions, str) else regions
        if regions in ([""], []):
            t.places.pop(name_key(place), None)
            continue
        unknown = [r for r in regions if r not in t.regions]
        if unknown:
            bad(f"{source}: place {place!r}: {', '.join(map(repr, unknown))} is not a region of the taxonomy")
        else:
            t.places[name_key(place)] = tuple(regions)
    for theme, terms in (raw.get("lexicon") or {}).items():
        if theme not in t.themes or not isinstance(terms, dict):
            bad(f"{source}: [lexicon.{theme!r}]: not a theme of the taxonomy")
            continue
        for term, weight in terms.items():
            words = term_words(term)
            if not words or not isinstance(weight, (int, float)) or weight < 0:
                bad(f"{source}: lexicon term {term!r} of {theme!r} needs a weight ≥ 0")
            elif weight == 0:
                t.lexicon.get(words, {}).pop(theme, None)
            else:
                t.lexicon.setdefault(words, {})[theme] = float(weight)
                t.spelling.setdefault(words, str(term).strip().lower())
    for n, pin in enumerate(raw.get("pin", []), start=1):
        facet, topics = pin.get("facet"), pin.get("topics", pin.get("topic"))
        topics = [topics] if isinstance(topics, str) else topics
        if facet not in FACETS or not pin.get("column_id") or not topics:
            bad(f"{source}: pin {n} needs column_id, facet ({', '.join(FACETS)}) and topics")
        elif unknown := [x for x in topics if x not in t.topics(facet)]:
            bad(f"{source}: pin {n}: {', '.join(map(repr, unknown))} is not a {facet} of the taxonomy")
        else:
            t.pins[(str(pin["column_id"]), facet)] = tuple(topics)
    t.lexicon = {k: v for k, v in t.lexicon.items() if v}
    t.lexicon = {k: {th: w for th, w in v.items() if th in t.themes} for k, v in t.lexicon.items()}
    t.nmf = dict(raw.get("nmf") or {})
    return t


def load_taxonomy(corpus_dir: str | Path | None = None) -> Taxonomy:
    """The shipped taxonomy, with ``corpus_dir/topics.toml`` applied when there is one.
    A file that cannot be read is a problem in ``taxonomy.problems``, not an error."""
    taxonomy = shipped_taxonomy()
    path = Path(corpus_dir) / OVERRIDES_FILE if corpus_dir else None
    if path is None or not path.is_file():
        return taxonomy
    try:
        raw = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        taxonomy.problems.append(f"{OVERRIDES_FILE} not used: {exc}")
        return taxonomy
    return apply_overrides(taxonomy, raw)


# --- evidence --------------------------------------------------------------------------------

def _evidence(items: dict[str, float], counts: dict[str, int], suffix: dict[str, str] | None = None) -> str:
    """"1941-04-13 ×2; EVENT Great Patriotic War ×1": strongest evidence first, at most MAX_EVIDENCE items."""
    suffix = suffix or {}
    ordered = sorted(items, key=lambda k: (-round(items[k], 9), k))
    shown = [f"{k} ×{counts[k]}{suffix.get(k, '')}" for k in ordered[:MAX_EVIDENCE]]
    if len(ordered) > MAX_EVIDENCE:
        shown.append(f"+{len(ordered) - MAX_EVIDENCE} more")
    return "; ".join(shown)


@dataclass
class _Tally:
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


def _period_tallies(dates: pd.DataFrame | None, entities: pd.DataFrame | None, t: Taxonomy) -> dict[str, _Tally]:
    """Dates and EVENT entities per column. When a column names a war that lies inside a longer
    period (an EVENT of the American Civil War inside the 19th century), the dates inside the war
    count for the war only, so that a column mostly about the war is not outscored by its century."""
    cfg = t.settings["period"]
    tallies: dict[str, _Tally] = defaultdict(_Tally)
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


def _region_tallies(entities: pd.DataFrame | None, t: Taxonomy, unknown: dict[str, int] | None = None) -> dict[str, _Tally]:
    """Place mentions per column. Demonyms (NORP) name who fought, not where: they count only in
    a column with no place of the place table at all. An ORG whose name is in the place table
    counts too (the small model tags "Midway" and "Natal" as ORG); see [facets.region] in taxonomy.toml."""
    weights = t.settings["region"]["label_weights"]
    tallies: dict[str, _Tally] = defaultdict(_Tally)
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


def _theme_tallies(docs: pd.DataFrame | None, t: Taxonomy) -> dict[str, _Tally]:
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for words in t.lexicon:
        by_first[words[0]].append(words)
    tallies: dict[str, _Tally] = defaultdict(_Tally)
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


def _facet_rows(column_id: str, facet: str, tally: _Tally | None, t: Taxonomy, reason: str) -> list[dict]:
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
             "evidence": _evidence(tally.items[x], tally.counts[x], tally.suffix[x])} for x in keep]


def column_topics(columns: pd.DataFrame, docs: pd.DataFrame | None, *, entities: pd.DataFrame | None,
                  dates: pd.DataFrame | None, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Each column's periods, regions and themes, best first, with score (0–1) and evidence.

    ``columns`` is the columns table, ``docs`` the annotate table, ``entities`` and ``dates``
    those analyses' tables (None when they were not made: that facet's evidence is then absent).
    A facet without evidence gives one row with topic ``"unassigned"``, score 0 and the reason.
    """
    t = taxonomy or shipped_taxonomy()
    periods = _period_tallies(dates, entities, t)
    regions = _region_tallies(entities, t)
    themes = _theme_tallies(docs, t)
    reasons = {
        "period": "no date mentions or known events" + ("" if dates is not None else " (no dates table)"),
        "region": "no places of the place table" + ("" if entities is not None else " (no entities table)"),
        "theme": "no terms of the theme lexicon",
    }
    rows = []
    for column_id in sorted(columns["column_id"].astype(str)):
        for facet, tallies in (("period", periods), ("region", regions), ("theme", themes)):
            rows += _facet_rows(column_id, facet, tallies.get(column_id), t, reasons[facet])
    return pd.DataFrame(rows, columns=list(COLUMN_TOPICS_SCHEMA)).astype(COLUMN_TOPICS_SCHEMA)


THEME_TERMS_SCHEMA = {"column_id": "string", "theme": "string", "term": "string", "occurrences": "int64", "weight": "float64"}


def theme_terms(docs: pd.DataFrame | None, *, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Every theme-lexicon term found in each column, with its occurrences and the weight it gave
    each theme: the whole evidence of the theme facet (``column_topics`` shows the strongest eight)."""
    t = taxonomy or shipped_taxonomy()
    rows = [{"column_id": column_id, "theme": theme, "term": term, "occurrences": tally.counts[theme][term],
             "weight": round(weight, 6)}
            for column_id, tally in _theme_tallies(docs, t).items()
            for theme, items in tally.items.items() for term, weight in items.items()]
    order = {name: i for i, name in enumerate(t.themes)}
    table = pd.DataFrame(rows, columns=list(THEME_TERMS_SCHEMA)).astype(THEME_TERMS_SCHEMA)
    table = table.assign(_order=table["theme"].map(order).fillna(len(order)))
    return (table.sort_values(["column_id", "_order", "weight", "term"], ascending=[True, True, False, True], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def unknown_places(entities: pd.DataFrame | None, taxonomy: Taxonomy | None = None) -> dict[str, int]:
    """Place names (GPE, LOC, FAC) the place table does not know, with their mention counts."""
    found: dict[str, int] = {}
    _region_tallies(entities, taxonomy or shipped_taxonomy(), found)
    return found


def stage(ctx) -> None:
    """Table ``column_topics``, then the NMF topic model and the topic figures."""
    from . import topic_model
    from .figures import topics as figures

    taxonomy = load_taxonomy(ctx.corpus_dir)
    for problem in taxonomy.problems:
        ctx.say(f"topics: {problem}")
    stray = sorted({cid for cid, _ in taxonomy.pins} - set(ctx.columns["column_id"].astype(str)))
    if stray:
        ctx.say(f"topics: {OVERRIDES_FILE} pins topics of column(s) not in the corpus: {', '.join(stray)}")
    entities, dates = ctx.tables.get("entities"), ctx.tables.get("dates")
    missing = [name for name, table in (("entities", entities), ("dates", dates)) if table is None]
    if missing:
        ctx.say(f"topics: no {' or '.join(missing)} table in this run, so no evidence from "
                + " or ".join({"entities": "places and events", "dates": "dates"}[m] for m in missing))
    table = column_topics(ctx.columns, ctx.docs, entities=entities, dates=dates, taxonomy=taxonomy)
    ctx.tables["column_topics"] = table
    unknown = unknown_places(entities, taxonomy)
    if unknown:
        top = sorted(unknown, key=lambda k: (-unknown[k], k))[:5]
        ctx.say(f"topics: {len(unknown)} place name(s) not in the place table, e.g. {', '.join(top)} "
                f"(add them under [places] in corpus/{OVERRIDES_FILE})")
    model = topic_model.topic_model(ctx.columns, ctx.docs, entities=entities, settings=taxonomy.nmf)
    if model.skipped:
        ctx.say(f"topics: NMF topic model skipped: {model.skipped}")
    else:
        ctx.tables["topic_terms"] = model.terms
        ctx.tables["column_topic_weights"] = model.weights
    for name, fig, caption, alt in figures.topic_figures(table, ctx.columns, taxonomy, model):
        ctx.add_figure(name, fig, caption=caption, alt=alt)


# --- the command line ----------------------------------------------------------------------------

def register(subparsers) -> None:
    """The ``mrhistory topics`` command: the classification with its evidence, without writing OUT."""
    import argparse

    p = subparsers.add_parser(
        "topics", help="each column's period, region and theme with score and evidence, as CSV",
        description="Read the corpus, run the shared spaCy pass and the analyses the classification rests on, "
                    f"and print column_topics as CSV; {OVERRIDES_FILE} in the corpus folder is applied. "
                    "Nothing is written: use it to check an edit of the taxonomy before `mrhistory analyse`.",
        epilog="examples:\n  mrhistory topics corpus --facet theme\n"
               "  mrhistory topics corpus --column why-didnt-we-use-soviet-air-bases-when-fighting-japan-in-wwii",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("corpus", nargs="?", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")
    p.add_argument("--column", action="append", default=None, metavar="ID", help="only this column_id (repeatable)")
    p.add_argument("--facet", choices=FACETS, action="append", default=None, help="only this facet (repeatable)")
    p.add_argument("--model", default=os.environ.get("MRHISTORY_MODEL"), help="spaCy model package (default: as for analyse)")
    p.set_defaults(func=_cmd_topics)


def _cmd_topics(args) -> int:
    import sys

    from .analyse import STAGES, Context
    from .annotation import annotate
    from .outputs import table_bytes
    from .paths import default_corpus
    from .read import read_corpus

    corpus_dir = args.corpus or default_corpus()
    echo = lambda line: print(line, file=sys.stderr)  # noqa: E731
    corpus = read_corpus(corpus_dir, echo=echo)
    columns = corpus.columns
    if args.column:
        unknown = sorted(set(args.column) - set(columns["column_id"]))
        if unknown:
            raise ValueError(f"no column {', '.join(map(repr, unknown))} in {corpus_dir}")
        corpus.columns = columns.loc[columns["column_id"].isin(args.column)].reset_index(drop=True)
    ctx = Context(corpus, annotate(corpus.columns, model=args.model), Path(corpus_dir), {}, tables={"columns": corpus.columns})
    for run in STAGES:  # the analyses this one reads (entities, dates), not the ones after it
        if run is stage:
            break
        run(ctx)
    taxonomy = load_taxonomy(corpus_dir)
    for problem in taxonomy.problems:
        echo(f"topics: {problem}")
    table = column_topics(ctx.columns, ctx.docs, entities=ctx.tables.get("entities"), dates=ctx.tables.get("dates"),
                          taxonomy=taxonomy)
    if args.facet:
        table = table.loc[table["facet"].isin(args.facet)]
    sys.stdout.write(table_bytes(table).decode("utf-8"))
    return 0
