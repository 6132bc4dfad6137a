"""The corpus-lengths figure: row order, labels, and the switch to histograms for big corpora."""
from __future__ import annotations

import pandas as pd
import pytest

from mrhistory.figures import SINGLE_COLUMN_IN, figure_bytes
from mrhistory.figures.corpus import MAX_LABELLED, corpus_lengths_figure


def _columns(rows):
    return pd.DataFrame(rows, columns=["column_id", "title", "published", "question_words", "answer_words"]).astype(
        {"column_id": "string", "title": "string", "published": "string", "question_words": "int64", "answer_words": "int64"})


COLUMNS = _columns([
    ("undated", "", "", 40, 300),
    ("later", "Why did the Soviets intern the Doolittle raiders who landed at Vladivostok?", "2012-05-01", 80, 500),
    ("earlier", "Pearl Harbor", "2009-12-07", 60, 420),
])


def _labels(fig):
    return [t.get_text() for t in fig.axes[0].get_yticklabels()]


def test_rows_run_oldest_first_undated_last_with_year_and_shortened_title():
    fig = corpus_lengths_figure(COLUMNS)
    assert _labels(fig) == [
        "Pearl Harbor (2009)",
        "Why did the Soviets intern the Doolittle… (2012)",
        "undated",
    ]
    assert list(fig.axes[0].get_yticks()) == [2, 1, 0]  # the first row is drawn at the top
    narrow = corpus_lengths_figure(COLUMNS, width=SINGLE_COLUMN_IN)
    assert _labels(narrow)[1] == "Why did the Soviets… (2012)"


def test_points_are_the_word_counts():
    ax = corpus_lengths_figure(COLUMNS).axes[0]
    questions, answers = (c.get_offsets() for c in ax.collections)
    assert sorted(questions[:, 0].tolist()) == [40, 60, 80]
    assert sorted(answers[:, 0].tolist()) == [300, 420, 500]


def test_drawn_in_the_project_style():
    ax = corpus_lengths_figure(COLUMNS).axes[0]
    assert ax.get_yticklabels()[0].get_fontsize() == pytest.approx(7)
    assert ax.get_legend().get_texts()[0].get_fontsize() == pytest.approx(7)
    assert not ax.get_legend().get_frame_on()


def test_a_large_corpus_gets_two_histograms():
    n = MAX_LABELLED + 1
    big = _columns([(f"c{i:03d}", "", "", 50 + i, 400 + i) for i in range(n)])
    fig = corpus_lengths_figure(big)
    assert len(fig.axes) == 2
    assert sum(p.get_height() for p in fig.axes[0].patches) == n
    assert fig.axes[1].get_title(loc="left").startswith("Answers, median 420 words")


def test_an_empty_corpus_draws_a_message_not_an_error():
    fig = corpus_lengths_figure(COLUMNS.iloc[0:0])
    assert "no readable columns" in fig.axes[0].texts[0].get_text()
    assert figure_bytes(fig, "png")


def test_same_table_same_bytes():
    assert figure_bytes(corpus_lengths_figure(COLUMNS), "svg") == figure_bytes(corpus_lengths_figure(COLUMNS.iloc[::-1]), "svg")
