"""Where things live: every default path comes from here, relative to the project root."""
from __future__ import annotations

import os
from pathlib import Path

_MARKERS = ("pyproject.toml", "corpus")


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the working directory) holding the project.

    A notebook opened from JupyterLab runs in ``notebooks/``; the CLI runs wherever it is
    called. Both find the same root. Falls back to ``start`` when no project is found.
    """
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if all((folder / m).exists() for m in _MARKERS):
            return folder
    return here


def default_corpus() -> Path:
    return project_root() / "corpus"


def default_outputs() -> Path:
    return project_root() / "outputs"


def cache_dir() -> Path:
    """The on-disk cache for the annotate pass (git-ignored); ``MRHISTORY_CACHE`` overrides it."""
    env = os.environ.get("MRHISTORY_CACHE")
    return Path(env) if env else project_root() / ".cache"
