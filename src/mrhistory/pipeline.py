"""The main job, in one place: read → annotate → entities → dates → topics → figures (→ outputs).

:func:`run` runs the stages in order and collects their tables, figures and messages; it writes
nothing. :func:`analyse` is ``run`` followed by :func:`mrhistory.publish.write_outputs`. The CLI
and the notebooks call these same functions, so they make identical tables and files.

Each analysis is one :class:`Stage` in :data:`STAGES`: a pure function from the run so far to
its tables, the one-line messages they call for, and the figures drawn from them. A fourth
analysis is one pure module, one figure module and one line here.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from .dates import dates_table
from .entities import AUTHORITY_FILE, Authority, entity_tables, parse_authority
from .figures import FigureSpec
from .figures.corpus import corpus_figures
from .figures.dates import date_figure_notes, date_figures
from .figures.entities import entity_figure_notes, entity_figures
from .figures.topics import topic_figure_notes, topic_figures
from .publish import out_folder, write_outputs
from .read import DEFAULT_MAX_BYTES, Corpus, control_text, read_corpus
from .topic_model import TopicModel, topic_model
from .topics import OVERRIDES_FILE, Taxonomy, column_topics, taxonomy_from_text, unknown_places

#: What ``run(until=…)`` can stop after, in order.
STEPS = ("read", "annotate", "entities", "dates", "topics", "figures")


@dataclass
class Settings:
    """A corpus folder's own decisions: its ``entities.csv`` and ``topics.toml``, parsed."""

    authority: Authority | None
    taxonomy: Taxonomy
    problems: list[str] = field(default_factory=list)


def corpus_settings(corpus_dir: str | Path) -> Settings:
    """The corpus folder's ``entities.csv`` and ``topics.toml``; a malformed file is a problem
    (one line) and is ignored for the run, never an error."""
    problems: list[str] = []
    authority = None
    try:
        text = control_text(corpus_dir, AUTHORITY_FILE)
        authority = parse_authority(text) if text is not None else None
    except ValueError as exc:
        problems.append(f"entities: {exc}; the file is ignored for this run")
    try:
        overrides = control_text(corpus_dir, OVERRIDES_FILE)
    except ValueError as exc:
        problems.append(f"topics: {exc}")
        overrides = None
    taxonomy = taxonomy_from_text(overrides)
    problems += [f"topics: {p}" for p in taxonomy.problems]
    return Settings(authority, taxonomy, problems)


@dataclass
class Run:
    """What the stages have made so far."""

    corpus_dir: Path
    corpus: Corpus
    settings: Settings
    params: dict
    docs: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    topic_model: TopicModel | None = None
    with_figures: bool = False

    @property
    def columns(self) -> pd.DataFrame:
        return self.corpus.columns

    def figure_calls(self) -> list[Callable[[], list[FigureSpec]]]:
        """The figures as calls not yet made, from the tables as they are now: publish draws only
        those it cannot reuse."""
        return [stage.figures(self) for stage in STAGES] if self.with_figures else []

    @property
    def figures(self) -> list[FigureSpec]:
        """Every figure, drawn now."""
        return [spec for call in self.figure_calls() for spec in call()]


# --- the analyses --------------------------------------------------------------------------------

def _entity_notes(run: Run) -> list[str]:
    authority = run.settings.authority
    notes = []
    unused = authority.unused() if authority else []
    if unused:
        listed = ", ".join(f"{e.alias!r} (line {e.line})" for e in unused[:10]) + (", …" if len(unused) > 10 else "")
        notes.append(f"entities: {len(unused)} {authority.source} entr{'y' if len(unused) == 1 else 'ies'} "
                     f"matched nothing: {listed}")
    if run.tables["entity_counts"].empty:
        notes.append("entities: no named entities found; no entity figures drawn")
    else:
        notes += entity_figure_notes(run.tables["entities"], run.tables["entity_counts"],
                                     run.tables["entity_cooccurrence"], run.columns)
    return notes


def _date_notes(run: Run) -> list[str]:
    table = run.tables["dates"]
    notes = [f"dates: {len(table)} date mention(s) in {int(table['column_id'].nunique())} of "
             f"{len(run.columns)} column(s)"]
    return notes + date_figure_notes(table, run.columns)


def _topic_tables(run: Run) -> dict[str, pd.DataFrame]:
    taxonomy = run.settings.taxonomy
    tables = {"column_topics": column_topics(run.columns, run.docs, entities=run.tables.get("entities"),
                                             dates=run.tables.get("dates"), taxonomy=taxonomy)}
    run.topic_model = topic_model(run.columns, run.docs, entities=run.tables.get("entities"), settings=taxonomy.nmf)
    if not run.topic_model.skipped:
        tables |= {"topic_terms": run.topic_model.terms, "column_topic_weights": run.topic_model.weights}
    return tables


def _topic_notes(run: Run) -> list[str]:
    taxonomy, notes = run.settings.taxonomy, []
    stray = sorted({cid for cid, _ in taxonomy.pins} - set(run.columns["column_id"].astype(str)))
    if stray:
        notes.append(f"topics: {OVERRIDES_FILE} pins topics of column(s) not in the corpus: {', '.join(stray)}")
    missing = [name for name in ("entities", "dates") if name not in run.tables]
    if missing:
        notes.append(f"topics: no {' or '.join(missing)} table in this run, so no evidence from "
                     + " or ".join({"entities": "places and events", "dates": "dates"}[m] for m in missing))
    unknown = unknown_places(run.tables.get("entities"), taxonomy)
    if unknown:
        top = sorted(unknown, key=lambda k: (-unknown[k], k))[:5]
        notes.append(f"topics: {len(unknown)} place name(s) not in the place table, e.g. {', '.join(top)} "
                     f"(add them under [places] in corpus/{OVERRIDES_FILE})")
    if run.topic_model is not None and run.topic_model.skipped:
        notes.append(f"topics: NMF topic model skipped: {run.topic_model.skipped}")
    return notes + topic_figure_notes(run.tables["column_topics"], run.columns)


@dataclass(frozen=True)
class Stage:
    """One analysis: its tables (a pure function of the run so far), the messages they call for,
    and its figures as a call not yet made (``partial`` of a figure function and exactly what it
    reads), so publish can reuse unchanged figures without drawing them."""

    name: str
    tables: Callable[[Run], dict[str, pd.DataFrame]]
    notes: Callable[[Run], list[str]] = lambda run: []
    figures: Callable[[Run], Callable[[], list[FigureSpec]]] = lambda run: list


STAGES: tuple[Stage, ...] = (
    Stage("corpus", lambda r: {}, figures=lambda r: partial(corpus_figures, r.columns)),
    Stage("entities", lambda r: entity_tables(r.docs, columns=r.columns, authority=r.settings.authority), _entity_notes,
          lambda r: partial(entity_figures, r.tables["entities"], r.tables["entity_counts"],
                            r.tables["entity_cooccurrence"], r.columns)),
    Stage("dates", lambda r: {"dates": dates_table(r.columns)}, _date_notes,
          lambda r: partial(date_figures, r.tables["dates"], r.columns)),
    Stage("topics", _topic_tables, _topic_notes,
          lambda r: partial(topic_figures, r.tables["column_topics"], r.columns, r.settings.taxonomy, r.topic_model)),
)


# --- running them --------------------------------------------------------------------------------

def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def run(
    corpus_dir: str | Path,
    *,
    until: str = "figures",
    column_ids: Iterable[str] | None = None,
    model: str | None = None,
    jobs: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = _stderr,
) -> Run:
    """Run the stages on ``corpus_dir`` up to and including ``until`` (one of :data:`STEPS`).

    ``column_ids`` keeps only those columns (ValueError naming any that is not in the corpus).
    Corpus problems and stage messages go to ``echo`` as they arise (None: silent) and are kept
    in ``Run.messages``; nothing is written.
    """
    if until not in STEPS:
        raise ValueError(f"until must be one of {', '.join(STEPS)}, not {until!r}")
    last = STEPS.index(until)
    echo = echo or (lambda line: None)
    corpus_dir = Path(corpus_dir)
    corpus = read_corpus(corpus_dir, max_bytes=max_bytes, echo=echo)
    if column_ids is not None:
        wanted = list(dict.fromkeys(column_ids))
        unknown = sorted(set(wanted) - set(corpus.columns["column_id"]))
        if unknown:
            raise ValueError(f"no column {', '.join(map(repr, unknown))} in {corpus_dir}")
        corpus.columns = corpus.columns.loc[corpus.columns["column_id"].isin(wanted)].reset_index(drop=True)
    settings = corpus_settings(corpus_dir)
    result = Run(corpus_dir, corpus, settings, {"model": model or "", "max_bytes": max_bytes},
                 tables={"columns": corpus.columns})

    def say(lines: list[str]) -> None:
        for line in lines:
            result.messages.append(line)
            echo(line)

    say(settings.problems)
    if last < STEPS.index("annotate"):
        return result
    from .annotation import annotate

    result.docs = annotate(corpus.columns, model=model, jobs=jobs, cache_dir=cache_dir, use_cache=use_cache,
                           progress=progress)
    for stage in STAGES:
        if stage.name in STEPS and STEPS.index(stage.name) > last:
            break
        result.tables.update(stage.tables(result))
        say(stage.notes(result))
    result.with_figures = last >= STEPS.index("figures")
    return result


@dataclass
class Result:
    """What :func:`analyse` wrote: the run's tables, the corpus report, the messages and the manifest."""

    out_dir: Path
    tables: dict[str, pd.DataFrame]
    report: pd.DataFrame
    messages: list[str]
    manifest: dict


def analyse(corpus_dir: str | Path, out_dir: str | Path, *, model: str | None = None, jobs: int = 1,
            max_bytes: int = DEFAULT_MAX_BYTES, cache_dir: str | Path | None = None, use_cache: bool = True,
            progress: bool | None = None, echo: Callable[[str], None] | None = _stderr) -> Result:
    """Analyse ``corpus_dir`` and write every table, figure and the manifest into ``out_dir``.

    An output folder that must not take results (the corpus, around or inside it, a root, a
    read-only place) is refused before any work: :class:`mrhistory.publish.OutputError`.
    """
    out_folder(out_dir, corpus_dir=corpus_dir)
    done = run(corpus_dir, model=model, jobs=jobs, max_bytes=max_bytes, cache_dir=cache_dir, use_cache=use_cache,
               progress=progress, echo=echo)
    manifest = write_outputs(done, Path(out_dir), model=model, cache_dir=cache_dir, reuse_figures=use_cache,
                             echo=echo)
    return Result(Path(out_dir), done.tables, done.corpus.report, done.messages, manifest)
