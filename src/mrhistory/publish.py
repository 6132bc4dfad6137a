"""Writing a run into OUT: every table (checked against :mod:`mrhistory.schema`), every figure, the
corpus report and the manifest that says which corpus, code and model made them.

``run`` is a :class:`mrhistory.pipeline.Run`: the pipeline calls this module, never the reverse.
"""
from __future__ import annotations

import json
import platform
from pathlib import Path

from . import __version__
from .annotation import pipeline_info
from .figures import FORMATS, save_figure
from .outputs import atomic_write_bytes, corpus_digest, sha256_file, table_bytes, write_json
from .schema import TABLES, validate

FIGURES_DIR = "figures"


def write_outputs(run, out_dir: Path, *, model: str | None = None) -> dict:
    """Write tables, report, figures and manifest; every file atomically. Returns the manifest."""
    written: dict[str, Path] = {}
    tables = {**run.tables, "corpus_report": run.corpus.report}
    for name, table in tables.items():
        validate(name, table)
        rel = TABLES[name].path
        written[rel] = atomic_write_bytes(out_dir / rel, table_bytes(table))
    figures = {}
    for spec in run.figures:
        saved = save_figure(spec.figure, out_dir / FIGURES_DIR, spec.name, caption=spec.caption, alt=spec.alt)
        for path in saved.files:
            written[f"{FIGURES_DIR}/{path.name}"] = path
        figures[spec.name] = {"caption": spec.caption, "alt": spec.alt,
                              "files": [f"{FIGURES_DIR}/{p.name}" for p in saved.files]}
    manifest = build_manifest(run, written, figures, model=model)
    _remove_stale(out_dir, set(manifest["outputs"]))
    write_json(manifest, out_dir / "manifest.json")
    return manifest


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    """Delete files an earlier run listed in its manifest that this run no longer makes.

    Only files named in the previous manifest are touched, so unrelated files in OUT survive.
    """
    try:
        previous = json.loads((out_dir / "manifest.json").read_text("utf-8")).get("outputs", {})
    except (OSError, ValueError, AttributeError):
        return
    for rel in previous:
        if rel not in keep and ".." not in Path(rel).parts:
            (out_dir / rel).unlink(missing_ok=True)


def build_manifest(run, written: dict[str, Path], figures: dict, *, model: str | None = None) -> dict:
    """Provenance of a run: versions, corpus files with hashes, parameters, outputs with hashes.

    No timestamps and no absolute paths, so the same corpus and environment give the same bytes.
    """
    files = run.corpus.files.sort_values("file")
    versions = {"mrhistory": __version__, "python": platform.python_version(), **pipeline_info(model)}
    provenance = {"corpus_sha256": corpus_digest(files), "versions": versions, "parameters": run.params}
    return {
        "toolkit": {"name": "mrhistory", "version": __version__},
        "versions": versions,
        "corpus": {
            "folder": run.corpus_dir.name,
            "sha256": provenance["corpus_sha256"],
            "files": [{"file": f, "sha256": s, "bytes": int(b)} for f, s, b in files.itertuples(index=False)],
            "columns": int(len(run.columns)),
            "problems": int(len(run.corpus.report)),
        },
        "parameters": run.params,
        "messages": run.messages,
        "outputs": {rel: {"sha256": sha256_file(path), "bytes": path.stat().st_size} for rel, path in sorted(written.items())},
        "figures": {name: {**info, "provenance": provenance} for name, info in sorted(figures.items())},
        "figure_formats": list(FORMATS),
    }
