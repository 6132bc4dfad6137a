"""``mrhistory topics``: each column's topics with their evidence, without writing OUT."""
from __future__ import annotations

import sys

from ..paths import default_corpus
from ..topics import FACETS
from .options import add_corpus, add_model, parser, stderr


def register(subparsers) -> None:
    p = parser(subparsers, "topics", help="each column's period, region and theme with score and evidence, as CSV",
               description="Read the corpus, run the shared spaCy pass and the analyses the classification rests on, "
                           "and print column_topics as CSV; topics.toml in the corpus folder is applied. "
                           "Nothing is written: use it to check an edit of the taxonomy before `mrhistory analyse`.",
               example="  mrhistory topics corpus --facet theme\n"
                       "  mrhistory topics corpus --column why-didnt-we-use-soviet-air-bases-when-fighting-japan-in-wwii")
    add_corpus(p)
    p.add_argument("--column", action="append", default=None, metavar="ID", help="only this column_id (repeatable)")
    p.add_argument("--facet", choices=FACETS, action="append", default=None, help="only this facet (repeatable)")
    add_model(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..outputs import table_bytes
    from ..pipeline import run as run_pipeline

    done = run_pipeline(args.corpus or default_corpus(), until="topics", column_ids=args.column, model=args.model,
                        echo=stderr)
    table = done.tables["column_topics"]
    if args.facet:
        table = table.loc[table["facet"].isin(args.facet)]
    sys.stdout.write(table_bytes(table).decode("utf-8"))
    return 0
