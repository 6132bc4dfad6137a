"""Blind regression floor for entity accuracy on five columns written after the rules were frozen.

NOT a target: the texts in tests/data/blind2_columns and the gold in tests/gold/entities_blind2.csv
were written without reading the entity rules, the alias table or any earlier gold, and the gold was
not edited after the first measurement. Do not tune rules or aliases against this file; if a change
raises these numbers, keep the floors and report it, so the set stays a blind measurement.

Scoring: a column's set of (canonical, label) pairs from ``entity_tables(...)["entities"]`` is
compared with the gold set; names are compared with ``mrhistory.names.name_key`` (case, dashes, full stops
and a leading "the" ignored). "Names only" ignores the label. Pooled = micro-average over the five
columns.

First measurement (main at branch point, en_core_web_sm, 175 gold pairs, 178 system pairs):
  (canonical, label) pooled P=0.680 R=0.691 (121 tp); per column R from 0.556 (Joan of Arc) to
  0.833 (Jutland); names only pooled P=0.815 R=0.829 (145 tp). Floors below are a few points under.

Error classes seen (by kind):
  * span boundaries: hyphen and particle names cut ("Six-" + "Day War", "SMS Von" + "Tann",
    "Battle of Resaca" for "... de la Palma", "Valley" for "Valley of Mexico", "West" for "Army of
    the West", "Rhine" for "Army of the Rhine"); list run-ons ("France Alsace and").
  * titles kept or taken as names: "Secretary of State Henry Kissinger", "Later Rear Admiral Horace
    Hood" (ORG), "Bishop Pierre Cauchon" (ORG), "Dauphin Charles" (ORG), "Henry V of England";
    peerage titles and epithets as persons not linked to the holder ("Duke of Bedford", "Earl of
    Salisbury", "Earl of Suffolk", "Bastard of Orléans", "La Hire" as FAC); "Joan of Arc" split into
    "Joan" + "Arc".
  * label errors on places: Burgundy, Normandy, Monterrey, Metz, Lorraine, Wilhelmshaven,
    Chapultepec Castle as PERSON; Sedan NORP; Domrémy and Valley of Tears EVENT; Santa Fe, Scapa
    Flow, Chinese Farm ORG; Reims Cathedral, Les Tourelles GPE; Santa Anna as GPE.
  * label errors on other kinds: Jean de Dunois, Étienne de Vignolles ORG; Napoleon III PRODUCT;
    Sagger, Krupp NORP; Ems Dispatch ORG (gold WORK_OF_ART, arguable); North German Confederation
    ORG (gold GPE, arguable).
  * canonical normalisation: "Israelis" not singularised; "Orléans" over-singularised to "Orléan";
    "Bazaine"/"Wilhelm" not resolved to the full name; "Civil War" not "American Civil War".
  * plain misses: Loire, Bar, England, Rio Grande, Alsace, Wörth, Room 40, Patrice de MacMahon,
    Leopold of Hohenzollern-Sigmaringen, General Staff, Second Army, Resolution 338.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT

FOLDER = ROOT / "tests" / "data" / "blind2_columns"
GOLD = ROOT / "tests" / "gold" / "entities_blind2.csv"
SIGNATURE = ("Jon Guttman", "Research Director", "World History")


@pytest.fixture(scope="module")
def blind2():
    from mrhistory.annotation import annotate
    from mrhistory.entities import entity_tables
    from mrhistory.read import read_corpus

    columns = read_corpus(FOLDER).columns
    docs = annotate(columns, progress=False)
    found = entity_tables(docs, columns=columns)["entities"]
    return columns, found


def _pairs(df: pd.DataFrame, name: str = "canonical") -> dict[str, set[tuple[str, str]]]:
    from mrhistory.names import name_key as alias_key

    out: dict[str, set[tuple[str, str]]] = {}
    for cid, canonical, label in df[["column_id", name, "label"]].itertuples(index=False):
        out.setdefault(cid, set()).add((alias_key(str(canonical)), str(label)))
    return out


def _prf(gold: dict, system: dict, ids, *, names_only: bool) -> dict[str, tuple[float, float, int, int, int]]:
    scores, tp_all, ns_all, ng_all = {}, 0, 0, 0
    for cid in ids:
        g, s = gold.get(cid, set()), system.get(cid, set())
        if names_only:
            g, s = {n for n, _ in g}, {n for n, _ in s}
        tp = len(g & s)
        scores[cid] = (tp / len(s) if s else 0.0, tp / len(g) if g else 0.0, tp, len(s), len(g))
        tp_all, ns_all, ng_all = tp_all + tp, ns_all + len(s), ng_all + len(g)
    scores["POOLED"] = (tp_all / ns_all if ns_all else 0.0, tp_all / ng_all if ng_all else 0.0, tp_all, ns_all, ng_all)
    return scores


def _measure(blind2):
    columns, found = blind2
    gold = pd.read_csv(GOLD, comment="#", dtype="string", keep_default_na=False)
    ids = sorted(columns["column_id"])
    g, s = _pairs(gold), _pairs(found)
    return ids, g, s, _prf(g, s, ids, names_only=False), _prf(g, s, ids, names_only=True)


def test_gold_covers_every_blind_column(blind2):
    columns, _ = blind2
    gold = pd.read_csv(GOLD, comment="#", dtype="string", keep_default_na=False)
    assert len(columns) == 5
    assert set(gold["column_id"]) == set(columns["column_id"])


def test_blind2_precision_recall_floor(blind2):
    ids, g, s, labelled, names = _measure(blind2)
    for title, scores in (("(canonical, label)", labelled), ("names only", names)):
        print(f"\nblind2 {title}: precision recall (tp/system/gold)")
        for cid, (p, r, tp, ns, ng) in scores.items():
            print(f"  {cid[:55]:55s} P={p:.3f} R={r:.3f} ({tp}/{ns}/{ng})")
    for cid in ids:
        print(f"\n[{cid}]\n  missed: {sorted(g.get(cid, set()) - s.get(cid, set()))}"
              f"\n  spurious: {sorted(s.get(cid, set()) - g.get(cid, set()))}")
    assert labelled["POOLED"][0] >= FLOORS["pooled_precision"]
    assert labelled["POOLED"][1] >= FLOORS["pooled_recall"]
    assert names["POOLED"][0] >= FLOORS["names_precision"]
    assert names["POOLED"][1] >= FLOORS["names_recall"]
    for cid in ids:
        assert labelled[cid][1] >= FLOORS["column_recall"], cid


def test_no_asker_or_signature_name_is_an_entity(blind2):
    from mrhistory.names import name_key as alias_key

    columns, found = blind2
    for cid, asker in columns[["column_id", "asker"]].itertuples(index=False):
        banned = {alias_key(x) for x in (*SIGNATURE, asker, asker.split()[-1], "Guttman")}
        mine = found[found["column_id"] == cid]
        names = {alias_key(x) for x in (*mine["text"], *mine["canonical"])}
        assert not names & banned, (cid, names & banned)


#: Blind regression floors (measured 0.680 / 0.691 / 0.815 / 0.829, worst column recall 0.556).
#: After rules version 5 and the gazetteer (issue 12), measured without reading this file's gold or
#: the per-column misses: 0.721 / 0.737 / 0.838 / 0.857. The floors are kept, as the docstring asks.
FLOORS = {"pooled_precision": 0.65, "pooled_recall": 0.66, "names_precision": 0.78, "names_recall": 0.80,
          "column_recall": 0.50}
