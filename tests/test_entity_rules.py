"""The fixer's repair matcher: the same matches as one spaCy Matcher of all its patterns."""
from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from mrhistory.annotation import pipeline
from mrhistory.entity_rules import FIXER_NAME, OpenerMatcher, repair_patterns

PASSAGES = [
    "Adm. Isoroku Yamamoto planned the raid; the 24th Machine Gun Company and No. 209 Squadron flew Sopwith Camels.",
    "The Duke of Wellington met King Philip II of France, and Manfred Freiherr von Richthofen flew a Fokker Dr.I.",
    "In the 1860 presidential election and the French and Indian War, Gaius Terentius Varro and the Plains of Abraham.",
    "Gen. Gen. Robert E. Lee Lee and Col. John Smith Smith of the III Panzer Corps and the 2019 BRICS summit.",
    "",
]


@pytest.fixture(scope="module")
def nlp():
    return pipeline()


def _keyed(nlp):
    return [(f"{p['label']}#{p.get('id', '')}#{n}", p["pattern"]) for n, p in enumerate(repair_patterns(nlp))]


def test_opener_matcher_finds_what_one_matcher_finds(nlp):
    keyed = _keyed(nlp)
    single = Matcher(nlp.vocab)
    for key, pattern in keyed:
        single.add(key, [pattern])
    fast = OpenerMatcher(nlp.vocab, keyed)
    assert len(fast) == len(keyed)
    assert fast._groups, "most repair patterns open with a fixed word"
    with nlp.select_pipes(disable=[FIXER_NAME]):
        docs = list(nlp.pipe(PASSAGES))
    found = 0
    for doc in docs:
        expected, got = single(doc), fast(doc)
        assert sorted(got) == sorted(expected)
        found += len(got)
        places = [(s, e, fast._order[k]) for k, s, e in got]
        assert places == sorted(places, key=lambda m: (m[1], m[0], m[2]))
        # matches of one span come in the order the one Matcher gives them (the fixer's ties)
        for span in {(s, e) for _, s, e in expected}:
            assert [k for k, *m in got if tuple(m) == span] == [k for k, *m in expected if tuple(m) == span]
    assert found >= 10


def test_a_pattern_without_a_fixed_first_word_runs_on_every_text(nlp):
    fast = OpenerMatcher(nlp.vocab, [("ANY", [{"IS_TITLE": True}, {"LOWER": "of"}]), ("FIXED", [{"LOWER": "battle"}])])
    doc = nlp.make_doc("Battle of Hastings")
    assert [(nlp.vocab.strings[k], s, e) for k, s, e in fast(doc)] == [("FIXED", 0, 1), ("ANY", 0, 2)]
