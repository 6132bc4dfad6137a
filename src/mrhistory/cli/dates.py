"""``mrhistory dates``: what the date finder makes of one passage."""
from __future__ import annotations

import datetime as dt
import sys

from .options import parser


def register(subparsers) -> None:
    p = parser(subparsers, "dates", help="date mentions in a passage, as CSV (EDTF with day bounds)",
               description="Print the date mentions mrhistory finds in TEXT (or standard input) as CSV: "
                           "start, end, text, edtf, earliest, latest, precision, inferred.",
               example='  mrhistory dates "On December 8, 1941 ... on December 11 ... the same day"\n'
                       '  mrhistory dates "Last year I visited Gettysburg." --reference 2010-05-06')
    p.add_argument("text", nargs="?", default=None, help="the passage (default: read standard input)")
    p.add_argument("--reference", default=None, metavar="YYYY-MM-DD",
                   help="date of writing, for 'last year', 'today', 'on Tuesday' (default: none; those are left out)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..dates import extract_dates
    from ..outputs import table_bytes

    reference = None
    if args.reference:
        try:
            reference = dt.date.fromisoformat(args.reference)
        except ValueError:
            raise ValueError(f"--reference must be a date like 2010-05-06, not {args.reference!r}") from None
    text = args.text if args.text is not None else sys.stdin.read()
    sys.stdout.write(table_bytes(extract_dates(text, reference=reference)).decode("utf-8"))
    return 0
