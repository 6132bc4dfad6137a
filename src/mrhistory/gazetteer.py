"""The shipped gazetteer: names of places, states, people, events and political parties from open data, with their sources.

Built by ``tools/build_gazetteer.py`` into ``data/gazetteer/`` (sources and licences in its
SOURCES.md). Only names that every source gives one label are in the tables, so a name found
here is labelled without looking at its context ("Egypt" is a GPE, "Odo" is not here, "Lincoln"
is not here either: it is a city and a president). Read lazily, once per process.
"""
from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

from .packaged import data_text

TABLES = ("places", "people", "events", "organisations")
#: Names longer than this many tokens are not looked for in a text.
MAX_TOKENS = 8
_DASHES = re.compile(r"[‐‑‒–—―−]")
_QID = re.compile(r"^Q[1-9]\d*$")


#: Sources whose one-word names are found even where the model saw no entity: countries, states,
#: subdivisions, historical states and realms, continents, political parties ("Likud", "Fidesz":
#: no English word), and cities of 100,000 people or more.
#: Other one-word names (small towns, surnames) only correct the label of an entity the model found.
_FIND_ALONE = ("geonames:country", "geonames:us-state", "geonames:continent", "pycountry:", "wikidata:battle-participant",
               "pantheon-1.0 (realm", "cdb90:belligerent", "partyfacts:")
_POPULATION = re.compile(r"population (\d+)")


@dataclass(frozen=True)
class Entry:
    name: str
    label: str
    canonical: str
    ref: str
    source: str
    note: str = ""

    @property
    def findable_alone(self) -> bool:
        """A one-word name that is looked for in text without the model's help (see _FIND_ALONE)."""
        if self.source.startswith(_FIND_ALONE):
            return True
        m = _POPULATION.search(self.note)
        return self.source == "geonames:city" and m is not None and int(m.group(1)) >= 100_000

    @property
    def wikidata(self) -> str:
        """The entry's Wikidata QID, or "" when its source has none."""
        return self.ref if _QID.match(self.ref) else ""


def key(text: str) -> str:
    """How a text is compared with the gazetteer's names: case kept ("Sussex", not "sussex"); dash
    and quote style, full stops, spacing and the spaces around a hyphen ignored."""
    text = unicodedata.normalize("NFC", text).replace("’", "'").replace(".", "")
    text = _DASHES.sub("-", text)
    return re.sub(r"\s*-\s*", "-", " ".join(text.split()))


@lru_cache(maxsize=1)
def entries() -> dict[str, Entry]:
    """Name key → entry, over every table (the first row of a name wins; all rows of a name share its label)."""
    table: dict[str, Entry] = {}
    for name in TABLES:
        for row in csv.DictReader(io.StringIO(data_text(f"gazetteer/{name}.csv"))):
            entry = Entry(row["name"], row["label"], row["canonical"] or row["name"], row["ref"], row["source"], row["note"])
            table.setdefault(key(entry.name), entry)
    return table


def lookup(text: str) -> Entry | None:
    return entries().get(key(text))


@lru_cache(maxsize=1)
def _sorted_keys() -> list[str]:
    return sorted(entries())


def may_start(word: str) -> bool:
    """Whether some name of the gazetteer begins with ``word`` (its key is a prefix of the name's
    key): the key of a run of tokens begins with its first token's key, so a run whose first word
    fails this is no name and need not be looked up."""
    prefix, keys = key(word), _sorted_keys()
    at = bisect_left(keys, prefix)
    return at < len(keys) and keys[at].startswith(prefix)


@lru_cache(maxsize=1)
def digest() -> str:
    """A hash of the tables: part of the annotate cache key, so a new gazetteer re-annotates."""
    h = hashlib.sha256()
    for name in (*TABLES, "given_names", "person_names"):
        h.update(data_text(f"gazetteer/{name}.csv").encode("utf-8"))
    return h.hexdigest()[:20]


@lru_cache(maxsize=1)
def ambiguous() -> frozenset[str]:
    """Keys of the names the build left out because sources disagree on them ("Lincoln", "Victoria")."""
    return frozenset(key(row["name"]) for row in csv.DictReader(io.StringIO(data_text("gazetteer/ambiguous.csv"))))


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """First words of the names of two or more Pantheon people ("William", "Catherine")."""
    return frozenset(row["name"] for row in csv.DictReader(io.StringIO(data_text("gazetteer/given_names.csv"))))


@lru_cache(maxsize=1)
def person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(surnames, given names) of the 1990 US Census and Pantheon that are no English word: evidence
    that a name is a person's, never entities by themselves."""
    parts: dict[str, set[str]] = {"surname": set(), "given": set()}
    for row in csv.DictReader(io.StringIO(data_text("gazetteer/person_names.csv"))):
        parts[row["part"]].add(row["name"])
    return frozenset(parts["surname"]), frozenset(parts["given"])


def preload() -> None:
    """Read every table now: worker processes forked afterwards share them instead of each reading
    them again (the main process reads them anyway, to name the entities)."""
    _sorted_keys()
    ambiguous()
    given_names()
    person_names()
