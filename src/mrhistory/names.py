"""How names are compared, everywhere in the toolkit: one key for aliases, places, events and terms.

Case, full stops, dash and quote style, spacing and a leading "the" do not matter:
"the U.S.S.R." = "USSR", "Molotov–Ribbentrop" = "Molotov-Ribbentrop". The alias table, the
user's ``entities.csv``, the place table and the theme lexicon are all keyed by :func:`name_key`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"} | {"’": "'", "‘": "'"})
_AROUND_DASH = re.compile(r"\s*-\s*")
_WORD_BREAKS = re.compile(r"[\s/-]+")


def name_key(text: str) -> str:
    """The comparison key of a name: ``name_key("the U.S.S.R.") == name_key("USSR") == "ussr"``."""
    return _key(str(text))


@lru_cache(maxsize=1 << 16)  # a corpus names the same people and places over and over
def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower().replace(".", "")
    text = _AROUND_DASH.sub("-", " ".join(text.split()))
    return text[4:] if text.startswith("the ") else text


def name_words(text: str) -> tuple[str, ...]:
    """The words of a name's key, a dash or slash splitting words: "Non-Aggression Pact" → ("non", "aggression", "pact")."""
    return tuple(w for w in _WORD_BREAKS.split(name_key(text)) if w)
