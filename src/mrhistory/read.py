"""Corpus folder → ``columns`` table (one row per column) and ``corpus_report`` table (one row per problem).

The corpus folder is read-only input: nothing here writes to it. Files and folders whose names
start with "." are ignored (the collector keeps its state and incoming versions there). Nothing
outside the folder is read: a link that leads out of it is reported, not followed. Every other
entry that cannot be read as a column (a link loop, a folder that cannot be listed, a pipe) is
reported too; and every file gets at most :data:`~mrhistory.deadline.DEFAULT_SECONDS` to parse.
Names in the report are escaped (:func:`~mrhistory.printable.escaped`): one problem, one line.
"""
from __future__ import annotations

import csv
import errno
import hashlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import deadline, qa
from .csvfile import commented_rows
from .printable import escaped, one_line, without_controls
from .schema import frame
from .sources import DEFAULT_MAX_BYTES, FORMATS, READERS, InputProblem, decode, iso_date

__all__ = ["DEFAULT_MAX_BYTES", "Corpus", "Entry", "control_text", "corpus_entries", "corpus_files", "load_corpus",
           "read_corpus", "word_count"]
#: Files in a corpus folder that configure the analysis rather than hold columns.
CONTROL_FILES = {"readme.md", "readme.txt", "metadata.csv", "entities.csv", "topics.toml", "license", "license.md"}
METADATA_FIELDS = ("url", "title", "published")

_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class Corpus:
    """What a corpus folder holds: the columns and everything noteworthy about reading them."""

    columns: pd.DataFrame
    report: pd.DataFrame
    files: pd.DataFrame  # file, sha256, bytes: every file looked at, for the manifest
    problems: list[str] = field(default_factory=list)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Entry:
    """One name in a corpus folder: a column file to read, or (``problem``) why it is not read."""

    found: Path  # the name as it is in the folder
    path: Path  # what is read: ``found``, or the file inside the corpus that a link names
    rel: str  # ``found`` relative to the corpus folder, escaped for printing
    problem: tuple[str, str] | None = None  # (code, detail)


def corpus_entries(corpus_dir: str | Path) -> list[Entry]:
    """Every name under ``corpus_dir`` that could hold a column, in a stable order; hidden names and
    control files skipped. Links are not followed: one to a file inside the corpus is read as that
    file, anything else a link can lead to (outside, a folder, nowhere, itself) is a problem entry."""
    root = Path(corpus_dir)
    real_root = Path(os.path.realpath(root))
    found: list[tuple[tuple[str, ...], Entry]] = []
    folders: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    while folders:
        folder, parts = folders.pop()
        try:
            with os.scandir(folder) as listing:
                children = list(listing)
        except OSError as exc:
            rel = escaped("/".join(parts))
            found.append((parts, Entry(folder, folder, rel, ("unreadable", f"folder cannot be listed: {_reason(exc)}"))))
            continue
        for child in children:
            if child.name.startswith("."):
                continue
            names = (*parts, child.name)
            rel, path = escaped("/".join(names)), folder / child.name
            try:
                if child.is_symlink():
                    entry = _link(path, rel, real_root)
                elif child.is_dir(follow_symlinks=False):
                    folders.append((path, names))
                    continue
                elif child.is_file(follow_symlinks=False):
                    entry = Entry(path, path, rel)
                else:
                    entry = Entry(path, path, rel, ("not-a-file", "not a regular file (a pipe, socket or device); not read"))
            except OSError as exc:
                entry = Entry(path, path, rel, ("unreadable", _reason(exc)))
            if not parts and child.name.lower() in CONTROL_FILES:
                continue  # read (and reported) by whatever uses it: metadata.csv, entities.csv …
            found.append((names, entry))
    return [entry for _, entry in sorted(found, key=lambda pair: pair[0])]


def _link(path: Path, rel: str, real_root: Path) -> Entry:
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Entry(path, path, rel, ("link-loop", "a link that leads back to itself; not followed"))
        return Entry(path, path, rel, ("broken-link", f"a link to {escaped(os.readlink(path))}, which does not exist"))
    if not target.is_relative_to(real_root):
        kind = "folder" if target.is_dir() else "file"
        return Entry(path, path, rel, ("outside-corpus", f"a link to the {kind} {escaped(str(target))}, outside the "
                                                         f"corpus folder; not read"))
    if target.is_dir():
        where = escaped(target.relative_to(real_root).as_posix())
        return Entry(path, path, rel, ("linked-folder", f"a link to the folder {where!s} of the corpus; not followed "
                                                        f"(its files are read where they are)"))
    return Entry(path, target, rel)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every name under ``corpus_dir`` that is read as a column file, in a stable order (see :func:`corpus_entries`)."""
    return [entry.found for entry in corpus_entries(corpus_dir) if entry.problem is None]


class NotAFile(OSError):
    """A name that is no longer a regular file when it is opened."""


def read_limited(path: Path, max_bytes: int) -> tuple[int, bytes | None]:
    """(size, bytes) of the regular file ``path``, or (size, None) if it is larger than ``max_bytes``.

    Opened without following a link and without blocking (a pipe put in its place is refused, not
    waited on); never reads more than ``max_bytes`` + 1 bytes, even from a file that is growing.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(errno.EINVAL, "not a regular file")
        if info.st_size > max_bytes:
            return info.st_size, None
        data = handle.read(max_bytes + 1)
    return (len(data), None) if len(data) > max_bytes else (len(data), data)


class _Reader:
    def __init__(self, corpus_dir: Path, max_bytes: int, time_limit: float | None, echo):
        self.dir = corpus_dir
        self.max_bytes = max_bytes
        self.time_limit = time_limit
        self.echo = echo
        self.rows: list[dict] = []
        self.report: list[dict] = []
        self.files: list[dict] = []
        self.seen_text: dict[str, str] = {}
        self.seen_id: set[str] = set()
        self.next_suffix: dict[str, int] = {}  # column_id -> the first "-n" worth trying for its next duplicate
        self.not_analysed: set[str] = set()  # column ids of files already reported as not analysed

    def problem(self, file: str, code: str, detail: str) -> None:
        """Report one problem: ``file`` is already escaped; ``detail`` is made one line."""
        detail = one_line(detail)
        self.report.append({"file": file, "problem": code, "detail": detail})
        self.echo(f"{file}: {code}: {detail}")
        if code not in ("warning", "duplicate-id"):
            self.not_analysed.add(Path(file.split("#", 1)[-1] if "#" in file else file).stem)

    def read_file(self, entry: Entry) -> None:
        rel, name = entry.rel, entry.found.name
        fmt = FORMATS.get(Path(name).suffix.lower())
        size, data = read_limited(entry.path, self.max_bytes)
        if data is None:
            self.files.append({"file": rel, "sha256": "", "bytes": size})
            return self.problem(rel, "too-large", f"{size} bytes is over the limit of {self.max_bytes} (--max-bytes)")
        digest = hashlib.sha256(data).hexdigest()
        self.files.append({"file": rel, "sha256": digest, "bytes": size})
        if fmt is None:
            suffix = escaped(Path(name).suffix)
            return self.problem(rel, "unsupported-format", f"'{suffix}' is not one of {', '.join(sorted(FORMATS))}")
        if not data.strip():
            return self.problem(rel, "empty", "the file is empty")
        try:
            with deadline.time_limit(self.time_limit):
                text, warnings = decode(data)
                parsed = [(source, None if source.problem else qa.parse(source.text)) for source in READERS[fmt](text)]
        except InputProblem as exc:
            return self.problem(rel, exc.code, exc.detail)
        except deadline.ParseTimeout as exc:
            return self.problem(rel, "parse-timeout", str(exc))
        for source, qa_parts in parsed:
            self.add(rel, escaped(Path(name).stem), fmt, digest, source, qa_parts, warnings)

    def add(self, rel, stem, fmt, digest, source, parsed, file_warnings) -> None:
        where = rel if source.key is None else f"{rel}#{escaped(source.key)}"
        if source.problem is not None:
            return self.problem(where, source.problem.code, source.problem.detail)
        warnings = [*file_warnings, *source.warnings, *parsed.warnings]
        if not (parsed.question or parsed.answer):
            return self.problem(where, "only-chrome", "nothing is left once site chrome is removed")
        fingerprint = hashlib.sha256(" ".join((parsed.question + " " + parsed.answer).split()).lower().encode()).hexdigest()
        if fingerprint in self.seen_text:
            return self.problem(where, "duplicate", f"same question and answer as {self.seen_text[fingerprint]}; not analysed twice")
        self.seen_text[fingerprint] = where
        column_id = stem if source.key is None else re.sub(r"[^\w.-]+", "-", source.key)
        if column_id in self.seen_id:
            n = self.next_suffix.get(column_id, 2)
            while f"{column_id}-{n}" in self.seen_id:
                n += 1
            self.next_suffix[column_id] = n + 1
            unique = f"{column_id}-{n}"
            self.problem(where, "duplicate-id", f"column_id {column_id!r} already used; this column is {unique!r}")
            column_id = unique
        self.seen_id.add(column_id)
        for warning in warnings:
            self.problem(where, "warning", warning)
        self.rows.append({
            "column_id": column_id, "source_file": rel, "format": fmt, "sha256": digest,
            "url": without_controls(source.url).strip(), "published": source.published,
            "title": qa.clean_title(without_controls(source.title)) or parsed.headline,
            "asker": parsed.asker, "answerer": parsed.answerer, "answerer_title": parsed.answerer_title,
            "question": parsed.question, "answer": parsed.answer,
            "question_words": word_count(parsed.question), "answer_words": word_count(parsed.answer),
            "warnings": "; ".join(warnings),
        })

    def merge_metadata(self) -> None:
        """Hand-edited ``metadata.csv`` values win over what the files carry."""
        try:
            data = control_bytes(self.dir, "metadata.csv", max_bytes=self.max_bytes)
        except InputProblem as exc:
            return self.problem("metadata.csv", exc.code, exc.detail)
        if data is None:
            return
        try:
            text, _ = decode(data)
            records = commented_rows(text)
        except (InputProblem, csv.Error) as exc:
            return self.problem("metadata.csv", "bad-metadata", str(exc))
        by_id = {row["column_id"]: row for row in self.rows}
        for n, record in records:
            column_id = (record.get("column_id") or "").strip()
            if column_id in self.not_analysed:
                continue  # its file is already reported; one row per problem is enough
            if column_id not in by_id:
                self.problem("metadata.csv", "unknown-column", f"line {n}: no column {column_id!r} in the corpus")
                continue
            for key in METADATA_FIELDS:
                value = (record.get(key) or "").strip()
                if key == "published" and value and not iso_date(value):
                    self.problem("metadata.csv", "bad-date", f"line {n}: published {value!r} is not YYYY-MM-DD")
                    continue
                if value:
                    by_id[column_id][key] = iso_date(value) if key == "published" else value


def read_corpus(corpus_dir: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                time_limit: float | None = deadline.DEFAULT_SECONDS, echo=None) -> Corpus:
    """Read every column file in ``corpus_dir``; problems are reported (and echoed), never raised.

    ``Corpus.columns`` is the columns table, ``Corpus.report`` the corpus report: in a notebook,
    ``mrhistory.read_corpus("corpus").report`` lists every problem :func:`load_corpus` is silent about.
    ``time_limit``: seconds one file may take to parse (None: no limit); a slower one is reported.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: corpus folder not found")
    if not isinstance(max_bytes, int) or max_bytes < 1:
        raise ValueError(f"max_bytes must be at least 1 byte (the default is {DEFAULT_MAX_BYTES}), not {max_bytes!r}")
    echo = echo or (lambda line: print(line, file=sys.stderr))
    reader = _Reader(corpus_dir, max_bytes, time_limit, echo)
    for entry in corpus_entries(corpus_dir):
        if entry.problem is not None:
            reader.problem(entry.rel, *entry.problem)
            continue
        try:
            reader.read_file(entry)
        except OSError as exc:
            reader.problem(entry.rel, "unreadable", _reason(exc))
        except Exception as exc:  # noqa: BLE001 — one file's bug must not stop the run
            reader.problem(entry.rel, "read-error", f"{type(exc).__name__}: {exc} (a bug in mrhistory: please report it)")
    reader.merge_metadata()
    columns = frame("columns", reader.rows).sort_values("column_id", ignore_index=True)
    files = pd.DataFrame(reader.files, columns=["file", "sha256", "bytes"])
    return Corpus(columns, frame("corpus_report", reader.report), files)


def load_corpus(path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> pd.DataFrame:
    """The ``columns`` table of a corpus folder (default: the project's ``corpus/``).

    Files that cannot be read are left out silently here; ``read_corpus(path).report`` (also
    ``mrhistory.read_corpus``) says which, and why.
    """
    from .paths import default_corpus

    return read_corpus(path or default_corpus(), max_bytes=max_bytes, echo=lambda line: None).columns


def control_bytes(corpus_dir: str | Path, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | None:
    """The bytes of the control file ``name`` in the corpus folder, or None when there is none;
    :class:`InputProblem` when it is a link out of the corpus, not a regular file, or too large."""
    path = Path(corpus_dir) / name
    if not os.path.lexists(path):
        return None
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(corpus_dir))):
        raise InputProblem("outside-corpus", f"a link to {escaped(str(real))}, outside the corpus folder; not read")
    if not real.exists():
        return None
    try:
        size, data = read_limited(real, max_bytes)
    except OSError as exc:
        raise InputProblem("unreadable", _reason(exc)) from None
    if data is None:
        raise InputProblem("too-large", f"{size} bytes is over the limit of {max_bytes} (--max-bytes)")
    return data


def control_text(corpus_dir: str | Path, name: str) -> str | None:
    """The text of a control file in the corpus folder (``entities.csv``, ``topics.toml``), or None
    when there is none; ValueError with a one-line message when it cannot be read."""
    try:
        data = control_bytes(corpus_dir, name)
        return None if data is None else data.decode("utf-8-sig")
    except InputProblem as exc:
        raise ValueError(f"{name}: {exc.detail}") from None
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: cannot be read ({exc.__class__.__name__})") from None
