"""``mrhistory collect``: harvest columns into a corpus folder (see :mod:`mrhistory.harvest.collect`)."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..harvest.collect import (DEFAULT_BASE_URL, DEFAULT_CATEGORY, DEFAULT_MAX_BYTES, DEFAULT_MAX_PAGES, DEFAULT_MAX_TIME,
                                DEFAULT_REQUEST_TIMEOUT, REPORT_FILE, collect, summary)
from ..paths import default_corpus

EPILOG = """examples:
  mrhistory collect --out corpus
  mrhistory collect --since 2015-01-01 --limit 20
  mrhistory collect --urls my-columns.txt --wayback
  mrhistory collect --base-url https://mirror.example.org --category ask-mr-history --out corpus

Files the collector saved and you then edited are never overwritten: a newer remote version is
saved under CORPUS/.collect/incoming/ and reported. Harvest state: CORPUS/.mrhistory-collect.json.
"""


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date YYYY-MM-DD") from None


def _nonnegative(value: str) -> float:
    number = float(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must be ≥ 0")
    return number


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be ≥ 1")
    return number


def _positive(value: str) -> float:
    number = float(value)
    if not number > 0:  # also refuses nan
        raise argparse.ArgumentTypeError("must be more than 0")
    return number


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "collect", help="harvest Ask Mr. History columns into a corpus folder",
        description="Harvest columns from HistoryNet's WordPress API (category ask-mr-history), from a list of "
                    "page URLs, and from the Wayback Machine, into CORPUS_DIR; add their rows to metadata.csv. "
                    "Re-running skips what is already there and never overwrites a file you edited.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--base-url", metavar="URL", help=f"WordPress site to harvest (default {DEFAULT_BASE_URL}); "
                                                       "its host is added to the sites the collector may contact")
    p.add_argument("--category", metavar="SLUG", help=f"WordPress category slug (default {DEFAULT_CATEGORY})")
    p.add_argument("--urls", metavar="FILE", type=Path,
                   help="text file of page URLs, one a line, '#' comments; alone, it replaces the WordPress listing "
                        "(add --category to do both)")
    p.add_argument("--wayback", action="store_true", help="fetch pages that are no longer live from the Wayback Machine")
    p.add_argument("--since", metavar="DATE", type=_date, help="only columns published on or after DATE (YYYY-MM-DD; applies to the WordPress listing)")
    p.add_argument("--limit", metavar="N", type=_positive_int, help="stop after N columns")
    p.add_argument("--out", metavar="CORPUS_DIR", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")
    p.add_argument("--delay", metavar="SECONDS", type=_nonnegative, default=1.0,
                   help="pause between requests (default 1.0; a robots.txt Crawl-delay that is longer wins)")
    p.add_argument("--refresh", action="store_true", help="fetch listed pages already in the corpus again to look for newer versions")
    p.add_argument("--restore-deleted", action="store_true", help="download again columns whose files you deleted")
    p.add_argument("--max-bytes", type=_positive_int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"refuse responses larger than N bytes (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--max-pages", type=_positive_int, default=DEFAULT_MAX_PAGES, metavar="N",
                   help=f"follow at most N pages of the WordPress listing (default {DEFAULT_MAX_PAGES}: "
                        f"{DEFAULT_MAX_PAGES * 100} posts)")
    p.add_argument("--timeout", type=_positive, default=DEFAULT_REQUEST_TIMEOUT, metavar="SECONDS",
                   help=f"give up a request that has not fully arrived after SECONDS (default {DEFAULT_REQUEST_TIMEOUT:g})")
    p.add_argument("--max-time", type=_positive, default=DEFAULT_MAX_TIME, metavar="SECONDS",
                   help=f"stop the harvest after SECONDS, waits included (default {DEFAULT_MAX_TIME:g}: "
                        f"{DEFAULT_MAX_TIME / 3600:g} hours); run it again to go on")
    p.set_defaults(func=run)


def run(args) -> int:

    out = args.out or default_corpus()
    outcomes = collect(
        out, base_url=args.base_url, category=args.category or DEFAULT_CATEGORY,
        wordpress=True if args.category else None, urls=args.urls, wayback=args.wayback, since=args.since,
        limit=args.limit, delay=args.delay, refresh=args.refresh, restore_deleted=args.restore_deleted,
        max_bytes=args.max_bytes, max_pages=args.max_pages, request_timeout=args.timeout, max_time=args.max_time,
    )
    fetched = outcomes["outcome"].isin(["new", "unchanged", "updated", "edited"]).sum()
    print(f"collected into {out}: {summary(outcomes)}")
    if len(outcomes) and (outcomes["outcome"] == "failed").any():
        print(f"details of every item: {Path(out) / REPORT_FILE}")
    if not fetched and (outcomes["outcome"] == "failed").any():
        print("mrhistory: error: nothing could be fetched", file=sys.stderr)
        return 1
    return 0
