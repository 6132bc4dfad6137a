"""The main job, in one place: read → annotate → entities → dates → topics → figures (→ outputs).

:func:`run` runs the stages in order and collects their tables, figures and messages; it writes
nothing. :func:`analyse` is ``run`` followed by :func:`mrhistory.publish.write_outputs`. The CLI
and the notebooks call these same functions, so they make identical tables and files.

Each analysis is one :class:`Stage` in :data:`STAGES`: a pure function from the run so far to
its tables, the one-line messages they call for, and the figures drawn from them. A fourth
analysis is one pure module, one figure module and one line here.

The corpus streams through the annotate pass in chunks of whole columns: each stage that reads
Docs takes its part from every chunk (:attr:`Stage.per_chunk`), then the Docs are dropped, so
memory does not grow with the corpus; the cross-column steps (canonical names, counts, topics)
run afterwards on those small parts. Chunk size changes nothing in the tables.
"""
from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    import pandas as pd

    from .entities import Authority
    from .figures import FigureSpec
    from .read import Corpus
    from .topic_model import TopicModel
    from .topics import Taxonomy

# The analyses, figures and pandas are imported inside the functions that use them, so that
# `analyse` can tell that OUT is already up to date (see :mod:`mrhistory.freshness`) without them.

#: What ``run(until=…)`` can stop after, in order.
STEPS = ("read", "annotate", "entities", "dates", "topics", "figures")
#: Columns per chunk of the streamed annotate pass: the Docs of this many columns are in memory at once.
CHUNK_COLUMNS = 64
#: If set, :func:`analyse` writes each stage's wall time (seconds, JSON) to this file (for ``make bench``).
TIMINGS_ENV = "MRHISTORY_TIMINGS"


@dataclass
class Settings:
    """A corpus folder's own decisions: its ``entities.csv`` and ``topics.toml``, parsed."""

    authority: Authority | None
    taxonomy: Taxonomy
    problems: list[str] = field(default_factory=list)


def corpus_settings(corpus_dir: str | Path) -> Settings:
    """The corpus folder's ``entities.csv`` and ``topics.toml``; a malformed file is a problem
    (one line) and is ignored for the run, never an error."""
    from .entities import AUTHORITY_FILE, parse_authority
    from .read import control_text
    from .topics import OVERRIDES_FILE, taxonomy_from_text

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
    #: what each stage took from each chunk of Docs (:attr:`Stage.per_chunk`), in column order,
    #: until the stage's tables are made from it
    parts: dict[str, list] = field(default_factory=dict)
    #: how many chunks of columns streamed through the annotate pass
    chunks: int = 0
    #: wall time of each step, in seconds
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def columns(self) -> pd.DataFrame:
        return self.corpus.columns

    def figure_calls(self) -> list[Callable[[], list[FigureSpec]]]:
        """The figures as calls not yet made, from the tables as they are now: publish draws only
        those it cannot reuse."""
        return [call for stage in STAGES for call in stage.figures(self)] if self.with_figures else []

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
        from .figures.entities import entity_figure_notes

        notes += entity_figure_notes(run.tables["entities"], run.tables["entity_counts"],
                                     run.tables["entity_cooccurrence"], run.columns)
    return notes


def _date_notes(run: Run) -> list[str]:
    table = run.tables["dates"]
    notes = [f"dates: {len(table)} date mention(s) in {int(table['column_id'].nunique())} of "
             f"{len(run.columns)} column(s)"]
    from .figures.dates import date_figure_notes

    return notes + date_figure_notes(table, run.columns)


def _entity_parts(run: Run, columns: pd.DataFrame, docs: pd.DataFrame) -> list[dict]:
    from .entities.mentions import raw_mentions

    return raw_mentions(docs, columns)


def _entity_tables(run: Run) -> dict[str, pd.DataFrame]:
    from .entities.tables import mention_tables

    return mention_tables([m for chunk in run.parts["entities"] for m in chunk], authority=run.settings.authority)


# Figures are calls not yet made (a figure function and exactly what it reads), so that publish
# can reuse an unchanged figure without drawing it.

def _entity_figures(run: Run) -> list[Callable[[], list[FigureSpec]]]:
    from .figures.entities import entity_figures

    return [partial(entity_figures, run.tables["entities"], run.tables["entity_counts"],
                    run.tables["entity_cooccurrence"], run.columns)]


def _date_tables(run: Run) -> dict[str, pd.DataFrame]:
    from .dates import dates_table

    return {"dates": dates_table(run.columns)}


def _date_figures(run: Run) -> list[Callable[[], list[FigureSpec]]]:
    from .figures.dates import date_figures

    return [partial(date_figures, run.tables["dates"], run.columns)]


def _corpus_figures(run: Run) -> list[Callable[[], list[FigureSpec]]]:
    from .figures.corpus import corpus_figures

    return [partial(corpus_figures, run.columns)]


def _topic_parts(run: Run, columns: pd.DataFrame, docs: pd.DataFrame) -> tuple[dict, dict, dict]:
    """What the topics read from the Docs: theme tallies, NMF terms (names left open) and whether
    each name span acts in its clause (every span in doc.ents: a superset of the entity rows)."""
    import pandas as pd

    from .topic_model import doc_terms
    from .topics.evidence import actor_roles, theme_tallies

    spans = pd.DataFrame([(c, p, e.start_char, e.end_char) for c, p, d in zip(docs["column_id"], docs["part"], docs["doc"])
                          for e in d.ents], columns=["column_id", "part", "start", "end"])
    return theme_tallies(docs, run.settings.taxonomy), doc_terms(columns, docs), actor_roles(spans, docs)


def _topic_tables(run: Run) -> dict[str, pd.DataFrame]:
    from .topic_model import resolve_terms, topic_model
    from .topics import column_topics

    taxonomy, entities = run.settings.taxonomy, run.tables.get("entities")
    themes, terms, roles = {}, {}, {}
    for chunk_themes, chunk_terms, chunk_roles in run.parts["topics"]:
        themes.update(chunk_themes)
        terms.update(chunk_terms)
        roles.update(chunk_roles)
    tables = {"column_topics": column_topics(run.columns, None, entities=entities, dates=run.tables.get("dates"),
                                             taxonomy=taxonomy, themes=themes, roles=roles)}
    run.topic_model = topic_model(run.columns, None, entities=entities, settings=taxonomy.nmf,
                                  terms=resolve_terms(terms, run.columns, entities=entities))
    if not run.topic_model.skipped:
        tables |= {"topic_terms": run.topic_model.terms, "column_topic_weights": run.topic_model.weights}
    return tables


def _topic_figures(run: Run) -> list[Callable[[], list[FigureSpec]]]:
    """Two calls, the model's terms apart: the slowest figure is drawn beside the others."""
    from .figures.topics import topic_model_figures, topic_table_figures

    return [partial(topic_table_figures, run.tables["column_topics"], run.columns, run.settings.taxonomy),
            partial(topic_model_figures, run.topic_model)]


def _topic_notes(run: Run) -> list[str]:
    from .topics import OVERRIDES_FILE, unknown_places

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
    from .figures.topics import topic_figure_notes

    return notes + topic_figure_notes(run.tables["column_topics"], run.columns)


@dataclass(frozen=True)
class Stage:
    """One analysis: its tables (a pure function of the run so far), the messages they call for,
    and its figures as calls not yet made (each a ``partial`` of a figure function and exactly what
    it reads), so publish can reuse unchanged figures without drawing them and draw the others
    while the later stages run.

    A stage that reads Docs does so in ``per_chunk``: called with each chunk's columns and Docs,
    in column order, its results collected in ``run.parts[name]`` for ``tables`` to finish.
    """

    name: str
    tables: Callable[[Run], dict[str, pd.DataFrame]]
    notes: Callable[[Run], list[str]] = lambda run: []
    figures: Callable[[Run], list[Callable[[], list[FigureSpec]]]] = lambda run: []
    per_chunk: Callable[[Run, pd.DataFrame, pd.DataFrame], Any] | None = None


STAGES: tuple[Stage, ...] = (
    Stage("corpus", lambda r: {}, figures=_corpus_figures),
    Stage("entities", _entity_tables, _entity_notes, _entity_figures, per_chunk=_entity_parts),
    Stage("dates", _date_tables, _date_notes, _date_figures),
    Stage("topics", _topic_tables, _topic_notes, _topic_figures, per_chunk=_topic_parts),
)


# --- running them --------------------------------------------------------------------------------

def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


class _Clock:
    """Wall time per step into ``timings``, and one progress bar over the steps (on a terminal)."""

    def __init__(self, timings: dict[str, float], steps: list[str], show: bool):
        from tqdm.auto import tqdm

        self.timings = timings
        self.peaks: dict[str, float] = {}  # the main process's peak RSS (MiB) when each step ended
        self.bar = tqdm(total=len(steps), disable=not show, desc="mrhistory", unit="step", leave=False,
                        bar_format="{desc}: {n}/{total} steps [{elapsed}]{postfix}")

    @contextmanager
    def step(self, name: str, *, done: bool = True):
        self.bar.set_postfix_str(name, refresh=True)
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)
            self.peaks[name] = _peak_mib()
            if done:
                self.bar.update()

    def add(self, name: str, seconds: float) -> None:
        self.timings[name] = self.timings.get(name, 0.0) + seconds

    def close(self) -> None:
        self.bar.close()


def _peak_mib() -> float:
    try:
        import resource
    except ImportError:  # not POSIX
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1 << 20 if sys.platform == "darwin" else 1 << 10)


def _show(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


def run(
    corpus_dir: str | Path,
    *,
    until: str = "figures",
    column_ids: Iterable[str] | None = None,
    model: str | None = None,
    jobs: int | None = None,
    max_bytes: int | None = None,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = _stderr,
    keep_docs: bool = True,
    chunk_size: int | None = CHUNK_COLUMNS,
) -> Run:
    """Run the stages on ``corpus_dir`` up to and including ``until`` (one of :data:`STEPS`).

    ``column_ids`` keeps only those columns (ValueError naming any that is not in the corpus).
    Corpus problems and stage messages go to ``echo`` as they arise (None: silent) and are kept
    in ``Run.messages``; nothing is written. The Docs stream through the stages ``chunk_size``
    columns at a time (None: all at once); ``keep_docs`` also keeps them all in ``Run.docs`` (for
    notebooks; :func:`analyse` does not). ``jobs``: spaCy worker processes (None: chosen from the
    amount of text to annotate and the usable cores, see :func:`mrhistory.annotation.resolve_jobs`).
    """
    if until not in STEPS:
        raise ValueError(f"until must be one of {', '.join(STEPS)}, not {until!r}")
    clock = _Clock({}, list(STEPS[:STEPS.index(until) + 1]), _show(progress))
    try:
        return _run(corpus_dir, clock, until=until, column_ids=column_ids, model=model, jobs=jobs,
                    max_bytes=max_bytes, cache_dir=cache_dir, use_cache=use_cache, progress=progress, echo=echo,
                    keep_docs=keep_docs, chunk_size=chunk_size)
    finally:
        clock.close()


def _run(corpus_dir: str | Path, clock: _Clock, *, until: str, column_ids: Iterable[str] | None, model: str | None,
         jobs: int | None, max_bytes: int | None, cache_dir: str | Path | None, use_cache: bool,
         progress: bool | None, echo: Callable[[str], None] | None, keep_docs: bool, chunk_size: int | None,
         on_figures: Callable[[Run, Callable[[], list[FigureSpec]]], None] | None = None) -> Run:
    from .read import DEFAULT_MAX_BYTES, read_corpus

    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    last = STEPS.index(until)
    echo = echo or (lambda line: None)
    if not clock.bar.disable:  # a message between progress bars, not through them
        plain = echo

        def echo(line: str) -> None:
            with clock.bar.external_write_mode(file=sys.stderr):
                plain(line)
    corpus_dir = Path(corpus_dir)
    timings = clock.timings
    with clock.step("read"):
        corpus = read_corpus(corpus_dir, max_bytes=max_bytes, echo=echo)
        if column_ids is not None:
            wanted = list(dict.fromkeys(column_ids))
            unknown = sorted(set(wanted) - set(corpus.columns["column_id"]))
            if unknown:
                raise ValueError(f"no column {', '.join(map(repr, unknown))} in {corpus_dir}")
            corpus.columns = corpus.columns.loc[corpus.columns["column_id"].isin(wanted)].reset_index(drop=True)
        settings = corpus_settings(corpus_dir)
    result = Run(corpus_dir, corpus, settings, {"model": model or "", "max_bytes": max_bytes},
                 tables={"columns": corpus.columns}, timings=timings)

    def say(lines: list[str]) -> None:
        for line in lines:
            result.messages.append(line)
            echo(line)

    say(settings.problems)
    if last < STEPS.index("annotate"):
        return result
    stages = [s for s in STAGES if s.name not in STEPS or STEPS.index(s.name) <= last]
    _stream(result, stages, clock, model=model, jobs=jobs, cache_dir=cache_dir, use_cache=use_cache,
            progress=progress, echo=echo, keep_docs=keep_docs, chunk_size=chunk_size)
    for stage in stages:
        with clock.step(stage.name, done=stage.name in STEPS):
            result.tables.update(stage.tables(result))
            result.parts.pop(stage.name, None)  # finished with: its tables hold what it found
            say(stage.notes(result))
        if on_figures is not None and last >= STEPS.index("figures"):
            start = time.perf_counter()  # each stage's figures handed on as soon as its tables are made
            for call in stage.figures(result):
                on_figures(result, call)
            clock.add("figures", time.perf_counter() - start)
    with clock.step("figures"):  # as calls: publish draws those it cannot reuse, while writing
        result.with_figures = last >= STEPS.index("figures")
    return result


def _stream(result: Run, stages: list[Stage], clock: _Clock, *, keep_docs: bool, chunk_size: int | None,
            echo: Callable[[str], None], **annotate_options) -> None:
    """The annotate pass, chunk by chunk, each chunk's Docs handed to every stage's ``per_chunk``
    and then dropped (unless ``keep_docs``). Time waiting for Docs counts as annotate's, time in
    ``per_chunk`` as that stage's."""
    from .annotation import annotate_chunks, empty_docs

    readers = [s for s in stages if s.per_chunk is not None]
    for stage in readers:
        result.parts[stage.name] = []
    kept = []
    clock.bar.set_postfix_str("annotate", refresh=True)
    chunks = annotate_chunks(result.columns, chunk_size=chunk_size, warn=echo, **annotate_options)
    try:
        while True:
            start = time.perf_counter()
            item = next(chunks, None)
            clock.add("annotate", time.perf_counter() - start)
            if item is None:
                break
            columns, docs = item
            result.chunks += 1
            for stage in readers:
                start = time.perf_counter()
                result.parts[stage.name].append(stage.per_chunk(result, columns, docs))
                clock.add(stage.name, time.perf_counter() - start)
            if keep_docs:
                kept.append(docs)
    finally:
        chunks.close()
    clock.peaks["annotate"] = _peak_mib()
    clock.bar.update()
    if keep_docs:
        import pandas as pd

        result.docs = pd.concat(kept, ignore_index=True) if len(kept) > 1 else kept[0] if kept else empty_docs()


@dataclass
class Result:
    """What :func:`analyse` wrote: the run's tables, the corpus report, the messages and the manifest."""

    out_dir: Path
    tables: dict[str, pd.DataFrame]
    report: pd.DataFrame
    messages: list[str]
    manifest: dict
    #: wall time of each step (read, annotate, entities, dates, topics, figures, write), in seconds
    timings: dict[str, float] = field(default_factory=dict)


class _WrittenTables(Mapping):
    """The tables of an up-to-date OUT, read back from their CSV files (as written: floats to six
    significant digits) when first asked for."""

    def __init__(self, out_dir: Path, manifest: dict):
        from .schema import TABLES

        by_path = {t.path: name for name, t in TABLES.items() if name != "corpus_report"}
        self._names = [by_path[rel] for rel in manifest["outputs"] if rel in by_path]
        self._out, self._read = out_dir, {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._names:
            raise KeyError(name)
        if name not in self._read:
            self._read[name] = read_table(self._out, name)
        return self._read[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def read_table(out_dir: str | Path, name: str) -> pd.DataFrame:
    """Table ``name`` as written in ``out_dir``, with its schema's dtypes."""
    import pandas as pd

    from .schema import TABLES

    table = TABLES[name]
    df = pd.read_csv(Path(out_dir) / table.path, dtype=str, keep_default_na=False, na_filter=False)
    for column, dtype in table.dtypes.items():
        if dtype == "bool":
            df[column] = df[column].map({"True": True, "False": False}).astype("bool")
        elif dtype.startswith("float"):
            df[column] = pd.to_numeric(df[column].replace("", None)).astype(dtype)
        else:
            df[column] = df[column].astype(dtype)
    return df[table.names]


def analyse(corpus_dir: str | Path, out_dir: str | Path, *, model: str | None = None, jobs: int | None = None,
            max_bytes: int | None = None, cache_dir: str | Path | None = None, use_cache: bool = True,
            progress: bool | None = None, echo: Callable[[str], None] | None = _stderr,
            chunk_size: int | None = CHUNK_COLUMNS) -> Result:
    """Analyse ``corpus_dir`` and write every table, figure and the manifest into ``out_dir``.

    The Docs stream through the analyses (see :func:`run`) and are not kept. When OUT was written
    by a run with exactly these inputs and still holds what it wrote (see
    :mod:`mrhistory.freshness`; not with ``use_cache=False``), nothing is run or written: the
    messages of that run are repeated and the tables are read back from OUT. With the
    environment variable ``MRHISTORY_TIMINGS`` set to a file name, each step's wall time is
    written there as JSON.

    Otherwise an output folder that must not take results (the corpus, around or inside it, a
    root, a read-only place) is refused before any work: :class:`mrhistory.publish.OutputError`.
    """
    from . import freshness
    from .paths import cache_dir as default_cache_dir
    from .sources import DEFAULT_MAX_BYTES

    start = time.perf_counter()
    out_dir, say = Path(out_dir), echo or (lambda line: None)
    max_bytes = DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
    cache_root = Path(cache_dir) if cache_dir else default_cache_dir()
    digest = freshness.inputs_digest(corpus_dir, model=model, max_bytes=max_bytes) if use_cache else None
    manifest = freshness.up_to_date(cache_root, out_dir, digest)
    if manifest is not None:
        for line in manifest.get("messages", []):
            say(line)
        say(f"mrhistory: {out_dir} is up to date (same corpus, settings, code, model and environment as the run "
            "that wrote it): nothing was run or rewritten")
        timings = {"check": time.perf_counter() - start}
        _write_timings(timings)
        return Result(out_dir, _WrittenTables(out_dir, manifest), read_table(out_dir, "corpus_report"),
                      list(manifest.get("messages", [])), manifest, timings)
    from .publish import figure_drawer, out_folder, write_outputs

    out_folder(out_dir, corpus_dir=corpus_dir)
    clock = _Clock({"check": time.perf_counter() - start}, [*STEPS, "write"], _show(progress))
    drawer = []  # the figures are drawn (in worker processes) while the later analyses run

    def draw(run: Run, call: Callable[[], list[FigureSpec]]) -> None:
        if not drawer:
            drawer.append(figure_drawer(run, cache_dir=cache_dir, reuse_figures=use_cache, jobs=jobs))
        drawer[0].submit(call)

    try:
        done = _run(corpus_dir, clock, until="figures", column_ids=None, model=model, jobs=jobs, max_bytes=max_bytes,
                    cache_dir=cache_dir, use_cache=use_cache, progress=progress, echo=echo, keep_docs=False,
                    chunk_size=chunk_size, on_figures=draw)
        with clock.step("write"):
            manifest = write_outputs(done, out_dir, model=model, cache_dir=cache_dir, reuse_figures=use_cache,
                                     echo=echo, jobs=jobs, figures=drawer[0] if drawer else None)
            if use_cache and freshness.inputs_digest(corpus_dir, model=model, max_bytes=max_bytes) == digest:
                freshness.record(cache_root, out_dir, digest)  # the inputs did not change during the run
    finally:
        if drawer:
            drawer[0].close()  # no figure worker outlives the run (an error, Ctrl-C)
        clock.close()
    _write_timings(done.timings, clock.peaks)
    return Result(out_dir, done.tables, done.corpus.report, done.messages, manifest, done.timings)


def _write_timings(timings: dict[str, float], peaks: dict[str, float] | None = None) -> None:
    """For ``make bench``: each step's seconds and the main process's peak RSS after it, as JSON."""
    if os.environ.get(TIMINGS_ENV):
        data = {"seconds": timings, "main_process_peak_mib": peaks or {}}
        Path(os.environ[TIMINGS_ENV]).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")
