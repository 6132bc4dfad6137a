"""Hostile corpus input (issue 14): inputs that hung or crashed the reader, links out of the corpus,
silent skips, and file names that forge report lines.

Every input is built in ``tmp_path``. An input that used to hang runs in a separate Python with a
time limit (``tests/isolated.py``): a hang fails at 20 s, the linear-time code needs milliseconds.
"""
from __future__ import annotations

import json
import os
import sys

import pytest

import mrhistory
from mrhistory import cli, qa
from mrhistory.read import read_corpus

from .isolated import run_isolated

COLUMN = ("Why did the French build the Maginot Line?\n\nJane Roe\n\nDear Ms. Roe:\n\n"
          "To gain time for mobilisation.\n\nJon Guttman\n\nResearch Director")
POST = {"id": 1, "slug": "maginot", "link": "https://www.historynet.com/maginot/", "title": {"rendered": "Maginot"},
        "content": {"rendered": "<p>Why did the French build the Maginot Line?</p><p>Jane Roe</p><p>Dear Ms. Roe:</p>"
                                "<p>To gain time.</p><p>Jon Guttman</p>"}}


def post(slug: str, question: str) -> dict:
    return {**POST, "slug": slug, "content": {"rendered": POST["content"]["rendered"].replace(
        "Why did the French build the Maginot Line?", question)}}


def read(folder, files: dict | None = None, **kw):
    for name, data in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    lines: list[str] = []
    corpus = read_corpus(folder, echo=lines.append, **kw)
    return corpus, lines


def problems(corpus) -> list[tuple[str, str]]:
    return sorted(zip(corpus.report.file, corpus.report.problem))


READ_IN_CHILD = """
    import json
    from mrhistory.read import read_corpus
    corpus = read_corpus({folder!r}, echo=lambda line: None)
    print(json.dumps({{"columns": corpus.columns[["column_id", "question", "asker", "answer"]].values.tolist(),
                      "report": corpus.report[["file", "problem"]].values.tolist()}}))
"""


def read_in_child(folder) -> dict:
    return run_isolated(READ_IN_CHILD.format(folder=str(folder)))


# -- hangs -----------------------------------------------------------------------------------------

def test_a_long_byline_is_parsed_in_linear_time(tmp_path):
    byline = "by " + "a" * 400 + "!"  # ~N^4 backtracking in ^by (\w[\w.'-]*\s?){1,4}$: 300 letters took 13 s, 400 take 40
    (tmp_path / "byline.txt").write_text(f"{byline}\n\n{COLUMN}")
    result = read_in_child(tmp_path)
    assert result["report"] == []
    [[column_id, question, asker, answer]] = result["columns"]
    assert question == f"{byline}\n\nWhy did the French build the Maginot Line?" and asker == "Jane Roe"


def test_bylines_are_still_dropped():
    for byline in ("By Jon Guttman", "by J.R.R. Tolkien", "By Mary O’Brien-Smith Jr."):
        assert qa.parse(f"{byline}\n\n{COLUMN}").question == "Why did the French build the Maginot Line?", byline
    assert "by far" in qa.parse(f"by far the best book!\n\n{COLUMN}").question


def test_a_column_opening_with_many_greetings_is_linear():
    """Each greeting at the top was dropped by copying the rest of the list: 150,000 took minutes."""
    parsed = run_isolated(f"""
        import json
        from mrhistory import qa
        parsed = qa.parse("Hi\\n\\n" * 150_000 + {COLUMN!r})
        print(json.dumps([parsed.question, parsed.asker]))
    """)
    assert parsed == ["Why did the French build the Maginot Line?", "Jane Roe"]


PUMPS = """
    import json, re
    import regex
    from mrhistory import qa, read, sources
    from mrhistory.harvest import listing, store
    raw = qa.data_toml("chrome.toml")
    patterns = [regex.compile(p, regex.IGNORECASE) for key, value in raw.items()
                if isinstance(value, list) and key != "signers" for p in value]
    patterns += [p for value in vars(qa.chrome()).values() for p in (value if isinstance(value, tuple) else [value])
                 if hasattr(p, "match")]
    patterns += [v for m in (qa, read, sources, store, listing) for v in vars(m).values() if isinstance(v, re.Pattern)]
    units = ["a", "a ", "a.", "A.", "A. ", "a-", "a'", "a’", " ", "? ", "?", "* ", "—", "1", "1 ", "a,", ", ",
             "was ", "dear ", "by ", ". ", '"', "”", ":", "a b ", "- "]
    prefixes = ["", "by ", "dear ", "hi ", "share ", "published ", "the article was ", "sincerely ", "related ",
                "for further reading ", "thank you ", "x | historynet", "Dear Mr. "]
    texts = [p + u * (3000 // len(u)) + s for p in prefixes for u in units for s in ("!", "\u2603")]
    for text in texts:
        for rx in patterns:
            rx.match(text), rx.search(text)
    for text in texts[::7]:
        qa.parse(text), qa.parse(text.replace(" ", "\\n"))
    print(json.dumps([len(patterns), len(texts)]))
"""


def test_every_pattern_runs_in_linear_time_on_pumped_input():
    """Every chrome pattern (as written in chrome.toml, and as the reader compiles it) and every
    module-level pattern of the readers, on 3,000-character strings repeating the pieces they are
    made of: a nested quantifier over the same characters would not finish."""
    n_patterns, n_texts = run_isolated(PUMPS)
    assert n_patterns >= 40 and n_texts > 600


def test_flat_paragraphs_in_html_are_linear(tmp_path):
    flat = "".join(f"<p>Paragraph {i} of a very long page.</p>\n" for i in range(14_000))  # 540 kB: took 57 s
    (tmp_path / "flat.html").write_text(f"<html><body><article>{flat}</article></body></html>")
    [[column_id, question, asker, answer]] = read_in_child(tmp_path)["columns"]
    assert column_id == "flat" and answer.count("\n\n") == 14_000 - 1
    assert answer.startswith("Paragraph 0 of") and answer.endswith("Paragraph 13999 of a very long page.")


def test_deeply_nested_html_is_linear_and_never_recurses(tmp_path):
    depth = 100_000  # took 14 minutes
    nested = "<div>" * depth + "<p>Why did the French build the Maginot Line?</p><p>Jane Roe</p>" \
             "<p>Dear Ms. Roe:</p><p>To gain time.</p><p>Jon Guttman</p>" + "</div>" * depth
    (tmp_path / "nested.html").write_text(f"<html><body>{nested}</body></html>")
    [column] = read_in_child(tmp_path)["columns"]
    assert column == ["nested", "Why did the French build the Maginot Line?", "Jane Roe", "To gain time."]


def test_a_slow_parse_is_reported_as_parse_timeout_and_the_run_goes_on(tmp_path):
    """The per-file time limit: a pattern that backtracks exponentially (as a careless edit of
    chrome.toml could add) makes that file a ``parse-timeout`` problem instead of a hang."""
    (tmp_path / "slow.txt").write_text("a" * 40 + "!\n\n" + COLUMN)
    (tmp_path / "fine.txt").write_text(COLUMN.replace("Maginot", "Siegfried"))
    code = f"""
        import json
        from mrhistory import qa
        raw = qa.data_toml("chrome.toml")
        raw["paragraphs"].append("^(a|aa)+$")
        qa.data_toml = lambda name: raw
        qa.chrome.cache_clear()
        from mrhistory.read import read_corpus
        lines = []
        corpus = read_corpus({str(tmp_path)!r}, echo=lines.append, time_limit=1.0)
        print(json.dumps([corpus.columns.column_id.tolist(), corpus.report[["file", "problem"]].values.tolist(), lines]))
    """
    columns, report, lines = run_isolated(code)
    assert columns == ["fine"]
    assert report == [["slow.txt", "parse-timeout"]]
    assert lines[0].startswith("slow.txt: parse-timeout: ") and "1 s" in lines[0]


# -- crashes ---------------------------------------------------------------------------------------

def test_deeply_nested_json_is_a_reported_problem(tmp_path):
    deep = "[" * 1000 + "]" * 1000  # 2 kB: RecursionError in json.loads
    nested = "[" * 400 + "]" * 400  # loads, but is not a value any field may have
    deep_field = json.dumps({**POST, "slug": "deep-field", "link": "LINK"}).replace('"LINK"', nested)[:-1] + f', "extra": {nested}}}'
    corpus, lines = read(tmp_path, {
        "deep.json": deep, "deep-object.json": '{"a":' * 1000 + "1" + "}" * 1000,
        "deep-field.json": deep_field, "big-number.json": "1" * 5000, "good.txt": COLUMN})
    assert problems(corpus) == [("big-number.json", "malformed-json"), ("deep-object.json", "malformed-json"),
                                ("deep.json", "malformed-json")]
    assert sorted(corpus.columns.column_id) == ["deep-field", "good"]
    assert corpus.columns.set_index("column_id").loc["deep-field", "url"] == ""
    assert "nested" in corpus.report.set_index("file").loc["deep.json", "detail"]
    assert len(lines) == len(corpus.report)


def test_a_mixed_wordpress_export_keeps_its_good_posts(tmp_path):
    export = [post("first", "Why did the French build the Maginot Line?"), post("second", "Why was Verdun held?"), 42]
    corpus, lines = read(tmp_path, {"export.json": json.dumps(export)})
    assert sorted(corpus.columns.column_id) == ["first", "second"]
    assert problems(corpus) == [("export.json#2", "malformed-json")]
    assert lines == ["export.json#2: malformed-json: item 2 is not a WordPress post (no content.rendered)"]


def test_an_empty_wordpress_export_is_reported(tmp_path):
    corpus, _ = read(tmp_path, {"export.json": "[]", "good.txt": COLUMN})
    assert problems(corpus) == [("export.json", "empty")]
    assert corpus.columns.column_id.tolist() == ["good"]


# -- links and odd entries -------------------------------------------------------------------------

def test_links_leaving_the_corpus_are_not_followed_and_are_reported(tmp_path):
    corpus_dir, outside = tmp_path / "corpus", tmp_path / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "secret.txt").write_text(COLUMN.replace("Maginot", "secret"))
    (outside / "sub" / "also-secret.txt").write_text(COLUMN.replace("Maginot", "hidden"))
    corpus_dir.mkdir()
    (corpus_dir / "good.txt").write_text(COLUMN)
    (corpus_dir / "passwd.txt").symlink_to(outside / "secret.txt")
    (corpus_dir / "folder").symlink_to(outside / "sub", target_is_directory=True)
    (corpus_dir / "relative.txt").symlink_to("../outside/secret.txt")
    corpus, lines = read(corpus_dir)
    assert corpus.columns.column_id.tolist() == ["good"]
    assert problems(corpus) == [("folder", "outside-corpus"), ("passwd.txt", "outside-corpus"),
                                ("relative.txt", "outside-corpus")]
    assert "secret" not in " ".join(corpus.columns.question) and len(lines) == 3
    assert set(corpus.files.file) == {"good.txt"}  # nothing outside is hashed into the manifest either


def test_links_inside_the_corpus_are_read_at_their_real_place(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "real.txt").write_text(COLUMN)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "sub" / "real.txt")
    (tmp_path / "again").symlink_to(tmp_path / "sub", target_is_directory=True)
    corpus, _ = read(tmp_path)
    assert corpus.columns.column_id.tolist() == ["alias"]  # sub/real.txt is the same column
    assert problems(corpus) == [("again", "linked-folder"), ("sub/real.txt", "duplicate")]


def test_link_loops_broken_links_and_special_files_are_reported(tmp_path):
    (tmp_path / "good.txt").write_text(COLUMN)
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would block for ever
    corpus, lines = read(tmp_path)
    assert corpus.columns.column_id.tolist() == ["good"]
    assert problems(corpus) == [("a.txt", "link-loop"), ("b.txt", "link-loop"), ("gone.txt", "broken-link"),
                                ("pipe.txt", "not-a-file"), ("up", "linked-folder")]


def test_control_files_are_read_only_inside_the_corpus(tmp_path):
    from mrhistory.read import control_text

    corpus_dir, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus_dir.mkdir()
    outside.mkdir()
    (outside / "metadata.csv").write_text("column_id,url,title,published,notes\ngood,,Title from outside,,\n")
    (outside / "entities.csv").write_text("alias,canonical,label,wikidata,decision\n")
    (corpus_dir / "good.txt").write_text(COLUMN)
    (corpus_dir / "metadata.csv").symlink_to(outside / "metadata.csv")
    (corpus_dir / "entities.csv").symlink_to(outside / "entities.csv")
    os.mkfifo(corpus_dir / "topics.toml")  # reading it would block for ever
    corpus, _ = read(corpus_dir)
    assert corpus.columns.title.tolist() == [""] and problems(corpus) == [("metadata.csv", "outside-corpus")]
    with pytest.raises(ValueError, match="entities.csv: a link to .*outside the corpus folder"):
        control_text(corpus_dir, "entities.csv")
    with pytest.raises(ValueError, match="topics.toml: not a regular file"):
        control_text(corpus_dir, "topics.toml")


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "good.txt").write_text(COLUMN)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(COLUMN.replace("Maginot", "locked"))
    if os.geteuid() == 0:  # root reads any folder: make listing it fail as it does for anyone else
        real = os.scandir

        def scandir(path="."):
            if os.fspath(path) == str(locked):
                raise PermissionError(13, "Permission denied", str(locked))
            return real(path)
        monkeypatch.setattr(os, "scandir", scandir)
    else:
        locked.chmod(0)
    try:
        corpus, _ = read(tmp_path)
    finally:
        locked.chmod(0o755)
    assert corpus.columns.column_id.tolist() == ["good"]
    assert problems(corpus) == [("locked", "unreadable")]
    assert "Permission denied" in corpus.report.detail.iloc[0]


# -- encodings -------------------------------------------------------------------------------------

def test_utf16_is_decoded(tmp_path):
    text = COLUMN.replace("Roe", "Ró")
    corpus, _ = read(tmp_path, {
        "le-bom.txt": text.encode("utf-16"),  # with a BOM
        "be-bom.txt": b"\xfe\xff" + text.replace("Maginot", "Metaxas").encode("utf-16-be"),
        "le-plain.txt": text.replace("Maginot", "Mareth").encode("utf-16-le"),
        "json-bom.json": json.dumps(post("utf16", "Why Siegfried?"), ensure_ascii=False).encode("utf-16")})
    assert sorted(corpus.columns.column_id) == ["be-bom", "json-bom", "le-bom", "le-plain"]
    cols = corpus.columns.set_index("column_id")
    assert cols.loc["le-bom", "asker"] == "Jane Ró" and cols.loc["le-plain", "question"].startswith("Why did the French build the Mareth")
    assert problems(corpus) == [("le-plain.txt", "warning")]
    assert "UTF-16" in corpus.report.detail.iloc[0]
    assert read(tmp_path / "png", {"x.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"})[0].report.problem.tolist() == ["binary"]


# -- names that forge report lines -----------------------------------------------------------------

def test_file_names_cannot_forge_report_lines(tmp_path, capsys):
    forged = "empty.txt\nfine.txt: warning: all is well\n.txt"
    (tmp_path / forged).write_text("")
    (tmp_path / "tab\tand\x1b[31mred.txt").write_text("")
    (tmp_path / os.fsdecode(b"latin-\xe9.txt")).write_text(COLUMN)
    (tmp_path / "back\\slash.txt").write_text("")
    assert cli.main(["validate", str(tmp_path)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert sorted(err) == sorted([
        "back\\\\slash.txt: empty: the file is empty",
        "empty.txt\\nfine.txt: warning: all is well\\n.txt: empty: the file is empty",
        "tab\\tand\\x1b[31mred.txt: empty: the file is empty",
    ])
    corpus, _ = read(tmp_path)
    assert corpus.columns.source_file.tolist() == ["latin-\\xe9.txt"]
    corpus.columns.to_csv().encode("utf-8")  # every name is writable text
    corpus.files.to_csv().encode("utf-8")


# -- options and the notebook API ------------------------------------------------------------------

def test_max_bytes_zero_is_refused_not_the_default(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(COLUMN)
    with pytest.raises(SystemExit) as refused:
        cli.main(["validate", str(tmp_path), "--max-bytes", "0"])
    assert refused.value.code == 2
    assert "argument --max-bytes: must be at least 1 byte, not 0" in capsys.readouterr().err
    with pytest.raises(ValueError, match="max_bytes must be at least 1"):
        read_corpus(tmp_path, max_bytes=0)
    assert cli.main(["validate", str(tmp_path), "--max-bytes", "10", "--strict"]) == 1
    assert "good.txt: too-large: " in capsys.readouterr().err


def test_the_notebook_api_shows_the_corpus_report(tmp_path):
    read(tmp_path, {"good.txt": COLUMN, "empty.txt": ""})
    corpus = mrhistory.read_corpus(tmp_path, echo=lambda line: None)
    assert problems(corpus) == [("empty.txt", "empty")]
    assert mrhistory.load_corpus(tmp_path).equals(corpus.columns)
    assert "read_corpus" in mrhistory.load_corpus.__doc__
