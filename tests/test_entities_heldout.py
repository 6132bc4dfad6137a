"""Entity accuracy on eight held-out columns the rules' author had not seen.

tests/gold/entities_shipped.csv was written by the person who wrote the rules, so its scores
(P 1.00 / R 0.97) are in-sample. The eight columns in tests/data/heldout_columns/ (Second Punic
War, Third Crusade, Waterloo, the Civil War Gatling gun, Isandlwana, the Red Baron, Midway, Korea
1950) and their gold list tests/gold/entities_heldout.csv (256 (canonical, label) pairs) were
written before reading entity_rules.py, aliases.csv or any output; see the gold file's header for
its conventions and for the three canonical names aligned afterwards with existing alias rows.

Measured, (canonical, label) pairs per column, pooled over the eight columns:

* BEFORE the fixes (the blind, held-out result; rules version 2, commit cea57c0):
  precision 0.561, recall 0.578 (148 right, 116 extra, 108 missed) against the gold as first
  written; 0.580 / 0.598 after the three documented canonical alignments. Names only (labels
  ignored): 0.785 / 0.801. Per column precision ranged from 0.42 (Punic War: Roman names tagged
  ORG) to 0.73 (Civil War).
* AFTER the class fixes of rules version 3 (see tests/test_entities_classes.py): precision
  0.838, recall 0.828 (212 right, 41 extra, 44 missed); names only 0.932 / 0.914. This is no
  longer a blind number: the classes were chosen by looking at these columns' errors, so expect
  new columns to score between the two.
* AFTER rules version 4 (the classes found by test_entities_blind.py, not by these columns):
  precision 0.845, recall 0.828 (212 right, 39 extra, 44 missed).
* AFTER rules version 5 and the gazetteer (issue 12; classes found on CrossNER politics train
  and on texts written for the tests, not on these columns): precision 0.861, recall 0.848
  (217 right, 35 extra, 39 missed); names only 0.940 / 0.926.

The thresholds sit about two points (five pairs) below the after-fix numbers, so a spaCy patch
release does not fail the suite while losing any one class of fix (each is worth three or more
pairs here) does; every column must also keep precision and recall of at least 0.6.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from mrhistory import entities as ent
from mrhistory.annotation import annotate
from mrhistory.read import load_corpus

HERE = Path(__file__).parent
HELDOUT = HERE / "data" / "heldout_columns"
GOLD = HERE / "gold" / "entities_heldout.csv"


@pytest.fixture(scope="module")
def heldout():
    columns = load_corpus(HELDOUT)
    found = ent.entities(annotate(columns, progress=False), columns=columns)
    gold = pd.read_csv(GOLD, comment="#", keep_default_na=False, dtype="string")
    return columns, found, gold


def scores(found: pd.DataFrame, gold: pd.DataFrame) -> dict[str, tuple[int, int, int]]:
    """Per column: (right, extra, missed) (canonical, label) pairs."""
    out = {}
    for column_id, g in gold.groupby("column_id"):
        f = found[found["column_id"] == column_id]
        gp, fp = set(zip(g["canonical"], g["label"])), set(zip(f["canonical"], f["label"]))
        out[column_id] = (len(gp & fp), len(fp - gp), len(gp - fp))
    return out


def test_every_heldout_column_is_read_with_its_gold(heldout):
    columns, _, gold = heldout
    assert len(columns) == 8
    assert set(columns["column_id"]) == set(gold["column_id"])
    assert set(gold["label"]) <= set(ent.ENTITY_LABELS)
    assert not gold.duplicated(["column_id", "canonical", "label"]).any()
    assert (columns["answerer"] == "Jon Guttman").all() and (columns["asker"] != "").all()


def test_heldout_precision_and_recall(heldout):
    _, found, gold = heldout
    per_column = scores(found, gold)
    right, extra, missed = (sum(v[i] for v in per_column.values()) for i in range(3))
    precision, recall = right / (right + extra), right / (right + missed)
    print(f"held-out entities: precision {precision:.3f}, recall {recall:.3f} "
          f"({right} right, {extra} extra, {missed} missed)")
    assert precision >= 0.84  # measured 0.861 (RULES_VERSION 5), 0.845 (4), 0.838 (3)
    assert recall >= 0.82  # measured 0.848 (5), 0.828 (4)
    for column_id, (r, e, m) in per_column.items():
        assert r / (r + e) >= 0.6 and r / (r + m) >= 0.6, column_id


def test_no_entity_from_asker_salutation_or_signature(heldout):
    columns, found, _ = heldout
    names = set(columns["asker"]) | {"Jon Guttman", "Research Director", "World History"}
    assert not set(found["text"]) & names
    assert not found["text"].str.startswith(("Mr. ", "Ms. ")).any()
