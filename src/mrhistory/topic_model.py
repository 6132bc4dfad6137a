"""Unsupervised topics: NMF on TF-IDF of each column's lemmatised content words, reproducibly.

Terms are the lemmas of nouns, proper nouns and adjectives from the shared spaCy pass, with
stop words, the site's stock words (``data/topic_stopwords.txt``) and the names of the column's
own asker and answerer removed; a named entity counts once, under its canonical name
("Hitler" and "Adolf Hitler" are one term) when the entities table is there. The
initialisation (``nndsvd``) and ``random_state`` are fixed and the tables rounded and sorted, so
two runs on the same corpus give the same bytes. Below ``MIN_COLUMNS`` columns the model does
not run: a handful of columns gives topics that are noise.
"""
from __future__ import annotations

import math
import re
import sys
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .packaged import data_text

#: Fewer columns than this and no model is fitted (override: [nmf] min_columns in corpus/topics.toml).
MIN_COLUMNS = 20
MAX_TOPICS = 20
RANDOM_STATE = 0
TOP_TERMS = 10
#: A term must occur in at least this many columns to take part (one-column terms cannot link columns).
MIN_DF = 2
#: Terms in more than this share of the columns say nothing about any one topic.
MAX_DF = 0.9
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ"})
#: Tokens of these entity types are dates and numbers ("July", "third"), which the dates analysis covers.
NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
TERMS_SCHEMA = {"topic": "int64", "rank": "int64", "term": "string", "weight": "float64"}
WEIGHTS_SCHEMA = {"column_id": "string", "topic": "int64", "weight": "float64"}
_WORD = re.compile(r"^[a-z][a-z.'-]*[a-z]$")


def default_n_topics(n_columns: int) -> int:
    """√(columns / 2), between 2 and MAX_TOPICS: 4 topics for 30 columns, 7 for 100, 16 for 500."""
    return max(2, min(MAX_TOPICS, round(math.sqrt(n_columns / 2))))


@lru_cache(maxsize=1)
def stock_words() -> frozenset[str]:
    """Words of the site and of the letter form ("dear", "question", "historynet"), one a line."""
    text = data_text("topic_stopwords.txt")
    return frozenset(w.strip().lower() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#"))


def _own_names(columns: pd.DataFrame) -> dict[str, set[str]]:
    """Per column, the lower-case words of its asker's and answerer's names."""
    names = {}
    for row in columns[["column_id", "asker", "answerer"]].itertuples(index=False):
        words = set()
        for name in (row.asker, row.answerer):
            if isinstance(name, str):
                words |= {w.lower() for w in re.findall(r"[^\W\d_]+", name) if len(w) > 1}
        names[str(row.column_id)] = words
    return names


def column_terms(columns: pd.DataFrame, docs: pd.DataFrame, *, entities: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """The terms of each column, in text order: what the topic model counts."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    if entities is not None and len(entities):
        for row in entities[["column_id", "part", "start", "end"]].itertuples(index=False):
            spans.setdefault((str(row.column_id), str(row.part)), []).append((int(row.start), int(row.end)))
    return resolve_terms(doc_terms(columns, docs, spans=spans), columns, entities=entities)


def doc_terms(columns: pd.DataFrame, docs: pd.DataFrame, *,
              spans: dict[tuple[str, str], list[tuple[int, int]]] | None = None) -> dict[str, list]:
    """:func:`column_terms` before the entities' canonical names are known: the part that reads
    the Docs. Each name span (``spans`` per (column_id, part); default: every span in
    ``doc.ents``) is left open as ``(part, start, end, [terms of its words])``, for
    :func:`resolve_terms` to fill in from the entities table. Streaming runs do this chunk by chunk."""
    stop, own = stock_words(), _own_names(columns)
    terms: dict[str, list] = {str(c): [] for c in columns["column_id"]}
    for column_id, part, doc in zip(docs["column_id"].astype(str), docs["part"].astype(str), docs["doc"]):
        if column_id not in terms:
            continue
        names = own.get(column_id, set())
        ents = (sorted(spans.get((column_id, part), [])) if spans is not None
                else [(ent.start_char, ent.end_char) for ent in doc.ents])
        out, e, span = terms[column_id], 0, None
        for tok in doc:
            while e < len(ents) and ents[e][1] <= tok.idx:
                e += 1
            inside = e < len(ents) and ents[e][0] <= tok.idx < ents[e][1]
            if inside:
                start, end = ents[e]
                if tok.idx == start or (tok.i > 0 and doc[tok.i - 1].idx < start):
                    span = (part, start, end, [])
                    out.append(span)
            lemma = tok.lemma_.lower()
            if (tok.pos_ in CONTENT_POS and not tok.is_stop and tok.ent_type_ not in NUMERIC_ENTS and _WORD.match(lemma) and lemma not in stop
                    and tok.lower_ not in names and lemma not in names):
                (span[3] if inside else out).append(sys.intern(lemma))
    return terms


def resolve_terms(terms: dict[str, list], columns: pd.DataFrame, *, entities: pd.DataFrame | None = None) -> dict[str, list[str]]:
    """:func:`doc_terms` with each open span replaced: by its entity's canonical name when the
    entities table has that mention (a name counts once), else by the terms of its words."""
    stop, own = stock_words(), _own_names(columns)
    canonical: dict[tuple[str, str, int, int], str] = {}
    if entities is not None and len(entities):
        for row in entities[["column_id", "part", "start", "end", "canonical"]].itertuples(index=False):
            key = (str(row.column_id), str(row.part), int(row.start), int(row.end))
            canonical[key] = min(canonical.get(key, str(row.canonical)), str(row.canonical))
    resolved = {}
    for column_id, items in terms.items():
        names, out = own.get(column_id, set()), []
        for item in items:
            if isinstance(item, str):
                out.append(item)
                continue
            name = canonical.get((column_id, *item[:3]))
            if name is None:
                out += item[3]
            elif not {w.lower() for w in name.split()} <= names and name.lower() not in stop:
                out.append(name)
        resolved[column_id] = out
    return resolved


@dataclass
class TopicModel:
    """The fitted model's tables, or why there is none."""

    terms: pd.DataFrame
    weights: pd.DataFrame
    skipped: str = ""
    n_topics: int = 0


def _empty(reason: str) -> TopicModel:
    return TopicModel(pd.DataFrame(columns=list(TERMS_SCHEMA)).astype(TERMS_SCHEMA),
                      pd.DataFrame(columns=list(WEIGHTS_SCHEMA)).astype(WEIGHTS_SCHEMA), reason)


def topic_model(columns: pd.DataFrame, docs: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                n_topics: int | None = None, min_columns: int | None = None, top_terms: int = TOP_TERMS,
                random_state: int = RANDOM_STATE, settings: dict | None = None,
                terms: dict[str, list[str]] | None = None) -> TopicModel:
    """Fit NMF topics; tables ``topic_terms`` (topic, rank, term, weight) and
    ``column_topic_weights`` (column_id, topic, weight).

    A topic's term weights sum to 1 over its whole vocabulary, and a column's topic weights sum
    to 1 (0 for a column with no term the model kept): each is a share. Topics are numbered from
    1 by prevalence (summed column weight), the most common first. ``settings`` is the ``[nmf]``
    table of ``corpus/topics.toml`` (``n_topics``, ``min_columns``); explicit arguments win.
    ``terms`` (:func:`column_terms`, computed before) stands in for ``docs`` and ``entities``.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    settings = settings or {}
    min_columns = int(min_columns if min_columns is not None else settings.get("min_columns", MIN_COLUMNS))
    n = len(columns)
    if n < min_columns:
        return _empty(f"{n} column{'s' * (n != 1)}, fewer than the {min_columns} it needs for topics "
                      "that are not noise ([nmf] min_columns in corpus/topics.toml)")
    k = int(n_topics if n_topics is not None else settings.get("n_topics") or default_n_topics(n))
    terms = terms if terms is not None else column_terms(columns, docs, entities=entities)
    ids = sorted(terms)
    vectorizer = TfidfVectorizer(analyzer=lambda words: words, min_df=MIN_DF, max_df=MAX_DF, sublinear_tf=True)
    try:
        X = vectorizer.fit_transform([terms[i] for i in ids])
    except ValueError:
        return _empty(f"no term occurs in {MIN_DF} or more columns of the {n}")
    vocab = vectorizer.get_feature_names_out()
    if k < 1 or X.shape[1] < 2 * k or k >= n:
        return _empty(f"{X.shape[1]} shared terms in {n} columns are too few for {k} topics")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a ConvergenceWarning changes nothing in what is written
        model = NMF(n_components=k, init="nndsvd", random_state=random_state, max_iter=1000, tol=1e-6)
        W = model.fit_transform(X)
    H = model.components_
    W = np.where(W < 1e-12, 0.0, W)
    row = W.sum(axis=1, keepdims=True)
    shares = np.divide(W, row, out=np.zeros_like(W), where=row > 0)
    order = sorted(range(k), key=lambda j: (-round(float(shares[:, j].sum()), 9), j))
    term_rows, weight_rows = [], []
    for topic, j in enumerate(order, start=1):
        h = H[j] / H[j].sum() if H[j].sum() > 0 else H[j]
        ranked = sorted((i for i in range(len(vocab)) if round(float(h[i]), 6) > 0), key=lambda i: (-round(float(h[i]), 9), vocab[i]))
        term_rows += [{"topic": topic, "rank": r, "term": vocab[i], "weight": round(float(h[i]), 6)}
                      for r, i in enumerate(ranked[:top_terms], start=1)]
        weight_rows += [{"column_id": c, "topic": topic, "weight": round(float(shares[d, j]), 6)} for d, c in enumerate(ids)]
    terms_df = pd.DataFrame(term_rows, columns=list(TERMS_SCHEMA)).astype(TERMS_SCHEMA)
    weights_df = (pd.DataFrame(weight_rows, columns=list(WEIGHTS_SCHEMA)).astype(WEIGHTS_SCHEMA)
                  .sort_values(["column_id", "topic"], ignore_index=True))
    return TopicModel(terms_df, weights_df, "", k)


def topic_labels(terms: pd.DataFrame, *, n: int = 3) -> dict[int, str]:
    """"3: pact · neutrality · soviet union": a topic's number and its first terms, for figures."""
    labels = {}
    for topic, group in terms.sort_values(["topic", "rank"]).groupby("topic", sort=True):
        labels[int(topic)] = f"{int(topic)}: " + " · ".join(group["term"].head(n))
    return labels
