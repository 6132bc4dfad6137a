"""The one pipeline: stages in order, ``until``, the corpus's own settings, messages, and what is written."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from mrhistory import entities as ent
from mrhistory.dates import dates_table
from mrhistory.pipeline import STAGES, STEPS, analyse, corpus_settings, run
from mrhistory.publish import write_outputs

from .conftest import CORPUS, SHIPPED_ID
from .test_entities import AUTHORITY



def corpus_with(tmp_path: Path, authority: str | None = None, topics: str | None = None) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(CORPUS / f"{SHIPPED_ID}.txt", folder)
    if authority is not None:
        (folder / "entities.csv").write_text(authority, "utf-8")
    if topics is not None:
        (folder / "topics.toml").write_text(topics, "utf-8")
    return folder


def canonical_of(df: pd.DataFrame, text: str) -> set[str]:
    return set(df.loc[df["text"] == text, "canonical"])


def test_until_stops_after_the_named_step():
    read = run(CORPUS, until="read", echo=None)
    assert read.docs is None and list(read.tables) == ["columns"] and read.figures == []
    topics = run(CORPUS, until="topics", echo=None, progress=False)
    assert {"entities", "dates", "column_topics"} <= set(topics.tables) and topics.figures == []
    assert [s.name for s in STAGES] == ["corpus", "entities", "dates", "topics"]
    with pytest.raises(ValueError, match="until must be one of"):
        run(CORPUS, until="everything")
    assert STEPS[-1] == "figures"


def test_column_ids_keep_only_those_columns_and_name_unknown_ones(tmp_path):
    folder = corpus_with(tmp_path)
    shutil.copy(folder / f"{SHIPPED_ID}.txt", folder / "second.txt")
    (folder / "second.txt").write_text((folder / "second.txt").read_text("utf-8").replace("Molotov", "Litvinov"), "utf-8")
    done = run(folder, until="read", column_ids=["second"], echo=None)
    assert done.columns["column_id"].tolist() == ["second"]
    with pytest.raises(ValueError, match="no column 'nope'"):
        run(folder, until="read", column_ids=["nope"], echo=None)


def test_dates_stage_makes_the_table_figures_and_messages(tmp_path, shipped_columns):
    done = run(CORPUS, echo=None, progress=False)
    assert_frame_equal(done.tables["dates"], dates_table(shipped_columns))
    names = [spec.name for spec in done.figures]
    assert [n for n in names if n.startswith("dates_")] == ["dates_by_year", "dates_column_spans"]
    assert any("figures: dates_decade_heatmap not drawn" in line for line in done.messages)
    write_outputs(done, tmp_path / "out")
    written = pd.read_csv(tmp_path / "out" / "tables" / "dates.csv", dtype=str)
    assert written["edtf"].tolist()[:2] == ["1941-04-13", "1939-09"]
    assert (tmp_path / "out" / "figures" / "dates_by_year.png").stat().st_size > 1000


def test_a_malformed_authority_file_is_reported_and_the_run_goes_on(tmp_path):
    folder = corpus_with(tmp_path, "alias,canonical,decision\nHitler,Adolf Hitler,fuse\n")
    done = run(folder, until="entities", echo=None, progress=False)
    assert [m for m in done.messages if m.startswith("entities")] == [
        "entities: entities.csv line 2: decision 'fuse' is not merge, split or ignore; the file is ignored for this run"]
    assert {"entities", "entity_counts", "entity_cooccurrence"} <= set(done.tables)
    assert canonical_of(done.tables["entities"], "Hitler") == {"Adolf Hitler"}


def test_unused_authority_entries_are_reported(tmp_path):
    done = run(corpus_with(tmp_path, AUTHORITY), echo=None, progress=False)
    assert "entities: 1 entities.csv entry matched nothing: 'Gettysburg' (line 7)" in done.messages
    assert [s.name for s in done.figures if s.name.startswith("entities")] == ["entities_top", "entities_network"]


def test_a_corpus_without_entities_says_so_and_draws_no_entity_figure(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "plain.txt").write_text("Why did it rain so much?\n\nJane Roe\n\nDear Ms. Roe:\n\nit rained because "
                                      "the clouds were heavy and low.\n\nMr. History\n", "utf-8")
    done = run(folder, echo=None, progress=False)
    assert "entities: no named entities found; no entity figures drawn" in done.messages
    assert not [s for s in done.figures if s.name.startswith("entities")]


def test_the_notebook_recipe_gives_the_pipeline_tables(tmp_path, shipped_docs):
    folder = corpus_with(tmp_path, AUTHORITY)
    done = run(folder, until="entities", echo=None, progress=False)
    settings = corpus_settings(folder)
    tables = ent.entity_tables(shipped_docs, columns=done.columns, authority=settings.authority)
    assert list(tables) == ["entities", "entity_counts", "entity_cooccurrence"]
    for name, table in tables.items():
        assert_frame_equal(table, done.tables[name])
    assert canonical_of(tables["entities"], "Roosevelt") == {"Roosevelt"}  # the authority file is applied
    plain = ent.entity_tables(shipped_docs, columns=done.columns)  # no authority: shipped rules only
    assert canonical_of(plain["entities"], "Roosevelt") == {"Franklin D. Roosevelt"}


def test_an_unparsable_topics_file_is_a_message_not_an_error(tmp_path):
    folder = corpus_with(tmp_path, topics="[[period]\nname = 'x'")
    done = run(folder, until="read", echo=None)
    assert len(done.messages) == 1 and done.messages[0].startswith("topics: topics.toml not used")


def test_write_outputs_refuses_a_table_that_does_not_match_its_schema(tmp_path):
    done = run(CORPUS, echo=None, progress=False)
    done.tables["dates"] = done.tables["dates"].astype({"start": "float64"})
    with pytest.raises(ValueError, match="table dates: start is float64, not int64"):
        write_outputs(done, tmp_path / "out")


def test_analyse_is_run_then_write(tmp_path):
    result = analyse(CORPUS, tmp_path / "out", echo=None, progress=False)
    assert set(result.manifest["outputs"]) >= {"tables/columns.csv", "corpus_report.csv", "tables/dates.csv"}
    assert result.messages == run(CORPUS, echo=None, progress=False).messages


# --- streaming: chunks, jobs, cold and warm runs give the same tables --------------------------------

def _table_bytes(done) -> dict[str, bytes]:
    from mrhistory.outputs import table_bytes

    return {name: table_bytes(table) for name, table in done.tables.items()}


@pytest.fixture(scope="module")
def dev8(tmp_path_factory):
    """8 columns of the development corpus, with a topics.toml that lets NMF run on so few; annotated once."""
    from .dev_corpus import dev_subset

    folder = dev_subset(tmp_path_factory.mktemp("dev"), 8)
    (folder / "topics.toml").write_text("[nmf]\nmin_columns = 4\nn_topics = 2\n", "utf-8")
    cache = tmp_path_factory.mktemp("cache8")
    whole = run(folder, until="topics", echo=None, progress=False, cache_dir=cache, chunk_size=None, jobs=1)
    return folder, cache, whole


def test_chunk_size_changes_no_table(dev8):
    folder, cache, whole = dev8
    assert "topic_terms" in whole.tables and len(whole.tables["entities"]) > 200
    expected = _table_bytes(whole)
    for chunk_size in (1, 3):
        done = run(folder, until="topics", echo=None, progress=False, cache_dir=cache, chunk_size=chunk_size,
                   keep_docs=False)
        assert done.docs is None and done.chunks == -(-8 // chunk_size) and done.parts == {}
        assert _table_bytes(done) == expected, chunk_size
        assert done.messages == whole.messages


def test_streamed_tables_are_the_analyses_of_all_docs_at_once(dev8):
    """The per-chunk split of the analyses gives what their public functions give on every Doc."""
    from mrhistory.topic_model import topic_model
    from mrhistory.topics import column_topics

    folder, _, whole = dev8
    settings = corpus_settings(folder)
    tables = ent.entity_tables(whole.docs, columns=whole.columns, authority=settings.authority)
    for name, table in tables.items():
        assert_frame_equal(table, whole.tables[name])
    topics = column_topics(whole.columns, whole.docs, entities=tables["entities"], dates=whole.tables["dates"],
                           taxonomy=settings.taxonomy)
    assert_frame_equal(topics, whole.tables["column_topics"])
    model = topic_model(whole.columns, whole.docs, entities=tables["entities"], settings=settings.taxonomy.nmf)
    assert_frame_equal(model.terms, whole.tables["topic_terms"])
    assert_frame_equal(model.weights, whole.tables["column_topic_weights"])


def test_two_jobs_and_a_warm_run_give_the_same_tables(dev8, tmp_path):
    folder, _, whole = dev8
    cache = tmp_path / "cache"
    cold = run(folder, until="topics", echo=None, progress=False, cache_dir=cache, jobs=2, chunk_size=3,
               keep_docs=False)
    warm = run(folder, until="topics", echo=None, progress=False, cache_dir=cache, jobs=2, chunk_size=3,
               keep_docs=False)
    assert _table_bytes(cold) == _table_bytes(whole) == _table_bytes(warm)


def test_a_warm_run_loads_no_model_weights(tmp_path, monkeypatch):
    from mrhistory import annotation as ann
    from mrhistory import model as mdl

    folder = corpus_with(tmp_path)
    cache = tmp_path / "cache"
    monkeypatch.setenv("MRHISTORY_CACHE", str(cache))
    first = run(folder, until="topics", echo=None, progress=False)
    info = ann.pipeline_info()

    def refuse(*args, **kwargs):
        raise AssertionError("model weights loaded in a warm run")

    ann.pipeline.cache_clear()  # as in a fresh process: nothing loaded, nothing remembered
    monkeypatch.setattr(ann, "_BUILT", {})
    monkeypatch.setattr(ann, "_PIPES", {})
    monkeypatch.setattr(ann, "load_model", refuse)
    monkeypatch.setattr(mdl, "load_model", refuse)
    try:
        again = run(folder, until="topics", echo=None, progress=False)
        assert ann.pipeline_info() == info  # what the manifest records
    finally:
        ann.pipeline.cache_clear()
    assert _table_bytes(again) == _table_bytes(first)
    assert set(again.timings) >= {"read", "annotate", "entities", "dates", "topics"}


def test_the_run_goes_on_past_a_text_longer_than_spacys_limit(tmp_path, monkeypatch):
    from mrhistory import annotation as ann

    folder = corpus_with(tmp_path)
    text = (folder / f"{SHIPPED_ID}.txt").read_text("utf-8")
    nlp = ann.pipeline(None)
    limit = len(text) // 3  # stands in for spaCy's 1,000,000 characters: the same path, faster
    monkeypatch.setattr(nlp, "max_length", limit)
    monkeypatch.setattr(ann, "PIECE_CHARS", limit // 2)
    done = run(folder, until="entities", echo=None, progress=False, cache_dir=tmp_path / "cache", jobs=1)
    found = done.tables["entities"]
    answer = done.tables["columns"]["answer"][0]
    assert len(answer) > limit and len(found) > 10
    assert all(answer[s:e] == t for s, e, t, p in zip(found["start"], found["end"], found["text"], found["part"])
               if p == "answer")
