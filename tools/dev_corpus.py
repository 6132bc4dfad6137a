"""WikiWars articles → a development corpus: one "Ask Mr. History"-shaped column per article section.

Each column is a reader's question naming the war and the section, the reader's name, a
salutation, the section's prose exactly as in the article (TIMEX2 tags stripped, one paragraph
per line, paragraphs separated by blank lines) and a signature naming the real source. Same input
⇒ byte-identical output: every choice comes from a random generator seeded with ``SEED`` and the
column's id. Run from the project root:

    python -m tools.dev_corpus --source tests/data/wikiwars-dev --out tests/data/wikiwars_columns
"""
from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEED = "wikiwars-columns-1"
MAX_WORDS = 1200  # a longer section is split at paragraph boundaries into parts of about equal length
HEADING_MAX_WORDS = 12
SOURCE_REPO = "xszhong/syntime"
SOURCE_COMMIT = "1aef302b7d0682f2cd5f834b79ce267edfeb3cfa"

#: Document id → (war as named in a sentence, English Wikipedia page name from readme-original.txt).
ARTICLES = {
    "01_WW2": ("World War II", "World_War_II"),
    "03_AmCivWar": ("the American Civil War", "American_Civil_War"),
    "05_VietnamWar": ("the Vietnam War", "Vietnam_War"),
    "07_IraqWar": ("the Iraq War", "Iraq_War"),
    "09_GrecoPersian": ("the Greco-Persian Wars", "Greco-Persian_Wars"),
    "11_ChineseCivWar": ("the Chinese Civil War", "Chinese_Civil_War"),
    "13_RussianCivWar": ("the Russian Civil War", "Russian_Civil_War"),
    "15_MexicanRev": ("the Mexican Revolution", "Mexican_Revolution"),
    "17_AlgerianWar": ("the Algerian War", "Algerian_War"),
    "19_RussoJap": ("the Russo-Japanese War", "Russo-Japanese_War"),
    "21_NigerianCivilWar": ("the Nigerian Civil War", "Nigerian_Civil_War"),
}

#: The section heading stands after a colon or a plain "headed", never in quotation marks: spaCy takes a
#: capitalised phrase in quotes for the title of a work (WORK_OF_ART), and these headings are not titles.
QUESTIONS = (
    "I have been reading about {war}. What happened in the part of the story my book heads as follows: {section}?",
    "My history book has a chapter on {war}, and one of its sections is headed {section}; could you explain what it covers?",
    "When I read about {war} I keep coming across this heading: {section}. What is the story there?",
    "What can you tell me about this part of the history of {war}: {section}?",
    "I am writing a school report on {war}. Could you tell me about the part my notes head {section}?",
    "At a museum exhibition on {war} I saw a panel on this subject: {section}. What was that about?",
)
#: For the second and later parts of a split section.
FOLLOW_UPS = (
    "Thank you for your answer about {war}, on the part headed {section}. How did the story go on from there?",
    "Your account of {war}, on the part headed {section}, stopped partway. What happened next?",
)
#: Plain invented readers: (first name, surname, honorific).
READERS = (
    ("Ellen", "Brandt", "Ms."), ("Carol", "Whitby", "Ms."), ("Nora", "Fenwick", "Ms."),
    ("Ruth", "Calloway", "Ms."), ("Janet", "Pruitt", "Ms."), ("Linda", "Sorensen", "Ms."),
    ("Gail", "Hamblin", "Ms."), ("Denise", "Ortolani", "Ms."), ("Paula", "Renwick", "Ms."),
    ("Joan", "Tilley", "Ms."), ("Susan", "Marchetti", "Ms."), ("Irene", "Vosburgh", "Ms."),
    ("Walter", "Dunmore", "Mr."), ("Gary", "Pettibone", "Mr."), ("Howard", "Lindqvist", "Mr."),
    ("Dale", "Ostrander", "Mr."), ("Ron", "Figueroa", "Mr."), ("Frank", "Szalai", "Mr."),
    ("Keith", "Amundsen", "Mr."), ("Leon", "Barlowe", "Mr."), ("Phil", "Okafor", "Mr."),
    ("Glen", "Whitacre", "Mr."), ("Martin", "Hruska", "Mr."), ("Roy", "Castellan", "Mr."),
)
PLACES = (
    "Dayton, Ohio", "Portland, Ore.", "Tucson, Ariz.", "Duluth, Minn.", "Macon, Ga.",
    "Leeds, England", "Hamilton, Ontario", "Spokane, Wash.", "Galway, Ireland", "Ballarat, Australia",
)
SIGNATURE = ("Wikipedia Contributors", "WikiWars Corpus")
_TAG = re.compile(r"</?TIMEX2\b[^>]*>")
_SENTENCE_END = (".", "?", "!", ":", ";")


@dataclass(frozen=True)
class Column:
    """One generated column and what the reader is meant to make of it."""

    column_id: str
    article: str  # WikiWars document id, e.g. "05_VietnamWar"
    war: str  # "Vietnam War"
    heading: str  # the article's section heading
    part: int  # 1-based; 0 when the section is not split
    parts: int
    question: str
    asker: str
    salutation: str
    paragraphs: tuple[str, ...]

    @property
    def section(self) -> str:
        return f"{self.heading} (part {self.part})" if self.part else self.heading

    @property
    def url(self) -> str:
        return f"https://en.wikipedia.org/wiki/{ARTICLES[self.article][1]}"

    @property
    def title(self) -> str:
        part = f", part {self.part}" if self.part else ""
        return f"{self.heading} ({self.war}{part})"

    @property
    def notes(self) -> str:
        part = f", part {self.part} of {self.parts}" if self.part else ""
        return f"{self.article}.key.xml, section “{self.heading}”{part}"

    def text(self) -> str:
        blocks = [self.question, self.asker, self.salutation, *self.paragraphs, *SIGNATURE]
        return "\n\n".join(blocks) + "\n"


# --- articles → sections --------------------------------------------------------------------------

def article_text(document: str, *, name: str = "article") -> str:
    """The ``<TEXT>`` body of a WikiWars document with its TIMEX2 tags removed, otherwise unchanged."""
    match = re.search(r"<TEXT>\n?(.*?)</TEXT>", document, re.S)
    if not match:
        raise ValueError(f"{name}: no <TEXT> element")
    text = _TAG.sub("", match.group(1))
    if re.search(r"[<>]|&\w+;", text):
        raise ValueError(f"{name}: markup other than TIMEX2 left in the text")
    return text


def _is_heading(block: list[str]) -> bool:
    """A section heading: a block of one short line without final sentence punctuation."""
    line = block[0].strip()
    return len(block) == 1 and len(line.split()) <= HEADING_MAX_WORDS and not line.endswith(_SENTENCE_END)


def sections(text: str, *, name: str = "article") -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) for every section; blank lines separate blocks, each line is a paragraph."""
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    out: list[tuple[str, list[str]]] = []
    for block in filter(None, blocks):
        if _is_heading(block):
            out.append((block[0].strip(), []))
        elif not out:
            raise ValueError(f"{name}: prose before the first heading: {block[0][:60]!r}")
        else:
            out[-1][1].extend(block)
    return out


def split_long(paragraphs: list[str], *, max_words: int = MAX_WORDS) -> list[list[str]]:
    """``paragraphs`` cut at paragraph boundaries into the fewest parts of about equal length."""
    words = [len(p.split()) for p in paragraphs]
    n = math.ceil(sum(words) / max_words)
    if n <= 1:
        return [paragraphs]
    cuts = [0]
    for k in range(1, n):
        target = sum(words) * k / n
        i = cuts[-1] + 1  # every part keeps at least one paragraph
        while i < len(paragraphs) - (n - k) and abs(sum(words[:i + 1]) - target) < abs(sum(words[:i]) - target):
            i += 1
        cuts.append(i)
    cuts.append(len(paragraphs))
    return [paragraphs[a:b] for a, b in zip(cuts, cuts[1:])]


def slug(text: str) -> str:
    """ASCII, lower-case, hyphenated: "Porfirio Díaz's rule (1876-1910)" → "porfirio-diazs-rule-1876-1910"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", ascii_text.lower())).strip("-")


def war_name(article: str) -> str:
    """The war without a leading "the": "Vietnam War"."""
    return re.sub(r"^the ", "", ARTICLES[article][0])


# --- sections → columns ---------------------------------------------------------------------------

def _letter(column_id: str, article: str, heading: str, part: int) -> tuple[str, str, str]:
    """(question, asker line, salutation): the reader's side, chosen by a generator seeded per column."""
    rng = random.Random(f"{SEED}/{column_id}")
    template = rng.choice(FOLLOW_UPS if part > 1 else QUESTIONS)
    first, surname, honorific = rng.choice(READERS)
    asker = f"{first} {surname}" + (f", {rng.choice(PLACES)}" if rng.random() < 0.7 else "")
    return template.format(war=ARTICLES[article][0], section=heading), asker, f"Dear {honorific} {surname}:"


def columns(source: Path) -> list[Column]:
    """Every column generated from the WikiWars files in ``source``, sorted by column id."""
    out = []
    for article in sorted(ARTICLES):
        path = source / f"{article}.key.xml"
        text = article_text(path.read_text(encoding="utf-8"), name=path.name)
        number, war = article.split("_")[0], war_name(article)
        for heading, paragraphs in sections(text, name=path.name):
            if not paragraphs:
                continue  # a heading over sub-sections only
            parts = split_long(paragraphs)
            for k, chunk in enumerate(parts, start=1):
                part = k if len(parts) > 1 else 0
                column_id = f"wikiwars-{number}-{slug(war)}-{slug(heading)}" + (f"-part-{part}" if part else "")
                question, asker, salutation = _letter(column_id, article, heading, part)
                out.append(Column(column_id, article, war, heading, part, len(parts) if part else 0,
                                  question, asker, salutation, tuple(chunk)))
    ids = [c.column_id for c in out]
    if len(set(ids)) != len(ids):
        raise ValueError("two sections give the same column id")
    return sorted(out, key=lambda c: c.column_id)


# --- columns → files ------------------------------------------------------------------------------

def _csv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _readme(cols: list[Column]) -> str:
    counts = {a: sum(c.article == a for c in cols) for a in sorted(ARTICLES)}
    table = "\n".join(f"| `{a}` | {war_name(a)} | https://en.wikipedia.org/wiki/{ARTICLES[a][1]} | {n} |"
                      for a, n in counts.items())
    return f"""# WikiWars columns — a development corpus of {len(cols)} columns

Development data for tests and benchmarks, **never the user's corpus**: the sections of the 11
WikiWars articles in `../wikiwars-dev/` (English Wikipedia text on wars), each wrapped as an "Ask
Mr. History" column so that the toolkit can be run on a hundred-odd columns of real prose no one
here wrote. The questions, readers' names and places are invented (plain names from a fixed list,
not real people); the answers are Wikipedia's text; the signature says so.

## How it was made

Generated, not edited by hand. From the project root:

```sh
python -m tools.dev_corpus --source tests/data/wikiwars-dev --out tests/data/wikiwars_columns
```

`tests/test_dev_corpus.py` checks that this folder is byte for byte what the command makes now,
and that the reader recovers every column's question, reader, answer and signature.

- One column per section of each article. Headings are the short lines (at most
  {HEADING_MAX_WORDS} words) without final punctuation that stand alone between blank lines in
  the `<TEXT>` body; a heading with no prose under it (it only groups sub-sections) gives no
  column. A section of more than {MAX_WORDS} words is cut at paragraph boundaries into parts of
  about equal length ("1918 (part 2)").
- The answer is the section's text with the inline `<TIMEX2>` tags removed and nothing else
  changed, one paragraph per line as in the article, paragraphs separated by blank lines. (The
  reader collapses the few runs of two spaces the articles carry.)
- Each file: the reader's question naming the war and the section (one of a handful of
  templates; the heading is not put in quotation marks, which would make it read as the title of a work), the reader's name (mostly with a place), a salutation ("Dear Ms. Brandt:"), the
  answer, and the signature `Wikipedia Contributors` / `WikiWars Corpus`. Every choice comes from
  a random generator seeded with the fixed string `{SEED}` and the column id.
- File names are the column ids: `wikiwars-<article number>-<war>-<section>[-part-<n>]`.
- `metadata.csv`: `column_id,url,title,published,notes`; the url is the war's English Wikipedia
  article; `published` is empty (the articles carry only the date WikiWars downloaded them,
  2009-12-19, which is not a publication date); `notes` names the article file and the heading.
- `.wars.csv`: `column_id,article,war,section`, one row per column, so that tests can check a
  column's topics against its war. Its name starts with a dot because the reader ignores such
  files; any other `.csv` here would be reported as an unsupported column file.

| article | war | Wikipedia article | columns |
|---|---|---|---|
{table}

## Licence and attribution

The text is from English Wikipedia, by the Wikipedia contributors, as collected in **WikiWars
v1.0.4**: Pawel Mazur and Robert Dale (2010), "WikiWars: A New Corpus for Research on Temporal
Expressions", *Proceedings of EMNLP 2010*, pages 913–922. Copied from the public repository
`{SOURCE_REPO}`, commit `{SOURCE_COMMIT}`, folder
`syntime/resources/wikiwars/WikiWars_20120218_v104/keyinline/` (see `../wikiwars-dev/`).

Licence: **Creative Commons Attribution-ShareAlike 3.0 Unported** (CC BY-SA 3.0,
https://creativecommons.org/licenses/by-sa/3.0/), as for the articles it is made from; this
folder is shared under the same licence. The MIT licence of the toolkit does not apply to it.
The changes made: the TIMEX2 annotations were removed, the articles cut into sections, and
invented questions, names and salutations added around them.
"""


def files(cols: list[Column]) -> dict[str, str]:
    """File name → content of everything the generator writes."""
    out = {f"{c.column_id}.txt": c.text() for c in cols}
    out["metadata.csv"] = _csv(("column_id", "url", "title", "published", "notes"),
                               [(c.column_id, c.url, c.title, "", c.notes) for c in cols])
    out[".wars.csv"] = _csv(("column_id", "article", "war", "section"),
                            [(c.column_id, c.article, c.war, c.section) for c in cols])
    out["README.md"] = _readme(cols)
    return out


def write(source: Path, out: Path) -> list[Column]:
    """Generate the corpus from ``source`` into ``out``; earlier generated columns not made again are removed."""
    cols = columns(source)
    content = files(cols)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("wikiwars-*.txt"):
        if stale.name not in content:
            stale.unlink()
    for name, text in content.items():
        (out / name).write_bytes(text.encode("utf-8"))
    return cols


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.dev_corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=Path("tests/data/wikiwars-dev"),
                        help="folder of WikiWars *.key.xml files")
    parser.add_argument("--out", type=Path, default=Path("tests/data/wikiwars_columns"), help="corpus folder to write")
    args = parser.parse_args(argv)
    try:
        cols = write(args.source, args.out)
    except (OSError, ValueError) as exc:
        print(f"dev_corpus: {exc}", file=sys.stderr)
        return 1
    print(f"{len(cols)} columns from {len({c.article for c in cols})} articles written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
