"""Entity mentions as the shared spaCy pass tagged them, outside salutations, signatures and site chrome."""
from __future__ import annotations

import re
from bisect import bisect_right

import pandas as pd

from .. import qa
from ..entity_rules import CONTEXT_KB_ID, ENTITY_LABELS, rules
from ..names import name_key


def _chrome_spans(text: str, names: set[str]) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that are salutations, signatures or site chrome."""
    cfg = qa.chrome()
    spans = []
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        para = " ".join(match.group().split())
        if ((cfg.salutation.match(para) and len(para.split()) <= 8)
                or any(rx.match(para) for rx in cfg.paragraphs) or name_key(para) in names):
            spans.append(match.span())
    return spans


def raw_mentions(docs: pd.DataFrame, columns: pd.DataFrame | None) -> list[dict]:
    people = {}
    if columns is not None:
        fields = [f for f in ("asker", "answerer", "answerer_title") if f in columns]
        for row in columns[["column_id", *fields]].itertuples(index=False):
            people[row[0]] = {name_key(v) for v in row[1:] if isinstance(v, str) and v.strip()}
    site = {name_key(n) for n in rules().raw["site_names"]}
    found = []
    for row in docs.itertuples(index=False):
        chrome = _chrome_spans(row.text, people.get(row.column_id, set()))
        sentence_starts = [s.start_char for s in row.doc.sents]
        for ent in row.doc.ents:
            if ent.label_ not in ENTITY_LABELS or name_key(ent.text) in site:
                continue
            if any(a <= ent.start_char < b for a, b in chrome):
                continue
            found.append({
                "column_id": row.column_id, "part": row.part, "start": ent.start_char, "end": ent.end_char,
                "text": ent.text, "label": ent.label_, "name": " ".join(ent.text.split()),
                "context": ent.kb_id_ == CONTEXT_KB_ID,
                "sentence": bisect_right(sentence_starts, ent.start_char) - 1,
            })
    return found

