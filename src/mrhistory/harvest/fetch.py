"""Polite HTTP for the collector: exact allowed origins, robots.txt, a pause between requests,
bounded retries with exponential backoff and ``Retry-After``, a cap on response size, a deadline
for every request and one for the whole harvest.

Responses are bytes only: nothing fetched is ever executed or rendered.
"""
from __future__ import annotations

import email.utils
import json
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

import httpx

from .. import __version__

USER_AGENT = f"mrhistory/{__version__} (Ask Mr. History corpus collector for historians; httpx/{httpx.__version__})"
#: The sites a fetcher may talk to when it is not told: exact origins (scheme, host, port).
DEFAULT_ORIGINS = ("https://www.historynet.com", "https://web.archive.org")
#: Sites a URL list may name (these domains and their subdomains): their exact origins are then allowed.
LISTED_DOMAINS = ("historynet.com",)
DEFAULT_MAX_BYTES = 5_000_000
#: Seconds one request may take from connecting to its last byte (httpx's timeouts apply to each read).
DEFAULT_REQUEST_TIMEOUT = 120.0
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
        except RecursionError:
            raise FetchError("not-json", f"{self.url}: the response is not JSON a collector can use (nested too deeply)") from None
        except ValueError as exc:  # not UTF-8, not JSON, or a number too long to convert
            raise FetchError("not-json", f"{self.url}: the response is not JSON ({exc})") from None


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().rstrip(".")


def origin_of(url: str) -> str:
    """The origin of ``url`` (scheme, host and port: ``http://127.0.0.1:8080``, ``https://www.historynet.com``
    with its default port left out); "" for anything but an http(s) URL with a host."""
    defaults = {"http": 80, "https": 443}
    try:
        parts = urlsplit(url)
        scheme, host, port = parts.scheme.lower(), host_of(url), parts.port
    except ValueError:  # a port that is not a number, or out of range
        return ""
    if scheme not in defaults or not host:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port in (None, defaults[scheme]) else f"{scheme}://{host}:{port}"


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


class _Watchdog:
    """Ends one HTTP exchange at its deadline. httpx's timeouts apply to each read, so a server that
    sends a byte every few seconds is never timed out; at the deadline a timer thread shuts the
    exchange's socket down, and the read blocked on it returns at once."""

    def __init__(self, seconds: float):
        self.fired = False
        self._stream = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def trace(self, event: str, info: dict) -> None:
        """httpx's ``trace`` extension: learn the socket when the connection is made."""
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            with self._lock:
                self._stream = info.get("return_value")
                if self.fired:
                    self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        sock = self._stream.get_extra_info("socket") if self._stream is not None else None
        if sock is not None:
            try:
                socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's: TLS state is left alone
            except OSError:
                pass

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()


class Fetcher:
    """GET with manners. One instance per harvest: it remembers robots.txt rules and when it last asked.

    Only URLs on the exact ``origins`` (scheme, host and port) are fetched, redirects included.
    ``request_timeout`` bounds each request from connecting to its last byte; ``deadline`` (a time
    on ``clock``) bounds the whole harvest, waits included: past it every request fails with
    ``time-limit``.
    """

    def __init__(
        self,
        *,
        origins: Iterable[str] = DEFAULT_ORIGINS,
        delay: float = 1.0,
        attempts: int = 4,
        backoff: float = 1.0,
        backoff_cap: float = 60.0,
        max_wait: float = 300.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = 30.0,
        request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
        deadline: float | None = None,
        robots: bool = True,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        if delay < 0 or attempts < 1 or backoff < 0 or max_bytes < 1 or request_timeout <= 0:
            raise ValueError("delay and backoff must be ≥ 0, attempts and max_bytes ≥ 1, request_timeout > 0")
        self.origins = frozenset(o for o in map(origin_of, origins) if o)
        self.delay, self.attempts, self.backoff, self.backoff_cap = delay, attempts, backoff, backoff_cap
        self.max_wait, self.max_bytes, self.robots, self.user_agent = max_wait, max_bytes, robots, user_agent
        self.timeout, self.request_timeout, self.deadline = timeout, request_timeout, deadline
        self.sleep, self.clock = sleep, clock
        # No kept-alive connections: every request makes its own, so its watchdog knows its socket.
        self.client = httpx.Client(headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False,
                                   limits=httpx.Limits(max_keepalive_connections=0))
        self.requests = 0  # HTTP requests actually sent, robots.txt included
        self.out_of_time = False  # set once a request met the harvest's deadline
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
        return origin_of(url) in self.origins

    def check_allowed(self, url: str) -> None:
        if not self.allowed(url):
            raise FetchError("not-allowed", f"{url}: not fetched: the collector talks only to "
                                            f"{', '.join(sorted(self.origins))} (--base-url, --wayback and the "
                                            f"sites of a --urls list name them)")

    def time_left(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock()

    def _time_limit(self, url: str) -> FetchError:
        self.out_of_time = True
        return FetchError("time-limit", f"{url}: not fetched: the harvest's time limit was reached (--max-time)")

    def _robot_rules(self, origin: str):
        if origin not in self._rules:
            rules = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
            try:
                page = self._follow(origin + "/robots.txt", accept="text/plain", check_robots=False)
                rules.parse(page.body.decode("utf-8", errors="replace").splitlines())
            except FetchError as exc:
                if exc.code == "time-limit":
                    raise
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
            try:
                url = str(httpx.URL(url, params=params))
            except httpx.InvalidURL as exc:
                raise FetchError("bad-url", f"{url}: not a URL that can be fetched ({exc})") from None
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
        left = self.time_left()
        if left is not None and max(wait, 0.0) >= left:
            raise self._time_limit(origin)
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
        left = self.time_left()
        if left is not None and left <= 0:
            raise self._time_limit(url)
        budget = self.request_timeout if left is None else min(self.request_timeout, left)
        self._last = self.clock()
        self.requests += 1
        with _Watchdog(budget) as watchdog:
            try:
                page = self._exchange(url, accept, watchdog, timeout=min(self.timeout, budget))
            except FetchError as exc:
                if watchdog.fired and exc.code in ("network", "truncated"):
                    raise self._late(url, budget, left) from exc
                raise
            if watchdog.fired:  # a body without Content-Length ends when its socket is shut
                raise self._late(url, budget, left)
            return page

    def _late(self, url: str, budget: float, left: float | None) -> FetchError:
        if left is not None and budget >= left:
            return self._time_limit(url)
        return FetchError("timeout", f"{url}: no complete answer within {budget:g} s (the limit for one request); "
                                     f"abandoned")

    def _exchange(self, url: str, accept: str, watchdog: _Watchdog, *, timeout: float) -> Page:
        try:
            with self.client.stream("GET", url, headers={"Accept": accept}, timeout=timeout,
                                    extensions={"trace": watchdog.trace}) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and (len(declared) > 15 or int(declared) > self.max_bytes):
                    raise FetchError("too-large", f"{url}: {declared[:20]} bytes is over the limit of {self.max_bytes}")
                chunks, size = [], 0
                try:
                    for chunk in response.iter_bytes():
                        size += len(chunk)
                        if size > self.max_bytes:
                            raise FetchError("too-large", f"{url}: more than {self.max_bytes} bytes; download stopped")
                        chunks.append(chunk)
                        if watchdog.fired:
                            break
                except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                    raise FetchError("truncated", f"{url}: the connection closed before the whole response "
                                                  f"arrived ({size} bytes received)") from exc
                return Page(str(response.url), response.status_code, response.headers, b"".join(chunks))
        except httpx.TransportError as exc:
            raise FetchError("network", f"{url}: {type(exc).__name__}: {exc or 'network error'}") from exc
        except httpx.InvalidURL as exc:
            raise FetchError("bad-url", f"{url}: not a URL that can be fetched ({exc})") from None
