"""Where columns are found: a WordPress category (REST API), a list of page URLs, the Wayback Machine.

Each source yields :class:`Item` s. A WordPress item already carries its content (the API
returns it with the listing); a page item is fetched later, only if it needs to be.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

from .store import slug_from_url, url_key
from .fetch import JSON_ACCEPT, FetchError, Fetcher, host_of
from ..printable import one_line, without_controls
from ..sources import iso_date

POST_FIELDS = "id,date,link,slug,title,content"
#: Listing pages followed at most (``--max-pages``): a site's X-WP-TotalPages is not believed blindly.
DEFAULT_MAX_PAGES = 50
_ARCHIVED = re.compile(r"^https?://web\.archive\.org/web/(\d{1,14})[a-z_]*/(.+)$", re.I)


@dataclass
class Item:
    """One column to harvest, or (with ``error``) one thing that could not even be listed."""

    key: str  # the column's identity: its URL without scheme, www. or trailing slash
    source: str  # wordpress | page | wayback
    url: str = ""  # the column's public address
    slug: str = ""  # hint for the file name
    ext: str = ".html"
    data: bytes | None = None  # the file to save, when the listing already carried it
    fetched_from: str = ""
    wp_id: int | None = None
    error: str = ""
    outcome: str = "failed"  # of an item with an ``error``: failed, or skipped on purpose


def _failure(what: str, source: str, detail: str, *, outcome: str = "failed") -> Item:
    what = without_controls(what)
    return Item(key=what, source=source, url=what, error=detail, outcome=outcome)


def _scalar(value):
    """A post's field as the API should give it (text or a whole number); anything else is no value."""
    return value if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)) else None


def _field(value) -> str:
    value = _scalar(value)
    return "" if value is None else without_controls(str(value))


# -- WordPress ---------------------------------------------------------------------------------
def post_file_bytes(post: dict) -> bytes:
    """The corpus file for one post: the fields the reader uses, sorted, so a re-fetch gives equal bytes."""
    keep = {
        "id": _scalar(post.get("id")), "date": _scalar(post.get("date")), "link": _field(post.get("link")) or None,
        "slug": _scalar(post.get("slug")),
        "title": {"rendered": _rendered(post.get("title"))}, "content": {"rendered": _rendered(post.get("content"))},
    }
    return (json.dumps(keep, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _rendered(value) -> str:
    value = value.get("rendered") if isinstance(value, dict) else value
    return value if isinstance(value, str) else ""


def wordpress_item(post, *, api: str) -> Item:
    ident = post.get("id") if isinstance(post, dict) else None
    if not (isinstance(ident, int) and not isinstance(ident, bool) and _rendered(post.get("content"))):
        label = one_line(str(_scalar(ident)))[:100]
        return _failure(f"{api}posts/{label}", "wordpress",
                        f"post {label}: no id or no content.rendered (empty, or password-protected?)")
    link = _field(post.get("link"))
    try:
        key = url_key(link) if link.startswith(("http://", "https://")) else f"wp://{host_of(api)}/{ident}"
    except ValueError:  # a link with a port that is no number
        key = f"wp://{host_of(api)}/{ident}"
    return Item(key=key, source="wordpress", url=link, slug=_field(post.get("slug")) or slug_from_url(link),
                ext=".json", data=post_file_bytes(post), fetched_from=f"{api}posts/{ident}", wp_id=ident)


def wordpress_items(fetcher: Fetcher, base_url: str, *, category: str, since: str | None = None,
                    per_page: int = 100, max_pages: int = DEFAULT_MAX_PAGES,
                    on_total: Callable[[int], None] | None = None) -> Iterator[Item]:
    """Every post of ``category`` on the WordPress site at ``base_url``, newest first, page by page,
    ``max_pages`` pages at most (a skipped item says so when there are more)."""
    api = base_url.rstrip("/") + "/wp-json/wp/v2/"
    try:
        found = fetcher.get(api + "categories", params={"slug": category}, accept=JSON_ACCEPT).json()
    except FetchError as exc:
        if exc.code != "time-limit":
            yield _failure(f"{api}categories?slug={category}", "wordpress", exc.detail)
        return
    if not (isinstance(found, list) and found and isinstance(found[0], dict) and _scalar(found[0].get("id")) is not None):
        yield _failure(f"{api}categories?slug={category}", "wordpress", f"{base_url} has no category {category!r}")
        return
    params = {"categories": found[0]["id"], "per_page": per_page, "orderby": "date", "order": "desc", "_fields": POST_FIELDS}
    if since:
        params["after"] = (dt.date.fromisoformat(since) - dt.timedelta(days=1)).isoformat() + "T23:59:59"
    page_no, total_pages, seen = 1, None, set()
    while total_pages is None or page_no <= total_pages:
        where = f"{api}posts?categories={params['categories']}&page={page_no}"
        if page_no > max_pages:
            claimed = f"{total_pages} pages" if total_pages is not None else "more pages"
            yield _failure(where, "wordpress", f"the listing has {claimed}; stopped after {max_pages} "
                                               f"(--max-pages {max_pages})", outcome="skipped")
            return
        try:
            page = fetcher.get(api + "posts", params={**params, "page": page_no}, accept=JSON_ACCEPT)
            posts = page.json()
        except FetchError as exc:
            if exc.code == "time-limit" or (exc.status == 400 and page_no > 1):  # 400: a page past the last one
                return
            yield _failure(where, "wordpress", exc.detail)
            if total_pages is None:
                return
            page_no += 1
            continue
        if total_pages is None:
            header = page.headers.get("x-wp-totalpages", "")
            total_pages = int(header) if header.isdigit() and len(header) < 10 else None
            total = page.headers.get("x-wp-total", "")
            if on_total and total.isdigit() and len(total) < 10:
                on_total(int(total))
        if not isinstance(posts, list):
            yield _failure(where, "wordpress", "the API did not return a list of posts")
            return
        fresh = [p for p in posts if not (isinstance(p, dict) and _scalar(p.get("id")) in seen)]
        if not fresh:
            return  # empty page, or a server that ignores ?page= and repeats itself
        for post in fresh:
            if isinstance(post, dict):
                seen.add(_scalar(post.get("id")))
                if since and iso_date(_field(post.get("date"))) < since:
                    continue
            yield wordpress_item(post, api=api)
        page_no += 1


# -- URL lists ---------------------------------------------------------------------------------
def url_list_items(path: str | Path) -> Iterator[Item]:
    """The pages named in a text file: one URL a line; blank lines and ``#`` comments ignored.

    A Wayback Machine address (``https://web.archive.org/web/<timestamp>/<url>``) is fetched
    from the archive as the column at ``<url>``.
    """
    path = Path(path)
    text = path.read_text("utf-8-sig")
    for n, raw in enumerate(text.splitlines(), start=1):
        line = re.split(r"(?:^|\s)#", raw.strip(), maxsplit=1)[0].strip()
        if not line:
            continue
        parts = urlsplit(line)
        try:
            parts.port
        except ValueError:
            parts = None
        if (parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in line
                or without_controls(line) != line):
            yield _failure(f"{path.name}:{n}", "page", f"{path.name} line {n}: {line!r} is not an http(s) URL")
            continue
        archived = _ARCHIVED.match(line)
        if archived:
            original = archived.group(2)
            original = original if re.match(r"^https?://", original, re.I) else "http://" + original
            snapshot = f"{line[:archived.start(1)]}{archived.group(1)}id_/{original}"
            yield Item(key=url_key(original), source="wayback", url=original, slug=slug_from_url(original),
                       fetched_from=snapshot)
            continue
        yield Item(key=url_key(line), source="page", url=line, slug=slug_from_url(line), fetched_from=line)


# -- Wayback Machine ---------------------------------------------------------------------------
def wayback_snapshot(fetcher: Fetcher, url: str, *, wayback_url: str) -> str:
    """The address of the newest archived copy of ``url`` with status 200, in its original bytes (``id_``)."""
    base = wayback_url.rstrip("/")
    rows = fetcher.get(f"{base}/cdx/search/cdx", accept=JSON_ACCEPT, params={
        "url": url, "output": "json", "filter": "statuscode:200", "fl": "timestamp,original", "limit": "-1",
    }).json()
    if not (isinstance(rows, list) and len(rows) >= 2 and isinstance(rows[0], list)):
        raise FetchError("not-archived", f"{url}: the Wayback Machine has no archived copy")
    header, last = rows[0], rows[-1]
    try:
        timestamp, original = last[header.index("timestamp")], last[header.index("original")]
    except (ValueError, IndexError):
        raise FetchError("not-archived", f"{url}: unexpected answer from the Wayback CDX API") from None
    if not (isinstance(timestamp, str) and re.fullmatch(r"\d{1,14}", timestamp)
            and isinstance(original, str) and without_controls(original) == original):
        raise FetchError("not-archived", f"{url}: unexpected answer from the Wayback CDX API")
    return f"{base}/web/{timestamp}id_/{original}"
