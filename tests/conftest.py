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
