"""``mrhistory kwic``: keyword in context, where an entity (or any word) is named."""
from __future__ import annotations

import sys
from pathlib import Path

from ..paths import default_corpus
from .options import max_bytes, parser, stderr


def register(subparsers) -> None:
    p = parser(subparsers, "kwic", help="keyword in context: where an entity (or any word) is named, with the words around it",
               description="List every mention of TERM in the questions and answers, with WINDOW words on each side.\n\n"
                           "If TERM names an entity (a canonical name or any alias: 'Stalin' also finds 'Josef Stalin'),\n"
                           "the lines are that entity's tagged mentions, as counted in entity_counts.csv; a name is never\n"
                           "matched inside another entity ('Soviet' does not list the 'Soviet' of 'Soviet Union').\n"
                           "Any other TERM is searched as a word or phrase anywhere (case-insensitive unless in capitals).",
               example="  mrhistory kwic Stalin\n  mrhistory kwic \"Soviet Union\" corpus --window 12\n"
                       "  mrhistory kwic Soviet corpus --untagged\n  mrhistory kwic USSR corpus --csv > ussr.csv")
    p.add_argument("term", help="a name (canonical or alias) or any word")
    p.add_argument("corpus", nargs="?", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")
    p.add_argument("--window", type=int, default=8, metavar="N", help="words shown on each side (default 8)")
    p.add_argument("--untagged", action="store_true",
                   help="for an entity, also list its spellings where the recogniser tagged nothing (never inside another entity)")
    p.add_argument("--csv", action="store_true", help="print CSV (column_id,part,left,match,right) instead of aligned text")
    p.add_argument("--max-bytes", type=int, default=None, metavar="N", help="skip corpus files larger than N bytes")
    p.add_argument("--model", default=None, help="spaCy model package (default: as for analyse)")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..concordance import format_kwic, kwic
    from ..pipeline import corpus_settings
    from ..read import load_corpus

    corpus = args.corpus or default_corpus()
    columns = load_corpus(corpus, max_bytes=max_bytes(args))
    settings = corpus_settings(corpus)
    for line in settings.problems:
        if line.startswith("entities:"):
            stderr(line)
    df = kwic(columns, args.term, window=args.window, authority=settings.authority, model=args.model, untagged=args.untagged)
    if df.empty:
        stderr(f"no match for {args.term!r} in {len(columns)} column(s)")
        return 1
    if args.csv:
        sys.stdout.write(df.to_csv(index=False, lineterminator="\n"))
    else:
        print(format_kwic(df))
    return 0
