"""The benchmark corpora: the development corpus (128 WikiWars sections as columns) and larger
copies of it whose every text differs, so that neither the cache nor spaCy can reuse anything.

Copy ``k`` (k ≥ 1) of a column is the column with `` (Letter k.)`` after its question and
`` This is letter k.`` after the first paragraph of its answer; its id gets ``--copy-k``.
"""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT / "tests" / "data" / "wikiwars_columns"
_SALUTATION = re.compile(r"^Dear [^\n]*:$", re.M)


def vary(text: str, k: int) -> str:
    """Copy ``k`` of a column file's text (see the module docstring)."""
    question, rest = text.split("\n\n", 1)
    salutation = _SALUTATION.search(rest)
    if salutation is None:
        raise ValueError("no salutation line")
    head, body = rest[:salutation.end()], rest[salutation.end():]
    lead, _, tail = body.lstrip("\n").partition("\n\n")
    gap = body[:len(body) - len(body.lstrip("\n"))]
    return f"{question} (Letter {k}.)\n\n{head}{gap}{lead} This is letter {k}.\n\n{tail}"


def scaled(folder: Path, scale: int, source: Path = DEV_CORPUS) -> Path:
    """``source`` and ``scale`` - 1 varied copies of each of its columns, in ``folder`` (made anew)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files = sorted(source.glob("*.txt"))
    for path in files:
        text = path.read_text("utf-8")
        shutil.copyfile(path, folder / path.name)
        for k in range(1, scale):
            (folder / f"{path.stem}--copy-{k}.txt").write_text(vary(text, k), "utf-8")
    metadata = source / "metadata.csv"
    if metadata.is_file():
        reader = csv.reader(io.StringIO(metadata.read_text("utf-8")))
        header, rows = next(reader), list(reader)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            writer.writerows([f"{row[0]}--copy-{k}", *row[1:]] for k in range(1, scale))
        (folder / "metadata.csv").write_text(out.getvalue(), "utf-8")
    return folder


def write_texts(corpus: Path, out: Path) -> tuple[int, int, int]:
    """The texts the annotate pass sees (each column's question and answer, as read), as a JSON
    list in ``out`` for the baseline; returns (columns, texts, words)."""
    from mrhistory.annotation import _rows
    from mrhistory.read import load_corpus

    columns = load_corpus(corpus)
    texts = [row.text for row in _rows(columns, None)]
    if len(set(texts)) != len(texts):
        raise ValueError(f"{corpus}: some texts repeat; the benchmark needs every text unique")
    out.write_text(json.dumps(texts), "utf-8")
    return len(columns), len(texts), sum(len(t.split()) for t in texts)
