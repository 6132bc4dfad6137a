"""The entity tables: every mention with its canonical name, counts per entity, co-occurrences."""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict
from itertools import combinations

import pandas as pd

from .. import gazetteer
from ..names import name_key
from ..schema import PARTS, TABLES, frame
from .aliases import lookup, shipped_aliases
from .authority import Authority
from .canonical import canonicalise
from .mentions import raw_mentions

def entities(docs: pd.DataFrame, *, columns: pd.DataFrame | None = None, authority: Authority | None = None,
             with_sentence: bool = False) -> pd.DataFrame:
    """Every named-entity mention in the questions and answers, with its canonical name.

    ``docs`` is :func:`mrhistory.annotation.annotate`'s table; ``columns`` (optional) lets the
    asker's and answerer's name lines be recognised as signatures; ``authority`` is the user's
    ``entities.csv`` (see :func:`mrhistory.entities.parse_authority`). Rows are sorted by column,
    part, offset; ``with_sentence`` adds each mention's sentence number within its part.
    """
    return mentions_frame(raw_mentions(docs, columns), authority=authority, with_sentence=with_sentence)


def mentions_frame(found: list[dict], *, authority: Authority | None = None, with_sentence: bool = False) -> pd.DataFrame:
    """:func:`entities` from the mentions :func:`~.mentions.raw_mentions` found, which may have
    been gathered chunk by chunk of whole columns, in column order (the streaming pipeline does)."""
    kept = canonicalise(found, authority=authority)
    schema = TABLES["entities"].dtypes | ({"sentence": "int64"} if with_sentence else {})
    return _sorted(pd.DataFrame(kept, columns=list(schema)).astype(schema))


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    part_order = df["part"].map({p: i for i, p in enumerate(PARTS)}).fillna(len(PARTS))
    return (df.assign(_part=part_order).sort_values(["column_id", "_part", "start", "end"], kind="mergesort")
            .drop(columns="_part").reset_index(drop=True))


def wikidata_id(canonical: str, label: str, *, authority: Authority | None = None) -> str:
    """The Wikidata QID of a canonical entity: the user's, else the shipped table's, else ""."""
    if authority and (qid := authority.wikidata(canonical)):
        return qid
    alias = lookup(shipped_aliases(), name_key(canonical), label)
    if alias is not None and alias.canonical == canonical:
        return alias.wikidata
    known = gazetteer.lookup(canonical)  # "Battle of Hastings": the gazetteer's Wikidata rows
    return known.wikidata if known is not None and known.label == label and known.canonical == canonical else ""


def entity_counts(mentions: pd.DataFrame, *, authority: Authority | None = None) -> pd.DataFrame:
    """One row per entity: mentions, number of columns mentioning it, Wikidata QID."""
    if mentions.empty:
        return frame("entity_counts")
    grouped = mentions.groupby(["canonical", "label"], sort=True, observed=True)
    df = grouped.agg(mentions=("column_id", "size"), columns=("column_id", "nunique")).reset_index()
    df["wikidata"] = [wikidata_id(c, l, authority=authority) for c, l in zip(df["canonical"], df["label"])]
    df = df.astype(TABLES["entity_counts"].dtypes).sort_values(["mentions", "canonical", "label"], ascending=[False, True, True], kind="mergesort")
    return df.reset_index(drop=True)


def _sentence_index(mentions: pd.DataFrame, docs: pd.DataFrame) -> list[int]:
    starts = {(r.column_id, r.part): [s.start_char for s in r.doc.sents] for r in docs.itertuples(index=False)}
    return [bisect_right(starts.get((c, p), [0]), s) - 1
            for c, p, s in zip(mentions["column_id"], mentions["part"], mentions["start"])]


def entity_cooccurrence(mentions: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    """Pairs of entities named in the same sentence and in the same column, with both counts.

    Each pair is listed once (source before target in name order); ``sentences`` counts the
    sentences naming both, ``columns`` the columns naming both.
    """
    if mentions.empty:
        return frame("entity_cooccurrence")
    sentence = mentions["sentence"] if "sentence" in mentions else _sentence_index(mentions, docs)
    ents = list(zip(mentions["canonical"], mentions["label"]))
    in_sentence, in_column = defaultdict(set), defaultdict(set)
    for ent, col, part, sent in zip(ents, mentions["column_id"], mentions["part"], sentence):
        in_sentence[(col, part, sent)].add(ent)
        in_column[col].add(ent)
    sentences, columns = Counter(), Counter()
    for group in in_sentence.values():
        sentences.update(combinations(sorted(group), 2))
    for group in in_column.values():
        columns.update(combinations(sorted(group), 2))
    rows = [(a[0], a[1], b[0], b[1], sentences.get((a, b), 0), n) for (a, b), n in columns.items()]
    df = pd.DataFrame(rows, columns=TABLES["entity_cooccurrence"].names).astype(TABLES["entity_cooccurrence"].dtypes)
    return df.sort_values(["sentences", "columns", "source", "source_label", "target", "target_label"],
                          ascending=[False, False, True, True, True, True], kind="mergesort").reset_index(drop=True)



def entity_tables(docs: pd.DataFrame, *, columns: pd.DataFrame | None = None,
                  authority: Authority | None = None) -> dict[str, pd.DataFrame]:
    """The tables ``entities``, ``entity_counts`` and ``entity_cooccurrence``, exactly as
    ``mrhistory analyse`` writes them: the one recipe the pipeline and the notebooks share.

    ``authority`` is the user's ``entities.csv`` (parsed); without it only the shipped rules apply.
    """
    return mention_tables(raw_mentions(docs, columns), authority=authority)


def mention_tables(found: list[dict], *, authority: Authority | None = None) -> dict[str, pd.DataFrame]:
    """:func:`entity_tables` from the mentions :func:`~.mentions.raw_mentions` found (see
    :func:`mentions_frame`): the cross-column part, without the Docs."""
    found = mentions_frame(found, authority=authority, with_sentence=True)
    return {
        "entities": found.drop(columns="sentence"),
        "entity_counts": entity_counts(found, authority=authority),
        "entity_cooccurrence": entity_cooccurrence(found, None),
    }
