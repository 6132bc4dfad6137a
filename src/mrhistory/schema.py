"""Every table mrhistory writes, defined once: its file, its columns, their dtypes and what they hold.

The analyses build their tables with :func:`frame`, the pipeline checks each one with
:func:`validate` before writing it, and the README's "What you get" table is
:func:`markdown` (a test keeps the two in agreement).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: The parts of a column that are analysed, in reading order.
PARTS = ("question", "answer")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    path: str
    description: str
    columns: tuple[Column, ...]

    @property
    def dtypes(self) -> dict[str, str]:
        return {c.name: c.dtype for c in self.columns}

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _table(name: str, path: str, description: str, *columns: tuple[str, str, str]) -> Table:
    return Table(name, path, description, tuple(Column(*c) for c in columns))


_OFFSETS = (("part", "string", "`question` or `answer`"),
            ("start", "int64", "offset of the first character in that part's text in `columns.csv`"),
            ("end", "int64", "offset just after the last character"),
            ("text", "string", "the words as written"))

TABLES: dict[str, Table] = {t.name: t for t in (
    _table("columns", "tables/columns.csv", "one row per column",
           ("column_id", "string", "the file name without extension (a WordPress post's slug)"),
           ("source_file", "string", "the file it was read from, relative to the corpus folder"),
           ("format", "string", "`txt`, `html` or `json`"),
           ("sha256", "string", "hash of the file's bytes"),
           ("url", "string", "the column's page (file or `metadata.csv`)"),
           ("title", "string", "its title (file or `metadata.csv`)"),
           ("published", "string", "publication date `YYYY-MM-DD`, if known"),
           ("asker", "string", "the reader's name as signed, place kept"),
           ("answerer", "string", "who signed the answer"),
           ("answerer_title", "string", "the answerer's title lines"),
           ("question", "string", "the reader's question, site chrome removed"),
           ("answer", "string", "the answer, salutation and signature removed"),
           ("question_words", "int64", "words in the question"),
           ("answer_words", "int64", "words in the answer"),
           ("warnings", "string", "what the reader could not recognise, `; `-separated")),
    _table("corpus_report", "corpus_report.csv", "every problem met while reading the corpus",
           ("file", "string", "the file (and `#post` inside a JSON list)"),
           ("problem", "string", "a short code: `empty`, `binary`, `too-large`, `duplicate`, `warning` …"),
           ("detail", "string", "one line saying what is wrong")),
    _table("entities", "tables/entities.csv", "one row per entity mention in a question or answer",
           ("column_id", "string", "the column"), *_OFFSETS,
           ("label", "string", "PERSON, NORP, FAC, ORG, GPE, LOC, PRODUCT, EVENT, WORK_OF_ART, LAW or LANGUAGE"),
           ("canonical", "string", "the name it is counted under")),
    _table("entity_counts", "tables/entity_counts.csv", "one row per canonical entity",
           ("canonical", "string", "the entity's name"),
           ("label", "string", "its label"),
           ("mentions", "int64", "how often it is mentioned"),
           ("columns", "int64", "how many columns mention it"),
           ("wikidata", "string", "its Wikidata QID, where known")),
    _table("entity_cooccurrence", "tables/entity_cooccurrence.csv", "pairs of entities named together",
           ("source", "string", "the first entity of the pair (name order)"),
           ("source_label", "string", "its label"),
           ("target", "string", "the second entity"),
           ("target_label", "string", "its label"),
           ("sentences", "int64", "sentences naming both"),
           ("columns", "int64", "columns naming both")),
    _table("dates", "tables/dates.csv", "every date a column mentions",
           ("column_id", "string", "the column"), *_OFFSETS,
           ("edtf", "string", "the date in Extended Date/Time Format (Library of Congress)"),
           ("earliest", "string", "first day it can name, ISO (astronomical years: 44 BC is `-0043`)"),
           ("latest", "string", "last day it can name"),
           ("precision", "string", "day, week, month, season, year, decade, century, millennium or range"),
           ("inferred", "bool", "true when part of the date comes from context")),
    _table("column_topics", "tables/column_topics.csv", "every column's topics on three facets",
           ("column_id", "string", "the column"),
           ("facet", "string", "`period`, `region` or `theme`"),
           ("topic", "string", "a topic of the taxonomy, or `unassigned`"),
           ("score", "float64", "its share of the column's evidence on that facet"),
           ("evidence", "string", "what points to it, with counts")),
    _table("topic_terms", "tables/topic_terms.csv", "the NMF topic model's top terms (20 columns or more)",
           ("topic", "int64", "topic number, most prevalent first"),
           ("rank", "int64", "the term's rank in the topic"),
           ("term", "string", "a lemma"),
           ("weight", "float64", "its share of the topic")),
    _table("column_topic_weights", "tables/column_topic_weights.csv", "each column's NMF topic weights",
           ("column_id", "string", "the column"),
           ("topic", "int64", "topic number"),
           ("weight", "float64", "the topic's share of the column")),
)}


def frame(name: str, rows: list[dict] | None = None) -> pd.DataFrame:
    """Table ``name`` from ``rows``: exactly its columns and dtypes, even when there are no rows."""
    table = TABLES[name]
    return pd.DataFrame(rows or [], columns=table.names).astype(table.dtypes)


def validate(name: str, df: pd.DataFrame) -> None:
    """Raise ValueError unless ``df`` has exactly table ``name``'s columns, in order, with its dtypes."""
    table = TABLES[name]
    if list(df.columns) != table.names:
        raise ValueError(f"table {name}: columns {list(df.columns)} are not {table.names}")
    wrong = [f"{c} is {df[c].dtype}, not {d}" for c, d in table.dtypes.items() if str(df[c].dtype) != d]
    if wrong:
        raise ValueError(f"table {name}: {'; '.join(wrong)}")


def markdown() -> str:
    """The README's "What you get" table of tables: file, what it holds, and its columns."""
    lines = ["| file | what it holds | columns |", "|---|---|---|"]
    for table in TABLES.values():
        columns = "<br>".join(f"`{c.name}`: {c.description}" for c in table.columns)
        lines.append(f"| `{table.path}` | {table.description} | {columns} |")
    return "\n".join(lines) + "\n"
