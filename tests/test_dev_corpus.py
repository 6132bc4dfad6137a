"""The WikiWars development corpus: exactly what tools.dev_corpus makes, and read back exactly as it was made."""
from __future__ import annotations

import csv
import re
import textwrap
from collections import Counter

import pytest

from mrhistory import qa
from mrhistory.read import read_corpus
from mrhistory.sources import read_txt
from tools import dev_corpus

from .conftest import ROOT
from .dev_corpus import DEV_CORPUS, DEV_WARS, dev_columns, dev_subset

SOURCE = ROOT / "tests" / "data" / "wikiwars-dev"
SIGNATURE = ("Wikipedia Contributors", "WikiWars Corpus")


@pytest.fixture(scope="module")
def generated():
    return dev_corpus.columns(SOURCE)


def prose(paragraphs) -> str:
    """The answer as the reader gives it: paragraphs joined by a blank line, runs of spaces collapsed
    (WikiWars keeps a few double spaces where citation marks were removed)."""
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_vendored_folder_is_what_the_generator_makes_now(tmp_path):
    assert dev_corpus.main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    made, vendored = tree(tmp_path), tree(DEV_CORPUS)
    assert sorted(made) == sorted(vendored)
    assert [name for name in made if made[name] != vendored[name]] == []


def test_at_least_100_columns_from_all_11_articles(generated):
    assert len(generated) >= 100
    per_article = Counter(c.article for c in generated)
    assert sorted(per_article) == sorted(dev_corpus.ARTICLES) and len(per_article) == 11
    assert min(per_article.values()) >= 4
    assert dev_columns() == [c.column_id for c in generated]


def test_every_prose_line_of_every_article_is_in_exactly_one_column(generated):
    """Checked against the articles directly, not through the generator's own section splitter."""
    for article in dev_corpus.ARTICLES:
        document = (SOURCE / f"{article}.key.xml").read_text(encoding="utf-8")
        body = re.sub(r"</?TIMEX2[^>]*>", "", document.split("<TEXT>", 1)[1].split("</TEXT>", 1)[0])
        lines = Counter(line for line in body.split("\n") if line.strip())
        used = Counter(p for c in generated if c.article == article for p in c.paragraphs)
        assert used - lines == Counter()
        left = lines - used
        assert all(len(line.split()) <= 12 and not line.endswith(".") for line in left), article  # headings only
        assert {c.heading for c in generated if c.article == article} <= set(left)


def test_long_sections_are_split_into_parts_at_paragraph_boundaries(generated):
    assert all(0 < sum(len(p.split()) for p in c.paragraphs) <= dev_corpus.MAX_WORDS for c in generated)
    parts = [c for c in generated if c.part]
    assert len(parts) == 6 and {c.parts for c in parts} == {2}
    assert all(c.section == f"{c.heading} (part {c.part})" and c.column_id.endswith(f"-part-{c.part}") for c in parts)
    assert all(c.heading in c.question for c in parts)


def test_the_reader_reads_every_column_as_it_was_generated(generated):
    lines = []
    corpus = read_corpus(DEV_CORPUS, echo=lines.append)
    assert lines == [] and corpus.report.empty
    rows = corpus.columns.set_index("column_id")
    assert list(rows.index) == [c.column_id for c in generated]
    for c in generated:
        row = rows.loc[c.column_id]
        assert c.question and c.war in c.question and c.heading in c.question
        assert f"“{c.heading}”" not in c.question  # quoted headings read as titles of works (WORK_OF_ART)
        assert (row.question, row.asker, row.answer, row.answerer, row.answerer_title) == (
            c.question, c.asker, prose(c.paragraphs), *SIGNATURE), c.column_id
        assert (row.title, row.url, row.published, row.warnings) == (c.title, c.url, "", ""), c.column_id
        assert qa.parse((DEV_CORPUS / f"{c.column_id}.txt").read_text("utf-8")).salutation == c.salutation


def wrap(paragraph: str, width: int) -> str:
    """``paragraph`` as the reader gets it back from a hard wrap: a word broken after its hyphen joins with
    no space (the source's rare "effective- although" cannot survive a break at that hyphen)."""
    return " ".join(re.sub(r"(?<=[^\W\d]-)\n(?=[^\W\d])", "", textwrap.fill(paragraph, width)).split())


@pytest.mark.parametrize("layout", ["single newlines", "hard-wrapped at 72", "hard-wrapped at 60, single newlines"])
def test_the_reader_keeps_the_paragraphs_of_real_prose_in_other_layouts(generated, layout):
    """The reader accepts columns copied with single newlines or hard-wrapped; Wikipedia's paragraphs must
    survive (exactly; in hard-wrapped text without blank lines a paragraph ending on a full line may run
    into the next one, as documented, but no word may move to another field)."""
    width = int(re.search(r"\d+", layout).group()) if "wrapped" in layout else 0
    separator = "\n" if "single" in layout else "\n\n"
    for c in generated:
        blocks = [c.question, c.asker, c.salutation, *c.paragraphs, *SIGNATURE]
        text = separator.join(textwrap.fill(b, width) if width else b for b in blocks)
        parsed = qa.parse(read_txt(text)[0].text)
        answer = "\n\n".join(wrap(p, width) for p in c.paragraphs) if width else prose(c.paragraphs)
        got = (parsed.question, parsed.asker, parsed.answer, parsed.answerer, parsed.answerer_title)
        if width and "single" in layout:  # paragraph boundaries may be lost here, words may not
            got = (*got[:2], " ".join(got[2].split()), *got[3:])
            answer = " ".join(answer.split())
        assert got == (c.question, c.asker, answer, *SIGNATURE), c.column_id
        assert parsed.warnings == [], c.column_id


def test_metadata_and_wars_tables(generated):
    readme = (SOURCE / "readme-original.txt").read_text(encoding="utf-8")
    with open(DEV_CORPUS / "metadata.csv", encoding="utf-8", newline="") as f:
        metadata = list(csv.DictReader(f))
    with open(DEV_WARS, encoding="utf-8", newline="") as f:
        wars = list(csv.DictReader(f))
    assert list(metadata[0]) == ["column_id", "url", "title", "published", "notes"]
    assert list(wars[0]) == ["column_id", "article", "war", "section"]
    assert [r["column_id"] for r in metadata] == [r["column_id"] for r in wars] == [c.column_id for c in generated]
    for row, war, c in zip(metadata, wars, generated):
        page = row["url"].removeprefix("https://en.wikipedia.org/wiki/")
        assert row["url"].startswith("https://en.wikipedia.org/wiki/") and re.search(rf"\s{re.escape(page)}\s", readme)
        assert row["published"] == "" and c.article in row["notes"] and c.heading in row["notes"]
        assert (war["article"], war["war"], war["section"]) == (c.article, c.war, c.section)
        assert row["column_id"].startswith(f"wikiwars-{c.article[:2]}-{dev_corpus.slug(c.war)}-")


def test_readme_states_the_command_licence_and_source():
    readme = (DEV_CORPUS / "README.md").read_text(encoding="utf-8")
    for needed in ("python -m tools.dev_corpus --source tests/data/wikiwars-dev --out tests/data/wikiwars_columns",
                   "CC BY-SA 3.0", "Mazur", "Dale", "xszhong/syntime", "1aef302b7d0682f2cd5f834b79ce267edfeb3cfa",
                   "never the user's corpus"):
        assert needed in readme


@pytest.mark.parametrize("n", [1, 2, len(dev_columns())])
def test_dev_subset(tmp_path, n):
    folder = dev_subset(tmp_path, n)
    corpus = read_corpus(folder, echo=lambda line: None)
    assert corpus.report.empty
    assert list(corpus.columns.column_id) == dev_columns()[:n]
    assert (corpus.columns.title != "").all() and (corpus.columns.url != "").all()
    with pytest.raises(FileExistsError):
        dev_subset(tmp_path, n)


def test_dev_subset_refuses_impossible_sizes(tmp_path):
    for n in (0, len(dev_columns()) + 1):
        with pytest.raises(ValueError):
            dev_subset(tmp_path, n)


def test_split_long_keeps_every_paragraph_in_order():
    paragraphs = [f"{'word ' * size}end." for size in (500, 300, 700, 100, 650, 20)]
    parts = dev_corpus.split_long(paragraphs, max_words=1200)
    assert [p for part in parts for p in part] == paragraphs and len(parts) == 2
    assert dev_corpus.split_long(paragraphs[:2], max_words=1200) == [paragraphs[:2]]
