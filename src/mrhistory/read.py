"""Corpus folder → ``columns`` table (one row per column) and ``corpus_report`` table (one row per problem).

The corpus folder is read-only input: nothing here writes to it. Files and folders whose names
start with "." are ignored (the collector keeps its state and incoming versions there).
"""
from __future__ import annotations

import csv
import hashlib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import qa
from .csvfile import commented_rows
from .schema import frame
from .sources import DEFAULT_MAX_BYTES, FORMATS, READERS, InputProblem, decode, iso_date

__all__ = ["DEFAULT_MAX_BYTES", "Corpus", "control_text", "corpus_files", "load_corpus", "read_corpus", "word_count"]
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


def corpus_files(corpus_dir: Path) -> list[Path]:
    """Every candidate column file under ``corpus_dir``, in a stable order; hidden paths skipped."""
    found = []
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        if len(rel.parts) == 1 and path.name.lower() in CONTROL_FILES:
            continue
        found.append(path)
    return found


class _Reader:
    def __init__(self, corpus_dir: Path, max_bytes: int, echo):
        self.dir = corpus_dir
        self.max_bytes = max_bytes
        self.echo = echo
        self.rows: list[dict] = []
        self.report: list[dict] = []
        self.files: list[dict] = []
        self.seen_text: dict[str, str] = {}
        self.seen_id: set[str] = set()
        self.not_analysed: set[str] = set()  # column ids of files already reported as not analysed

    def problem(self, file: str, code: str, detail: str) -> None:
        self.report.append({"file": file, "problem": code, "detail": detail})
        self.echo(f"{file}: {code}: {detail}")
        if code not in ("warning", "duplicate-id"):
            self.not_analysed.add(Path(file.split("#", 1)[-1] if "#" in file else file).stem)

    def read_file(self, path: Path) -> None:
        rel = path.relative_to(self.dir).as_posix()
        fmt = FORMATS.get(path.suffix.lower())
        size = path.stat().st_size
        if size > self.max_bytes:
            self.files.append({"file": rel, "sha256": "", "bytes": size})
            return self.problem(rel, "too-large", f"{size} bytes is over the limit of {self.max_bytes} (--max-bytes)")
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        self.files.append({"file": rel, "sha256": digest, "bytes": size})
        if fmt is None:
            return self.problem(rel, "unsupported-format", f"'{path.suffix}' is not one of {', '.join(sorted(FORMATS))}")
        if not data.strip():
            return self.problem(rel, "empty", "the file is empty")
        try:
            text, warnings = decode(data)
            sources = READERS[fmt](text)
        except InputProblem as exc:
            return self.problem(rel, exc.code, exc.detail)
        for source in sources:
            self.add(rel, path.stem, fmt, digest, source, warnings)

    def add(self, rel, stem, fmt, digest, source, file_warnings) -> None:
        where = rel if source.key is None else f"{rel}#{source.key}"
        parsed = qa.parse(source.text)
        warnings = [*file_warnings, *source.warnings, *parsed.warnings]
        if not (parsed.question or parsed.answer):
            return self.problem(where, "only-chrome", "nothing is left once site chrome is removed")
        fingerprint = hashlib.sha256(" ".join((parsed.question + " " + parsed.answer).split()).lower().encode()).hexdigest()
        if fingerprint in self.seen_text:
            return self.problem(where, "duplicate", f"same question and answer as {self.seen_text[fingerprint]}; not analysed twice")
        self.seen_text[fingerprint] = where
        column_id = stem if source.key is None else re.sub(r"[^\w.-]+", "-", source.key)
        if column_id in self.seen_id:
            unique = next(f"{column_id}-{n}" for n in range(2, 10_000) if f"{column_id}-{n}" not in self.seen_id)
            self.problem(where, "duplicate-id", f"column_id {column_id!r} already used; this column is {unique!r}")
            column_id = unique
        self.seen_id.add(column_id)
        for warning in warnings:
            self.problem(where, "warning", warning)
        self.rows.append({
            "column_id": column_id, "source_file": rel, "format": fmt, "sha256": digest,
            "url": source.url, "title": qa.clean_title(source.title) or parsed.headline, "published": source.published,
            "asker": parsed.asker, "answerer": parsed.answerer, "answerer_title": parsed.answerer_title,
            "question": parsed.question, "answer": parsed.answer,
            "question_words": word_count(parsed.question), "answer_words": word_count(parsed.answer),
            "warnings": "; ".join(warnings),
        })

    def merge_metadata(self) -> None:
        """Hand-edited ``metadata.csv`` values win over what the files carry."""
        path = self.dir / "metadata.csv"
        if not path.is_file():
            return
        try:
            text, _ = decode(path.read_bytes())
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


def read_corpus(corpus_dir: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, echo=None) -> Corpus:
    """Read every column file in ``corpus_dir``; problems are reported (and echoed), never raised."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise FileNotFoundError(f"{corpus_dir}: corpus folder not found")
    echo = echo or (lambda line: print(line, file=sys.stderr))
    reader = _Reader(corpus_dir, max_bytes, echo)
    for path in corpus_files(corpus_dir):
        try:
            reader.read_file(path)
        except OSError as exc:
            reader.problem(path.relative_to(corpus_dir).as_posix(), "unreadable", exc.strerror or str(exc))
    reader.merge_metadata()
    columns = frame("columns", reader.rows).sort_values("column_id", ignore_index=True)
    files = pd.DataFrame(reader.files, columns=["file", "sha256", "bytes"])
    return Corpus(columns, frame("corpus_report", reader.report), files)


def load_corpus(path: str | Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES) -> pd.DataFrame:
    """The ``columns`` table of a corpus folder (default: the project's ``corpus/``)."""
    from .paths import default_corpus

    return read_corpus(path or default_corpus(), max_bytes=max_bytes, echo=lambda line: None).columns


def control_text(corpus_dir: str | Path, name: str) -> str | None:
    """The text of a control file in the corpus folder (``entities.csv``, ``topics.toml``), or None
    when there is none; ValueError with a one-line message when it cannot be read."""
    path = Path(corpus_dir) / name
    if not path.is_file():
        return None
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{name}: cannot be read ({exc.__class__.__name__})") from None
