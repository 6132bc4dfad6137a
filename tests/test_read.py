"""The corpus reader: formats, encodings, Q&A structure, site chrome, bad input."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from mrhistory.read import read_corpus
from mrhistory.schema import TABLES

from .conftest import CORPUS, SHIPPED_ID

COLUMN = """Share This Article

Was the Maginot Line really a failure? It held where it was built.

Why did the French build it at all?

Jane Roe


Dear Ms. Roe:

The Maginot Line was built between 1929 and 1938.

It did what it was designed to do.

Jon Guttman

Research Director

World History

More Questions at Ask Mr. History

Don’t miss the next Ask Mr. History question! To receive notification whenever any new item is published on HistoryNet, just scroll down the column on the right and sign up for our RSS feed."""


def read(tmp_path, files: dict[str, bytes | str], **kw):
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    lines = []
    corpus = read_corpus(tmp_path, echo=lines.append, **kw)
    return corpus, lines


def test_shipped_column_structure(shipped_column):
    col = shipped_column
    assert col.asker == "Tony Dean"
    assert col.answerer == "Jon Guttman"
    assert "Research Director" in col.answerer_title and "World History" in col.answerer_title
    assert col.question.startswith("We had to fight our way") and col.question.endswith("bomb Japan?")
    assert col.answer.startswith("The United States did not stage") and col.answer.endswith("from Alaska to Siberia.")
    for chrome in ("Share This Article", "Dear Mr. Dean", "Jon Guttman", "Research Director",
                   "More Questions", "RSS feed", "Tony Dean", "\u00a0"):
        assert chrome not in col.question and chrome not in col.answer
    assert col.format == "txt" and col.warnings == ""
    assert col.question_words == 66 and col.answer_words > 400


def test_shipped_corpus_is_clean_and_untouched(shipped_columns):
    before = {p: p.read_bytes() for p in CORPUS.iterdir()}
    corpus = read_corpus(CORPUS, echo=lambda line: None)
    assert corpus.report.empty
    assert list(corpus.columns.column_id) == [SHIPPED_ID]
    assert {p: p.read_bytes() for p in CORPUS.iterdir()} == before


def test_schema_and_dtypes_even_when_empty(tmp_path):
    corpus, _ = read(tmp_path, {})
    assert dict(corpus.columns.dtypes.astype(str)) == {k: ("int64" if v == "int64" else "string") for k, v in TABLES["columns"].dtypes.items()}
    assert list(corpus.report.columns) == TABLES["corpus_report"].names


@pytest.mark.parametrize("salutation", ["Dear Ms. Roe:", "Dear Ms. Roe,", "Dear Sir:"])
def test_salutation_variants(tmp_path, salutation):
    corpus, _ = read(tmp_path, {"a.txt": COLUMN.replace("Dear Ms. Roe:", salutation)})
    col = corpus.columns.iloc[0]
    assert col.asker == "Jane Roe"
    assert col.question.endswith("Why did the French build it at all?")
    assert col.answer == "The Maginot Line was built between 1929 and 1938.\n\nIt did what it was designed to do."
    assert col.answerer == "Jon Guttman" and col.answerer_title == "Research Director, World History"
    assert salutation not in col.answer


def test_without_share_line_and_with_separators(tmp_path):
    text = COLUMN.replace("Share This Article\n\n", "").replace("Jane Roe\n", "Jane Roe\n\n? ? ?\n")
    corpus, _ = read(tmp_path, {"a.txt": text})
    col = corpus.columns.iloc[0]
    assert col.question.startswith("Was the Maginot Line") and col.asker == "Jane Roe"
    assert "?  ?" not in col.answer and "? ? ?" not in col.question + col.answer


def test_crlf_cr_bom_and_odd_spaces(tmp_path):
    crlf = COLUMN.replace("\n", "\r\n")
    cr = COLUMN.replace("\n", "\r").replace("built between", "built\u202fbetween\u00a0")
    corpus, _ = read(tmp_path, {"crlf.txt": b"\xef\xbb\xbf" + crlf.encode(), "cr.txt": cr.replace("Maginot", "Metaxas")})
    assert corpus.report.empty
    crlf_col, cr_col = corpus.columns.set_index("column_id").loc[["crlf", "cr"]].itertuples()
    assert crlf_col.question.startswith("Was the Maginot")  # BOM gone
    assert "\r" not in crlf_col.answer and "\r" not in cr_col.answer
    assert "built between 1929" in cr_col.answer.replace("Metaxas", "Maginot")


def test_cp1252_fallback_warns(tmp_path):
    data = COLUMN.replace("Don’t", "Don't").replace("Ms. Roe", "Mr. Dupré").encode("cp1252")
    corpus, lines = read(tmp_path, {"old.txt": data})
    col = corpus.columns.iloc[0]
    assert "cp1252" in col.warnings
    assert corpus.report.problem.tolist() == ["warning"]
    assert lines == ["old.txt: warning: not UTF-8 (byte %d); decoded as cp1252" % data.index("é".encode("cp1252"))]


def test_html_page_without_furniture(tmp_path):
    page = f"""<!doctype html><html><head><title>Why the Maginot Line? | HistoryNet</title>
    <meta property="og:title" content="Why the Maginot Line?">
    <link rel="canonical" href="https://www.historynet.com/why-the-maginot-line/">
    <meta property="article:published_time" content="2011-03-04T09:00:00+00:00">
    <script>var x = "Dear reader: tracking";</script><style>p {{color: red}}</style></head>
    <body><nav><a href="/">Home</a> Menu</nav><header>HistoryNet header</header>
    <article><h1>Why the Maginot Line?</h1><div class="share-buttons">Share This Article</div>
    <div class="entry-content">
    <p>Was the Maginot Line really a failure? It held where it was built.</p>
    <p>Why did the French build it at all?</p><p>Jane Roe</p><p>Dear Ms. Roe:</p>
    <p>The Maginot Line was built between 1929 and 1938 &amp; cost billions&nbsp;of francs.</p>
    <p>Jon Guttman<br>Research Director<br>World History</p></div></article>
    <aside class="sidebar">Popular now: Custer</aside><footer>© HistoryNet. Newsletter</footer>
    </body></html>"""
    corpus, _ = read(tmp_path, {"maginot.html": page})
    col = corpus.columns.iloc[0]
    assert (col.title, col.url, col.published, col.format) == (
        "Why the Maginot Line?", "https://www.historynet.com/why-the-maginot-line/", "2011-03-04", "html")
    assert col.question.startswith("Was the Maginot") and col.asker == "Jane Roe"
    assert col.answer == "The Maginot Line was built between 1929 and 1938 & cost billions of francs."
    assert col.answerer == "Jon Guttman" and col.answerer_title == "Research Director, World History"
    for junk in ("tracking", "Menu", "Custer", "Newsletter", "color"):
        assert junk not in col.question + col.answer


def wp_post(slug: str, question: str, pid: int = 1) -> dict:
    return {"id": pid, "date": "2012-06-01T10:00:00", "slug": slug,
            "link": f"https://www.historynet.com/{slug}/", "title": {"rendered": "Q &#8211; about " + slug},
            "content": {"rendered": f"<p>{question}</p>\n<p>A. Reader</p>\n<p>Dear Mr. Reader:</p>\n"
                                    f"<p>The answer about {slug}.</p>\n<p>Jon Guttman<br />\nResearch Director<br />\nWorld History</p>"}}


def test_wordpress_json_post_and_list(tmp_path):
    single = wp_post("one", "Why one?")
    many = [wp_post("two", "Why two?", 2), wp_post("three", "Why three?", 3)]
    corpus, _ = read(tmp_path, {"one.json": json.dumps(single), "batch.json": json.dumps(many)})
    cols = corpus.columns.set_index("column_id")
    assert sorted(cols.index) == ["one", "three", "two"]
    assert cols.loc["one", "title"] == "Q – about one"
    assert cols.loc["two", "source_file"] == "batch.json" and cols.loc["two", "published"] == "2012-06-01"
    assert cols.loc["three", "question"] == "Why three?" and cols.loc["three", "asker"] == "A. Reader"
    assert cols.loc["one", "answer"] == "The answer about one." and cols.loc["one", "answerer"] == "Jon Guttman"


def test_no_structure_is_kept_with_warning(tmp_path):
    corpus, _ = read(tmp_path, {"essay.txt": "A short essay without any question.\n\nIt goes on."})
    col = corpus.columns.iloc[0]
    assert col.answer == "A short essay without any question.\n\nIt goes on." and col.question == ""
    assert "no question/answer structure" in col.warnings


def test_bad_inputs_reported_while_good_columns_analysed(tmp_path):
    files = {
        "good.txt": COLUMN,
        "empty.txt": "",
        "blank.txt": "\n \n",
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        "undecodable.txt": b"abc \x81\x8d\x8f\x90\x9d \xff\xfe",
        "big.txt": COLUMN + "x" * 5000,
        "broken.json": '{"title": ',
        "notapost.json": '{"hello": "world"}',
        "chrome.txt": "Share This Article\n\nMore Questions at Ask Mr. History\n",
        "good2.txt": COLUMN.replace("\n\n", "\n\n\n"),
        "notes.docx": b"PK\x03\x04",
        ".hidden.txt": COLUMN,
        "metadata.csv": "column_id,url,title,published,notes\ngood,https://x/good,Good one,1999-01-02,ok\nghost,,,,\ngood,,,tomorrow,\nempty,,,,its file is empty\n",
    }
    corpus, lines = read(tmp_path, files, max_bytes=4000)
    report = sorted(zip(corpus.report.file, corpus.report.problem))
    assert report == sorted([
        ("empty.txt", "empty"), ("blank.txt", "empty"), ("binary.txt", "binary"), ("undecodable.txt", "undecodable"),
        ("big.txt", "too-large"), ("broken.json", "malformed-json"), ("notapost.json", "malformed-json"),
        ("chrome.txt", "only-chrome"), ("good2.txt", "duplicate"), ("notes.docx", "unsupported-format"),
        ("metadata.csv", "unknown-column"), ("metadata.csv", "bad-date"),
    ])
    assert corpus.columns.column_id.tolist() == ["good"]
    good = corpus.columns.iloc[0]
    assert (good.url, good.title, good.published) == ("https://x/good", "Good one", "1999-01-02")
    assert len(lines) == len(corpus.report)
    assert all(line.count("\n") == 0 and line.split(":")[0] for line in lines)
    # nothing in the corpus folder was modified
    for name, data in files.items():
        assert (tmp_path / name).read_bytes() == (data.encode() if isinstance(data, str) else data)


def test_duplicate_column_ids_are_made_unique(tmp_path):
    corpus, _ = read(tmp_path, {"line.txt": COLUMN, "line.json": json.dumps(wp_post("line", "Why lines?"))})
    # a JSON *object* takes its id from the file stem too, so the second one is renamed
    assert corpus.columns.column_id.tolist() == ["line", "line-2"]
    assert corpus.report.problem.tolist() == ["duplicate-id"]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="corpus folder not found"):
        read_corpus(tmp_path / "nope")


def test_load_corpus_matches_columns(shipped_columns):
    pd.testing.assert_frame_equal(shipped_columns, read_corpus(CORPUS, echo=lambda l: None).columns)
