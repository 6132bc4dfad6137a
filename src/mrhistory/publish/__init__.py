"""Writing a run into OUT: every table (checked against :mod:`mrhistory.schema`), every figure, the
corpus report and the manifest that says which corpus, code and model made them.

OUT holds one complete result set at every moment (:mod:`.swap`): the run is made in memory,
staged beside OUT and swapped in whole, under a lock; files OUT already holds byte for byte are
not written again, and figures whose inputs are unchanged are not drawn again (:mod:`.figure_reuse`).
Folders that must not take results are refused before any work (:mod:`.folder`).

``run`` is a :class:`mrhistory.pipeline.Run`: the pipeline calls this package, never the reverse.
"""
from __future__ import annotations

import hashlib
import os
import platform
from pathlib import Path
from typing import Callable

from .. import __version__
from ..annotation import pipeline_info
from ..figures import FORMATS
from ..outputs import corpus_digest, json_bytes, table_bytes
from ..paths import cache_dir as default_cache_dir
from ..schema import TABLES, validate
from .figure_reuse import FigureCache, Figures
from .folder import FIGURES_DIR, MANIFEST, OutputError, out_folder
from .swap import LOCK_TIMEOUT_S, Interrupted, interrupted_state, out_lock, publish, recover

#: With the default ``jobs``, figures are drawn side by side only for corpora up to this many
#: columns. Each figure worker touches (and so copies) the tables it draws from: at 3,840 columns
#: drawing side by side gave a peak of 1,238 MiB against 910 MiB one by one, in a run of minutes,
#: while at 128 columns it saves about a quarter of the run (``make bench``; README, Performance).
SIDE_BY_SIDE_MAX_COLUMNS = 2_000

__all__ = ["FIGURES_DIR", "Figures", "Interrupted", "OutputError", "build_manifest", "figure_drawer", "interrupted_state",
           "out_folder", "write_outputs"]


def figure_drawer(run, *, cache_dir: str | Path | None = None, reuse_figures: bool = True,
                  jobs: int | None = None) -> Figures:
    """Where ``run``'s figures are drawn or reused: figures from the cache in ``cache_dir`` (default:
    ``MRHISTORY_CACHE`` or ``.cache/``) unless ``reuse_figures`` is false, the others drawn in up to
    ``jobs`` processes (1: here; None: one per usable core, up to :data:`SIDE_BY_SIDE_MAX_COLUMNS`
    columns, here above that)."""
    cache = FigureCache(cache_dir or default_cache_dir()) if reuse_figures else None
    if jobs is None and len(run.columns) > SIDE_BY_SIDE_MAX_COLUMNS:
        jobs = 1
    return Figures(cache, jobs=jobs)


def write_outputs(run, out_dir: str | Path, *, model: str | None = None, cache_dir: str | Path | None = None,
                  reuse_figures: bool = True, echo: Callable[[str], None] | None = None,
                  lock_timeout: float = LOCK_TIMEOUT_S, jobs: int | None = None, figures: Figures | None = None) -> dict:
    """Make OUT hold this run's tables, report, figures and manifest, whole; returns the manifest.

    Figures come from ``figures`` when given (the run's figure calls already submitted to it, as
    :func:`mrhistory.pipeline.analyse` does while the analyses run), else from
    :func:`figure_drawer` with ``cache_dir``, ``reuse_figures`` and ``jobs``. ``echo`` gets a line on waiting for
    another run, on recovering from an interrupted one, and a summary. Raises :class:`OutputError`
    (one line; OUT unchanged) and :class:`Interrupted` (Ctrl-C; says which set OUT holds).
    """
    say = echo or (lambda line: None)
    out = out_folder(out_dir, corpus_dir=run.corpus_dir)
    files: dict[str, bytes] = {}
    for name, table in {**run.tables, "corpus_report": run.corpus.report}.items():
        validate(name, table)
        files[TABLES[name].path] = table_bytes(table)
    if figures is None:
        figures = figure_drawer(run, cache_dir=cache_dir, reuse_figures=reuse_figures, jobs=jobs)
        for call in run.figure_calls():
            figures.submit(call)
    listed, drawn, reused = {}, 0, 0
    for made, was_reused in figures.results():
        for fig in made:
            rels = [f"{FIGURES_DIR}/{fig.name}.{fmt}" for fmt in FORMATS]
            files.update(zip(rels, (fig.files[fmt] for fmt in FORMATS)))
            listed[fig.name] = {"caption": fig.caption, "alt": fig.alt, "files": rels}
        reused, drawn = reused + len(made) * was_reused, drawn + len(made) * (not was_reused)
    manifest = build_manifest(run, files, listed, model=model)
    files[MANIFEST] = json_bytes(manifest)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)  # where the lock and the staging folder go
        with out_lock(out, timeout=lock_timeout, echo=say):
            recover(out, say)
            counts = publish(out, files, echo=say)
    except OSError as exc:  # publish itself says more; this is the lock or the leftovers of another run
        raise OutputError(f"cannot write the results to {out}: {exc.strerror or exc}; {out} is unchanged") from None
    if counts is None:
        say(f"outputs: {out_dir} unchanged (every file already holds these results)")
    else:
        say(f"outputs: {counts[0]} file(s) written, {counts[1]} unchanged, in {out_dir}; "
            f"figures: {drawn} drawn, {reused} reused")
    return manifest


def _model_parameter(model: str, versions: dict) -> str:
    """The model as the manifest records it: a package name as given, a model folder by its name."""
    if model and (os.sep in model or "/" in model or os.path.isdir(model)):
        return versions.get("model", "")
    return model


def build_manifest(run, files: dict[str, bytes], figures: dict, *, model: str | None = None) -> dict:
    """Provenance of a run: versions, corpus files with hashes, parameters, outputs with hashes.

    No timestamps and no absolute paths, so the same corpus and environment give the same bytes.
    """
    corpus_files = run.corpus.files.sort_values("file")
    versions = {"mrhistory": __version__, "python": platform.python_version(), **pipeline_info(model)}
    params = dict(run.params)
    if "model" in params:
        params["model"] = _model_parameter(str(params["model"] or ""), versions)
    provenance = {"corpus_sha256": corpus_digest(corpus_files), "versions": versions, "parameters": params}
    return {
        "toolkit": {"name": "mrhistory", "version": __version__},
        "versions": versions,
        "corpus": {
            "folder": run.corpus_dir.name,
            "sha256": provenance["corpus_sha256"],
            "files": [{"file": f, "sha256": s, "bytes": int(b)} for f, s, b in corpus_files.itertuples(index=False)],
            "columns": int(len(run.columns)),
            "problems": int(len(run.corpus.report)),
        },
        "parameters": params,
        "messages": run.messages,
        "outputs": {rel: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
                    for rel, data in sorted(files.items()) if rel != MANIFEST},
        "figures": {name: {**info, "provenance": provenance} for name, info in sorted(figures.items())},
        "figure_formats": list(FORMATS),
    }
