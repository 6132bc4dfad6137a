"""The one spaCy pass every analysis shares: batched, optionally parallel, cached on disk.

The cache key of a text is its sha256 plus a fingerprint of the pipeline (model name and
version, spaCy version, components, rule patterns, stored attributes): an unchanged corpus is
re-analysed without running spaCy, and any change of model or settings misses the cache.
Each entry carries a checksum, so a corrupt or truncated entry is rebuilt, never trusted.
"""
from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from . import entity_rules  # registers the entity components, also in --jobs worker processes
from .model import load_model, model_info
from .outputs import atomic_write_bytes
from .paths import cache_dir as default_cache_dir
from .schema import PARTS

#: Token attributes kept in the cache; what the entity, date and topic analyses read.
DOC_ATTRS = ("ORTH", "NORM", "TAG", "POS", "MORPH", "LEMMA", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "SENT_START", "IS_STOP")
CACHE_FORMAT = 1
_CHECKSUM_BYTES = 32
DOCS_COLUMNS = ["column_id", "part", "text", "doc"]


def _customise(nlp: Language) -> None:
    """Components the analyses add to the stock pipeline (rules, post-processing)."""
    entity_rules.customise(nlp)


@lru_cache(maxsize=4)
def pipeline(model: str | None = None) -> Language:
    """The analysis pipeline: the stock model without its parser (sentences come from the
    faster ``senter``), plus the toolkit's own components. Cached per model name."""
    nlp = load_model(model, exclude=("parser",))
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    _customise(nlp)
    return nlp


def fingerprint(nlp: Language) -> str:
    """A short hash of everything about ``nlp`` that can change its annotations."""
    rules = {}
    for name, component in nlp.pipeline:
        patterns = getattr(component, "patterns", None)
        if patterns is not None and not callable(patterns):
            rules[name] = patterns
    payload = json.dumps({
        "format": CACHE_FORMAT, **model_info(nlp), "pipes": nlp.pipe_names, "attrs": DOC_ATTRS,
        "config": nlp.config.to_str(), "rules": rules,
    }, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DocCache:
    """Serialised Docs on disk, one checksummed file per text, under ``root/<fingerprint>/``."""

    def __init__(self, root: Path, nlp: Language):
        self.dir = Path(root) / "annotate" / fingerprint(nlp)
        self.vocab = nlp.vocab

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.spacy"

    def get(self, key: str) -> Doc | None:
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            return None
        payload, checksum = blob[_CHECKSUM_BYTES:], blob[:_CHECKSUM_BYTES]
        if len(blob) <= _CHECKSUM_BYTES or hashlib.sha256(payload).digest() != checksum:
            return None
        try:
            docs = list(DocBin().from_bytes(payload).get_docs(self.vocab))
        except Exception:  # noqa: BLE001 - any undecodable entry is simply rebuilt
            return None
        return docs[0] if len(docs) == 1 else None

    def put(self, key: str, doc: Doc) -> None:
        self.write(key, serialise(doc))

    def write(self, key: str, payload: bytes) -> None:
        atomic_write_bytes(self._path(key), hashlib.sha256(payload).digest() + payload)


def serialise(doc: Doc) -> bytes:
    return DocBin(attrs=list(DOC_ATTRS), docs=[doc]).to_bytes()


def deserialise(payload: bytes, vocab) -> Doc:
    return next(DocBin().from_bytes(payload).get_docs(vocab))


def annotate(
    columns: pd.DataFrame,
    *,
    model: str | None = None,
    jobs: int = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    batch_size: int = 256,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run the shared spaCy pass over each column's ``question`` and ``answer``.

    Returns one row per non-empty part: ``column_id``, ``part``, ``text``, ``doc`` (a spaCy Doc).
    Cached Docs are reused; only new or changed texts go through spaCy.
    """
    nlp = pipeline(model)
    cache = DocCache(Path(cache_dir) if cache_dir else default_cache_dir(), nlp) if use_cache else None
    rows = [
        {"column_id": row["column_id"], "part": part, "text": row[part]}
        for row in columns[["column_id", *PARTS]].to_dict("records")
        for part in PARTS
        if isinstance(row[part], str) and row[part].strip()
    ]
    keys = [text_key(r["text"]) for r in rows]
    docs: dict[str, Doc] = {}
    if cache:
        for key in dict.fromkeys(keys):
            if (doc := cache.get(key)) is not None:
                docs[key] = doc
    todo = [(k, r["text"]) for k, r in zip(keys, rows) if k not in docs]
    todo = list(dict(todo).items())
    if todo:
        show = sys.stderr.isatty() if progress is None else progress
        from tqdm.auto import tqdm

        texts = (text for _, text in todo)
        stream = nlp.pipe(texts, batch_size=batch_size, n_process=max(1, jobs))
        for (key, _), doc in tqdm(zip(todo, stream), total=len(todo), disable=not show, desc="annotate", unit="text"):
            # Keep exactly what a cache hit would give, so cold and warm runs agree.
            payload = serialise(doc)
            docs[key] = deserialise(payload, nlp.vocab)
            if cache:
                cache.write(key, payload)
    for row, key in zip(rows, keys):
        row["doc"] = docs[key]
    return pd.DataFrame(rows, columns=DOCS_COLUMNS).astype({"column_id": "string", "part": "string", "text": "string"})


def pipeline_info(model: str | None = None) -> dict[str, str]:
    """Model, versions and pipeline fingerprint, as recorded in the manifest."""
    nlp = pipeline(model)
    return {**model_info(nlp), "pipes": ",".join(nlp.pipe_names), "fingerprint": fingerprint(nlp)}
