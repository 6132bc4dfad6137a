"""A warm rerun draws no figure whose inputs, code and style are unchanged, and writes no file
that is already byte-identical; what it reuses is byte for byte what a fresh draw gives."""
from __future__ import annotations

import dataclasses
import shutil
from functools import partial
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure

from mrhistory.figures.corpus import corpus_figures
from mrhistory.figures.dates import date_figures

from .conftest import CORPUS
from .out_sets import snapshot


@pytest.fixture(scope="module")
def done():
    from mrhistory.pipeline import run

    return run(CORPUS, echo=None, progress=False)


@pytest.fixture(scope="module")
def fresh(done, tmp_path_factory):
    """The shipped column's results with every figure drawn now, no cache read or written."""
    out = tmp_path_factory.mktemp("fresh") / "out"
    _write(done, out, reuse_figures=False)
    return out


@pytest.fixture(scope="module")
def cold(done, tmp_path_factory):
    """(the session's cache folder, a results folder written through it): every figure of the shipped
    column is in that cache now, drawn here or by an earlier test of the session."""
    from mrhistory.paths import cache_dir

    out = tmp_path_factory.mktemp("cold") / "out"
    _write(done, out)
    return cache_dir(), out


@pytest.fixture
def draws(monkeypatch):
    """Every matplotlib Figure made while the test runs (a counter around the real class)."""
    made: list[Figure] = []
    original = Figure.__init__

    def counting(self, *args, **kwargs):
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "__init__", counting)
    return made


def _write(run, out, **kwargs):
    """write_outputs, drawing here (``draws`` sees only the figures made in this process)."""
    from mrhistory.publish import write_outputs

    return write_outputs(run, out, **{"jobs": 1, **kwargs})


def _private(cache: Path, tmp_path: Path) -> Path:
    """A copy of the cache's figures that the test may change."""
    shutil.copytree(cache / "figures", tmp_path / "cache" / "figures")
    return tmp_path / "cache"


def _identities(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of OUT itself and of every file in it: what a write would change."""
    found = {".": (out.stat().st_ino, out.stat().st_mtime_ns)}
    for path in out.rglob("*"):
        if path.is_file():
            st = path.stat()
            found[path.relative_to(out).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return found


def test_a_warm_rerun_draws_nothing_and_writes_nothing(done, cold, tmp_path, draws):
    cache, drawn_out = cold
    cache = _private(cache, tmp_path)
    out = Path(shutil.copytree(drawn_out, tmp_path / "out"))
    before = _identities(out)
    said = []
    _write(done, out, cache_dir=cache, echo=said.append)
    assert draws == []
    assert _identities(out) == before
    assert said == [f"outputs: {out} unchanged (every file already holds these results)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.mrhistory.lock", "cache", "out"]

    other = tmp_path / "other"
    _write(done, other, cache_dir=cache, echo=said.append)  # another folder, same cache: still nothing drawn
    assert draws == [] and snapshot(other) == snapshot(drawn_out)
    assert said[-1].endswith("figures: 0 drawn, 6 reused")


def test_a_changed_table_redraws_exactly_the_figures_that_read_it(done, cold, tmp_path, draws):
    cache, drawn_out = cold
    cache = _private(cache, tmp_path)
    out = Path(shutil.copytree(drawn_out, tmp_path / "out"))
    before, old = _identities(out), snapshot(out)
    dates = done.tables["dates"]
    changed = dataclasses.replace(done, tables={**done.tables, "dates": dates.iloc[:-1].reset_index(drop=True)})
    _write(changed, out, cache_dir=cache)
    drawn = len(draws)
    draws.clear()
    date_figures(changed.tables["dates"], changed.columns)
    assert drawn == len(draws) > 0, "only the date figures are drawn again"

    after, new = _identities(out), snapshot(out)
    rewritten = {rel for rel in after if after[rel] != before.get(rel)}
    differ = {rel for rel in new if isinstance(new[rel], bytes) and new[rel] != old.get(rel)}
    assert rewritten == differ | {"."}, "only files whose bytes changed are written"
    assert "tables/dates.csv" in differ and "figures/dates_by_year.png" in differ
    assert {rel for rel in differ if rel != "manifest.json"} <= {"tables/dates.csv"} | {
        f"figures/{name}.{fmt}" for name in ("dates_by_year", "dates_column_spans") for fmt in ("png", "svg", "pdf")}


def test_reused_figures_are_the_bytes_of_a_fresh_draw(done, cold, fresh, tmp_path, draws):
    cache, drawn_out = cold
    _write(done, tmp_path / "warm", cache_dir=_private(cache, tmp_path))
    assert draws == [], "every figure reused"
    assert snapshot(tmp_path / "warm") == snapshot(fresh) == snapshot(drawn_out)


def test_a_damaged_cache_entry_is_drawn_again_not_trusted(done, cold, tmp_path, draws):
    cache, drawn_out = cold
    cache = _private(cache, tmp_path)
    png = (drawn_out / "figures" / "corpus-lengths.png").read_bytes()
    blob = next(p for p in (cache / "figures" / "blobs").rglob("*") if p.is_file() and p.read_bytes() == png)
    blob.write_bytes(png[: len(png) // 2])
    _write(done, tmp_path / "out", cache_dir=cache)
    assert len(draws) == 1, "the corpus figure, and only it, is drawn again"
    assert snapshot(tmp_path / "out") == snapshot(drawn_out)
    assert blob.read_bytes() == png, "and its entry is repaired"


def test_the_reuse_key_covers_every_cell_the_code_and_the_style():
    from mrhistory.publish.figure_reuse import figure_key

    table = pd.DataFrame({"year": [1941, 1945], "share": [0.25, 0.5], "label": pd.Series(["a", None], dtype=object)})
    key = lambda t, **kw: figure_key(partial(corpus_figures, t, **kw))
    base = key(table)
    assert base is not None and key(table.copy()) == base
    variants = [
        table.assign(share=[0.25 + 1e-12, 0.5]),
        table.astype({"year": "float64"}),
        table.assign(label=["a", ""]),
        table.assign(label=pd.Series(["a", float("nan")], dtype=object)),  # in an object column, None is not NaN
        table.rename(columns={"label": "name"}),
        table.iloc[::-1],
    ]
    keys = [key(t) for t in variants] + [key(table, width=3.5)]
    with matplotlib.rc_context({"lines.markersize": 9}):  # not set by the style, so the drawing would change
        keys.append(key(table))
    with matplotlib.rc_context({"lines.linewidth": 2.5}):  # the style sets it: the drawing, and the key, do not change
        assert key(table) == base
    assert len({base, *keys}) == len(keys) + 1, "every change gives another key"
    assert figure_key(partial(lambda t: [], table)) is None, "code outside mrhistory is never reused"
    assert figure_key(partial(corpus_figures, object())) is None, "an input it cannot hash exactly is drawn"


def test_the_code_version_covers_the_figure_module_and_what_it_imports():
    import mrhistory
    from mrhistory.publish.figure_reuse import code_files

    package = Path(mrhistory.__file__).parent
    files = {p.relative_to(package).as_posix() for p in code_files("mrhistory.figures.topics")}
    assert {"__init__.py", "figures/__init__.py", "figures/topics.py", "topics/__init__.py", "outputs.py",
            "data/mrhistory.mplstyle"} <= files
    assert not files & {"pipeline.py", "cli/analyse.py", "figures/dates.py"}


def _workers_gone(before: set, timeout: float = 5.0) -> bool:
    """Whether every child process started since ``before`` is gone within ``timeout`` seconds (a
    killed worker can still be being reaped by the executor's own thread for a moment)."""
    import multiprocessing as mp
    import time

    deadline = time.monotonic() + timeout
    while {p for p in mp.active_children() if p.is_alive()} - before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_figures_drawn_in_worker_processes_are_the_bytes_drawn_here(done, fresh, tmp_path):
    """Each figure call drawn in its own forked process (the default on Linux): same files, same manifest."""
    import multiprocessing as mp

    from mrhistory import processes

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")
    before = set(mp.active_children())
    out = tmp_path / "parallel"
    assert _write(done, out, reuse_figures=False, jobs=2) == _write(done, tmp_path / "here", reuse_figures=False)
    assert snapshot(out) == snapshot(fresh)
    assert _workers_gone(before), "the figure workers are gone"


def _broken_figures():
    raise RuntimeError("this figure cannot be drawn")


def test_an_error_in_a_figure_worker_reaches_the_caller_and_leaves_no_worker(done):
    import multiprocessing as mp

    from mrhistory import processes
    from mrhistory.publish.figure_reuse import draw_all

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")
    before = set(mp.active_children())
    with pytest.raises(RuntimeError, match="cannot be drawn"):
        draw_all([done.figure_calls()[0], _broken_figures], jobs=2)
    assert _workers_gone(before), "the figure workers are gone"


def test_a_large_corpus_draws_its_figures_here_by_default(done, monkeypatch):
    """Side by side, each figure worker copies what it reads: above SIDE_BY_SIDE_MAX_COLUMNS columns
    the default is to draw in the main process (an explicit ``jobs`` still forks)."""
    import mrhistory.publish as publish
    from mrhistory import processes

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")
    monkeypatch.setattr(processes, "usable_cores", lambda: 2)
    monkeypatch.setattr(publish, "SIDE_BY_SIDE_MAX_COLUMNS", len(done.columns) - 1)
    large, asked = publish.figure_drawer(done, jobs=None), publish.figure_drawer(done, jobs=2)
    monkeypatch.setattr(publish, "SIDE_BY_SIDE_MAX_COLUMNS", len(done.columns))
    small = publish.figure_drawer(done, jobs=None)
    assert (large.side_by_side, asked.side_by_side, small.side_by_side) == (False, True, True)


def test_figures_are_drawn_while_the_later_analyses_run(tmp_path, monkeypatch):
    """analyse hands each analysis's figures on as soon as its tables are made: the entity figures
    are being drawn in a worker process while the topics are still being worked out."""
    import multiprocessing as mp

    from mrhistory import pipeline, processes

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")
    seen = []
    topic_tables = pipeline._topic_tables

    def watched(run):
        seen.append({p for p in mp.active_children() if p.is_alive()})
        return topic_tables(run)

    stages = tuple(dataclasses.replace(s, tables=watched) if s.name == "topics" else s for s in pipeline.STAGES)
    monkeypatch.setattr(pipeline, "STAGES", stages)
    before = set(mp.active_children())
    pipeline.analyse(CORPUS, tmp_path / "out", jobs=2, use_cache=False, echo=None, progress=False)
    assert seen and seen[0] - before, "a figure worker was drawing while the topics were made"
    assert _workers_gone(before), "the figure workers are gone"


@pytest.mark.parametrize("stop", [RuntimeError, KeyboardInterrupt])
def test_an_error_or_ctrl_c_in_a_later_analysis_stops_the_figure_workers(tmp_path, monkeypatch, stop):
    """The entity figures are being drawn when the topics fail (or Ctrl-C lands there): the
    figure workers are killed and reaped, and OUT is not written."""
    import multiprocessing as mp

    from mrhistory import pipeline, processes

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")

    def broken(run):
        assert {p for p in mp.active_children() if p.is_alive()} - before, "a figure worker is drawing"
        raise stop("the topics cannot be made")

    stages = tuple(dataclasses.replace(s, tables=broken) if s.name == "topics" else s for s in pipeline.STAGES)
    monkeypatch.setattr(pipeline, "STAGES", stages)
    before = set(mp.active_children())
    with pytest.raises(stop, match="cannot be made"):
        pipeline.analyse(CORPUS, tmp_path / "out", jobs=2, use_cache=False, echo=None, progress=False)
    assert _workers_gone(before), "the figure workers are gone"
    assert not (tmp_path / "out").exists()


_IN_KERNEL = """\
import dataclasses, multiprocessing as mp
from mrhistory import pipeline
before, seen = set(mp.active_children()), []
topic_tables = pipeline._topic_tables
def watched(run):
    seen.append(len({p for p in mp.active_children() if p.is_alive()} - before))
    return topic_tables(run)
pipeline.STAGES = tuple(dataclasses.replace(s, tables=watched) if s.name == "topics" else s for s in pipeline.STAGES)
result = pipeline.analyse(CORPUS, OUT, jobs=2, use_cache=False, echo=None, progress=False)
print("figure workers drawing while the topics were made:", seen[0] > 0)
"""


def test_analyse_from_a_jupyter_kernel_draws_the_same_figures_and_leaves_no_worker(fresh, tmp_path):
    """A historian's notebook may call ``mrhistory.analyse`` (``pipeline.analyse``): the figure
    workers are then forked from a live Jupyter kernel (threads, ZeroMQ sockets). They draw the
    bytes drawn here, none outlives the run, and the kernel goes on."""
    import nbformat

    from mrhistory import processes
    from tools.notebooks import main

    from .test_notebooks import _notebook

    if not processes.can_fork():
        pytest.skip("figures are drawn in worker processes only where processes fork")
    out = tmp_path / "out"
    path = _notebook(tmp_path / "analyse.ipynb", f"CORPUS, OUT = {str(CORPUS)!r}, {str(out)!r}\n" + _IN_KERNEL,
                     "print('workers left:', [p for p in mp.active_children() if p not in before])",
                     "print('the kernel goes on')")
    assert main(["execute", str(path)]) == 0
    printed = ["".join(o.get("text", "") for o in cell.outputs) for cell in nbformat.read(path, as_version=4).cells]
    assert printed == ["figure workers drawing while the topics were made: True\n", "workers left: []\n",
                       "the kernel goes on\n"]
    assert snapshot(out) == snapshot(fresh)
