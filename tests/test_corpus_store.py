"""Safe names, the harvest state, metadata.csv rows, and never overwriting a user's edit."""
from __future__ import annotations

import json

import pytest

from mrhistory.harvest.store import INCOMING_DIR, STATE_FILE, CorpusStore, safe_stem, slug_from_url, url_key
from mrhistory.read import read_corpus

POST = {
    "id": 5, "date": "2012-04-02T10:00:00", "link": "https://www.historynet.com/why-tanks/", "slug": "why-tanks",
    "title": {"rendered": "Why tanks?"},
    "content": {"rendered": "<p>Who invented the tank?</p><p>Ann Lee</p><p>Dear Ms. Lee:</p>"
                            "<p>Both Britain and France did.</p><p>Jon Guttman</p><p>Research Director</p>"},
}


def post_bytes(**changes) -> bytes:
    return json.dumps({**POST, **changes}, sort_keys=True).encode()


def save(store, data, key="//historynet.com/why-tanks", slug="why-tanks"):
    return store.save(key, data, ext=".json", slug=slug, source="wordpress", url=POST["link"], fetched_from="api")


@pytest.mark.parametrize("text, stem", [
    ("why-tanks", "why-tanks"),
    ("../../etc/passwd", "etc-passwd"),
    (".hidden", "hidden"),
    ("why-didn%e2%80%99t-we", "why-didnt-we"),
    ("Čapek’s Robots", "capeks-robots"),
    ("CON", "con-column"),
    ("metadata", "metadata-column"),
    ("", "column"),
    ("???", "column"),
    ("a" * 300, "a" * 100),
])
def test_safe_stem(text, stem):
    assert safe_stem(text) == stem


def test_safe_stem_fallback():
    assert safe_stem("", fallback="post 1234") == "post-1234"


def test_url_key_ignores_scheme_www_slash_and_fragment():
    same = {url_key(u) for u in ("https://www.historynet.com/a-b/", "http://historynet.com/a-b",
                                 "https://WWW.HistoryNet.com/a-b/#comments", "https://historynet.com:443/a-b")}
    assert same == {"//historynet.com/a-b"}
    assert url_key("https://historynet.com/a-b?page=2") != url_key("https://historynet.com/a-b")


def test_slug_from_url():
    assert slug_from_url("https://www.historynet.com/why-tanks/") == "why-tanks"
    assert slug_from_url("https://example.org/columns/why-tanks.html?x=1") == "why-tanks"
    assert slug_from_url("https://example.org/") == ""


def test_new_then_unchanged_then_updated(tmp_path):
    store = CorpusStore(tmp_path)
    first = save(store, post_bytes())
    assert (first.outcome, first.file) == ("new", "why-tanks.json")
    assert read_corpus(tmp_path, echo=lambda _: None).columns["asker"].tolist() == ["Ann Lee"]
    assert save(CorpusStore(tmp_path), post_bytes()).outcome == "unchanged"
    changed = POST["content"]["rendered"].replace("Both Britain and France did.", "Britain and France, separately.")
    updated = save(CorpusStore(tmp_path), post_bytes(content={"rendered": changed}))
    assert updated.outcome == "updated"
    assert b"separately" in (tmp_path / "why-tanks.json").read_bytes()


def test_a_hand_edited_file_is_never_overwritten(tmp_path):
    save(CorpusStore(tmp_path), post_bytes())
    path = tmp_path / "why-tanks.json"
    edited = path.read_bytes().replace(b"Ann Lee", b"Ann Leigh")
    path.write_bytes(edited)
    same_remote = save(CorpusStore(tmp_path), post_bytes())
    assert (same_remote.outcome, same_remote.incoming) == ("edited", "")
    newer = post_bytes(title={"rendered": "Who invented the tank?"})
    kept = save(CorpusStore(tmp_path), newer)
    assert kept.outcome == "edited" and kept.incoming == f"{INCOMING_DIR}/why-tanks.json"
    assert path.read_bytes() == edited
    assert (tmp_path / kept.incoming).read_bytes() == newer
    # The incoming copy is hidden from the reader: still one column, the user's.
    columns = read_corpus(tmp_path, echo=lambda _: None).columns
    assert columns["asker"].tolist() == ["Ann Leigh"]
    # Taking the newer version by hand makes the file the collector's again.
    path.write_bytes(newer)
    assert save(CorpusStore(tmp_path), newer).outcome == "updated"
    assert save(CorpusStore(tmp_path), newer).outcome == "unchanged"


def test_names_never_clobber_a_users_file(tmp_path):
    (tmp_path / "why-tanks.txt").write_text("my own notes on tanks")
    saved = save(CorpusStore(tmp_path), post_bytes())
    assert saved.file == "why-tanks-2.json"
    assert (tmp_path / "why-tanks.txt").read_text() == "my own notes on tanks"
    other = save(CorpusStore(tmp_path), post_bytes(id=6, link="https://www.historynet.com/why-tanks-again/"),
                 key="//historynet.com/why-tanks-again")
    assert other.file == "why-tanks-3.json"


def test_a_file_left_by_an_interrupted_run_is_adopted(tmp_path):
    (tmp_path / "why-tanks.json").write_bytes(post_bytes())  # written, but the state was not
    saved = save(CorpusStore(tmp_path), post_bytes())
    assert (saved.outcome, saved.file) == ("new", "why-tanks.json")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["metadata.csv", "why-tanks.json"]


def test_deleted_files_stay_deleted_unless_asked(tmp_path):
    save(CorpusStore(tmp_path), post_bytes())
    (tmp_path / "why-tanks.json").unlink()
    assert save(CorpusStore(tmp_path), post_bytes()).outcome == "skipped"
    assert not (tmp_path / "why-tanks.json").exists()
    restored = CorpusStore(tmp_path).save("//historynet.com/why-tanks", post_bytes(), ext=".json", slug="why-tanks",
                                          source="wordpress", url=POST["link"], fetched_from="api",
                                          restore_deleted=True)
    assert restored.outcome == "new" and (tmp_path / "why-tanks.json").exists()


def test_state_is_hidden_json_with_hashes(tmp_path):
    save(CorpusStore(tmp_path), post_bytes())
    state = json.loads((tmp_path / STATE_FILE).read_text())
    entry = state["items"]["//historynet.com/why-tanks"]
    assert entry["file"] == "why-tanks.json" and len(entry["sha256"]) == 64 and entry["source"] == "wordpress"


def test_an_unreadable_state_stops_the_harvest(tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json")
    with pytest.raises(ValueError, match="harvest state cannot be read"):
        CorpusStore(tmp_path)


def test_metadata_rows_are_added_and_hand_edits_survive(tmp_path):
    (tmp_path / "metadata.csv").write_bytes(
        "\ufeffcolumn_id,url,title,published,notes,source\r\n"
        "shipped,https://www.historynet.com/shipped/,Shipped,2019-01-01,\"a note, with comma\",print\r\n".encode())
    save(CorpusStore(tmp_path), post_bytes())
    text = (tmp_path / "metadata.csv").read_bytes().decode("utf-8")
    assert text.startswith("\ufeffcolumn_id,url,title,published,notes,source\r\n")
    assert text.endswith("why-tanks,https://www.historynet.com/why-tanks/,Why tanks?,2012-04-02,,\r\n")
    assert '"a note, with comma",print' in text
    # The historian corrects the title and adds a note; the remote title changes too.
    (tmp_path / "metadata.csv").write_bytes(text.replace("Why tanks?,2012-04-02,", "Who built the first tanks?,2012-04-02,see ch. 3").encode())
    save(CorpusStore(tmp_path), post_bytes(title={"rendered": "Why tanks? (updated)"}, date="2012-04-03T08:00:00"))
    rows = (tmp_path / "metadata.csv").read_bytes().decode().splitlines()
    assert rows[1].startswith("\ufeff") is False and rows[1].startswith("shipped,")
    assert rows[2] == "why-tanks,https://www.historynet.com/why-tanks/,Who built the first tanks?,2012-04-03,see ch. 3,"
    columns = read_corpus(tmp_path, echo=lambda _: None).columns.set_index("column_id")
    assert columns.loc["why-tanks", "title"] == "Who built the first tanks?"


def test_nothing_is_rewritten_when_nothing_changes(tmp_path):
    save(CorpusStore(tmp_path), post_bytes())
    files = [tmp_path / "metadata.csv", tmp_path / STATE_FILE, tmp_path / "why-tanks.json"]
    before = [(p.stat().st_mtime_ns, p.read_bytes()) for p in files]
    assert save(CorpusStore(tmp_path), post_bytes()).outcome == "unchanged"
    assert [(p.stat().st_mtime_ns, p.read_bytes()) for p in files] == before


def test_a_broken_metadata_csv_is_left_alone_and_reported(tmp_path):
    (tmp_path / "metadata.csv").write_text("id;name\n1;x\n")
    store = CorpusStore(tmp_path)
    assert save(store, post_bytes()).outcome == "new"
    assert (tmp_path / "metadata.csv").read_text() == "id;name\n1;x\n"
    assert store.problems and "metadata.csv not updated" in store.problems[0]
