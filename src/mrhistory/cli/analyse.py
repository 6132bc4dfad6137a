"""``mrhistory analyse``: the main job, every table, figure and the manifest under OUT."""
from __future__ import annotations

from pathlib import Path

from ..paths import default_corpus, default_outputs
from .options import add_common, add_corpus, max_bytes, parser, stderr


def register(subparsers) -> None:
    p = parser(subparsers, "analyse", aliases=["analyze"], help="analyse a corpus: every table, figure and the manifest",
               description="Read the corpus, run the shared spaCy pass and every analysis; write tables, "
                           "figures, corpus_report.csv and manifest.json under OUT.",
               example="  mrhistory analyse corpus --out outputs --jobs 2")
    add_corpus(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: outputs/ of the project)")
    add_common(p)
    p.set_defaults(func=run)


def run(args) -> int:
    from ..pipeline import analyse

    corpus = args.corpus or default_corpus()
    result = analyse(corpus, args.out or default_outputs(), model=args.model, jobs=args.jobs,
                     max_bytes=max_bytes(args), use_cache=not args.no_cache, echo=stderr)
    n = len(result.tables["columns"])
    if n == 0:
        stderr(f"mrhistory: warning: no readable column in {corpus}; see corpus_report.csv and corpus/README.md")
    print(f"analysed {n} column{'s' * (n != 1)}; {len(result.report)} corpus problem(s); results in {result.out_dir}")
    return 1 if args.strict and (len(result.report) or n == 0) else 0
