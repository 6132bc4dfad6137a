"""Polite HTTP for the collector: allow-listed hosts, robots.txt, a pause between requests,
bounded retries with exponential backoff and ``Retry-After``, and a cap on response size.

Responses are bytes only: nothing fetched is ever executed or rendered.
"""
from __future__ import annotations

import email.utils
import json
import time
import urllib.robotparser
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__

USER_AGENT = f"mrhistory/{__version__} (Ask Mr. History corpus collector for historians; httpx/{httpx.__version__})"
#: Sites the collector may talk to without being told: these domains and their subdomains …
DEFAULT_DOMAINS = ("historynet.com",)
#: … and these exact hosts.
DEFAULT_HOSTS = ("web.archive.org",)
DEFAULT_MAX_BYTES = 5_000_000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
JSON_ACCEPT = "application/json"


class FetchError(Exception):
    """A URL that could not be fetched; ``code`` is a short name (``http-404``, ``robots``, ``too-large``…)."""

    def __init__(self, code: str, detail: str, *, status: int | None = None):
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.status = status

    def __str__(self) -> str:
        return self.detail


@dataclass
class Page:
    """One successful response: the final URL (after redirects), status, headers and body bytes."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise FetchError("not-json", f"{self.url}: the response is not JSON ({exc})") from None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class Fetcher:
    """GET with manners. One instance per harvest: it remembers robots.txt rules and when it last asked."""

    def __init__(
        self,
        *,
        extra_hosts: tuple[str, ...] | list[str] = (),
        delay: float = 1.0,
        attempts: int = 4,
        backoff: float = 1.0,
        backoff_cap: float = 60.0,
        max_wait: float = 300.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
        robots: bool = True,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        if delay < 0 or attempts < 1 or backoff < 0 or max_bytes < 1:
            raise ValueError("delay and backoff must be ≥ 0, attempts and max_bytes ≥ 1")
        self.domains = tuple(DEFAULT_DOMAINS)
        self.hosts = tuple(DEFAULT_HOSTS) + tuple(h.lower() for h in extra_hosts if h)
        self.delay, self.attempts, self.backoff, self.backoff_cap = delay, attempts, backoff, backoff_cap
        self.max_wait, self.max_bytes, self.robots, self.user_agent = max_wait, max_bytes, robots, user_agent
        self.sleep, self.clock = sleep, clock
        self.client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False)
        self.requests = 0  # HTTP requests actually sent, robots.txt included
        self._last: float | None = None
        self._not_before: dict[str, float] = {}
        self._rules: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_problem: dict[str, str] = {}

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- rules ---------------------------------------------------------------------------------
    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = host_of(url)
        if parts.scheme.lower() not in ("http", "https") or not host:
            return False
        return host in self.hosts or any(host == d or host.endswith("." + d) for d in self.domains)

    def check_allowed(self, url: str) -> None:
        if not self.allowed(url):
            raise FetchError("not-allowed", f"{url}: not fetched: the collector only talks to historynet.com and "
                                            f"web.archive.org unless --base-url names another site")

    def _robot_rules(self, origin: str):
        if origin not in self._rules:
            rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                page = self._follow(origin + "/robots.txt", accept="text/plain", check_robots=False)
                rules.parse(page.body.decode("utf-8", errors="replace").splitlines())
            except FetchError as exc:
                if exc.status in (401, 403):
                    rules.disallow_all = True
                    self._robots_problem[origin] = f"robots.txt is forbidden (HTTP {exc.status}): treated as 'disallow all'"
                elif exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
                    rules.allow_all = True  # no robots.txt: everything is allowed
                else:
                    rules.disallow_all = True
                    self._robots_problem[origin] = f"robots.txt could not be read ({exc.detail}): treated as 'disallow all'"
            self._rules[origin] = rules
        return self._rules[origin]

    def check_robots(self, url: str) -> None:
        origin = origin_of(url)
        rules = self._robot_rules(origin)
        if not rules.can_fetch(self.user_agent, url):
            why = self._robots_problem.get(origin, f"{origin}/robots.txt disallows it")
            raise FetchError("robots", f"{url}: not fetched: {why}")

    def _crawl_delay(self, origin: str) -> float:
        rules = self._rules.get(origin)
        try:
            value = rules.crawl_delay(self.user_agent) if rules is not None else None
        except (AttributeError, TypeError):
            value = None
        return float(value or 0)

    # -- requests ------------------------------------------------------------------------------
    def get(self, url: str, *, params: dict | None = None, accept: str = HTML_ACCEPT) -> Page:
        """The body of ``url`` (redirects followed on allowed hosts); :class:`FetchError` otherwise."""
        if params:
            url = str(httpx.URL(url, params=params))
        return self._follow(url, accept=accept, check_robots=self.robots)

    def _follow(self, url: str, *, accept: str, check_robots: bool) -> Page:
        for _ in range(MAX_REDIRECTS + 1):
            self.check_allowed(url)
            if check_robots:
                self.check_robots(url)
            page = self._with_retries(url, accept)
            location = page.headers.get("location")
            if page.status in REDIRECT_STATUSES and location:
                url = urljoin(page.url, location)
                continue
            if page.status >= 400 or page.status in REDIRECT_STATUSES:
                raise FetchError(f"http-{page.status}", f"{url}: HTTP {page.status}", status=page.status)
            return page
        raise FetchError("redirects", f"{url}: more than {MAX_REDIRECTS} redirects")

    def _wait_turn(self, origin: str) -> None:
        now = self.clock()
        target = self._not_before.get(origin, now)
        if self._last is not None:
            target = max(target, self._last + max(self.delay, self._crawl_delay(origin)))
        wait = target - now
        if wait > self.max_wait:
            raise FetchError("rate-limited", f"{origin} asked us to wait {wait:.0f} s, longer than {self.max_wait:.0f} s")
        if wait > 0:
            self.sleep(wait)

    def _with_retries(self, url: str, accept: str) -> Page:
        origin = origin_of(url)
        error: FetchError | None = None
        for attempt in range(1, self.attempts + 1):
            self._wait_turn(origin)
            try:
                page = self._send(url, accept)
            except FetchError as exc:
                if exc.code not in ("network", "truncated"):
                    raise
                error = exc
                wait = self._backoff(attempt)
            else:
                if page.status not in RETRY_STATUSES:
                    return page
                error = FetchError(f"http-{page.status}", f"{url}: HTTP {page.status}", status=page.status)
                asked = retry_after_seconds(page.headers.get("retry-after"))
                wait = max(self._backoff(attempt), asked or 0.0)
            if attempt < self.attempts:
                self._not_before[origin] = max(self._not_before.get(origin, 0.0), self.clock() + wait)
        assert error is not None
        error.detail += f" (gave up after {self.attempts} attempts)"
        raise error

    def _backoff(self, attempt: int) -> float:
        return min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))

    def _send(self, url: str, accept: str) -> Page:
        self._last = self.clock()
        self.requests += 1
        try:
            with self.client.stream("GET", url, headers={"Accept": accept}) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > self.max_bytes:
                    raise FetchError("too-large", f"{url}: {declared} bytes is over the limit of {self.max_bytes}")
                chunks, size = [], 0
                try:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError("too-large", f"{url}: more than {self.max_bytes} bytes; download stopped")
                        chunks.append(chunk)
                except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                    raise FetchError("truncated", f"{url}: the connection closed before the whole response "
                                                  f"arrived ({size} bytes received)") from exc
                return Page(str(response.url), response.status_code, response.headers, b"".join(chunks))
        except httpx.TransportError as exc:
            raise FetchError("network", f"{url}: {type(exc).__name__}: {exc or 'network error'}") from exc
