"""``mrhistory collect``: build and refresh a corpus from HistoryNet's WordPress API, lists of page
URLs and the Wayback Machine, politely, resumably, and without ever overwriting a user's edit.

``collect(...)`` returns one row per item with its outcome: new, unchanged, updated, edited
(kept because the user edited it), skipped or failed. Nothing is dropped silently: a column
listed twice, a listing cut at ``--max-pages`` and a harvest stopped at ``--max-time`` are rows too.
"""
from __future__ import annotations

import datetime as dt
import itertools
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ..printable import one_line, without_controls
from ..sources import DEFAULT_MAX_BYTES

if TYPE_CHECKING:  # the heavy imports wait until a harvest starts: `mrhistory --help` stays instant
    import pandas as pd

    from .listing import Item
    from .store import CorpusStore
    from .fetch import Fetcher

DEFAULT_BASE_URL = "https://www.historynet.com"
DEFAULT_CATEGORY = "ask-mr-history"
WAYBACK_URL = "https://web.archive.org"
OUTCOMES = ("new", "unchanged", "updated", "edited", "skipped", "failed")
OUTCOME_LABELS = {"edited": "kept because edited"}
OUTCOMES_SCHEMA = {
    "key": "string", "source": "string", "outcome": "string", "file": "string", "incoming": "string",
    "url": "string", "title": "string", "published": "string", "fetched_from": "string", "detail": "string",
}
REPORT_FILE = ".collect/last-run.csv"
#: Listing pages followed at most, and the time limits (seconds) of one request and of a whole harvest.
DEFAULT_MAX_PAGES = 50
DEFAULT_REQUEST_TIMEOUT = 120.0
DEFAULT_MAX_TIME = 4 * 3600.0
_HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
_NO_FALLBACK = ("robots", "not-allowed", "too-large", "time-limit")


def collect(
    out_dir: str | Path,
    *,
    base_url: str | None = None,
    category: str = DEFAULT_CATEGORY,
    wordpress: bool | None = None,
    urls: str | Path | None = None,
    wayback: bool = False,
    wayback_url: str = WAYBACK_URL,
    since: str | None = None,
    limit: int | None = None,
    refresh: bool = False,
    restore_deleted: bool = False,
    delay: float = 1.0,
    attempts: int = 4,
    backoff: float = 1.0,
    max_bytes: int = DEFAULT_MAX_BYTES,
    per_page: int = 100,
    max_pages: int = DEFAULT_MAX_PAGES,
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT,
    max_time: float | None = DEFAULT_MAX_TIME,
    progress: bool | None = None,
    echo: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """Harvest columns into ``out_dir``; one row per item with what happened to it.

    WordPress is listed unless only ``urls`` is given (``wordpress=True`` asks for both), at most
    ``max_pages`` listing pages. ``wayback`` looks up pages that are no longer live in the Wayback
    Machine. Only the exact origins of ``base_url``, of the listed pages (on ``base_url``'s host or
    historynet.com) and, with ``wayback`` or archived addresses in the list, of ``wayback_url`` are
    contacted, redirects included. Each request ends after ``request_timeout`` seconds, the harvest
    after ``max_time`` (None: no limit); run it again to go on.
    """
    from tqdm import tqdm

    from .listing import url_list_items, wordpress_items
    from .store import CorpusStore
    from .fetch import LISTED_DOMAINS, Fetcher, host_of, origin_of
    from ..outputs import write_table

    if since is not None:
        dt.date.fromisoformat(since)  # ValueError: one clear line in the CLI
    if limit is not None and limit < 1:
        raise ValueError("--limit must be at least 1")
    if urls is not None and not Path(urls).is_file():
        raise FileNotFoundError(f"{urls}: URL list not found")
    wordpress = (urls is None) if wordpress is None else wordpress
    base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
    if not base_url.lower().startswith(("http://", "https://")) or not host_of(base_url):
        raise ValueError(f"--base-url {base_url!r} must be a web address starting with http:// or https://")
    if not 1 <= per_page <= 100:
        raise ValueError("per_page must be between 1 and 100 (WordPress's limit)")
    if max_pages < 1 or request_timeout <= 0 or (max_time is not None and max_time <= 0):
        raise ValueError("--max-pages must be at least 1, --timeout and --max-time more than 0 seconds")
    progress = sys.stderr.isatty() if progress is None else progress
    bar = tqdm(total=None, disable=not progress, unit="column", desc="collect", file=sys.stderr, leave=False)
    say = echo or (lambda line: tqdm.write(line, file=sys.stderr))

    def echo(line: str) -> None:
        say(one_line(line))

    if Path(out_dir).exists() and not Path(out_dir).is_dir():
        raise NotADirectoryError(f"{out_dir}: not a folder")
    store = CorpusStore(out_dir, max_bytes=max_bytes)
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []

    listed = list(url_list_items(urls)) if urls is not None else []
    expected = {"pages": len(listed), "wordpress": 0}
    origins = {origin_of(base_url)}
    base_host = host_of(base_url)
    for item in listed:
        host = host_of(item.url)
        if item.source == "page" and (host == base_host or any(host == d or host.endswith("." + d) for d in LISTED_DOMAINS)):
            origins.add(origin_of(item.url))
    if wayback or any(item.source == "wayback" for item in listed):
        origins.add(origin_of(wayback_url))

    def total(n: int) -> None:
        expected["wordpress"] = n
        bar.total = min(sum(expected.values()), limit or sum(expected.values()))
        bar.refresh()

    if listed:
        total(0)
    for line in store.problems:
        echo(line)
    reported = len(store.problems)
    deadline = None if max_time is None else time.monotonic() + max_time
    with Fetcher(origins=origins, delay=delay, attempts=attempts, backoff=backoff, max_bytes=max_bytes,
                 request_timeout=request_timeout, deadline=deadline) as fetcher:
        items: list[Iterable[Item]] = []
        if wordpress:
            items.append(wordpress_items(fetcher, base_url, category=category, since=since, per_page=per_page,
                                         max_pages=max_pages, on_total=total))
        items.append(listed)
        done, seen = 0, {}
        try:
            for item in itertools.chain.from_iterable(items):
                if limit is not None and done >= limit:
                    break
                if fetcher.time_left() is not None and fetcher.time_left() <= 0:
                    fetcher.out_of_time = True
                    break
                if item.key in seen and not item.error:
                    row = _duplicate(item, seen[item.key])
                else:
                    seen.setdefault(item.key, item)
                    try:
                        row = _harvest(item, store, fetcher, wayback=wayback, wayback_url=wayback_url,
                                       refresh=refresh, restore_deleted=restore_deleted)
                    except _OutOfTime:
                        break
                    done += 0 if item.error else 1
                    bar.update(0 if item.error else 1)
                rows.append(row)
                if row["outcome"] in ("failed", "skipped") or row["incoming"]:
                    where = "" if row["detail"].startswith(("http", row["url"] or "\0")) else f"{row['file'] or row['url']}: "
                    echo(f"{row['outcome']}: {where}{row['detail']}")
            if fetcher.out_of_time:
                rows.append({**dict.fromkeys(OUTCOMES_SCHEMA, ""), "key": "(time limit)", "outcome": "skipped",
                             "detail": f"the harvest's time limit ({max_time:g} s, --max-time) was reached after "
                                       f"{done} column(s); run collect again to go on"})
                echo(f"skipped: {rows[-1]['detail']}")
        finally:
            bar.close()
            outcomes = _frame(rows)
            for line in dict.fromkeys(store.problems[reported:]):
                echo(line)
            if rows:
                write_table(outcomes, store.confined(REPORT_FILE))
    return outcomes


class _OutOfTime(Exception):
    """The harvest's time limit was reached while an item was being fetched."""


def _duplicate(item: Item, first: Item) -> dict:
    """A column listed a second time: reported, never saved over the first (which may differ)."""
    from .store import content_fingerprint
    from ..sources import InputProblem

    row = {**dict.fromkeys(OUTCOMES_SCHEMA, ""), "key": item.key, "source": item.source, "url": item.url,
           "fetched_from": item.fetched_from, "outcome": "skipped"}
    if item.data is None or first.data is None:
        return {**row, "detail": "duplicate: listed twice; fetched once"}
    names = (f"post {item.wp_id}" if item.wp_id is not None else item.fetched_from,
             f"post {first.wp_id}" if first.wp_id is not None else first.fetched_from)
    try:
        same = content_fingerprint(item.data, item.ext)[0] == content_fingerprint(first.data, first.ext)[0]
    except InputProblem:
        same = item.data == first.data
    if same:
        return {**row, "detail": f"duplicate: {names[0]} has the same address and content as {names[1]}; saved once"}
    return {**row, "detail": f"duplicate: {names[0]} has the same address as {names[1]} but different content; "
                             f"{names[1]} was kept and {names[0]} not saved (check which is right)"}


def _frame(rows: list[dict]) -> pd.DataFrame:
    """The outcomes table; control characters are stripped from every field (last-run.csv is a file we write)."""
    import pandas as pd

    clean = [{k: without_controls(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows]
    return pd.DataFrame(clean, columns=list(OUTCOMES_SCHEMA)).astype(OUTCOMES_SCHEMA)


def _harvest(item: Item, store: CorpusStore, fetcher: Fetcher, *, wayback: bool, wayback_url: str,
             refresh: bool, restore_deleted: bool) -> dict:
    """Fetch (if needed) and store one item; every problem becomes a 'failed' row, never an exception."""
    from .fetch import FetchError
    from ..sources import InputProblem

    row = {**dict.fromkeys(OUTCOMES_SCHEMA, ""), "key": item.key, "source": item.source, "url": item.url,
           "fetched_from": item.fetched_from}
    if item.error:
        return {**row, "outcome": item.outcome, "detail": item.error}
    if item.key in store.refused:
        return {**row, "outcome": "failed", "detail": store.refused[item.key]}
    entry = store.entry(item.key)
    if entry is None and (own := store.added_by_hand(item.key)):
        return {**row, "outcome": "unchanged", "file": own,
                "detail": f"already in the corpus as {own} (added by hand, per metadata.csv); not fetched"}
    if entry is not None:
        deleted = not (store.dir / entry["file"]).exists()
        known = {**row, "file": entry["file"], "url": entry.get("url") or item.url,
                 "title": entry.get("metadata", {}).get("title", ""),
                 "published": entry.get("metadata", {}).get("published", "")}
        if Path(entry["file"]).suffix != item.ext:
            return {**known, "outcome": "unchanged",
                    "detail": f"already in the corpus from {entry.get('source')}; not fetched again"}
        if deleted and not restore_deleted:
            return {**known, "outcome": "skipped",
                    "detail": "deleted by hand; not downloaded again (--restore-deleted to fetch it)"}
        # A listed page is fetched again only when asked to; an archived snapshot never changes.
        if item.data is None and not deleted and not (refresh and item.source == "page"):
            return {**known, "outcome": "unchanged",
                    "detail": "already in the corpus; not fetched again (--refresh checks for a newer version)"}
    data, source, fetched_from = item.data, item.source, item.fetched_from
    try:
        if data is None:
            data, source, fetched_from = _fetch_page(item, fetcher, wayback=wayback, wayback_url=wayback_url)
        saved = store.save(item.key, data, ext=item.ext, slug=item.slug, source=source, url=item.url,
                           fetched_from=fetched_from, extra={"wp_id": item.wp_id} if item.wp_id is not None else None,
                           restore_deleted=restore_deleted)
    except FetchError as exc:
        if exc.code == "time-limit":
            raise _OutOfTime from None
        return {**row, "outcome": "failed", "detail": exc.detail}
    except InputProblem as exc:
        return {**row, "outcome": "failed", "detail": f"not usable as a column: {exc.detail}"}
    except (OSError, ValueError) as exc:
        return {**row, "outcome": "failed", "detail": str(exc)}
    row.update(source=source, fetched_from=fetched_from)
    return {**row, "outcome": saved.outcome, "file": saved.file, "incoming": saved.incoming,
            "url": saved.metadata.get("url", item.url), "title": saved.metadata.get("title", ""),
            "published": saved.metadata.get("published", ""), "detail": saved.detail}


def _fetch_page(item: Item, fetcher: Fetcher, *, wayback: bool, wayback_url: str) -> tuple[bytes, str, str]:
    """The page's bytes, live or (with ``wayback``, when it is gone) from the Wayback Machine."""
    from .listing import wayback_snapshot
    from .fetch import FetchError

    if item.source == "wayback":
        return _html(fetcher, item.fetched_from), "wayback", item.fetched_from
    try:
        return _html(fetcher, item.url), "page", item.url
    except FetchError as live:
        if not wayback or live.code in _NO_FALLBACK:
            raise
        try:
            snapshot = wayback_snapshot(fetcher, item.url, wayback_url=wayback_url)
            return _html(fetcher, snapshot), "wayback", snapshot
        except FetchError as archived:
            raise FetchError(archived.code, f"{live.detail}; Wayback Machine: {archived.detail}") from None


def _html(fetcher: Fetcher, url: str) -> bytes:
    from .fetch import FetchError

    page = fetcher.get(url)
    if page.content_type not in _HTML_TYPES:
        raise FetchError("not-html", f"{url}: not an HTML page ({page.content_type})")
    return page.body


def summary(outcomes: pd.DataFrame) -> str:
    """One line: how many items ended in each outcome (skipped only when there were any)."""
    counts = outcomes["outcome"].value_counts()
    parts = [f"{int(counts.get(o, 0))} {OUTCOME_LABELS.get(o, o)}" for o in OUTCOMES
             if o != "skipped" or counts.get(o, 0)]
    return ", ".join(parts)
