"""Hostile sites and corpus folders for the collector (issue 14): deadlines, a page cap, control
characters, redirects, duplicate posts, and harvest state pointing out of the corpus.

Real HTTP against servers on 127.0.0.1 (tests/collect_site.py). Every slow answer is bounded on the
server side too (a trickle ends when the test's site closes), so a missing deadline fails the test
instead of hanging it.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from mrhistory import cli
from mrhistory.harvest.collect import collect
from mrhistory.harvest.fetch import FetchError, Fetcher
from mrhistory.harvest.store import STATE_FILE
from mrhistory.read import read_corpus

from .collect_site import FakeSite, Response, _json, page_html
from .isolated import run_isolated

CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")  # every control character but the line feed


def run(site: FakeSite, out: Path, **kw) -> pd.DataFrame:
    kw = {"base_url": site.base_url, "delay": 0, "backoff": 0.001, "progress": False, "echo": lambda _: None, **kw}
    return collect(out, **kw)


@pytest.fixture
def site():
    with FakeSite(n_posts=3) as s:
        yield s


def html_page(site: FakeSite, i: int = 0) -> Response:
    return Response(200, page_html(site.posts[i]).encode(), {"Content-Type": "text/html; charset=utf-8"})


# -- deadlines -------------------------------------------------------------------------------------

@pytest.mark.parametrize("slow", [{"trickle": 0.2}, {"trickle_headers": 0.2}], ids=["body", "headers"])
def test_a_trickling_server_is_abandoned_at_the_request_deadline(site, slow):
    """1 byte every 0.2 s would take 20 s or more; the per-request deadline ends it after 1 s."""
    site.pages["/slow/"] = Response(200, b"<html><p>" + b"x" * 100 + b"</p></html>", {"Content-Type": "text/html"}, **slow)
    with Fetcher(origins=[site.base_url], delay=0, request_timeout=1.0) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/slow/")
    assert info.value.code == "timeout" and "1 s" in info.value.detail
    assert site.requests_to("/slow/") == 1  # a server that slow is not asked again


def test_every_request_has_a_deadline_by_default():
    with Fetcher() as f:
        assert 0 < f.request_timeout <= 300


def test_the_run_stops_at_its_time_limit_and_the_next_run_goes_on(site, tmp_path, capsys):
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(f"{site.base_url}/page-{i}/\n" for i in range(8)))
    for i in range(8):
        site.pages[f"/page-{i}/"] = html_page(site, i % 3)
    corpus = tmp_path / "corpus"
    args = ["collect", "--base-url", site.base_url, "--urls", str(urls), "--out", str(corpus)]
    assert cli.main([*args, "--delay", "0.3", "--max-time", "1"]) == 0
    captured = capsys.readouterr()
    first = pd.read_csv(corpus / ".collect" / "last-run.csv", keep_default_na=False)
    assert 1 <= (first.outcome == "new").sum() < 8
    assert first.outcome.iloc[-1] == "skipped" and "time limit" in first.detail.iloc[-1]
    assert "time limit" in captured.err
    assert cli.main([*args, "--delay", "0"]) == 0
    second = pd.read_csv(corpus / ".collect" / "last-run.csv", keep_default_na=False)
    assert (first.outcome == "new").sum() + (second.outcome == "new").sum() == 8


# -- the page cap ----------------------------------------------------------------------------------

def endless_listing(site: FakeSite, *, last_page: int = 60):
    """A WordPress that claims a million pages and has a fresh post on each of its first ``last_page``."""
    def posts(query):
        page = int(query.get("page", 1))
        if page > last_page:
            return _json({"code": "rest_post_invalid_page_number"}, status=400)
        post = {**site.posts[0], "id": 5000 + page, "slug": f"post-{page}", "link": f"{site.base_url}/post-{page}/"}
        return _json([post], headers={"X-WP-Total": "1000000", "X-WP-TotalPages": "1000000"})
    site._posts = posts


def test_the_wordpress_listing_stops_at_max_pages(site, tmp_path, capsys):
    endless_listing(site)
    corpus = tmp_path / "corpus"
    assert cli.main(["collect", "--base-url", site.base_url, "--out", str(corpus), "--delay", "0", "--max-pages", "3"]) == 0
    captured = capsys.readouterr()
    assert site.requests_to("/wp-json/wp/v2/posts") == 3
    assert "3 new" in captured.out and "1 skipped" in captured.out
    assert "--max-pages" in captured.err and "1000000" in captured.err


def test_the_wordpress_listing_has_a_page_cap_by_default(site, tmp_path):
    from mrhistory.harvest.listing import DEFAULT_MAX_PAGES

    endless_listing(site, last_page=DEFAULT_MAX_PAGES + 10)
    outcomes = run(site, tmp_path / "corpus", per_page=1)
    assert site.requests_to("/wp-json/wp/v2/posts") == DEFAULT_MAX_PAGES
    assert (outcomes.outcome == "new").sum() == DEFAULT_MAX_PAGES and outcomes.outcome.iloc[-1] == "skipped"


# -- what the collector writes ---------------------------------------------------------------------

def strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, str):
        yield value


def test_control_characters_never_reach_the_files_the_collector_writes(site, tmp_path):
    post = site.posts[0]
    post["link"] = f"{site.base_url}/nul\x00and\x1b[31mescape/"
    post["title"]["rendered"] = "A title\x00 with\na newline\x07 and a bell"
    site.posts[1]["id"] = "1\nfailed: forged line"  # not a post: reported, never printed raw
    corpus, lines = tmp_path / "corpus", []
    outcomes = run(site, corpus, echo=lines.append)
    assert sorted(outcomes.outcome) == ["failed", "new", "new"]
    for name in ("metadata.csv", ".collect/last-run.csv"):
        text = (corpus / name).read_text("utf-8")
        assert not CONTROL.search(text), name
    state = json.loads((corpus / STATE_FILE).read_text("utf-8"))
    assert not [s for s in strings(state) if CONTROL.search(s) or "\n" in s]
    assert lines and all("\n" not in line and not CONTROL.search(line) for line in lines)
    # metadata.csv stays readable: a hand edit survives the next run and reaches the reader
    metadata = corpus / "metadata.csv"
    assert "a newline and a bell" in metadata.read_text("utf-8")
    metadata.write_text(metadata.read_text("utf-8").replace("and a bell", "and my bell"), "utf-8")
    run(site, corpus)
    assert "and my bell" in metadata.read_text("utf-8")
    read = read_corpus(corpus, echo=lambda _: None)
    assert "bad-metadata" not in set(read.report.problem)
    assert any(t.endswith("with a newline and my bell") for t in read.columns.title)


def test_redirects_are_followed_only_within_the_exact_origin(site, tmp_path):
    with FakeSite(n_posts=1) as other:  # the same host, another port
        other.pages["/page/"] = html_page(other)
        site.pages["/moved/"] = Response(302, headers={"Location": f"{other.base_url}/page/"})
        site.pages["/here/"] = Response(301, headers={"Location": "/page/"})
        site.pages["/page/"] = html_page(site)
        urls = tmp_path / "urls.txt"
        urls.write_text(f"{site.base_url}/moved/\n{site.base_url}/here/\n")
        outcomes = run(site, tmp_path / "corpus", urls=urls, wayback_url=other.base_url)
        assert outcomes.outcome.tolist() == ["failed", "new"]
        assert "not fetched" in outcomes.detail.iloc[0] and other.base_url in outcomes.detail.iloc[0]
        assert other.log == []
        # The Wayback Machine's origin is allowed only with --wayback.
        with Fetcher(origins=[site.base_url], delay=0) as f, pytest.raises(FetchError) as info:
            f.get(f"{site.base_url}/moved/")
        assert info.value.code == "not-allowed" and other.log == []
        with Fetcher(origins=[site.base_url, other.base_url], delay=0) as f:
            assert f.get(f"{site.base_url}/moved/").url == f"{other.base_url}/page/"


def test_the_same_post_twice_with_different_content_is_reported(site, tmp_path):
    first, second = site.posts[0], site.posts[1]
    site.posts[1] = {**second, "link": first["link"], "slug": first["slug"]}  # another post, the same address
    lines: list[str] = []
    outcomes = run(site, tmp_path / "corpus", echo=lines.append)
    assert sorted(outcomes.outcome) == ["new", "new", "skipped"]
    row = outcomes[outcomes.outcome == "skipped"].iloc[0]
    assert "duplicate" in row.detail and str(second["id"]) in row.detail and str(first["id"]) in row.detail
    assert any("duplicate" in line for line in lines)


# -- state that points out of the corpus -----------------------------------------------------------

def test_a_state_entry_naming_a_file_outside_the_corpus_is_refused(site, tmp_path):
    corpus, victim = tmp_path / "corpus", tmp_path / "victim.json"
    run(site, corpus)
    victim.write_bytes(b"precious")
    state = json.loads((corpus / STATE_FILE).read_text())
    key = next(k for k, e in state["items"].items() if e["file"] == f"{site.posts[0]['slug']}.json")
    state["items"][key].update(file=str(victim), sha256=hashlib.sha256(b"precious").hexdigest())
    other = next(k for k in state["items"] if k != key)
    state["items"][other]["file"] = "../elsewhere.json"
    (corpus / STATE_FILE).write_text(json.dumps(state))
    site.posts[0]["content"]["rendered"] += "<p>A newer version.</p>"
    lines: list[str] = []
    outcomes = run(site, corpus, echo=lines.append).set_index("key")
    assert victim.read_bytes() == b"precious"
    for k in (key, other):
        assert outcomes.loc[k, "outcome"] == "failed" and "outside the corpus" in outcomes.loc[k, "detail"]
    assert any(STATE_FILE in line and "outside the corpus" in line for line in lines)


@pytest.mark.parametrize("name", [".collect", STATE_FILE, "metadata.csv"])
def test_links_among_the_collectors_own_files_are_refused(site, tmp_path, name):
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    target = outside / ("folder" if name == ".collect" else "file")
    if name == ".collect":
        target.mkdir()
    else:
        target.write_text('{"items": {}}' if name == STATE_FILE else "column_id,url,title,published,notes\n")
    before = {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()}
    (corpus / name).symlink_to(target)
    lines: list[str] = []
    if name == "metadata.csv":
        run(site, corpus, echo=lines.append)
        assert any("metadata.csv" in line and "link" in line for line in lines)
    else:
        with pytest.raises(ValueError, match="link"):
            run(site, corpus)
    assert {p: p.read_bytes() for p in outside.rglob("*") if p.is_file()} == before
    assert (corpus / name).is_symlink()


def test_odd_json_from_the_site_is_a_failure_not_a_crash(site, tmp_path):
    site.queue("/wp-json/wp/v2/categories", Response(200, b"[" * 1000 + b"]" * 1000, {"Content-Type": "application/json"}))
    outcomes = run(site, tmp_path / "a")
    assert outcomes.outcome.tolist() == ["failed"] and "not JSON" in outcomes.detail.iloc[0]
    site.queue("/wp-json/wp/v2/posts", Response(200, b"1" * 5000, {"Content-Type": "application/json"}))
    outcomes = run(site, tmp_path / "b")
    assert outcomes.outcome.tolist() == ["failed"] and "not JSON" in outcomes.detail.iloc[0]


COLLECT_BIG_POST = """
    import json
    from tests.collect_site import FakeSite
    from mrhistory.harvest.collect import collect
    with FakeSite(n_posts=1) as site:
        site.posts[0]["content"]["rendered"] = "".join(f"<p>Paragraph {{i}}.</p>" for i in range(30_000))
        outcomes = collect({folder!r}, base_url=site.base_url, delay=0, progress=False, echo=lambda line: None)
    print(json.dumps(outcomes.outcome.tolist()))
"""


def test_a_500_kB_post_does_not_stall_the_harvest(tmp_path):
    assert run_isolated(COLLECT_BIG_POST.format(folder=str(tmp_path / "corpus"))) == ["new"]
