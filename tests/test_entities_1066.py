"""Issue 12's examples from 1066, in a column written for this test (not copied from any gold file).

A new user's column about the Norman Conquest: William the Conqueror and William of Poitiers are two
people; Odo of Bayeux is one; Yorkshire and Sussex are places; the Bayeux Tapestry is a work; the
Norman Conquest is an event; "Duke of Normandy", written as William's title, is no entity.
"""
from __future__ import annotations

import pandas as pd
import pytest

from mrhistory import entities as ent
from mrhistory.annotation import annotate

QUESTION = "Why did William the Conqueror win in 1066 when Harold had just beaten the Norwegians?"
ANSWER = """Dear Ms. Okafor:

In the autumn of 1066 Harold Godwinson had to fight twice. In late September he marched north into
Yorkshire and destroyed the Norwegian army of Harald Hardrada at Stamford Bridge. Three days later
William, Duke of Normandy, landed his army at Pevensey in Sussex.

Our best Norman source, the chaplain William of Poitiers, praised his master at every turn, but
William had planned the crossing for months. His half-brother Odo of Bayeux raised ships and men,
and the Bayeux Tapestry, which Odo probably commissioned, shows him urging the troops on.

Harold hurried back south, and on October 14 the two armies met near Hastings. William broke the
English shield wall by late afternoon and was crowned at Westminster on Christmas Day. As Duke of
Normandy he still owed homage to the French king, yet the Norman Conquest made him a king in his
own right. Odo became Earl of Kent, and William of Poitiers went on writing.

Jon Guttman
Research Director
World History Group
"""


@pytest.fixture(scope="module")
def column():
    columns = pd.DataFrame({"column_id": ["norman-conquest"], "question": [QUESTION], "answer": [ANSWER],
                            "asker": ["Ada Okafor"], "answerer": ["Jon Guttman"], "answerer_title": ["Research Director"]})
    found = ent.entities(annotate(columns, progress=False), columns=columns)
    return found, set(zip(found["canonical"], found["label"]))


def labels_of(found: pd.DataFrame, canonical: str) -> set[str]:
    return set(found.loc[found["canonical"] == canonical, "label"])


def test_two_williams_stay_apart(column):
    found, pairs = column
    assert ("William the Conqueror", "PERSON") in pairs
    assert ("William of Poitiers", "PERSON") in pairs
    # The bare "William" (the duke) is never counted under the chronicler.
    bare = found[found["text"] == "William"]
    assert len(bare) >= 3 and "William of Poitiers" not in set(bare["canonical"])
    assert set(bare["canonical"]) <= {"William the Conqueror", "William"}


def test_odo_of_bayeux_is_one_person(column):
    found, pairs = column
    assert ("Odo of Bayeux", "PERSON") in pairs
    assert not labels_of(found, "Bayeux") & {"PERSON", "ORG"}
    assert set(found.loc[found["text"] == "Odo", "canonical"]) == {"Odo of Bayeux"}


def test_counties_are_places(column):
    found, _ = column
    assert labels_of(found, "Yorkshire") == {"GPE"}
    assert labels_of(found, "Sussex") == {"GPE"}


def test_tapestry_is_a_work_and_the_conquest_an_event(column):
    found, _ = column
    assert labels_of(found, "Bayeux Tapestry") == {"WORK_OF_ART"}
    assert labels_of(found, "Norman Conquest") == {"EVENT"}


def test_a_title_written_as_a_title_is_no_entity(column):
    found, pairs = column
    assert not found["text"].str.contains("Duke of").any()
    assert not found["text"].str.contains("Earl of").any()
    assert labels_of(found, "Normandy") == {"GPE"} and labels_of(found, "Kent") == {"GPE"}


def test_places_and_people_around_them(column):
    _, pairs = column
    assert {("Harold Godwinson", "PERSON"), ("Harald Hardrada", "PERSON"), ("Hastings", "GPE")} <= pairs
    assert not {c for c, _ in pairs} & {"Okafor", "Ada Okafor", "Jon Guttman", "World History Group"}
