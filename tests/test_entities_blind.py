"""Blind entity accuracy on six columns written for this measurement (tests/data/blind_columns/).

The columns (the Thirty Years' War, Quebec 1759, Spion Kop, Tsushima, Guernica, HMS Sheffield)
and their gold list tests/gold/entities_blind.csv (183 (canonical, label) pairs, conventions in
its header) were written by someone who had not read entity_rules.py, entity_rules.toml,
aliases.csv, the other gold files or the heldout columns, and were not edited after measuring.
The system was measured as it stood on main at commit 3d5590e (rules after the version-3 class
fixes), with no change to product code or data.

Measured, distinct (canonical, label) pairs per column, pooled over the six columns:
  pairs:      precision 0.761, recall 0.765 (140 right, 44 extra, 43 missed)
  names only: precision 0.890, recall 0.885 (161 right, 20 extra, 21 missed; labels ignored)
  per column (pairs P / R): Quebec 0.85/0.79, Tsushima 0.91/0.88, Sheffield 0.77/0.74,
  Spion Kop 0.68/0.75, Thirty Years' War 0.76/0.78, Guernica 0.63/0.65.
This sits between the held-out result before the class fixes (0.58/0.60) and after (0.84/0.83),
as test_entities_heldout.py predicted. The thresholds below are a blind REGRESSION FLOOR set
about three points (five pairs) below the measurement, not a target: do not tune rules to these
columns, or they stop measuring anything; write new blind columns instead.

Error classes (pair level; a right name with a wrong label is one extra and one miss):
1. Wrong label, name right (23 of the 44 extras, counting the class-2 duplicates):
   a. ships, missiles, aircraft as PERSON/GPE/NORP/ORG: Knyaz Suvorov PERSON, Atlantic Conveyor
      GPE, Exocet NORP ("Exocets" too), Dassault Super Étendard ORG;
   b. places as PERSON/ORG/PRODUCT/FAC: Spion Kop PERSON (question and answer), Río Grande ORG,
      Dogger Bank ORG, Livonia ORG, Lancashire PRODUCT, Port Stanley FAC; Anfield (a stadium) GPE;
   c. historical states as ORG/LOC: Orange Free State ORG, Transvaal LOC;
   d. persons/companies: Albrecht von Wallenstein FAC, Krupp PERSON;
   e. an exposition as ORG (Paris International Exposition);
   f. GPE/LOC boundary where the gold's choice is arguable: Beauport, Montmorency Falls,
      Tsushima, Falkland Islands (4 pairs that a reasonable gold could score either way);
   g. dynasties: Habsburg GPE, Habsburgs and Bourbons ORG (gold: NORP, singular).
2. One name, two labels kept in one column (the label vote does not merge them): Ladysmith GPE
   and PERSON, Boer NORP and "Boers" PERSON, Guernica GPE and PERSON.
3. Same string, two referents: "Guernica" the painting tagged GPE; "Picasso" in "why did Picasso
   paint it" tagged WORK_OF_ART.
4. spaCy span boundaries: "French and Indian War" -> "Indian War"; "Plains of Abraham" ->
   "Abraham" PERSON; "Aviazione Legionaria" -> "Legionaria" GPE; "Museo Reina Sofía" ->
   "Reina Sofía" PERSON; "Pablo Picasso" -> "Picasso" (so the person has a short canonical);
   "John George I" -> "John George"; "Junkers Ju 52"/"Heinkel He 111" split into maker ORG +
   model PRODUCT; "The Times of London" -> one ORG "Times of London" (gold: The Times + London);
   "Rentería bridge" -> "Rentería".
5. Not found at all (spaCy misses, no rule catches them): Lutheran, Münster, Thirteen Colonies
   (tagged CARDINAL), Revolution of 1905, Tierra del Fuego, Anse-au-Foulon, Second Spanish
   Republic (only ORDINAL), Savoia-Marchetti SM.79.
6. Canonical form: "Swedes" -> "Swede" (gold "Swedish"), "Basques" ORG and "Bourbons"/"Habsburgs"
   not singularised; "2nd Lancashire Fusiliers" kept apart from "Lancashire Fusiliers"; "Second
   Anglo-Boer War" not aliased to "Second Boer War"; "Gustavus" (a first-name short form) not
   resolved to "Gustavus Adolphus".
No asker name, salutation or signature line leaked into the entities.

NO LONGER BLIND. After this measurement, classes 2, 4 (the "X and Y War", "Plains of X" and
maker-prefix boundaries) and 6 (plural peoples and dynasties) were fixed as mechanisms, each
with a short-passage test in test_entities_classes.py (RULES_VERSION 4): one label per name
within a column (rule-set labels, then majority, then a fixed priority), an apposition naming
a kind of place ("Guernica, a small Basque town") as place context, "French and Indian War",
"Plains of Abraham", "Junkers Ju 52", "Swedes" -> "Swedish", "Habsburgs" -> "Habsburg" NORP.
Measured after those fixes (same gold, unedited):
  pairs:      precision 0.834, recall 0.798 (before 0.761 / 0.765)
  names only: precision 0.949, recall 0.912 (before 0.890 / 0.885)
  per column (pairs P / R): Quebec 0.92/0.86, Tsushima 0.91/0.88, Sheffield 0.77/0.74,
  Spion Kop 0.72/0.75, Thirty Years' War 0.87/0.84, Guernica 0.80/0.71.
These columns now measure regressions only; a fresh blind estimate needs new columns.
After rules version 5 and the gazetteer (issue 12, tuned on CrossNER train and texts written for
the tests, not on these columns): pairs 0.864 / 0.831, names only 0.949 / 0.918.
"""
from __future__ import annotations

import pandas as pd
import pytest

from mrhistory.annotation import annotate
from mrhistory.entities import entity_tables
from mrhistory.read import read_corpus

from .conftest import ROOT

BLIND = ROOT / "tests" / "data" / "blind_columns"
GOLD = ROOT / "tests" / "gold" / "entities_blind.csv"

PAIRS_PRECISION, PAIRS_RECALL = 0.84, 0.80      # measured 0.864 / 0.831 (v4: 0.834 / 0.798; blind: 0.761 / 0.765)
NAMES_PRECISION, NAMES_RECALL = 0.92, 0.89      # measured 0.949 / 0.918 (v4: 0.949 / 0.912; blind: 0.890 / 0.885)
COLUMN_FLOOR = 0.65                             # lowest measured column: 0.724 / 0.706 (blind: 0.629 / 0.647)


@pytest.fixture(scope="module")
def blind():
    columns = read_corpus(BLIND).columns
    found = entity_tables(annotate(columns, progress=False), columns=columns)["entities"]
    gold = pd.read_csv(GOLD, comment="#", keep_default_na=False, dtype="string")
    return columns, found, gold


def counts(found: pd.DataFrame, gold: pd.DataFrame, *, names_only: bool = False) -> dict[str, tuple[int, int, int]]:
    """Per column: (right, extra, missed) distinct (canonical, label) pairs, or canonicals."""
    key = (lambda df: set(df["canonical"])) if names_only else (lambda df: set(zip(df["canonical"], df["label"])))
    out = {}
    for column_id, g in gold.groupby("column_id", sort=True):
        gp, fp = key(g), key(found[found["column_id"] == column_id])
        out[column_id] = (len(gp & fp), len(fp - gp), len(gp - fp))
    return out


def pooled(per_column: dict[str, tuple[int, int, int]]) -> tuple[float, float]:
    right, extra, missed = (sum(v[i] for v in per_column.values()) for i in range(3))
    return right / (right + extra), right / (right + missed)


def test_every_blind_column_is_read_and_has_gold(blind):
    columns, _, gold = blind
    assert len(columns) == 6
    assert set(columns["column_id"]) == set(gold["column_id"])
    assert (columns["warnings"] == "").all()
    assert not gold.duplicated(["column_id", "canonical", "label"]).any()


def test_blind_pair_accuracy_floor(blind):
    _, found, gold = blind
    per_column = counts(found, gold)
    for column_id, (r, x, m) in per_column.items():
        print(f"{column_id}: P {r / (r + x):.3f} R {r / (r + m):.3f} ({r} right, {x} extra, {m} missed)")
    p, r = pooled(per_column)
    print(f"pooled pairs: P {p:.3f} R {r:.3f}")
    assert p >= PAIRS_PRECISION and r >= PAIRS_RECALL, (p, r)
    for column_id, (right, extra, missed) in per_column.items():
        assert right / (right + extra) >= COLUMN_FLOOR, column_id
        assert right / (right + missed) >= COLUMN_FLOOR, column_id


def test_blind_name_accuracy_floor(blind):
    _, found, gold = blind
    p, r = pooled(counts(found, gold, names_only=True))
    print(f"pooled names only: P {p:.3f} R {r:.3f}")
    assert p >= NAMES_PRECISION and r >= NAMES_RECALL, (p, r)


def test_no_asker_or_signature_name_is_an_entity(blind):
    """Within each column, no entity contains a word of its asker's name or of the signature."""
    columns, found, _ = blind
    signature = {"Jon", "Guttman", "Research Director", "World History"}
    for column_id, asker in zip(columns["column_id"], columns["asker"]):
        words = set(asker.split()) | signature
        assert len(words) == 6, asker  # the asker was read, first and last name
        f = found[found["column_id"] == column_id]
        leaked = f[f["text"].apply(lambda t: any(w in t for w in words))
                   | f["canonical"].apply(lambda t: any(w in t for w in words))]
        assert leaked.empty, leaked[["column_id", "text", "label"]].to_string()
