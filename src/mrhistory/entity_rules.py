"""Entity rules for historical prose: an EntityRuler before spaCy's recogniser and a clean-up after it.

The stock model tags ranks as places ("Lt" → GPE), keeps possessives ("Doolittle's"), calls
aircraft organisations and misses treaties. These components fix such *classes* of error from
the word lists in ``data/entity_rules.toml``. They are registered at import time, so spaCy worker
processes (``--jobs N``) can rebuild them; :func:`customise` adds them to the shared pipeline.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import gazetteer
from .names import name_key
from .packaged import data_toml

RULER_NAME = "mrhistory_entity_ruler"
#: The knowledge-base id the fixer gives an entity whose label it decided from the words around
#: it ("at Cannae"): mrhistory.entities lets that label win over the model's for the same name.
CONTEXT_KB_ID = "mrhistory:context"
#: The knowledge-base id of an entity whose span or label came from the shipped gazetteer.
GAZETTEER_KB_ID = "mrhistory:gazetteer"
FIXER_NAME = "mrhistory_entity_fixer"
#: The named-entity labels this toolkit counts (OntoNotes, as spaCy uses them). Dates and
#: numbers (DATE, TIME, CARDINAL, ORDINAL, QUANTITY, MONEY, PERCENT) are left to other analyses.
ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
DASHES = ("-", "‐", "‑", "–", "—")
#: Bump when the code below changes what the components do: cached Docs are then rebuilt.
RULES_VERSION = 6
_ROMAN_OR_NUMBER = r"^(?:[IVX]{1,4}|\d{1,2}|One|Two|Three)$"
#: A year, a decade or an ordinal century as written before an era marker: "218", "1940s", "3rd".
_YEARISH = re.compile(r"^\d[\d,]*(?:s|st|nd|rd|th)?$")
_ORDINAL_NUMBER = re.compile(r"^\d{1,3}(?:st|nd|rd|th)$")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{1,6}$")
#: Labels a list of names may share (mrhistory_entity_fixer._lists); places vote together.
_LIST_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Words that open a clause whose subject follows ("After Carranza took control").
_SUBORDINATORS = frozenset({"after", "before", "until", "since", "when", "while", "although", "because", "though",
                            "once", "unless", "whereas", "if"})


def _phrase(text: str) -> tuple[str, ...]:
    """A title such as "Lt. Col." as the word tuple ("lt", "col")."""
    return tuple(name_key(w) for w in text.replace(".", ". ").split())


@dataclass(frozen=True)
class Rules:
    """The contents of ``entity_rules.toml``, compiled."""

    raw: dict
    titles: frozenset
    longest_title: int
    qualifiers: frozenset
    keep_article: frozenset
    designations: tuple
    law_heads: frozenset
    law_openers: frozenset
    law_names: frozenset
    event_heads: frozenset
    event_openers: frozenset
    operation_words: frozenset
    ship_prefixes: frozenset
    designation_prefixes: frozenset
    designation_number: re.Pattern
    era_markers: frozenset
    era_after: frozenset
    ambiguous_titles: frozenset
    person_openers: frozenset
    ship_words: frozenset
    weapon_words: frozenset
    weapon_words_in_name: frozenset
    place_prepositions: frozenset
    place_nouns: frozenset
    district_nouns: frozenset
    party_member_nouns: frozenset
    place_heads: frozenset
    named_unit_words: frozenset
    offices: frozenset
    title_predicates: frozenset
    circa_markers: frozenset
    org_heads: frozenset
    work_heads: frozenset
    state_unit_words: frozenset


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = data_toml("entity_rules.toml")
    raw["event_heads"] = [*raw["event_heads"], *raw["event_heads_more"]]
    titles = frozenset(_phrase(t) for t in [*raw["titles"], *raw["offices"]])
    return Rules(
        raw=raw,
        titles=titles,
        longest_title=max(map(len, titles)),
        qualifiers=frozenset(name_key(q) for q in raw["title_qualifiers"]),
        keep_article=frozenset(k.lower() for k in raw["keep_article"]),
        designations=tuple(re.compile(p) for p in raw["designations"]),
        law_heads=frozenset(raw["law_heads"]),
        law_openers=frozenset(raw["law_openers"]),
        law_names=frozenset(name_key(n) for n in raw["law_names"]),
        event_heads=frozenset(raw["event_heads"]),
        event_openers=frozenset(raw["event_openers"]),
        operation_words=frozenset(raw["operation_words"]),
        ship_prefixes=frozenset(raw["ship_prefixes"]),
        designation_prefixes=frozenset(raw["designation_prefixes"]),
        designation_number=re.compile(raw["designation_numbers"]),
        era_markers=frozenset(raw["era_markers"]),
        era_after=frozenset(w.lower() for w in raw["era_after"]),
        ambiguous_titles=frozenset(_phrase(t) for t in raw["ambiguous_titles"]),
        person_openers=frozenset(raw["person_openers"]),
        ship_words=frozenset(raw["ship_words"]),
        weapon_words=frozenset(raw["weapon_words"]),
        weapon_words_in_name=frozenset(raw["weapon_words_in_name"]),
        place_prepositions=frozenset(raw["place_prepositions"]),
        place_nouns=frozenset(raw["place_nouns"]),
        district_nouns=frozenset(raw["district_nouns"]),
        party_member_nouns=frozenset(raw["party_member_nouns"]),
        place_heads=frozenset(raw["place_heads"]),
        named_unit_words=frozenset(raw["named_unit_words"]),
        offices=frozenset(_phrase(t) for t in raw["offices"]),
        title_predicates=frozenset(raw["title_predicates"]),
        circa_markers=frozenset(w.lower() for w in raw["circa_markers"]),
        org_heads=frozenset(raw["org_heads"]),
        work_heads=frozenset(raw["work_heads"]),
        state_unit_words=frozenset(raw["state_unit_words"]),
    )


@lru_cache(maxsize=1)
def _party_short_forms() -> frozenset[str]:
    """W of every two-word party name "W Party" in the gazetteer (Party Facts): "Labour", "Whig"."""
    out = set()
    for entry in gazetteer.entries().values():
        words = entry.name.split()
        if entry.source.startswith("partyfacts:") and len(words) == 2 and words[1] == "Party" and words[0].isalpha():
            out.add(words[0])
    return frozenset(out)


def _plural(token) -> bool:
    """A plural noun ("Deputies", "Ministers"), not a place that ends in s ("Tours") nor "Congress"."""
    known = gazetteer.lookup(token.text)
    if known is not None and known.label in ("GPE", "LOC"):
        return False
    return token.tag_ in ("NNS", "NNPS") or (token.text.endswith("s") and not token.text.endswith(("ss", "us", "is")))


# --- EntityRuler patterns -------------------------------------------------------------------

def ruler_patterns(nlp: Language, r: Rules | None = None) -> list[dict]:
    """Token patterns for names the statistical model misses or mislabels."""
    r = r or rules()
    # A capitalised, non-stop word or a dash joining two ("Molotov - Ribbentrop").
    chain = {"TEXT": {"REGEX": r"^(?:[A-Z]|[-‐‑–—]$)"}, "IS_STOP": False, "OP": "{0,5}"}
    first = {"TEXT": {"REGEX": r"^[A-Z]"}, "IS_STOP": False}
    name = {"IS_TITLE": True, "POS": "PROPN"}
    title_word = {"IS_TITLE": True, "IS_STOP": False}
    of_name = [{"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, first, {**chain, "OP": "{0,3}"}]
    patterns = [
        {"label": "LAW", "pattern": [first, chain, {"TEXT": {"IN": sorted(r.law_heads)}}]},
        {"label": "LAW", "pattern": [{"TEXT": {"IN": sorted(r.law_openers)}}, *of_name]},
        {"label": "EVENT", "pattern": [first, chain, {"TEXT": {"IN": sorted(r.event_heads)}},
                                       {"TEXT": {"REGEX": _ROMAN_OR_NUMBER}, "OP": "?"}]},
        {"label": "EVENT", "pattern": [{"TEXT": {"IN": sorted(r.event_openers)}}, *of_name]},
        {"label": "EVENT", "pattern": [{"TEXT": {"IN": sorted(r.operation_words)}}, title_word, {**title_word, "OP": "?"}]},
        {"label": "PRODUCT", "pattern": [{"TEXT": {"IN": sorted(r.designation_prefixes)}},
                                         {"TEXT": {"REGEX": r.designation_number.pattern}}, {**name, "OP": "{0,2}"}]},
        {"label": "PRODUCT", "pattern": [{"TEXT": {"IN": sorted(r.ship_prefixes)}}, {"IS_TITLE": True}, {"IS_TITLE": True, "OP": "{0,2}"}]},
        {"label": "PRODUCT", "pattern": [{"TEXT": {"IN": sorted(r.ship_prefixes)}}, {"IS_TITLE": True},
                                         {"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True}]},
    ]
    # "Gibraltar Socialist Labour Party", "Brexit Party": a capitalised name ending in "Party".
    patterns.append({"label": "ORG", "pattern": [first, chain, {"TEXT": {"IN": ["Party", "Parties"]}}]})
    # "Civil War Times", "Bayeux Tapestry": periodicals and works named by their head word.
    patterns.append({"label": "WORK_OF_ART", "pattern": [first, chain, {"TEXT": {"IN": sorted(r.work_heads)}}]})
    for rx in r.raw["designations"]:
        patterns.append({"label": "PRODUCT", "pattern": [{"TEXT": {"REGEX": rx}}, {**name, "OP": "{0,2}"}]})
    for rx in r.raw["named_designations"]:
        patterns.append({"label": "PRODUCT", "pattern": [{"TEXT": {"REGEX": rx}}, {**name, "OP": "{1,2}"}]})
    for law in r.raw["law_names"]:
        patterns.append({"label": "LAW", "pattern": [{"TEXT": t.text} for t in nlp.make_doc(law)]})
    return patterns


def repair_patterns(nlp: Language, r: Rules | None = None) -> list[dict]:
    """Token patterns applied after the recogniser: a match replaces the entities inside it (the
    model's "Third" ORG + "Punic War" EVENT become "Third Punic War"), but never cuts one that
    reaches outside it (the model's "Chinese People's Volunteer Army" keeps its full name)."""
    r = r or rules()
    chain = {"TEXT": {"REGEX": r"^(?:[A-Z]|[-‐‑–—]$)"}, "IS_STOP": False, "OP": "{0,5}"}
    first = {"TEXT": {"REGEX": r"^[A-Z]"}, "IS_STOP": False}
    name = {"IS_TITLE": True, "POS": "PROPN"}
    of_name = [{"LOWER": "of"}, {"LOWER": "the", "OP": "?"}, first, {**chain, "OP": "{0,3}"}]
    ordinal = {"TEXT": {"IN": sorted(r.raw["ordinals"])}}
    patterns = [
        {"label": "EVENT", "pattern": [ordinal, {**chain, "OP": "{0,3}"}, {"TEXT": {"IN": sorted(r.event_heads)}}]},
        {"label": "LAW", "pattern": [ordinal, {"TEXT": {"IN": sorted(r.law_openers)}}, *of_name]},
        {"label": "LAW", "pattern": [ordinal, {**chain, "OP": "{0,3}"}, {"TEXT": {"IN": sorted(r.law_heads)}}]},
        {"label": "PERSON", "pattern": [{"IS_TITLE": True, "IS_STOP": False}, {"LOWER": "the"},
                                        {"TEXT": {"IN": sorted(r.raw["epithets"])}}]},
        # A Roman first name and the names after it: "Gaius Terentius Varro" (the model: "Varro").
        {"label": "PERSON", "pattern": [{"TEXT": {"IN": sorted(r.person_openers)}},
                                        {"IS_TITLE": True, "POS": "PROPN", "OP": "{1,3}"}]},
    ]
    # "the Duke of Wellington"; "King Philip II of France" (the title is cut in _repairs).
    for title in r.raw["peerage_titles"]:
        patterns.append({"label": "PERSON", "id": "peerage", "pattern": [*[{"TEXT": t.text} for t in nlp.make_doc(title)],
                                                        {"LOWER": "of"}, {"IS_TITLE": True, "POS": "PROPN"}]})
    for title in r.raw["ruler_titles"]:
        patterns.append({"label": "PERSON", "id": "ruler", "pattern": [
            *[{"TEXT": t.text} for t in nlp.make_doc(title)],
            {"IS_TITLE": True, "POS": "PROPN", "TEXT": {"NOT_IN": ["Imperial", "Royal", "Regent", "Consort", "Dowager"]}},
            {"TEXT": {"REGEX": r"^[IVX]{1,5}$"}, "OP": "?"}, {"LOWER": "of"}, {"IS_TITLE": True, "POS": "PROPN"}]})
    # A person's title before names the model left untagged: "Adm. Isoroku Yamamoto's plan".
    person_name = {"IS_TITLE": True, "POS": "PROPN"}
    for title in sorted(set(r.raw["titles"]) - set(r.raw["ambiguous_titles"])):
        words = [{"LOWER": t.lower_} for t in nlp.make_doc(title)]
        if title in r.raw["abbreviations"] or title + "." in r.raw["abbreviations"]:
            words = [{"LOWER": {"IN": [title.lower(), title.lower() + "."]}}]
        patterns.append({"label": "PERSON", "pattern": [*words, {"TEXT": ".", "OP": "?"}, {**person_name, "OP": "{1,4}"}]})
    # Units: "24th Machine Gun Company", "No. 209 Squadron", "Light Brigade", "Jagdgeschwader 1".
    unit = {"TEXT": {"IN": sorted(r.raw["unit_words"])}}
    patterns += [
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^\d{1,3}(?:st|nd|rd|th)$"}}, {**chain, "OP": "{0,3}"}, unit]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^\d{1,3}(?:st|nd|rd|th)$"}}, {**chain, "OP": "{0,3}"}, unit,
                                     {"LOWER": "of"}, {"IS_TITLE": True}]},
        {"label": "ORG", "pattern": [{"LOWER": {"IN": ["no", "no."]}}, {"TEXT": ".", "OP": "?"},
                                     {"TEXT": {"REGEX": r"^\d{1,4}$"}}, {**chain, "OP": "{0,2}"}, unit]},
        {"label": "ORG", "pattern": [{"TEXT": {"IN": sorted(r.raw["numbered_units"])}}, {"TEXT": {"REGEX": r"^\d{1,3}$"}}]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-Z]"}, "IS_STOP": False}, {**chain, "OP": "{0,2}"},
                                     {"TEXT": {"IN": sorted(r.raw["named_unit_words"])}}]},
        {"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[A-Z]"}, "IS_STOP": False}, {**chain, "OP": "{0,2}"},
                                     {"TEXT": "People"}, {"TEXT": {"IN": ["'s", "’s"]}}, {**chain, "OP": "{0,2}"},
                                     {"TEXT": {"IN": sorted(r.raw["named_unit_words"])}}]},
    ]
    # "French and Indian War": the model keeps only "Indian War".
    and_second = {"TEXT": {"REGEX": r"^[A-Z]", "NOT_IN": sorted(r.raw["and_event_excluded"])}, "IS_STOP": False}
    patterns.append({"label": "EVENT", "pattern": [first, {"LOWER": "and"}, and_second,
                                                   {"TEXT": {"IN": sorted(r.event_heads)}}]})
    # "the Plains of Abraham": the model tags "Abraham" a person.
    patterns.append({"label": "LOC", "pattern": [{"TEXT": {"IN": sorted(r.raw["place_openers"])}}, {"LOWER": "of"},
                                                 {"IS_TITLE": True, "IS_STOP": False, "OP": "{1,2}"}]})
    # A maker and a designation with its own prefix: "Junkers Ju 52", "Messerschmitt Bf 109".
    for maker, *prefixes in r.raw["maker_prefixes"]:
        words = [{"TEXT": t.text} for t in nlp.make_doc(maker)]
        patterns.append({"label": "PRODUCT", "pattern": [*words, {"TEXT": {"IN": prefixes}},
                                                         {"TEXT": {"REGEX": r.designation_number.pattern}},
                                                         {**name, "OP": "{0,2}"}]})
    for phrase in r.raw["task_force"]:
        words = [{"TEXT": t.text} for t in nlp.make_doc(phrase)]
        patterns.append({"label": "ORG", "pattern": [*words, {"TEXT": {"REGEX": r"^(?:[A-Z][a-z]+|\d{1,3})$"}}]})
    # Makers and their models: "Sopwith Camel", "Fokker Dr.I", "SPAD XIII", "Douglas SBD Dauntless".
    caps, numbered = r.raw["maker_designations"][0], r.raw["maker_designations"][1:3]
    letters = r.raw["maker_designations"][3]
    for maker in sorted(set(r.raw["manufacturers"]) | set(r.raw["product_makers"])):
        words = [{"TEXT": t.text} for t in nlp.make_doc(maker)]
        for rx in (caps, letters):
            patterns.append({"label": "PRODUCT", "pattern": [*words, {"TEXT": {"REGEX": rx}}, {**name, "OP": "{0,2}"}]})
        if maker in r.raw["product_makers"]:
            for rx in numbered:
                patterns.append({"label": "PRODUCT", "pattern": [*words, {"TEXT": {"REGEX": rx}}, {**name, "OP": "{0,2}"}]})
            patterns.append({"label": "PRODUCT", "pattern": [*words, {**name, "OP": "{1,2}"}]})
    # A name before a weapon word: "the Gatling gun", "Martini-Henry rifles".
    qualifiers = sorted(r.raw["title_qualifiers"])
    weapon_name = {"IS_TITLE": True, "IS_SENT_START": False, "TEXT": {"NOT_IN": qualifiers},
                   "ENT_TYPE": {"NOT_IN": ["NORP", "GPE"]}}
    patterns.append({"label": "PRODUCT", "pattern": [weapon_name, {"TEXT": {"IN": list(DASHES)}, "OP": "?"},
                                                     {"IS_TITLE": True, "OP": "?"},
                                                     {"LOWER": {"IN": sorted(r.weapon_words)}}]})
    # Elections with their year: "1860 presidential election", "2011 Saxony-Anhalt state election",
    # "1984 European Parliament election in the United Kingdom", "1954 by-election".
    year = {"TEXT": {"REGEX": r"^1[0-9]{3}$|^20[0-9]{2}$"}}
    between = {"OP": "{0,6}", "TEXT": {"REGEX": r"^(?:[A-Z][\w'’.-]*|[-‐‑–—])$|^(?:" + "|".join(
        re.escape(w) for w in r.raw["election_qualifiers"]) + ")$"}}
    ballot = {"LOWER": {"IN": sorted(r.raw["election_words"])}}
    where = [{"LOWER": "in"}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "{1,3}"}]
    named = {"TEXT": {"REGEX": r"^[A-Z]"}}  # a named election: "1997 Irish general election", not "1972 election"
    month = {"TEXT": {"IN": sorted(r.raw["months"])}, "OP": "?"}  # "the December 1910 general election"
    nth = {"LOWER": {"IN": sorted(w.lower() for w in r.raw["ordinals"])}}  # "the first German federal elections"
    patterns += [{"label": "EVENT", "id": "election", "pattern": [month, year, between, named, between, ballot]},
                 {"label": "EVENT", "id": "election", "pattern": [month, year, between, named, between, ballot, *where]},
                 {"label": "EVENT", "id": "election", "pattern": [nth, between, named, between, ballot]},
                 {"label": "EVENT", "id": "election", "pattern": [year, {"LOWER": "by"}, {"TEXT": {"IN": list(DASHES)}},
                                                                  {"LOWER": {"IN": ["election", "elections"]}}]}]
    # A dated or numbered meeting of a named body: "2019 BRICS summit", "III CELAC summit", "the
    # eleventh annual G20 summit" (a capitalised "Summit" is an event head already).
    count = {"TEXT": {"REGEX": r"^(?:1[0-9]{3}|20[0-9]{2}|[IVXL]{1,6})$"}}
    body = {"TEXT": {"REGEX": r"^[A-Z][\w&.-]*$"}, "IS_STOP": False}
    more = {"TEXT": {"REGEX": r"^(?:[A-Z][\w&.-]*|[-‐‑–—])$"}, "OP": "{0,3}"}  # "Ibero-American"
    meeting = {"LOWER": {"IN": sorted(r.raw["meeting_words"])}}
    for opener in ([count], [nth, {"LOWER": "annual", "OP": "?"}]):
        patterns.append({"label": "EVENT", "pattern": [*opener, body, more, meeting]})
    # "I Corps", "XXX Corps", "III Panzer Corps": Roman-numbered formations.
    patterns.append({"label": "ORG", "pattern": [{"TEXT": {"REGEX": r"^[IVXL]{1,6}$"}}, {"IS_TITLE": True, "OP": "{0,1}"},
                                                 {"TEXT": {"IN": sorted(r.raw["roman_units"])}}]})
    # "Liberal Party of Australia", "Communist Party of the Soviet Union", "Union of Democrats for Europe".
    patterns.append({"label": "ORG", "id": "org-of", "pattern": [
        first, {**chain, "OP": "{0,4}"}, {"TEXT": {"IN": sorted(r.raw["org_of_heads"])}},
        {"LOWER": {"IN": ["of", "for"]}}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "IS_STOP": False},
        {"IS_TITLE": True, "IS_STOP": False, "OP": "{0,2}"}]})
    # A name with a nobiliary particle or a German title of nobility inside it is one person:
    # "Manfred Freiherr von Richthofen", "Paul von Hindenburg", "Charles de Gaulle".
    particle = {"TEXT": {"IN": sorted(r.raw["name_particles"])}}
    patterns.append({"label": "PERSON", "id": "particle", "pattern": [
        {"IS_TITLE": True, "POS": "PROPN", "OP": "{1,3}"}, particle, {**particle, "OP": "{0,2}"},
        {"IS_TITLE": True, "POS": "PROPN", "OP": "{1,2}"}]})
    return patterns


class OpenerMatcher:
    """A spaCy ``Matcher`` over many patterns, most of which open with a fixed word ("Fokker",
    "Adm."): the matches one Matcher of them all finds, found faster by running a pattern only on
    texts that contain its first word. spaCy tries every pattern at every token, which made the
    repair patterns (hundreds of makers and titles) a third of the annotate pass."""

    def __init__(self, vocab, patterns: list[tuple[str, list[dict]]]):
        self._always = Matcher(vocab)
        self._groups: list[Matcher] = []
        self._by_word: dict[tuple[str, str], list[int]] = {}
        self._order: dict[int, int] = {}  # match id → the pattern's place in ``patterns``
        openers: dict[tuple[str, frozenset], int] = {}
        for place, (key, pattern) in enumerate(patterns):
            self._order[vocab.strings.add(key)] = place
            opener = self._opener(pattern[0])
            if opener is None:
                self._always.add(key, [pattern])
                continue
            if opener not in openers:
                openers[opener] = len(self._groups)
                self._groups.append(Matcher(vocab))
                for word in opener[1]:
                    self._by_word.setdefault((opener[0], word), []).append(openers[opener])
            self._groups[openers[opener]].add(key, [pattern])

    @staticmethod
    def _opener(token: dict) -> tuple[str, frozenset] | None:
        """(attribute, words) when the first token must be one of these words, else None."""
        if set(token) - {"TEXT", "ORTH", "LOWER"} or len(token) != 1:
            return None
        attr, value = next(iter(token.items()))
        if isinstance(value, str):
            words = frozenset([value])
        elif isinstance(value, dict) and set(value) == {"IN"}:
            words = frozenset(value["IN"])
        else:
            return None
        return ("LOWER" if attr == "LOWER" else "TEXT", words)

    def __len__(self) -> int:
        return len(self._order)

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        """(match id, start, end) of every match, by where it ends, where it starts, then the
        pattern's place in the list: matches of one span come in pattern order, as from one Matcher."""
        present = {("TEXT", t.text) for t in doc} | {("LOWER", t.lower_) for t in doc}
        groups = sorted({g for word in present for g in self._by_word.get(word, ())})
        found = list(self._always(doc)) if len(self._always) else []
        for g in groups:
            found += self._groups[g](doc)
        return sorted(found, key=lambda m: (m[2], m[1], self._order[m[0]]))


# --- clean-up after the recogniser --------------------------------------------------------------

class EntityFixer:
    """Strips titles, a leading "the", possessives and era markers ("218 BC") from entities; drops
    title-only and era-only entities;
    relabels designations (PRODUCT), treaties (LAW) and wars, battles and operations (EVENT);
    makes names after a person's title or with a Roman first name PERSONs, and names after "at"
    or "the siege of" places; applies the repair patterns (units, makers' models, ordinals);
    marks ships named after "the carrier(s)" as PRODUCTs and a maker's name written before a
    PRODUCT as an ORG. Rules version 6 adds: persons told by a common surname or a given name and
    a surname, a party's name before its members ("Labour MP"), electoral districts, one label for
    a list of names, and no entity of a bare letter, stop word, particle or quotation mark."""

    def __init__(self, nlp: Language, name: str = FIXER_NAME):
        self.name = name
        self.rules = rules()
        #: Read by annotate.fingerprint: changing the rules invalidates cached Docs.
        self.patterns = {"version": RULES_VERSION, **self.rules.raw}
        self.manufacturers = sorted(self.rules.raw["manufacturers"], key=len, reverse=True)
        self.matcher = OpenerMatcher(nlp.vocab, [(f"{p['label']}#{p.get('id', '')}#{n}", p["pattern"])
                                                 for n, p in enumerate(repair_patterns(nlp, self.rules))])
        self.given_names = gazetteer.given_names() - set(self.rules.raw["given_name_excluded"])
        self._offices = self.rules.offices | {t for t in self.rules.titles if len(t) > 1}
        self._title_ends = {t[-1] for t in self.rules.titles}
        self.patterns["gazetteer"] = gazetteer.digest()

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for ent in doc.ents:
            for part in self._list_parts(ent) if ent.label_ in ENTITY_LABELS else [ent]:
                fixed = self.fix(part) if part.label_ in ENTITY_LABELS else part
                if fixed is not None:
                    spans.append(fixed)
        spans = self._repairs(doc, spans)
        spans = self._person_of_place(doc, spans)
        spans = self._numbered_units(doc, spans)
        spans = self._gazetteer(doc, spans)
        spans = self._people_by_name(doc, spans)
        spans = self._party_words(doc, spans)
        spans = self._districts(doc, spans)
        spans = self._acronyms(doc, spans)
        spans = self._lists(doc, spans)
        spans = self._ships(doc, spans)
        spans = self._fragments(doc, spans)
        doc.ents = filter_spans(self._makers(doc, spans))
        return doc

    @staticmethod
    def _replace(spans: list[Span], new: Span) -> list[Span]:
        """``spans`` with ``new`` in place of the spans inside it; unchanged if one reaches outside."""
        clash = [s for s in spans if s.start < new.end and new.start < s.end]
        if any(s.start < new.start or s.end > new.end for s in clash):
            return spans
        return sorted([s for s in spans if s not in clash] + [new], key=lambda s: s.start)

    def _repairs(self, doc: Doc, spans: list[Span]) -> list[Span]:
        found = []
        for key, start, end in self.matcher(doc):
            label, kind, _ = doc.vocab.strings[key].split("#")
            found.append((Span(doc, start, end, label=label), kind))
        kinds = {(span.start, span.end, span.label_): kind for span, kind in found}
        for span in filter_spans([s for s, _ in found]):
            start, end, kind = span.start, span.end, kinds[(span.start, span.end, span.label_)]
            if kind == "peerage" and self._is_title_use(doc, start):
                spans = self._title_of_realm(doc, spans, start, end)
                continue
            if span.label_ == "PERSON" and kind != "peerage":
                start += self._strip_titles(span)  # "King Philip II of France" → "Philip II of France"
            if kind == "particle" and (doc[start].text in self.rules.raw["name_particles"]
                                       or not any(t.ent_type_ == "PERSON" for t in doc[start:end])):
                continue  # the model saw no person there: "Rio de Janeiro", "Los Angeles"
            if (span.label_ == "PRODUCT" and doc[end - 1].lower_ in self.rules.weapon_words
                    and doc[end - 1].lower_ not in self.rules.weapon_words_in_name):
                end -= 1  # "Spencer rifles" → "Spencer"
            if end > start:
                spans = self._replace(spans, Span(doc, start, end, label=span.label_))
        return spans

    @staticmethod
    def _list_parts(ent: Span) -> list[Span]:
        """A list the model ran into one entity ("Tito , Nehru , Nasser ,", "Kilkenny , Ballina ,")
        as its parts: split at the commas when the span ends in one or holds two or more."""
        commas = [t.i for t in ent if t.text == ","]
        if not commas or not (len(commas) >= 2 or ent[-1].text == ","):
            return [ent]
        parts, begin = [], ent.start
        for i in [*commas, ent.end]:
            words = [t for t in ent.doc[begin:i] if t.lower_ not in ("and", "or")]
            if words and words[0].text[:1].isupper():
                parts.append(Span(ent.doc, words[0].i, words[-1].i + 1, label=ent.label_))
            begin = i + 1
        return parts or [ent]

    def _is_title_use(self, doc: Doc, start: int) -> bool:
        """A peerage title at ``start`` is a person's title, not a name used for him: after his name
        and a comma ("William, Duke of Normandy") or after "as"/"became" ("as Duke of Normandy")."""
        i = start - 1
        if i >= 0 and doc[i].lower_ == "the":
            i -= 1
        if i >= 0 and doc[i].lower_ in self.rules.title_predicates:
            return True
        return start >= 2 and doc[start - 1].text == "," and doc[start - 2].ent_type_ == "PERSON"

    def _title_of_realm(self, doc: Doc, spans: list[Span], start: int, end: int) -> list[Span]:
        """Drop the entities inside a title ("Duke of Normandy") and keep its realm as a place."""
        of = next(i for i in range(start, end) if doc[i].lower_ == "of")
        spans = [s for s in spans if not (s.start < end and start < s.end and s.start < of + 1)]
        realm = Span(doc, of + 1, end, label="GPE", kb_id=CONTEXT_KB_ID)
        return self._replace([s for s in spans if not (s.start < end and of < s.end)], realm)

    def _person_of_place(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """"Odo of Bayeux", "William of Poitiers": a given name, or a one-word name the model tagged a
        person that the gazetteer does not know as a surname, before "of" and a name is one PERSON."""
        for i in range(len(doc) - 2):
            first, of, place = doc[i], doc[i + 1], doc[i + 2]
            if of.lower_ != "of" or not (first.is_title and place.is_title) or place.is_stop:
                continue
            if i > 0 and doc[i - 1].is_title and not doc[i - 1].is_sent_start:
                continue  # "Bank of", "Army of": part of a longer name
            known = gazetteer.lookup(first.text)
            given = first.text in self.given_names
            if not (given or (first.ent_type_ == "PERSON" and known is None)):
                continue
            if first.lower_ in {t[0] for t in self.rules.titles} or first.text in self.rules.event_openers:
                continue
            end = i + 3
            if end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and not doc[end].is_stop:
                end += 1
            if end < len(doc) and doc[end].is_title and not doc[end].is_stop:
                continue  # "William of Orange Street"
            new = Span(doc, i, end, label="PERSON")
            spans = self._replace([s for s in spans if not (s.start == i and s.end == i + 1)] , new) \
                if any(s.start == i and s.end == i + 1 for s in spans) else self._replace(spans, new)
        return spans

    def _party_words(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A party's name without "Party", capitalised mid-sentence before a word for its members or
        its standing, is the party (NORP, as the model tags "Republican"): "as Labour MP", "the
        large Liberal majority", "Whig candidates". Only a W whose "W Party" is a party the gazetteer
        knows (Party Facts), and only where the model saw nothing."""
        taken = {i for s in spans for i in range(s.start, s.end)}
        nouns = self.rules.party_member_nouns
        for i in range(1, len(doc) - 1):
            token = doc[i]
            if (i in taken or not token.is_title or not token.is_alpha or token.is_sent_start
                    or doc[i + 1].text not in nouns or doc[i - 1].text in (".", "!", "?", ":", '"', "“")):
                continue
            if token.text in _party_short_forms():
                spans = self._replace(spans, Span(doc, i, i + 1, label="NORP"))
        return spans

    def _districts(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A capitalised name the model left out after "constituency of", "riding of", "seat of" is a
        place: "contesting the constituency of Harwich"."""
        taken = {i for s in spans for i in range(s.start, s.end)}
        for i in range(2, len(doc)):
            if doc[i - 1].lower_ != "of" or doc[i - 2].lower_ not in self.rules.district_nouns:
                continue
            end = i
            while end < len(doc) and end - i < 3 and end not in taken and doc[end].pos_ == "PROPN" and doc[end].is_title:
                end += 1
            if end > i:
                spans = self._replace(spans, Span(doc, i, end, label="GPE", kb_id=CONTEXT_KB_ID))
        return spans

    def _fragments(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A one-word entity that is a single letter, a stop word or a name particle is no name ("F" of
        "Army Groups E and F", "La" of "La semaine des barricades"); a capitalised stop word just
        before an entity mid-sentence begins it ("the My Lai Massacre")."""
        particles = {w.lower() for w in self.rules.raw["name_particles"]}
        spans = sorted(spans, key=lambda s: s.start)
        out, merged = [], set()
        for k, span in enumerate(spans):
            if k in merged:
                continue
            token = span[0]
            if (len(span) > 1 or span.label_ not in ENTITY_LABELS
                    or not (len(token.text) == 1 or ((token.is_stop or token.lower_ in particles) and not token.is_upper))):
                out.append(span)
                continue
            after = spans[k + 1] if k + 1 < len(spans) else None
            if (after is not None and after.start == span.end and after.label_ in ENTITY_LABELS and token.lower_ != "the"
                    and len(token.text) > 1 and token.is_title and not token.is_sent_start
                    and not (span.start > 0 and doc[span.start - 1].text in (".", "!", "?", '"', "“"))):
                out.append(Span(doc, span.start, after.end, label=after.label_, kb_id=after.kb_id_))
                merged.add(k + 1)
        return out

    def _people_by_name(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Persons the model took for organisations or places, told by their names: a common surname
        (1990 US Census, Pantheon) at a clause's start before its verb or before a possessive ("Rowse
        was elected", "Rowse's essay"), tagged ORG or left untagged ("Duplessis returned as premier"),
        or tagged PRODUCT, FAC or LANGUAGE without an article ("along with Carranza"; "the Bismarck"
        stays a ship);
        a given name and a surname tagged ORG or GPE ("Chantal Berthelot", "Claudia Roth"; not
        "Victoria Cross": a cross is a word). A name the gazetteer knows as something else, a name
        with a head word ("Mahinda College Galle"), an acronym or an aircraft maker is left alone."""
        surnames, given = gazetteer.person_names()
        makers = set(self.rules.raw["manufacturers"]) | set(self.rules.raw["product_makers"])
        heads = (self.rules.org_heads | self.rules.place_heads | self.rules.event_heads | self.rules.law_heads
                 | self.rules.work_heads | set(self.rules.raw["unit_words"]) | set(self.rules.raw["org_of_heads"]))

        def other(text):
            known = gazetteer.lookup(text)
            return known is not None and known.label != "PERSON"

        def subject(token):
            """Before a finite verb (an adverb may come between) at a clause's start, or before a possessive."""
            i = token.i + 1
            if i < len(doc) and doc[i].text in POSSESSIVES:
                return True
            if i < len(doc) and doc[i].pos_ == "ADV":
                i += 1
            if i >= len(doc) or doc[i].tag_ not in ("VBD", "VBZ", "VBP", "MD"):
                return False
            before = doc[token.i - 1] if token.i > 0 else None
            return (token.is_sent_start or before is None or before.text in (",", ";", ":", ".")
                    or before.pos_ in ("CCONJ", "SCONJ") or before.lower_ in _SUBORDINATORS)  # "After Carranza took control"

        out, taken = [], {i for s in spans for i in range(s.start, s.end)}
        for span in spans:
            first, last = span[0], span[-1]
            if (span.kb_id_ or span.label_ not in ("ORG", "GPE", "PRODUCT", "FAC", "LANGUAGE") or other(span.text)
                    or first.text in makers):
                out.append(span)
            elif (len(span) == 1 and span.label_ in ("ORG", "PRODUCT", "FAC", "LANGUAGE") and first.is_title
                  and first.text in surnames and (subject(first) or (
                      span.label_ != "ORG" and not (span.start > 0 and doc[span.start - 1].pos_ == "DET")))):
                out.append(Span(doc, span.start, span.end, label="PERSON"))
            elif (2 <= len(span) <= 3 and all(t.is_title and t.is_alpha for t in span) and first.text in given
                  and not any(t.text in heads for t in span) and last.text in surnames):
                out.append(Span(doc, span.start, span.end, label="PERSON"))
            else:
                out.append(span)
        for token in doc:
            if (token.i not in taken and token.pos_ == "PROPN" and token.is_title and token.text in surnames
                    and subject(token) and not other(token.text) and token.text not in makers
                    and token.i + 1 < len(doc) and doc[token.i + 1].text not in POSSESSIVES):
                out = self._replace(out, Span(doc, token.i, token.i + 1, label="PERSON"))
        return out

    def _lists(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """A list of three or more names joined by commas and "and" names one kind of thing ("Leeds,
        Morley, Ossett and Pudsey"; "Tito, Nehru, Nasser and Sukarno"): when most of its names (a name
        the gazetteer confirms counting twice) carry one label, a name the model labelled otherwise
        takes that label and a capitalised proper noun it left out becomes one; a name the gazetteer
        knows keeps its own label, as does a common surname or a given name and a surname (1990 US
        Census, Pantheon). Places (GPE, LOC, FAC) vote together; the gazetteer's label and a person's
        name count twice, the model's once; the winning label needs two votes and more than half of
        them ("Orozco, Villa and Zapata": two surnames outvote the model's GPE for Villa)."""
        spans = self._split_listed(doc, spans)
        by_start = {s.start: s for s in spans}
        taken = {i for s in spans for i in range(s.start, s.end)}
        i = 0
        while i < len(doc):
            items, j, commas = [], i, 0
            while (item := self._list_item(doc, j, by_start, taken)) is not None:
                items.append(item)
                k = item[1]
                if k < len(doc) and doc[k].text == ",":
                    commas, k = commas + 1, k + 1
                    if k < len(doc) and doc[k].lower_ in ("and", "or"):
                        k += 1
                elif k < len(doc) and doc[k].lower_ in ("and", "or"):
                    k += 1
                else:
                    break
                if k >= len(doc) or doc[k].is_sent_start:
                    break
                j = k
            if len(items) >= 3 and commas:
                spans = self._label_list(doc, spans, items)
                i = items[-1][1]
            else:
                i += 1
        return spans

    @staticmethod
    def _split_listed(doc: Doc, spans: list[Span]) -> list[Span]:
        """An entity the model ran over two names of a list ("Doncaster , Halifax" between commas) as its parts."""
        out = []
        for s in spans:
            inside = [t.i for t in s if t.text == ","]
            listed = (s.start > 0 and doc[s.start - 1].text == ",") or (s.end < len(doc) and doc[s.end].text == ",")
            if not inside or not listed or s.label_ not in _LIST_LABELS:
                out.append(s)
                continue
            begin = s.start
            for i in [*inside, s.end]:
                if i > begin and all(t.text[:1].isupper() for t in doc[begin:i]):
                    out.append(Span(doc, begin, i, label=s.label_))
                begin = i + 1
        return out

    @staticmethod
    def _list_item(doc: Doc, j: int, by_start: dict, taken: set) -> tuple[int, int, Span | None] | None:
        """The name at token ``j`` of a list (after an optional "the"): an entity, or up to four
        capitalised proper nouns no entity covers; None if there is none."""
        if j < len(doc) and doc[j].lower_ == "the" and j + 1 < len(doc):
            j += 1
        if j >= len(doc):
            return None
        if j in by_start:
            return j, by_start[j].end, by_start[j]
        end = j
        while (end < len(doc) and end - j < 4 and end not in taken and doc[end].pos_ == "PROPN"
               and doc[end].text[:1].isupper() and doc[end].is_alpha and not doc[end].is_stop):
            end += 1
        return (j, end, None) if end > j else None

    def _label_list(self, doc: Doc, spans: list[Span], items: list) -> list[Span]:
        def kind(label):
            return "place" if label in _PLACE_LABELS else label

        surnames, given = gazetteer.person_names()

        def evidence(start, end, span):
            """(kind, weight, certain) of a list item: the gazetteer's label or a person's name
            (certain, weight 2), else the model's label (weight 1), else nothing."""
            text = doc[start:end].text
            known = gazetteer.lookup(text)
            if span is not None and span.kb_id_ in (GAZETTEER_KB_ID, CONTEXT_KB_ID):
                return kind(span.label_), 2, True
            if known is not None:
                return kind(known.label), 2, True
            words = [t.text for t in doc[start:end]]
            if gazetteer.key(text) not in gazetteer.ambiguous() and (
                    (len(words) == 1 and words[0] in surnames) or (len(words) > 1 and words[0] in given and words[-1] in surnames)):
                return "PERSON", 2, True  # "Carranza", "Álvaro Obregón"
            return (kind(span.label_), 1, False) if span is not None else (None, 0, False)

        votes = Counter()
        found = []
        for start, end, span in items:
            if span is not None and span.label_ not in _LIST_LABELS:
                return spans  # a list with an event or a date in it: not one kind of name
            found.append((start, end, span, *evidence(start, end, span)))
            if found[-1][3] is not None:
                votes[found[-1][3]] += found[-1][4]
        if not votes:
            return spans
        winner, weight = votes.most_common(1)[0]
        if weight < 2 or weight * 2 <= sum(votes.values()):
            return spans
        label = "GPE" if winner == "place" else winner
        heads = self.rules.org_heads | self.rules.place_heads | self.rules.event_heads | self.rules.law_heads | self.rules.work_heads
        for start, end, span, what, _, certain in found:
            if (span is not None and kind(span.label_) == winner) or (certain and what != winner):
                continue  # already right, or the gazetteer or the name itself says otherwise
            if span is not None and span.label_ == "NORP":
                continue  # a people beside places or persons: "France, Tunisia and the Algerians"
            before = doc[start - 1] if start > 0 else None
            of_name = before is not None and before.lower_ == "of" and start > 1 and doc[start - 2].is_title
            if before is not None and (of_name or before.text in POSSESSIVES or before.is_quote
                                       or (before.tag_ in ("PRP$", "DT", "WP$") and before.lower_ != "the")):
                continue  # "the Party of the Left of [Massimo D'Alema], ...", "his [Cabinet], William Seward, ..."
                # (a list after a common noun and "of" is one: "the towns of Hué, Quảng Trị and Hội An")
            if doc[end - 1].text in heads or doc[end - 1].text in self.rules.named_unit_words:
                continue  # "United Jewish Socialist Workers Party": its head word says what it is
            if span is not None and (span.kb_id_ or doc[start].is_upper):
                continue  # a label read from context or the gazetteer, or an acronym
            known = gazetteer.lookup(doc[start:end].text)
            new = Span(doc, start, end, label=known.label if known is not None and kind(known.label) == winner else label)
            spans = sorted([s for s in spans if s is not span] + [new], key=lambda s: s.start) if span is not None \
                else self._replace(spans, new)
        return spans

    def _acronyms(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """An acronym in brackets just after an organisation or a place names it: "Gibraltar Socialist
        Labour Party ( GSLP )", "United Nations (UN)"; an acronym of three to six capitals the model
        left untagged elsewhere ("the SPD", "the NKVD") is an organisation's, unless it is a Roman
        numeral, an era marker or a common abbreviation (``not_acronyms``)."""
        ends = {s.end: s for s in spans}
        taken = {i for s in spans for i in range(s.start, s.end)}
        common = set(self.rules.raw["not_acronyms"]) | self.rules.era_markers
        for i in range(len(doc)):
            if i in taken or not _ACRONYM.match(doc[i].text) or doc[i].text in common:
                continue
            before = ends.get(i - 1) if 0 < i < len(doc) - 1 and doc[i - 1].text == "(" and doc[i + 1].text == ")" else None
            if before is None and i > 1 and doc[i - 1].text == "(" and i + 1 < len(doc) and doc[i + 1].text == ")":
                before = ends.get(i - 1)
            if before is not None and before.label_ in ("ORG", "GPE"):
                spans = self._replace(spans, Span(doc, i, i + 1, label=before.label_))
            elif (len(doc[i].text) >= 3 and not re.match(r"^[IVXLCDM]+$", doc[i].text)
                  and not (i + 1 < len(doc) and doc[i + 1].is_upper and doc[i + 1].is_alpha)
                  and not (i > 0 and doc[i - 1].is_upper and doc[i - 1].is_alpha)):
                entry = gazetteer.lookup(doc[i].text)
                spans = self._replace(spans, Span(doc, i, i + 1, label=entry.label if entry else "ORG"))
        return spans

    def _numbered_units(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """"20th Maine", "15th Alabama Infantry": an ordinal before a state or place is a regiment (ORG)."""
        for i in range(len(doc) - 1):
            if not _ORDINAL_NUMBER.match(doc[i].text):
                continue
            for n in (3, 2, 1):
                place = doc[i + 1:i + 1 + n]
                if len(place) < n or not all(t.is_title for t in place):
                    continue
                entry = gazetteer.lookup(place.text)
                if (entry is not None and entry.label == "GPE") or all(t.ent_type_ == "GPE" for t in place):
                    end = i + 1 + n
                    while end < len(doc) and doc[end].text in self.rules.state_unit_words:
                        end += 1
                    spans = self._replace(spans, Span(doc, i, end, label="ORG"))
                    break
        return spans

    def _gazetteer(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Names of the shipped gazetteer: a multi-word name the model missed or cut becomes one
        entity ("Seleucid Empire", "Battle of Hastings"); a name the model tagged with a wrong label
        takes the gazetteer's ("Egypt" tagged PERSON). Labels read from context ("at X") stay."""
        table = gazetteer.entries()
        i = 0
        while i < len(doc):
            if (not doc[i].text[:1].isupper() or (i > 0 and doc[i - 1].is_title and not doc[i].is_sent_start
                                                  and doc[i - 1].tag_ != "CD"  # "Three [United States] presidents", not "Second [Spanish Republic]"
                                                  and doc[i - 1].lower_ not in self._title_ends)
                    or not gazetteer.may_start(doc[i].text)):
                i += 1
                continue
            for j in range(min(len(doc), i + gazetteer.MAX_TOKENS), i, -1):
                entry = table.get(gazetteer.key(doc[i:j].text))
                if entry is None or not doc[j - 1].text[:1].isalnum():
                    continue
                if j == i + 1 and not (entry.findable_alone and doc[i].is_title and not doc[i].is_sent_start
                                       and not doc[i].ent_type_ and doc[i].pos_ == "PROPN"):
                    continue  # one word: only a country, state or large city, mid-sentence, that the model left untagged
                if j < len(doc) and doc[j].is_title and doc[j].is_alpha:
                    continue  # part of a longer name: "New York" of "New York Times"
                spans = self._replace(spans, Span(doc, i, j, label=entry.label, kb_id=GAZETTEER_KB_ID))
                i = j - 1
                break
            i += 1
        out = []
        for span in spans:
            entry = table.get(gazetteer.key(span.text))
            places = {"GPE", "LOC", "FAC"}
            if (entry is not None and entry.label != span.label_ and span.kb_id_ != CONTEXT_KB_ID
                    and not {entry.label, span.label_} <= places  # the Somme: a river (LOC) and a department (GPE)
                    and not (span.label_ == "NORP" and entry.source.startswith("partyfacts:"))):  # "the Democrats": a political group
                span = Span(doc, span.start, span.end, label=entry.label, kb_id=GAZETTEER_KB_ID)
            out.append(span)
        return out

    def _ships(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """Names after a ship word are ships: "the carriers Akagi, Kaga and Soryu", "the carrier, Hiryu"."""
        prefixes = self.rules.ship_prefixes
        for token in doc:
            if not (token.is_lower and token.text in self.rules.ship_words):
                continue
            i = token.i + 1
            if i < len(doc) and doc[i].text == ",":
                i += 1
            while i < len(doc) and (doc[i].is_title or doc[i].text in prefixes) and not doc[i].is_stop:
                j = i
                while j < len(doc) and j - i < 4 and (doc[j].is_title or doc[j].text in prefixes
                                                       or re.match(r"^[A-Z]+-?\d+$", doc[j].text)):
                    j += 1
                spans = self._replace(spans, Span(doc, i, j, label="PRODUCT", kb_id=CONTEXT_KB_ID))
                if j + 1 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ != "and":
                    i = j + 1
                elif j + 1 < len(doc) and doc[j].lower_ in {"and", "or"}:
                    i = j + 1
                elif j + 2 < len(doc) and doc[j].text == "," and doc[j + 1].lower_ in {"and", "or"}:
                    i = j + 2
                else:
                    break
        return spans

    # A title phrase starting at token i of ``span``: returns the index after it, or None.
    def _title_at(self, tokens: list[str], i: int) -> int | None:
        for n in range(min(self.rules.longest_title, len(tokens) - i), 0, -1):
            if tuple(tokens[i:i + n]) in self.rules.titles:
                return i + n
        return None

    def _strip_titles(self, span: Span, found: list | None = None) -> int:
        """Number of leading tokens of ``span`` that are titles (with their qualifiers and stops);
        the titles themselves are appended to ``found``."""
        words = [name_key(t.text) for t in span]
        i, stripped = 0, 0
        while i < len(words):
            if words[i] == "":  # a lone "." after an abbreviation
                i += 1
                continue
            after = self._title_at(words, i)
            if after is None and words[i] in self.rules.qualifiers:
                j = i + 1
                after = self._title_at(words, j) if j < len(words) else None
            if after is None:
                break
            if found is not None:
                found.append(tuple(words[i:after]) if tuple(words[i:after]) in self.rules.titles else tuple(words[i + 1:after]))
            i = stripped = after
        while stripped < len(words) and words[stripped] == "":
            stripped += 1
        return stripped

    def fix(self, ent: Span) -> Span | None:
        doc, start, end, label = ent.doc, ent.start, ent.end, ent.label_
        while end > start and doc[end - 1].text in POSSESSIVES:
            end -= 1
        if end - start > 1 and doc[start].lower_ == "the" and doc[start:end].text.lower() not in self.rules.keep_article:
            start += 1
        while end - start > 1 and doc[start].is_quote:
            start += 1  # 'the "Flying Circus' → 'Flying Circus'
        while end - start > 1 and doc[end - 1].is_quote:
            end -= 1
        while end - start > 1 and (doc[end - 1].text in DASHES or doc[end - 1].text in {",", ";"}
                                   or doc[end - 1].text in ("and", "or")):
            end -= 1  # "George Shultz -", "Kilkenny , Ballina ,", "Villa and"
        if not any(ch.isalnum() for ch in doc[start:end].text):
            return None  # a bare quotation mark or dash: 'the "' tagged LAW
        bracket = next((t.i for t in doc[start + 1:end] if t.text in ("(", ")", "[", "]")), None)
        if bracket is not None and doc[bracket].text in "([" and not any(t.text in ")]" for t in doc[bracket:end]):
            end = bracket  # "Amsterdam Gemeenteraad ( City Council": the name ends at the open bracket
            while end - start > 1 and doc[end - 1].is_punct:
                end -= 1
        era_cut = False
        while end > start and self.is_circa(doc[start]):
            start, era_cut = start + 1, True  # "c. 900"
        while end > start and self.is_era(doc[start]):
            start, era_cut = start + 1, True
        while end > start and self.is_era(doc[end - 1]):
            end, era_cut = end - 1, True
        if end <= start or (era_cut and all(_YEARISH.match(t.text) or t.is_punct for t in doc[start:end])):
            return None
        if end - start == 1 and label == "ORG" and doc[start].text in self.rules.raw["not_acronyms"]:
            return None  # "POW", "MP": abbreviations, not organisations
        if self._inside_office(doc, start, end):
            return None  # "State" of "Secretary of State", "Postmaster General"
        titles: list[tuple] = []
        cut = self._strip_titles(doc[start:end], titles)
        if cut >= end - start:
            return None  # nothing but a title: "Lt", "President"
        if cut and (doc[start + cut].is_title or doc[start + cut].is_upper):
            if label == "PERSON":
                start += cut
            elif any(t not in self.rules.ambiguous_titles for t in titles):
                start, label = start + cut, "PERSON"  # "Kaiser Wilhelm II" tagged ORG
        if label != "PERSON" and not cut and self._title_before(doc, start):
            label = "PERSON"  # "Lt. [Wilfrid] May": the model left the rank and surname out
            while (end < len(doc) and doc[end].is_title and doc[end].pos_ == "PROPN" and not doc[end].ent_type_
                   and doc[end].text not in POSSESSIVES):
                end += 1
        span = doc[start:end]
        new = self.relabel(span, label)
        if new is None and label != "PERSON" and len(span) > 1 and span[0].text in self.rules.person_openers:
            new = "PERSON"  # "Lucius Aemilius Paullus" tagged ORG
        if (new is None and not cut and (label in ("PERSON", "ORG") or (label == "EVENT" and len(span) == 1))
                and self.is_place_context(span)):
            return Span(doc, start, end, label="GPE", kb_id=CONTEXT_KB_ID)  # "at Cannae", "the siege of Acre"
        return Span(doc, start, end, label=new or label)

    def _inside_office(self, doc: Doc, start: int, end: int) -> bool:
        """The span lies inside an office written around it: "Secretary of [State]", "[Defence]
        Minister", "[Postmaster General]" (a whole-title span is dropped by the title rules too)."""
        offices = self._offices
        lo, hi = max(0, start - 3), min(len(doc), end + 3)
        words = [name_key(t.text) for t in doc[lo:hi]]
        for a in range(0, start - lo + 1):
            for b in range(end - lo, len(words) + 1):
                if tuple(w for w in words[a:b] if w) in offices:
                    return True
        return False

    def is_circa(self, token) -> bool:
        """A circa or life-date marker before a year: "[c.] 900", "[fl.] 1200"."""
        doc, i = token.doc, token.i
        return (token.lower_ in self.rules.circa_markers and i + 1 < len(doc) and doc[i + 1].text[:1].isdigit()
                and (token.text.endswith(".") or (i + 2 < len(doc) and doc[i + 1].text == ".")))

    def _title_before(self, doc: Doc, start: int) -> bool:
        """A title that marks a person (not "General", "King": see ambiguous_titles) ends just before ``start``."""
        words = [name_key(t.text) for t in doc[max(0, start - self.rules.longest_title):start]]
        for n in range(len(words), 0, -1):
            title = tuple(w for w in words[-n:] if w)
            if title in self.rules.titles and title not in self.rules.ambiguous_titles and doc[start].is_title:
                return True
        return False

    def is_place_context(self, span: Span) -> bool:
        """``span`` follows "at"/"near" or "the siege of", or an apposition names a kind of place
        ("Guernica, a small Basque town"); a possessive ("at Lee's") is not a place."""
        doc, i = span.doc, span.start
        if span.end < len(doc) and doc[span.end].text in POSSESSIVES:
            return False
        if any(t.text in self.rules.org_heads or (t.text in self.rules.raw["org_of_heads"] and t.i + 1 < span.end
                                                  and doc[t.i + 1].lower_ == "of") for t in span):
            return False  # "studied at Keio University", "at the University of Tokyo": an institution
        if i > 0 and doc[i - 1].lower_ in self.rules.place_prepositions:
            return True
        if span.end + 2 < len(doc) and doc[span.end].text == ",":  # "Guernica, a small Basque town"
            for token in doc[span.end + 1:span.end + 6]:
                if token.is_punct:
                    break
                if token.lower_ in self.rules.raw["place_appositives"] and token.pos_ == "NOUN":
                    return True
        if i > 1 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in self.rules.district_nouns:
            return True  # "his seat of Warringah", "the riding of Trinity–Spadina"
        return i > 1 and doc[i - 1].lower_ == "of" and doc[i - 2].lower_ in self.rules.place_nouns

    def is_era(self, token) -> bool:
        """An era marker written beside a year or century: "218 [BC]", "[AD] 79", "3rd century [BCE]"."""
        if token.text not in self.rules.era_markers:
            return False
        doc, i = token.doc, token.i
        before = doc[i - 1] if i > 0 else None
        after = doc[i + 1] if i + 1 < len(doc) else None
        return bool((before is not None and (_YEARISH.match(before.text) or before.lower_ in self.rules.era_after))
                    or (after is not None and after.text[:1].isdigit()))

    def relabel(self, span: Span, label: str = "") -> str | None:
        r = self.rules
        texts = [t.text for t in span]
        if texts[0] in r.ship_prefixes and len(texts) > 1:
            return "PRODUCT"
        # Whitespace words, not tokens: the tokenizer splits some designations ("A6" "M").
        if any(rx.match(w) for w in span.text.split() for rx in r.designations):
            return "PRODUCT"
        if len(texts) > 1 and texts[0] in r.designation_prefixes and r.designation_number.match(texts[1]):
            return "PRODUCT"
        if name_key(span.text) in r.law_names:
            return "LAW"
        if len(texts) > 2 and texts[1] == "of":
            if texts[0] in r.raw["assembly_openers"] and _plural(span[-1]):
                return "ORG"  # "Congress of Deputies", "Council of State Governments": a body of members
            if texts[0] in r.law_openers:
                return "LAW"
            if texts[0] in r.event_openers:
                return "EVENT"
        if len(texts) > 1 and texts[0] in r.operation_words and span[1].is_title:
            return "EVENT"
        if texts[-1] in r.named_unit_words and label in ("GPE", "NORP", "PERSON"):
            return "ORG"  # "Republic of Korea Army"
        if len(texts) > 1 and texts[-1] in r.work_heads and span[0].is_title:
            return "WORK_OF_ART"  # "Bayeux Tapestry" tagged ORG
        if len(texts) > 1 and texts[-1] in r.org_heads and label in ("GPE", "NORP", "PERSON", "LOC", "FAC"):
            return "ORG"  # "Brexit Party" tagged PERSON
        if len(texts) > 1 and texts[-1] in r.place_heads and label not in ("", "LOC", "EVENT", "LAW"):
            return "LOC"  # "Midway Atoll" tagged PERSON, "Aleutian Islands" GPE
        if any(t.is_lower and t.is_alpha for t in span):
            return None  # "Ministry of War", "The Art of War": not a head-final name
        last = texts[-2] if len(texts) > 1 and re.match(_ROMAN_OR_NUMBER, texts[-1]) else texts[-1]
        if texts[-1] in r.law_heads:
            return "LAW"
        if last in r.event_heads:
            return "EVENT"
        return None

    def _makers(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """An aircraft maker written just before a PRODUCT is an ORG ("North American B-25B")."""
        out = list(spans)
        for product in [s for s in spans if s.label_ == "PRODUCT"]:
            before = doc.text[:product.start_char].rstrip()
            for maker in self.manufacturers:
                begin = len(before) - len(maker)
                if not before.endswith(maker) or (begin > 0 and before[begin - 1].isalnum()):
                    continue
                maker_span = doc.char_span(begin, len(before), label="ORG")
                if maker_span is None:
                    continue
                clash = [s for s in out if s.start < maker_span.end and maker_span.start < s.end]
                if all(maker_span.start <= s.start and s.end <= maker_span.end for s in clash):
                    out = [s for s in out if s not in clash] + [maker_span]
                break
        return sorted(out, key=lambda s: s.start)


@Language.factory(FIXER_NAME)
def make_entity_fixer(nlp: Language, name: str) -> EntityFixer:
    return EntityFixer(nlp, name)


def customise(nlp: Language) -> None:
    """Add the ruler (before ``ner``), the fixer (after it) and title abbreviations to ``nlp``."""
    if RULER_NAME in nlp.pipe_names:
        return
    r = rules()
    for abbreviation in r.raw["abbreviations"]:
        if len(nlp.tokenizer(abbreviation)) > 1:
            nlp.tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    for word in r.raw["single_tokens"]:
        nlp.tokenizer.add_special_case(word, [{ORTH: word}])
    for word in r.raw["split_full_stop"]:
        nlp.tokenizer.add_special_case(word, [{ORTH: word[:-1]}, {ORTH: "."}])
    where = {"before": "ner"} if "ner" in nlp.pipe_names else {}
    ruler = nlp.add_pipe("entity_ruler", name=RULER_NAME, config={"validate": True}, **where)
    ruler.add_patterns(ruler_patterns(nlp, r))
    nlp.add_pipe(FIXER_NAME, **({"after": "ner"} if where else {}))
