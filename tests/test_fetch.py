"""The polite fetcher against a real local server: manners, retries, limits, robots.txt, allow-list."""
from __future__ import annotations

import email.utils
import time

import pytest
from .collect_site import FakeSite, Response

from mrhistory.harvest.fetch import USER_AGENT, FetchError, Fetcher, retry_after_seconds


class FakeTime:
    """A clock that only moves when the fetcher sleeps: waits are observed, not spent."""

    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def site():
    with FakeSite(n_posts=3) as s:
        s.pages["/page/"] = Response(200, b"<html><body><p>Hello</p></body></html>", {"Content-Type": "text/html"})
        yield s


def fetcher_for(site, **kw) -> Fetcher:
    kw = {"delay": 0, "backoff": 0.001, **kw}
    return Fetcher(origins=[site.base_url], **kw)


def test_user_agent_names_the_toolkit_and_version(site):
    with fetcher_for(site) as f:
        f.get(site.base_url + "/page/")
    agents = {headers["User-Agent"] for _, _, headers in site.log}
    assert agents == {USER_AGENT}
    assert USER_AGENT.startswith("mrhistory/0.1.0 ")


def test_default_delay_is_one_second_between_requests(site):
    t = FakeTime()
    with Fetcher(origins=[site.base_url], sleep=t.sleep, clock=t.clock) as f:
        for _ in range(3):
            f.get(site.base_url + "/page/")
    assert len(site.log) == 4  # robots.txt + 3 pages
    assert t.sleeps == [1.0, 1.0, 1.0]


def test_delay_is_real_time_between_requests(site):
    with fetcher_for(site, delay=0.15) as f:
        f.get(site.base_url + "/page/")
        f.get(site.base_url + "/page/")
    gaps = [b - a for a, b in zip(site.times, site.times[1:])]
    assert len(gaps) == 2 and min(gaps) >= 0.14


def test_429_is_retried_after_the_retry_after_seconds(site):
    site.queue("/page/", Response(429, b"slow down", {"Retry-After": "7"}))
    t = FakeTime()
    with fetcher_for(site, sleep=t.sleep, clock=t.clock) as f:
        page = f.get(site.base_url + "/page/")
    assert page.status == 200 and b"Hello" in page.body
    assert site.requests_to("/page/") == 2
    assert t.sleeps == [7.0]


def test_500_then_success_with_exponential_backoff(site):
    site.queue("/page/", Response(500), Response(503), Response(502))
    t = FakeTime()
    with fetcher_for(site, backoff=2.0, sleep=t.sleep, clock=t.clock) as f:
        assert f.get(site.base_url + "/page/").status == 200
    assert t.sleeps == [2.0, 4.0, 8.0]
    assert site.requests_to("/page/") == 4


def test_backoff_is_capped(site):
    site.queue("/page/", Response(500), Response(500), Response(500))
    t = FakeTime()
    with fetcher_for(site, backoff=10.0, backoff_cap=15.0, sleep=t.sleep, clock=t.clock) as f:
        f.get(site.base_url + "/page/")
    assert t.sleeps == [10.0, 15.0, 15.0]


def test_permanent_500_gives_up_after_the_attempts(site):
    site.queue("/page/", *[Response(500)] * 10)
    with fetcher_for(site, attempts=3) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/page/")
    assert info.value.code == "http-500" and "gave up after 3 attempts" in info.value.detail
    assert site.requests_to("/page/") == 3


def test_404_is_not_retried(site):
    with fetcher_for(site) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/missing/")
    assert info.value.status == 404
    assert site.requests_to("/missing/") == 1


def test_a_retry_after_longer_than_max_wait_gives_up_without_asking_again(site):
    site.queue("/page/", Response(429, headers={"Retry-After": "3600"}))
    t = FakeTime()
    with fetcher_for(site, sleep=t.sleep, clock=t.clock, max_wait=60) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/page/")
    assert info.value.code == "rate-limited"
    assert site.requests_to("/page/") == 1 and t.sleeps == []


def test_retry_after_as_an_http_date():
    when = email.utils.format_datetime(email.utils.localtime().replace(microsecond=0), usegmt=False)
    now = email.utils.parsedate_to_datetime(when).timestamp()
    later = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after_seconds(later, now=now) == pytest.approx(30, abs=1)
    assert retry_after_seconds("12") == 12.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_truncated_body_is_retried_then_reported(site):
    site.queue("/page/", Response(200, b"<html><p>Hel", {"Content-Type": "text/html"}, truncate=True))
    with fetcher_for(site) as f:
        assert b"Hello" in f.get(site.base_url + "/page/").body
    site.queue("/page/", *[Response(200, b"<html><p>Hel", truncate=True)] * 4)
    with fetcher_for(site) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/page/")
    assert info.value.code == "truncated"


def test_declared_oversized_body_is_refused_without_retry(site):
    site.pages["/big/"] = Response(200, b"x" * 5000, {"Content-Type": "text/html"})
    with fetcher_for(site, max_bytes=1000) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/big/")
    assert info.value.code == "too-large"
    assert site.requests_to("/big/") == 1


def test_undeclared_oversized_body_is_cut_off_while_streaming(site):
    site.pages["/big/"] = Response(200, b"y" * 300_000, {"Content-Type": "text/html"}, no_length=True)
    with fetcher_for(site, max_bytes=100_000) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/big/")
    assert info.value.code == "too-large" and "download stopped" in info.value.detail


def test_robots_txt_disallow_is_honoured_without_requesting_the_page(site):
    site.pages["/private/column/"] = Response(200, b"secret")
    with fetcher_for(site) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/private/column/")
    assert info.value.code == "robots"
    assert site.requests_to("/private/column/") == 0
    assert site.requests_to("/robots.txt") == 1


def test_robots_txt_for_this_agent_and_crawl_delay(site):
    site.robots = "User-agent: mrhistory\nDisallow: /page/\n\nUser-agent: *\nCrawl-delay: 5\n"
    with fetcher_for(site) as f, pytest.raises(FetchError):
        f.get(site.base_url + "/page/")
    site.robots = "User-agent: *\nCrawl-delay: 5\n"
    t = FakeTime()
    with fetcher_for(site, delay=1.0, sleep=t.sleep, clock=t.clock) as f:
        f.get(site.base_url + "/page/")
        f.get(site.base_url + "/page/")
    assert t.sleeps == [5.0, 5.0]  # after robots.txt, then between the pages


def test_missing_robots_txt_allows_everything_and_unreachable_forbids(site):
    site.robots = None
    with fetcher_for(site) as f:
        assert f.get(site.base_url + "/page/").status == 200
    site.queue("/robots.txt", *[Response(500)] * 4)
    with fetcher_for(site) as f, pytest.raises(FetchError) as info:
        f.get(site.base_url + "/page/")
    assert info.value.code == "robots" and "could not be read" in info.value.detail


def test_only_allowed_origins_are_contacted(site):
    f = Fetcher(delay=0)
    assert f.allowed("https://www.historynet.com/ask-mr-history/") and f.allowed("https://WWW.historynet.com:443/x")
    assert f.allowed("https://web.archive.org/web/2015/x")
    for url in ("https://evilhistorynet.com/", "https://historynet.com.evil.org/", "ftp://historynet.com/x",
                "https://archive.org/", "http://127.0.0.1/", "http://www.historynet.com/x",
                "https://www.historynet.com:8443/x", "https://www.historynet.com:99999/x"):
        assert not f.allowed(url), url
    with pytest.raises(FetchError) as info:
        f.get(site.base_url + "/page/")
    assert info.value.code == "not-allowed"
    assert site.log == []
    f.close()


def test_redirects_are_followed_only_to_allowed_hosts(site):
    site.pages["/old/"] = Response(301, headers={"Location": "/page/"})
    site.pages["/away/"] = Response(302, headers={"Location": "https://example.org/elsewhere"})
    with fetcher_for(site) as f:
        assert f.get(site.base_url + "/old/").url == site.base_url + "/page/"
        with pytest.raises(FetchError) as info:
            f.get(site.base_url + "/away/")
    assert info.value.code == "not-allowed"


def test_network_errors_are_retried_and_reported():
    # A port with nothing listening: connection refused at every attempt.
    with FakeSite(n_posts=1) as s:
        dead = s.base_url
    started = time.monotonic()
    with Fetcher(origins=[dead], delay=0, backoff=0.001, robots=False) as f, pytest.raises(FetchError) as info:
        f.get(dead + "/page/")
    assert info.value.code == "network" and "gave up after 4 attempts" in info.value.detail
    assert time.monotonic() - started < 5
