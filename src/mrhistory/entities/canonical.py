"""Canonical names and labels of entity mentions: the passes that turn what the model tagged into
what is counted ("Hitler" → "Adolf Hitler", "Yorktown" → "USS Yorktown", one label per name)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from .. import gazetteer
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
    the user's entries, the shipped alias table, the gazetteer's labels, within-column resolution,
    short forms, the gazetteer's canonical names, the user's renames of canonical names, one
    spelling and label per entity, one label per name in a column."""
    table = shipped_aliases()
    kept = []
    for m in found:
        m.update(canonical=_default_name(m["name"], m["label"]), wikidata="", fixed=False, label_fixed=False)
        entry = authority.get(m["name"]) if authority else None
        if entry is None:
            alias = lookup(table, name_key(m["name"]), m["label"])
            if alias is not None:
                m.update(canonical=alias.canonical, label=alias.label, wikidata=alias.wikidata, fixed=True, label_fixed=True)
            elif (known := _gazetteer_entry(m)) is not None:
                m.update(label_fixed=True, gazetteer=known)  # its canonical waits for the column's own fuller names
        elif entry.decision == "ignore":
            continue
        else:
            m.update(canonical=entry.canonical, wikidata=entry.wikidata, fixed=True, user=True)
            if entry.label:
                m.update(label=entry.label, label_fixed=True)
        kept.append(m)
    _resolve_within_column(kept)
    _resolve_short_forms(kept)
    for m in kept:  # "Churchill" is Winston unless the column named another Churchill
        known = m.get("gazetteer")
        if known is not None and not m["fixed"]:
            m.update(canonical=known.canonical, wikidata=known.wikidata, fixed=True)
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


def _gazetteer_entry(m: dict) -> gazetteer.Entry | None:
    """The gazetteer's entry for a mention, if it has the mention's label: the name as written, or
    a famous person's name written with a variant first name or a middle initial ("Vyachislav M.
    Molotov" for Vyacheslav Molotov, "Josef Stalin" for Joseph Stalin)."""
    entry = gazetteer.lookup(m["name"])
    if entry is not None:
        return entry if entry.label == m["label"] else None
    words = m["name"].split()
    if m["label"] != "PERSON" or len(words) < 2:
        return None
    known = gazetteer.lookup(words[-1])
    if known is None or known.label != "PERSON" or known.canonical == known.name:
        return None  # only a surname the gazetteer gives to one famous person
    full = known.canonical.split()
    if full[-1] != words[-1] or len(full) != 2:
        return None
    if words[0] != full[0] and all(len(w.rstrip(".")) == 1 for w in words[1:-1]) and _near(words[0], full[0]):
        return gazetteer.Entry(known.canonical, "PERSON", known.canonical, known.ref, known.source)
    return None


def _near(a: str, b: str) -> bool:
    """Two given names one spelling step apart ("Vyachislav"/"Vyacheslav", "Josef"/"Joseph")."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    if len(a) < 4 or len(b) < 4 or a[0] != b[0]:
        return False
    a, b = a.replace("ph", "f"), b.replace("ph", "f")
    if abs(len(a) - len(b)) > 1:
        return False
    prev = list(range(len(b) + 1))  # Levenshtein distance, at most 1 allowed
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] <= 1


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
_EPITHETS = frozenset(w.lower() for w in rules().raw["epithets"])


def _person_words(name: str) -> list[str]:
    return list(name_words(name))


def _resolve_within_column(found: list[dict]) -> None:
    """Within a column, a short name takes the label and canonical of the fuller name written
    there — a ship without its prefix ("Yorktown" → "USS Yorktown"), a place without its feature
    word ("Midway" → "Midway Atoll"), a peer's seat ("Wellington" → "Duke of Wellington") — and
    a name tagged as an organisation, a product, a building or a language that is a person's
    name written there ("Napoleon" beside "Napoleon Bonaparte"), or tagged as a place the
    gazetteer does not know that ends a fuller person's name there ("Villa" beside "Pancho
    Villa"), becomes a PERSON."""
    r = rules()
    peers = {_word.lower() for t in r.raw["peerage_titles"] for _word in t.split()}
    by_column = defaultdict(list)
    for m in found:
        by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        fuller, people = {}, set()
        for m in mentions:
            words = m["name"].split()
            if m["label"] == "PRODUCT" and (m.get("context") or len(words) > 1):
                fuller.setdefault(name_key(m["name"]), m)  # "the carrier Hiryu" … "Hiryu" (not the model's bare "Cheka")
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
            elif not m["label_fixed"] and not m.get("context") and _maybe_person(m):
                words = tuple(_person_words(m["name"]))
                bare = m["label"] != "GPE"  # a place name needs a fuller person's name: "Plataea" PERSON is the model's slip
                if any((bare and p == words) or (len(p) > len(words) and p[-len(words):] == words)
                       or ("of" in p and p[:len(words)] == words) for p in people):
                    m.update(label="PERSON")


def _maybe_person(m: dict) -> bool:
    """A label the model gives persons' names by mistake: ORG, PRODUCT, FAC, LANGUAGE ("Carranza",
    "Xerxes"), or GPE for a name the gazetteer knows as no place ("Villa"; not "Washington")."""
    if m["label"] in ("ORG", "PRODUCT", "FAC", "LANGUAGE"):
        return True
    key = gazetteer.key(m["name"])
    return m["label"] == "GPE" and gazetteer.lookup(m["name"]) is None and key not in gazetteer.ambiguous()


def _regnal_short_form(words: list[str], full: list[str]) -> bool:
    """"Philip" of "Philip II of France", "Gustavus" of "Gustavus Adolphus of Sweden", "William" of
    "William the Conqueror": a ruler's name before the regnal number or other names and the realm,
    or before an epithet. A byname, a given name and "of" a place ("William of Poitiers", a
    chronicler), is left to :func:`_byname`."""
    if "of" in words or full[:len(words)] != words or full[0] in _PEERS or len(full) <= len(words):
        return False
    rest = full[len(words):]
    if rest[0] == "the" and len(rest) == 2:
        return rest[1] in _EPITHETS
    return rest[0] != "of" and "of" in rest  # "Philip II of France", "Gustavus Adolphus of Sweden"


def _byname(words: list[str], full: list[str]) -> bool:
    """"Odo" of "Odo of Bayeux": a given name before "of" and a place, with no regnal number."""
    return len(words) == 1 and len(full) >= 3 and full[0] == words[0] and full[1] == "of" and full[0] not in _PEERS


def _resolve_short_forms(found: list[dict]) -> None:
    """Within a column, a PERSON written in part ("Hitler") takes the canonical of a fuller
    name of the same person written there ("Adolf Hitler"): the nearest earlier one, else the
    only later one. Several candidates with different canonicals leave the mention alone. A
    bare given name takes a byname ("Odo" → "Odo of Bayeux") only when that was written before
    it and no other person of that given name was: "William" is never "William of Poitiers"
    merely because the chronicler is named later, or while William the Conqueror is named too."""
    by_column = defaultdict(list)
    for m in found:
        if m["label"] == "PERSON":
            by_column[m["column_id"]].append(m)
    for mentions in by_column.values():
        for i, m in enumerate(mentions):
            if m["fixed"] or m.get("user"):
                continue
            words = _person_words(m["name"])
            earlier, later, royal = {}, {}, {}
            for j, f in enumerate(mentions):
                full = _person_words(f["name"])
                if j == i or len(full) <= len(words):
                    continue
                surname = full[-1] == words[-1] and set(words) <= set(full)
                if surname or _regnal_short_form(words, full):
                    (earlier if j < i else later)[f["canonical"]] = f
                    if not surname and j < i:
                        royal.setdefault(f["canonical"], f)
                elif _byname(words, full):
                    (earlier if j < i else later)[f["canonical"]] = None  # counts, but only an earlier one may win
            choice = earlier if earlier else later
            if len(choice) > 1 and choice is earlier and len(royal) == len(choice):
                # one ruler's two styles ("Richard the Lionheart", "Richard I of England"): the first written
                choice = {c: f for c, f in list(royal.items())[:1]}
            if len(choice) == 1 and (full := next(iter(choice.values()))) is not None:
                m.update(canonical=full["canonical"], wikidata=full["wikidata"], fixed=True)
            elif len(choice) == 1 and choice is earlier:
                f = next(f for f in mentions[:i] if f["canonical"] in choice)
                m.update(canonical=f["canonical"], wikidata=f["wikidata"], fixed=True)


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
#: person), then peoples, events, organisations, persons, and the model's least reliable labels
#: last: a bare name it calls a product ("the Cheka" ORG and PRODUCT is an ORG), a language, a work.
LABEL_PRIORITY = ("GPE", "LOC", "FAC", "NORP", "EVENT", "LAW", "ORG", "PERSON", "PRODUCT", "LANGUAGE", "WORK_OF_ART")
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

