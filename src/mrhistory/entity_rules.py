"""Entity rules for historical prose: an EntityRuler before spaCy's recogniser and a clean-up after it.

The stock model tags ranks as places ("Lt" → GPE), keeps possessives ("Doolittle's"), calls
aircraft organisations and misses treaties. These components fix such *classes* of error from
the word lists in ``data/entity_rules.toml``. They are registered at import time, so spaCy worker
processes (``--jobs N``) can rebuild them; :func:`customise` adds them to the shared pipeline.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.symbols import ORTH
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .names import name_key
from .packaged import data_toml

RULER_NAME = "mrhistory_entity_ruler"
#: The knowledge-base id the fixer gives an entity whose label it decided from the words around
#: it ("at Cannae"): mrhistory.entities lets that label win over the model's for the same name.
CONTEXT_KB_ID = "mrhistory:context"
FIXER_NAME = "mrhistory_entity_fixer"
#: The named-entity labels this toolkit counts (OntoNotes, as spaCy uses them). Dates and
#: numbers (DATE, TIME, CARDINAL, ORDINAL, QUANTITY, MONEY, PERCENT) are left to other analyses.
ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE")
POSSESSIVES = frozenset({"'s", "’s", "'", "’", "'S", "’S"})
DASHES = ("-", "‐", "‑", "–", "—")
#: Bump when the code below changes what the components do: cached Docs are then rebuilt.
RULES_VERSION = 4
_ROMAN_OR_NUMBER = r"^(?:[IVX]{1,4}|\d{1,2}|One|Two|Three)$"
#: A year, a decade or an ordinal century as written before an era marker: "218", "1940s", "3rd".
_YEARISH = re.compile(r"^\d[\d,]*(?:s|st|nd|rd|th)?$")


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
    place_heads: frozenset
    named_unit_words: frozenset


@lru_cache(maxsize=1)
def rules() -> Rules:
    raw = data_toml("entity_rules.toml")
    titles = frozenset(_phrase(t) for t in raw["titles"])
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
        place_heads=frozenset(raw["place_heads"]),
        named_unit_words=frozenset(raw["named_unit_words"]),
    )


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
        patterns.append({"label": "PERSON", "pattern": [*[{"TEXT": t.text} for t in nlp.make_doc(title)],
                                                        {"LOWER": "of"}, {"IS_TITLE": True, "POS": "PROPN"}]})
    for title in r.raw["ruler_titles"]:
        patterns.append({"label": "PERSON", "pattern": [
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
    return patterns


# --- clean-up after the recogniser --------------------------------------------------------------

class EntityFixer:
    """Strips titles, a leading "the", possessives and era markers ("218 BC") from entities; drops
    title-only and era-only entities;
    relabels designations (PRODUCT), treaties (LAW) and wars, battles and operations (EVENT);
    makes names after a person's title or with a Roman first name PERSONs, and names after "at"
    or "the siege of" places; applies the repair patterns (units, makers' models, ordinals);
    marks ships named after "the carrier(s)" as PRODUCTs and a maker's name written before a
    PRODUCT as an ORG."""

    def __init__(self, nlp: Language, name: str = FIXER_NAME):
        self.name = name
        self.rules = rules()
        #: Read by annotate.fingerprint: changing the rules invalidates cached Docs.
        self.patterns = {"version": RULES_VERSION, **self.rules.raw}
        self.manufacturers = sorted(self.rules.raw["manufacturers"], key=len, reverse=True)
        self.matcher = Matcher(nlp.vocab)
        for n, p in enumerate(repair_patterns(nlp, self.rules)):
            self.matcher.add(f"{p['label']}#{n}", [p["pattern"]])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for ent in doc.ents:
            fixed = self.fix(ent) if ent.label_ in ENTITY_LABELS else ent
            if fixed is not None:
                spans.append(fixed)
        spans = self._ships(doc, self._repairs(doc, spans))
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
        found = [Span(doc, start, end, label=doc.vocab.strings[key].split("#")[0])
                 for key, start, end in self.matcher(doc)]
        for span in filter_spans(found):
            start, end = span.start, span.end
            if span.label_ == "PERSON" and doc[start + 1].lower_ != "of":
                start += self._strip_titles(span)  # "King Philip II of France" → "Philip II of France"
            if (span.label_ == "PRODUCT" and doc[end - 1].lower_ in self.rules.weapon_words
                    and doc[end - 1].lower_ not in self.rules.weapon_words_in_name):
                end -= 1  # "Spencer rifles" → "Spencer"
            if end > start:
                spans = self._replace(spans, Span(doc, start, end, label=span.label_))
        return spans

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
                spans = self._replace(spans, Span(doc, i, j, label="PRODUCT"))
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
        era_cut = False
        while end > start and self.is_era(doc[start]):
            start, era_cut = start + 1, True
        while end > start and self.is_era(doc[end - 1]):
            end, era_cut = end - 1, True
        if end <= start or (era_cut and all(_YEARISH.match(t.text) or t.is_punct for t in doc[start:end])):
            return None
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
        if i > 0 and doc[i - 1].lower_ in self.rules.place_prepositions:
            return True
        if span.end + 2 < len(doc) and doc[span.end].text == ",":  # "Guernica, a small Basque town"
            for token in doc[span.end + 1:span.end + 6]:
                if token.is_punct:
                    break
                if token.lower_ in self.rules.raw["place_appositives"] and token.pos_ == "NOUN":
                    return True
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
            if texts[0] in r.law_openers:
                return "LAW"
            if texts[0] in r.event_openers:
                return "EVENT"
        if len(texts) > 1 and texts[0] in r.operation_words and span[1].is_title:
            return "EVENT"
        if texts[-1] in r.named_unit_words and label in ("GPE", "NORP", "PERSON"):
            return "ORG"  # "Republic of Korea Army"
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
