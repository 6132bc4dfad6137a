"""A rerun with nothing changed does nothing; any change to an input or to OUT makes it run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pandas.testing import assert_frame_equal

from mrhistory import freshness
from mrhistory.pipeline import analyse
from mrhistory.sources import DEFAULT_MAX_BYTES

from .conftest import CORPUS, SHIPPED_ID


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The shipped column analysed once: (corpus, OUT, cache, Result)."""
    root = tmp_path_factory.mktemp("fresh")
    corpus = Path(shutil.copytree(CORPUS, root / "corpus"))
    out, cache = root / "out", root / "cache"
    return corpus, out, cache, analyse(corpus, out, cache_dir=cache, echo=None, progress=False)


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def test_an_unchanged_rerun_runs_nothing_writes_nothing_and_says_so(first):
    corpus, out, cache, done = first
    before = _stamps(out)
    lines = []
    again = analyse(corpus, out, cache_dir=cache, echo=lines.append, progress=False)
    assert list(again.timings) == ["check"]
    assert _stamps(out) == before
    assert again.manifest == done.manifest and again.messages == done.messages
    assert lines[:-1] == done.messages and "is up to date" in lines[-1]
    assert sorted(again.tables) == sorted(done.tables)
    assert_frame_equal(again.tables["columns"], done.tables["columns"])
    assert_frame_equal(again.tables["dates"], done.tables["dates"])
    assert_frame_equal(again.report, done.report)


def _digest(corpus: Path, **kwargs) -> str:
    return freshness.inputs_digest(corpus, **({"model": None, "max_bytes": DEFAULT_MAX_BYTES} | kwargs))


def test_a_changed_input_is_not_up_to_date(first, tmp_path, monkeypatch):
    corpus, out, cache, _ = first
    digest = _digest(corpus)
    assert freshness.up_to_date(cache, out, digest) is not None
    assert freshness.up_to_date(cache, tmp_path / "elsewhere", digest) is None  # another OUT
    assert freshness.up_to_date(cache, out, None) is None  # use_cache=False: no digest, always a run
    assert _digest(corpus, max_bytes=1000) != digest
    edited = Path(shutil.copytree(corpus, tmp_path / "corpus"))
    assert _digest(edited) == digest  # same name, same files: same inputs
    (edited / ".collector-state").write_text("hidden files are not read")
    assert _digest(edited) == digest
    (edited / "topics.toml").write_text("[nmf]\nmin_columns = 1\n", "utf-8")
    assert _digest(edited) != digest
    (edited / "topics.toml").unlink()
    text = (edited / f"{SHIPPED_ID}.txt").read_text("utf-8")
    (edited / f"{SHIPPED_ID}.txt").write_text(text.replace("Molotov", "Litvinov"), "utf-8")
    assert _digest(edited) != digest
    monkeypatch.setenv("MPLBACKEND", "svg")
    assert _digest(corpus) != digest


def test_a_changed_code_file_is_not_up_to_date(first, tmp_path, monkeypatch):
    corpus = first[0]
    digest = _digest(corpus)
    package = Path(freshness.__file__).parent
    copy = Path(shutil.copytree(package, tmp_path / "mrhistory", ignore=shutil.ignore_patterns("__pycache__")))
    monkeypatch.setattr(freshness, "__file__", str(copy / "freshness.py"))
    assert _digest(corpus) == digest
    with open(copy / "data" / "taxonomy.toml", "a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    assert _digest(corpus) != digest


@pytest.mark.parametrize("damage", ["delete", "edit", "manifest"])
def test_a_changed_out_is_not_up_to_date(first, tmp_path, damage):
    corpus, out, cache, done = first
    copy = Path(shutil.copytree(out, tmp_path / "out"))
    digest = _digest(corpus)
    freshness.record(cache, copy, digest)
    assert freshness.up_to_date(cache, copy, digest) is not None
    table = copy / "tables" / "dates.csv"
    if damage == "delete":
        table.unlink()
    elif damage == "edit":
        blob = table.read_bytes()
        table.write_bytes(blob.replace(b"1941", b"1942", 1))  # same size, other bytes
    else:
        (copy / "manifest.json").write_text((copy / "manifest.json").read_text("utf-8") + " ", "utf-8")
    assert freshness.up_to_date(cache, copy, digest) is None
