"""The taxonomy the curated classification sorts columns into: periods, regions and themes, the place
table and the theme lexicon (package data a historian can read), with a corpus's ``topics.toml``
applied on top."""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..csvfile import commented_rows
from ..names import name_key, name_words
from ..packaged import data_text

FACETS = ("period", "region", "theme")
OVERRIDES_FILE = "topics.toml"
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


@dataclass(frozen=True)
class War:
    """A war that runs across a period boundary, filed under one ``period``. A column that names it
    counts its dates inside the war (``start``–``end``) for that period only."""

    name: str
    period: str
    start: str
    end: str
    names: tuple[str, ...] = ()

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
    wars: list[War] = field(default_factory=list)

    def topics(self, facet: str) -> list[str]:
        return [p.name for p in self.periods] if facet == "period" else self.regions if facet == "region" else self.themes

    def events(self) -> dict[str, list[str]]:
        """name_key of an event (or a war of ``wars``) → the periods it belongs to."""
        found: dict[str, list[str]] = defaultdict(list)
        for period in self.periods:
            for event in period.events:
                if period.name not in found[name_key(event)]:
                    found[name_key(event)].append(period.name)
        names = {p.name for p in self.periods}
        for war in self.wars:
            for event in (war.name, *war.names):
                if war.period in names and war.period not in found[name_key(event)]:
                    found[name_key(event)].append(war.period)
        return found

    def war_spans(self) -> dict[str, War]:
        """name_key of a war's name (and its other names) → the war."""
        names = {p.name for p in self.periods}
        return {name_key(n): war for war in self.wars if war.period in names for n in (war.name, *war.names)}


def day_number(iso: str) -> float:
    """An ISO day ("1941-04-13", "-0043-03-15") as a number on one time line: years of 372 days,
    months of 31. Only used for the share of a date span inside a period, which it gets right
    to within a day or two."""
    match = re.fullmatch(r"(-?\d{1,6})-(\d\d)-(\d\d)", str(iso).strip())
    if not match:
        raise ValueError(f"{iso!r} is not an ISO date YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    return year * 372 + (month - 1) * 31 + (day - 1)



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


def _war(entry: dict, where: str) -> War:
    name = str(entry.get("name", "")).strip()
    if not name or not entry.get("period"):
        raise ValueError(f"{where}: a war needs a name and a period")
    start, end = str(entry.get("start", "")), str(entry.get("end", ""))
    if day_number(start) > day_number(end):
        raise ValueError(f"{where}: war {name!r} ends before it starts")
    names = entry.get("names", [])
    if not isinstance(names, list):
        raise ValueError(f"{where}: names of {name!r} must be a list")
    return War(name, str(entry["period"]), start, end, tuple(str(n) for n in names))


@lru_cache(maxsize=1)
def _shipped() -> Taxonomy:
    raw = tomllib.loads(data_text("taxonomy.toml"))
    periods = [_period(p, "taxonomy.toml") for p in raw["period"]]
    places: dict[str, tuple[str, ...]] = {}
    for _, row in commented_rows(data_text("places.csv")):
        key = name_key(row["place"])
        places[key] = (*places.get(key, ()), row["region"])
    lexicon: dict[tuple[str, ...], dict[str, float]] = {}
    spelling: dict[tuple[str, ...], str] = {}
    for _, row in commented_rows(data_text("theme_lexicon.csv")):
        words = name_words(row["term"])
        lexicon.setdefault(words, {})[row["theme"]] = float(row["weight"])
        spelling.setdefault(words, row["term"])
    wars = [_war(w, "taxonomy.toml") for w in raw.get("war", [])]
    return Taxonomy(periods, [r["name"] for r in raw["region"]], [t["name"] for t in raw["theme"]],
                    {f: dict(raw["facets"][f]) for f in FACETS}, places, lexicon, spelling, wars=wars)


def shipped_taxonomy() -> Taxonomy:
    """The taxonomy as shipped in the package (a fresh copy, safe to modify)."""
    t = _shipped()
    return replace(t, periods=list(t.periods), regions=list(t.regions), themes=list(t.themes),
                   settings={k: dict(v) for k, v in t.settings.items()}, places=dict(t.places),
                   lexicon={k: dict(v) for k, v in t.lexicon.items()}, spelling=dict(t.spelling), pins={}, nmf={},
                   problems=[], wars=list(t.wars))


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
    t.wars = list(t.wars)
    for n, entry in enumerate(raw.get("war", []), start=1):
        try:
            names = [w.name for w in t.wars]
            if entry.get("remove"):
                t.wars = [w for w in t.wars if w.name != entry.get("name")]
                continue
            war = _war(entry, f"{source}: war {n}")
            if war.period not in t.topics("period"):
                raise ValueError(f"{source}: war {war.name!r}: {war.period!r} is not a period of the taxonomy")
            if war.name in names:
                t.wars[names.index(war.name)] = war
            else:
                t.wars.append(war)
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
            words = name_words(term)
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



def taxonomy_from_text(overrides: str | None, *, source: str = OVERRIDES_FILE) -> Taxonomy:
    """The shipped taxonomy with the text of a corpus's ``topics.toml`` applied (None: none).
    A file that does not parse is a problem in ``taxonomy.problems``, not an error."""
    taxonomy = shipped_taxonomy()
    if overrides is None:
        return taxonomy
    try:
        raw = tomllib.loads(overrides)
    except tomllib.TOMLDecodeError as exc:
        taxonomy.problems.append(f"{source} not used: {exc}")
        return taxonomy
    return apply_overrides(taxonomy, raw, source=source)
