"""Shared fixtures: the shipped column (a copy under tests/data/), the real model, and a per-session annotation cache."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "data" / "shipped"  # a copy of the shipped column: tests never read corpus/
SHIPPED_ID = "why-didnt-we-use-soviet-air-bases-when-fighting-japan-in-wwii"


@pytest.fixture(scope="session", autouse=True)
def _session_cache(tmp_path_factory):
    """Tests never touch the project's own .cache/: each session annotates into a fresh one."""
    mp = pytest.MonkeyPatch()
    mp.setenv("MRHISTORY_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


@pytest.fixture(scope="session")
def shipped_columns():
    from mrhistory.read import load_corpus

    return load_corpus(CORPUS)


@pytest.fixture(scope="session")
def shipped_docs(shipped_columns):
    from mrhistory.annotation import annotate

    return annotate(shipped_columns, progress=False)


@pytest.fixture(scope="session")
def shipped_column(shipped_columns):
    return shipped_columns.set_index("column_id").loc[SHIPPED_ID]


#: Corpus sizes the figures and topics are checked at: the first n columns of the development corpus.
DEV_SIZES = (1, 2, 20, 128)


@pytest.fixture(scope="session")
def dev_runs():
    """The whole pipeline (up to the figures, nothing written) on the first 1, 2, 20 and all 128 columns
    of the development corpus, annotated once (the 128) and read from the cache for the others."""
    import time

    from mrhistory.pipeline import run

    from .dev_corpus import DEV_CORPUS, dev_columns

    ids = dev_columns()
    start = time.perf_counter()
    runs = {len(ids): run(DEV_CORPUS, echo=None, progress=False)}
    whole = time.perf_counter() - start
    for n in DEV_SIZES[:-1]:
        runs[n] = run(DEV_CORPUS, column_ids=ids[:n], echo=None, progress=False)
    print(f"\ndev_runs: {len(ids)} columns in {whole:.1f} s (annotation included); every size in "
          f"{time.perf_counter() - start:.1f} s")
    return runs
