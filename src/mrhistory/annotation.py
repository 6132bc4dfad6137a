"""The one spaCy pass every analysis shares: batched, spread over worker processes, cached on disk.

Each distinct text is annotated once. Its cache entry lives under
``<cache>/annotate/<fingerprint>/<key[:2]>/<key>.spacy``, where ``key`` is the text's sha256 and
the fingerprint hashes everything that can change an annotation: the model's files (weights
included), the spaCy, thinc and numpy versions, the toolkit's own components (code and word
lists) and the stored attributes. The fingerprint is computed from files, so a rerun that finds
every text cached never loads the model's weights: it reads the entries with the model's
vocabulary only.

An entry is trusted only if its header names the text's key, its checksum holds and the decoded
text is the text; anything else is rebuilt. A cache that cannot be written (read-only, an entry
or folder in the way) costs a one-line warning and the run goes on without caching.

With ``jobs`` > 1, worker processes (forked on Linux, spawned elsewhere) annotate batches, each
serialises every Doc once and hands the bytes back; the main process writes those bytes to the
cache as they are and decodes them once. Workers die with their parent (kill -9 included) and
are stopped on Ctrl-C. A text longer than spaCy's ``max_length`` is annotated in pieces cut at
paragraph breaks and joined back, so every offset is an offset into the whole text.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from typing import TYPE_CHECKING

from . import processes
from .model import load_model, meta_info, model_digest, model_dir, model_meta, resolve_model_name
from .paths import cache_dir as default_cache_dir

if TYPE_CHECKING:
    import pandas as pd
    from spacy.language import Language
    from spacy.tokens import Doc

# spaCy, pandas and the components are imported where they are used: computing the fingerprint
# (and so telling that nothing changed since the last run) needs none of them.

#: Token attributes kept in the cache; what the entity, date and topic analyses read.
DOC_ATTRS = ("ORTH", "NORM", "TAG", "POS", "MORPH", "LEMMA", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "SENT_START", "IS_STOP")
CACHE_FORMAT = 2
#: Bump when this module changes how a Doc is made from a text (pieces, components, attributes).
RECIPE_VERSION = 1
#: The stock components the analyses do not read (sentences come from the faster ``senter``).
EXCLUDE = ("parser",)
ENABLE = ("senter",)
#: Files (and folders) of the package the toolkit's own components are made from: their bytes are
#: hashed into the fingerprint (tests/test_annotation.py checks that entity_rules reads no other).
RECIPE_FILES = ("entity_rules.py", "gazetteer.py", "names.py", "packaged.py", "data/entity_rules.toml",
                "data/gazetteer")
#: A text longer than spaCy's ``max_length`` is annotated in pieces of at most this many characters.
PIECE_CHARS = 100_000
#: About this many characters of text per task handed to a worker process.
TASK_CHARS = 20_000
#: With ``jobs=None``: one worker per this many characters still to annotate, at most MAX_AUTO_JOBS.
CHARS_PER_JOB = 100_000
MAX_AUTO_JOBS = 4
DOCS_COLUMNS = ["column_id", "part", "text", "doc"]
_MAGIC = b"mrhdoc2\n"
_HEADER = len(_MAGIC) + 32 + 32  # magic, sha256 of the text, sha256 of the payload


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


# --- the pipeline and its fingerprint -------------------------------------------------------------

def _customise(nlp: Language) -> None:
    """Components the analyses add to the stock pipeline (rules, post-processing)."""
    from . import entity_rules  # registers the components' factories, in worker processes too

    entity_rules.customise(nlp)


#: pipe names per fingerprint, known once the pipeline was built here or read from the cache.
_PIPES: dict[str, str] = {}
#: the pipelines this process built, by the ``model`` argument they were built for.
_BUILT: dict[str | None, Language] = {}


@lru_cache(maxsize=4)
def pipeline(model: str | None = None) -> Language:
    """The analysis pipeline: the stock model without :data:`EXCLUDE`, with :data:`ENABLE`, plus
    the toolkit's own components. Cached per model name."""
    nlp = load_model(model, exclude=EXCLUDE)
    for name in ENABLE:
        if name in nlp.disabled:
            nlp.enable_pipe(name)
    _customise(nlp)
    _PIPES[fingerprint(model)] = ",".join(nlp.pipe_names)
    _BUILT[model] = nlp
    return nlp


def _version(dist: str) -> str:
    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


@lru_cache(maxsize=4)
def _recipe_digest(stamp: tuple = ()) -> str:
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in _recipe_paths():
        h.update(path.relative_to(here).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _recipe_paths() -> list[Path]:
    here = Path(__file__).resolve().parent
    found = []
    for rel in RECIPE_FILES:
        path = here / rel
        found += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return found


def _recipe_stamp() -> tuple:
    """Path, size and mtime of every recipe file: the digest is computed again only when one changes."""
    return tuple((p.as_posix(), (s := p.stat()).st_size, s.st_mtime_ns) for p in _recipe_paths())


def fingerprint_payload(model: str | None = None) -> dict:
    """What the fingerprint hashes: everything that can change an annotation, read from files."""
    name = resolve_model_name(model)
    return {
        "format": CACHE_FORMAT, "recipe": RECIPE_VERSION, "attrs": DOC_ATTRS, "exclude": EXCLUDE,
        "enable": ENABLE, "piece_chars": PIECE_CHARS, "model": meta_info(model_meta(name)),
        "model_files": model_digest(name), "components": _recipe_digest(_recipe_stamp()),
        "versions": {d: _version(d) for d in ("spacy", "thinc", "numpy")},
    }


def fingerprint(model: str | None = None) -> str:
    """A short hash of :func:`fingerprint_payload`; computed without loading the model."""
    payload = json.dumps(fingerprint_payload(model), sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


@lru_cache(maxsize=4)
def reader_vocab(model: str | None = None):
    """The model's vocabulary (strings, lexeme norms, language defaults) without its weights:
    all that reading a cached Doc needs."""
    from spacy.util import get_lang_class
    from spacy.vocab import create_vocab

    name = resolve_model_name(model)
    lang = model_meta(name).get("lang", "en")
    vocab = create_vocab(lang, get_lang_class(lang).Defaults)
    folder = model_dir(name) / "vocab"
    if folder.is_dir():
        vocab.from_disk(folder, exclude=["vectors"])
    return vocab


def _vocab(model: str | None):
    """The pipeline's vocabulary if this process built it (decoding into it is faster), else
    :func:`reader_vocab`."""
    nlp = _BUILT.get(model)
    return nlp.vocab if nlp is not None else reader_vocab(model)


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def serialise(doc: Doc) -> bytes:
    from spacy.tokens import DocBin

    return DocBin(attrs=list(DOC_ATTRS), docs=[doc]).to_bytes()


def deserialise(payload: bytes, vocab) -> Doc:
    from spacy.tokens import DocBin

    docs = list(DocBin().from_bytes(payload).get_docs(vocab))
    if len(docs) != 1:
        raise ValueError(f"{len(docs)} documents in one cache entry")
    return docs[0]


# --- the cache ------------------------------------------------------------------------------------

class DocCache:
    """Serialised Docs on disk, one verified file per distinct text, under ``root/annotate/<fingerprint>/``.

    Reading never raises: an absent, unreadable or untrustworthy entry is a miss. Writing never
    raises either: the first failure of a run is reported through ``warn``; a cache that is not
    writable at all is then only read.
    """

    def __init__(self, root: str | Path, fingerprint: str, *, warn: Callable[[str], None] | None = _stderr):
        self.dir = Path(root) / "annotate" / fingerprint
        self.fingerprint = fingerprint
        self.writable = True
        self.failures = 0
        self._warn = warn or (lambda line: None)

    def path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.spacy"

    def read(self, key: str) -> bytes | None:
        """The payload stored for ``key``, if the entry names ``key`` and its checksum holds."""
        try:
            blob = self.path(key).read_bytes()
        except OSError:
            return None
        if (len(blob) <= _HEADER or not blob.startswith(_MAGIC)
                or blob[len(_MAGIC):len(_MAGIC) + 32] != bytes.fromhex(key)):
            return None
        payload = blob[_HEADER:]
        if hashlib.sha256(payload).digest() != blob[_HEADER - 32:_HEADER]:
            return None
        return payload

    def write(self, key: str, payload: bytes) -> None:
        if self.writable:
            header = _MAGIC + bytes.fromhex(key) + hashlib.sha256(payload).digest()
            self._write(self.path(key), header + payload)

    def read_pipes(self) -> str | None:
        try:
            return json.loads((self.dir / "pipeline.json").read_text("utf-8"))["pipes"]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write_pipes(self, pipes: str) -> None:
        if self.writable and self.read_pipes() != pipes:
            self._write(self.dir / "pipeline.json", json.dumps({"pipes": pipes}).encode())

    def _write(self, path: Path, data: bytes) -> None:
        if not self.failures and not self.dir.is_dir():
            try:
                self.dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.writable = False
                self._warn(f"mrhistory: warning: annotation cache folder {self.dir} cannot be made "
                           f"({exc.strerror or exc}); annotating without caching")
                return
        from .outputs import atomic_write_bytes

        try:
            atomic_write_bytes(path, data)
        except OSError as exc:
            self.failures += 1
            if isinstance(exc, PermissionError) or exc.errno in (13, 30):  # EACCES, EROFS
                self.writable = False
                self._warn(f"mrhistory: warning: annotation cache {self.dir} is not writable "
                           f"({exc.strerror or exc}); annotating without caching")
            elif self.failures == 1:
                self._warn(f"mrhistory: warning: annotation cache entry {path} cannot be written "
                           f"({exc.strerror or exc}); that text is not cached (delete the path to let "
                           "the cache rebuild it; later failures in this run are not reported)")


# --- annotating -----------------------------------------------------------------------------------

def pieces(text: str, limit: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``limit`` characters that join back into it:
    after a paragraph break where there is one in the second half of the window, else after a line
    break, a sentence end or a space, else at the limit."""
    out, start = [], 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = limit
        for sep in ("\n\n", "\n", ". ", " "):
            at = window.rfind(sep)
            if at >= limit // 2:
                cut = at + len(sep)
                break
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out


def _pipe(nlp: Language, texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """``nlp.pipe`` that also takes texts longer than ``nlp.max_length``: those go through in
    :func:`pieces` and come back as one Doc whose text and offsets are the whole text's."""
    from spacy.tokens import Doc

    limit = min(PIECE_CHARS, nlp.max_length)

    def cut(stream):
        for i, text in enumerate(stream):
            parts = [text] if len(text) <= nlp.max_length else pieces(text, limit)
            for part in parts:
                yield part, (i, len(parts))

    done: list[Doc] = []
    for doc, (_, n) in nlp.pipe(cut(texts), as_tuples=True, batch_size=batch_size):
        done.append(doc)
        if len(done) == n:
            yield done[0] if n == 1 else Doc.from_docs(done, ensure_whitespace=False)
            done = []


def resolve_jobs(jobs: int | None, chars: int) -> int:
    """Worker processes for ``chars`` characters still to annotate: ``jobs`` if given (1: none, the
    main process annotates), else one per :data:`CHARS_PER_JOB` up to the usable cores, at most
    :data:`MAX_AUTO_JOBS` (each worker holds its own model, about 250 MB)."""
    if jobs is not None and jobs >= 1:
        return int(jobs)
    return max(1, min(processes.usable_cores(), MAX_AUTO_JOBS, chars // CHARS_PER_JOB))


def _in_process(model: str | None, todo: list[tuple[str, str]], batch_size: int):
    """(key, payload, Doc) for each text, annotated here: the Doc is used as it is, the payload
    (serialised once) goes to the cache."""
    nlp = pipeline(model)
    for (key, _), doc in zip(todo, _pipe(nlp, (text for _, text in todo), batch_size)):
        yield key, serialise(doc), doc


# Worker processes ----------------------------------------------------------------------------------

_WORKER_MODEL: list = [None]


def _worker_start(model: str | None, parent: int) -> None:
    processes.worker_start(parent)
    _WORKER_MODEL[0] = model
    pipeline(model)


def _worker_annotate(task: list[tuple[str, str]], batch_size: int) -> tuple[str, list[tuple[str, bytes]]]:
    """The pipe names and, for each (key, text), the serialised Doc: bytes cross the process
    boundary once and go to the cache as they are."""
    nlp = pipeline(_WORKER_MODEL[0])
    docs = _pipe(nlp, (t for _, t in task), batch_size)
    return ",".join(nlp.pipe_names), [(key, serialise(doc)) for (key, _), doc in zip(task, docs)]


def _tasks(todo: list[tuple[str, str]], jobs: int) -> list[list[tuple[str, str]]]:
    """Consecutive batches of texts, about TASK_CHARS each (smaller for a small corpus, so that
    every worker gets several)."""
    total = sum(len(t) for _, t in todo)
    size = max(1, min(TASK_CHARS, total // (4 * jobs)))
    tasks, current, chars = [], [], 0
    for item in todo:
        current.append(item)
        chars += len(item[1])
        if chars >= size:
            tasks.append(current)
            current, chars = [], 0
    if current:
        tasks.append(current)
    return tasks


class _Workers:
    """(key, payload, None) for each text, in order, annotated by ``jobs`` worker processes that
    start at once; at most two tasks per worker are in flight, so results never pile up."""

    def __init__(self, model: str | None, todo: list[tuple[str, str]], jobs: int, batch_size: int):
        from concurrent.futures import ProcessPoolExecutor

        from . import entity_rules, gazetteer  # spaCy and the rules' tables, read here once: the forks inherit them

        tasks = _tasks(todo, jobs)
        self.pipes: str | None = None
        self._batch_size = batch_size
        self._before = processes.children()
        self._flight: deque = deque()
        self._ready: deque = deque()
        self._executor = None
        if processes.can_fork():
            entity_rules.rules()
            gazetteer.preload()
        try:  # the first submit forks the workers: a Ctrl-C from here on must not leave one behind
            with processes.interrupt_held(), processes.shared_heap():
                self._executor = ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=processes.context(),
                                                     initializer=_worker_start, initargs=(model, os.getpid()))
                self._queue = iter(tasks)
                for task in islice(self._queue, 2 * jobs):
                    self._flight.append(self._submit(task))
        except BaseException:
            if self._executor is not None:
                processes.stop(self._executor, self._before)
            self._executor = None
            raise

    def _submit(self, task):
        return self._executor.submit(_worker_annotate, task, self._batch_size)

    def __iter__(self):
        return self

    def __next__(self) -> tuple[str, bytes, None]:
        try:
            while not self._ready:
                if not self._flight:
                    self.close()
                    raise StopIteration
                self.pipes, results = self._flight.popleft().result()
                for task in islice(self._queue, 1):
                    self._flight.append(self._submit(task))
                self._ready.extend((key, payload, None) for key, payload in results)
        except BaseException:  # Ctrl-C, a worker's error: no worker outlives the run
            self.close()
            raise
        return self._ready.popleft()

    def close(self) -> None:
        if self._executor is None:
            return
        if self._flight:
            processes.stop(self._executor, self._before)
        else:
            self._executor.shutdown(wait=True)
        self._executor = None
        self._flight.clear()


@dataclass
class _Row:
    column_id: str
    part: str
    text: str
    key: str
    chunk: int


def _rows(columns: pd.DataFrame, chunk_size: int | None) -> list[_Row]:
    from .schema import PARTS

    size = chunk_size or max(1, len(columns))
    return [_Row(str(row["column_id"]), part, row[part], text_key(row[part]), i // size)
            for i, row in enumerate(columns[["column_id", *PARTS]].to_dict("records"))
            for part in PARTS
            if isinstance(row[part], str) and row[part].strip()]


def _docs_frame(rows: list[_Row], docs: list[Doc]) -> pd.DataFrame:
    import pandas as pd

    table = pd.DataFrame({"column_id": [r.column_id for r in rows], "part": [r.part for r in rows],
                          "text": [r.text for r in rows], "doc": docs}, columns=DOCS_COLUMNS)
    return table.astype({"column_id": "string", "part": "string", "text": "string"})


def empty_docs() -> pd.DataFrame:
    """The annotate table of a corpus without text."""
    return _docs_frame([], [])


def annotate_chunks(
    columns: pd.DataFrame,
    *,
    chunk_size: int | None = 64,
    model: str | None = None,
    jobs: int | None = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    batch_size: int = 256,
    progress: bool | None = None,
    warn: Callable[[str], None] | None = _stderr,
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """The annotate pass, streamed: ``(columns, docs)`` for each run of ``chunk_size`` columns
    (None: one chunk), ``docs`` as :func:`annotate` gives it. Only one chunk's Docs need be in
    memory at a time; texts not cached are annotated ahead (by ``jobs`` workers, see
    :func:`resolve_jobs`) while earlier chunks are analysed."""
    rows = _rows(columns, chunk_size)
    fp = fingerprint(model)
    cache = DocCache(Path(cache_dir) if cache_dir else default_cache_dir(), fp, warn=warn) if use_cache else None
    if cache is not None and fp not in _PIPES and (pipes := cache.read_pipes()):
        _PIPES[fp] = pipes
    uses: dict[str, int] = {}
    for row in rows:
        uses[row.key] = uses.get(row.key, 0) + 1
    cached = {key for key in uses if cache is not None and cache.read(key) is not None}
    todo = list({r.key: r.text for r in rows if r.key not in cached}.items())
    workers = resolve_jobs(jobs, sum(len(t) for _, t in todo)) if todo else 1
    spare: dict[str, bytes] = {}  # annotated earlier, needed again in a later chunk
    show = sys.stderr.isatty() if progress is None else progress
    from tqdm.auto import tqdm

    bar = tqdm(total=len(rows), disable=not show, desc="annotate", unit="text", leave=False)
    fresh = None
    try:
        fresh = (_Workers(model, todo, workers, batch_size) if workers > 1 and len(todo) > 1
                 else _in_process(model, todo, batch_size))
        chunk_columns = columns.reset_index(drop=True)
        size = chunk_size or max(1, len(columns))
        by_chunk: dict[int, list[_Row]] = {}
        for row in rows:
            by_chunk.setdefault(row.chunk, []).append(row)
        for chunk in range((len(columns) + size - 1) // size):
            here: dict[str, Doc] = {}
            docs = []
            for row in by_chunk.get(chunk, []):
                if row.key not in here:
                    here[row.key] = _doc_for(row, cache, cached, spare, fresh, uses, model)
                docs.append(here[row.key])
                uses[row.key] -= 1
                if not uses[row.key]:
                    spare.pop(row.key, None)
                bar.update()
            yield chunk_columns.iloc[chunk * size:(chunk + 1) * size], _docs_frame(by_chunk.get(chunk, []), docs)
        if isinstance(fresh, _Workers) and fresh.pipes:
            _PIPES.setdefault(fp, fresh.pipes)
        if cache is not None and fp in _PIPES:
            cache.write_pipes(_PIPES[fp])
    finally:
        bar.close()
        if fresh is not None:
            fresh.close()


def _doc_for(row: _Row, cache: DocCache | None, cached: set, spare: dict, fresh, uses: dict, model) -> Doc:
    """The Doc of one text: from the cache, from what was annotated for an earlier chunk, or the
    next one the annotator hands back (texts to annotate are queued in the order they are needed)."""
    if row.key in cached:
        payload = cache.read(row.key)
        if payload is not None:
            try:
                doc = deserialise(payload, _vocab(model))
                if doc.text == row.text:
                    return doc
            except Exception:  # noqa: BLE001 - an entry that does not decode is rebuilt
                pass
        # Damaged since it was checked: annotate it here, now.
        key, payload, doc = next(_in_process(model, [(row.key, row.text)], 1))
        cache.write(key, payload)
        return doc
    if row.key in spare:
        return deserialise(spare[row.key], _vocab(model))
    key, payload, doc = next(fresh)
    assert key == row.key, "texts come back in the order they were queued"
    if cache is not None:
        cache.write(key, payload)
    if uses[key] > 1:
        spare[key] = payload
    return doc if doc is not None else deserialise(payload, _vocab(model))


def annotate(
    columns: pd.DataFrame,
    *,
    model: str | None = None,
    jobs: int | None = 1,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    batch_size: int = 256,
    progress: bool | None = None,
    warn: Callable[[str], None] | None = _stderr,
) -> pd.DataFrame:
    """Run the shared spaCy pass over each column's ``question`` and ``answer``.

    Returns one row per non-empty part: ``column_id``, ``part``, ``text``, ``doc`` (a spaCy Doc).
    Cached Docs are reused; only new or changed texts go through spaCy. ``jobs``: worker
    processes (None: chosen from the amount of text, see :func:`resolve_jobs`).
    """
    chunks = [docs for _, docs in annotate_chunks(columns, chunk_size=None, model=model, jobs=jobs,
                                                  cache_dir=cache_dir, use_cache=use_cache, batch_size=batch_size,
                                                  progress=progress, warn=warn)]
    return chunks[0] if chunks else empty_docs()


def pipeline_info(model: str | None = None) -> dict[str, str]:
    """Model, versions, pipe names and pipeline fingerprint, as recorded in the manifest. Does not
    load the model when this process built the pipeline or the cache recorded its pipe names."""
    fp = fingerprint(model)
    pipes = _PIPES.get(fp) or DocCache(default_cache_dir(), fp, warn=None).read_pipes()
    if pipes is None:
        pipes = ",".join(pipeline(model).pipe_names)
    return {**meta_info(model_meta(model)), "pipes": pipes, "fingerprint": fp}
