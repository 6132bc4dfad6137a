"""Canonical names and labels of entity mentions: the passes that turn what the model tagged into
what is counted ("Hitler" → "Adolf Hitler", "Yorktown" → "USS Yorktown", one label per name)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..entity_rules import ENTITY_LABELS, rules
from ..names import name_key, name_words
from .aliases import compatible, lookup, shipped_aliases
from .authority import Authority

_PLURAL_DESIGNATION = re.compile(r"^(.*\d[A-Z]?)s$")
#: A people named in the plural ("the Romans", "the Zulus") is counted under its singular, as
#: "the Americans" is under "American": not "Swiss", "Axis", "Allies", "Sioux".
_PLURAL_PEOPLE = re.compile(r"^([A-Z][\w-]*[^sie\W])s$|^([A-Z][\w-]*(?:ee|te|ne|de|le|ve|ke))s$")
_NICKNAME = re.compile(r"\s*[\"“”][^\"“”]+[\"“”]")


def canonicalise(found: list[dict], *, authority: Authority | None = None) -> list[dict]:
    """The mentions kept, each with its canonical name, label and QID, after every pass in order:
    the user's entries, the shipped alias table, within-column resolution, short forms, the user's
    renames of canonical names, one spelling and label per entity, one label per name in a column."""
    table = shipped_aliases()
    kept = []
    for m in found:
        m.update(canonical=_default_name(m["name"], m["label"]), wikidata="", fixed=False, label_fixed=False)
        entry = authority.get(m["name"]) if authority else None
        if entry is None:
            alias = lookup(table, name_key(m["name"]), m["label"])
            if alias is not None:
                m.update(canonical=alias.canonical, label=alias.label, wikidata=alias.wikidata, fixed=True, label_fixed=True)
        elif entry.decision == "ignore":
            continue
        else:
            m.update(canonical=entry.canonical, wikidata=entry.wikidata, fixed=True, user=True)
            if entry.label:
                m.update(label=entry.label, label_fixed=True)
        kept.append(m)
    _resolve_within_column(kept)
    _resolve_short_forms(kept)
    if authority:  # a user's entry may also rename or drop a canonical name the rules produced
        renamed = []
        for m in kept:
            if not m.get("user") and name_key(m["canonical"]) in authority.entries:
                entry = authority.get(m["canonical"])
                if entry.decision == "ignore":
                    continue
                m.update(canonical=entry.canonical, wikidata=entry.wikidata or m["wikidata"], fixed=True)
                if entry.label:
                    m.update(label=entry.label, label_fixed=True)
            renamed.append(m)
        kept = renamed
    _unify(kept)
    _one_label_per_column(kept)
    return kept


def _default_name(name: str, label: str) -> str:
    if label == "PRODUCT":
        words = name.split()
        if words and (m := _PLURAL_DESIGNATION.match(words[-1])):
            return " ".join([*words[:-1], m.group(1)])
        if len(words) > 1 and words[-1].endswith("s") and words[-1] in rules().weapon_words:
            return " ".join([*words[:-1], words[-1][:-1]])  # "Gatling guns" → "Gatling gun"
        if (len(words) > 1 and re.match(r"^[A-Z][a-z]+[^s\W]s$", words[-1])
                and any(rx.match(words[0]) for rx in rules().designations)):
            return " ".join([*words[:-1], words[-1][:-1]])  # "F-86 Sabres" → "F-86 Sabre"
    if label == "NORP" and " " not in name and (m := _PLURAL_PEOPLE.match(name)):
        return m.group(1) or m.group(2)
    if label == "PERSON":
        return " ".join(_NICKNAME.sub("", name).split()) or name  # 'William "Snowy" Evans'
    return name


_PEERS = frozenset(w.lower() for t in rules().raw["peerage_titles"] for w in t.split())


def _person_words(name: str) -> list[str]:
    return list(name_words(name))


def _resolve_within_column(found: list[dict]) -> None:
    """Within a column, a short name takes the label and canonical of the fuller name written
    there — a ship without its prefix ("Yorktown" → "USS Yorktown"), a place without its feature
    word ("Midway" → "Midway Atoll"), a peer's seat ("Wellington" → "Duke of Wellington") — and
    a name tagged as an organisation that is a person's name written there ("Napoleon" beside
    "Napoleon Bonaparte") becomes a PERSON."""
    r = rules()
    peers = {_word.lower() for t in r.raw["peerage_titles"] for _word in t.split()}
    by_column = defaultdict(list)
    for m in found:
        by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        fuller, people = {}, set()
        for m in mentions:
            words = m["name"].split()
            if m["label"] == "PRODUCT":
                fuller.setdefault(name_key(m["name"]), m)  # "the carrier Hiryu" … "Hiryu"
                if len(words) > 1 and words[0] in r.ship_prefixes:
                    fuller.setdefault(name_key(" ".join(words[1:])), m)  # "USS Yorktown" … "Yorktown"
            if m["label"] == "LOC" and len(words) > 1 and words[-1] in r.place_heads:
                fuller.setdefault(name_key(" ".join(words[:-1])), m)  # "Midway Atoll" … "Midway"
            if m["label"] == "PERSON":
                people.add(tuple(_person_words(m["name"])))
                if len(words) == 3 and words[1] == "of" and words[0].lower() in peers:
                    fuller.setdefault(name_key(words[2]), m)  # "Duke of Wellington" … "Wellington"
        for m in mentions:
            if m.get("user"):
                continue
            full = fuller.get(name_key(m["name"]))
            if full is not None and m is not full and m["label"] not in ("EVENT", "LAW"):
                m.update(canonical=full["canonical"], label=full["label"], wikidata=full["wikidata"],
                         fixed=True, label_fixed=True)
            elif m["label"] == "ORG" and not m["label_fixed"]:
                words = _person_words(m["name"])
                if any(p == tuple(words) or (len(p) > len(words) and p[-len(words):] == tuple(words))
                       or ("of" in p and p[:len(words)] == tuple(words)) for p in people):
                    m.update(label="PERSON")


def _regnal_short_form(words: list[str], full: list[str]) -> bool:
    """"Philip" of "Philip II of France": a ruler's name before the regnal number and realm."""
    return "of" in full and full[:len(words)] == words and "of" not in words and full[0] not in _PEERS


def _resolve_short_forms(found: list[dict]) -> None:
    """Within a column, a PERSON written in part ("Hitler") takes the canonical of a fuller
    name of the same person written there ("Adolf Hitler"): the nearest earlier one, else the
    only later one. Several candidates with different canonicals leave the mention alone."""
    by_column = defaultdict(list)
    for m in found:
        if m["label"] == "PERSON":
            by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        for i, m in enumerate(mentions):
            if m["fixed"] or m.get("user"):
                continue
            words = _person_words(m["name"])
            fuller = [(j, f) for j, f in enumerate(mentions)
                      if j != i and len(_person_words(f["name"])) > len(words)
                      and ((_person_words(f["name"])[-1] == words[-1] and set(words) <= set(_person_words(f["name"])))
                           or _regnal_short_form(words, _person_words(f["name"])))]
            earlier = {f["canonical"]: f for j, f in fuller if j < i}
            later = {f["canonical"]: f for j, f in fuller if j > i}
            choice = earlier if earlier else later
            if len(choice) == 1:
                full = next(iter(choice.values()))
                m.update(canonical=full["canonical"], wikidata=full["wikidata"], fixed=True)


def _unify(found: list[dict]) -> None:
    """One spelling and one label per entity: names the rules left as written are grouped by
    their alias key ("Soviets" / "soviets"), the most frequent spelling wins; an entity tagged
    with confusable labels takes its most frequent label."""
    spellings: dict[tuple, Counter] = defaultdict(Counter)
    for m in found:
        if not m["fixed"]:
            spellings[(name_key(m["canonical"]), m["label"])][m["canonical"]] += 1
    for m in found:
        if not m["fixed"]:
            counts = spellings[(name_key(m["canonical"]), m["label"])]
            m["canonical"] = min(counts, key=lambda s: (-counts[s], s))
    labels: dict[str, Counter] = defaultdict(Counter)
    for m in found:  # a label read from the words around a name ("at Cannae") outweighs the model's
        labels[m["canonical"]][m["label"]] += 1000 if m.get("context") else 1
    order = {label: i for i, label in enumerate(ENTITY_LABELS)}
    for m in found:
        if m["label_fixed"]:
            continue
        counts = labels[m["canonical"]]
        best = min((l for l in counts if compatible(l, m["label"])), key=lambda l: (-counts[l], order[l]))
        m["label"] = best


#: The label a name keeps when its mentions in one column are tied between labels of different
#: kinds: places first (the model's commonest slip in this prose calls a town or a ship a
#: person), then peoples, events and things, persons, and works of art last (rare, see below).
LABEL_PRIORITY = ("GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "PRODUCT", "ORG", "PERSON", "LANGUAGE", "WORK_OF_ART")
#: The weight of a mention whose label a rule decided (an alias row, a title, "at"/"the siege
#: of" before it) against a mention labelled by the model alone.
RULE_WEIGHT = 1000


def _one_label_per_column(found: list[dict]) -> None:
    """Within a column, every mention of one canonical name takes one label, whatever kinds of
    label they were given ("Ladysmith" GPE and PERSON → GPE). The label with the strongest
    evidence wins: a label set by a rule (alias row, title, place preposition) outweighs any
    number of the model's; otherwise the majority; a tie goes to :data:`LABEL_PRIORITY`.
    Labels from the user's entities.csv and from alias rows are never changed. A column that
    names two different things with one name (Guernica the town and Picasso's painting) loses
    the rarer one: accepted, as such columns are rare and a user's entities.csv can split them."""
    rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for m in found:
        strong = m["label_fixed"] or m.get("context") or m.get("user")
        votes[(m["column_id"], m["canonical"])][m["label"]] += RULE_WEIGHT if strong else 1
    for m in found:
        counts = votes[(m["column_id"], m["canonical"])]
        if len(counts) < 2 or m["label_fixed"] or m.get("user"):
            continue
        m["label"] = min(counts, key=lambda l: (-counts[l], rank.get(l, len(rank)), l))

