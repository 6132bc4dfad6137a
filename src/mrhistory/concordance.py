"""Keyword in context (`mrhistory.kwic`): every place a person, place or thing is named, with the words around it.

What a term matches, precisely:

* A term that names an entity of the entities table (its canonical name, or a spelling tagged in
  the texts, the shipped alias table or the user's ``entities.csv``: "Stalin" finds "Josef
  Stalin") lists **the tagged mentions of that entity**, one line each: the lines are what the
  entity counts count. A name is never matched inside another entity: "Soviet" (NORP) does not
  list the "Soviet" of "Soviet Union" (GPE) or of the "Soviet–Japanese Neutrality Pact" (LAW).
  A canonical name wins over an alias: "Soviet" is the NORP entity even where "Soviet" alone
  was once tagged as another.
* With ``untagged=True`` (``--untagged``) it also lists the entity's spellings written where the
  recogniser tagged nothing, so names it missed can be found; still never inside another entity.
* A term that names no tagged entity is searched as text: as a whole word or phrase, ignoring
  case unless written in capitals, anywhere in the questions and answers (with every spelling
  the alias tables give it, if they know it).
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .names import name_key
from .schema import PARTS

if TYPE_CHECKING:
    import pandas as pd

KWIC_SCHEMA = {"column_id": "string", "part": "string", "left": "string", "match": "string", "right": "string"}


def _targets(term: str, mentions: pd.DataFrame, authority) -> set[str]:
    """Canonical names of tagged entities ``term`` refers to: as a canonical name, else as a
    spelling tagged in the texts or listed in an alias table."""

    key = name_key(term)
    tagged = set(mentions["canonical"])
    named = {c for c in tagged if name_key(c) == key}
    return named or (_alias_targets(key, mentions, authority) & tagged)


def _alias_targets(key: str, mentions: pd.DataFrame, authority) -> set[str]:
    """Canonical names whose spellings (tagged in the texts or listed as aliases) include ``key``."""
    from .entities import shipped_aliases

    names = {c for c, t in zip(mentions["canonical"], mentions["text"]) if name_key(t) == key}
    names |= {a.canonical for a in shipped_aliases().get(key, ())}
    if authority is not None and (entry := authority.entries.get(key)) is not None and entry.decision != "ignore":
        names.add(entry.canonical)
    return names


def _surface_forms(targets: set[str], mentions: pd.DataFrame, authority) -> set[str]:
    """Every spelling of the target entities: as tagged in the texts and as listed as aliases."""
    from .entities import alias_rows

    forms = set(targets) | {t for c, t in zip(mentions["canonical"], mentions["text"]) if c in targets}
    forms |= {alias for alias, canonical, _, _ in alias_rows() if canonical in targets}
    if authority is not None:
        forms |= {e.alias for e in authority.entries.values() if e.decision != "ignore" and e.canonical in targets}
    return {f for f in forms if f.strip()}


def _form_pattern(form: str, *, ignore_case: bool) -> re.Pattern:
    body = r"\s+".join(re.escape(w) for w in form.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.IGNORECASE if ignore_case else 0)


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    left = re.findall(r"\S+", text[max(0, start - 40 * window):start])[-window:] if window else []
    right = re.findall(r"\S+", text[end:end + 40 * window])[:window] if window else []
    return " ".join(left), " ".join(right)


def kwic(data: pd.DataFrame, term: str, *, window: int = 8, entities: pd.DataFrame | None = None,
         authority=None, model: str | None = None, untagged: bool = False) -> pd.DataFrame:
    """Concordance of ``term`` in the questions and answers of ``data``.

    An entity's lines are its tagged mentions (plus, with ``untagged``, its spellings where
    nothing is tagged), never a name inside another entity; any other term is searched as a
    word (see the module docstring). ``data`` is the ``columns`` table (``mrhistory.load_corpus``)
    or the ``docs`` table of ``mrhistory.annotate``. ``window`` is the number of words shown on
    each side. Pass ``entities`` (the entities table, e.g. read from OUT/tables/entities.csv) to
    skip the NLP pass; otherwise the shared, cached spaCy pass runs. ``authority`` is a user's
    entities.csv, parsed (:func:`mrhistory.entities.parse_authority`). Returns column_id, part, left,
    match, right, in text order.

    >>> mrhistory.kwic(columns, "Stalin", window=8)        # doctest: +SKIP
    """
    import pandas as pd

    from .annotation import annotate
    from .entities import entities as find_entities

    if not isinstance(term, str) or not term.strip():
        raise ValueError("kwic needs a non-empty term")
    if window < 0:
        raise ValueError("window must be 0 or more words")
    term = " ".join(term.split())
    if "doc" in data.columns:
        docs, columns = data, None
        texts = {(c, p): t for c, p, t in zip(data["column_id"], data["part"], data["text"])}
    else:
        columns = data
        texts = {(r["column_id"], p): r[p] for r in data.to_dict("records") for p in PARTS
                 if isinstance(r.get(p), str) and r[p].strip()}
        docs = None
    if entities is None:
        if docs is None:
            docs = annotate(columns, model=model, progress=False)
        entities = find_entities(docs, columns=columns, authority=authority)
    targets = _targets(term, entities, authority)
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if targets:
        hits = entities[entities["canonical"].isin(targets)]
        for c, p, s, e in zip(hits["column_id"], hits["part"], hits["start"], hits["end"]):
            spans.setdefault((c, p), []).append((int(s), int(e)))
        if untagged:
            tagged: dict[tuple[str, str], list[tuple[int, int]]] = {}
            for c, p, s, e in zip(entities["column_id"], entities["part"], entities["start"], entities["end"]):
                tagged.setdefault((c, p), []).append((int(s), int(e)))
            patterns = [_form_pattern(f, ignore_case=False) for f in sorted(_surface_forms(targets, entities, authority))]
            for key, text in texts.items():
                taken = tagged.get(key, [])
                for rx in patterns:
                    spans.setdefault(key, []).extend(
                        m.span() for m in rx.finditer(text) if not any(s < m.end() and m.start() < e for s, e in taken))
    else:
        known = _alias_targets(name_key(term), entities, authority)
        forms = _surface_forms(known, entities, authority) if known else set()
        bare = term[4:] if term.lower().startswith("the ") else term  # "the Soviet Union" as a name
        patterns = [_form_pattern(bare, ignore_case=not bare.isupper())]
        patterns += [_form_pattern(f, ignore_case=False) for f in sorted(forms) if f != bare]
        for key, text in texts.items():
            for rx in patterns:
                spans.setdefault(key, []).extend(m.span() for m in rx.finditer(text))
    rows = []
    for (column_id, part), found in spans.items():
        text = texts.get((column_id, part), "")
        # Longest first, then drop anything inside a span already kept.
        kept: list[tuple[int, int]] = []
        for s, e in sorted(set(found), key=lambda se: (se[0], -(se[1] - se[0]))):
            if kept and s < kept[-1][1]:
                continue
            kept.append((s, e))
        for s, e in kept:
            left, right = _context(text, s, e, window)
            rows.append({"column_id": column_id, "part": part, "start": s, "left": left,
                         "match": " ".join(text[s:e].split()), "right": right})
    df = pd.DataFrame(rows, columns=["column_id", "part", "start", *list(KWIC_SCHEMA)[2:]])
    df["_part"] = df["part"].map({p: i for i, p in enumerate(PARTS)})
    df = df.sort_values(["column_id", "_part", "start"], kind="mergesort")
    return df[list(KWIC_SCHEMA)].astype(KWIC_SCHEMA).reset_index(drop=True)


def format_kwic(df: pd.DataFrame, *, width: int = 60) -> str:
    """Aligned plain-text concordance, one line per match, under a heading per column and part."""
    lines, current = [], None
    for row in df.itertuples(index=False):
        if (row.column_id, row.part) != current:
            current = (row.column_id, row.part)
            lines.append(f"# {row.column_id} · {row.part}")
        left = row.left if len(row.left) <= width else "…" + row.left[-(width - 1):]
        right = row.right if len(row.right) <= width else row.right[: width - 1] + "…"
        lines.append(f"{left:>{width}}  [{row.match}]  {right}")
    return "\n".join(lines)
