"""``mrhistory collect`` end to end against a local WordPress-shaped site (no internet)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
from .collect_site import COLUMNS, FakeSite, Response, page_html

from mrhistory import cli
from mrhistory.harvest.collect import collect, summary
from mrhistory.harvest.store import STATE_FILE, CorpusStore
from mrhistory.read import read_corpus


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) with its hash."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def columns_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))


def run(site: FakeSite, out: Path, **kw) -> pd.DataFrame:
    kw = {"base_url": site.base_url, "delay": 0, "backoff": 0.001, "progress": False, "echo": lambda _: None, **kw}
    return collect(out, **kw)


@pytest.fixture
def site():
    with FakeSite() as s:
        yield s


def test_done_when_25_columns_collected_analysed_rerun_and_edit_survives(site, tmp_path, capsys):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    # The API is briefly overloaded: one 429 and one 500 before the listing answers.
    site.queue("/wp-json/wp/v2/posts", Response(429, b"", {"Retry-After": "0"}), Response(500, b"oops"))
    assert cli.main(["collect", "--base-url", site.base_url, "--out", str(corpus), "--delay", "0"]) == 0
    first = capsys.readouterr().out
    assert "25 new, 0 unchanged, 0 updated, 0 kept because edited, 0 failed" in first
    assert site.requests_to("/wp-json/wp/v2/posts") == 2 + 3  # two retried answers, then 3 pages
    assert len(columns_in(corpus)) == 25

    assert cli.main(["analyse", str(corpus), "--out", str(out)]) == 0
    columns = pd.read_csv(out / "tables" / "columns.csv", keep_default_na=False)
    assert len(columns) == 25
    for field in ("question", "asker", "answer", "answerer"):
        assert (columns[field].str.len() > 0).all(), field
    expected_askers = {f"{first} {last}" + (f", {place}" if place else "") for _, _, (first, last, place, _), _ in COLUMNS}
    assert set(columns["asker"]) == expected_askers
    assert set(columns["answerer"]) == {"Jon Guttman"}
    assert set(columns["answerer_title"]) == {"Research Director, World History", "Research Director, HistoryNet"}
    assert columns["warnings"].eq("").all()
    assert columns["published"].str.match(r"^20\d\d-\d\d-\d\d$").all()
    tanks = columns.set_index("column_id").loc["who-invented-the-tank"]
    assert tanks["question"] == "Was the tank a British or a French invention?"
    assert tanks["answer"].startswith("Both countries developed tanks independently")

    # Second run: nothing new, nothing rewritten.
    before = snapshot(corpus)
    assert cli.main(["collect", "--base-url", site.base_url, "--out", str(corpus), "--delay", "0"]) == 0
    assert "0 new, 25 unchanged, 0 updated, 0 kept because edited, 0 failed" in capsys.readouterr().out
    after = snapshot(corpus)
    after.pop(".collect/last-run.csv"), before.pop(".collect/last-run.csv")
    assert after == before

    # Third run: a hand-edited file survives, even though its remote version changed meanwhile.
    edited = corpus / "who-invented-the-tank.json"
    text = edited.read_text("utf-8").replace("Helen Carter", "Helen M. Carter")
    edited.write_text(text, "utf-8")
    post = next(p for p in site.posts if p["slug"] == "who-invented-the-tank")
    post["content"]["rendered"] = post["content"]["rendered"].replace("April 1917", "April 16, 1917")
    assert cli.main(["collect", "--base-url", site.base_url, "--out", str(corpus), "--delay", "0"]) == 0
    captured = capsys.readouterr()
    assert "0 new, 24 unchanged, 0 updated, 1 kept because edited, 0 failed" in captured.out
    assert ".collect/incoming/who-invented-the-tank.json" in captured.err
    assert edited.read_text("utf-8") == text
    assert b"April 16, 1917" in (corpus / ".collect" / "incoming" / "who-invented-the-tank.json").read_bytes()
    assert len(read_corpus(corpus, echo=lambda _: None).columns) == 25


def test_a_permanently_failing_url_is_reported_and_the_harvest_goes_on(site, tmp_path):
    post = site.posts[0]
    site.pages["/good/"] = Response(200, page_html(post).encode(), {"Content-Type": "text/html; charset=utf-8"})
    site.queue("/broken/", *[Response(500)] * 8)
    site.queue("/cut/", *[Response(200, page_html(post).encode()[:200], {"Content-Type": "text/html"}, truncate=True)] * 4)
    site.pages["/private/secret/"] = Response(200, page_html(post).encode(), {"Content-Type": "text/html"})
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# my list\n{site.base_url}/broken/\n\n{site.base_url}/missing/\n"
                    f"{site.base_url}/private/secret/\nnot a url\n{site.base_url}/cut/\n{site.base_url}/good/  # the good one\n")
    outcomes = run(site, tmp_path / "corpus", urls=urls)
    by_url = outcomes.set_index("url")
    assert by_url.loc[f"{site.base_url}/broken/", "detail"].endswith("HTTP 500 (gave up after 4 attempts)")
    assert "HTTP 404" in by_url.loc[f"{site.base_url}/missing/", "detail"]
    assert "robots.txt disallows" in by_url.loc[f"{site.base_url}/private/secret/", "detail"]
    assert "connection closed before the whole response" in by_url.loc[f"{site.base_url}/cut/", "detail"]
    assert outcomes["outcome"].tolist() == ["failed", "failed", "failed", "failed", "failed", "new"]
    assert "line 6" in outcomes["detail"].iloc[3]
    assert site.requests_to("/broken/") == 4 and site.requests_to("/private/secret/") == 0
    assert site.requests_to("/wp-json/wp/v2/posts") == 0  # a URL list alone replaces the WordPress listing
    columns = read_corpus(tmp_path / "corpus", echo=lambda _: None).columns
    assert columns["column_id"].tolist() == ["good"]
    assert columns["title"].iloc[0] == post["title"]["rendered"].replace("&#8217;", "’")
    assert columns["url"].iloc[0] == post["link"] and columns["asker"].iloc[0] != ""
    saved = (tmp_path / "corpus" / "good.html").read_bytes()
    assert b"<script>" in saved  # stored as fetched, never run; the reader drops scripts
    report = pd.read_csv(tmp_path / "corpus" / ".collect" / "last-run.csv", keep_default_na=False)
    assert report["outcome"].tolist() == outcomes["outcome"].tolist()


def test_nothing_fetched_exits_non_zero(site, tmp_path, capsys):
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.base_url}/missing/\n")
    code = cli.main(["collect", "--base-url", site.base_url, "--urls", str(urls), "--out", str(tmp_path / "c"), "--delay", "0"])
    assert code == 1
    captured = capsys.readouterr()
    assert "0 new, 0 unchanged, 0 updated, 0 kept because edited, 1 failed" in captured.out
    assert "nothing could be fetched" in captured.err


def test_an_unknown_category_is_a_failure(site, tmp_path):
    outcomes = run(site, tmp_path / "c", category="no-such-category")
    assert outcomes["outcome"].tolist() == ["failed"] and "no category 'no-such-category'" in outcomes["detail"].iloc[0]


def test_an_interrupted_harvest_resumes_without_duplicates(site, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    calls = {"n": 0}
    original = CorpusStore.update_metadata

    def crash_on_the_eighth(self, *args, **kw):
        calls["n"] += 1
        if calls["n"] == 8:  # the 8th file is written, its metadata and state are not
            raise KeyboardInterrupt
        return original(self, *args, **kw)

    monkeypatch.setattr(CorpusStore, "update_metadata", crash_on_the_eighth)
    with pytest.raises(KeyboardInterrupt):
        run(site, corpus)
    monkeypatch.setattr(CorpusStore, "update_metadata", original)
    assert len(json.loads((corpus / STATE_FILE).read_text())["items"]) == 7
    outcomes = run(site, corpus)
    assert outcomes["outcome"].value_counts().to_dict() == {"new": 18, "unchanged": 7}
    assert len(columns_in(corpus)) == 25 and not list(corpus.glob("*-2.json"))
    metadata = pd.read_csv(corpus / "metadata.csv", keep_default_na=False)
    assert sorted(metadata["column_id"]) == sorted(p.stem for p in columns_in(corpus))


def test_limit_and_since(site, tmp_path):
    corpus = tmp_path / "corpus"
    newest = run(site, corpus, limit=4)
    assert newest["outcome"].tolist() == ["new"] * 4
    assert newest["published"].tolist() == sorted(newest["published"], reverse=True)
    assert site.requests_to("/wp-json/wp/v2/posts") == 1  # the first page was enough
    recent = run(site, corpus, since="2014-01-01")
    assert (recent["published"] >= "2014-01-01").all() and len(recent) == 6
    assert summary(recent) == "2 new, 4 unchanged, 0 updated, 0 kept because edited, 0 failed"
    after = [q for p, q, _ in site.log if p == "/wp-json/wp/v2/posts"][-1]
    assert "after=2013-12-31T23%3A59%3A59" in after


def test_listing_page_failure_is_reported_and_other_pages_still_harvested(site, tmp_path):
    site.queue("/wp-json/wp/v2/posts", Response(200, b"[]", {"X-WP-TotalPages": "3", "X-WP-Total": "25"}))
    outcomes = run(site, tmp_path / "c")
    assert outcomes.empty  # an empty first page ends the listing: nothing failed, nothing new
    site.log.clear()
    # page 2 keeps failing: pages 1 and 3 are still saved
    original = site._posts

    def flaky(query):
        return Response(503) if query.get("page") == "2" else original(query)

    site._posts = flaky
    outcomes = run(site, tmp_path / "c")
    counts = outcomes["outcome"].value_counts().to_dict()
    assert counts == {"new": 15, "failed": 1}
    assert "page=2" in outcomes.loc[outcomes["outcome"] == "failed", "key"].iloc[0]


def test_wayback_machine_for_pages_no_longer_live(site, tmp_path):
    post = site.posts[3]
    gone = f"{site.base_url}/{post['slug']}/"
    site.archive[gone] = ("20150102030405", page_html(post).encode())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{gone}\n{site.base_url}/never-archived/\n")
    without = run(site, tmp_path / "a", urls=urls)
    assert without["outcome"].tolist() == ["failed", "failed"]
    outcomes = run(site, tmp_path / "b", urls=urls, wayback=True, wayback_url=site.base_url)
    assert outcomes["outcome"].tolist() == ["new", "failed"]
    row = outcomes.iloc[0]
    assert row["source"] == "wayback" and row["fetched_from"] == f"{site.base_url}/web/20150102030405id_/{gone}"
    assert row["url"] == post["link"] and row["file"] == f"{post['slug']}.html"
    assert "no archived copy" in outcomes.iloc[1]["detail"]
    cdx = [q for p, q, _ in site.log if p == "/cdx/search/cdx"][0]
    assert "output=json" in cdx and "filter=statuscode%3A200" in cdx
    again = run(site, tmp_path / "b", urls=urls, wayback=True, wayback_url=site.base_url, refresh=True)
    assert again["outcome"].tolist() == ["unchanged", "failed"]  # an archived snapshot is never fetched twice


def test_archive_urls_in_a_list_are_read_as_their_original_column(tmp_path):
    from mrhistory.harvest.listing import url_list_items

    original = "https://www.historynet.com/who-invented-the-tank/"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"https://web.archive.org/web/20120304000000/{original}\n"
                    f"https://web.archive.org/web/20130101000000id_/{original}\n")
    items = list(url_list_items(urls))
    assert [(i.source, i.url, i.key) for i in items] == [("wayback", original, "//historynet.com/who-invented-the-tank")] * 2
    assert items[0].fetched_from == f"https://web.archive.org/web/20120304000000id_/{original}"
    assert items[1].fetched_from == f"https://web.archive.org/web/20130101000000id_/{original}"


def test_pages_are_fetched_again_only_with_refresh(site, tmp_path):
    post = site.posts[0]
    site.pages["/col/"] = Response(200, page_html(post).encode(), {"Content-Type": "text/html"})
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.base_url}/col/\n")
    assert run(site, tmp_path / "c", urls=urls)["outcome"].tolist() == ["new"]
    assert run(site, tmp_path / "c", urls=urls)["outcome"].tolist() == ["unchanged"]
    assert site.requests_to("/col/") == 1
    changed = page_html(post).replace("raise American morale", "lift American morale")
    assert changed != page_html(post)
    site.pages["/col/"] = Response(200, changed.encode(), {"Content-Type": "text/html"})
    assert run(site, tmp_path / "c", urls=urls, refresh=True)["outcome"].tolist() == ["updated"]
    assert site.requests_to("/col/") == 2
    assert b"lift American morale" in (tmp_path / "c" / "col.html").read_bytes()
    # New page furniture (menus, sidebars, scripts) around the same column is not a new version.
    refurnished = changed.replace("Subscribe now", "Subscribe today: 50% off").replace("tracking", "tracking-v2")
    site.pages["/col/"] = Response(200, refurnished.encode(), {"Content-Type": "text/html"})
    assert run(site, tmp_path / "c", urls=urls, refresh=True)["outcome"].tolist() == ["unchanged"]


def test_a_non_html_page_is_refused(site, tmp_path):
    site.pages["/file.pdf"] = Response(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{site.base_url}/file.pdf\n")
    outcomes = run(site, tmp_path / "c", urls=urls)
    assert outcomes["outcome"].tolist() == ["failed"] and "not an HTML page" in outcomes["detail"].iloc[0]


def test_collect_help_has_an_example(capsys):
    with pytest.raises(SystemExit):
        cli.main(["collect", "--help"])
    assert "mrhistory collect --urls" in capsys.readouterr().out


def test_bad_arguments_are_one_line_errors(tmp_path, capsys):
    assert cli.main(["collect", "--base-url", "historynet.com", "--out", str(tmp_path / "c")]) == 2
    assert "must be a web address" in capsys.readouterr().err
    assert cli.main(["collect", "--urls", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "c")]) == 2
    assert "URL list not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["collect", "--since", "last spring"])
    assert "is not a date YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_a_column_added_by_hand_is_recognised_through_metadata_csv(site, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    post = next(p for p in site.posts if p["slug"] == "who-invented-the-tank")
    (corpus / "tanks.txt").write_text("Who invented the tank?\n\nHelen Carter\n\nDear Ms. Carter:\n\nBoth did.\n\nJon Guttman\n")
    (corpus / "metadata.csv").write_text(f"column_id,url,title,published,notes\ntanks,{post['link']},,,typed from print\n")
    outcomes = run(site, corpus).set_index("url")
    assert outcomes.loc[post["link"], "outcome"] == "unchanged"
    assert "added by hand" in outcomes.loc[post["link"], "detail"]
    assert not (corpus / "who-invented-the-tank.json").exists()
    assert len(columns_in(corpus)) == 24
    assert "tanks,http" in (corpus / "metadata.csv").read_text() and "typed from print" in (corpus / "metadata.csv").read_text()
