"""The curated period / region / theme classification: scores, evidence, overrides, the real column,
the synthetic corpus end to end, the one-line NMF skip of the CLI, and the figures."""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from .conftest import CORPUS, SHIPPED_ID
from mrhistory.names import name_key, name_words
from mrhistory.schema import TABLES
from mrhistory.topics import (PINNED, UNASSIGNED, column_topics, day_number, shipped_taxonomy, taxonomy_from_text,
                              theme_terms, unknown_places)
from tools.synthetic import synthetic_columns, synthetic_truth, write_synthetic_corpus

ENTITY_COLS = ["column_id", "part", "start", "end", "text", "label", "canonical"]
DATE_COLS = ["column_id", "part", "start", "end", "text", "edtf", "earliest", "latest", "precision", "inferred"]


def _columns(*ids: str) -> pd.DataFrame:
    return pd.DataFrame({"column_id": list(ids), "asker": "", "answerer": "", "published": ""}).astype("string")


def _dates(*rows) -> pd.DataFrame:
    """rows of (column_id, edtf, earliest, latest)."""
    return pd.DataFrame([{"column_id": c, "part": "answer", "start": 0, "end": 1, "text": e, "edtf": e,
                          "earliest": lo, "latest": hi, "precision": "year", "inferred": False} for c, e, lo, hi in rows],
                        columns=DATE_COLS)


def _entities(*rows) -> pd.DataFrame:
    """rows of (column_id, label, text, canonical)."""
    return pd.DataFrame([{"column_id": c, "part": "answer", "start": 0, "end": 1, "text": t, "label": lab, "canonical": can}
                         for c, lab, t, can in rows], columns=ENTITY_COLS)


def _facet(table: pd.DataFrame, column_id: str, facet: str) -> pd.DataFrame:
    return table.loc[(table["column_id"] == column_id) & (table["facet"] == facet)].reset_index(drop=True)


def _expected(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(TABLES["column_topics"].dtypes)).astype(TABLES["column_topics"].dtypes)


# --- small pieces -----------------------------------------------------------------------------

def test_day_numbers_order_bc_and_ad_days():
    assert day_number("-0043-03-15") < day_number("-0042-01-01") < day_number("0001-01-01") < day_number("1941-04-13")
    assert day_number("1941-04-14") - day_number("1941-04-13") == 1
    with pytest.raises(ValueError):
        day_number("April 1941")


def test_names_and_terms_are_compared_loosely():
    assert name_key("the U.S.S.R.") == name_key("USSR")
    assert name_key("Molotov–Ribbentrop Pact") == name_key("molotov-ribbentrop pact")
    assert name_words("Non-aggression pact") == ("non", "aggression", "pact")


def test_shipped_data_files_agree_with_the_taxonomy():
    t = shipped_taxonomy()
    assert all(region in t.regions for regions in t.places.values() for region in regions)
    assert all(theme in t.themes for themes in t.lexicon.values() for theme in themes)
    names = [p.name for p in t.periods]
    assert len(names) == len(set(names)) and names[0] == "Ancient" and names[-1] == "After 1991"
    # Every day from 3000 BC to 2100 falls in at least one period.
    spans = sorted(p.span for p in t.periods)
    reach = spans[0][1]
    for start, end in spans[1:]:
        assert start <= reach + 1, f"a gap before {start}"
        reach = max(reach, end)
    assert reach >= day_number("2100-01-01")


# --- period ------------------------------------------------------------------------------------

def test_period_score_is_the_share_of_date_evidence_with_split_spans():
    dates = _dates(("c1", "1941-04-13", "1941-04-13", "1941-04-13"),
                   ("c1", "1944", "1944-01-01", "1944-12-31"),
                   ("c1", "1945", "1945-01-01", "1945-12-31"),
                   ("c1", "1938", "1938-01-01", "1938-12-31"))
    got = _facet(column_topics(_columns("c1"), None, entities=None, dates=dates), "c1", "period")
    # 1945 is two-thirds World War II (to 2 September) and one-third Cold War.
    ww2 = (1 + 1 + (day_number("1945-09-02") + 1 - day_number("1945-01-01")) / 372) / 4
    assert_frame_equal(got, _expected([
        ("c1", "period", "World War II", round(ww2, 6), "1941-04-13 ×1; 1944 ×1; 1945 ×1 (67% inside)"),
        ("c1", "period", "Interwar", 0.25, "1938 ×1"),
    ]))


def test_events_count_for_their_period_and_nested_periods_put_the_shorter_first():
    dates = _dates(("c1", "1863-07-03", "1863-07-03", "1863-07-03"))
    entities = _entities(("c1", "EVENT", "Gettysburg", "Battle of Gettysburg"), ("c1", "EVENT", "the war", "the war"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=dates), "c1", "period")
    # The column names the war, so its date inside the war counts for the war, not its century.
    assert got["topic"].tolist() == ["American Civil War"]
    assert got["score"].tolist() == [1.0]
    assert got.loc[0, "evidence"] == "1863-07-03 ×1; EVENT Battle of Gettysburg ×1"
    # Without an EVENT naming the war the date still counts for the most specific period, the war.
    got = _facet(column_topics(_columns("c1"), None, entities=None, dates=dates), "c1", "period")
    assert got["topic"].tolist() == ["American Civil War"] and got["score"].tolist() == [1.0]


def test_a_date_counts_for_the_most_specific_period_it_falls_in():
    """The class of the 20th Maine column: Gettysburg's dates, the colonel's birth and his medal, and no
    EVENT of the war's list; the war is still the main period, not the 19th century around it."""
    dates = _dates(("c1", "1828-09-08", "1828-09-08", "1828-09-08"), ("c1", "1863-07-02", "1863-07-02", "1863-07-02"),
                   ("c1", "July 1863", "1863-07-01", "1863-07-31"), ("c1", "1893", "1893-01-01", "1893-12-31"))
    entities = _entities(("c1", "GPE", "Gettysburg", "Gettysburg"), ("c1", "ORG", "20th Maine", "20th Maine"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=dates), "c1", "period")
    assert got["topic"].tolist() == ["American Civil War", "19th century"]
    assert got["score"].tolist() == [0.5, 0.5]  # equal shares: the shorter period first
    assert "1863-07-02" not in got.loc[1, "evidence"]


def test_names_of_a_periods_states_and_armies_give_it_without_any_date():
    """The class of the column on the Confederacy that had no period: no date, no war named."""
    entities = _entities(("c1", "ORG", "the Confederacy", "Confederacy"), ("c1", "NORP", "Confederate", "Confederate"),
                         ("c1", "GPE", "Richmond", "Richmond"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=None), "c1", "period")
    assert got["topic"].tolist() == ["American Civil War"]
    assert got.loc[0, "evidence"] == "NORP Confederate ×1; ORG Confederacy ×1"
    vietnam = _entities(("c2", "GPE", "South Vietnam", "South Vietnam"), ("c2", "ORG", "Viet Cong", "Viet Cong"))
    assert _facet(column_topics(_columns("c2"), None, entities=vietnam, dates=None), "c2", "period")["topic"].tolist() == [
        "Cold War"]


def test_a_named_war_across_a_period_boundary_takes_its_dates_for_its_period():
    dates = _dates(("c1", "1918-04", "1918-04-01", "1918-04-30"), ("c1", "1918-07-17", "1918-07-17", "1918-07-17"),
                   ("c1", "1917-10", "1917-10-01", "1917-10-31"))
    named = _entities(("c1", "EVENT", "the Russian Civil War", "Russian Civil War"))
    got = _facet(column_topics(_columns("c1"), None, entities=named, dates=dates), "c1", "period")
    assert got["topic"].tolist() == ["Interwar", "World War I"]
    assert got.loc[0, "score"] == 0.75 and got.loc[1, "score"] == 0.25  # October 1917 is before the war began
    unnamed = _facet(column_topics(_columns("c1"), None, entities=None, dates=dates), "c1", "period")
    assert unnamed["topic"].tolist() == ["World War I"]  # by the calendar alone, 1918 is the Great War's


def test_a_named_war_beats_its_century_when_most_dates_fall_inside_it():
    # The Gatling-gun column: two dates in the war, one straddling its start, two after it.
    dates = _dates(("c1", "1861", "1861-01-01", "1861-12-31"), ("c1", "1862-11-04", "1862-11-04", "1862-11-04"),
                   ("c1", "1864", "1864-01-01", "1864-12-31"), ("c1", "1866", "1866-01-01", "1866-12-31"),
                   ("c1", "1898", "1898-01-01", "1898-12-31"))
    entities = _entities(("c1", "EVENT", "the Civil War", "American Civil War"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=dates), "c1", "period")
    assert got["topic"].tolist() == ["American Civil War", "19th century"]
    assert got.loc[0, "score"] > 0.6 > got.loc[1, "score"] > 0.2
    assert "1866 ×1" in got.loc[1, "evidence"] and "1862-11-04" not in got.loc[1, "evidence"]


def test_boer_war_battles_belong_to_the_19th_century():
    dates = _dates(("c1", "1900-01-23/1900-01-24", "1900-01-23", "1900-01-24"), ("c1", "1902-05", "1902-05-01", "1902-05-31"))
    entities = _entities(("c1", "EVENT", "Second Anglo-Boer War", "Second Anglo-Boer War"),
                         ("c1", "EVENT", "Battle of Spion Kop", "Battle of Spion Kop"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=dates), "c1", "period")
    # The war is filed under the 19th century with its dates (to May 31, 1902): both dates count there.
    assert got["topic"].tolist() == ["19th century"] and got.loc[0, "score"] == 1.0


def test_a_column_without_evidence_is_unassigned_with_the_reason():
    got = column_topics(_columns("c2"), None, entities=None, dates=None)
    assert_frame_equal(got, _expected([
        ("c2", "period", UNASSIGNED, 0.0, "no date mentions or known events (no dates table)"),
        ("c2", "region", UNASSIGNED, 0.0, "no places of the place table (no entities table)"),
        ("c2", "theme", UNASSIGNED, 0.0, "no terms of the theme lexicon"),
    ]))


# --- region ------------------------------------------------------------------------------------

def test_regions_from_places_old_names_and_two_region_places():
    entities = _entities(("c1", "GPE", "Formosa", "Formosa"), ("c1", "GPE", "Persia", "Iran"),
                         ("c1", "GPE", "Egypt", "Egypt"), ("c1", "GPE", "Hawaii", "Hawaii"),
                         ("c1", "PERSON", "Georgia", "Georgia"), ("c1", "GPE", "Atlantis", "Atlantis"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=None), "c1", "region")
    # Formosa 1 → Pacific; Iran 1 + Egypt 0.5 → Middle East; Egypt 0.5 → Africa; Hawaii 1 → Americas; of 4.
    # Equal scores keep the taxonomy's order; Africa (0.125) is under the threshold of 0.15.
    assert_frame_equal(got, _expected([
        ("c1", "region", "Middle East", 1.5 / 4, "Iran ×1; Egypt ×1"),
        ("c1", "region", "Pacific & East Asia", 0.25, "Formosa ×1"),
        ("c1", "region", "Americas", 0.25, "Hawaii ×1"),
    ]))


def test_demonyms_of_the_fighters_count_only_without_any_place():
    # The Red Baron column: Australian and Canadian airmen, shot down over the Somme valley.
    fighters = [("c1", "NORP", "Australian", "Australian")] * 3 + [("c1", "NORP", "Canadian", "Canadian")]
    entities = _entities(*fighters, ("c1", "LOC", "the Somme valley", "Somme valley"),
                         ("c1", "GPE", "Bertangles", "Bertangles"), *[("c2", *row[1:]) for row in fighters])
    got = column_topics(_columns("c1", "c2"), None, entities=entities, dates=None)
    assert_frame_equal(_facet(got, "c1", "region"), _expected([
        ("c1", "region", "Europe", 1.0, "Bertangles ×1; Somme valley ×1")]))
    # With no place at all, the demonyms are the only evidence there is, and they count.
    assert _facet(got, "c2", "region")["topic"].tolist() == ["Pacific & East Asia", "Americas"]


def test_demonyms_count_beside_a_single_place_mention():
    """The class of the Napoleon column that got only Africa: St Helena named once, the French and
    British throughout; one place mention is too little to silence the demonyms."""
    entities = _entities(("c1", "GPE", "St Helena", "Saint Helena"), ("c1", "NORP", "French", "French"),
                         ("c1", "NORP", "French", "French"), ("c1", "NORP", "British", "British"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=None), "c1", "region")
    assert got["topic"].tolist() == ["Europe", "Africa"]
    twice = _entities(("c2", "GPE", "St Helena", "Saint Helena"), ("c2", "GPE", "Longwood", "Saint Helena"),
                      ("c2", "NORP", "French", "French"))
    assert _facet(column_topics(_columns("c2"), None, entities=twice, dates=None), "c2", "region")["topic"].tolist() == [
        "Africa"]


@pytest.fixture(scope="module")
def actor_passages():
    from mrhistory.annotation import annotate
    from mrhistory.entities import entities

    texts = {"abroad": "The United States sent more advisers. The United States then expanded the bombing, and "
                       "U.S. forces took over the fighting. Most of the battles were fought in South Vietnam, around Saigon.",
             "home": "The protests grew in the United States, from Chicago to Berkeley, and in Washington."}
    cols = _columns(*texts).assign(question="", answer=list(texts.values())).astype("string")
    docs = annotate(cols, progress=False)
    return cols, docs, entities(docs, columns=cols)


def test_a_country_named_as_the_actor_weighs_less_than_the_places_where_it_happens(actor_passages):
    cols, docs, found = actor_passages
    got = column_topics(cols, docs, entities=found, dates=None)
    abroad = _facet(got, "abroad", "region")
    assert abroad.loc[0, "topic"] == "Pacific & East Asia"  # three actor mentions (1.5) against two places (2)
    assert "Americas" in set(abroad["topic"])
    assert _facet(got, "home", "region").loc[0, "topic"] == "Americas"  # "in the United States" is a place
    without_docs = _facet(column_topics(cols, None, entities=found, dates=None), "abroad", "region")
    assert without_docs.loc[0, "topic"] == "Americas"  # without the words around them, every mention weighs 1


def test_an_org_named_like_a_place_counts_half_and_other_orgs_not_at_all():
    # The small model tags "Midway" as ORG; "U.S. Navy" is no place.
    entities = _entities(("c1", "ORG", "Midway", "Midway"), ("c1", "ORG", "Midway", "Midway"),
                         ("c1", "ORG", "U.S. Navy", "United States Navy"), ("c1", "GPE", "Hawaii", "Hawaii"),
                         ("c1", "NORP", "Japanese", "Japanese"))
    got = _facet(column_topics(_columns("c1"), None, entities=entities, dates=None), "c1", "region")
    assert_frame_equal(got, _expected([("c1", "region", "Pacific & East Asia", 0.5, "Midway ×2"),
                                       ("c1", "region", "Americas", 0.5, "Hawaii ×1")]))
    assert unknown_places(entities) == {}


@pytest.mark.parametrize("place, region", [
    ("Cannae", "Europe"), ("Zama", "Africa"), ("Carthage", "Africa"), ("Hougoumont", "Europe"),
    ("Plains of Abraham", "Americas"), ("St. Lawrence River", "Americas"), ("Quiberon Bay", "Europe"),
    ("Osan", "Pacific & East Asia"), ("Yalu River", "Pacific & East Asia"), ("Ulundi", "Africa"),
    ("Tugela River", "Africa"), ("Port Stanley", "Americas"), ("Jaffa", "Middle East"), ("Acre", "Middle East"),
    ("Pomerania", "Eastern Europe & Russia"), ("Magdeburg", "Europe"), ("Bilbao", "Europe")])
def test_battle_sites_and_historical_places_are_in_the_place_table(place, region):
    assert shipped_taxonomy().places[name_key(place)] == (region,)


# --- theme (real spaCy) ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def passages():
    from mrhistory.annotation import annotate

    cols = _columns("air", "diplo", "place").assign(
        question=["", "", ""],
        answer=["The bombers flew from a forward air base, and the pilots bombed the airfields.",
                "Stalin signed a non-aggression pact; later Germany declared war on the United States.",
                "He visited Pearl Harbor in Hawaii."]).astype("string")
    return cols, annotate(cols, progress=False)


def test_theme_lexicon_matches_lemmas_phrases_and_hyphens(passages):
    cols, docs = passages
    got = column_topics(cols, docs, entities=None, dates=None)
    air = _facet(got, "air", "theme")
    # "bomber" is also a word of weapons & technology (weight 0.5): 6 / 6.5 of the evidence is air war.
    assert air["topic"].tolist() == ["air war"] and air.loc[0, "score"] == round(6 / 6.5, 6)
    assert air.loc[0, "evidence"] == "air base ×1; airfield ×1; bomb ×1; bomber ×1; fly ×1; pilot ×1"
    diplo = _facet(got, "diplo", "theme")
    assert diplo.loc[0, "topic"] == "diplomacy & politics"
    assert diplo.loc[0, "evidence"] == "declare war ×1; non-aggression pact ×1"


def test_words_inside_place_names_are_not_lexicon_words(passages):
    cols, docs = passages  # "harbor" is a naval word, but not in "Pearl Harbor"
    assert _facet(column_topics(cols, docs, entities=None, dates=None), "place", "theme")["topic"].tolist() == [UNASSIGNED]


def test_theme_terms_lists_every_term_found_with_its_weight_per_theme(passages):
    cols, docs = passages
    got = theme_terms(docs)
    air = got[got["column_id"] == "air"].reset_index(drop=True)
    # "bomber" counts for both themes; weights are occurrences × the lexicon weight, strongest first.
    assert air[["theme", "term", "occurrences", "weight"]].values.tolist() == [
        ["air war", "air base", 1, 1.0], ["air war", "airfield", 1, 1.0], ["air war", "bomb", 1, 1.0],
        ["air war", "bomber", 1, 1.0], ["air war", "fly", 1, 1.0], ["air war", "pilot", 1, 1.0],
        ["weapons & technology", "bomber", 1, 0.5]]
    assert set(got["column_id"]) == {"air", "diplo"}  # no lexicon word in "He visited Pearl Harbor in Hawaii."
    table = column_topics(cols, docs, entities=None, dates=None)
    total = got.groupby("column_id")["weight"].sum()
    for row in table[(table["facet"] == "theme") & (table["topic"] != UNASSIGNED)].itertuples():  # scores: shares of these weights
        mine = got[(got["column_id"] == row.column_id) & (got["theme"] == row.topic)]["weight"].sum()
        assert row.score == round(mine / total[row.column_id], 6)
    assert_frame_equal(theme_terms(None), got.iloc[:0].reset_index(drop=True))


# --- overrides ---------------------------------------------------------------------------------

OVERRIDES = """
[[period]]
name = "Napoleonic Wars"
start = "1803-05-18"
end = "1815-11-20"
events = ["Napoleonic Wars"]

[[region]]
name = "Atlantic Ocean"

[facets.region]
min_score = 0.5

[places]
"Atlantis" = "Atlantic Ocean"
"Egypt" = "Middle East"
"Bermuda" = "Nowhere"

[lexicon."naval war"]
"kraken" = 1.0

[lexicon."not a theme"]
"x" = 1

[[pin]]
column_id = "c1"
facet = "theme"
topics = ["intelligence"]

[nmf]
n_topics = 3
"""


def test_corpus_overrides_add_replace_pin_and_report_problems(tmp_path):
    t = taxonomy_from_text(OVERRIDES)
    assert "Napoleonic Wars" in t.topics("period") and "Atlantic Ocean" in t.regions
    assert t.places[name_key("Egypt")] == ("Middle East",) and t.lexicon[("kraken",)] == {"naval war": 1.0}
    assert t.nmf == {"n_topics": 3}
    assert len(t.problems) == 2 and any("Nowhere" in p for p in t.problems) and any("not a theme" in p for p in t.problems)
    entities = _entities(("c1", "GPE", "Atlantis", "Atlantis"), ("c1", "GPE", "Egypt", "Egypt"), ("c1", "GPE", "Egypt", "Egypt"))
    dates = _dates(("c1", "1805-10-21", "1805-10-21", "1805-10-21"))
    got = column_topics(_columns("c1"), None, entities=entities, dates=dates, taxonomy=t)
    assert _facet(got, "c1", "period")["topic"].tolist() == ["Napoleonic Wars"]  # the most specific period
    assert _facet(got, "c1", "region")["topic"].tolist() == ["Middle East"]  # Atlantic is 1/3 < 0.5
    assert _facet(got, "c1", "theme").values.tolist() == [["c1", "theme", "intelligence", 1.0, PINNED]]
    assert shipped_taxonomy().places[name_key("Egypt")] == ("Middle East", "Africa")  # the shipped copy is untouched


def test_the_shipped_example_overrides_file_applies_cleanly(tmp_path):
    from importlib import resources

    example = resources.files("mrhistory").joinpath("data/topics.example.toml").read_text("utf-8")
    t = taxonomy_from_text(example)
    assert t.problems == []
    assert "medicine" in t.themes and t.lexicon[("field", "hospital")] == {"medicine": 1.0}
    assert name_key("Georgia") not in t.places and t.nmf == {"n_topics": 8, "min_columns": 20}


def test_an_unreadable_overrides_file_is_a_problem_not_a_crash(tmp_path):
    t = taxonomy_from_text("[[period]\nname = 'x'")
    assert len(t.problems) == 1 and "topics.toml not used" in t.problems[0]
    assert t.topics("period") == shipped_taxonomy().topics("period")


# --- the shipped column ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped_topics(shipped_columns, shipped_docs):
    from mrhistory.dates import dates_table
    from mrhistory.entities import entities

    return column_topics(shipped_columns, shipped_docs, entities=entities(shipped_docs, columns=shipped_columns),
                         dates=dates_table(shipped_columns))


def test_shipped_column_is_world_war_ii_pacific_diplomacy_and_air_war(shipped_topics):
    period = _facet(shipped_topics, SHIPPED_ID, "period")
    regions = _facet(shipped_topics, SHIPPED_ID, "region")
    themes = _facet(shipped_topics, SHIPPED_ID, "theme")
    assert period.loc[0, "topic"] == "World War II" and period.loc[0, "score"] > 0.8
    assert "EVENT Great Patriotic War ×1" in period.loc[0, "evidence"] and "1941-04-13 ×1" in period.loc[0, "evidence"]
    assert "Pacific & East Asia" in set(regions["topic"]) and "Eastern Europe & Russia" in set(regions["topic"])
    assert {"diplomacy & politics", "air war"} <= set(themes["topic"])
    assert (shipped_topics["evidence"].str.len() > 0).all() and UNASSIGNED not in set(shipped_topics["topic"])
    assert "pact" in themes.set_index("topic").loc["diplomacy & politics", "evidence"]
    assert "bomber" in themes.set_index("topic").loc["air war", "evidence"]


# --- the synthetic corpus, end to end ---------------------------------------------------------------

@pytest.fixture(scope="module")
def synthetic_runs(tmp_path_factory):
    """The whole pipeline, twice, on the synthetic corpus written as files."""
    from mrhistory.pipeline import analyse

    corpus = write_synthetic_corpus(tmp_path_factory.mktemp("synthetic") / "corpus", n=40, seed=0)
    outs = [tmp_path_factory.mktemp(f"out{i}") for i in (1, 2)]
    results = [analyse(corpus, out, echo=lambda line: None, progress=False) for out in outs]
    return corpus, outs, results


def test_synthetic_columns_are_read_as_written(synthetic_runs):
    _, _, (result, _) = synthetic_runs
    read = result.tables["columns"].set_index("column_id")
    made = synthetic_columns(40, 0).set_index("column_id")
    assert read.index.tolist() == made.index.tolist()
    for field in ("question", "answer", "asker", "answerer", "published", "title"):
        assert read[field].tolist() == made[field].tolist(), field


def test_synthetic_columns_land_in_their_known_period_region_and_theme(synthetic_runs):
    _, _, (result, _) = synthetic_runs
    table = result.tables["column_topics"]
    truth = synthetic_truth(40, 0)
    misses = []
    for row in truth.itertuples(index=False):
        period = _facet(table, row.column_id, "period")["topic"].tolist()
        regions = set(_facet(table, row.column_id, "region")["topic"])
        themes = set(_facet(table, row.column_id, "theme")["topic"])
        for facet, ok in (("period", period[:1] == [row.period]), ("region", row.region in regions), ("theme", row.theme in themes)):
            if not ok:
                misses.append((row.column_id, facet))
    assert misses == []


def test_two_runs_write_identical_topic_tables_and_figures(synthetic_runs):
    _, (out1, out2), (result, _) = synthetic_runs
    assert {"column_topics", "topic_terms", "column_topic_weights"} <= set(result.tables)
    for rel in ("tables/column_topics.csv", "tables/topic_terms.csv", "tables/column_topic_weights.csv",
                "figures/topics_columns_per_topic.png", "figures/topics_by_year.svg", "figures/topic_model_terms.pdf"):
        assert (out1 / rel).read_bytes() == (out2 / rel).read_bytes(), rel


def test_nmf_settings_come_from_the_corpus_overrides(tmp_path, synthetic_runs):
    from mrhistory.pipeline import analyse

    corpus, _, _ = synthetic_runs
    (tmp_path / "corpus").mkdir()
    for path in corpus.iterdir():
        (tmp_path / "corpus" / path.name).write_bytes(path.read_bytes())
    (tmp_path / "corpus" / "topics.toml").write_text(
        '[nmf]\nn_topics = 3\n[[pin]]\ncolumn_id = "nope"\nfacet = "theme"\ntopics = ["air war"]\n', encoding="utf-8")
    result = analyse(tmp_path / "corpus", tmp_path / "out", echo=lambda line: None, progress=False)
    assert sorted(result.tables["topic_terms"]["topic"].unique()) == [1, 2, 3]
    assert "topics: topics.toml pins topics of column(s) not in the corpus: nope" in result.messages


# --- the command line on the one-column corpus -------------------------------------------------

def test_analyse_on_one_column_says_in_one_line_that_nmf_was_skipped(tmp_path, capsys):
    from mrhistory.cli import main

    assert main(["analyse", str(CORPUS), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err.splitlines()
    skipped = [line for line in err if "NMF" in line]
    assert len(skipped) == 1
    assert skipped[0].startswith("topics: NMF topic model skipped: 1 column, fewer than the 20 it needs")
    assert (tmp_path / "out" / "tables" / "column_topics.csv").is_file()
    assert not (tmp_path / "out" / "tables" / "topic_terms.csv").exists()
    assert (tmp_path / "out" / "figures" / "topics_columns_per_topic.png").is_file()


def test_topics_command_prints_the_classification_of_chosen_columns(capsys):
    from mrhistory.cli import main

    assert main(["topics", str(CORPUS), "--column", SHIPPED_ID, "--facet", "period"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "column_id,facet,topic,score,evidence"
    assert out[1].startswith(f"{SHIPPED_ID},period,World War II,0.88") and len(out) == 2
    assert main(["topics", str(CORPUS), "--column", "no-such-column"]) == 2
    assert "no column 'no-such-column'" in capsys.readouterr().err


# --- figures ---------------------------------------------------------------------------------

def test_figures_with_one_column_and_without_publication_dates(shipped_topics, shipped_columns):
    from mrhistory.figures.topics import topic_counts, topic_figures

    figures = topic_figures(shipped_topics, shipped_columns, shipped_taxonomy())
    assert [name for name, *_ in figures] == ["topics_columns_per_topic"]  # no dates, no NMF
    counts = topic_counts(shipped_topics, "region", shipped_taxonomy().regions).set_index("topic")
    assert counts.loc["Eastern Europe & Russia", "main"] + counts.loc["Pacific & East Asia", "main"] == 1
    assert counts.loc["Pacific & East Asia", "main"] + counts.loc["Pacific & East Asia", "also"] == 1
    assert counts.loc["Africa"].tolist() == [0, 0]


# --- theme lexicon fixes after the held-out measurement (real spaCy) ------------------------------

@pytest.fixture(scope="module")
def theme_passages():
    from mrhistory.annotation import annotate

    texts = {
        "ranks": "The colonel, a lieutenant and the commander of the legion watched as the bombers bombed the town.",
        "summit": "The infantry climbed to the summit of the hill at dawn.",
        "added": "The codebreakers decrypted the cipher. A bazooka and an antitank gun stopped the tank. "
                 "He made peace. The famous pilot was awarded the Victoria Cross.",
    }
    cols = _columns(*texts).assign(question="", answer=list(texts.values())).astype("string")
    return cols, annotate(cols, progress=False)


def test_ranks_and_unit_words_do_not_decide_land_warfare(theme_passages):
    cols, docs = theme_passages
    themes = _facet(column_topics(cols, docs, entities=None, dates=None), "ranks", "theme")
    assert themes.loc[0, "topic"] == "air war"
    terms = theme_terms(docs).query("column_id == 'ranks' and theme == 'land warfare'")
    assert set(terms["term"]) == {"colonel", "lieutenant", "commander", "legion"} and (terms["weight"] == 0.25).all()


def test_summit_of_a_hill_is_not_diplomacy(theme_passages):
    cols, docs = theme_passages
    assert "diplomacy & politics" not in set(_facet(column_topics(cols, docs, entities=None, dates=None), "summit", "theme")["topic"])


def test_codebreaking_antitank_weapons_peace_and_fame_are_lexicon_terms(theme_passages):
    cols, docs = theme_passages
    terms = theme_terms(docs).query("column_id == 'added'")
    found = set(zip(terms["theme"], terms["term"]))
    assert {("intelligence", "codebreaker"), ("intelligence", "decrypt"), ("intelligence", "cipher"),
            ("weapons & technology", "bazooka"), ("weapons & technology", "antitank gun"),
            ("diplomacy & politics", "peace"), ("memory & historiography", "famous"),
            ("memory & historiography", "victoria cross")} <= found
