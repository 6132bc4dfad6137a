"""The shipped alias table (``data/aliases.csv``): historical variants of names, their canonical
name, label and Wikidata QID, and how a mention's label may claim a row of another label."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from ..csvfile import commented_rows
from ..names import name_key
from ..packaged import data_text

#: Labels the model often swaps for one another; an alias row of one label may claim the other.
CONFUSABLE = (frozenset({"GPE", "LOC", "FAC"}), frozenset({"GPE", "ORG"}), frozenset({"GPE", "NORP"}), frozenset({"ORG", "NORP"}),
              frozenset({"ORG", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}))
#: Labels an alias row may correct when the model gave a name a label of another kind.
NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW"})


def compatible(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in CONFUSABLE)



@dataclass(frozen=True)
class Alias:
    canonical: str
    label: str
    wikidata: str = ""



@lru_cache(maxsize=1)
def alias_rows() -> tuple[tuple[str, str, str, str], ...]:
    """The rows of ``data/aliases.csv``: (alias, canonical, label, wikidata)."""
    text = data_text("aliases.csv")
    return tuple((r["alias"], r["canonical"], r["label"], r.get("wikidata") or "") for _, r in commented_rows(text))


@lru_cache(maxsize=1)
def shipped_aliases() -> dict[str, tuple[Alias, ...]]:
    """``data/aliases.csv`` as alias key → its entries (one per label); canonical names included."""
    table: dict[str, dict[str, Alias]] = defaultdict(dict)
    for alias, canonical, label, wikidata in alias_rows():
        entry = Alias(canonical, label, wikidata)
        for name in (alias, canonical):
            table[name_key(name)].setdefault(entry.label, entry)
    return {key: tuple(by_label.values()) for key, by_label in table.items()}


def lookup(table: dict[str, tuple[Alias, ...]], key: str, label: str) -> Alias | None:
    """The entry for ``key`` with ``label``, else the one entry of a confusable label."""
    entries = table.get(key, ())
    for entry in entries:
        if entry.label == label:
            return entry
    # A people is never renamed as an organisation ("North American settlers" are not the
    # aircraft maker), though a people tagged as an ORG ("the Confederates") is still a people.
    near = [e for e in entries if compatible(e.label, label) and not (label == "NORP" and e.label == "ORG")]
    if len(near) == 1:
        return near[0]
    if label == "NORP":
        return None
    # The table holds only names that are unambiguous without context, so a name it gives one
    # label keeps it whatever the model said: "Napoleon" tagged ORG, "Luftwaffe" tagged PERSON.
    return entries[0] if len(entries) == 1 and not near and label in NAME_LABELS else None

