"""mrhistory: topics, entities and dates in HistoryNet's "Ask Mr. History" columns."""
from __future__ import annotations

__version__ = "0.1.0"

_SUBMODULES = {"read", "annotation", "pipeline", "publish", "entities", "dates", "topics", "topic_model", "figures",
               "harvest", "model", "paths", "outputs", "schema", "names", "entity_rules", "concordance"}

__all__ = ["__version__", "load_corpus", "read_corpus", "annotate", "kwic", "analyse"]


def __getattr__(name: str):
    # Imported lazily: `import mrhistory` stays fast and does not load spaCy until needed.
    if name == "load_corpus":
        from .read import load_corpus
        return load_corpus
    if name == "read_corpus":
        from .read import read_corpus
        return read_corpus
    if name == "annotate":
        from .annotation import annotate
        return annotate
    if name == "kwic":
        from .concordance import kwic
        return kwic
    if name == "analyse":
        from .pipeline import analyse
        return analyse
    if name in _SUBMODULES:
        import importlib
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'mrhistory' has no attribute {name!r}")
