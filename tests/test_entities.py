"""Entity mentions, canonical names, tables and figures: on the shipped column and short passages."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mrhistory import entities as ent
from mrhistory.annotation import annotate, pipeline
from mrhistory.entity_rules import ENTITY_LABELS
from mrhistory.read import read_corpus
from mrhistory.schema import TABLES

from .conftest import CORPUS, SHIPPED_ID

GOLD = Path(__file__).parent / "gold" / "entities_shipped.csv"


@pytest.fixture(scope="module")
def shipped_entities(shipped_docs, shipped_columns):
    return ent.entities(shipped_docs, columns=shipped_columns)


def spans(text: str) -> list[tuple[str, str]]:
    """(text, label) of the named entities the shared pipeline finds in ``text``."""
    return [(e.text, e.label_) for e in pipeline()(text).ents if e.label_ in ENTITY_LABELS]


def canonical_of(df: pd.DataFrame, text: str) -> set[str]:
    return set(df.loc[df["text"] == text, "canonical"])


# --- the "done when" list, on the shipped column ---------------------------------------------

@pytest.mark.parametrize("short, full", [("USSR", "Soviet Union"), ("Hitler", "Adolf Hitler"),
                                          ("Roosevelt", "Franklin D. Roosevelt"), ("Persia", "Iran")])
def test_variants_share_one_canonical(shipped_entities, short, full):
    assert canonical_of(shipped_entities, short) == canonical_of(shipped_entities, full)
    assert len(canonical_of(shipped_entities, short)) == 1


def test_persia_and_iran_are_counted_under_a_name_that_says_both(shipped_entities):
    # "Iran" alone would rename Persia anachronistically in a column about antiquity.
    assert canonical_of(shipped_entities, "Persia") == canonical_of(shipped_entities, "Iran") == {"Iran (Persia)"}
    assert ent.wikidata_id("Iran (Persia)", "GPE") == "Q794"


def test_no_entity_from_chrome_salutation_or_signature(shipped_entities, shipped_column):
    texts = set(shipped_entities["text"])
    assert not texts & {"History", "Mr. History", "Ask Mr. History", "HistoryNet", "World History",
                        "Tony Dean", "Dean", "Mr. Dean", "Jon Guttman", "Research Director"}
    assert not (shipped_entities["canonical"].str.contains("History")).any()


def test_ranks_possessives_and_designations(shipped_entities):
    df = shipped_entities
    assert not df["text"].str.fullmatch(r"Lt\.?|Col\.?").any()
    assert set(df.loc[df["text"] == "B-25B Mitchell", "label"]) == {"PRODUCT"}
    assert set(df.loc[df["canonical"] == "Molotov–Ribbentrop Pact", "label"]) == {"LAW"}
    assert set(df.loc[df["text"].str.contains("Neutrality Pact"), "label"]) == {"LAW"}
    doolittle = df.loc[df["text"].str.contains("Doolittle"), "text"].tolist()
    assert doolittle == ["James H. Doolittle"]


def test_offsets_index_the_part_text(shipped_entities, shipped_column):
    for row in shipped_entities.itertuples(index=False):
        assert shipped_column[row.part][row.start:row.end] == row.text
    assert set(shipped_entities["label"]) <= set(ENTITY_LABELS)  # no DATE, CARDINAL …


def test_gold_precision_and_recall(shipped_entities):
    """(canonical, label) pairs against a gold list written by reading the column.

    Measured: precision 0.97, recall 0.95 (36 of 38: the model does not tag the "Japanese Home
    Islands", and the column's "USSR-Japanese Neutrality Pact" is no longer renamed to the
    Soviet–Japanese Neutrality Pact: that alias row existed only for this column and was removed
    in issue 12; before, 1.00 / 0.97). The thresholds allow about one more error each way —
    with 38 pairs one error is 2.6 points — so a model patch release does not fail the suite
    while losing any class of fix does. For scale: the stock model's names as written score
    0.44 / 0.50, and with this module's canonical names but without the entity rules 0.76 / 0.74.
    """
    gold = pd.read_csv(GOLD, comment="#", keep_default_na=False)
    gold_pairs = set(zip(gold["canonical"], gold["label"]))
    found = set(zip(shipped_entities["canonical"], shipped_entities["label"]))
    precision = len(found & gold_pairs) / len(found)
    recall = len(found & gold_pairs) / len(gold_pairs)
    print(f"entities on the shipped column: precision {precision:.3f}, recall {recall:.3f}; "
          f"missed {sorted(gold_pairs - found)}; extra {sorted(found - gold_pairs)}")
    assert precision >= 0.95
    assert recall >= 0.94


# --- rule classes, on short passages -----------------------------------------------------------

def test_titles_are_stripped_from_names_and_never_entities():
    found = spans("Gen. Douglas MacArthur met Adm. Chester W. Nimitz and Soviet Foreign Minister "
                  "Vyacheslav Molotov; Emperor Hirohito and President Roosevelt were told.")
    people = [t for t, label in found if label == "PERSON"]
    assert people == ["Douglas MacArthur", "Chester W. Nimitz", "Vyacheslav Molotov", "Hirohito", "Roosevelt"]
    assert not any(t.split()[0] in {"Gen.", "Adm.", "Emperor", "President", "Lt."} for t, _ in found)


def test_possessive_and_leading_the_are_dropped():
    found = spans("The United States armed Britain. Stalin’s army and Churchill's speech reached the Soviet Union.")
    texts = [t for t, _ in found]
    assert "United States" in texts and "Soviet Union" in texts
    assert "Stalin" in texts and "Churchill" in texts
    assert not any(t.endswith(("'s", "’s")) or t.lower().startswith("the ") for t in texts)


def test_weapon_designations_and_ships_are_products():
    found = dict(spans("The Luftwaffe's Bf 109 met P-51D Mustangs and B-29s; the T-34 and the A6M Zero "
                       "served too, and USS Arizona sank near HMS Prince of Wales."))
    for name in ("Bf 109", "P-51D Mustangs", "B-29s", "T-34", "A6M Zero", "USS Arizona", "HMS Prince of Wales"):
        assert found.get(name) == "PRODUCT", name


def test_treaties_are_law_and_wars_battles_operations_are_events():
    found = dict(spans("After the Anti-Comintern Pact and the Treaty of Versailles came World War II, "
                       "the Battle of Midway, Operation Barbarossa and the Doolittle Raid; Congress passed "
                       "the Lend-Lease Act. The Ministry of War stayed an organisation. It began in World War I."))
    for name in ("Anti-Comintern Pact", "Treaty of Versailles", "Lend-Lease Act"):
        assert found.get(name) == "LAW", name
    for name in ("World War II", "Battle of Midway", "Operation Barbarossa", "Doolittle Raid", "World War I"):
        assert found.get(name) == "EVENT", name
    assert found.get("Ministry of War") != "EVENT"


def test_maker_before_a_product_is_an_org():
    found = dict(spans("A Boeing B-17 Flying Fortress escorted a North American P-51 Mustang."))
    assert found.get("Boeing") == "ORG" and found.get("North American") == "ORG"
    assert found.get("B-17 Flying Fortress") == "PRODUCT"


@pytest.mark.parametrize("text, kept", [
    ("Hannibal crossed the Alps in 218 BC.", {"Alps"}),
    ("Vesuvius erupted in AD 79.", set()),
    ("Cannae was fought in 216 BC, and Rome recovered.", {"Rome"}),
    ("The temple was built around 500 BCE, the palace in 800 CE.", set()),
    ("In 44 B.C. Caesar died; Augustus died in 14 A.D.", {"Caesar", "Augustus"}),
    ("In the 3rd century BC Rome grew.", {"Rome"}),
])
def test_era_markers_are_never_entities_nor_part_of_one(text, kept):
    found = spans(text)
    assert not any(set(t.replace(",", " ").split()) & {"BC", "B.C.", "BCE", "AD", "A.D.", "CE"} for t, _ in found), found
    assert kept <= {t for t, _ in found}


def test_an_era_abbreviation_away_from_a_year_is_left_to_the_model():
    assert ("BC Rail", "ORG") in spans("The BC Rail line closed.")


# --- canonical names ---------------------------------------------------------------------------

def mentions_of(text: str, *, authority=None, column_id: str = "c1", answerer: str = "") -> pd.DataFrame:
    columns = pd.DataFrame({"column_id": [column_id], "question": [""], "answer": [text], "asker": [""],
                            "answerer": [answerer], "answerer_title": [""]})
    return ent.entities(annotate(columns, progress=False), columns=columns, authority=authority)


def test_salutation_signature_and_site_names_left_in_a_text_are_not_entities():
    """When the Q&A parser cannot cut them off, the entity pass still skips them."""
    df = mentions_of("Dear Mr. Dean:\n\nStalin met Churchill, as Ask Mr. History readers know.\n\nJon Guttman",
                     answerer="Jon Guttman")
    assert df["text"].tolist() == ["Stalin", "Churchill"]


def test_short_forms_resolve_within_a_column():
    df = mentions_of("Theodore Roosevelt sailed. Later Roosevelt wrote to Adolf Hitler's envoy about Hitler.")
    assert canonical_of(df, "Roosevelt") == {"Theodore Roosevelt"}
    ambiguous = mentions_of("Franklin D. Roosevelt and Theodore Roosevelt were cousins; Roosevelt said so.")
    assert canonical_of(ambiguous, "Roosevelt") == {"Roosevelt"}


def test_shipped_alias_table_is_consistent():
    rows = ent.alias_rows()
    assert all(label in ENTITY_LABELS for _, _, label, _ in rows)
    qids = {}
    for alias, canonical, label, qid in rows:
        assert not qid or re.match(r"^Q[1-9]\d*$", qid), alias
        qids.setdefault(canonical, set()).add(qid)
    assert all(len(q) == 1 for q in qids.values()), "one QID per canonical name"
    known = {"United States": "Q30", "Soviet Union": "Q15180", "Japan": "Q17", "Germany": "Q183",
             "United Kingdom": "Q145", "Iran (Persia)": "Q794", "Adolf Hitler": "Q352", "Joseph Stalin": "Q855",
             "Franklin D. Roosevelt": "Q8007", "Benito Mussolini": "Q23559", "World War II": "Q362", "World War I": "Q361"}
    assert {c: next(iter(qids[c])) for c in known} == known


AUTHORITY = """# test authority file
alias,canonical,label,wikidata,decision
Roosevelt,,,,split
Far East,,,,ignore
Lend-Lease,Lend-Lease Act,LAW,,merge
Soviet Union,USSR,GPE,Q15180,merge
Gettysburg,Battle of Gettysburg,EVENT,,merge
"""


def test_authority_merge_split_ignore_and_unused(shipped_docs, shipped_columns):
    authority = ent.parse_authority(AUTHORITY)
    df = ent.entities(shipped_docs, columns=shipped_columns, authority=authority)
    assert canonical_of(df, "Roosevelt") == {"Roosevelt"}  # split: not merged into FDR
    assert "Far East" not in set(df["text"])  # ignore
    assert canonical_of(df, "Lend-Lease") == {"Lend-Lease Act"}  # merge
    assert canonical_of(df, "USSR") == canonical_of(df, "Soviet Union") == {"USSR"}  # renames a canonical
    assert [e.alias for e in authority.unused()] == ["Gettysburg"]
    counts = ent.entity_counts(df, authority=authority)
    assert counts.set_index("canonical").loc["USSR", "wikidata"] == "Q15180"


@pytest.mark.parametrize("text, message", [
    ("alias,canonical\nHitler,Adolf Hitler\n", "missing column(s) decision"),
    ("# header only\nalias,canonical\n", "missing column(s) decision"),
    ("alias,canonical,decision\nHitler,Adolf Hitler,fuse\n", "line 2: decision 'fuse'"),
    ("alias,canonical,decision\nHitler,,merge\n", "line 2: a merge needs a canonical name"),
    ("alias,canonical,label,decision\nHitler,Adolf Hitler,HUMAN,merge\n", "label 'HUMAN'"),
    ("alias,canonical,wikidata,decision\nHitler,Adolf Hitler,352,merge\n", "wikidata '352'"),
    ("alias,canonical,decision\nHitler,Adolf Hitler,merge\nhitler,Hitler,split\n", "line 3: alias 'hitler' already given on line 2"),
    ("alias,canonical,decision\nHitler,Adolf,Hitler,merge\n", "line 2: more fields"),
])
def test_malformed_authority_is_one_line_error(text, message):
    with pytest.raises(ValueError) as info:
        ent.parse_authority(text)
    assert message in str(info.value) and "\n" not in str(info.value)


def corpus_with(tmp_path: Path, authority: str | None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / f"{SHIPPED_ID}.txt", folder)
    if authority is not None:
        (folder / "entities.csv").write_text(authority, "utf-8")
    return folder


# --- tables -------------------------------------------------------------------------------------

def test_tables_have_explicit_dtypes_and_stable_order(shipped_entities, shipped_docs, shipped_columns):
    assert dict(shipped_entities.dtypes.astype(str)) == TABLES["entities"].dtypes
    again = ent.entities(shipped_docs, columns=shipped_columns)
    assert_frame_equal(shipped_entities, again)
    parts = shipped_entities["part"].tolist()
    assert parts == sorted(parts, key=["question", "answer"].index)
    counts = ent.entity_counts(shipped_entities)
    assert dict(counts.dtypes.astype(str)) == TABLES["entity_counts"].dtypes
    assert counts["mentions"].is_monotonic_decreasing
    assert counts.iloc[0].to_dict() == {"canonical": "Soviet Union", "label": "GPE", "mentions": 7, "columns": 1, "wikidata": "Q15180"}
    assert counts["mentions"].sum() == len(shipped_entities)


def test_entity_counts_and_cooccurrence_on_inline_mentions():
    mentions = pd.DataFrame({
        "column_id": ["a", "a", "a", "b", "b"], "part": ["answer"] * 5, "start": [0, 10, 40, 0, 10],
        "end": [5, 15, 45, 5, 15], "text": ["Stalin", "Hitler", "Japan", "Hitler", "Stalin"],
        "label": ["PERSON", "PERSON", "GPE", "PERSON", "PERSON"],
        "canonical": ["Joseph Stalin", "Adolf Hitler", "Japan", "Adolf Hitler", "Joseph Stalin"],
        "sentence": [0, 0, 1, 0, 2],
    }).astype({**TABLES["entities"].dtypes, "sentence": "int64"})
    counts = ent.entity_counts(mentions)
    expected = pd.DataFrame({"canonical": ["Adolf Hitler", "Joseph Stalin", "Japan"], "label": ["PERSON", "PERSON", "GPE"],
                             "mentions": [2, 2, 1], "columns": [2, 2, 1], "wikidata": ["Q352", "Q855", "Q17"]}).astype(TABLES["entity_counts"].dtypes)
    assert_frame_equal(counts, expected)
    pairs = ent.entity_cooccurrence(mentions, docs=None)
    expected = pd.DataFrame({
        "source": ["Adolf Hitler", "Adolf Hitler", "Japan"], "source_label": ["PERSON", "PERSON", "GPE"],
        "target": ["Joseph Stalin", "Japan", "Joseph Stalin"], "target_label": ["PERSON", "GPE", "PERSON"],
        "sentences": [1, 0, 0], "columns": [2, 1, 1],
    }).astype(TABLES["entity_cooccurrence"].dtypes)
    assert_frame_equal(pairs, expected)


def test_annotate_with_two_jobs_applies_the_same_rules(shipped_columns, shipped_entities, tmp_path):
    docs = annotate(shipped_columns, jobs=2, cache_dir=tmp_path, progress=False)
    assert_frame_equal(ent.entities(docs, columns=shipped_columns), shipped_entities)


# --- figures and the analyse run -------------------------------------------------------------------

def test_analyse_writes_tables_and_figures(tmp_path):
    from mrhistory.pipeline import analyse

    folder = corpus_with(tmp_path, None)
    second = (CORPUS / f"{SHIPPED_ID}.txt").read_text("utf-8").replace("Josef Stalin", "Stalin").replace("Persia (Iran)", "Persia")
    (folder / "second-column.txt").write_text(second, "utf-8")
    out = tmp_path / "out"
    analyse(folder, out, echo=lambda line: None, progress=False)
    for table in ("entities", "entity_counts", "entity_cooccurrence"):
        assert (out / "tables" / f"{table}.csv").is_file()
    for figure in ("entities_top", "entities_by_column", "entities_network"):
        for fmt in ("png", "svg"):
            assert (out / "figures" / f"{figure}.{fmt}").stat().st_size > 1000
    counts = pd.read_csv(out / "tables" / "entity_counts.csv", keep_default_na=False)
    assert counts.set_index("canonical").loc["Joseph Stalin", "columns"] == 2
