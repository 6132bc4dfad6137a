"""``mrhistory analyse``: the main job, every table, figure and the manifest under OUT."""
from __future__ import annotations

import sys
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
    corpus = args.corpus or default_corpus()
    out = args.out or default_outputs()
    try:
        from ..pipeline import analyse

        result = analyse(corpus, out, model=args.model, jobs=args.jobs, max_bytes=max_bytes(args),
                         use_cache=not args.no_cache, echo=stderr)
    except KeyboardInterrupt as exc:
        stderr(f"mrhistory: interrupted; {_out_state(out, exc)}")
        return 130
    n = len(result.tables["columns"])
    if n == 0:
        stderr(f"mrhistory: warning: no readable column in {corpus}; see corpus_report.csv and corpus/README.md")
    print(f"analysed {n} column{'s' * (n != 1)}; {len(result.report)} corpus problem(s); results in {result.out_dir}")
    return 1 if args.strict and (len(result.report) or n == 0) else 0


def _out_state(out: Path, exc: KeyboardInterrupt) -> str:
    """What OUT holds after Ctrl-C: the library says when it was writing; before that OUT is untouched."""
    swap = sys.modules.get("mrhistory.publish.swap")  # loaded before the analysis starts
    if swap is None:
        return f"{out} was not touched"
    if isinstance(exc, swap.Interrupted):
        return swap.interrupted_state(out, exc.state, had_results=exc.had_results)
    return swap.interrupted_state(out)
