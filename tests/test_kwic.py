"""Keyword in context: canonical names, aliases and plain words, from the library and the CLI."""
from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import mrhistory
from mrhistory import entities as ent
from mrhistory.cli import main
from mrhistory.concordance import KWIC_SCHEMA, format_kwic

from .conftest import CORPUS, SHIPPED_ID


def frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(SHIPPED_ID, *r) for r in rows], columns=list(KWIC_SCHEMA)).astype(KWIC_SCHEMA)


def test_kwic_finds_an_entity_by_any_alias(shipped_columns):
    expected = frame([("answer", "non-aggression. This freed", "Josef Stalin", "to focus his")])
    assert_frame_equal(mrhistory.kwic(shipped_columns, "Stalin", window=3), expected)
    assert_frame_equal(mrhistory.kwic(shipped_columns, "Joseph Stalin", window=3), expected)


def test_kwic_lists_every_spelling_of_the_canonical_entity(shipped_columns):
    df = mrhistory.kwic(shipped_columns, "the Soviet Union", window=2)
    # the 7 tagged mentions (entity_counts says 7), not the "USSR" inside "USSR-Japanese Neutrality Pact"
    assert df["match"].tolist() == ["USSR"] * 3 + ["Soviet Union", "USSR", "USSR", "Soviet Union"]
    assert df["part"].tolist() == ["question"] * 3 + ["answer"] * 4
    assert df.iloc[4].to_dict() == {"column_id": SHIPPED_ID, "part": "answer", "left": "of the",
                                    "match": "USSR", "right": "’s alliance"}


def test_an_entity_is_never_matched_inside_another_entity(shipped_docs, shipped_columns):
    mentions = ent.entities(shipped_docs, columns=shipped_columns)
    soviet = mentions[mentions["canonical"] == "Soviet"]
    lines = mrhistory.kwic(shipped_columns, "Soviet", window=1, entities=mentions)
    assert len(lines) == len(soviet) == 5  # not the "Soviet" of "Soviet Union"
    assert lines["match"].tolist() == soviet["text"].tolist()
    assert not lines["right"].str.startswith("Union").any()


def test_untagged_adds_missed_spellings_but_never_inside_another_entity(shipped_docs, shipped_columns):
    mentions = ent.entities(shipped_docs, columns=shipped_columns)
    missed = mentions.index[(mentions["text"] == "USSR") & (mentions["part"] == "answer")][0]
    fewer = mentions.drop(index=missed).reset_index(drop=True)  # as if the recogniser had missed one
    assert len(mrhistory.kwic(shipped_columns, "USSR", entities=fewer)) == 6
    found = mrhistory.kwic(shipped_columns, "USSR", entities=fewer, untagged=True)
    assert_frame_equal(found, mrhistory.kwic(shipped_columns, "USSR", entities=mentions))
    assert len(found) == 7  # and still not the "USSR" of the Neutrality Pact


def test_kwic_from_precomputed_tables_needs_no_nlp(shipped_docs, shipped_columns):
    mentions = ent.entities(shipped_docs, columns=shipped_columns)
    from_docs = mrhistory.kwic(shipped_docs, "Persia", window=4, entities=mentions)
    assert from_docs["match"].tolist() == ["Persia", "Iran"]
    assert_frame_equal(from_docs, mrhistory.kwic(shipped_columns, "Iran", window=4, entities=mentions))


def test_kwic_searches_plain_words_and_honours_the_window(shipped_columns):
    df = mrhistory.kwic(shipped_columns, "bomber", window=0)
    assert_frame_equal(df, frame([("answer", "", "bomber", "")]))
    assert mrhistory.kwic(shipped_columns, "Guttman", window=5).empty  # the signature is not searched


def test_kwic_rejects_an_empty_term(shipped_columns):
    with pytest.raises(ValueError, match="non-empty term"):
        mrhistory.kwic(shipped_columns, "  ")


def test_cli_prints_an_aligned_concordance(capsys):
    assert main(["kwic", "Roosevelt", str(CORPUS), "--window", "4"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"# {SHIPPED_ID} · answer"
    assert out[1].strip() == "much to satisfaction of  [Franklin D. Roosevelt]  (who still had the"
    assert out[2].endswith("soon followed suit, saving  [Roosevelt]  the trouble of declaring")
    assert len(out[1].split("[")[0]) == len(out[2].split("[")[0])  # left contexts right-aligned


def test_cli_csv_and_no_match(capsys):
    assert main(["kwic", "Hitler", str(CORPUS), "--window", "1", "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["column_id,part,left,match,right",
                     f"{SHIPPED_ID},answer,and,Adolf Hitler,knew",
                     f'{SHIPPED_ID},answer,"matter,",Hitler,declared']
    assert main(["kwic", "Napoleon", str(CORPUS)]) == 1
    assert "no match for 'Napoleon'" in capsys.readouterr().err


def test_format_kwic_truncates_long_contexts():
    df = pd.DataFrame([("c", "answer", "a " * 50, "X", "b " * 50)], columns=list(KWIC_SCHEMA)).astype(KWIC_SCHEMA)
    left, right = format_kwic(df, width=20).splitlines()[1].split("  [X]  ")
    assert len(left) == 20 and left.startswith("…") and len(right) == 20 and right.endswith("…")
