"""The main job: corpus → read → annotate → analyses → tables, figures and manifest under OUT.

Each analysis contributes a *stage*: a function ``stage(ctx)`` that reads what earlier stages
put in ``ctx.tables`` and adds its own tables and figures. The CLI and the notebooks call the
same functions, so they write identical files.
"""
from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import __version__, dates, entities, topics
from .annotation import annotate, pipeline_info
from .figures import FORMATS, save_figure
from .figures import corpus as corpus_figures
from .outputs import atomic_write_bytes, corpus_digest, sha256_file, table_bytes, write_json
from .read import DEFAULT_MAX_BYTES, Corpus, read_corpus

TABLES_DIR = "tables"
FIGURES_DIR = "figures"


@dataclass
class Context:
    """Everything a stage may read, and where it puts what it makes."""

    corpus: Corpus
    docs: pd.DataFrame
    corpus_dir: Path
    params: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: list = field(default_factory=list)  # (name, Figure, caption, alt)
    messages: list[str] = field(default_factory=list)

    @property
    def columns(self) -> pd.DataFrame:
        return self.corpus.columns

    def add_figure(self, name: str, fig, *, caption: str, alt: str = "") -> None:
        self.figures.append((name, fig, caption, alt or caption))

    def say(self, line: str) -> None:
        """A one-line message for the user (printed to stderr by the CLI, kept in the manifest)."""
        self.messages.append(line)


#: The analyses, in order: later stages may read earlier stages' tables.
STAGES: list[Callable[[Context], None]] = [corpus_figures.stage, entities.stage, dates.stage, topics.stage]


@dataclass
class Result:
    out_dir: Path
    tables: dict[str, pd.DataFrame]
    report: pd.DataFrame
    messages: list[str]
    manifest: dict


def run_stages(ctx: Context) -> Context:
    for stage in STAGES:
        stage(ctx)
    return ctx


def analyse(
    corpus_dir: str | Path,
    out_dir: str | Path,
    *,
    model: str | None = None,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    echo: Callable[[str], None] | None = None,
    progress: bool | None = None,
) -> Result:
    """Analyse ``corpus_dir`` and write every table, figure and the manifest into ``out_dir``."""
    echo = echo or (lambda line: print(line, file=sys.stderr))
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    corpus = read_corpus(corpus_dir, max_bytes=max_bytes, echo=echo)
    docs = annotate(corpus.columns, model=model, jobs=jobs, cache_dir=cache_dir, use_cache=use_cache, progress=progress)
    params = {"model": model or "", "max_bytes": max_bytes}
    ctx = run_stages(Context(corpus, docs, corpus_dir, params, tables={"columns": corpus.columns}))
    for line in ctx.messages:
        echo(line)
    manifest = write_outputs(ctx, out_dir, model=model)
    return Result(out_dir, ctx.tables, corpus.report, ctx.messages, manifest)


def write_outputs(ctx: Context, out_dir: Path, *, model: str | None = None) -> dict:
    """Write tables, report, figures and manifest; every file atomically."""
    written: dict[str, Path] = {}
    for name, table in ctx.tables.items():
        written[f"{TABLES_DIR}/{name}.csv"] = atomic_write_bytes(out_dir / TABLES_DIR / f"{name}.csv", table_bytes(table))
    written["corpus_report.csv"] = atomic_write_bytes(out_dir / "corpus_report.csv", table_bytes(ctx.corpus.report))
    figures = {}
    for name, fig, caption, alt in ctx.figures:
        saved = save_figure(fig, out_dir / FIGURES_DIR, name, caption=caption, alt=alt)
        for path in saved.files:
            written[f"{FIGURES_DIR}/{path.name}"] = path
        figures[name] = {"caption": caption, "alt": alt, "files": [f"{FIGURES_DIR}/{p.name}" for p in saved.files]}
    manifest = build_manifest(ctx, written, figures, model=model)
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


def build_manifest(ctx: Context, written: dict[str, Path], figures: dict, *, model: str | None = None) -> dict:
    """Provenance of a run: versions, corpus files with hashes, parameters, outputs with hashes.

    No timestamps and no absolute paths, so the same corpus and environment give the same bytes.
    """
    files = ctx.corpus.files.sort_values("file")
    versions = {"mrhistory": __version__, "python": platform.python_version(), **pipeline_info(model)}
    provenance = {"corpus_sha256": corpus_digest(files), "versions": versions, "parameters": ctx.params}
    return {
        "toolkit": {"name": "mrhistory", "version": __version__},
        "versions": versions,
        "corpus": {
            "folder": ctx.corpus_dir.name,
            "sha256": provenance["corpus_sha256"],
            "files": [{"file": f, "sha256": s, "bytes": int(b)} for f, s, b in files.itertuples(index=False)],
            "columns": int(len(ctx.columns)),
            "problems": int(len(ctx.corpus.report)),
        },
        "parameters": ctx.params,
        "messages": ctx.messages,
        "outputs": {rel: {"sha256": sha256_file(path), "bytes": path.stat().st_size} for rel, path in sorted(written.items())},
        "figures": {name: {**info, "provenance": provenance} for name, info in sorted(figures.items())},
        "figure_formats": list(FORMATS),
    }
