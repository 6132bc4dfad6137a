"""``mrhistory validate``: the corpus report, without any NLP."""
from __future__ import annotations

from ..paths import default_corpus
from .options import add_common, add_corpus, max_bytes, parser, stderr


def register(subparsers) -> None:
    p = parser(subparsers, "validate", help="check a corpus without NLP: the corpus report only",
               description="Read every corpus file and report problems (one line each on stderr); no NLP.",
               example="  mrhistory validate corpus --strict")
    add_corpus(p)
    add_common(p, nlp=False)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..read import read_corpus

    corpus = read_corpus(args.corpus or default_corpus(), max_bytes=max_bytes(args), echo=stderr)
    print(f"{len(corpus.columns)} column(s) readable; {len(corpus.report)} problem(s)")
    return 1 if args.strict and len(corpus.report) else 0
