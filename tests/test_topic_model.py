"""The NMF topic model: what it counts, that it is reproducible, and that it declines small corpora."""
from __future__ import annotations

import numpy as np
import pytest
from pandas.testing import assert_frame_equal

from .conftest import SHIPPED_ID
from mrhistory.topic_model import MIN_COLUMNS, column_terms, default_n_topics, stock_words, topic_labels, topic_model
from tools.synthetic import synthetic_columns


@pytest.fixture(scope="module")
def synthetic():
    from mrhistory.annotation import annotate
    from mrhistory.entities import entities

    columns = synthetic_columns(40, 0)
    docs = annotate(columns, progress=False)
    return columns, docs, entities(docs, columns=columns)


def test_default_number_of_topics_grows_slowly_with_the_corpus():
    assert [default_n_topics(n) for n in (20, 30, 100, 500, 10_000)] == [3, 4, 7, 16, 20]


def test_terms_are_content_lemmas_without_own_names_chrome_or_dates(shipped_columns, shipped_docs):
    from mrhistory.entities import entities

    terms = column_terms(shipped_columns, shipped_docs, entities=entities(shipped_docs, columns=shipped_columns))[SHIPPED_ID]
    assert {"bomber", "pact", "plane", "Soviet Union", "Adolf Hitler", "Great Patriotic War"} <= set(terms)
    assert terms.count("Adolf Hitler") == 2  # "Adolf Hitler" and "Hitler", one term
    lower = {t.lower() for t in terms}
    assert not lower & {"dean", "tony", "jon", "guttman", "the", "we", "why", "april", "december", "question"}
    assert not lower & stock_words()


def test_terms_without_an_entities_table_are_single_lemmas(shipped_columns, shipped_docs):
    terms = column_terms(shipped_columns, shipped_docs)[SHIPPED_ID]
    assert "hitler" in terms and "Adolf Hitler" not in terms and "dean" not in terms


def test_a_small_corpus_is_declined_in_one_line(shipped_columns, shipped_docs):
    model = topic_model(shipped_columns, shipped_docs)
    assert model.skipped.startswith(f"1 column, fewer than the {MIN_COLUMNS} it needs")
    assert "\n" not in model.skipped
    assert model.terms.empty and model.weights.empty
    assert list(model.terms.columns) == ["topic", "rank", "term", "weight"]
    assert list(model.weights.columns) == ["column_id", "topic", "weight"]


def test_the_minimum_is_a_setting(synthetic):
    columns, docs, ents = synthetic
    assert topic_model(columns, docs, entities=ents, settings={"min_columns": 41}).skipped.startswith("40 columns, fewer than the 41")
    assert topic_model(columns.head(5), docs, settings={"min_columns": 5}).skipped == ""


def test_two_fits_give_identical_tables(synthetic):
    columns, docs, ents = synthetic
    a = topic_model(columns, docs, entities=ents)
    b = topic_model(columns.sample(frac=1, random_state=3), docs.sample(frac=1, random_state=4), entities=ents)
    assert a.skipped == "" and a.n_topics == default_n_topics(40) == 4
    assert_frame_equal(a.terms, b.terms)
    assert_frame_equal(a.weights, b.weights)


def test_tables_are_shares_sorted_and_numbered_by_prevalence(synthetic):
    columns, docs, ents = synthetic
    model = topic_model(columns, docs, entities=ents, n_topics=5, top_terms=6)
    w = model.weights
    assert len(w) == 40 * 5 and w["column_id"].is_monotonic_increasing
    sums = w.groupby("column_id")["weight"].sum()
    assert np.allclose(sums[sums > 0], 1, atol=1e-5)
    prevalence = w.groupby("topic")["weight"].sum()
    assert list(prevalence.index) == [1, 2, 3, 4, 5] and prevalence.is_monotonic_decreasing
    t = model.terms
    assert t.groupby("topic")["rank"].apply(list).tolist() == [[1, 2, 3, 4, 5, 6]] * 5
    assert all(g["weight"].is_monotonic_decreasing for _, g in t.groupby("topic"))
    assert t["weight"].round(6).equals(t["weight"])
    assert len(topic_labels(t)) == 5 and topic_labels(t)[1].startswith("1: ")


def test_topics_separate_naval_from_land_columns(synthetic):
    columns, docs, ents = synthetic
    model = topic_model(columns, docs, entities=ents, n_topics=6)
    best = model.weights.sort_values(["column_id", "weight"], ascending=[True, False]).groupby("column_id")["topic"].first()
    # The Armada and Trafalgar share a topic; Cannae and the Somme do not share it with them.
    assert best["armada"] == best["trafalgar"]
    assert best["cannae"] != best["armada"] and best["somme-first-day"] != best["armada"]
